// The anonymous figures per gebied and month: GET /api/v1/areas/{id}/figures (patrols, hours, notes by
// category) and .../alert-stats (alerts and their outcomes), as charts with the same numbers in tables.
import { useState } from "preact/hooks";
import { api, ok, type Schemas } from "../../api/client";
import { ErrorView, Loading, Page } from "../../components/ui";
import { useLoad } from "../../hooks";
import { lang, t, type Key } from "../../i18n";

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

function monthName(month: number): string {
  return new Intl.DateTimeFormat(lang.get() === "en" ? "en-GB" : "nl-NL", { month: "short", timeZone: "UTC" }).format(
    new Date(Date.UTC(2000, month - 1, 15)),
  );
}

/** A bar chart of twelve months; the numbers are in the table beside it, so the picture is decorative. */
function BarChart(props: { values: number[]; title: string; colour: string }) {
  const width = 600;
  const height = 200;
  const top = Math.max(1, ...props.values);
  const step = width / 12;
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height + 24}`} width="100%" aria-hidden="true" focusable="false">
        <line x1="0" y1={height} x2={width} y2={height} stroke="#444" />
        {props.values.map((value, i) => {
          const bar = (value / top) * (height - 20);
          return (
            <g key={i}>
              <rect x={i * step + 6} y={height - bar} width={step - 12} height={bar} fill={props.colour} />
              {value > 0 && (
                <text x={i * step + step / 2} y={height - bar - 4} text-anchor="middle" font-size="12" fill="#1a1a1a">
                  {value}
                </text>
              )}
              <text x={i * step + step / 2} y={height + 16} text-anchor="middle" font-size="12" fill="#1a1a1a">
                {monthName(i + 1)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function Figures() {
  const areas = useLoad(() => ok(api.GET("/api/v1/areas", { params: { query: { page_size: 500 } } })), []);
  const [areaId, setAreaId] = useState<number | null>(null);
  const [year, setYear] = useState(new Date().getFullYear());
  // Each whole year typed is asked for at once ("2" and "20" on the way to "2025" are not).
  const chooseYear = (typed: string) => {
    const value = Number(typed);
    if (Number.isInteger(value) && value >= 2000 && value <= 2100) setYear(value);
  };
  const choices = (areas.data ?? []).filter((a) => a.kind === "municipality" || a.kind === "district");
  const chosen = areaId ?? choices.find((a) => a.kind === "municipality")?.id ?? choices[0]?.id ?? null;
  const categories = useLoad(() => ok(api.GET("/api/v1/note-categories")), []);
  const figures = useLoad(
    () =>
      chosen === null
        ? Promise.resolve(undefined)
        : Promise.all([
            ok(api.GET("/api/v1/areas/{area_id}/figures", { params: { path: { area_id: chosen }, query: { year } } })),
            ok(api.GET("/api/v1/areas/{area_id}/alert-stats", { params: { path: { area_id: chosen }, query: { year } } })),
          ]),
    [chosen, year],
  );
  const label = (code: string) => {
    const found = categories.data?.find((c) => c.code === code)?.label as Record<string, string> | undefined;
    return found?.[lang.get()] ?? found?.nl ?? code;
  };

  return (
    <Page title={t("admin.figures.title")}>
      <p>{t("admin.figures.intro")}</p>
      <form class="grid2" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>{t("admin.figures.area")}</span>
          <select value={chosen === null ? "" : String(chosen)} onChange={(e) => setAreaId(Number(e.currentTarget.value))}>
            {choices.map((a) => (
              <option key={a.id} value={String(a.id)}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("admin.figures.year")}</span>
          <input type="number" min={2000} max={2100} value={year} onInput={(e) => chooseYear(e.currentTarget.value)} />
        </label>
      </form>
      {(areas.loading || figures.loading) && !figures.data && <Loading />}
      <ErrorView error={areas.error ?? figures.error} onRetry={figures.reload} />
      {figures.data && <FigureTables data={figures.data[0]} alerts={figures.data[1]} label={label} />}
    </Page>
  );
}

function FigureTables(props: {
  data: Schemas["AreaFigures"];
  alerts: Schemas["AreaMonth"][];
  label: (code: string) => string;
}) {
  const months = props.data.months;
  const codes = [...new Set(months.flatMap((m) => Object.keys(m.notes.by_category)))].sort();
  const alertsBy = new Map(props.alerts.map((a) => [a.month, a]));
  const outcomes = [...new Set(props.alerts.flatMap((a) => Object.keys(a.outcomes)))].sort();
  return (
    <>
      <p>{t("admin.figures.groups", { area: props.data.area.name, groups: props.data.groups })}</p>
      <div class="charts">
        <BarChart title={t("admin.figures.hoursChart")} values={months.map((m) => Math.round(m.patrols.hours))} colour="#1d4e89" />
        <BarChart title={t("admin.figures.notesChart")} values={months.map((m) => m.notes.total)} colour="#8a4b08" />
      </div>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t("admin.figures.table")}>
        <table>
          <caption>{t("admin.figures.table")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin.figures.month")}</th>
              <th scope="col">{t("admin.figures.planned")}</th>
              <th scope="col">{t("admin.figures.walked")}</th>
              <th scope="col">{t("admin.figures.cancelled")}</th>
              <th scope="col">{t("admin.figures.hours")}</th>
              <th scope="col">{t("admin.figures.volunteers")}</th>
              <th scope="col">{t("admin.figures.notes")}</th>
              {codes.map((code) => (
                <th scope="col" key={code}>
                  {props.label(code)}
                </th>
              ))}
              <th scope="col">{t("admin.figures.alerts")}</th>
              {outcomes.map((o) => (
                <th scope="col" key={o}>
                  {t(`officer.ending.${o}` as Key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {MONTHS.map((month) => {
              const row = months[month - 1];
              const alerts = alertsBy.get(month);
              if (!row) return null;
              return (
                <tr key={month}>
                  <th scope="row">{monthName(month)}</th>
                  <td>{row.patrols.planned}</td>
                  <td>{row.patrols.walked}</td>
                  <td>{row.patrols.cancelled}</td>
                  <td>{row.patrols.hours}</td>
                  <td>{row.patrols.active_volunteers}</td>
                  <td>{row.notes.total}</td>
                  {codes.map((code) => (
                    <td key={code}>{row.notes.by_category[code] ?? 0}</td>
                  ))}
                  <td>{alerts?.alerts ?? 0}</td>
                  {outcomes.map((o) => (
                    <td key={o}>{alerts?.outcomes[o] ?? 0}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
