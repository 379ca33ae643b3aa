// The coordinator's pages: for every group the person coordinates (an active coordinator membership).
import type { Me, PageArea } from "../../router";

export function coordinated(me: Me) {
  return me.memberships.filter((m) => m.role === "coordinator" && m.status === "active");
}

export const coordinator: PageArea = {
  routes: [],
  nav: (me) =>
    coordinated(me).flatMap((m) => [
      { label: "nav.roster", path: `/groups/${m.group_id}/roster`, section: m.group_name },
      { label: "nav.members", path: `/groups/${m.group_id}/members`, section: m.group_name },
      { label: "nav.review", path: `/groups/${m.group_id}/review`, section: m.group_name },
    ]),
};
