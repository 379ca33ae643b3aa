// The wijkagent's alerts: the list, a new one for picked areas or a circle drawn on the map, and one alert
// live (reach, who is looking, tips), with updates and the close with its outcome.
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { api, ok, type Schemas } from "../../api/client";
import { ErrorView, Loading, Notice, Page } from "../../components/ui";
import { formatDateTime, formatTime } from "../../format";
import { useAction, useLoad } from "../../hooks";
import { t, type Key } from "../../i18n";
import { href, navigate, type Me } from "../../router";
import type L from "leaflet";
import { MapView } from "../../components/map";
import { useFitted } from "./fit";
import { TableBox } from "./table";

interface DrawnCircle {
  lat: number;
  lon: number;
  radius_m: number;
}

type AlertView = Schemas["AlertView"];
type Kind = Schemas["AlertCreate"]["kind"];
type Outcome = Schemas["AlertClose"]["outcome"];
const KINDS: Kind[] = ["missing_person", "suspect", "vehicle", "burglary", "general_warning", "exercise"];
const OUTCOMES: Outcome[] = ["found", "apprehended", "resolved", "false_alarm", "no_result"];
const LIVE_MS = 4000;

function statusText(view: AlertView): string {
  const alert = view.alert;
  if (alert.status === "closed" && alert.outcome) return t(`officer.ending.${alert.outcome}` as Key);
  return t(`officer.ending.${alert.status}` as Key);
}

export function Alerts() {
  const alerts = useLoad(() => ok(api.GET("/api/v1/alerts", { params: { query: { page_size: 50 } } })), []);
  return (
    <Page title={t("officer.alerts.title")}>
      <p>
        <a class="button" href={href("/officer/alerts/new")}>
          {t("officer.alerts.new")}
        </a>
      </p>
      {alerts.loading && <Loading />}
      <ErrorView error={alerts.error} onRetry={alerts.reload} />
      {alerts.data &&
        (alerts.data.length === 0 ? (
          <p>{t("officer.alerts.none")}</p>
        ) : (
          <TableBox label={t("officer.alerts.title")}>
<table>
            <caption class="sr-only">{t("officer.alerts.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("officer.alerts.headline")}</th>
                <th scope="col">{t("officer.alerts.started")}</th>
                <th scope="col">{t("officer.alerts.status")}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.map((view) => (
                <tr key={view.alert.id}>
                  <td>
                    <a href={href(`/officer/alerts/${view.alert.id}`)}>{view.alert.headline}</a>
                  </td>
                  <td>{formatDateTime(view.alert.created_at)}</td>
                  <td>{statusText(view)}</td>
                </tr>
              ))}
            </tbody>
          </table>
</TableBox>
        ))}
    </Page>
  );
}

/** The wijkagent's areas and the wijken and dorpen below them, to pick from. */
function useServedAreas(me: Me) {
  return useLoad(async () => {
    const below = await Promise.all(
      me.officer_areas.map((area) =>
        ok(api.GET("/api/v1/areas", { params: { query: { parent_id: area.id, page_size: 500 } } })),
      ),
    );
    return me.officer_areas.map((area, i) => ({ area, below: below[i] ?? [] }));
  }, [me]);
}

export function NewAlert(props: { me: Me }) {
  const served = useServedAreas(props.me);
  // The map opens on the first area the wijkagent serves.
  const first = props.me.officer_areas[0]?.id ?? 0;
  const home = useLoad(() => ok(api.GET("/api/v1/areas/{area_id}", { params: { path: { area_id: first } } })), [first]);
  const [kind, setKind] = useState<Kind>("missing_person");
  const [headline, setHeadline] = useState("");
  const [description, setDescription] = useState("");
  const [instruction, setInstruction] = useState("");
  const [mode, setMode] = useState<"areas" | "circle">("areas");
  const [picked, setPicked] = useState<number[]>([]);
  // The centre as typed (a number input's text, so "52." survives while typing) or picked on the map.
  const [latText, setLatText] = useState("");
  const [lonText, setLonText] = useState("");
  const centre = latText.trim() && lonText.trim() && Number.isFinite(Number(latText)) && Number.isFinite(Number(lonText))
    ? { lat: Number(latText), lon: Number(lonText) }
    : null;
  const [radius, setRadius] = useState(1500);
  const action = useAction();
  const circle: DrawnCircle | null = centre ? { ...centre, radius_m: radius } : null;
  const drawn = useMemo(() => (circle ? [{ lat: circle.lat, lng: circle.lon, radius: circle.radius_m }] : []), [
    circle?.lat,
    circle?.lon,
    circle?.radius_m,
  ]);
  const onMap = useCallback((map: L.Map) => {
    map.on("click", (event: L.LeafletMouseEvent) => {
      setLatText(String(Number(event.latlng.lat.toFixed(5))));
      setLonText(String(Number(event.latlng.lng.toFixed(5))));
    });
  }, []);
  const toggle = (id: number) => setPicked(picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id]);

  async function submit(event: Event) {
    event.preventDefault();
    let made: AlertView | undefined;
    const done = await action.run(async () => {
      made = await ok(
        api.POST("/api/v1/alerts", {
          body: {
            id: crypto.randomUUID(),
            kind,
            headline,
            description,
            instruction,
            ...(mode === "areas" ? { area_ids: picked } : circle ? { circle } : {}),
          },
        }),
      );
    });
    if (done && made) navigate(`/officer/alerts/${made.alert.id}`);
  }

  return (
    <Page title={t("officer.newAlert.title")}>
      <p>{t("officer.newAlert.intro")}</p>
      <form onSubmit={submit} class="stack">
        <label>
          <span>{t("officer.newAlert.kind")}</span>
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`officer.kind.${k}` as Key)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("officer.newAlert.headline")}</span>
          <input required minLength={3} maxLength={140} value={headline} onInput={(e) => setHeadline(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t("officer.newAlert.description")}</span>
          <textarea required minLength={3} maxLength={2000} rows={3} value={description}
            onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t("officer.newAlert.instruction")}</span>
          <textarea required minLength={3} maxLength={1000} rows={2} value={instruction}
            onInput={(e) => setInstruction(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>{t("officer.newAlert.where")}</legend>
          <div class="checks picks">
          <label>
            <input type="radio" name="where" checked={mode === "areas"} onChange={() => setMode("areas")} />
            {t("officer.newAlert.byAreas")}
          </label>
          <label>
            <input type="radio" name="where" checked={mode === "circle"} onChange={() => setMode("circle")} />
            {t("officer.newAlert.byCircle")}
          </label>
          </div>
        </fieldset>
        {mode === "areas" ? (
          <fieldset>
            <legend>{t("officer.newAlert.areas")}</legend>
            {served.loading && <Loading />}
            <ErrorView error={served.error} onRetry={served.reload} />
            {served.data?.map(({ area, below }) => (
              <div key={area.id} class="checks picks">
                <label class="whole">
                  <input type="checkbox" checked={picked.includes(area.id)} onChange={() => toggle(area.id)} />
                  {area.name}
                </label>
                {below.map((wijk) => (
                  <label key={wijk.id}>
                    <input type="checkbox" checked={picked.includes(wijk.id)} onChange={() => toggle(wijk.id)} />
                    {wijk.name}
                  </label>
                ))}
              </div>
            ))}
          </fieldset>
        ) : (
          <fieldset>
            <legend>{t("officer.newAlert.circle")}</legend>
            <p>{t("officer.newAlert.circleHelp")}</p>
            {home.data ? (
              <MapView
                label={t("officer.newAlert.mapLabel")}
                center={[home.data.centre.lat, home.data.centre.lon]}
                zoom={13}
                circles={drawn}
                onMap={onMap}
              />
            ) : (
              <Loading />
            )}
            <div class="row">
              <label>
                <span>{t("officer.newAlert.lat")}</span>
                <input type="number" step="0.00001" min={-90} max={90} value={latText}
                  onInput={(e) => setLatText(e.currentTarget.value)} />
              </label>
              <label>
                <span>{t("officer.newAlert.lon")}</span>
                <input type="number" step="0.00001" min={-180} max={180} value={lonText}
                  onInput={(e) => setLonText(e.currentTarget.value)} />
              </label>
              <label>
                <span>{t("officer.newAlert.radius")}</span>
                <input type="number" min={100} max={50000} step={100} value={radius}
                  onInput={(e) => setRadius(Number(e.currentTarget.value))} />
              </label>
            </div>
            <p role="status">
              {circle
                ? t("officer.newAlert.circleSet", { lat: circle.lat, lon: circle.lon, radius: circle.radius_m })
                : t("officer.newAlert.noCircle")}
            </p>
          </fieldset>
        )}
        <ErrorView error={action.error} />
        <button type="submit" disabled={action.busy || (mode === "areas" ? picked.length === 0 : !circle)}>
          {t("officer.newAlert.send")}
        </button>
      </form>
    </Page>
  );
}

export function AlertDetail(props: { alertId: string }) {
  const path = { params: { path: { alert_id: props.alertId } } };
  const view = useLoad(() => ok(api.GET("/api/v1/alerts/{alert_id}", path)), [props.alertId]);
  const stats = useLoad(() => ok(api.GET("/api/v1/alerts/{alert_id}/stats", path)), [props.alertId]);
  const tips = useLoad(
    () => ok(api.GET("/api/v1/alerts/{alert_id}/tips", { params: { path: { alert_id: props.alertId }, query: { page_size: 100 } } })),
    [props.alertId],
  );
  const responders = useLoad(
    () =>
      ok(api.GET("/api/v1/alerts/{alert_id}/responders", { params: { path: { alert_id: props.alertId }, query: { page_size: 100 } } })),
    [props.alertId],
  );
  const open = view.data?.alert.status === "open";
  useEffect(() => {
    if (!open) return;
    const timer = window.setInterval(() => {
      stats.reload();
      tips.reload();
      responders.reload();
    }, LIVE_MS);
    return () => window.clearInterval(timer);
  }, [open, stats.reload, tips.reload, responders.reload]);

  if (!view.data) {
    return (
      <Page title={t("officer.alert.title")}>
        {view.loading ? <Loading /> : <ErrorView error={view.error} onRetry={view.reload} />}
      </Page>
    );
  }
  const alert = view.data.alert;
  return (
    <Page title={alert.headline}>
      <p>
        <a href={href("/officer/alerts")}>{t("officer.alert.back")}</a>
      </p>
      <dl class="facts">
        <dt>{t("officer.alerts.status")}</dt>
        <dd>{statusText(view.data)}</dd>
        <dt>{t("officer.alerts.started")}</dt>
        <dd>{formatDateTime(alert.created_at)}</dd>
        <dt>{t("officer.alert.where")}</dt>
        <dd>
          {view.data.circle
            ? t("officer.alert.circle", { radius: view.data.circle.radius_m })
            : view.data.areas.map((a) => a.name).join(", ")}
        </dd>
        <dt>{t("officer.newAlert.description")}</dt>
        <dd>{alert.description}</dd>
        <dt>{t("officer.newAlert.instruction")}</dt>
        <dd>{alert.instruction}</dd>
      </dl>
      {view.data.circle && <AlertMap circle={view.data.circle} />}
      <h2>{t("officer.alert.live")}</h2>
      <ErrorView error={stats.error} />
      {stats.data && (
        <ul class="live" aria-live="polite">
          <li>{t("officer.alert.reached", { count: stats.data.audience })}</li>
          <li>{t("officer.alert.looking", { count: stats.data.responders })}</li>
          <li>{t("officer.alert.tipCount", { count: stats.data.tips })}</li>
          <li>{t("officer.alert.pushes", { sent: stats.data.sent, pending: stats.data.pending, failed: stats.data.failed })}</li>
        </ul>
      )}
      <h3 id="alert-looking-who">{t("officer.alert.lookingWho")}</h3>
      <ErrorView error={responders.error} />
      {responders.data &&
        (responders.data.length === 0 ? (
          <p>{t("officer.alert.nobodyLooking")}</p>
        ) : (
          <ul aria-labelledby="alert-looking-who" aria-live="polite">
            {responders.data.map((who) => (
              <li key={`${who.name}-${who.since}`}>
                {who.name} · {who.groups.length > 0 ? who.groups.join(", ") : t("officer.alert.resident")} ·{" "}
                {t("officer.alert.lookingSince", { time: formatTime(who.since) })}
              </li>
            ))}
          </ul>
        ))}
      <h2>{t("officer.alert.tips")}</h2>
      <ErrorView error={tips.error} />
      {tips.data &&
        (tips.data.length === 0 ? (
          <p>{t("officer.alert.noTips")}</p>
        ) : (
          <ul class="cards" aria-live="polite">
            {tips.data.map((tip) => (
              <li key={tip.id} class="card">
                <p>{tip.text}</p>
                <p class="muted">
                  {formatDateTime(tip.created_at)} · {tip.from_name ?? t("officer.alert.unknownSender")}
                  {tip.from_phone && (
                    <>
                      {" · "}
                      <a href={`tel:${tip.from_phone}`}>{tip.from_phone}</a>
                    </>
                  )}
                </p>
              </li>
            ))}
          </ul>
        ))}
      {view.data.updates.length > 0 && (
        <>
          <h2>{t("officer.alert.updates")}</h2>
          <ul>
            {view.data.updates.map((u) => (
              <li key={u.at}>
                {formatDateTime(u.at)}: {u.text}
              </li>
            ))}
          </ul>
        </>
      )}
      {open && view.data.can_steer && <Steer alertId={props.alertId} onChanged={view.reload} />}
      {!open && alert.closing_message && (
        <p>
          {t("officer.alert.closingMessage")}: {alert.closing_message}
        </p>
      )}
    </Page>
  );
}

function Steer(props: { alertId: string; onChanged: () => void }) {
  const path = { path: { alert_id: props.alertId } };
  const [update, setUpdate] = useState("");
  const [outcome, setOutcome] = useState<Outcome>("found");
  const [message, setMessage] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const posting = useAction();
  const closing = useAction();

  async function postUpdate(event: Event) {
    event.preventDefault();
    if (await posting.run(() => ok(api.POST("/api/v1/alerts/{alert_id}/updates", { params: path, body: { text: update } })))) {
      setUpdate("");
      setNotice(t("officer.alert.updateSent"));
      props.onChanged();
    }
  }

  async function close(event: Event) {
    event.preventDefault();
    if (await closing.run(() => ok(api.POST("/api/v1/alerts/{alert_id}/close", { params: path, body: { outcome, message } })))) {
      setNotice(t("officer.alert.closed"));
      props.onChanged();
    }
  }

  return (
    <>
      <Notice text={notice} />
      <h2>{t("officer.alert.postUpdate")}</h2>
      <form onSubmit={postUpdate} class="stack">
        <label>
          <span>{t("officer.alert.updateText")}</span>
          <textarea required minLength={2} rows={2} value={update} onInput={(e) => setUpdate(e.currentTarget.value)} />
        </label>
        <ErrorView error={posting.error} />
        <button type="submit" disabled={posting.busy}>
          {t("officer.alert.sendUpdate")}
        </button>
      </form>
      <h2>{t("officer.alert.close")}</h2>
      <form onSubmit={close} class="stack">
        <label>
          <span>{t("officer.alert.outcome")}</span>
          <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as Outcome)}>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`officer.ending.${o}` as Key)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("officer.alert.closeMessage")}</span>
          <textarea required minLength={3} maxLength={1000} rows={2} value={message}
            onInput={(e) => setMessage(e.currentTarget.value)} />
        </label>
        <ErrorView error={closing.error} />
        <button type="submit" disabled={closing.busy}>
          {t("officer.alert.closeButton")}
        </button>
      </form>
    </>
  );
}

function AlertMap(props: { circle: DrawnCircle }) {
  const centre = useMemo(() => [{ lat: props.circle.lat, lng: props.circle.lon }], [props.circle.lat, props.circle.lon]);
  const circles = useMemo(() => [{ ...centre[0]!, radius: props.circle.radius_m }], [centre, props.circle.radius_m]);
  const fit = useFitted(centre, props.circle.radius_m);
  return (
    <MapView
      label={t("officer.alert.mapLabel", { radius: props.circle.radius_m })}
      center={[props.circle.lat, props.circle.lon]}
      circles={circles}
      onMap={fit.onMap}
    />
  );
}
