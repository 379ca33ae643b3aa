"""Every endpoint against every role, as one table.

Each row of MATRIX is one (HTTP method, URL rule) of the app; each of its eight cells is the status
that role must get. Every cell is its own test, run against a fresh world (function-scoped), so a
cell that deletes or changes something never affects another. The world is built once a minute and
put back from its rows for the tests in between (tests/snapshots.py): the same rows every time.

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

Monthly summaries of a group: coordinators, the wijkagent and admins read them; coordinators and the
wijkagent have them e-mailed again. An area's summaries (of every group in it) and its anonymous figures are
for its wijkagent and admins; the notes its groups shared with the police, on one list, for its wijkagent only.

Notes: outsiders get 404; members read the group's notes (a held note only its author and coordinators);
the wijkagent reads what was shared with the police (each read is audited) and never a held note; admins
get 403 on a note's content but read the counts. Only coordinators choose categories, move the follow-up
on, review held notes and export; only the author edits or adds photos, within the edit window.

Alerts: an alert is seen by the people it reaches (members of groups in its areas, and subscribers), its
issuer and the wijkagent of its areas; anyone else gets 404. The issuer and the wijkagent steer it
(updates, close, cancel, tips, stats, who is looking: 403 for someone it reached); people it reached send
tips and say they are looking. A wijkagent alerts their areas, a coordinator their group's area; everyone
else is refused (403). An area's Atom feed and alert statistics are for people its alerts reach, its
wijkagent and admins (403 for the rest); a private URL of an area's feed for a feed reader
(/me/alert-feeds) is for the same people but admins, and /feeds/<token>.atom needs no sign-in: the URL is
the key. /me/devices and /me/subscriptions are everyone's own: every signed-in role has a device and a
subscription in the world.

Privacy rights: everyone signed in downloads their own data (and nobody else's) and deletes their own
account; the only coordinator of a group is refused (409) until they name another. Only admins read the
audit log of the wijkagent's reads (403 for every other signed-in role).

A row with `at` runs its cells with the app's clock (buurtwacht.db.utcnow) set there, e.g. check-in,
which opens 30 minutes before the start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
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
from PIL import Image
from sqlalchemy import select
from werkzeug.test import TestResponse

from buurtwacht import db
from buurtwacht.calendar import service as calendar_service
from buurtwacht.feeds import service as feeds_service
from buurtwacht.localtime import local_date, to_local
from buurtwacht.models import (
    AddressKind,
    Area,
    AreaKind,
    AreaSubscription,
    Device,
    GroupInvite,
    MembershipRole,
    MembershipStatus,
    NoteAccess,
    Patrol,
    PatrolSchedule,
    PatrolSignup,
    PatrolStatus,
    Person,
    Platform,
    SignupStatus,
    SwapRequest,
)
from buurtwacht.notes.categories import CATEGORIES
from tests import snapshots
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

ERROR_KEYS = {"code", "status", "message", "errors"}


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
    month: str  # the local month of now, YYYY-MM, for the monthly summary
    # Notes of group A, recorded through the API by the volunteer when the world was made:
    note: uuid.UUID  # shared with the police, with a photo
    note_created: dt.datetime  # its edit window runs from here
    photo: uuid.UUID  # the photo on it
    unshared_note: uuid.UUID  # not shared: the wijkagent does not see it
    held_note: uuid.UUID  # rests on origin alone, so held for the coordinator's review
    # The wijkagent's open alert for bargeres: A's members are reached; the volunteer sent a tip (with a photo)
    # and is looking.
    alert: uuid.UUID
    tip: uuid.UUID
    alert_year: int  # the local year it counts in
    devices: dict[str, uuid.UUID]  # role -> the one device of each signed-in role
    subscribed_area_id: int  # delftlanden: every signed-in role subscribed to it (no group is there, no alert)
    # role -> the secret token of their private Atom feed of bargeres's alerts: those its alerts reach, its wijkagent
    alert_feed_tokens: dict[str, str]

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


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _call(client: FlaskClient, make: Factory, who: Someone, method: str, path: str, **kwargs: Any) -> Any:
    """A request made while building the world: it must succeed."""
    response = client.open(path, method=method, headers=make.headers(who), **kwargs)
    assert response.status_code < 300, response.get_data(as_text=True)
    return response.get_json()


def _record_note(client: FlaskClient, make: Factory, author: Someone, group: GroupRef, what: str) -> Any:
    body = {
        "id": str(uuid.uuid4()),
        "category": "burglary_suspicious",
        "what": what,
        "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).isoformat(),
        "street": "Kapelstraat 12",
    }
    return _call(client, make, author, "POST", f"/api/v1/groups/{group.id}/notes", json=body)


@pytest.fixture
def world(app: Flask, make: Factory, client: FlaskClient, reference_area_max_id: int) -> World:
    """The world, fresh for each test: built once a minute per app, put back from its rows in between."""
    kept = snapshots.kept(app)
    if kept is not None:
        return snapshots.restore(app, kept)  # type: ignore[no-any-return]
    built = _build_world(app, make, client)
    snapshots.keep(app, snapshots.take(app, built, reference_area_max_id))
    return built


def _build_world(app: Flask, make: Factory, client: FlaskClient) -> World:
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
    signed_in = {
        "volunteer": volunteer,
        "other_volunteer": other_volunteer,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "officer": officer,
        "other_officer": other_officer,
        "admin": admin,
    }
    # Each signed-in role: a calendar feed, a phone, and a subscription to delftlanden.
    delftlanden = make.area_id("delftlanden")
    feed_tokens, devices = {}, {}
    with app.app_context():
        session = db.session()
        for role, someone in signed_in.items():
            feed_tokens[role] = calendar_service.rotate(session.get_one(Person, someone.id))
            devices[role] = uuid.uuid4()
            session.add(
                Device(
                    id=devices[role],
                    person_id=someone.id,
                    address_kind=AddressKind.FID,
                    address=f"fid-{role}-{uuid.uuid4().hex}",
                    platform=Platform.ANDROID,
                )
            )
            session.add(AreaSubscription(person_id=someone.id, area_id=delftlanden))
        # A private feed of bargeres's alerts for those who may read them (refused to the others).
        alert_feed_tokens = {
            role: feeds_service.rotate(session.get_one(Person, signed_in[role].id), group_a.area_id)["token"]
            for role in ("volunteer", "coordinator", "officer")
        }
        session.commit()

    # Notes, through the API as the volunteer: one shared with a photo, one not shared, one held.
    note = _record_note(client, make, volunteer, group_a, "Garagedeur van nummer 12 staat wijd open, niemand thuis.")
    _call(client, make, volunteer, "POST", f"/api/v1/notes/{note['id']}/share")
    photo = _call(
        client,
        make,
        volunteer,
        "POST",
        f"/api/v1/notes/{note['id']}/photos",
        data={"photo": (io.BytesIO(small_png()), "garage.png", "image/png")},
        content_type="multipart/form-data",
    )
    unshared = _record_note(client, make, volunteer, group_a, "Iemand liep met een zaklamp langs de schuren.")
    held = _record_note(client, make, volunteer, group_a, "Marokkaanse jongens in de wijk.")
    assert held["held"] is True

    # The wijkagent's alert for bargeres; the volunteer, reached as a member of A, answers it.
    alert = _call(
        client,
        make,
        officer,
        "POST",
        "/api/v1/alerts",
        json={
            "kind": "missing_person",
            "headline": "Vermist: jongen van 8 jaar",
            "description": "Jongen, 8 jaar, rode jas, blauwe fiets, vanaf de speeltuin richting het kanaal.",
            "instruction": "Zie je hem? Bel 112 en blijf bij hem.",
            "area_ids": [group_a.area_id],
        },
    )["alert"]
    tip = _call(
        client,
        make,
        volunteer,
        "POST",
        f"/api/v1/alerts/{alert['id']}/tips",
        json={"id": str(uuid.uuid4()), "text": "Jongen met rode jas bij de brug over het kanaal gezien."},
    )
    _call(
        client,
        make,
        volunteer,
        "PUT",
        f"/api/v1/alerts/{alert['id']}/tips/{tip['id']}/photo",
        data={"photo": (io.BytesIO(small_png()), "brug.png", "image/png")},
        content_type="multipart/form-data",
    )
    _call(client, make, volunteer, "PUT", f"/api/v1/alerts/{alert['id']}/looking")

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
        month=to_local(now).strftime("%Y-%m"),
        note=uuid.UUID(note["id"]),
        note_created=dt.datetime.fromisoformat(note["created_at"]),
        photo=uuid.UUID(photo["id"]),
        unshared_note=uuid.UUID(unshared["id"]),
        held_note=uuid.UUID(held["id"]),
        alert=uuid.UUID(alert["id"]),
        tip=uuid.UUID(tip["id"]),
        alert_year=to_local(dt.datetime.fromisoformat(alert["created_at"])).year,
        devices=devices,
        subscribed_area_id=delftlanden,
        alert_feed_tokens=alert_feed_tokens,
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


@dataclass(frozen=True)
class Upload:
    """A multipart/form-data body holding one file."""

    field: str
    filename: str
    content: bytes
    content_type: str


Body = dict[str, Any] | Upload | Callable[[World], dict[str, Any]] | None
Sees = Callable[[World, str, Any], None]


@dataclass(frozen=True)
class Row:
    method: str
    rule: str  # as in app.url_map, without converters: /api/v1/groups/<group_id>
    path: Callable[[World, str], str]  # (world, role) -> the URL the role asks for
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
    own: Callable[[World, str], str] | None = None,
    expect: dict[str, int | Bug],
    body: Body = None,
    sees: Sees | None = None,
    at: Callable[[World], dt.datetime] | None = None,
) -> Row:
    """`path`: one URL for every role (default: the rule itself); `own`: each role's own, e.g. their device."""
    if own is None:
        same = path or (lambda _w: rule)

        def own(w: World, _role: str) -> str:
            return same(w)

    return Row(method, rule, own, expect, body, sees, at)


# What a successful read shows ----------------------------------------------------------------------


def sees_themselves(w: World, role: str, body: Any) -> None:
    assert body["person"]["email"] == w.person(role).email


PHONES = {"coordinator": "+31 6 1111 1111", "volunteer": "+31 6 2222 2222"}  # the target's: +31 6 3333 3333


def sees_only_own_data(w: World, role: str, body: Any) -> None:
    me = w.person(role)
    assert body["profile"]["email"] == me.email
    text = json.dumps(body, ensure_ascii=False)
    others = [p for p in (*w.people.values(), w.target, w.applicant) if p is not None and p.id != me.id]
    for other in others:
        assert other.email not in text
        assert other.name not in text
    assert set(re.findall(r"\+31 6 \d{4} \d{4}", text)) == ({PHONES[role]} if role in PHONES else set())
    notes = {str(w.note), str(w.unshared_note), str(w.held_note)} if role == "volunteer" else set()
    assert {n["id"] for n in body["notes"]} == notes


def sees_no_reads_yet(_w: World, _role: str, body: Any) -> None:
    assert body == []  # nobody has read a shared note in this world yet


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


def sees_every_category(_w: World, _role: str, body: Any) -> None:
    assert [c["code"] for c in body] == list(CATEGORIES)
    domestic = next(c for c in body if c["code"] == "domestic_violence")
    assert (domestic["recordable"], domestic["referrals"][0]["phone"]) == (False, "0800-2000")


def sees_all_categories_in_use(_w: World, _role: str, body: Any) -> None:
    assert body == {"categories": list(CATEGORIES)}  # the group chose none: all


NOTES_SEEN = {
    "volunteer": {"note", "unshared_note", "held_note"},  # all hers, the held one too
    "coordinator": {"note", "unshared_note", "held_note"},
    "officer": {"note"},  # only what was shared with the police
}


def sees_notes_of_a_by_role(w: World, role: str, body: Any) -> None:
    assert {n["id"] for n in body} == {str(getattr(w, name)) for name in NOTES_SEEN[role]}


def sees_every_note_counted(_w: World, _role: str, body: Any) -> None:
    assert (body["total"], body["by_status"]) == (3, {"open": 3})  # numbers only, held and unshared notes too


def sees_notes_as_csv(w: World, _role: str, body: Any) -> None:
    header, *lines = body.splitlines()
    assert header.startswith("\ufeffID;Waargenomen op;Categorie;Wat")  # a Dutch spreadsheet's CSV
    assert {line.split(";")[0] for line in lines} == {str(w.note), str(w.unshared_note), str(w.held_note)}


def sees_the_note(w: World, role: str, body: Any) -> None:
    assert (body["id"], body["shared_with_police"], body["photo_ids"]) == (str(w.note), True, [str(w.photo)])
    # Coordinators see the author's full name, the author her own; the wijkagent first name and initial.
    assert body["author"] == ("Vera V." if role == "officer" else w.person("volunteer").name)
    assert body["mine"] is (role == "volunteer")


def sees_the_png(_w: World, _role: str, body: Any) -> None:
    assert body.startswith(b"\x89PNG\r\n\x1a\n")


def sees_the_alert_listed_if_reached(w: World, role: str, body: Any) -> None:
    reached = role in ("volunteer", "coordinator", "officer")
    assert [a["alert"]["id"] for a in body] == ([str(w.alert)] if reached else [])


def sees_the_alert(w: World, role: str, body: Any) -> None:
    assert body["alert"]["id"] == str(w.alert)
    assert body["i_am_looking"] is (role == "volunteer")
    # Only the issuer (the wijkagent) steers it and sees how many answered.
    assert body["can_steer"] is (role == "officer")
    answers = {"responders": 1, "tips": 1} if role == "officer" else {}
    assert {k: body[k] for k in ("responders", "tips") if k in body} == answers


def sees_the_cap_message(w: World, _role: str, body: Any) -> None:
    assert f"<identifier>alert-{w.alert}@buurtwacht.invalid</identifier>" in body  # tests name no domain
    assert "<msgType>Alert</msgType>" in body  # no update yet: the tip and the responder change nothing


def sees_what_the_alert_brought(_w: World, _role: str, body: Any) -> None:
    assert (body["tips"], body["responders"], body["seconds_to_close"]) == (1, 1, None)


def sees_the_tip_with_its_sender(w: World, _role: str, body: Any) -> None:
    assert [(t["from_name"], t["has_photo"]) for t in body] == [(w.person("volunteer").name, True)]


def sees_the_volunteer_looking(w: World, _role: str, body: Any) -> None:
    assert [(r["name"], r["groups"]) for r in body] == [("Vera V.", [w.group_a.name])]
    assert set(body[0]) == {"name", "groups", "since"}  # no id, no e-mail, no phone


def sees_the_alert_in_the_feed(w: World, _role: str, body: Any) -> None:
    assert body.count("<entry>") == 1
    assert f"<id>urn:uuid:{w.alert}</id>" in body


def sees_own_alert_feed_if_any(_w: World, role: str, body: Any) -> None:
    has_one = role in ("volunteer", "coordinator", "officer")
    assert body == ([{**body[0], "area_name": "Bargeres", "readable": True}] if has_one else [])


def the_volunteers_alert_feed(w: World) -> str:
    return f"/feeds/{w.alert_feed_tokens['volunteer']}.atom"


def sees_the_alert_in_the_feed_by_its_cap_link(w: World, role: str, body: Any) -> None:
    sees_the_alert_in_the_feed(w, role, body)
    assert f"/feeds/{w.alert_feed_tokens['volunteer']}/alerts/{w.alert}.cap" in body


def sees_the_alert_counted(_w: World, _role: str, body: Any) -> None:
    assert sum(m["alerts"] for m in body) == 1


def sees_forwarding_figures(_w: World, _role: str, body: Any) -> None:
    assert body["area"] == "Bargeres" and body["forwarded"] == 0 and body["by_category"] == []


def sees_own_subscription(w: World, _role: str, body: Any) -> None:
    assert body == [{"area_id": w.subscribed_area_id, "area_name": "Delftlanden"}]


def sees_own_device(w: World, role: str, body: Any) -> None:
    assert [d["id"] for d in body] == [str(w.devices[role])]


def sees_the_summary_of_a(w: World, _role: str, body: Any) -> None:
    assert (body["group"]["id"], body["month"]) == (str(w.group_a.id), w.month)


def sees_the_summaries_of_bargeres(w: World, _role: str, body: Any) -> None:
    assert [(summary["group"]["id"], summary["month"]) for summary in body] == [(str(w.group_a.id), w.month)]


def sees_the_figures_of_bargeres(_w: World, _role: str, body: Any) -> None:
    assert body["groups"] == 1 and sum(m["notes"]["total"] for m in body["months"]) == 3  # numbers only, all three


def sees_only_the_shared_note(w: World, _role: str, body: Any) -> None:
    assert [n["id"] for n in body] == [str(w.note)]  # neither the unshared nor the held note


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


def the_note(w: World) -> str:
    return f"/api/v1/notes/{w.note}"


def the_unshared_note(w: World) -> str:
    return f"/api/v1/notes/{w.unshared_note}"


def the_held_note(w: World) -> str:
    return f"/api/v1/notes/{w.held_note}"


def the_photo(w: World) -> str:
    return f"{the_note(w)}/photos/{w.photo}"


def while_the_note_is_editable(w: World) -> dt.datetime:
    return w.note_created + dt.timedelta(minutes=5)  # the author edits for 15 minutes


def new_note(_w: World) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "category": "clean_whole_safe",
        "what": "Lantaarnpaal bij het speeltuintje is kapot.",
        "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat(),
        "street": "Kapelstraat",
    }


PHOTO = Upload("photo", "schuur.png", small_png(), "image/png")


def the_alert(w: World) -> str:
    return f"/api/v1/alerts/{w.alert}"


def a_new_alert_for_bargeres(w: World) -> dict[str, Any]:
    # Unlike the open alert (no duplicate); the wijkagent issued one, far below the hourly limit.
    return {
        "kind": "vehicle",
        "headline": "Gestolen bestelbus: witte Ford Transit",
        "description": "Witte bestelbus met ladder op het dak, reed richting de Statenweg.",
        "instruction": "Zie je hem? Bel 112; volg hem niet.",
        "area_ids": [w.group_a.area_id],
    }


def the_tip_photo(w: World) -> str:
    return f"{the_alert(w)}/tips/{w.tip}/photo"


def a_new_tip(_w: World) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "text": "Een jongen met een blauwe fiets stond bij de Albert Heijn."}


def their_device(w: World, role: str) -> str:
    return f"/api/v1/me/devices/{w.devices.get(role, w.devices['volunteer'])}"  # anonymous: the volunteer's


NEW_PHONE = {"address_kind": "fid", "address": "fid-matrix-new-phone", "platform": "ios", "app_version": "2.1.0"}


# The matrix ----------------------------------------------------------------------------------------
# 401 not signed in · 403 related but role too low / not admin · 404 no relation to group A · 409 conflict

# fmt: off
MATRIX: list[Row] = [
    # The signed-in person
    row("GET", "/api/v1/me", sees=sees_themselves,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("PATCH", "/api/v1/me", body={"locale": "en"},
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    # Privacy rights: one's own data, and one's own account. coord and coord_b 409: each is the only
    # coordinator of their group (the state refuses, not the role).
    row("GET", "/api/v1/me/export", sees=sees_only_own_data,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("DELETE", "/api/v1/me",
        expect=cells(anon=401, vol=204, vol_b=204, coord=409, coord_b=409, officer=204, officer_b=204, admin=204)),
    row("GET", "/api/v1/audit-log", sees=sees_no_reads_yet,
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=403, officer_b=403, admin=200)),

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
    # The running patrol: the volunteer checked in. coord 403 "only the patrol's team checks out" (not on the
    # team: the state refuses, as at check-in; the service answers 403 for it).
    row("POST", "/api/v1/patrols/<patrol_id>/check-out", path=lambda w: f"{the_running_patrol(w)}/check-out",
        expect=cells(anon=401, vol=200, vol_b=404, coord=403, coord_b=404, officer=403, officer_b=404, admin=403)),
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
    row("POST", "/api/v1/groups/<group_id>/schedules/preview", path=lambda w: f"{group_a(w)}/schedules/preview",
        body=NEW_SCHEDULE,
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
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

    # Monthly summaries of group A: coordinators, the wijkagent and admins read; coordinators and the wijkagent
    # have it e-mailed again.
    row("GET", "/api/v1/groups/<group_id>/summaries/<month>", path=lambda w: f"{group_a(w)}/summaries/{w.month}",
        sees=sees_the_summary_of_a,
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=200)),
    row("POST", "/api/v1/groups/<group_id>/summaries/<month>/send",
        path=lambda w: f"{group_a(w)}/summaries/{w.month}/send",
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=403)),
    # The summaries of every group in an area (bargeres: group A): its wijkagent and admins; everyone else 403.
    row("GET", "/api/v1/areas/<area_id>/summaries/<month>", path=lambda w: f"{bargeres(w)}/summaries/{w.month}",
        sees=sees_the_summaries_of_bargeres,
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=200, officer_b=403, admin=200)),

    # Note categories: reference data for everyone signed in; group A's choice read by all related to it,
    # made by coordinators.
    row("GET", "/api/v1/note-categories", sees=sees_every_category,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("GET", "/api/v1/groups/<group_id>/categories", path=lambda w: f"{group_a(w)}/categories",
        sees=sees_all_categories_in_use,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=200)),
    row("PUT", "/api/v1/groups/<group_id>/categories", path=lambda w: f"{group_a(w)}/categories",
        body={"categories": ["burglary_suspicious", "clean_whole_safe", "other"]},
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),

    # Notes of group A: members read and record; the wijkagent reads what was shared (audited); admins count.
    row("GET", "/api/v1/groups/<group_id>/notes", path=lambda w: f"{group_a(w)}/notes", sees=sees_notes_of_a_by_role,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=403)),
    row("POST", "/api/v1/groups/<group_id>/notes", path=lambda w: f"{group_a(w)}/notes", body=new_note,
        expect=cells(anon=401, vol=201, vol_b=404, coord=201, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("GET", "/api/v1/groups/<group_id>/notes/counts", path=lambda w: f"{group_a(w)}/notes/counts",
        sees=sees_every_note_counted,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=200)),
    row("GET", "/api/v1/groups/<group_id>/notes/export", path=lambda w: f"{group_a(w)}/notes/export",
        sees=sees_notes_as_csv,
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),

    # The volunteer's shared note (with its photo): read by members and the wijkagent, not by admins (403).
    row("GET", "/api/v1/notes/<note_id>", path=the_note, sees=sees_the_note,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=403)),
    row("PATCH", "/api/v1/notes/<note_id>", path=the_note, at=while_the_note_is_editable,
        body={"what": "Garagedeur van nummer 12 stond open; de bewoner heeft hem dichtgedaan."},
        expect=cells(anon=401, vol=200, vol_b=404, coord=403, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("POST", "/api/v1/notes/<note_id>/photos", path=lambda w: f"{the_note(w)}/photos", body=PHOTO,
        at=while_the_note_is_editable,
        expect=cells(anon=401, vol=201, vol_b=404, coord=403, coord_b=404, officer=403, officer_b=404, admin=403)),
    row("GET", "/api/v1/notes/<note_id>/photos/<photo_id>", path=the_photo, sees=sees_the_png,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=403)),
    row("POST", "/api/v1/notes/<note_id>/comments", path=lambda w: f"{the_note(w)}/comments",
        body={"text": "Ik heb de bewoner gesproken, alles is in orde."},
        expect=cells(anon=401, vol=201, vol_b=404, coord=201, coord_b=404, officer=201, officer_b=404, admin=403)),
    row("POST", "/api/v1/notes/<note_id>/status", path=lambda w: f"{the_note(w)}/status",
        body={"status": "reported", "reason": "Gemeld bij de politie via 0900-8844"},
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),
    # The unshared note: its author or a coordinator shares it. officer 404: the wijkagent does not see a
    # note before it is shared (the state, not the role).
    row("POST", "/api/v1/notes/<note_id>/share", path=lambda w: f"{the_unshared_note(w)}/share",
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=404, officer_b=404, admin=403)),
    # The held note (the volunteer's own): coordinators release or close it. officer 404: the wijkagent never
    # sees a held note (the state, not the role).
    row("POST", "/api/v1/notes/<note_id>/review", path=lambda w: f"{the_held_note(w)}/review",
        body={"decision": "close", "reason": "Geen gedrag beschreven"},
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=404, officer_b=404, admin=403)),
    # Forwarding to the municipality: read by whoever reads the note; coordinators forward (the author only where
    # the group allows it: group A does not, so vol 403). coord 409: no forwarding target is configured in the
    # matrix's app (the state, not the role). The group's forwarding settings: read by all related, set by coordinators.
    row("GET", "/api/v1/notes/<note_id>/forwards", path=lambda w: f"{the_note(w)}/forwards",
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=403)),
    row("POST", "/api/v1/notes/<note_id>/forwards", path=lambda w: f"{the_note(w)}/forwards", body={},
        expect=cells(anon=401, vol=403, vol_b=404, coord=409, coord_b=404, officer=403, officer_b=404, admin=403)),
    # "Fixed yet?": only the note's author answers, once asked. vol 409: the volunteer wrote the note but it was
    # never forwarded, so never asked (the state, not the role); every other reader 403, outsiders 404.
    row("POST", "/api/v1/notes/<note_id>/fixed-yet", path=lambda w: f"{the_note(w)}/fixed-yet", body={"fixed": True},
        expect=cells(anon=401, vol=409, vol_b=404, coord=403, coord_b=404, officer=403, officer_b=404, admin=403)),
    # The admins' anonymous forwarding figures of an area (numbers only): admin-only.
    row("GET", "/api/v1/areas/<area_id>/forwarding-stats",
        path=lambda w: f"{bargeres(w)}/forwarding-stats?month={w.month}", sees=sees_forwarding_figures,
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=403, officer_b=403, admin=200)),
    # An area's anonymous figures per month (patrols, hours, notes by category): admins and its wijkagent.
    row("GET", "/api/v1/areas/<area_id>/figures", path=lambda w: f"{bargeres(w)}/figures?year={w.stats_year}",
        sees=sees_the_figures_of_bargeres,
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=200, officer_b=403, admin=200)),
    # What the groups of an area shared with the police, on one list: only its wijkagent (each read audited).
    row("GET", "/api/v1/areas/<area_id>/shared-notes", path=lambda w: f"{bargeres(w)}/shared-notes",
        sees=sees_only_the_shared_note,
        expect=cells(anon=401, vol=403, vol_b=403, coord=403, coord_b=403, officer=200, officer_b=403, admin=403)),
    row("GET", "/api/v1/groups/<group_id>/forwarding", path=lambda w: f"{group_a(w)}/forwarding",
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=200)),
    row("PUT", "/api/v1/groups/<group_id>/forwarding", path=lambda w: f"{group_a(w)}/forwarding",
        body={"authors_may_forward": True},
        expect=cells(anon=401, vol=403, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=403)),

    # Alerts. The wijkagent of bargeres issued an open alert for it: A's members are reached (the volunteer
    # sent a tip and is looking); B, the wijkagent of emmerhout and admins have nothing to do with it (404).
    row("GET", "/api/v1/alerts", sees=sees_the_alert_listed_if_reached,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    # A new alert for bargeres: coord_b and officer_b 403, bargeres lies outside their group's area or the
    # areas they serve (refused by scope, the role as such may alert).
    row("POST", "/api/v1/alerts", body=a_new_alert_for_bargeres,
        expect=cells(anon=401, vol=403, vol_b=403, coord=201, coord_b=403, officer=201, officer_b=403, admin=403)),
    row("GET", "/api/v1/alerts/<alert_id>", path=the_alert, sees=sees_the_alert,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=404)),
    row("GET", "/api/v1/alerts/<alert_id>/cap", path=lambda w: f"{the_alert(w)}/cap", sees=sees_the_cap_message,
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=404)),
    # Steering: the issuer and the area's wijkagent (here one person); people it reached get 403.
    row("POST", "/api/v1/alerts/<alert_id>/updates", path=lambda w: f"{the_alert(w)}/updates",
        body={"text": "Hij is gezien bij de brug over het kanaal."},
        expect=cells(anon=401, vol=403, vol_b=404, coord=403, coord_b=404, officer=201, officer_b=404, admin=404)),
    row("POST", "/api/v1/alerts/<alert_id>/close", path=lambda w: f"{the_alert(w)}/close",
        body={"outcome": "found", "message": "De jongen is terecht. Dank voor het uitkijken."},
        expect=cells(anon=401, vol=403, vol_b=404, coord=403, coord_b=404, officer=200, officer_b=404, admin=404)),
    row("POST", "/api/v1/alerts/<alert_id>/cancel", path=lambda w: f"{the_alert(w)}/cancel",
        body={"reason": "Per abuis verstuurd."},
        expect=cells(anon=401, vol=403, vol_b=404, coord=403, coord_b=404, officer=200, officer_b=404, admin=404)),
    row("GET", "/api/v1/alerts/<alert_id>/tips", path=lambda w: f"{the_alert(w)}/tips",
        sees=sees_the_tip_with_its_sender,
        expect=cells(anon=401, vol=403, vol_b=404, coord=403, coord_b=404, officer=200, officer_b=404, admin=404)),
    row("GET", "/api/v1/alerts/<alert_id>/stats", path=lambda w: f"{the_alert(w)}/stats",
        sees=sees_what_the_alert_brought,
        expect=cells(anon=401, vol=403, vol_b=404, coord=403, coord_b=404, officer=200, officer_b=404, admin=404)),
    # Who is looking, by name: read by those who read the numbers above.
    row("GET", "/api/v1/alerts/<alert_id>/responders", path=lambda w: f"{the_alert(w)}/responders",
        sees=sees_the_volunteer_looking,
        expect=cells(anon=401, vol=403, vol_b=404, coord=403, coord_b=404, officer=200, officer_b=404, admin=404)),
    # A tip's photo: put by its sender (the volunteer); seen by the sender, the issuer and the area's wijkagent
    # (here one person). The coordinator, reached too, does not see another's tip (404); the wijkagent sees it
    # but does not change it (403).
    row("PUT", "/api/v1/alerts/<alert_id>/tips/<tip_id>/photo", path=the_tip_photo, body=PHOTO,
        expect=cells(anon=401, vol=200, vol_b=404, coord=404, coord_b=404, officer=403, officer_b=404, admin=404)),
    row("GET", "/api/v1/alerts/<alert_id>/tips/<tip_id>/photo", path=the_tip_photo, sees=sees_the_png,
        expect=cells(anon=401, vol=200, vol_b=404, coord=404, coord_b=404, officer=200, officer_b=404, admin=404)),
    # Answering: people it reached. officer 403: the issuer is not someone the alert reached.
    row("POST", "/api/v1/alerts/<alert_id>/tips", path=lambda w: f"{the_alert(w)}/tips", body=a_new_tip,
        expect=cells(anon=401, vol=201, vol_b=404, coord=201, coord_b=404, officer=403, officer_b=404, admin=404)),
    row("PUT", "/api/v1/alerts/<alert_id>/looking", path=lambda w: f"{the_alert(w)}/looking",
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=403, officer_b=404, admin=404)),
    # Stopping is allowed to anyone who sees the alert (someone who left the group can still stop); for the
    # coordinator and the wijkagent, who are not looking, it changes nothing.
    row("DELETE", "/api/v1/alerts/<alert_id>/looking", path=lambda w: f"{the_alert(w)}/looking",
        expect=cells(anon=401, vol=200, vol_b=404, coord=200, coord_b=404, officer=200, officer_b=404, admin=404)),

    # Bargeres's alerts as a feed and as numbers: people its alerts reach, its wijkagent, admins; others 403.
    # Admins see alert numbers, not alert texts (a description can describe a person).
    row("GET", "/api/v1/areas/<area_id>/alerts.atom", path=lambda w: f"{bargeres(w)}/alerts.atom",
        sees=sees_the_alert_in_the_feed,
        expect=cells(anon=401, vol=200, vol_b=403, coord=200, coord_b=403, officer=200, officer_b=403, admin=403)),
    # Private Atom feeds of an area's alerts, for feed readers: asked for by whoever may read the area's alerts
    # (the volunteer, the coordinator and the wijkagent have one for bargeres in this world).
    row("GET", "/api/v1/me/alert-feeds", sees=sees_own_alert_feed_if_any,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("POST", "/api/v1/me/alert-feeds/<area_id>", path=lambda w: f"/api/v1/me/alert-feeds/{w.group_a.area_id}",
        expect=cells(anon=401, vol=201, vol_b=403, coord=201, coord_b=403, officer=201, officer_b=403, admin=403)),
    row("DELETE", "/api/v1/me/alert-feeds/<area_id>", path=lambda w: f"/api/v1/me/alert-feeds/{w.group_a.area_id}",
        expect=cells(anon=401, vol=204, vol_b=404, coord=204, coord_b=404, officer=204, officer_b=404, admin=404)),
    # No sign-in: the secret URL is the key. Anyone holding the volunteer's URL reads what she may read now.
    row("GET", "/feeds/<token>.atom", path=the_volunteers_alert_feed, sees=sees_the_alert_in_the_feed_by_its_cap_link,
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("GET", "/feeds/<token>/alerts/<alert_id>.cap",
        path=lambda w: f"/feeds/{w.alert_feed_tokens['volunteer']}/alerts/{w.alert}.cap",
        sees=sees_the_cap_message,
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("GET", "/api/v1/areas/<area_id>/alert-stats", path=lambda w: f"{bargeres(w)}/alert-stats?year={w.alert_year}",
        sees=sees_the_alert_counted,
        expect=cells(anon=401, vol=200, vol_b=403, coord=200, coord_b=403, officer=200, officer_b=403, admin=200)),

    # Everyone's own subscriptions and phones: each role is subscribed to delftlanden and subscribes to bargeres.
    row("GET", "/api/v1/me/subscriptions", sees=sees_own_subscription,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("PUT", "/api/v1/me/subscriptions/<area_id>", path=lambda w: f"/api/v1/me/subscriptions/{w.group_a.area_id}",
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("DELETE", "/api/v1/me/subscriptions/<area_id>",
        path=lambda w: f"/api/v1/me/subscriptions/{w.subscribed_area_id}",
        expect=cells(anon=401, vol=204, vol_b=204, coord=204, coord_b=204, officer=204, officer_b=204, admin=204)),
    row("GET", "/api/v1/me/devices", sees=sees_own_device,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("PUT", "/api/v1/me/devices/<device_id>", own=their_device, body=NEW_PHONE,
        expect=cells(anon=401, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("DELETE", "/api/v1/me/devices/<device_id>", own=their_device,
        expect=cells(anon=401, vol=204, vol_b=204, coord=204, coord_b=204, officer=204, officer_b=204, admin=204)),

    # Probes: public
    row("GET", "/healthz", sees=sees_ok,
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("GET", "/readyz", sees=sees_ok,
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),

    # The web console's development sign-in: public, and there only with AUTH_MODE=local outside production
    # (as in these tests; 404 in every other mode: tests/console/test_shell.py)
    row("GET", "/api/v1/dev/people",
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("POST", "/api/v1/dev/token", body=lambda w: {"person_id": str(w.person("coordinator").id)},
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
]
# fmt: on


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
    client: FlaskClient,
    make: Factory,
    w: World,
    method: str,
    path: str,
    role: str,
    body: dict[str, Any] | Upload | None = None,
) -> Any:
    headers = make.headers(w.people[role])
    if isinstance(body, Upload):
        files = {body.field: (io.BytesIO(body.content), body.filename, body.content_type)}
        return client.open(path, method=method, data=files, content_type="multipart/form-data", headers=headers)
    return client.open(path, method=method, json=body, headers=headers)


def _content(response: TestResponse) -> Any:
    """JSON as data; text formats (CSV, iCalendar, CAP, Atom) as text; anything else (a photo) as bytes."""
    if response.is_json:
        return response.get_json()
    mimetype = response.mimetype or ""
    if mimetype.startswith("text/") or mimetype.endswith("xml"):
        return response.get_data(as_text=True)
    return response.get_data()


@pytest.mark.parametrize(("r", "role"), _cell_params())
def test_cell(client: FlaskClient, make: Factory, world: World, r: Row, role: str) -> None:
    expected = r.expect[role]
    status = expected.status if isinstance(expected, Bug) else expected
    body = r.body(world) if callable(r.body) else r.body

    clock = time_machine.travel(r.at(world), tick=False) if r.at else contextlib.nullcontext()
    with clock:
        response = _request(client, make, world, r.method, r.path(world, role), role, body)

    assert response.status_code == status, response.get_data(as_text=True)
    if status >= 400:
        error = response.get_json()
        assert set(error) == ERROR_KEYS, error  # the one error shape, for every endpoint and role
        assert error["code"] == status
    elif r.method == "GET" and r.sees is not None:
        r.sees(world, role, _content(response))


def _without_converters(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"<\1>", rule)


def test_every_endpoint_has_a_row(app: Flask) -> None:
    in_app = {
        (method, _without_converters(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/v1/", "/calendar/", "/feeds/"))
        or rule.rule in ("/api/v1", "/healthz", "/readyz")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    in_matrix = [r.key for r in MATRIX]

    assert len(in_matrix) == len(set(in_matrix)), "a (method, rule) has more than one row"
    missing = sorted(in_app - set(in_matrix))
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


# Notes: the wijkagent's reads are written down -----------------------------------------------------


def test_every_read_of_the_wijkagent_is_audited_and_members_reads_are_not(
    app: Flask, client: FlaskClient, make: Factory, world: World
) -> None:
    for path in (the_note(world), f"{group_a(world)}/notes", the_photo(world)):
        assert _request(client, make, world, "GET", path, "volunteer").status_code == 200
        assert _request(client, make, world, "GET", path, "officer").status_code == 200

    with app.app_context():
        reads = db.session().execute(select(NoteAccess.reader_id, NoteAccess.via, NoteAccess.note_id)).all()
    assert sorted((reader, via, note) for reader, via, note in reads) == [
        (world.person("officer").id, via, world.note) for via in ("detail", "list", "photo")
    ]


# Alerts: scope, not role, refuses the other coordinator and wijkagent ------------------------------


@pytest.mark.parametrize("role", ["other_coordinator", "other_officer"])
def test_the_other_coordinator_and_wijkagent_alert_their_own_area(
    client: FlaskClient, make: Factory, world: World, role: str
) -> None:
    body = {**a_new_alert_for_bargeres(world), "area_ids": [make.area_id("emmerhout")]}
    response = _request(client, make, world, "POST", "/api/v1/alerts", role, body)

    assert response.status_code == 201, response.get_json()
    assert [a["name"] for a in response.get_json()["areas"]] == ["Emmerhout"]
