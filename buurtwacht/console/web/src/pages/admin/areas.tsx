// The municipality's area tree: each area with its wijkagenten (assign, remove) and, for a wijk or dorp,
// its groups and a form to add one with its first coordinator.
import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import { api, ok, type Schemas } from "../../api/client";
import { ErrorView, Loading, Notice, Page } from "../../components/ui";
import { useAction, useLoad, type Loaded } from "../../hooks";
import { t, type Key } from "../../i18n";
import { href, query } from "../../router";
import { TableBox } from "../officer/table";

type Area = Schemas["Area"];

function Tree(props: { areas: Area[]; parent: number | null; selected: number | null }) {
  const children = props.areas.filter((a) => a.parent_id === props.parent);
  if (children.length === 0) return null;
  return (
    <ul class="tree">
      {children.map((area) => (
        <li key={area.id}>
          <a href={href(`/admin/areas?area=${area.id}`)} aria-current={props.selected === area.id ? "true" : undefined}>
            {area.name}
          </a>{" "}
          <span class="muted">{t(`admin.kind.${area.kind}` as Key)}</span>
          <Tree areas={props.areas} parent={area.id} selected={props.selected} />
        </li>
      ))}
    </ul>
  );
}

export function AreaTree() {
  const areas = useLoad(() => ok(api.GET("/api/v1/areas", { params: { query: { page_size: 500 } } })), []);
  const chosen = Number(query().get("area")) || null;
  const selected = useMemo(() => areas.data?.find((a) => a.id === chosen) ?? null, [areas.data, chosen]);
  return (
    <Page title={t("admin.areas.title")}>
      {areas.loading && <Loading />}
      <ErrorView error={areas.error} onRetry={areas.reload} />
      {areas.data && (
        <div class="split">
          <nav aria-label={t("admin.areas.tree")} class="tree-box">
            <Tree areas={areas.data} parent={null} selected={chosen} />
          </nav>
          <div>
            {selected ? <AreaPanel key={selected.id} area={selected} /> : <p>{t("admin.areas.choose")}</p>}
          </div>
        </div>
      )}
    </Page>
  );
}

function AreaPanel(props: { area: Area }) {
  const forGroups = props.area.kind === "neighbourhood" || props.area.kind === "village";
  return (
    <section aria-labelledby="area-heading">
      <h2 id="area-heading">
        {props.area.name} <span class="muted">({t(`admin.kind.${props.area.kind}` as Key)})</span>
      </h2>
      <Officers area={props.area} />
      {forGroups && <Groups area={props.area} />}
    </section>
  );
}

/** A list under its heading: the last change's notice, loading, the API's error, "none", or the rows. */
function Listing<T>(props: {
  title: string;
  none: string;
  notice: string | null;
  loaded: Loaded<T[]>;
  children: (rows: T[]) => ComponentChildren;
}) {
  const { data, error, loading, reload } = props.loaded;
  return (
    <>
      <h3>{props.title}</h3>
      <Notice text={props.notice} />
      {loading && !data && <Loading />}
      <ErrorView error={error} onRetry={reload} />
      {data && (data.length === 0 ? <p>{props.none}</p> : props.children(data))}
    </>
  );
}

/** A person's name and e-mail address, as the API takes them for a wijkagent or a first coordinator. */
function PersonFields(props: { name: string; email: string; setName: (v: string) => void; setEmail: (v: string) => void }) {
  return (
    <>
      <label>
        <span>{t("admin.person.name")}</span>
        <input required maxLength={120} value={props.name} autoComplete="off" onInput={(e) => props.setName(e.currentTarget.value)} />
      </label>
      <label>
        <span>{t("admin.person.email")}</span>
        <input
          required
          type="email"
          maxLength={254}
          value={props.email}
          autoComplete="off"
          onInput={(e) => props.setEmail(e.currentTarget.value)}
        />
      </label>
    </>
  );
}

function Officers(props: { area: Area }) {
  const path = { path: { area_id: props.area.id } };
  const officers = useLoad(() => ok(api.GET("/api/v1/areas/{area_id}/officers", { params: path })), [props.area.id]);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  async function assign(event: Event) {
    event.preventDefault();
    if (await action.run(() => ok(api.POST("/api/v1/areas/{area_id}/officers", { params: path, body: { email, display_name: name } })))) {
      setNotice(t("admin.officers.assigned", { name }));
      setEmail("");
      setName("");
      officers.reload();
    }
  }

  async function remove(officer: Schemas["Officer"]) {
    const done = await action.run(() =>
      ok(api.DELETE("/api/v1/areas/{area_id}/officers/{person_id}", { params: { path: { area_id: props.area.id, person_id: officer.person_id } } })),
    );
    if (done) {
      setNotice(t("admin.officers.removed", { name: officer.display_name }));
      officers.reload();
    }
  }

  return (
    <>
      <Listing title={t("admin.officers.title")} none={t("admin.officers.none")} notice={notice} loaded={officers}>
        {(rows) => (
          <ul>
            {rows.map((officer) => (
              <li key={officer.person_id}>
                {officer.display_name}{" "}
                <button type="button" disabled={action.busy} onClick={() => remove(officer)}>
                  {t("admin.officers.remove", { name: officer.display_name })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Listing>
      <form onSubmit={assign} class="stack" aria-labelledby={`assign-${props.area.id}`}>
        <h4 id={`assign-${props.area.id}`}>{t("admin.officers.assign")}</h4>
        <PersonFields name={name} email={email} setName={setName} setEmail={setEmail} />
        <ErrorView error={action.error} />
        <button type="submit" disabled={action.busy}>
          {t("admin.officers.assignButton")}
        </button>
      </form>
    </>
  );
}

function Groups(props: { area: Area }) {
  const groups = useLoad(
    () => ok(api.GET("/api/v1/groups", { params: { query: { area_id: props.area.id, page_size: 100 } } })),
    [props.area.id],
  );
  const [groupName, setGroupName] = useState("");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  async function add(event: Event) {
    event.preventDefault();
    const body = { name: groupName, area_id: props.area.id, coordinator: { email, display_name: name } };
    if (await action.run(() => ok(api.POST("/api/v1/groups", { body })))) {
      setNotice(t("admin.groups.added", { name: groupName }));
      setGroupName("");
      setName("");
      setEmail("");
      groups.reload();
    }
  }

  return (
    <>
      <Listing title={t("admin.groups.title")} none={t("admin.groups.none")} notice={notice} loaded={groups}>
        {(rows) => (
          <TableBox label={t("admin.groups.title")}>
            <table>
              <caption class="sr-only">{t("admin.groups.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("admin.groups.name")}</th>
                  <th scope="col">{t("admin.groups.coordinators")}</th>
                  <th scope="col">{t("admin.groups.members")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((group) => (
                  <tr key={group.id}>
                    <td>{group.name}</td>
                    <td>{group.coordinators.join(", ") || "–"}</td>
                    <td>{group.member_count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
        )}
      </Listing>
      <form onSubmit={add} class="stack" aria-labelledby={`add-group-${props.area.id}`}>
        <h4 id={`add-group-${props.area.id}`}>{t("admin.groups.add")}</h4>
        <label>
          <span>{t("admin.groups.name")}</span>
          <input required maxLength={120} value={groupName} onInput={(e) => setGroupName(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>{t("admin.groups.firstCoordinator")}</legend>
          <PersonFields name={name} email={email} setName={setName} setEmail={setEmail} />
        </fieldset>
        <ErrorView error={action.error} />
        <button type="submit" disabled={action.busy}>
          {t("admin.groups.addButton")}
        </button>
      </form>
    </>
  );
}
