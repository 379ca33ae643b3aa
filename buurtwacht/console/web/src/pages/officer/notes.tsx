// The wijkagent's shared notes: what the groups of an area shared with the police, on a list and a map.
// GET /api/v1/areas/{id}/shared-notes: every note read here is in the audit log, as the page says.
import { useMemo, useState } from "preact/hooks";
import { api, ok, type Schemas } from "../../api/client";
import { ErrorView, Loading, Page } from "../../components/ui";
import { formatDateTime } from "../../format";
import { useLoad } from "../../hooks";
import { lang, t, type Key } from "../../i18n";
import type { Me } from "../../router";
import { MapView, type Marker } from "../../components/map";
import { useFitted } from "./fit";

type Note = Schemas["Note"];
const PAGE = 100;
export const EMMEN: [number, number] = [52.7858, 6.8975];

export function categoryLabel(categories: Schemas["Category"][] | undefined, code: string): string {
  const found = categories?.find((c) => c.code === code);
  const label = found?.label as Record<string, string> | undefined;
  return label?.[lang.get()] ?? label?.nl ?? code;
}

export function AreaChoice(props: { me: Me; value: number; onChange: (id: number) => void; id?: string }) {
  return (
    <label>
      <span>{t("officer.area")}</span>
      <select id={props.id} value={String(props.value)} onChange={(e) => props.onChange(Number(e.currentTarget.value))}>
        {props.me.officer_areas.map((area) => (
          <option key={area.id} value={String(area.id)}>
            {area.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SharedNotes(props: { me: Me }) {
  const [areaId, setAreaId] = useState(props.me.officer_areas[0]?.id ?? 0);
  const [category, setCategory] = useState("");
  const [groupId, setGroupId] = useState("");
  const [page, setPage] = useState(1);
  const categories = useLoad(() => ok(api.GET("/api/v1/note-categories")), []);
  const groups = useLoad(() => ok(api.GET("/api/v1/groups", { params: { query: { page_size: 100 } } })), []);
  const notes = useLoad(
    () =>
      ok(
        api.GET("/api/v1/areas/{area_id}/shared-notes", {
          params: {
            path: { area_id: areaId },
            query: {
              page,
              page_size: PAGE,
              ...(category ? { category: category as Schemas["CategoryRow"]["category"] } : {}),
              ...(groupId ? { group_id: groupId } : {}),
            },
          },
        }),
      ),
    [areaId, category, groupId, page],
  );
  const groupName = (id: string) => groups.data?.find((g) => g.id === id)?.name ?? "";
  const markers: Marker[] = useMemo(
    () =>
      (notes.data ?? [])
        .filter((n): n is Note & { lat: number; lon: number } => n.lat !== null && n.lon !== null)
        .map((n) => ({ lat: n.lat, lng: n.lon, label: `${categoryLabel(categories.data, n.category)}: ${n.what}` })),
    [notes.data, categories.data],
  );
  const area = props.me.officer_areas.find((a) => a.id === areaId);
  const fit = useFitted(markers);
  const change = (apply: () => void) => {
    apply();
    setPage(1);
  };

  return (
    <Page title={t("officer.notes.title")}>
      <p>{t("officer.notes.audited")}</p>
      <form class="grid2" onSubmit={(e) => e.preventDefault()}>
        <AreaChoice me={props.me} value={areaId} onChange={(id) => change(() => setAreaId(id))} />
        <label>
          <span>{t("officer.notes.category")}</span>
          <select value={category} onChange={(e) => change(() => setCategory(e.currentTarget.value))}>
            <option value="">{t("officer.all")}</option>
            {(categories.data ?? [])
              .filter((c) => c.recordable)
              .map((c) => (
                <option key={c.code} value={c.code}>
                  {categoryLabel(categories.data, c.code)}
                </option>
              ))}
          </select>
        </label>
        <label>
          <span>{t("officer.notes.group")}</span>
          <select value={groupId} onChange={(e) => change(() => setGroupId(e.currentTarget.value))}>
            <option value="">{t("officer.all")}</option>
            {(groups.data ?? []).map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
      </form>
      {notes.loading && !notes.data ? <Loading /> : null}
      <ErrorView error={notes.error} onRetry={notes.reload} />
      {notes.data && (
        <>
          <h2>{t("officer.notes.map")}</h2>
          <MapView
            label={t("officer.notes.mapLabel", { area: area?.name ?? "", count: markers.length })}
            center={EMMEN}
            zoom={12}
            markers={markers}
            onMap={fit.onMap}
          />
          <h2>{t("officer.notes.list", { count: notes.data.length })}</h2>
          {notes.data.length === 0 ? (
            <p>{t("officer.notes.none")}</p>
          ) : (
            <ul class="cards">
              {notes.data.map((note) => (
                <li key={note.id} class="card">
                  <h3>{categoryLabel(categories.data, note.category)}</h3>
                  <p>{note.what}</p>
                  <dl class="facts">
                    <dt>{t("officer.notes.when")}</dt>
                    <dd>{formatDateTime(note.observed_at)}</dd>
                    <dt>{t("officer.notes.where")}</dt>
                    <dd>
                      {note.street ?? (note.lat !== null ? `${note.lat.toFixed(4)}, ${note.lon?.toFixed(4)}` : "–")}
                    </dd>
                    <dt>{t("officer.notes.group")}</dt>
                    <dd>{groupName(note.group_id)}</dd>
                    <dt>{t("officer.notes.author")}</dt>
                    <dd>{note.author ?? "–"}</dd>
                    <dt>{t("officer.notes.status")}</dt>
                    <dd>{t(`officer.status.${note.status}` as Key)}</dd>
                  </dl>
                </li>
              ))}
            </ul>
          )}
          <div class="row">
            {page > 1 && (
              <button type="button" onClick={() => setPage(page - 1)}>
                {t("officer.previous")}
              </button>
            )}
            {notes.data.length === PAGE && (
              <button type="button" onClick={() => setPage(page + 1)}>
                {t("officer.next")}
              </button>
            )}
          </div>
        </>
      )}
    </Page>
  );
}
