// A note to the municipality (GET/POST /api/v1/notes/{id}/forwards, GET /api/v1/groups/{id}/forwarding): the button
// when the municipality takes the note's category, then what became of each forward, as the API says it.
import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { api, ok, type Schemas } from "../../api/client";
import { ErrorView, Loading } from "../../components/ui";
import { formatDateTime } from "../../format";
import { useAction, useLoad } from "../../hooks";
import { t, type Key } from "../../i18n";
import { nl } from "../../i18n/nl";

type Note = Schemas["Note"];
type Forward = Schemas["Forward"];

/** The subjects the municipality splits the category into ("" for the category itself), as the API lists them. */
function subjectsOf(forwardable: readonly string[], category: string): string[] {
  return forwardable
    .filter((key) => key === category || key.startsWith(`${category}/`))
    .map((key) => key.slice(category.length + 1))
    .sort();
}

/** A typed decimal (a Dutch comma too) as the API should read it; anything else goes as typed, for the API to refuse. */
function decimal(value: string): number {
  const number = Number(value.trim().replace(",", "."));
  return Number.isFinite(number) ? number : (value as unknown as number);
}

/** A subject in words where the console knows it; the API gives only its code. */
function subjectLabel(subject: string): string {
  if (subject === "") return t("forward.subject.general");
  const key = `forward.subject.${subject}`;
  return key in nl ? t(key as Key) : subject.replace(/_/g, " ");
}

function statusBadge(status: Forward["status"]): string {
  return status === "failed" ? "short" : status === "queued" ? "waiting" : status === "closed" ? "full" : "open";
}

function ForwardFacts(props: { forward: Forward }) {
  const f = props.forward;
  const said = [f.remote_status_text, f.remote_state && `(${t(f.remote_state === "closed" ? "forward.closed" : "forward.open")})`];
  const retry = f.status === "queued" && f.attempts > 0 && f.next_attempt_at;
  const answer = f.fixed_yet.answer;
  // What the API says of it, the facts it has so far: [label, text or null].
  const facts: [Key, string | null][] = [
    ["forward.queuedAt", formatDateTime(f.created_at)],
    ["forward.sentAt", f.sent_at && formatDateTime(f.sent_at)],
    ["forward.remoteId", f.remote_id],
    ["forward.says", said.filter(Boolean).join(" ") || null],
    ["forward.checkedAt", f.last_checked_at && formatDateTime(f.last_checked_at)],
    ["forward.error", f.error],
    ["forward.nextAttempt", retry ? t("forward.attempts", { date: formatDateTime(retry), attempts: f.attempts }) : null],
    ["forward.fixedYet", answer && t(answer === "fixed" ? "forward.fixedYet.fixed" : "forward.fixedYet.still_there")],
  ];
  return (
    <li class="card">
      <h3>
        {f.municipality} <span class={`badge ${statusBadge(f.status)}`}>{t(`forward.status.${f.status}` as Key)}</span>
      </h3>
      <dl class="facts">
        {facts
          .filter((fact): fact is [Key, string] => Boolean(fact[1]))
          .map(([label, text]) => (
            <Fragment key={label}>
              <dt>{t(label)}</dt>
              <dd>{text}</dd>
            </Fragment>
          ))}
      </dl>
    </li>
  );
}

/** The note's forwards, and the button that forwards it where the municipality takes its category. */
export function Forwarding(props: { note: Note; onForwarded: (forward: Forward) => void }) {
  const note = props.note;
  const loaded = useLoad(
    () =>
      Promise.all([
        ok(api.GET("/api/v1/groups/{group_id}/forwarding", { params: { path: { group_id: note.group_id } } })),
        ok(api.GET("/api/v1/notes/{note_id}/forwards", { params: { path: { note_id: note.id } } })),
      ]),
    [note.id, note.group_id],
  );
  const [subject, setSubject] = useState("");
  const [lat, setLat] = useState("");
  const [lon, setLon] = useState("");
  const action = useAction();
  if (loaded.loading && !loaded.data) return <Loading />;
  if (!loaded.data) return <ErrorView error={loaded.error} onRetry={loaded.reload} />;
  const [target, forwards] = loaded.data;
  if (!target.municipality && forwards.length === 0) return null; // no municipality takes notes from here
  const subjects = target.municipality ? subjectsOf(target.forwardable, note.category) : [];
  const latest = forwards.at(-1);
  const canSend = subjects.length > 0 && (!latest || latest.status === "failed");
  const chosen = subjects.includes(subject) ? subject : subjects[0] ?? "";
  const needsPlace = note.lat === null || note.lon === null;

  const send = async (event: Event) => {
    event.preventDefault();
    let answer: Forward | undefined;
    const sent = await action.run(async () => {
      answer = await ok(
        api.POST("/api/v1/notes/{note_id}/forwards", {
          params: { path: { note_id: note.id } },
          body: {
            ...(chosen ? { subject: chosen } : {}),
            ...(needsPlace && lat.trim() ? { lat: decimal(lat) } : {}),
            ...(needsPlace && lon.trim() ? { lon: decimal(lon) } : {}),
          },
        }),
      );
    });
    if (sent && answer) {
      loaded.reload();
      props.onForwarded(answer);
    }
  };

  return (
    <section aria-labelledby="forward-heading">
      <h2 id="forward-heading">{t("forward.title")}</h2>
      {forwards.length > 0 && (
        <ul class="cards">
          {forwards.map((f) => (
            <ForwardFacts key={f.id} forward={f} />
          ))}
        </ul>
      )}
      {target.municipality && subjects.length === 0 && forwards.length === 0 && (
        <p>{t("forward.notTaken", { municipality: target.municipality })}</p>
      )}
      {canSend && target.municipality && (
        <form class="stack" onSubmit={send}>
          <p>{t("forward.intro", { municipality: target.municipality })}</p>
          {(subjects.length > 1 || chosen !== "") && (
            <label>
              <span>{t("forward.subject")}</span>
              <select value={chosen} onChange={(e) => setSubject(e.currentTarget.value)}>
                {subjects.map((s) => (
                  <option key={s} value={s}>
                    {subjectLabel(s)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {needsPlace && (
            <fieldset>
              <legend>{t("forward.place")}</legend>
              <label>
                <span>{t("forward.lat")}</span>
                <input inputMode="decimal" value={lat} onInput={(e) => setLat(e.currentTarget.value)} />
              </label>
              <label>
                <span>{t("forward.lon")}</span>
                <input inputMode="decimal" value={lon} onInput={(e) => setLon(e.currentTarget.value)} />
              </label>
            </fieldset>
          )}
          <ErrorView error={action.error} />
          <div>
            <button type="submit" disabled={action.busy}>
              {latest?.status === "failed" ? t("forward.again") : t("forward.send")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
