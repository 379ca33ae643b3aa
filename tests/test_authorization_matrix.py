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
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from buurtwacht import db
from buurtwacht.models import Area, AreaKind, GroupInvite, MembershipRole, MembershipStatus
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
) -> Row:
    return Row(method, rule, path or (lambda _w: rule), expect, body, sees)


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


# Paths ---------------------------------------------------------------------------------------------


def group_a(w: World) -> str:
    return f"/api/v1/groups/{w.group_a.id}"


def bargeres(w: World) -> str:
    return f"/api/v1/areas/{w.group_a.area_id}"


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

    # Probes: public
    row("GET", "/healthz", sees=sees_ok,
        expect=cells(anon=200, vol=200, vol_b=200, coord=200, coord_b=200, officer=200, officer_b=200, admin=200)),
    row("GET", "/readyz", sees=sees_ok,
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
    client: FlaskClient, make: Factory, w: World, method: str, path: str, role: str, body: dict[str, Any] | None = None
) -> Any:
    return client.open(path, method=method, json=body, headers=make.headers(w.people[role]))


@pytest.mark.parametrize(("r", "role"), _cell_params())
def test_cell(client: FlaskClient, make: Factory, world: World, r: Row, role: str) -> None:
    expected = r.expect[role]
    status = expected.status if isinstance(expected, Bug) else expected
    body = r.body(world) if callable(r.body) else r.body

    response = _request(client, make, world, r.method, r.path(world), role, body)

    assert response.status_code == status, response.get_data(as_text=True)
    if status >= 400:
        error = response.get_json()
        assert set(error) >= ERROR_KEYS, error
        assert error["code"] == status
    elif r.method == "GET" and r.sees is not None:
        r.sees(world, role, response.get_json())


def _without_converters(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"<\1>", rule)


def test_every_endpoint_has_a_row(app: Flask) -> None:
    in_app = {
        (method, _without_converters(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") or rule.rule == "/api/v1" or rule.rule in ("/healthz", "/readyz")
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
