// The municipal admin's pages: for admins (GET /api/v1/me `person.is_admin`); the API decides the rest.
import { h } from "preact";
import { t } from "../../i18n";
import type { PageArea } from "../../router";
import "./admin.css";
import { AreaTree } from "./areas";
import { AuditLog } from "./audit";
import { Figures } from "./figures";

export const admin: PageArea = {
  routes: [
    { path: "/admin/areas", view: () => h(AreaTree, {}) },
    { path: "/admin/figures", view: () => h(Figures, {}) },
    { path: "/admin/audit-log", view: () => h(AuditLog, {}) },
  ],
  nav: (me) =>
    me.person.is_admin
      ? [
          { label: "nav.adminAreas", path: "/admin/areas", section: t("role.admin") },
          { label: "nav.adminFigures", path: "/admin/figures", section: t("role.admin") },
          { label: "nav.adminAudit", path: "/admin/audit-log", section: t("role.admin") },
        ]
      : [],
};
