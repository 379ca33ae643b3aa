// One round: its team and waiting list; put a member on the team or take someone off; cancel it with a reason.
import { useState } from "preact/hooks";
import { allPages, api, ok } from "../../api/client";
import { ErrorView, Loading, Notice, Page } from "../../components/ui";
import { formatDay, formatTime, localDay } from "../../format";
import { useAction, useLoad } from "../../hooks";
import { t } from "../../i18n";
import { href } from "../../router";

export function RoundPage(props: { patrolId: string }) {
  const path = { params: { path: { patrol_id: props.patrolId } } };
  const detail = useLoad(() => ok(api.GET("/api/v1/patrols/{patrol_id}", path)), [props.patrolId]);
  const groupId = detail.data?.patrol.group_id;
  const members = useLoad(
    () =>
      groupId
        ? allPages((page) =>
            api.GET("/api/v1/groups/{group_id}/members", {
              params: { path: { group_id: groupId }, query: { status: "active", page, page_size: 100 } },
            }),
          )
        : Promise.resolve([]),
    [groupId],
  );
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [chosen, setChosen] = useState("");
  const [reason, setReason] = useState("");
  const act = async (change: () => Promise<unknown>, done: string) => {
    setNotice(null);
    if (await action.run(change)) {
      setNotice(done);
      detail.reload();
    }
  };
  if (!detail.data) {
    return (
      <Page title={t("coord.round.title")}>
        {detail.loading ? <Loading /> : <ErrorView error={detail.error} onRetry={detail.reload} />}
      </Page>
    );
  }
  const round = detail.data;
  const patrol = round.patrol;
  const when = `${formatDay(localDay(patrol.starts_at), { year: "numeric" })} ${formatTime(patrol.starts_at)}–${formatTime(patrol.ends_at)}`;
  const onIt = new Set(round.team.map((m) => m.person_id));
  const candidates = (members.data ?? []).filter((m) => !onIt.has(m.person_id));
  const planned = patrol.status === "planned";
  const team = round.team.filter((m) => m.status === "confirmed");
  const waiting = round.team.filter((m) => m.status === "waitlisted");
  return (
    <Page title={t("coord.round.titleWhen", { when })}>
      <p>
        <a href={href(`/groups/${patrol.group_id}/roster?view=week&date=${localDay(patrol.starts_at)}`)}>
          {t("coord.round.back", { group: round.group_name })}
        </a>
      </p>
      <p>
        {patrol.meeting_point}
        {patrol.route ? ` · ${patrol.route}` : ""}
      </p>
      <p>
        {t("coord.roster.team", { confirmed: round.confirmed, max: patrol.max_team })}
        {round.short_of_minimum && (
          <>
            {" "}
            <span class="badge short">{t("coord.roster.short", { min: patrol.min_team })}</span>
          </>
        )}
        {patrol.status === "cancelled" && (
          <>
            {" "}
            <span class="badge cancelled">{t("coord.roster.cancelled")}</span> {patrol.cancel_reason}
          </>
        )}
      </p>
      <Notice text={notice} />
      <ErrorView error={action.error} />
      <h2>{t("coord.round.team")}</h2>
      <People
        people={team}
        empty={t("coord.round.nobody")}
        planned={planned}
        busy={action.busy}
        remove={(m) =>
          act(
            () => ok(api.DELETE("/api/v1/patrols/{patrol_id}/team/{person_id}", { params: { path: { patrol_id: props.patrolId, person_id: m.person_id } } })),
            t("coord.round.removed", { name: m.name }),
          )
        }
      />
      <h2>{t("coord.round.waiting")}</h2>
      <People
        people={waiting}
        empty={t("coord.round.nobodyWaiting")}
        planned={planned}
        busy={action.busy}
        remove={(m) =>
          act(
            () => ok(api.DELETE("/api/v1/patrols/{patrol_id}/team/{person_id}", { params: { path: { patrol_id: props.patrolId, person_id: m.person_id } } })),
            t("coord.round.removed", { name: m.name }),
          )
        }
      />
      {planned && (
        <>
          <h2>{t("coord.round.add")}</h2>
          <form
            class="row"
            onSubmit={(event) => {
              event.preventDefault();
              const member = candidates.find((m) => m.person_id === chosen);
              if (!member) return;
              void act(
                () => ok(api.POST("/api/v1/patrols/{patrol_id}/team", { ...path, body: { person_id: chosen } })),
                t("coord.round.added", { name: member.name }),
              ).then(() => setChosen(""));
            }}
          >
            <label>
              {t("coord.round.member")}
              <select value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
                <option value="">—</option>
                {candidates.map((m) => (
                  <option key={m.person_id} value={m.person_id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={action.busy || !chosen}>
              {t("coord.round.addButton")}
            </button>
          </form>
          <h2>{t("coord.round.cancel")}</h2>
          <form
            class="stack"
            onSubmit={(event) => {
              event.preventDefault();
              void act(
                () => ok(api.POST("/api/v1/patrols/{patrol_id}/cancel", { ...path, body: { reason } })),
                t("coord.round.cancelled"),
              );
            }}
          >
            <label>
              {t("coord.round.reason")}
              <input required minLength={3} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
            <div class="row">
              <button type="submit" class="danger" disabled={action.busy}>
                {t("coord.round.cancelButton")}
              </button>
            </div>
          </form>
        </>
      )}
    </Page>
  );
}

interface Person {
  person_id: string;
  name: string;
  checked_in_at: string | null;
  no_show: boolean;
}

function People(props: {
  people: Person[];
  empty: string;
  planned: boolean;
  busy: boolean;
  remove: (person: Person) => void;
}) {
  if (props.people.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <ul class="cards">
      {props.people.map((m) => (
        <li key={m.person_id} class="card row">
          <span>
            {m.name}
            {m.checked_in_at && ` · ${t("coord.round.checkedIn", { time: formatTime(m.checked_in_at) })}`}
            {m.no_show && ` · ${t("coord.round.noShow")}`}
          </span>
          {props.planned && (
            <button type="button" class="secondary" disabled={props.busy} onClick={() => props.remove(m)}>
              {t("coord.round.remove", { name: m.name })}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
