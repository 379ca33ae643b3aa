// The coordinator's pages: for every group the person coordinates (an active coordinator membership).
import type { Me, PageArea, Params } from "../../router";
import { Members } from "./members";
import { NotePage, Notes } from "./notes";
import { PlanRound, PlanSchedule } from "./plan";
import { Review } from "./review";
import { RoundPage } from "./round";
import { Roster } from "./roster";
import { Settings } from "./settings";
import { Summary } from "./summary";

export function coordinated(me: Me) {
  return me.memberships.filter((m) => m.role === "coordinator" && m.status === "active");
}

/** The group of the URL, named from GET /api/v1/me; a group the person does not coordinate is left to the API. */
function group(params: Params, me: Me): { groupId: string; groupName: string } {
  const groupId = params.groupId ?? "";
  const mine = me.memberships.find((m) => m.group_id === groupId);
  return { groupId, groupName: mine?.group_name ?? "" };
}

export const coordinator: PageArea = {
  routes: [
    { path: "/groups/:groupId/roster", view: (params, me) => <Roster {...group(params, me)} /> },
    { path: "/groups/:groupId/plan", view: (params, me) => <PlanRound {...group(params, me)} /> },
    { path: "/groups/:groupId/schedule", view: (params, me) => <PlanSchedule {...group(params, me)} /> },
    { path: "/groups/:groupId/members", view: (params, me) => <Members {...group(params, me)} /> },
    { path: "/groups/:groupId/review", view: (params, me) => <Review {...group(params, me)} /> },
    { path: "/groups/:groupId/summary", view: (params, me) => <Summary {...group(params, me)} /> },
    { path: "/groups/:groupId/settings", view: (params, me) => <Settings {...group(params, me)} /> },
    { path: "/groups/:groupId/notes", view: (params, me) => <Notes {...group(params, me)} /> },
    {
      path: "/notes/:noteId",
      view: (params, me) => (
        <NotePage
          noteId={params.noteId ?? ""}
          groupName={(id) => me.memberships.find((m) => m.group_id === id)?.group_name ?? ""}
        />
      ),
    },
    { path: "/rounds/:patrolId", view: (params) => <RoundPage patrolId={params.patrolId ?? ""} /> },
  ],
  nav: (me) =>
    coordinated(me).flatMap((m) => [
      { label: "nav.roster", path: `/groups/${m.group_id}/roster`, section: m.group_name },
      { label: "nav.members", path: `/groups/${m.group_id}/members`, section: m.group_name },
      { label: "notes.nav", path: `/groups/${m.group_id}/notes`, section: m.group_name },
      { label: "nav.review", path: `/groups/${m.group_id}/review`, section: m.group_name },
      { label: "summary.nav", path: `/groups/${m.group_id}/summary`, section: m.group_name },
      { label: "settings.nav", path: `/groups/${m.group_id}/settings`, section: m.group_name },
    ]),
};
