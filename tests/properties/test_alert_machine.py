"""Alerts as a state machine: random sequences of alert operations through the HTTP API.

The wijkagent of Bargeres and the coordinator of a group there start alerts; they and the wijkagent
post updates, close them with an outcome or cancel them; three volunteers of the group send tips
(and retry them), say they are looking and stop; the clock moves on and the expiry job runs, as the
scheduler runs it every minute. A model predicts every answer (README.md, "Alerts and push"), and
after every step these hold, read from what the API shows:

- every answer is a 2xx or a 4xx, never a 5xx;
- an alert that ended (closed, cancelled, expired) takes no update, tip or new responder (409);
- an alert has an outcome if and only if it was closed;
- the responder count the issuer sees is the number of people looking, and each of them sees
  `i_am_looking`;
- the status only moves from open to closed, cancelled or expired;
- alert_events rows are appended, never changed or deleted: created, each update, then the end.

Each example has its own people and starts three days after the last one: alerts of earlier
examples, in the same wijk, are then neither open duplicates nor recent. 12 examples of 40 steps take
~9 s on SQLite and ~13 s on PostgreSQL (2.5 times that on a slow day: CI must stay under 15 minutes).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar

import time_machine
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import select
from werkzeug.test import TestResponse

from buurtwacht import db
from buurtwacht.alerts.jobs import expire_alerts
from buurtwacht.models import AlertEvent, MembershipRole
from tests.factories import Factory, Someone

T0 = dt.datetime(2026, 9, 1, 18, 0, tzinfo=dt.UTC)
DUPLICATE_WINDOW = dt.timedelta(minutes=15)  # BUURTWACHT_ALERT_DUPLICATE_MINUTES
# Pairwise far apart (difflib ratio below 0.3), so only the same headline is a duplicate.
HEADLINES = (
    "Vermist: jongen van 8 jaar",
    "Gestolen bestelbus gezien",
    "Inbraak bij de bakkerij",
    "Loslopende hond op straat",
)
OUTCOMES = ("found", "apprehended", "resolved", "false_alarm", "no_result")
ENDINGS = ("closed", "cancelled", "expired")

# A deeper run on a developer's machine: BUURTWACHT_FUZZ_SCALE=20 multiplies the examples (and the time).
SCALE = int(os.environ.get("BUURTWACHT_FUZZ_SCALE", "1"))
SETTINGS = settings(
    max_examples=12 * SCALE,
    stateful_step_count=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

# The operations a step draws from (one rule: see test_roster_machine.py on swarm testing); answering
# ones appear more than once, so that alerts collect tips and responders before they end.
OPERATIONS = (
    "tip", "look", "update", "start", "stop_looking", "tip", "look", "retry_tip",
    "close", "cancel", "wait", "start", "update",
)  # fmt: skip
STEERERS = ("issuer", "wijkagent", "volunteer")  # the volunteer may not steer: 403


@dataclass
class AlertModel:
    issuer: Someone
    headline: str
    created: dt.datetime
    expires: dt.datetime
    status: str = "open"
    outcome: str | None = None
    events: list[str] = field(default_factory=lambda: ["created"])
    tips: dict[uuid.UUID, tuple[Someone, str]] = field(default_factory=dict)  # tip id -> (sender, text)
    looking: set[uuid.UUID] = field(default_factory=set)


class AlertMachine(RuleBasedStateMachine):
    app: ClassVar[Flask]
    starts: ClassVar[itertools.count[int]]

    def __init__(self) -> None:
        super().__init__()
        self.now = T0 + dt.timedelta(days=3 * next(self.starts))
        self.traveller = time_machine.travel(self.now, tick=False)
        self.clock = self.traveller.start()
        self.client = self.app.test_client()
        self.make = Factory(self.app)
        self.wijkagent = self.make.person("Sanne Wijkagent")
        self.make.officer(self.wijkagent, "bargeres")
        self.coordinator = self.make.person("Carla Coördinator")
        group = self.make.group("bargeres", coordinator=self.coordinator)
        self.volunteers = [self.make.person(name) for name in ("Anna Akkerman", "Bram Bos", "Cor Claassen")]
        for volunteer in self.volunteers:
            self.make.member(group, volunteer, MembershipRole.VOLUNTEER)
        self.bargeres = group.area_id
        self.model: dict[str, AlertModel] = {}
        self.touched: set[str] = set()
        self.looks = 0
        self.history: list[tuple[Any, ...]] = []

    def teardown(self) -> None:
        self.traveller.stop()

    # Talking to the API

    def tick(self, by: dt.timedelta = dt.timedelta(seconds=1)) -> None:
        self.clock.shift(by)
        self.now += by

    def call(self, method: str, path: str, who: Someone, body: dict[str, Any] | None = None) -> TestResponse:
        self.tick()
        if path.startswith("/api/v1/alerts/"):
            self.touched.add(path.split("/")[4])
        response = self.client.open(path, method=method, json=body, headers=self.make.headers(who))
        assert response.status_code < 500, f"{method} {path}: {response.status_code} {response.get_data(as_text=True)}"
        return response

    def expect(self, response: TestResponse, status: int, what: str) -> None:
        assert response.status_code == status, (
            f"{what}: expected {status}, got {response.status_code} {response.get_data(as_text=True)}"
        )

    def alert(self, index: int) -> tuple[str, AlertModel]:
        """Low indexes pick open alerts, newest first; the last index any alert."""
        candidates = [a for a, m in reversed(self.model.items()) if m.status == "open"]
        if not candidates or index == 7:
            candidates = list(self.model)
        alert_id = candidates[index % len(candidates)]
        return alert_id, self.model[alert_id]

    # The one rule

    @initialize(headline=st.sampled_from(HEADLINES))
    def start_the_first(self, headline: str) -> None:
        self.start(self.wijkagent, headline, 120)

    @rule(
        operation=st.sampled_from(OPERATIONS),
        alert=st.integers(0, 7),
        who=st.integers(0, 5),
        headline=st.sampled_from(HEADLINES),
        outcome=st.sampled_from(OUTCOMES),
        minutes=st.sampled_from([30, 5, 60, 120]),
    )
    def step(self, operation: str, alert: int, who: int, headline: str, outcome: str, minutes: int) -> None:
        """Someone does something to an alert; `minutes` is an expiry, or how long to wait."""
        if operation == "start":
            if len(self.model) < 6:
                self.start((self.wijkagent, self.coordinator)[who % 2], headline, minutes)
            return
        if operation == "wait":
            self.wait(minutes)
            return
        alert_id, m = self.alert(alert)
        volunteer = self.volunteers[who % len(self.volunteers)]
        steerer = {"issuer": m.issuer, "wijkagent": self.wijkagent, "volunteer": volunteer}[STEERERS[who % 3]]
        if operation == "update":
            self.update(alert_id, m, steerer)
        elif operation == "close":
            self.end(alert_id, m, steerer, "close", {"outcome": outcome, "message": "Afgelopen, dank voor het kijken."})
        elif operation == "cancel":
            self.end(alert_id, m, steerer, "cancel", {"reason": "Per abuis verstuurd."})
        elif operation in ("tip", "retry_tip"):
            self.tip(alert_id, m, volunteer, retry=operation == "retry_tip")
        else:
            self.look(alert_id, m, volunteer, operation == "look")

    # What each operation should answer, and what it changes

    def start(self, issuer: Someone, headline: str, minutes: int) -> None:
        body = {
            "kind": "suspect",
            "headline": headline,
            "description": "Man met een donkere jas op een blauwe fiets, richting het station.",
            "instruction": "Niet zelf optreden; bel 112.",
            "area_ids": [self.bargeres],
            "expires_in_minutes": minutes,
        }
        response = self.call("POST", "/api/v1/alerts", issuer, body)
        duplicate = any(
            m.status == "open" and m.headline == headline and m.created >= self.now - DUPLICATE_WINDOW
            for m in self.model.values()
        )
        if duplicate:
            self.expect(response, 409, "an alert like an open one of the last 15 minutes")
            return
        self.expect(response, 201, "starting an alert")
        alert_id = response.get_json()["alert"]["id"]
        self.model[alert_id] = AlertModel(issuer, headline, self.now, self.now + dt.timedelta(minutes=minutes))
        self.touched.add(alert_id)

    def update(self, alert_id: str, m: AlertModel, who: Someone) -> None:
        response = self.call("POST", f"/api/v1/alerts/{alert_id}/updates", who, {"text": "Gezien bij de brug."})
        if who not in (m.issuer, self.wijkagent):
            self.expect(response, 403, "an update from someone the alert reached")
        elif m.status != "open":
            self.expect(response, 409, f"an update to a {m.status} alert")
        else:
            self.expect(response, 201, "an update")
            m.events.append("updated")

    def end(self, alert_id: str, m: AlertModel, who: Someone, how: str, body: dict[str, str]) -> None:
        response = self.call("POST", f"/api/v1/alerts/{alert_id}/{how}", who, body)
        if who not in (m.issuer, self.wijkagent):
            self.expect(response, 403, f"{how} by someone the alert reached")
        elif m.status != "open":
            self.expect(response, 409, f"{how} a {m.status} alert")
        else:
            self.expect(response, 200, how)
            m.status = "closed" if how == "close" else "cancelled"
            m.outcome = body.get("outcome")
            m.events.append(m.status)

    def tip(self, alert_id: str, m: AlertModel, who: Someone, *, retry: bool) -> None:
        earlier = [(t, text) for t, (sender, text) in m.tips.items() if sender == who]
        if retry and earlier:
            # The phone lost the answer and sends the same tip again: the same tip, whatever the status.
            tip_id, text = earlier[-1]
            response = self.call("POST", f"/api/v1/alerts/{alert_id}/tips", who, {"id": str(tip_id), "text": text})
            self.expect(response, 201, "the same tip again")
            assert response.get_json()["id"] == str(tip_id)
            return
        tip_id, text = uuid.uuid4(), f"Gezien bij de brug, tip {len(m.tips) + 1}."
        response = self.call("POST", f"/api/v1/alerts/{alert_id}/tips", who, {"id": str(tip_id), "text": text})
        if m.status != "open":
            self.expect(response, 409, f"a tip for a {m.status} alert")
        else:
            self.expect(response, 201, "a tip")
            m.tips[tip_id] = (who, text)

    def look(self, alert_id: str, m: AlertModel, who: Someone, looking: bool) -> None:
        response = self.call("PUT" if looking else "DELETE", f"/api/v1/alerts/{alert_id}/looking", who)
        if looking and m.status != "open":
            self.expect(response, 409, f"starting to look for a {m.status} alert")
            return
        self.expect(response, 200, "starting to look" if looking else "stopping")
        if looking:
            m.looking.add(who.id)
        else:
            m.looking.discard(who.id)
        assert response.get_json()["i_am_looking"] is looking

    def wait(self, minutes: int) -> None:
        """Time passes; the scheduler's expiry job runs (it runs every minute)."""
        self.tick(dt.timedelta(minutes=minutes))
        with self.app.app_context():
            expire_alerts()
        for alert_id, m in self.model.items():
            if m.status == "open" and m.expires <= self.now:
                m.status = "expired"
                m.events.append("expired")
                self.touched.add(alert_id)

    # Invariants, from what the API shows

    def read(self, alert_id: str, *, everyone: bool) -> None:
        m = self.model[alert_id]
        response = self.call("GET", f"/api/v1/alerts/{alert_id}", m.issuer)
        self.expect(response, 200, "the issuer reading the alert")
        view = response.get_json()
        status, outcome = view["alert"]["status"], view["alert"]["outcome"]
        assert (outcome is not None) == (status == "closed"), f"{alert_id}: status {status} with outcome {outcome}"
        assert status == m.status, f"{alert_id}: {status}, expected {m.status}"
        assert (view["alert"]["closing_message"] is not None) == (status in ("closed", "cancelled")), view
        assert (outcome, len(view["updates"]), view["tips"]) == (m.outcome, m.events.count("updated"), len(m.tips))
        assert view["responders"] == len(m.looking), f"{alert_id}: {view['responders']} responders, {m.looking}"
        if everyone:
            looking = set()
            for volunteer in self.volunteers:
                seen = self.call("GET", f"/api/v1/alerts/{alert_id}", volunteer)
                self.expect(seen, 200, "a volunteer reading the alert")
                if seen.get_json()["i_am_looking"]:
                    looking.add(volunteer.id)
            assert view["responders"] == len(looking), f"{alert_id}: {view['responders']} responders, {looking} look"

    @invariant()
    def alerts_hold(self) -> None:
        # A step changes the alert it names; every tenth look reads them all, every twentieth as
        # everyone sees them.
        self.looks += 1
        sweep = self.looks % 10 == 0
        for alert_id in list(self.model) if sweep else sorted(self.touched):
            self.read(alert_id, everyone=self.looks % 20 == 0)
        self.touched.clear()

    @invariant()
    def history_grows(self) -> None:
        ids = [uuid.UUID(a) for a in self.model]
        with self.app.app_context():
            rows = db.session().execute(
                select(AlertEvent.id, AlertEvent.alert_id, AlertEvent.kind, AlertEvent.text, AlertEvent.at)
                .where(AlertEvent.alert_id.in_(ids))
                .order_by(AlertEvent.id)
            )
            now = [tuple(row) for row in rows]
        assert now[: len(self.history)] == self.history, "alert_events rows were changed or deleted"
        self.history = now
        for alert_id, m in self.model.items():
            kinds = [kind for _, of, kind, _, _ in now if str(of) == alert_id]
            assert kinds == m.events, f"{alert_id}: history {kinds}, expected {m.events}"
            assert sum(kind in ENDINGS for kind in kinds) == (m.status in ENDINGS), kinds


def test_random_alert_operations_keep_the_alert_rules(app: Flask) -> None:
    machine = type("Alerts", (AlertMachine,), {"app": app, "starts": itertools.count()})
    run_state_machine_as_test(machine, settings=SETTINGS)
