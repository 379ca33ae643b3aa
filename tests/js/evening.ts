// A volunteer's and a coordinator's evening, as a React Native app written in strict TypeScript
// would code it against buurtwacht: types from openapi-typescript, calls through openapi-fetch.
// The test suite generates "buurtwacht-api" from openapi/openapi.json and type-checks this file
// with tsc --strict (tests/test_typescript_client.py). It reads the fields an app shows without
// `!`, casts or checks for fields the API always sends: if the document is too vague, tsc says so.

import createClient from "openapi-fetch";
import type { components, paths } from "buurtwacht-api";

type Schemas = components["schemas"];

/** A client that signs every request with the user's Firebase ID token (`user.getIdToken()`). */
export function signedIn(baseUrl: string, idToken: () => Promise<string>) {
  const client = createClient<paths>({ baseUrl });
  client.use({
    async onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${await idToken()}`);
      return request;
    },
  });
  return client;
}

type Client = ReturnType<typeof signedIn>;

/** What an error answer says to the user: every error has {code, status, message, errors}. */
function explain(error: Schemas["Error"]): Error {
  return new Error(`${error.code} ${error.status}: ${error.message ?? ""}`);
}

/** Domestic violence is referred to Veilig Thuis, never recorded: the document's enums say so. */
function recordable(code: Schemas["Category"]["code"]): code is Schemas["NoteCreate"]["category"] {
  return code !== "domestic_violence";
}

function when(iso: string): string {
  return new Date(iso).toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam" });
}

export async function volunteersEvening(api: Client): Promise<string[]> {
  const screen: string[] = [];

  // Sign in: who am I, and which groups am I in?
  const me = await api.GET("/api/v1/me");
  if (me.error) throw explain(me.error);
  screen.push(`Hallo ${me.data.person.display_name} (${me.data.person.email})`);
  if (me.data.person.phone === null) screen.push("Vul je telefoonnummer in");
  const active = me.data.memberships.filter((m) => m.status === "active");
  const group = active[0];
  if (group === undefined) return [...screen, "Je bent nog geen lid van een groep"];
  screen.push(`${group.group_name}: ${group.role === "coordinator" ? "coördinator" : "vrijwilliger"}`);
  for (const area of me.data.officer_areas) screen.push(`Wijkagent van ${area.name}`);

  // The roster: open patrols of my group, with the places left.
  const roster = await api.GET("/api/v1/groups/{group_id}/patrols", {
    params: { path: { group_id: group.group_id }, query: { open: true } },
  });
  if (roster.error) throw explain(roster.error);
  for (const item of roster.data) {
    const { patrol } = item;
    const route = patrol.route ?? "geen vaste route";
    screen.push(
      `${when(patrol.starts_at)}-${when(patrol.ends_at)} ${patrol.meeting_point} (${route}): ` +
        `${item.places_left} plaatsen vrij, ${item.confirmed}/${patrol.min_team}` +
        (item.my_status === null ? "" : `, jij: ${item.my_status}`),
    );
  }
  const tonight = roster.data[0];
  if (tonight === undefined) return screen;

  // Sign up, then read the patrol with its team.
  const signup = await api.PUT("/api/v1/patrols/{patrol_id}/signup", {
    params: { path: { patrol_id: tonight.patrol.id } },
  });
  if (signup.error) throw explain(signup.error);
  screen.push(signup.data.status === "confirmed" ? "Je loopt mee" : `Op de wachtlijst (${signup.data.status})`);
  const detail = await api.GET("/api/v1/patrols/{patrol_id}", { params: { path: { patrol_id: tonight.patrol.id } } });
  if (detail.error) throw explain(detail.error);
  for (const member of detail.data.team) {
    screen.push(`${member.name}${member.checked_in_at === null ? "" : ` ingecheckt ${when(member.checked_in_at)}`}`);
  }

  // A note on the street, with an id the phone makes, so a retry from the offline queue is one note.
  const categories = await api.GET("/api/v1/groups/{group_id}/categories", {
    params: { path: { group_id: group.group_id } },
  });
  if (categories.error) throw explain(categories.error);
  const noteId: string = crypto.randomUUID();
  const recorded = await api.POST("/api/v1/groups/{group_id}/notes", {
    params: { path: { group_id: group.group_id } },
    body: {
      id: noteId,
      category: categories.data.categories.find(recordable) ?? "clean_whole_safe",
      what: "Straatlantaarn kapot op de hoek van de Kapelstraat",
      observed_at: new Date().toISOString(),
      street: "Kapelstraat",
      patrol_id: tonight.patrol.id,
      urgency: "normal",
    },
  });
  if (recorded.error) throw explain(recorded.error);
  const note: Schemas["Note"] = recorded.data;
  screen.push(`Waarneming ${note.id} (${note.category}, ${note.status}), te wijzigen tot ${when(note.editable_until)}`);
  if (note.review_message !== undefined) screen.push(note.review_message); // only while held
  for (const referral of note.referrals) {
    screen.push(`${referral.name["nl"] ?? referral.code}: ${referral.phone ?? referral.url ?? ""}`);
  }

  // An alert reaches me: read it, send a tip with an id of my own, say I am looking.
  const alerts = await api.GET("/api/v1/alerts", { params: { query: { status: "open" } } });
  if (alerts.error) throw explain(alerts.error);
  for (const view of alerts.data) {
    const { alert } = view;
    screen.push(
      `${alert.is_exercise ? "OEFENING " : ""}${alert.headline} (${alert.kind}, ${alert.severity}) ` +
        `in ${view.areas.map((area) => area.name).join(", ")} tot ${when(alert.expires_at)}`,
    );
    screen.push(alert.description, alert.instruction);
    for (const update of view.updates) screen.push(`${when(update.at)} ${update.text}`);
    if (alert.outcome !== null) screen.push(`Afgesloten: ${alert.outcome} ${alert.closing_message ?? ""}`);
  }
  const reached = alerts.data.find((view) => view.alert.status === "open" && !view.can_steer);
  if (reached === undefined) return screen;
  const tip = await api.POST("/api/v1/alerts/{alert_id}/tips", {
    params: { path: { alert_id: reached.alert.id } },
    body: { id: crypto.randomUUID(), text: "Rode fiets bij het kanaal" },
  });
  if (tip.error) throw explain(tip.error);
  screen.push(`Tip verstuurd om ${when(tip.data.created_at)}`);
  const looking = await api.PUT("/api/v1/alerts/{alert_id}/looking", { params: { path: { alert_id: reached.alert.id } } });
  if (looking.error) throw explain(looking.error);
  screen.push(looking.data.i_am_looking ? "Je zoekt mee" : "Je zoekt niet mee");
  return screen;
}

export async function coordinatorsEvening(api: Client, groupId: string): Promise<string[]> {
  const screen: string[] = [];

  // Requests to join: approve them.
  const pending = await api.GET("/api/v1/groups/{group_id}/members", {
    params: { path: { group_id: groupId }, query: { status: "pending" } },
  });
  if (pending.error) throw explain(pending.error);
  for (const member of pending.data) {
    const approved = await api.POST("/api/v1/groups/{group_id}/members/{membership_id}/approve", {
      params: { path: { group_id: groupId, membership_id: member.id } },
    });
    if (approved.error) throw explain(approved.error);
    const contact = approved.data.email ?? "";
    screen.push(`${approved.data.name} is ${approved.data.status} sinds ${when(approved.data.since)} ${contact}`);
  }

  // Plan tomorrow's round.
  const starts = new Date(Date.now() + 24 * 3600 * 1000);
  const planned = await api.POST("/api/v1/groups/{group_id}/patrols", {
    params: { path: { group_id: groupId } },
    body: {
      starts_at: starts.toISOString(),
      ends_at: new Date(starts.getTime() + 2 * 3600 * 1000).toISOString(),
      meeting_point: "Kapelstraat bij de kerk",
      min_team: 2,
    },
  });
  if (planned.error) throw explain(planned.error);
  const patrol: Schemas["Patrol"] = planned.data;
  screen.push(`${patrol.status}: ${when(patrol.starts_at)} ${patrol.meeting_point}, ${patrol.min_team}-${patrol.max_team}`);

  // Held notes wait for my review: release the first.
  const held = await api.GET("/api/v1/groups/{group_id}/notes", {
    params: { path: { group_id: groupId }, query: { held: true } },
  });
  if (held.error) throw explain(held.error);
  for (const note of held.data) {
    screen.push(`${note.author ?? "onbekend"}: ${note.what} (${when(note.observed_at)}, ${note.street ?? "-"})`);
  }
  const first = held.data[0];
  if (first === undefined) return screen;
  const reviewed = await api.POST("/api/v1/notes/{note_id}/review", {
    params: { path: { note_id: first.id } },
    body: { decision: "release", reason: "Gedrag beschreven, geen afkomst" },
  });
  if (reviewed.error) throw explain(reviewed.error);
  const last = reviewed.data.history.at(-1);
  screen.push(`${reviewed.data.held ? "nog vastgehouden" : "vrijgegeven"}: ${last?.reason ?? ""}`);
  for (const comment of reviewed.data.comments) screen.push(`${comment.author ?? "?"}: ${comment.text}`);
  return screen;
}
