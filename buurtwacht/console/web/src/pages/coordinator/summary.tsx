// The group's monthly summary (maandoverzicht) for any month: GET /api/v1/groups/{id}/summaries/{YYYY-MM}, the
// same numbers as the e-mail of the 1st, as headings and tables with a bar chart of the notes by category;
// "send now" e-mails it again to the coordinators and the wijkagent (POST .../summaries/{month}/send).
import { useState } from "preact/hooks";
import { api, ok, type Schemas } from "../../api/client";
import { ErrorView, Loading, Notice, Page } from "../../components/ui";
import { formatDateTime, localDay } from "../../format";
import { useAction, useLoad } from "../../hooks";
import { lang, t, type Key } from "../../i18n";
import { query } from "../../router";
import "./summary.css";

/** The month before this one (YYYY-MM, Europe/Amsterdam): the last whole month, the one the e-mail was about. */
export function lastMonth(): string {
  const [year, month] = localDay(new Date()).split("-").map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
}

function monthTitle(month: string): string {
  const [year, number] = month.split("-").map(Number) as [number, number];
  return new Intl.DateTimeFormat(lang.get() === "en" ? "en-GB" : "nl-NL", {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(year, number - 1, 15)));
}

function label(value: Record<string, string>): string {
  return value[lang.get()] ?? value.nl ?? "";
}

const number = (value: number) => new Intl.NumberFormat(lang.get() === "en" ? "en-GB" : "nl-NL").format(value);

/** Rows of a label and a number, as a two-column table with a caption. */
function Figures(props: { caption?: string; labelledBy?: string; rows: [string, string | number][] }) {
  return (
    <table class="figures" aria-labelledby={props.labelledBy}>
      {props.caption && <caption>{props.caption}</caption>}
      <tbody>
        {props.rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{typeof value === "number" ? number(value) : value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Horizontal bars, one per category; the same numbers are in the table below it, so the picture is decorative. */
function BarChart(props: { title: string; rows: { name: string; value: number }[] }) {
  const width = 600;
  const bar = 26;
  const labelWidth = 230;
  const top = Math.max(1, ...props.rows.map((r) => r.value));
  const height = props.rows.length * (bar + 8) + 4;
  return (
    <figure class="chart-summary">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" aria-hidden="true" focusable="false">
        {props.rows.map((row, i) => {
          const y = i * (bar + 8) + 4;
          const length = (row.value / top) * (width - labelWidth - 50);
          return (
            <g key={row.name}>
              <text x={labelWidth - 8} y={y + bar / 2 + 5} text-anchor="end" font-size="15" fill="#1a1a1a">
                {row.name.length > 28 ? `${row.name.slice(0, 27)}…` : row.name}
              </text>
              <rect x={labelWidth} y={y} width={length} height={bar} fill="#8a4b08" />
              <text x={labelWidth + length + 6} y={y + bar / 2 + 5} font-size="15" fill="#1a1a1a">
                {row.value}
              </text>
            </g>
          );
        })}
        <line x1={labelWidth} y1="0" x2={labelWidth} y2={height} stroke="#444" />
      </svg>
    </figure>
  );
}

export function Summary(props: { groupId: string; groupName: string }) {
  const [month, setMonth] = useState(() => {
    const asked = query().get("month") ?? "";
    return /^\d{4}-\d{2}$/.test(asked) ? asked : lastMonth();
  });
  const [sent, setSent] = useState<string | null>(null);
  const summary = useLoad(
    () =>
      ok(
        api.GET("/api/v1/groups/{group_id}/summaries/{month}", {
          params: { path: { group_id: props.groupId, month } },
        }),
      ),
    [props.groupId, month],
  );
  const send = useAction();
  const sendNow = async () => {
    setSent(null);
    let queued = 0;
    const done = await send.run(async () => {
      queued = (
        await ok(
          api.POST("/api/v1/groups/{group_id}/summaries/{month}/send", {
            params: { path: { group_id: props.groupId, month } },
          }),
        )
      ).queued;
    });
    if (done) setSent(t("summary.sent", { count: queued, month: monthTitle(month) }));
  };
  return (
    <Page title={t("summary.title", { group: props.groupName })}>
      <p>{t("summary.intro")}</p>
      <form class="row month-pick" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("summary.month")}
          <input
            type="month"
            required
            min="2000-01"
            max="2999-12"
            value={month}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (/^\d{4}-\d{2}$/.test(value)) {
                setSent(null);
                setMonth(value);
              }
            }}
          />
        </label>
      </form>
      {summary.loading && !summary.data && <Loading />}
      <ErrorView error={summary.error} onRetry={summary.reload} />
      {summary.data && summary.data.month === month && <SummaryView data={summary.data} />}
      {summary.data && (
        <section aria-labelledby="summary-send">
          <h2 id="summary-send">{t("summary.send.title")}</h2>
          <p>{t("summary.send.intro", { month: monthTitle(month) })}</p>
          <div class="row">
            <button type="button" onClick={sendNow} disabled={send.busy}>
              {t("summary.send.button")}
            </button>
          </div>
          <ErrorView error={send.error} />
          <Notice text={sent} />
        </section>
      )}
    </Page>
  );
}

function SummaryView(props: { data: Schemas["Summary"] }) {
  const d = props.data;
  const categories = d.notes.by_category;
  return (
    <>
      <h2>{monthTitle(d.month)}</h2>
      <p>{t("summary.groupIn", { group: d.group.name, area: d.group.area })}</p>

      <h3 id="summary-patrols">{t("summary.patrols")}</h3>
      <Figures
        labelledBy="summary-patrols"
        rows={[
          [t("summary.planned"), d.patrols.planned],
          [t("summary.walked"), d.patrols.walked],
          [t("summary.cancelled"), d.patrols.cancelled],
          [t("summary.hours"), d.patrols.hours],
          [t("summary.volunteers"), d.patrols.active_volunteers],
        ]}
      />

      <h3>{t("summary.notes")}</h3>
      <Figures
        caption={t("summary.notesTotals")}
        rows={[
          [t("summary.thisMonth"), d.notes.total],
          [t("summary.previousMonth"), d.notes.previous_month_total],
          [t("summary.lastYear"), d.notes.same_month_last_year_total],
        ]}
      />
      {categories.length === 0 ? (
        <p>{t("summary.noNotes")}</p>
      ) : (
        <>
          <BarChart
            title={t("summary.chart")}
            rows={categories.map((c) => ({ name: label(c.label), value: c.count }))}
          />
          <div class="table-wrap" tabIndex={0} role="region" aria-label={t("summary.byCategory")}>
            <table>
              <caption>{t("summary.byCategory")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("summary.category")}</th>
                  <th scope="col">{t("summary.thisMonth")}</th>
                  <th scope="col">{t("summary.previousMonth")}</th>
                  <th scope="col">{t("summary.lastYear")}</th>
                </tr>
              </thead>
              <tbody>
                {categories.map((c) => (
                  <tr key={c.category}>
                    <th scope="row">{label(c.label)}</th>
                    <td>{c.count}</td>
                    <td>{c.previous_month}</td>
                    <td>{c.same_month_last_year}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h3>{t("summary.where")}</h3>
      {d.where.places.length === 0 ? (
        <p>{t("summary.noPlaces")}</p>
      ) : (
        <Figures caption={t("summary.places")} rows={d.where.places.map((p) => [p.place, p.count])} />
      )}
      <p>{t("summary.elsewhere", { count: d.where.elsewhere })}</p>

      <h3 id="summary-follow-up">{t("summary.followUp")}</h3>
      <Figures
        labelledBy="summary-follow-up"
        rows={[
          [t("officer.status.open"), d.follow_up.open],
          [t("officer.status.reported"), d.follow_up.reported],
          [t("officer.status.resolved"), d.follow_up.resolved],
          [t("officer.status.no_action"), d.follow_up.no_action],
        ]}
      />

      <h3 id="summary-forwarding">{t("summary.forwarding")}</h3>
      <Figures
        labelledBy="summary-forwarding"
        rows={[
          [t("summary.forwarded"), d.forwarding.forwarded],
          [t("summary.answered"), d.forwarding.answered],
          [t("summary.fixed"), d.forwarding.fixed],
          [t("summary.fixedByAuthor"), d.forwarding.fixed_by_author],
          [t("summary.stillOpen"), d.forwarding.still_open],
          [
            t("summary.medianDays"),
            d.forwarding.median_days_to_fix === null ? "—" : number(d.forwarding.median_days_to_fix),
          ],
        ]}
      />

      <h3>{t("summary.priorities")}</h3>
      {d.priorities.length === 0 ? (
        <p>{t("summary.noPriorities")}</p>
      ) : (
        <Figures caption={t("summary.prioritiesSeen")} rows={d.priorities.map((p) => [label(p.label), p.count])} />
      )}

      <h3>{t("summary.alerts")}</h3>
      {d.alerts.length === 0 ? (
        <p>{t("summary.noAlerts")}</p>
      ) : (
        <ul class="cards">
          {d.alerts.map((a) => (
            <li class="card" key={a.created_at}>
              <p>
                <strong>{a.headline || t(`officer.kind.${a.kind}` as Key)}</strong>
              </p>
              <p>
                {t(`officer.kind.${a.kind}` as Key)} · {formatDateTime(a.created_at)} ·{" "}
                {t(`officer.ending.${a.outcome ?? a.status}` as Key)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
