// The monthly summaries of every group in the wijkagent's area: GET /api/v1/areas/{id}/summaries/{month}.
import { useState } from "preact/hooks";
import { api, ok, type Schemas } from "../../api/client";
import { ErrorView, Loading, Page } from "../../components/ui";
import { formatDateTime } from "../../format";
import { useLoad } from "../../hooks";
import { lang, t, type Key } from "../../i18n";
import type { Me } from "../../router";
import { AreaChoice } from "./notes";
import { TableBox } from "./table";

type Summary = Schemas["Summary"];

/** Last month, as YYYY-MM: the summary that the 1st of this month sent. */
function lastMonth(): string {
  const now = new Date();
  const then = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${then.getFullYear()}-${String(then.getMonth() + 1).padStart(2, "0")}`;
}

function label(localised: Record<string, string> | undefined, fallback: string): string {
  return localised?.[lang.get()] ?? localised?.nl ?? fallback;
}

export function GroupSummary(props: { summary: Summary }) {
  const s = props.summary;
  const id = `summary-${s.group.id}`;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>
        {s.group.name} <span class="muted">({s.group.area})</span>
      </h2>
      <dl class="facts">
        <dt>{t("officer.summary.patrols")}</dt>
        <dd>
          {t("officer.summary.patrolFigures", {
            planned: s.patrols.planned,
            walked: s.patrols.walked,
            cancelled: s.patrols.cancelled,
          })}
        </dd>
        <dt>{t("officer.summary.hours")}</dt>
        <dd>{t("officer.summary.hoursFigures", { hours: s.patrols.hours, people: s.patrols.active_volunteers })}</dd>
        <dt>{t("officer.summary.notes")}</dt>
        <dd>
          {t("officer.summary.noteFigures", {
            total: s.notes.total,
            previous: s.notes.previous_month_total,
            lastYear: s.notes.same_month_last_year_total,
          })}
        </dd>
        <dt>{t("officer.summary.followUp")}</dt>
        <dd>
          {(["open", "reported", "resolved", "no_action"] as const)
            .map((status) => `${t(`officer.status.${status}` as Key)} ${s.follow_up[status]}`)
            .join(" · ")}
        </dd>
      </dl>
      {s.notes.by_category.length > 0 && (
        <TableBox label={`${t("officer.summary.byCategory")}: ${s.group.name}`}>
<table>
          <caption>{t("officer.summary.byCategory")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("officer.notes.category")}</th>
              <th scope="col">{t("officer.summary.thisMonth")}</th>
              <th scope="col">{t("officer.summary.previousMonth")}</th>
            </tr>
          </thead>
          <tbody>
            {s.notes.by_category.map((row) => (
              <tr key={row.category}>
                <th scope="row">{label(row.label as Record<string, string>, row.category)}</th>
                <td>{row.count}</td>
                <td>{row.previous_month}</td>
              </tr>
            ))}
          </tbody>
        </table>
</TableBox>
      )}
      {s.alerts.length > 0 && (
        <>
          <h3>{t("officer.summary.alerts")}</h3>
          <ul>
            {s.alerts.map((a) => (
              <li key={a.created_at}>
                {formatDateTime(a.created_at)}: {a.headline ?? t(`officer.kind.${a.kind}` as Key)} (
                {a.outcome ? t(`officer.ending.${a.outcome}` as Key) : t(`officer.ending.${a.status}` as Key)})
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function Summaries(props: { me: Me }) {
  const [areaId, setAreaId] = useState(props.me.officer_areas[0]?.id ?? 0);
  const [month, setMonth] = useState(lastMonth());
  const summaries = useLoad(
    () => ok(api.GET("/api/v1/areas/{area_id}/summaries/{month}", { params: { path: { area_id: areaId, month } } })),
    [areaId, month],
  );
  return (
    <Page title={t("officer.summaries.title")}>
      <form class="grid2" onSubmit={(e) => e.preventDefault()}>
        <AreaChoice me={props.me} value={areaId} onChange={setAreaId} />
        <label>
          <span>{t("officer.summaries.month")}</span>
          <input type="month" value={month} required onInput={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />
        </label>
      </form>
      {summaries.loading && !summaries.data && <Loading />}
      <ErrorView error={summaries.error} onRetry={summaries.reload} />
      {summaries.data &&
        (summaries.data.length === 0 ? (
          <p>{t("officer.summaries.none")}</p>
        ) : (
          summaries.data.map((summary) => <GroupSummary key={summary.group.id} summary={summary} />)
        ))}
    </Page>
  );
}
