// The group's notes for its coordinator: filtered by follow-up, category and period, on a map and in a list
// (a page at a time), a CSV export, and each note's page: its photos, its follow-up (status with a reason, comments,
// sharing with the police) and its forward to the municipality (./forward.tsx).
import { useMemo, useState } from "preact/hooks";
import { ApiError, api, ok, type Schemas } from "../../api/client";
import { MapView, type Marker } from "../../components/map";
import { Photos } from "../../components/photos";
import { ErrorView, Loading, Notice, Page } from "../../components/ui";
import { formatDateTime } from "../../format";
import { useAction, useLoad } from "../../hooks";
import { t, type Key } from "../../i18n";
import { href, navigate, query } from "../../router";
import { categoryLabel, EMMEN } from "../officer/notes";
import { useFitted } from "../officer/fit";
import { addDays } from "./days";
import { Forwarding } from "./forward";
import "./notes.css";

type Note = Schemas["Note"];
type Action = ReturnType<typeof useAction>;
type Status = Note["status"];
type Category = Note["category"];
const STATUSES: Status[] = ["open", "reported", "resolved", "no_action"];
const PAGE_SIZE = 25;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Where a status may go next (POST /api/v1/notes/{id}/status answers 409 otherwise). */
const NEXT: Record<Status, Status[]> = {
  open: ["reported", "resolved", "no_action"],
  reported: ["resolved", "no_action"],
  resolved: [],
  no_action: [],
};

interface Filters {
  status: Status | "";
  category: Category | "";
  from: string;
  to: string;
  page: number;
}

function readFilters(): Filters {
  const q = query();
  const status = q.get("status") ?? "";
  const from = q.get("from") ?? "";
  const to = q.get("to") ?? "";
  return {
    status: (STATUSES as string[]).includes(status) ? (status as Status) : "",
    category: (q.get("category") ?? "") as Category | "",
    from: DAY.test(from) ? from : "",
    to: DAY.test(to) ? to : "",
    page: Math.max(1, Number(q.get("page")) || 1),
  };
}

/** The API's filters: local days as Europe/Amsterdam midnights (times without an offset are read so). */
function apiFilters(f: Filters) {
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.from ? { from: `${f.from}T00:00:00` } : {}),
    ...(f.to ? { to: `${addDays(f.to, 1)}T00:00:00` } : {}),
  };
}

function where(note: Note): string {
  if (note.street) return note.street;
  if (note.lat !== null && note.lon !== null) return `${note.lat.toFixed(4)}, ${note.lon.toFixed(4)}`;
  return "–";
}

export function statusLabel(status: Status): string {
  return t(`notes.status.${status}` as Key);
}

/** A labelled drop-down of [value, text] choices. */
function Choice(props: { label: string; value: string; choices: [string, string][]; onChange: (value: string) => void }) {
  return (
    <label>
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.choices.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Notes(props: { groupId: string; groupName: string }) {
  const filters = readFilters();
  const categories = useLoad(() => ok(api.GET("/api/v1/note-categories")), []);
  const notes = useLoad(async () => {
    const result = await api
      .GET("/api/v1/groups/{group_id}/notes", {
        params: {
          path: { group_id: props.groupId },
          query: { ...apiFilters(filters), page: filters.page, page_size: PAGE_SIZE },
        },
      })
      .catch(() => {
        throw new ApiError(0, t("app.networkError"));
      });
    const rows = await ok(Promise.resolve(result));
    const header = result.response.headers.get("X-Pagination");
    const paging = header ? (JSON.parse(header) as { total?: number; total_pages?: number }) : {};
    return { rows, total: paging.total ?? rows.length, pages: paging.total_pages ?? 1 };
  }, [props.groupId, filters.status, filters.category, filters.from, filters.to, filters.page]);
  const markers: Marker[] = useMemo(
    () =>
      (notes.data?.rows ?? [])
        .filter((n): n is Note & { lat: number; lon: number } => n.lat !== null && n.lon !== null)
        .map((n) => ({ lat: n.lat, lng: n.lon, label: `${categoryLabel(categories.data, n.category)}: ${n.what}` })),
    [notes.data, categories.data],
  );
  const fit = useFitted(markers);
  const exporting = useAction();
  const [exported, setExported] = useState<string | null>(null);

  const go = (change: Partial<Filters>) => {
    const next = { ...filters, page: 1, ...change };
    const params = new URLSearchParams();
    if (next.status) params.set("status", next.status);
    if (next.category) params.set("category", next.category);
    if (next.from) params.set("from", next.from);
    if (next.to) params.set("to", next.to);
    if (next.page > 1) params.set("page", String(next.page));
    const search = params.toString();
    navigate(`/groups/${props.groupId}/notes${search ? `?${search}` : ""}`);
  };

  // The export needs the Bearer token, so it is fetched here and handed to the browser as a file.
  const download = () =>
    exporting.run(async () => {
      const result = await api.GET("/api/v1/groups/{group_id}/notes/export", {
        params: { path: { group_id: props.groupId }, query: apiFilters(filters) },
        parseAs: "blob",
      });
      const blob = await ok(Promise.resolve(result));
      const disposition = result.response.headers.get("Content-Disposition") ?? "";
      const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? "notes.csv";
      const url = URL.createObjectURL(blob as Blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported(t("notes.exported", { name }));
    });

  return (
    <Page title={t("notes.title", { group: props.groupName })}>
      <form class="grid2" aria-label={t("notes.filters")} onSubmit={(e) => e.preventDefault()}>
        <Choice
          label={t("notes.filter.status")}
          value={filters.status}
          choices={[["", t("notes.all")], ...STATUSES.map((s): [string, string] => [s, statusLabel(s)])]}
          onChange={(value) => go({ status: value as Status | "" })}
        />
        <Choice
          label={t("notes.filter.category")}
          value={filters.category}
          choices={[
            ["", t("notes.all")],
            ...(categories.data ?? [])
              .filter((c) => c.recordable)
              .map((c): [string, string] => [c.code, categoryLabel(categories.data, c.code)]),
          ]}
          onChange={(value) => go({ category: value as Category | "" })}
        />
        <label>
          <span>{t("notes.filter.from")}</span>
          <input type="date" value={filters.from} onChange={(e) => go({ from: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t("notes.filter.to")}</span>
          <input type="date" value={filters.to} onChange={(e) => go({ to: e.currentTarget.value })} />
        </label>
      </form>
      <div class="row notes-actions">
        <button type="button" class="secondary" disabled={exporting.busy} onClick={download}>
          {t("notes.export")}
        </button>
        <a href={href(`/groups/${props.groupId}/notes`)}>{t("notes.clear")}</a>
      </div>
      <ErrorView error={exporting.error} />
      <Notice text={exported} />
      {notes.loading && !notes.data && <Loading />}
      <ErrorView error={notes.error} onRetry={notes.reload} />
      {notes.data && (
        <>
          <h2>{t("notes.map")}</h2>
          <MapView
            label={t("notes.mapLabel", { count: markers.length })}
            center={EMMEN}
            zoom={12}
            markers={markers}
            onMap={fit.onMap}
          />
          <h2>{t("notes.list", { count: notes.data.total })}</h2>
          {notes.data.rows.length === 0 ? (
            <p>{t("notes.none")}</p>
          ) : (
            <ul class="cards">
              {notes.data.rows.map((note) => (
                <li key={note.id} class="card">
                  <h3>
                    <a href={href(`/notes/${note.id}`)}>
                      {categoryLabel(categories.data, note.category)}, {formatDateTime(note.observed_at)}
                    </a>
                  </h3>
                  <p class="note-text">{note.what}</p>
                  <p class="row">
                    <span class="badge open">{statusLabel(note.status)}</span>
                    {note.shared_with_police && <span class="badge full">{t("notes.shared")}</span>}
                    {note.held && <span class="badge waiting">{t("notes.held")}</span>}
                    <span class="muted">
                      {where(note)} · {note.author ?? "–"}
                    </span>
                  </p>
                </li>
              ))}
            </ul>
          )}
          {notes.data.pages > 1 && (
            <nav class="row" aria-label={t("notes.pages")}>
              {filters.page > 1 && (
                <button type="button" class="secondary" onClick={() => go({ page: filters.page - 1 })}>
                  {t("notes.previous")}
                </button>
              )}
              <span>{t("notes.pageOf", { page: filters.page, pages: notes.data.pages })}</span>
              {filters.page < notes.data.pages && (
                <button type="button" class="secondary" onClick={() => go({ page: filters.page + 1 })}>
                  {t("notes.next")}
                </button>
              )}
            </nav>
          )}
        </>
      )}
    </Page>
  );
}

export function NotePage(props: { noteId: string; groupName: (groupId: string) => string }) {
  const loaded = useLoad(
    () => ok(api.GET("/api/v1/notes/{note_id}", { params: { path: { note_id: props.noteId } } })),
    [props.noteId],
  );
  const categories = useLoad(() => ok(api.GET("/api/v1/note-categories")), []);
  const [changed, setChanged] = useState<Note | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const note = changed ?? loaded.data;
  const done = (text: string) => (next: Note) => {
    setChanged(next);
    setNotice(text);
  };
  // The forward's answer is its own record; the note is read again for the history line it added.
  const forwarded = (forward: Schemas["Forward"]) => {
    setNotice(t("forward.queuedNotice", { municipality: forward.municipality }));
    void ok(api.GET("/api/v1/notes/{note_id}", { params: { path: { note_id: props.noteId } } })).then(setChanged, loaded.reload);
  };
  const title = note ? t("notes.note.title", { category: categoryLabel(categories.data, note.category) }) : t("notes.note.loading");
  return (
    <Page title={title}>
      {note && (
        <p>
          <a href={href(`/groups/${note.group_id}/notes`)}>{t("notes.back", { group: props.groupName(note.group_id) })}</a>
        </p>
      )}
      <Notice text={notice} />
      {loaded.loading && !note && <Loading />}
      <ErrorView error={loaded.error} onRetry={loaded.reload} />
      {note && (
        <>
          <p class="note-text">{note.what}</p>
          <dl class="facts">
            <dt>{t("notes.when")}</dt>
            <dd>{formatDateTime(note.observed_at)}</dd>
            <dt>{t("notes.where")}</dt>
            <dd>{where(note)}</dd>
            <dt>{t("notes.author")}</dt>
            <dd>{note.author ?? "–"}</dd>
            <dt>{t("notes.filter.status")}</dt>
            <dd>{statusLabel(note.status)}</dd>
            <dt>{t("notes.police")}</dt>
            <dd>{note.shared_with_police ? t("notes.sharedYes") : t("notes.sharedNo")}</dd>
          </dl>
          {note.lat !== null && note.lon !== null && (
            <MapView
              label={t("notes.note.mapLabel")}
              center={[note.lat, note.lon]}
              zoom={16}
              markers={[{ lat: note.lat, lng: note.lon, label: where(note) }]}
            />
          )}
          {note.photo_ids.length > 0 && (
            <>
              <h2>{t("photos.title", { count: note.photo_ids.length })}</h2>
              <Photos
                label={t("photos.title", { count: note.photo_ids.length })}
                sources={note.photo_ids.map((photoId, i) => ({
                  key: photoId,
                  alt: t("photos.alt", { number: i + 1, count: note.photo_ids.length }),
                  load: () => photoBlob(note.id, photoId),
                }))}
              />
            </>
          )}
          <h2>{t("notes.followUp")}</h2>
          <StatusForm note={note} done={done(t("notes.statusChanged"))} />
          <Share note={note} done={done(t("notes.sharedDone"))} />
          <Forwarding note={note} onForwarded={forwarded} />
          <h2>{t("notes.comments")}</h2>
          {note.comments.length === 0 ? (
            <p>{t("notes.noComments")}</p>
          ) : (
            <ul class="cards">
              {note.comments.map((c) => (
                <li key={c.id} class="card">
                  <p class="note-text">{c.text}</p>
                  <p class="muted">{t("notes.byAt", { name: c.author ?? "–", date: formatDateTime(c.created_at) })}</p>
                </li>
              ))}
            </ul>
          )}
          <CommentForm note={note} done={done(t("notes.commented"))} />
          <h2>{t("notes.history")}</h2>
          <ol class="history">
            {note.history.map((h, i) => (
              <li key={i}>
                <strong>{historyText(h)}</strong>{" "}
                <span class="muted">{t("notes.byAt", { name: h.by ?? "–", date: formatDateTime(h.at) })}</span>
                {h.reason && <div>{t("notes.reasonWas", { reason: h.reason })}</div>}
              </li>
            ))}
          </ol>
        </>
      )}
    </Page>
  );
}

/** A photo, fetched with the token (an <img> cannot send it). */
async function photoBlob(noteId: string, photoId: string): Promise<Blob> {
  const blob = await ok(
    api.GET("/api/v1/notes/{note_id}/photos/{photo_id}", {
      params: { path: { note_id: noteId, photo_id: photoId } },
      parseAs: "blob",
    }),
  );
  return blob as Blob;
}

function historyText(h: Schemas["History"]): string {
  if (h.kind === "status" && h.from_status && h.to_status)
    return t("notes.kind.statusFromTo", { from: statusLabel(h.from_status), to: statusLabel(h.to_status) });
  return t(`notes.kind.${h.kind}` as Key);
}

/** A change of the note through `action` (busy, its error shown); the API's answer goes to `then` when it worked. */
async function changeNote(action: Action, call: () => Promise<Note>, then: (note: Note) => void): Promise<void> {
  let answer: Note | undefined;
  const worked = await action.run(async () => {
    answer = await call();
  });
  if (worked && answer) then(answer);
}

function StatusForm(props: { note: Note; done: (note: Note) => void }) {
  const choices = NEXT[props.note.status];
  const [status, setStatus] = useState<Status | "">("");
  const [reason, setReason] = useState("");
  const action = useAction();
  if (choices.length === 0) return <p>{t("notes.final")}</p>;
  const chosen = status && choices.includes(status) ? status : choices[0]!;
  const submit = (e: Event) => {
    e.preventDefault();
    const call = () =>
      ok(
        api.POST("/api/v1/notes/{note_id}/status", {
          params: { path: { note_id: props.note.id } },
          body: { status: chosen, reason },
        }),
      );
    return changeNote(action, call, (answer) => {
      setReason("");
      setStatus("");
      props.done(answer);
    });
  };
  return (
    <form class="stack" onSubmit={submit}>
      <h3>{t("notes.changeStatus")}</h3>
      <Choice
        label={t("notes.newStatus")}
        value={chosen}
        choices={choices.map((s): [string, string] => [s, statusLabel(s)])}
        onChange={(value) => setStatus(value as Status)}
      />
      <label>
        <span>{t("notes.reason")}</span>
        <textarea rows={2} required minLength={3} maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <ErrorView error={action.error} />
      <div>
        <button type="submit" disabled={action.busy}>
          {t("notes.saveStatus")}
        </button>
      </div>
    </form>
  );
}

function Share(props: { note: Note; done: (note: Note) => void }) {
  const action = useAction();
  if (props.note.shared_with_police) return <p>{t("notes.alreadyShared")}</p>;
  const share = () =>
    changeNote(
      action,
      () => ok(api.POST("/api/v1/notes/{note_id}/share", { params: { path: { note_id: props.note.id } } })),
      props.done,
    );
  return (
    <div class="stack">
      <h3>{t("notes.shareTitle")}</h3>
      <p>{t("notes.shareIntro")}</p>
      <ErrorView error={action.error} />
      <div>
        <button type="button" disabled={action.busy} onClick={share}>
          {t("notes.share")}
        </button>
      </div>
    </div>
  );
}

function CommentForm(props: { note: Note; done: (note: Note) => void }) {
  const [text, setText] = useState("");
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const call = () =>
      ok(api.POST("/api/v1/notes/{note_id}/comments", { params: { path: { note_id: props.note.id } }, body: { text } }));
    return changeNote(action, call, (answer) => {
      setText("");
      props.done(answer);
    });
  };
  return (
    <form class="stack" onSubmit={submit}>
      <label>
        <span>{t("notes.comment")}</span>
        <textarea rows={3} required maxLength={4000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <ErrorView error={action.error} />
      <div>
        <button type="submit" disabled={action.busy}>
          {t("notes.addComment")}
        </button>
      </div>
    </form>
  );
}
