"""Every endpoint against every role, as one table.

Each row of MATRIX is one (HTTP method, URL rule) of the app; each of its eight cells is the status
that role must get. Every cell is its own test, run against a fresh world (function-scoped), so a
cell that deletes or changes something never affects another.

The roles, and how the world relates them to group A (in wijk Bargeres) and group B (in Emmerhout):

    anon       no Authorization header
    vol        active volunteer of group A          vol_b      active volunteer of group B
    coord      active coordinator of group A        coord_b    coordinator of group B
    officer    wijkagent assigned to bargeres       officer_b  wijkagent assigned to emmerhout
    admin      municipal admin, member of nothing

Rules: anon gets 401 under /api/v1; the probes are public. A group you have no relation with answers
404, never 403; a related role that is too low gets 403. Admin-only endpoints give 403 to every
signed-in non-admin. Admins manage groups but are not coordinators: they read names, but do not
approve, change roles, remove members or handle invite codes.

A cell whose app behaviour is wrong holds `bug(correct_status, reason)`: it is an xfail(strict=True)
until the app is fixed, and then fails so that someone turns it back into a plain status.

test_every_endpoint_has_a_row fails when the app gains an endpoint without a row, or loses one.

Patrols, schedules and stats: members and the wijkagent read (admins get 403: patrols are no admin
business, but group patrol-stats are); only members sign up and walk, only coordinators plan and
manage. Swaps are seen only by the two people involved (everyone else gets 404). The calendar feed
/calendar/<token>.ics needs no sign-in: the secret URL is the key, so every role gets 200.

A row with `at` runs its cells with the app's clock (buurtwacht.db.utcnow) set there, e.g. check-in,
which opens 30 minutes before the start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from buurtwacht import db
from buurtwacht.calendar import service as calendar_service
from buurtwacht.localtime import local_date, to_local
from buurtwacht.models import (
    Area,
    AreaKind,
    GroupInvite,
    MembershipRole,
    MembershipStatus,
    Patrol,
    PatrolSchedule,
    PatrolSignup,
    PatrolStatus,
    Person,
    SignupStatus,
    SwapRequest,
)
from tests.factories import Factory, GroupRef, Someone

ROLES = (
    "anonymous",
    "volunteer",
    "other_volunteer",
    "coordinator",
    "other_coordinator",
    "officer",
    "other_officer",
    "admin",
)
# The short names the table uses, in the table's column order.
COLUMNS = {
    "anon": "anonymous",
    "vol": "volunteer",
    "vol_b": "other_volunteer",
    "coord": "coordinator",
    "coord_b": "other_coordinator",
    "officer": "officer",
    "officer_b": "other_officer",
    "admin": "admin",
}
assert tuple(COLUMNS.values()) == ROLES

ERROR_KEYS = {"code", "status", "message"}


# The world -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    people: dict[str, Someone | None]  # role -> person; anonymous -> None
    group_a: GroupRef
    group_b: GroupRef
    own_membership: dict[str, uuid.UUID]  # role -> their membership (vol, coord of A; vol_b, coord_b of B)
    target: Someone  # an active volunteer of A who is none of the roles: changed role or removed
    target_membership: uuid.UUID
    applicant: Someone  # asked to join A and waits for approval
    pending_membership: uuid.UUID
    invite_code: str  # group A's live invite code
    spare_area_id: int  # a wijk made for this test, safe to change (reference areas outlive the test)
    district_id: int  # emmen-zuid, the district Bargeres lies in
    # Patrols of group A, made in the database (times in UTC):
    patrol: uuid.UUID  # planned, in two days (sign-up open); the volunteer is on its team
    patrol_starts: dt.datetime
    next_patrol: uuid.UUID  # planned, a day later; the volunteer on its team offers that place (swap)
    running: uuid.UUID  # started an hour ago: the volunteer checked in, the target did not
    schedule: uuid.UUID  # a weekly schedule of group A
    swap: uuid.UUID  # the volunteer offers their place on next_patrol to the coordinator
    stats_year: int  # the local year the running patrol counts in
    feed_tokens: dict[str, str]  # role -> the secret token of their calendar feed; every signed-in role has one

    def person(self, role: str) -> Someone:
        person = self.people[role]
        assert person is not None
        return person


def _add(app: Flask, row: Any) -> Any:
    with app.app_context():
        session = db.session()
        session.add(row)
        session.commit()
        session.refresh(row)
        session.expunge(row)
        return row


def _patrol(group: GroupRef, starts: dt.datetime, status: PatrolStatus = PatrolStatus.PLANNED) -> Patrol:
    return Patrol(
        group_id=group.id,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        meeting_point="Wijkcentrum Bargeres",
        min_team=2,
        max_team=4,
        briefing="Let op open schuurdeuren.",
        status=status,
    )


@pytest.fixture
def world(app: Flask, make: Factory) -> World:
    coordinator = make.person("Carla Coördinator", phone="+31 6 1111 1111")
    volunteer = make.person("Vera Vrijwilliger", phone="+31 6 2222 2222")
    other_coordinator = make.person("Bert Bakker")
    other_volunteer = make.person("Bas Boer")
    officer = make.person("Agnes Agent")
    other_officer = make.person("Otto Agent")
    admin = make.person("Gemma Gemeente", admin=True)
    target = make.person("Tineke Teunissen", phone="+31 6 3333 3333")
    applicant = make.person("Pieter Postma")

    group_a = make.group("bargeres", "Buurtpreventie Bargeres")
    group_b = make.group("emmerhout", "Buurtpreventie Emmerhout")
    own = {
        "coordinator": make.member(group_a, coordinator, MembershipRole.COORDINATOR),
        "volunteer": make.member(group_a, volunteer),
        "other_coordinator": make.member(group_b, other_coordinator, MembershipRole.COORDINATOR),
        "other_volunteer": make.member(group_b, other_volunteer),
    }
    target_membership = make.member(group_a, target)
    pending_membership = make.member(group_a, applicant, status=MembershipStatus.PENDING)
    make.officer(officer, "bargeres")
    make.officer(other_officer, "emmerhout")

    now = dt.datetime.now(dt.UTC)
    code = "".join(secrets.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(8))
    _add(
        app,
        GroupInvite(
            group_id=group_a.id,
            code=code,
            created_by_id=coordinator.id,
            created_at=now,
            expires_at=now + dt.timedelta(days=14),
        ),
    )
    district_id = make.area_id("emmen-zuid")
    spare = Area(
        code=f"matrix-{uuid.uuid4().hex[:8]}",
        name="Matrixwijk",
        kind=AreaKind.NEIGHBOURHOOD,
        parent_id=district_id,
        boundary=None,
    )
    spare.centre = {"lat": 52.77, "lon": 6.88}
    spare = _add(app, spare)

    # The roster: two hours each, a day or more apart, so none overlaps another.
    patrol = _add(app, _patrol(group_a, now + dt.timedelta(days=2)))
    next_patrol = _add(app, _patrol(group_a, now + dt.timedelta(days=3)))
    running = _patrol(group_a, now - dt.timedelta(hours=1), status=PatrolStatus.RUNNING)  # ends in an hour
    running.started_at = running.starts_at
    running = _add(app, running)
    for on, person, checked_in in (
        (patrol, volunteer, None),
        (next_patrol, volunteer, None),
        (running, volunteer, running.starts_at),
        (running, target, None),  # on the team but not there: the no-show
    ):
        _add(
            app,
            PatrolSignup(
                patrol_id=on.id,
                person_id=person.id,
                status=SignupStatus.CONFIRMED,
                queued_at=now - dt.timedelta(days=1),
                checked_in_at=checked_in,
            ),
        )
    schedule = _add(
        app,
        PatrolSchedule(
            group_id=group_a.id,
            rrule="FREQ=WEEKLY;BYDAY=FR",
            starts_on=local_date(now),
            start_time=dt.time(20, 0),
            duration_minutes=120,
            meeting_point="Wijkcentrum Bargeres",
            min_team=2,
            max_team=4,
            briefing="",
            created_by_id=coordinator.id,
        ),
    )
    swap = _add(
        app,
        SwapRequest(patrol_id=next_patrol.id, from_person_id=volunteer.id, to_person_id=coordinator.id),
    )
    feed_tokens = {}
    with app.app_context():
        for role, someone in (
            ("volunteer", volunteer),
            ("other_volunteer", other_volunteer),
            ("coordinator", coordinator),
            ("other_coordinator", other_coordinator),
            ("officer", officer),
            ("other_officer", other_officer),
            ("admin", admin),
        ):
            feed_tokens[role] = calendar_service.rotate(db.session().get_one(Person, someone.id))
        db.session().commit()

    return World(
        people={
            "anonymous": None,
            "volunteer": volunteer,
            "other_volunteer": other_volunteer,
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "officer": officer,
            "other_officer": other_officer,
            "admin": admin,
        },
        group_a=group_a,
        group_b=group_b,
        own_membership=own,
        target=target,
        target_membership=target_membership,
        applicant=applicant,
        pending_membership=pending_membership,
        invite_code=code,
        spare_area_id=spare.id,
        district_id=district_id,
        patrol=patrol.id,
        patrol_starts=patrol.starts_at,
        next_patrol=next_patrol.id,
        running=running.id,
        schedule=schedule.id,
        swap=swap.id,
        stats_year=to_local(running.starts_at).year,
        feed_tokens=feed_tokens,
    )


# The table's vocabulary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bug:
    """The status the app should answer but does not (yet): the cell is a strict xfail."""

    status: int
    reason: str


def bug(status: int, reason: str) -> Bug:
    return Bug(status, reason)


def cells(
    *,
    anon: int | Bug,
    vol: int | Bug,
    vol_b: int | Bug,
    coord: int | Bug,
    coord_b: int | Bug,
    officer: int | Bug,
    officer_b: int | Bug,
    admin: int | Bug,
) -> dict[str, int | Bug]:
    """One row's expected statuses, role -> status; every role must be named."""
    given = {
        "anon": anon,
        "vol": vol,
        "vol_b": vol_b,
        "coord": coord,
        "coord_b": coord_b,
        "officer": officer,
        "officer_b": officer_b,
        "admin": admin,
    }
    return {COLUMNS[short]: status for short, status in given.items()}


Body = dict[str, Any] | Callable[[World], dict[str, Any]] | None
Sees = Callable[[World, str, Any], None]


@dataclass(frozen=True)
class Row:
    method: str
    rule: str  # as in app.url_map, without converters: /api/v1/groups/<group_id>
    path: Callable[[World], str]
    expect: dict[str, int | Bug]
    body: Body = None
    sees: Sees | None = None  # what a role that may read it sees, for 2xx answers
    at: Callable[[World], dt.datetime] | None = None  # the app's clock during the request, if it matters

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.rule)


def row(
    method: str,
    rule: str,
    *,
    path: Callable[[World], str] | None = None,
    expect: dict[str, int | Bug],
    body: Body = None,
    sees: Sees | None = None,
    at: Callable[[World], dt.datetime] | None = None,
) -> Row:
    return Row(method, rule, path or (lambda _w: rule), expect, body, sees, at)


# What a successful read shows ----------------------------------------------------------------------


def sees_themselves(w: World, role: str, body: Any) -> None:
    assert body["person"]["email"] == w.person(role).email


def sees_bargeres_listed(_w: World, _role: str, body: Any) -> None:
    assert "bargeres" in [area["code"] for area in body]


def sees_bargeres(_w: World, _role: str, body: Any) -> None:
    assert body["code"] == "bargeres"
    assert body["name"] == "Bargeres"


def sees_the_wijkagent(w: World, _role: str, body: Any) -> None:
    assert [o["display_name"] for o in body] == [w.person("officer").name]


GROUPS_SEEN = {
    "volunteer": {"A"},
    "coordinator": {"A"},
    "officer": {"A"},
    "other_volunteer": {"B"},
    "other_coordinator": {"B"},
    "other_officer": {"B"},
    "admin": {"A", "B"},
}


def sees_own_groups(w: World, role: str, body: Any) -> None:
    names = {"A": w.group_a.name, "B": w.group_b.name}
    assert {g["name"] for g in body} == {names[letter] for letter in GROUPS_SEEN[role]}


def sees_group_a(w: World, _role: str, body: Any) -> None:
    assert body["name"] == w.group_a.name
    assert body["member_count"] == 3  # coordinator, volunteer, target; not the applicant


def sees_members_of_a(w: World, _role: str, body: Any) -> None:
    ids = {m["id"] for m in body}
    assert ids == {str(w.own_membership["coordinator"]), str(w.own_membership["volunteer"]), str(w.target_membership)}


def sees_invite_code(w: World, _role: str, body: Any) -> None:
    assert body["code"] == w.invite_code


def sees_ok(_w: World, _role: str, body: Any) -> None:
    assert body == {"status": "ok"}


def sees_patrols_of_a(w: World, _role: str, body: Any) -> None:
    assert {p["patrol"]["id"] for p in body} == {str(w.patrol), str(w.next_patrol), str(w.running)}


def sees_the_patrol(w: World, role: str, body: Any) -> None:
    assert body["patrol"]["id"] == str(w.patrol)
    # Coordinators see full names, the volunteer her own; the wijkagent first name and initial.
    volunteer = w.person("volunteer").name
    assert [m["name"] for m in body["team"]] == [volunteer if role in ("coordinator", "volunteer") else "Vera V."]
    assert body["my_status"] == ("confirmed" if role == "volunteer" else None)


def sees_own_upcoming_patrols(w: World, role: str, body: Any) -> None:
    theirs = {str(w.patrol), str(w.next_patrol), str(w.running)} if role == "volunteer" else set()
    assert {p["patrol"]["id"] for p in body} == theirs


def sees_hours_per_member_by_role(w: World, role: str, body: Any) -> None:
    assert body["year"] == w.stats_year
    assert sum(m["walked"] for m in body["months"]) == 1  # the running patrol, where the volunteer checked in
    # Coordinators see every member who walked, a volunteer only herself, the wijkagent and admins nobody.
    walkers = [w.person("volunteer").name] if role in ("coordinator", "volunteer") else []
    assert [m["name"] for m in body["members"]] == walkers


def sees_own_walks(w: World, role: str, body: Any) -> None:
    assert body["year"] == w.stats_year
    assert sum(m["patrols"] for m in body["months"]) == (1 if role == "volunteer" else 0)


def sees_the_schedule_listed(w: World, _role: str, body: Any) -> None:
    assert [s["id"] for s in body] == [str(w.schedule)]


def sees_the_schedule(w: World, _role: str, body: Any) -> None:
    assert (body["id"], body["start_time"], body["end_time"]) == (str(w.schedule), "20:00", "22:00")


def sees_own_swaps(w: World, role: str, body: Any) -> None:
    assert [s["id"] for s in body] == ([str(w.swap)] if role in ("volunteer", "coordinator") else [])


def sees_feed_on(_w: World, _role: str, body: Any) -> None:
    assert body["active"] is True


def sees_the_volunteers_patrols(w: World, _role: str, body: Any) -> None:
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert {str(e["uid"]) for e in events} == {f"{p}@buurtwacht" for p in (w.patrol, w.next_patrol, w.running)}


# Paths, bodies and clocks --------------------------------------------------------------------------


def group_a(w: World) -> str:
    return f"/api/v1/groups/{w.group_a.id}"


def bargeres(w: World) -> str:
    return f"/api/v1/areas/{w.group_a.area_id}"


def a_patrol(w: World) -> str:
    return f"/api/v1/patrols/{w.patrol}"


def the_running_patrol(w: World) -> str:
    return f"/api/v1/patrols/{w.running}"


def a_schedule(w: World) -> str:
    return f"/api/v1/schedules/{w.schedule}"


def the_swap(w: World) -> str:
    return f"/api/v1/swaps/{w.swap}"


def feed_of(role: str) -> Callable[[World], str]:
    return lambda w: f"/calendar/{w.feed_tokens[role]}.ics"


def new_patrol(w: World) -> dict[str, Any]:
    starts = w.patrol_starts + dt.timedelta(days=7)
    return {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
        "meeting_point": "Kerkplein",
    }


NEW_SCHEDULE = {
    "rrule": "FREQ=WEEKLY;BYDAY=TU",
    "start_time": "20:00",
    "end_time": "22:00",
    "meeting_point": "Kerkplein",
}


def the_target(w: World) -> dict[str, Any]:
    return {"person_id": str(w.target.id)}


def to_the_target(w: World) -> dict[str, Any]:
    return {"to_person_id": str(w.target.id)}


def target_missing(w: World) -> dict[str, Any]:
    return {"person_ids": [str(w.target.id)]}


def shortly_before_the_patrol(w: World) -> dt.datetime:
    return w.patrol_starts - dt.timedelta(minutes=10)  # check-in opens 30 minutes before the start


# The matrix ----------------------------------------------------------------------------------------
# 401 not signed in · 403 related but role too low / not admin · 404 no relation to group A · 409 conflict

# fmt: off
MATRIX: list[Row] = [
    # The signed-in person
    row("GET", "/api/v1/me", sees=sees_themselves,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("PATCH", "/api/v1/me", body={"locale": "en"},
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),

    # Areas: reference data for everyone signed in; changes by admins
    row("GET", "/api/v1/areas", sees=sees_bargeres_listed,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("POST", "/api/v1/areas",
        body=lambda w: {"code": "matrix-nieuw", "name": "Nieuwe Wijk", "kind": "neighbourhood",
                        "parent_id": w.district_id, "centre": {"lat": 52.76, "lon": 6.89}},
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=403, officer_b=403, admin=201)),
    row("GET", "/api/v1/areas/<area_id>", path=bargeres, sees=sees_bargeres,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("PATCH", "/api/v1/areas/<area_id>", path=lambda w: f"/api/v1/areas/{w.spare_area_id}",
        body={"name": "Matrixwijk-Noord"},
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=403, officer_b=403, admin=200)),
    row("GET", "/api/v1/areas/<area_id>/officers", path=lambda w: f"{bargeres(w)}/officers", sees=sees_the_wijkagent,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("POST", "/api/v1/areas/<area_id>/officers", path=lambda w: f"{bargeres(w)}/officers",
        body={"email": "nieuwe.agent@example.org", "display_name": "Nina Agent"},
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=403, officer_b=403, admin=201)),
    row("DELETE", "/api/v1/areas/<area_id>/officers/<person_id>",
        path=lambda w: f"{bargeres(w)}/officers/{w.person('officer').id}",
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=403, officer_b=403, admin=204)),

    # Groups
    row("GET", "/api/v1/groups", sees=sees_own_groups,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("POST", "/api/v1/groups",
        body=lambda w: {"name": "Buurtpreventie Bargeres-Oost", "area_id": w.group_a.area_id,
                        "coordinator": {"email": "nieuwe.coordinator@example.org", "display_name": "Nico Nieuw"}},
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=403, officer_b=403, admin=201)),
    row("GET", "/api/v1/groups/<group_id>", path=group_a, sees=sees_group_a,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=200)),
    row("PATCH", "/api/v1/groups/<group_id>", path=group_a, body={"description": "Wij lopen op dinsdagavond."},
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=200)),

    # Members of group A
    row("GET", "/api/v1/groups/<group_id>/members", path=lambda w: f"{group_a(w)}/members", sees=sees_members_of_a,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=200)),
    row("PATCH", "/api/v1/groups/<group_id>/members/<membership_id>",
        path=lambda w: f"{group_a(w)}/members/{w.target_membership}", body={"role": "coordinator"},
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("DELETE", "/api/v1/groups/<group_id>/members/<membership_id>",
        path=lambda w: f"{group_a(w)}/members/{w.target_membership}",
        expect=cells(anon=401, vol=403, vol_b=404, coord=204, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("POST", "/api/v1/groups/<group_id>/members/<membership_id>/approve",
        path=lambda w: f"{group_a(w)}/members/{w.pending_membership}/approve",
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("POST", "/api/v1/groups/<group_id>/members/<membership_id>/reject",
        path=lambda w: f"{group_a(w)}/members/{w.pending_membership}/reject",
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),

    # Group A's invite code, and joining with it
    row("GET", "/api/v1/groups/<group_id>/invite", path=lambda w: f"{group_a(w)}/invite", sees=sees_invite_code,
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("POST", "/api/v1/groups/<group_id>/invite", path=lambda w: f"{group_a(w)}/invite", body={"valid_days": 7},
        expect=cells(anon=401, vol=403, vol_b=404, coord=201, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("DELETE", "/api/v1/groups/<group_id>/invite", path=lambda w: f"{group_a(w)}/invite",
        expect=cells(anon=401, vol=403, vol_b=404, coord=204, coord_b=404, officer=403, officer_b=404, admin=403)),
    # Anyone signed in may ask to join with a code; members of A already are (409).
    row("POST", "/api/v1/joins", body=lambda w: {"code": w.invite_code},
        expect=cells(anon=401, vol=409, vol_b=201, coord=409, coord_b=201, officer=201, officer_b=201, admin=201)),

    # Patrols of group A: members and the wijkagent read, admins do not (access.MEMBERS_AND_OFFICERS);
    # coordinators plan and manage them.
    row("GET", "/api/v1/groups/<group_id>/patrols", path=lambda w: f"{group_a(w)}/patrols", sees=sees_patrols_of_a,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=403)),
    row("POST", "/api/v1/groups/<group_id>/patrols", path=lambda w: f"{group_a(w)}/patrols", body=new_patrol,
        expect=cells(anon=401, vol=403, vol_b=404, coord=201, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("GET", "/api/v1/patrols/<patrol_id>", path=a_patrol, sees=sees_the_patrol,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=403)),
    row("PATCH", "/api/v1/patrols/<patrol_id>", path=a_patrol, body={"briefing": "Let op de fietsenstalling."},
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("POST", "/api/v1/patrols/<patrol_id>/cancel", path=lambda w: f"{a_patrol(w)}/cancel", body={"reason": "Storm"},
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),

    # The roster: members sign up; the volunteer is on the team already (a retry changes nothing), the
    # coordinator joins it. The wijkagent reads the roster but does not walk.
    row("PUT", "/api/v1/patrols/<patrol_id>/signup", path=lambda w: f"{a_patrol(w)}/signup",
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    # coord 409: not signed up, so nothing to withdraw (the state refuses, not the role).
    row("DELETE", "/api/v1/patrols/<patrol_id>/signup", path=lambda w: f"{a_patrol(w)}/signup",
        expect=cells(anon=401, vol=204, vol_b=404, coord=409, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("POST", "/api/v1/patrols/<patrol_id>/team", path=lambda w: f"{a_patrol(w)}/team", body=the_target,
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("DELETE", "/api/v1/patrols/<patrol_id>/team/<person_id>",
        path=lambda w: f"{a_patrol(w)}/team/{w.person('volunteer').id}",
        expect=cells(anon=401, vol=403, vol_b=404, coord=204, coord_b=404, officer=403, officer_b=404, admin=403)),

    # On the street. Check-in: 10 minutes before the start; coord 403 "only the patrol's team checks in"
    # (not on the team: the state refuses; the service answers 403 for it).
    row("POST", "/api/v1/patrols/<patrol_id>/check-in", path=lambda w: f"{a_patrol(w)}/check-in",
        at=shortly_before_the_patrol,
        expect=cells(anon=401, vol=200, vol_b=404, coord=403, coord_b=404, officer=403, officer_b=404, admin=403)),
    # The running patrol: the volunteer checked in. coord 409 "check in first" (the state refuses, not the role).
    row("POST", "/api/v1/patrols/<patrol_id>/check-out", path=lambda w: f"{the_running_patrol(w)}/check-out",
        expect=cells(anon=401, vol=200, vol_b=404, coord=409, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("POST", "/api/v1/patrols/<patrol_id>/complete", path=lambda w: f"{the_running_patrol(w)}/complete",
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("POST", "/api/v1/patrols/<patrol_id>/no-shows", path=lambda w: f"{the_running_patrol(w)}/no-shows",
        body=target_missing,
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("GET", "/api/v1/me/patrols", sees=sees_own_upcoming_patrols,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),

    # Hours walked: group totals for every reader of the group, admins included (access.GROUP_WIDE_READERS)
    row("GET", "/api/v1/groups/<group_id>/patrol-stats", sees=sees_hours_per_member_by_role,
        path=lambda w: f"{group_a(w)}/patrol-stats?year={w.stats_year}",
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=200)),
    row("GET", "/api/v1/me/patrol-stats", path=lambda w: f"/api/v1/me/patrol-stats?year={w.stats_year}",
        sees=sees_own_walks,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),

    # Schedules of group A: read like patrols, changed by coordinators
    row("GET", "/api/v1/groups/<group_id>/schedules", path=lambda w: f"{group_a(w)}/schedules",
        sees=sees_the_schedule_listed,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=403)),
    row("POST", "/api/v1/groups/<group_id>/schedules", path=lambda w: f"{group_a(w)}/schedules", body=NEW_SCHEDULE,
        expect=cells(anon=401, vol=403, vol_b=404, coord=201, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("GET", "/api/v1/schedules/<schedule_id>", path=a_schedule, sees=sees_the_schedule,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=403)),
    row("PATCH", "/api/v1/schedules/<schedule_id>", path=a_schedule, body={"meeting_point": "Kerkplein"},
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("DELETE", "/api/v1/schedules/<schedule_id>", path=a_schedule,
        expect=cells(anon=401, vol=403, vol_b=404, coord=204, coord_b=404, officer=403, officer_b=404, admin=403)),

    # Swaps. The volunteer offers her place on the patrol to the target; coord 409: no place of his own
    # on it to offer (the state refuses, not the role).
    row("POST", "/api/v1/patrols/<patrol_id>/swaps", path=lambda w: f"{a_patrol(w)}/swaps", body=to_the_target,
        expect=cells(anon=401, vol=201, vol_b=404, coord=409, coord_b=404, officer=403, officer_b=404, admin=403)),
    # The world's swap: the volunteer offered her place on the next patrol to the coordinator. Only those two
    # see it (anyone else: 404, the wijkagent and admins too); the one of them who may not do this gets 403.
    row("POST", "/api/v1/swaps/<swap_id>/accept", path=lambda w: f"{the_swap(w)}/accept",
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=404, officer_b=404, admin=404)),
    row("POST", "/api/v1/swaps/<swap_id>/decline", path=lambda w: f"{the_swap(w)}/decline",
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=404, officer_b=404, admin=404)),
    row("DELETE", "/api/v1/swaps/<swap_id>", path=the_swap,
        expect=cells(anon=401, vol=204, vol_b=404, coord=403, coord_b=404, officer=404, officer_b=404, admin=404)),
    row("GET", "/api/v1/me/swaps", sees=sees_own_swaps,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),

    # The calendar feed: everyone signed in has one in this world (without one, DELETE is 404).
    row("GET", "/api/v1/me/calendar", sees=sees_feed_on,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("POST", "/api/v1/me/calendar",
        expect=cells(anon=401, vol=201, vol_b=201, coord=201, coord_b=201, officer=201, officer_b=201, admin=201)),
    row("DELETE", "/api/v1/me/calendar",
        expect=cells(anon=401, vol=204, vol_b=204, coord=204, coord_b=204, officer=204, officer_b=204, admin=204)),
    # No sign-in: the secret URL is the key. Anyone holding the volunteer's URL reads her patrols.
    row("GET", "/calendar/<token>.ics", path=feed_of("volunteer"), sees=sees_the_volunteers_patrols,
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),

    # Probes: public
    row("GET", "/healthz", sees=sees_ok,
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("GET", "/readyz", sees=sees_ok,
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
]
# fmt: on


# Endpoints the app has that this table does not cover yet (incident notes, alerts and devices came after
# it). Each should become a row; the check below fails if one of these gets a row or leaves the app, so
# this list only shrinks.
NOT_YET_IN_MATRIX = {
    ("GET", "/api/v1/note-categories"),
    ("GET", "/api/v1/groups/<group_id>/categories"),
    ("PUT", "/api/v1/groups/<group_id>/categories"),
    ("GET", "/api/v1/groups/<group_id>/notes"),
    ("POST", "/api/v1/groups/<group_id>/notes"),
    ("GET", "/api/v1/groups/<group_id>/notes/counts"),
    ("GET", "/api/v1/groups/<group_id>/notes/export"),
    ("GET", "/api/v1/notes/<note_id>"),
    ("PATCH", "/api/v1/notes/<note_id>"),
    ("POST", "/api/v1/notes/<note_id>/share"),
    ("POST", "/api/v1/notes/<note_id>/status"),
    ("POST", "/api/v1/notes/<note_id>/review"),
    ("POST", "/api/v1/notes/<note_id>/comments"),
    ("POST", "/api/v1/notes/<note_id>/photos"),
    ("GET", "/api/v1/notes/<note_id>/photos/<photo_id>"),
    # Alerts, devices and area subscriptions
    ("GET", "/api/v1/alerts"),
    ("POST", "/api/v1/alerts"),
    ("GET", "/api/v1/alerts/<alert_id>"),
    ("GET", "/api/v1/alerts/<alert_id>/cap"),
    ("GET", "/api/v1/alerts/<alert_id>/stats"),
    ("GET", "/api/v1/alerts/<alert_id>/tips"),
    ("POST", "/api/v1/alerts/<alert_id>/tips"),
    ("POST", "/api/v1/alerts/<alert_id>/updates"),
    ("POST", "/api/v1/alerts/<alert_id>/close"),
    ("POST", "/api/v1/alerts/<alert_id>/cancel"),
    ("PUT", "/api/v1/alerts/<alert_id>/looking"),
    ("DELETE", "/api/v1/alerts/<alert_id>/looking"),
    ("GET", "/api/v1/areas/<area_id>/alert-stats"),
    ("GET", "/api/v1/areas/<area_id>/alerts.atom"),
    ("GET", "/api/v1/me/devices"),
    ("PUT", "/api/v1/me/devices/<device_id>"),
    ("DELETE", "/api/v1/me/devices/<device_id>"),
    ("GET", "/api/v1/me/subscriptions"),
    ("PUT", "/api/v1/me/subscriptions/<area_id>"),
    ("DELETE", "/api/v1/me/subscriptions/<area_id>"),
}


def _cell_params() -> list[Any]:
    params = []
    for r in MATRIX:
        for role in ROLES:
            expected = r.expect[role]
            marks = [pytest.mark.xfail(strict=True, reason=expected.reason)] if isinstance(expected, Bug) else []
            params.append(pytest.param(r, role, id=f"{r.method} {r.rule} [{role}]", marks=marks))
    return params


# The tests -----------------------------------------------------------------------------------------


def _request(
    client: FlaskClient, make: Factory, w: World, method: str, path: str, role: str, body: dict[str, Any] | None = None
) -> Any:
    return client.open(path, method=method, json=body, headers=make.headers(w.people[role]))


@pytest.mark.parametrize(("r", "role"), _cell_params())
def test_cell(client: FlaskClient, make: Factory, world: World, r: Row, role: str) -> None:
    expected = r.expect[role]
    status = expected.status if isinstance(expected, Bug) else expected
    body = r.body(world) if callable(r.body) else r.body

    clock = time_machine.travel(r.at(world), tick=False) if r.at else contextlib.nullcontext()
    with clock:
        response = _request(client, make, world, r.method, r.path(world), role, body)

    assert response.status_code == status, response.get_data(as_text=True)
    if status >= 400:
        error = response.get_json()
        assert set(error) >= ERROR_KEYS, error
        assert error["code"] == status
    elif r.method == "GET" and r.sees is not None:
        r.sees(world, role, response.get_json() if response.is_json else response.get_data(as_text=True))


def _without_converters(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"<\1>", rule)


def test_every_endpoint_has_a_row(app: Flask) -> None:
    in_app = {
        (method, _without_converters(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/v1/", "/calendar/")) or rule.rule in ("/api/v1", "/healthz", "/readyz")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    in_matrix = [r.key for r in MATRIX]

    assert len(in_matrix) == len(set(in_matrix)), "a (method, rule) has more than one row"
    covered_now, gone = NOT_YET_IN_MATRIX & set(in_matrix), NOT_YET_IN_MATRIX - in_app
    assert not covered_now, f"take these off NOT_YET_IN_MATRIX, they have a row now: {sorted(covered_now)}"
    assert not gone, f"take these off NOT_YET_IN_MATRIX, the app no longer has them: {sorted(gone)}"
    missing = sorted(in_app - set(in_matrix) - NOT_YET_IN_MATRIX)
    stale = sorted(set(in_matrix) - in_app)
    assert not missing, "endpoints without a row in MATRIX: " + ", ".join(f"{m} {r}" for m, r in missing)
    assert not stale, "rows in MATRIX for endpoints the app no longer has: " + ", ".join(f"{m} {r}" for m, r in stale)


def test_every_row_names_every_role() -> None:
    for r in MATRIX:
        assert tuple(r.expect) == ROLES, r.key


# The calendar feed: the URL is the key -------------------------------------------------------------


def test_an_unknown_feed_token_is_404_and_a_new_url_stops_the_old_one(
    client: FlaskClient, make: Factory, world: World
) -> None:
    old = feed_of("volunteer")(world)
    assert client.get(old).status_code == 200
    unknown = client.get(f"/calendar/{secrets.token_urlsafe(32)}.ics")
    assert unknown.status_code == 404
    assert unknown.get_json()["code"] == 404

    made = _request(client, make, world, "POST", "/api/v1/me/calendar", "volunteer")
    assert made.status_code == 201
    new = urlsplit(made.get_json()["url"]).path

    assert client.get(old).status_code == 404  # rotation stops the old URL at once
    assert client.get(new).status_code == 200
    assert client.get(feed_of("coordinator")(world)).status_code == 200  # other people's feeds are untouched

    assert _request(client, make, world, "DELETE", "/api/v1/me/calendar", "volunteer").status_code == 204
    assert client.get(new).status_code == 404  # and turning the feed off stops the new one


# Members of group A, seen from outside and inside --------------------------------------------------


@pytest.mark.parametrize("role", ["other_volunteer", "other_coordinator", "other_officer"])
@pytest.mark.parametrize("status", ["active", "pending", "left"])
def test_another_group_never_sees_group_a_members(
    client: FlaskClient, make: Factory, world: World, role: str, status: str
) -> None:
    response = _request(client, make, world, "GET", f"{group_a(world)}/members?status={status}", role)

    assert response.status_code == 404  # not 403: that would confirm group A exists
    text = response.get_data(as_text=True)
    for member in (world.person("coordinator"), world.person("volunteer"), world.target, world.applicant):
        assert member.name.split()[0] not in text
        assert member.email not in text


def test_volunteer_sees_names_of_fellow_members_but_no_contact_details(
    client: FlaskClient, make: Factory, world: World
) -> None:
    response = _request(client, make, world, "GET", f"{group_a(world)}/members", "volunteer")

    assert response.status_code == 200
    members = {m["id"]: m for m in response.get_json()}
    coordinator = members[str(world.own_membership["coordinator"])]
    assert coordinator["name"] == "Carla C."
    for member in members.values():
        assert "email" not in member
        assert "phone" not in member
    text = response.get_data(as_text=True)
    for person in (world.person("coordinator"), world.target):
        assert person.email not in text
    assert "+31 6" not in text


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_wijkagent_and_admin_see_names_but_no_contact_details(
    client: FlaskClient, make: Factory, world: World, role: str
) -> None:
    response = _request(client, make, world, "GET", f"{group_a(world)}/members", role)

    assert response.status_code == 200
    for member in response.get_json():
        assert "email" not in member
        assert "phone" not in member
        assert member["name"].endswith(".")  # first name and initial


def test_coordinator_sees_email_and_phone_of_members(client: FlaskClient, make: Factory, world: World) -> None:
    response = _request(client, make, world, "GET", f"{group_a(world)}/members", "coordinator")

    assert response.status_code == 200
    members = {m["id"]: m for m in response.get_json()}
    volunteer = members[str(world.own_membership["volunteer"])]
    assert volunteer["name"] == "Vera Vrijwilliger"
    assert volunteer["email"] == world.person("volunteer").email
    assert volunteer["phone"] == "+31 6 2222 2222"
    target = members[str(world.target_membership)]
    assert (target["email"], target["phone"]) == (world.target.email, "+31 6 3333 3333")


@pytest.mark.parametrize(
    ("role", "expected"), [("volunteer", 403), ("officer", 403), ("admin", 403), ("coordinator", 200)]
)
def test_only_the_coordinator_lists_requests_to_join(
    client: FlaskClient, make: Factory, world: World, role: str, expected: int
) -> None:
    response = _request(client, make, world, "GET", f"{group_a(world)}/members?status=pending", role)

    assert response.status_code == expected
    if expected == 200:
        assert [m["id"] for m in response.get_json()] == [str(world.pending_membership)]


@pytest.mark.parametrize(("role", "expected"), [("coordinator", 403), ("admin", 200)])
def test_only_an_admin_moves_a_group_to_another_area(
    client: FlaskClient, make: Factory, world: World, role: str, expected: int
) -> None:
    rietlanden = make.area_id("rietlanden")
    response = _request(client, make, world, "PATCH", group_a(world), role, {"area_id": rietlanden})

    assert response.status_code == expected
    after = _request(client, make, world, "GET", group_a(world), "admin").get_json()
    assert after["area"]["id"] == (rietlanden if expected == 200 else world.group_a.area_id)
