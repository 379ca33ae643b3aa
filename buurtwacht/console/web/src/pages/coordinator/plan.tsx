// Plan a one-off round, and a recurring schedule with a preview of the rounds it makes (from the API).
import { useState } from "preact/hooks";
import { api, ok, type Schemas } from "../../api/client";
import { ErrorView, Page } from "../../components/ui";
import { formatDay, formatTime, localDay } from "../../format";
import { useAction } from "../../hooks";
import { t, type Key } from "../../i18n";
import { navigate } from "../../router";
import { addDays } from "./days";

interface RoundFields {
  start: string;
  end: string;
  meetingPoint: string;
  minTeam: number;
  maxTeam: number;
  route: string;
  briefing: string;
}

const EMPTY: RoundFields = { start: "20:00", end: "22:00", meetingPoint: "", minTeam: 2, maxTeam: 4, route: "", briefing: "" };

function RoundInputs(props: { fields: RoundFields; change: (next: Partial<RoundFields>) => void }) {
  const f = props.fields;
  return (
    <>
      <div class="grid2">
        <label>
          {t("coord.plan.start")}
          <input type="time" required value={f.start} onInput={(e) => props.change({ start: e.currentTarget.value })} />
        </label>
        <label>
          {t("coord.plan.end")}
          <input type="time" required value={f.end} onInput={(e) => props.change({ end: e.currentTarget.value })} />
        </label>
      </div>
      <label>
        {t("coord.plan.meetingPoint")}
        <input
          required
          maxLength={200}
          value={f.meetingPoint}
          onInput={(e) => props.change({ meetingPoint: e.currentTarget.value })}
        />
      </label>
      <div class="grid2">
        <label>
          {t("coord.plan.minTeam")}
          <input
            type="number"
            min={1}
            max={20}
            value={f.minTeam}
            onInput={(e) => props.change({ minTeam: Number(e.currentTarget.value) })}
          />
        </label>
        <label>
          {t("coord.plan.maxTeam")}
          <input
            type="number"
            min={1}
            max={50}
            value={f.maxTeam}
            onInput={(e) => props.change({ maxTeam: Number(e.currentTarget.value) })}
          />
        </label>
      </div>
      <label>
        {t("coord.plan.route")}
        <input maxLength={500} value={f.route} onInput={(e) => props.change({ route: e.currentTarget.value })} />
      </label>
      <label>
        {t("coord.plan.briefing")}
        <textarea rows={3} maxLength={4000} value={f.briefing} onInput={(e) => props.change({ briefing: e.currentTarget.value })} />
      </label>
    </>
  );
}

function common(f: RoundFields) {
  return {
    meeting_point: f.meetingPoint,
    min_team: f.minTeam,
    max_team: f.maxTeam,
    route: f.route || null,
    briefing: f.briefing,
  };
}

export function PlanRound(props: { groupId: string; groupName: string }) {
  const [day, setDay] = useState(localDay(new Date()));
  const [fields, setFields] = useState<RoundFields>(EMPTY);
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    // Local wall-clock times without an offset: the API reads them as Europe/Amsterdam time.
    const endDay = fields.end <= fields.start ? addDays(day, 1) : day;
    const done = await action.run(() =>
      ok(
        api.POST("/api/v1/groups/{group_id}/patrols", {
          params: { path: { group_id: props.groupId } },
          body: { ...common(fields), starts_at: `${day}T${fields.start}:00`, ends_at: `${endDay}T${fields.end}:00` },
        }),
      ),
    );
    if (done) navigate(`/groups/${props.groupId}/roster?view=week&date=${day}&done=round`);
  };
  return (
    <Page title={t("coord.plan.title", { group: props.groupName })}>
      <form class="stack" onSubmit={submit}>
        <label>
          {t("coord.plan.date")}
          <input type="date" required value={day} onInput={(e) => setDay(e.currentTarget.value)} />
        </label>
        <RoundInputs fields={fields} change={(next) => setFields({ ...fields, ...next })} />
        <ErrorView error={action.error} />
        <div class="row">
          <button type="submit" disabled={action.busy}>
            {t("coord.plan.submit")}
          </button>
        </div>
      </form>
    </Page>
  );
}

const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

export function PlanSchedule(props: { groupId: string; groupName: string }) {
  const [days, setDays] = useState<string[]>([]);
  const [interval, setEvery] = useState(1);
  const [startsOn, setStartsOn] = useState(localDay(new Date()));
  const [endsOn, setEndsOn] = useState("");
  const [fields, setFields] = useState<RoundFields>(EMPTY);
  const [preview, setPreview] = useState<Schemas["ScheduleRound"][] | null>(null);
  const [noDay, setNoDay] = useState(false);
  const action = useAction();
  const body = () => ({
    ...common(fields),
    rrule: `FREQ=WEEKLY;${interval > 1 ? `INTERVAL=${interval};` : ""}BYDAY=${DAYS.filter((d) => days.includes(d)).join(",")}`,
    start_time: fields.start,
    end_time: fields.end,
    starts_on: startsOn,
    ends_on: endsOn || null,
  });
  const change = (apply: () => void) => {
    apply();
    setPreview(null); // a preview always shows the form as it is
  };
  const showPreview = async () => {
    setNoDay(days.length === 0);
    if (days.length === 0) return;
    let rounds: Schemas["ScheduleRound"][] = [];
    const done = await action.run(async () => {
      rounds = await ok(
        api.POST("/api/v1/groups/{group_id}/schedules/preview", {
          params: { path: { group_id: props.groupId } },
          body: body(),
        }),
      );
    });
    if (done) setPreview(rounds);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setNoDay(days.length === 0);
    if (days.length === 0) return;
    const done = await action.run(() =>
      ok(api.POST("/api/v1/groups/{group_id}/schedules", { params: { path: { group_id: props.groupId } }, body: body() })),
    );
    if (done) navigate(`/groups/${props.groupId}/roster?view=month&date=${startsOn}&done=schedule`);
  };
  return (
    <Page title={t("coord.schedule.title", { group: props.groupName })}>
      <form class="stack" onSubmit={save}>
        <fieldset>
          <legend>{t("coord.schedule.days")}</legend>
          <div class="checks">
            {DAYS.map((day) => (
              <label key={day}>
                <input
                  type="checkbox"
                  checked={days.includes(day)}
                  onChange={(e) =>
                    change(() =>
                      setDays(e.currentTarget.checked ? [...days, day] : days.filter((d) => d !== day)),
                    )
                  }
                />
                {t(`day.${day}` as Key)}
              </label>
            ))}
          </div>
          {noDay && (
            <p class="error" role="alert">
              {t("coord.schedule.pickDay")}
            </p>
          )}
        </fieldset>
        <label>
          {t("coord.schedule.every")}
          <select value={String(interval)} onChange={(e) => change(() => setEvery(Number(e.currentTarget.value)))}>
            <option value="1">{t("coord.schedule.everyWeek")}</option>
            <option value="2">{t("coord.schedule.everyOtherWeek")}</option>
          </select>
        </label>
        <div class="grid2">
          <label>
            {t("coord.schedule.startsOn")}
            <input type="date" required value={startsOn} onInput={(e) => change(() => setStartsOn(e.currentTarget.value))} />
          </label>
          <label>
            {t("coord.schedule.endsOn")}
            <input type="date" value={endsOn} onInput={(e) => change(() => setEndsOn(e.currentTarget.value))} />
          </label>
        </div>
        <RoundInputs fields={fields} change={(next) => change(() => setFields({ ...fields, ...next }))} />
        <ErrorView error={action.error} />
        <div class="row">
          <button type="button" class="secondary" disabled={action.busy} onClick={showPreview}>
            {t("coord.schedule.preview")}
          </button>
          <button type="submit" disabled={action.busy}>
            {t("coord.schedule.submit")}
          </button>
        </div>
      </form>
      {preview && <Preview rounds={preview} />}
    </Page>
  );
}

function Preview(props: { rounds: Schemas["ScheduleRound"][] }) {
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">{t("coord.schedule.previewTitle")}</h2>
      {props.rounds.length === 0 ? (
        <p>{t("coord.schedule.previewNone")}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("coord.schedule.when")}</th>
                <th scope="col">{t("coord.schedule.from")}</th>
                <th scope="col">{t("coord.schedule.until")}</th>
              </tr>
            </thead>
            <tbody>
              {props.rounds.map((round) => (
                <tr key={round.occurrence}>
                  <td>
                    {formatDay(round.occurrence, { year: "numeric" })}
                    {!round.made_at_once && <span class="muted"> ({t("coord.schedule.later")})</span>}
                  </td>
                  <td>{formatTime(round.starts_at)}</td>
                  <td>{formatTime(round.ends_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
