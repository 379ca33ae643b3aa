// The roster as a week or a month: every round with its team, open places, waiting list, and short teams in red.
import { allPages, api, type Schemas } from "../../api/client";
import { ErrorView, Loading, Notice, Page } from "../../components/ui";
import { formatDay, formatTime, localDay } from "../../format";
import { useLoad } from "../../hooks";
import { t } from "../../i18n";
import { href, query } from "../../router";
import { addDays, addMonths, daysBetween, monthStart, weekStart } from "./days";

type Round = Schemas["PatrolSummary"];

export function Roster(props: { groupId: string; groupName: string }) {
  const params = query();
  const view = params.get("view") === "month" ? "month" : "week";
  const today = localDay(new Date());
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get("date") ?? "") ? (params.get("date") as string) : today;
  const notice = params.get("done");
  const first = view === "week" ? weekStart(date) : weekStart(monthStart(date));
  const last =
    view === "week" ? addDays(first, 6) : addDays(weekStart(addDays(addMonths(date, 1), -1)), 6); // whole weeks
  const rounds = useLoad(
    () =>
      allPages((page) =>
        api.GET("/api/v1/groups/{group_id}/patrols", {
          params: {
            path: { group_id: props.groupId },
            query: { from: `${first}T00:00:00`, to: `${addDays(last, 1)}T00:00:00`, page, page_size: 100 },
          },
        }),
      ),
    [props.groupId, first, last],
  );
  const byDay = new Map<string, Round[]>();
  for (const round of rounds.data ?? []) {
    const day = localDay(round.patrol.starts_at);
    byDay.set(day, [...(byDay.get(day) ?? []), round]);
  }
  const link = (nextView: string, nextDate: string) =>
    href(`/groups/${props.groupId}/roster?view=${nextView}&date=${nextDate}`);
  const step = (direction: number) =>
    view === "week" ? addDays(first, 7 * direction) : addMonths(date, direction);
  const period =
    view === "week"
      ? t("coord.roster.weekOf", { date: formatDay(first, { weekday: undefined, year: "numeric" }) })
      : formatDay(monthStart(date), { weekday: undefined, day: undefined, year: "numeric" });
  return (
    <Page title={t("coord.roster.title", { group: props.groupName })}>
      <Notice text={notice === "round" ? t("coord.plan.planned") : notice === "schedule" ? t("coord.schedule.saved") : null} />
      <div class="row no-print">
        <a class="button" href={href(`/groups/${props.groupId}/plan`)}>
          {t("coord.roster.planRound")}
        </a>
        <a class="button" href={href(`/groups/${props.groupId}/schedule`)}>
          {t("coord.roster.planSchedule")}
        </a>
      </div>
      <h2>{period}</h2>
      <nav class="toolbar" aria-label={t("coord.roster.view")}>
        <a href={link("week", date)} aria-current={view === "week" ? "page" : undefined}>
          {t("coord.roster.week")}
        </a>
        <a href={link("month", date)} aria-current={view === "month" ? "page" : undefined}>
          {t("coord.roster.month")}
        </a>
        <a href={link(view, step(-1))}>{t("coord.roster.previous")}</a>
        <a href={link(view, today)}>{t("coord.roster.today")}</a>
        <a href={link(view, step(1))}>{t("coord.roster.next")}</a>
      </nav>
      <p class="muted">{t("coord.roster.legend")}</p>
      <ErrorView error={rounds.error} onRetry={rounds.reload} />
      {rounds.loading && !rounds.data ? (
        <Loading />
      ) : view === "week" ? (
        <ul class="week">
          {daysBetween(first, last).map((day) => (
            <li key={day}>
              <h3>{formatDay(day, { month: "short" })}</h3>
              <Rounds rounds={byDay.get(day) ?? []} />
            </li>
          ))}
        </ul>
      ) : (
        <>
          <div class="weekday-heads" aria-hidden="true">
            {daysBetween(first, addDays(first, 6)).map((day) => (
              <span key={day}>{formatDay(day, { weekday: "short", day: undefined, month: undefined })}</span>
            ))}
          </div>
          <ul class="month">
            {daysBetween(first, last).map((day) => {
              const inMonth = day.slice(0, 7) === date.slice(0, 7);
              const dayRounds = byDay.get(day) ?? [];
              return (
                <li key={day} class={[inMonth ? "" : "outside", dayRounds.length ? "" : "empty"].join(" ")}>
                  <h3>{formatDay(day, { weekday: "short", month: "short" })}</h3>
                  <Rounds rounds={dayRounds} compact />
                </li>
              );
            })}
          </ul>
        </>
      )}
    </Page>
  );
}

function Rounds(props: { rounds: Round[]; compact?: boolean }) {
  if (props.rounds.length === 0) return <p class="muted">{t("coord.roster.noRounds")}</p>;
  return (
    <ul class="rounds">
      {props.rounds.map((round) => {
        const patrol = round.patrol;
        const cancelled = patrol.status === "cancelled";
        const short = !cancelled && round.short_of_minimum;
        return (
          <li key={patrol.id} class={["round", short ? "short" : "", cancelled ? "cancelled" : ""].join(" ")}>
            <a class="when" href={href(`/rounds/${patrol.id}`)}>
              {formatTime(patrol.starts_at)}–{formatTime(patrol.ends_at)}
            </a>
            {!props.compact && <div>{patrol.meeting_point}</div>}
            {cancelled ? (
              <div>
                <span class="badge cancelled">{t("coord.roster.cancelled")}</span>
              </div>
            ) : (
              <div class="badges">
                <span>{t("coord.roster.team", { confirmed: round.confirmed, max: patrol.max_team })}</span>{" "}
                {short && <span class="badge short">{t("coord.roster.short", { min: patrol.min_team })}</span>}{" "}
                {round.places_left > 0 ? (
                  <span class="badge open">{t("coord.roster.open", { count: round.places_left })}</span>
                ) : (
                  <span class="badge full">{t("coord.roster.full")}</span>
                )}{" "}
                {round.waitlisted > 0 && (
                  <span class="badge waiting">{t("coord.roster.waiting", { count: round.waitlisted })}</span>
                )}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
