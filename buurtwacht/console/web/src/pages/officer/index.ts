// The wijkagent's pages: for everyone who serves an area (GET /api/v1/me `officer_areas`); the API decides
// what each area's wijkagent may read and do.
import { h } from "preact";
import { t } from "../../i18n";
import type { PageArea } from "../../router";
import { AlertDetail, Alerts, NewAlert } from "./alerts";
import { SharedNotes } from "./notes";
import { Summaries } from "./summaries";
import "./officer.css";

export const officer: PageArea = {
  routes: [
    { path: "/officer/notes", view: (_params, me) => h(SharedNotes, { me }) },
    { path: "/officer/alerts", view: () => h(Alerts, {}) },
    { path: "/officer/alerts/new", view: (_params, me) => h(NewAlert, { me }) },
    { path: "/officer/alerts/:alertId", view: (params) => h(AlertDetail, { alertId: params.alertId ?? "" }) },
    { path: "/officer/summaries", view: (_params, me) => h(Summaries, { me }) },
  ],
  nav: (me) =>
    me.officer_areas.length === 0
      ? []
      : [
          { label: "nav.officerNotes", path: "/officer/notes", section: t("role.officer") },
          { label: "nav.officerAlerts", path: "/officer/alerts", section: t("role.officer") },
          { label: "nav.officerSummaries", path: "/officer/summaries", section: t("role.officer") },
        ],
};
