// The review queue: notes held because they rest on someone's appearance; release them to the group or close them.
import { useState } from "preact/hooks";
import { allPages, api, ok, type Schemas } from "../../api/client";
import { ErrorView, Loading, Notice, Page } from "../../components/ui";
import { formatDateTime } from "../../format";
import { useAction, useLoad } from "../../hooks";
import { lang, t } from "../../i18n";
import { useSignal } from "../../store";

export function Review(props: { groupId: string; groupName: string }) {
  const held = useLoad(
    () =>
      allPages((page) =>
        api.GET("/api/v1/groups/{group_id}/notes", {
          params: { path: { group_id: props.groupId }, query: { held: true, page, page_size: 100 } },
        }),
      ),
    [props.groupId],
  );
  const categories = useLoad(() => ok(api.GET("/api/v1/note-categories")), []);
  const current = useSignal(lang);
  const label = (code: string) => categories.data?.find((c) => c.code === code)?.label[current] ?? code;
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <Page title={t("coord.review.title", { group: props.groupName })}>
      <p>{t("coord.review.intro")}</p>
      <Notice text={notice} />
      <ErrorView error={held.error} onRetry={held.reload} />
      {held.loading && !held.data && <Loading />}
      {held.data?.length === 0 && <p>{t("coord.review.none")}</p>}
      <ul class="cards">
        {held.data?.map((note) => (
          <HeldNote
            key={note.id}
            note={note}
            category={label(note.category)}
            done={(text) => {
              setNotice(text);
              held.reload();
            }}
          />
        ))}
      </ul>
    </Page>
  );
}

function HeldNote(props: { note: Schemas["Note"]; category: string; done: (text: string) => void }) {
  const note = props.note;
  const [reason, setReason] = useState("");
  const action = useAction();
  const decide = async (decision: "release" | "close") => {
    const done = await action.run(() =>
      ok(
        api.POST("/api/v1/notes/{note_id}/review", {
          params: { path: { note_id: note.id } },
          body: { decision, reason },
        }),
      ),
    );
    if (done) props.done(t(decision === "release" ? "coord.review.released" : "coord.review.closed"));
  };
  const field = `reason-${note.id}`;
  return (
    <li class="card">
      <h2>{props.category}</h2>
      <p class="muted">{t("coord.review.by", { name: note.author ?? "—", date: formatDateTime(note.observed_at) })}</p>
      <p class="note-text">{note.what}</p>
      <label for={field}>{t("coord.review.reason")}</label>
      <textarea id={field} rows={2} minLength={3} maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <ErrorView error={action.error} />
      <div class="row">
        <button type="button" disabled={action.busy} onClick={() => decide("release")}>
          {t("coord.review.release")}
        </button>
        <button type="button" class="secondary" disabled={action.busy} onClick={() => decide("close")}>
          {t("coord.review.close")}
        </button>
      </div>
    </li>
  );
}
