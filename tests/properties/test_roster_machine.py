"""The patrol roster as a state machine: random sequences of roster changes through the HTTP API.

A coordinator plans patrols; four volunteers sign up and withdraw; the coordinator puts people on
and takes them off the team, moves patrols, changes their maximum and cancels them; the team checks
in and out on the street and the coordinator completes the patrol; the clock moves on. A model
predicts every answer from the rules in README.md ("Patrols"), and after every step these hold,
read from what the API shows:

- every answer is a 2xx or a 4xx, never a 5xx;
- the team never exceeds the patrol's maximum;
- the waiting list keeps its order (people leave it, or join at its end), and a planned patrol with
  a waiting list is full: a freed place goes to the first in line at once;
- nobody holds a place on two overlapping planned or running patrols;
- a patrol's status only moves along the table: planned -> running -> completed, planned -> cancelled;
- patrol_events rows are appended, never changed or deleted.

The clock is frozen at T0 and moves one second per request (distinct, ordered timestamps), and
further when a step goes to a moment that matters to its patrol: check-in opening, the withdrawal
deadline, the end. Every example has its own group and people; 12 examples of 40 steps take ~10 s
on SQLite and ~12 s on PostgreSQL (2.5 times that on a slow day: CI must stay under 15 minutes).
"""

from __future__ import annotations

import datetime as dt
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
from buurtwacht.models import MembershipRole, PatrolEvent
from tests.factories import Factory, Someone

T0 = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
VOLUNTEERS = ("Anna Akkerman", "Bram Bos", "Cor Claassen", "Dirk Dekker")
# The group's defaults and the service's windows (README.md, "Patrols").
SIGNUP_OPENS = dt.timedelta(days=28)
WITHDRAW_UNTIL = dt.timedelta(hours=12)
CHECK_IN_EARLY = dt.timedelta(minutes=30)
CHECK_IN_LATE = dt.timedelta(hours=2)

ALLOWED_MOVES = {("planned", "running"), ("planned", "cancelled"), ("running", "completed")}
LIVE = ("planned", "running")  # places on these patrols count for overlaps

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

# Indexes into the patrols and people a rule may pick: hypothesis tries small ones most, and they pick
# what lets most happen (see RosterMachine.patrol and .person).
a_patrol = st.integers(0, 7)
someone = st.integers(0, 2 * len(VOLUNTEERS) - 1)
# The operations a step draws from; a few appear more than once, so that teams form and walk.
OPERATIONS = (
    "sign_up", "check_in", "withdraw", "check_out", "sign_up", "check_in", "put_on_team", "take_off_team",
    "complete", "change_maximum", "move", "cancel", "plan", "wait", "sign_up", "withdraw", "check_out",
)  # fmt: skip
PLAN_AHEAD = (2, 14, 1, 26, 3, 24 * 29)  # hours from now; the last is before sign-up opens
MAX_PATROLS = 6
# Moments that matter to a patrol; the clock only moves forward. Which ones an operation moves to:
MOMENTS_FOR = {
    "check_in": ("start-20m", "now", "start+30m", "start-40m", "end+1h", "end+3h"),
    "check_out": ("now", "end+1h", "end+3h"),
    "complete": ("now", "end+1h", "end+3h"),
    "withdraw": ("now", "deadline+1h", "deadline-1h"),
    "take_off_team": ("now", "deadline+1h", "start+30m"),
    "wait": ("deadline-1h", "deadline+1h", "start-20m", "start+30m", "end+3h"),
}
MOMENTS = {
    "now": None,
    "start-20m": ("starts", -dt.timedelta(minutes=20)),
    "deadline-1h": ("starts", -WITHDRAW_UNTIL - dt.timedelta(hours=1)),
    "deadline+1h": ("starts", -WITHDRAW_UNTIL + dt.timedelta(hours=1)),
    "start-40m": ("starts", -dt.timedelta(minutes=40)),
    "start+30m": ("starts", dt.timedelta(minutes=30)),
    "end+1h": ("ends", dt.timedelta(hours=1)),
    "end+3h": ("ends", dt.timedelta(hours=3)),
}


@dataclass
class PatrolModel:
    """What the roster of one patrol should be."""

    starts: dt.datetime
    ends: dt.datetime
    max_team: int
    status: str = "planned"
    confirmed: list[uuid.UUID] = field(default_factory=list)
    waiting: list[uuid.UUID] = field(default_factory=list)  # in line order
    checked_in: set[uuid.UUID] = field(default_factory=set)
    checked_out: set[uuid.UUID] = field(default_factory=set)

    def holds(self, person: uuid.UUID) -> bool:
        return person in self.confirmed or person in self.waiting

    def overlaps(self, starts: dt.datetime, ends: dt.datetime) -> bool:
        return self.starts < ends and self.ends > starts

    def promote(self) -> None:
        while self.status == "planned" and len(self.confirmed) < self.max_team and self.waiting:
            self.confirmed.append(self.waiting.pop(0))

    def release(self, person: uuid.UUID) -> None:
        if person in self.confirmed:
            self.confirmed.remove(person)
            self.promote()
        else:
            self.waiting.remove(person)


class RosterMachine(RuleBasedStateMachine):
    app: ClassVar[Flask]

    def __init__(self) -> None:
        super().__init__()
        # Each example has its own group and people, so examples never meet.
        self.traveller = time_machine.travel(T0, tick=False)
        self.clock = self.traveller.start()
        self.now = T0
        self.client = self.app.test_client()
        self.make = Factory(self.app)
        self.coordinator = self.make.person("Carla Coördinator")
        self.group = self.make.group("bargeres", coordinator=self.coordinator)
        self.volunteers: list[Someone] = [self.make.person(name) for name in VOLUNTEERS]
        for volunteer in self.volunteers:
            self.make.member(self.group, volunteer, MembershipRole.VOLUNTEER)
        self.model: dict[str, PatrolModel] = {}
        self.views: dict[str, dict[str, Any]] = {}  # the last look at each patrol
        self.touched: set[str] = set()
        self.looks = 0
        self.history: list[tuple[Any, ...]] = []

    def teardown(self) -> None:
        self.traveller.stop()

    # Talking to the API

    def tick(self, by: dt.timedelta = dt.timedelta(seconds=1)) -> None:
        self.clock.shift(by)
        self.now += by

    def clock_to(self, m: PatrolModel, moment: str) -> None:
        """Forward to a moment of the patrol's, if it comes within a day and a half."""
        if (where := MOMENTS[moment]) is not None:
            anchor, offset = where
            target = getattr(m, anchor) + offset
            if self.now < target < self.now + dt.timedelta(hours=36):
                self.tick(target - self.now)

    def call(self, method: str, path: str, who: Someone, body: dict[str, Any] | None = None) -> TestResponse:
        self.tick()
        if path.startswith("/api/v1/patrols/"):
            self.touched.add(path.split("/")[4])
        response = self.client.open(path, method=method, json=body, headers=self.make.headers(who))
        assert response.status_code < 500, f"{method} {path}: {response.status_code} {response.get_data(as_text=True)}"
        return response

    def expect(self, response: TestResponse, status: int, what: str) -> None:
        assert response.status_code == status, (
            f"{what}: expected {status}, got {response.status_code} {response.get_data(as_text=True)}"
        )

    def current(self) -> list[str]:
        """Planned or running patrols whose check-in has not closed, soonest first: where most can happen."""
        current = [p for p, m in self.model.items() if m.status in LIVE and self.now <= m.ends + CHECK_IN_LATE]
        return sorted(current, key=lambda p: self.model[p].starts)

    def patrol(self, index: int, operation: str) -> tuple[str, PatrolModel]:
        """Mostly current patrols where the operation can do something: running ones to check out of or
        complete, ones with a team to check in to, else ones not started yet. The last index: any patrol."""
        current = self.current()
        if operation in ("check_out", "complete"):
            current = [p for p, m in self.model.items() if m.status == "running"] or current
        elif operation == "check_in":
            current = [p for p in current if self.model[p].confirmed] or current
        else:
            current = [p for p in current if self.model[p].starts > self.now] or current
        if not current or index == 7:
            current = list(self.model)
        patrol_id = current[index % len(current)]
        return patrol_id, self.model[patrol_id]

    def person(self, m: PatrolModel, index: int, *, among: str) -> Someone:
        """Mostly people on the team then the waiting list ("team"), the other way round ("line"), those
        who checked in ("street") or people without a place ("outside"); the last index anyone."""
        by_id = {v.id: v for v in self.volunteers}
        if among == "street":
            first = [by_id[p] for p in m.confirmed if p in m.checked_in] + [by_id[p] for p in m.confirmed]
        elif among == "outside":
            first = [v for v in self.volunteers if not m.holds(v.id)]
        else:
            first = [by_id[p] for p in (m.confirmed + m.waiting if among == "team" else m.waiting + m.confirmed)]
        if not first or index == 2 * len(VOLUNTEERS) - 1:
            return self.volunteers[index % len(self.volunteers)]
        return first[index % len(first)]

    def clashes(self, person: uuid.UUID, patrol_id: str, starts: dt.datetime, ends: dt.datetime) -> bool:
        return any(
            other_id != patrol_id and other.status in LIVE and other.holds(person) and other.overlaps(starts, ends)
            for other_id, other in self.model.items()
        )

    # The one rule: hypothesis turns rules off at random per example ("swarm testing"), which on a budget
    # of a few dozen examples leaves most of them without sign-ups or check-ins. One rule that draws the
    # operation keeps every example a mix.

    @initialize(hours=st.integers(1, 3), max_team=st.integers(1, 3))
    def plan_the_first(self, hours: int, max_team: int) -> None:
        self._plan(2, 0, hours, max_team)  # soon: check-in opens in an hour and a half

    @rule(
        operation=st.sampled_from(OPERATIONS),
        patrol=a_patrol,
        who=someone,
        when=st.integers(0, 5),
        hours_later=st.sampled_from([1, -1, 2, -3, 5, 24, -26]),
        hours=st.integers(1, 3),
        max_team=st.integers(1, 4),
    )
    def step(
        self, operation: str, patrol: int, who: int, when: int, hours_later: int, hours: int, max_team: int
    ) -> None:
        """Someone does something to a patrol, for some operations at a moment that matters to it."""
        # The coordinator keeps a patrol ahead on the roster (the clock moves on quickly, and a few dozen
        # steps would otherwise run out of patrols to sign up for); "plan" adds one more.
        if not any(m.starts > self.now for m in self.model.values()) and len(self.model) < MAX_PATROLS:
            self._plan(PLAN_AHEAD[len(self.model) % len(PLAN_AHEAD)], 0, hours, max_team)
        if operation == "plan":
            if len(self.model) < MAX_PATROLS:
                self._plan(PLAN_AHEAD[when % len(PLAN_AHEAD)], 20 * (who % 3), hours, max_team)
            return
        patrol_id, m = self.patrol(patrol, operation)
        moments = MOMENTS_FOR.get(operation, ("now",))
        self.clock_to(m, moments[when % len(moments)])
        if operation in ("sign_up", "put_on_team"):
            getattr(self, operation)(patrol_id, m, self.person(m, who, among="outside"))
        elif operation in ("withdraw", "take_off_team"):
            getattr(self, operation)(patrol_id, m, self.person(m, who, among="line"))
        elif operation == "check_in":
            self.check_in(patrol_id, m, self.person(m, who, among="team"))
        elif operation == "check_out":
            self.check_out(patrol_id, m, self.person(m, who, among="street"))
        elif operation == "move":
            self.move(patrol_id, m, hours_later, hours)
        elif operation == "change_maximum":
            self.change_maximum(patrol_id, m, max_team)
        elif operation in ("complete", "cancel"):
            getattr(self, operation)(patrol_id, m)
        # "wait": the clock has moved on, nothing else

    def _plan(self, hours_ahead: int, minutes: int, hours: int, max_team: int) -> None:
        starts = (self.now + dt.timedelta(hours=hours_ahead, minutes=minutes)).replace(second=0)
        ends = starts + dt.timedelta(hours=hours)
        body = {
            "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat(),
            "meeting_point": "Wijkcentrum",
            "min_team": 1,
            "max_team": max_team,
        }
        response = self.call("POST", f"/api/v1/groups/{self.group.id}/patrols", self.coordinator, body)
        self.expect(response, 201, "planning a patrol")
        patrol_id = response.get_json()["id"]
        self.model[patrol_id] = PatrolModel(starts, ends, max_team)
        self.touched.add(patrol_id)

    # What each operation should answer, and what it changes

    def sign_up(self, patrol_id: str, m: PatrolModel, person: Someone) -> None:
        response = self.call("PUT", f"/api/v1/patrols/{patrol_id}/signup", person)
        if person.id in m.confirmed:
            expected: tuple[int, str | None] = (200, "confirmed")
        elif person.id in m.waiting:
            expected = (200, "waitlisted")
        elif m.status != "planned" or m.starts <= self.now or self.now < m.starts - SIGNUP_OPENS:
            expected = (409, None)  # not open for sign-up
        elif self.clashes(person.id, patrol_id, m.starts, m.ends):
            expected = (409, None)
        elif len(m.confirmed) >= m.max_team:
            expected = (200, "waitlisted")
            m.waiting.append(person.id)
        else:
            expected = (200, "confirmed")
            m.confirmed.append(person.id)
        got = (response.status_code, (response.get_json() or {}).get("status") if response.status_code == 200 else None)
        assert got == expected, f"sign-up: expected {expected}, got {got} {response.get_data(as_text=True)}"

    def put_on_team(self, patrol_id: str, m: PatrolModel, person: Someone) -> None:
        body = {"person_id": str(person.id)}
        response = self.call("POST", f"/api/v1/patrols/{patrol_id}/team", self.coordinator, body)
        if m.status != "planned":
            self.expect(response, 409, "putting someone on a patrol no longer planned")
        elif person.id in m.confirmed:
            self.expect(response, 200, "putting someone on the team who is on it")
        elif person.id in m.waiting and len(m.confirmed) < m.max_team:
            self.expect(response, 200, "taking someone from the waiting list onto the team")
            m.waiting.remove(person.id)
            m.confirmed.append(person.id)
        elif len(m.confirmed) >= m.max_team or self.clashes(person.id, patrol_id, m.starts, m.ends):
            self.expect(response, 409, "putting someone on a full team, or on two patrols at once")
        else:
            self.expect(response, 200, "putting someone on the team")
            m.confirmed.append(person.id)

    def withdraw(self, patrol_id: str, m: PatrolModel, person: Someone) -> None:
        response = self.call("DELETE", f"/api/v1/patrols/{patrol_id}/signup", person)
        if not m.holds(person.id) or m.status != "planned":
            self.expect(response, 409, "withdrawing without a place, or from a patrol no longer planned")
        elif person.id in m.confirmed and self.now > m.starts - WITHDRAW_UNTIL:
            self.expect(response, 409, "withdrawing from the team after the deadline")
        else:
            self.expect(response, 204, "withdrawing")
            m.release(person.id)

    def take_off_team(self, patrol_id: str, m: PatrolModel, person: Someone) -> None:
        response = self.call("DELETE", f"/api/v1/patrols/{patrol_id}/team/{person.id}", self.coordinator)
        if m.status != "planned":
            self.expect(response, 409, "taking someone off a patrol no longer planned")
        elif not m.holds(person.id):
            self.expect(response, 404, "taking off someone without a place")
        else:
            self.expect(response, 204, "taking someone off the team or the waiting list")
            m.release(person.id)

    def check_in(self, patrol_id: str, m: PatrolModel, person: Someone) -> None:
        response = self.call("POST", f"/api/v1/patrols/{patrol_id}/check-in", person)
        if person.id not in m.confirmed:
            self.expect(response, 403, "checking in without a place on the team")
        elif person.id in m.checked_in:
            self.expect(response, 200, "checking in again")
        elif m.status not in LIVE or not m.starts - CHECK_IN_EARLY <= self.now <= m.ends + CHECK_IN_LATE:
            self.expect(response, 409, "checking in outside the window, or on a patrol that ended")
        else:
            self.expect(response, 200, "checking in")
            m.checked_in.add(person.id)
            m.status = "running"

    def check_out(self, patrol_id: str, m: PatrolModel, person: Someone) -> None:
        response = self.call("POST", f"/api/v1/patrols/{patrol_id}/check-out", person)
        if person.id not in m.confirmed:
            self.expect(response, 403, "checking out without a place on the team")
        elif person.id not in m.checked_in:
            self.expect(response, 409, "checking out before checking in")
        elif person.id in m.checked_out:
            self.expect(response, 200, "checking out again")
        else:
            self.expect(response, 200, "checking out")
            m.checked_out.add(person.id)
            if m.status == "running" and m.checked_in <= m.checked_out:
                m.status = "completed"

    def complete(self, patrol_id: str, m: PatrolModel) -> None:
        response = self.call("POST", f"/api/v1/patrols/{patrol_id}/complete", self.coordinator)
        if m.status != "running":
            self.expect(response, 409, f"completing a {m.status} patrol")
        else:
            self.expect(response, 200, "completing a running patrol")
            m.status = "completed"
            m.checked_out |= m.checked_in

    def cancel(self, patrol_id: str, m: PatrolModel) -> None:
        body = {"reason": "Te weinig mensen"}
        response = self.call("POST", f"/api/v1/patrols/{patrol_id}/cancel", self.coordinator, body)
        if m.status != "planned":
            self.expect(response, 409, f"cancelling a {m.status} patrol")
        else:
            self.expect(response, 200, "cancelling a planned patrol")
            m.status = "cancelled"

    def move(self, patrol_id: str, m: PatrolModel, hours_later: int, hours: int) -> None:
        starts = m.starts + dt.timedelta(hours=hours_later)
        ends = starts + dt.timedelta(hours=hours)
        body = {"starts_at": starts.isoformat(), "ends_at": ends.isoformat()}
        response = self.call("PATCH", f"/api/v1/patrols/{patrol_id}", self.coordinator, body)
        if m.status != "planned":
            self.expect(response, 409, f"moving a {m.status} patrol")
        elif ends <= self.now:
            self.expect(response, 422, "moving a patrol into the past")
        elif any(self.clashes(p, patrol_id, starts, ends) for p in m.confirmed + m.waiting):
            self.expect(response, 409, "moving a patrol onto another of someone on it")
        else:
            self.expect(response, 200, "moving a patrol")
            m.starts, m.ends = starts, ends

    def change_maximum(self, patrol_id: str, m: PatrolModel, max_team: int) -> None:
        response = self.call("PATCH", f"/api/v1/patrols/{patrol_id}", self.coordinator, {"max_team": max_team})
        if m.status != "planned":
            self.expect(response, 409, f"changing a {m.status} patrol")
        elif m.ends <= self.now:
            self.expect(response, 422, "changing a patrol that has ended")
        elif max_team < len(m.confirmed):
            self.expect(response, 409, "a maximum below the team")
        else:
            self.expect(response, 200, "changing the maximum")
            m.max_team = max_team
            m.promote()

    # Invariants, from what the API shows

    def read(self, patrol_id: str) -> None:
        """The patrol as its coordinator sees it, held to the rules, to the last look and to the model."""
        m = self.model[patrol_id]
        response = self.call("GET", f"/api/v1/patrols/{patrol_id}", self.coordinator)
        self.expect(response, 200, "reading a patrol")
        view: dict[str, Any] = response.get_json()
        status, max_team = view["patrol"]["status"], view["patrol"]["max_team"]
        team = [t["person_id"] for t in view["team"] if t["status"] == "confirmed"]
        waiting = [t["person_id"] for t in view["team"] if t["status"] == "waitlisted"]
        last = self.views.get(patrol_id, {"patrol": {"status": "planned"}, "team": []})

        assert len(team) <= max_team, f"{patrol_id}: {len(team)} on a team of at most {max_team}"
        assert view["confirmed"] == len(team), view
        before = last["patrol"]["status"]
        assert status == before or (before, status) in ALLOWED_MOVES, f"{patrol_id}: {before} -> {status}"
        waited = [t["person_id"] for t in last["team"] if t["status"] == "waitlisted"]
        stayed = [p for p in waited if p in waiting]
        assert waiting[: len(stayed)] == stayed, f"{patrol_id}: the waiting list was reordered: {waited} -> {waiting}"
        if status == "planned" and waiting:
            assert len(team) == max_team, f"{patrol_id}: a free place on the team while {len(waiting)} wait"

        # The model agrees: the same status, team, line and check-ins.
        assert (status, max_team) == (m.status, m.max_team), view
        assert set(team) == {str(p) for p in m.confirmed}, (team, m.confirmed)
        assert waiting == [str(p) for p in m.waiting], (waiting, m.waiting)
        checked_in = {t["person_id"] for t in view["team"] if t["checked_in_at"]}
        assert checked_in == {str(p) for p in m.checked_in if p in m.confirmed}, (checked_in, m.checked_in)
        self.views[patrol_id] = view

    @invariant()
    def rosters_hold(self) -> None:
        # A step changes the patrol it names; every tenth look reads them all, in case it changed others.
        self.looks += 1
        for patrol_id in list(self.model) if self.looks % 10 == 0 else sorted(self.touched):
            self.read(patrol_id)
        self.touched.clear()

        places: dict[str, list[tuple[str, dt.datetime, dt.datetime]]] = {}
        for patrol_id, view in self.views.items():
            if view["patrol"]["status"] in LIVE:
                starts = dt.datetime.fromisoformat(view["patrol"]["starts_at"])
                ends = dt.datetime.fromisoformat(view["patrol"]["ends_at"])
                for t in view["team"]:
                    places.setdefault(t["person_id"], []).append((patrol_id, starts, ends))
        for person, held in places.items():
            for i, (a, a_starts, a_ends) in enumerate(held):
                for b, b_starts, b_ends in held[i + 1 :]:
                    assert not (a_starts < b_ends and a_ends > b_starts), f"{person} is on {a} and {b} at once"

    @invariant()
    def history_is_append_only(self) -> None:
        with self.app.app_context():
            rows = db.session().execute(
                select(
                    PatrolEvent.id, PatrolEvent.patrol_id, PatrolEvent.kind, PatrolEvent.person_id,
                    PatrolEvent.actor_id, PatrolEvent.detail, PatrolEvent.at,
                )
                .where(PatrolEvent.patrol_id.in_([uuid.UUID(p) for p in self.model]))
                .order_by(PatrolEvent.id)
            )  # fmt: skip
            now = [tuple(row) for row in rows]
        assert now[: len(self.history)] == self.history, "patrol_events rows were changed or deleted"
        self.history = now


def test_random_roster_changes_keep_the_roster_rules(app: Flask) -> None:
    run_state_machine_as_test(type("Roster", (RosterMachine,), {"app": app}), settings=SETTINGS)
