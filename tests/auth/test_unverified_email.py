"""An address Firebase did not verify belongs to nobody: it takes no invite, no role, and blocks no one.

Before, a sign-up with someone else's address (`email_verified: false`) made a person holding that address:
when an admin then named it wijkagent, first coordinator or admin, the impostor got the role, and the real
owner's first verified sign-in was a 409.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.auth.test_production_guard import flask_command
from tests.auth.test_sign_in import bearer, name_a_coordinator, people_count
from tests.factories import Someone

ADDRESS = "wijkagent.bakker@example.org"


def me(client, make, someone: Someone, verified: bool) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/me", headers=bearer(make.token(someone, email_verified=verified)))
    assert response.status_code == 200, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


@pytest.fixture
def impostor() -> Someone:
    return Someone(uuid.uuid4(), "uid-impostor", ADDRESS, "Niet Bakker")


@pytest.fixture
def owner() -> Someone:
    return Someone(uuid.uuid4(), "uid-real-bakker", ADDRESS, "Jan Bakker")


def name_officer(client, make, email: str = ADDRESS) -> int:  # type: ignore[no-untyped-def]
    admin = make.person("Gemeente Beheer", admin=True)
    area_id: int = make.area_id("bargeres")
    response = client.post(
        f"/api/v1/areas/{area_id}/officers",
        json={"email": email, "display_name": "Jan Bakker"},
        headers=make.headers(admin),
    )
    assert response.status_code in (200, 201), response.get_json()
    return area_id


def test_an_unverified_sign_in_does_not_become_the_wijkagent_named_by_that_address(client, make, impostor, owner):
    assert me(client, make, impostor, verified=False)["person"]["email_verified"] is False
    area_id = name_officer(client, make)

    assert me(client, make, impostor, verified=False)["officer_areas"] == []
    # The real owner is not refused: their verified sign-in claims the invite and its area.
    real = me(client, make, owner, verified=True)
    assert [a["id"] for a in real["officer_areas"]] == [area_id]
    assert (real["person"]["email"], real["person"]["email_verified"]) == (ADDRESS, True)


def test_an_unverified_sign_in_does_not_become_the_first_coordinator_named_by_that_address(
    client, make, impostor, owner
):
    me(client, make, impostor, verified=False)
    group = name_a_coordinator(client, make, ADDRESS, "Jan Bakker")

    assert me(client, make, impostor, verified=False)["memberships"] == []
    impostor_invite = client.post(
        f"/api/v1/groups/{group['id']}/invite", json={}, headers=bearer(make.token(impostor, email_verified=False))
    )
    assert impostor_invite.status_code in (403, 404)
    assert [m["role"] for m in me(client, make, owner, verified=True)["memberships"]] == ["coordinator"]


def test_make_admin_names_only_a_verified_address(app, client, make, impostor, owner):
    me(client, make, impostor, verified=False)
    result = flask_command(app, "make-admin", ADDRESS)
    assert result.exit_code == 0, result.output

    assert me(client, make, impostor, verified=False)["person"]["is_admin"] is False
    assert me(client, make, owner, verified=True)["person"]["is_admin"] is True


def test_a_later_verified_token_binds_the_address_and_takes_over_an_invite_made_meanwhile(app, client, make, owner):
    first = me(client, make, owner, verified=False)
    area_id = name_officer(client, make)  # the admin names the address while it is unverified
    before = people_count(app)

    now = me(client, make, owner, verified=True)  # the owner clicked the link in Firebase's e-mail

    assert now["person"]["id"] == first["person"]["id"]  # the same person, no 409
    assert (now["person"]["email"], now["person"]["email_verified"]) == (ADDRESS, True)
    assert [a["id"] for a in now["officer_areas"]] == [area_id]
    assert people_count(app) == before - 1  # the invite is gone, merged into the person
    officers = client.get(f"/api/v1/areas/{area_id}/officers", headers=make.headers(make.person(admin=True)))
    assert [o["person_id"] for o in officers.get_json()] == [first["person"]["id"]]


def test_a_verified_address_held_by_another_account_leaves_the_later_one_unverified(client, make, owner):
    holder = me(client, make, owner, verified=True)
    second = Someone(uuid.uuid4(), "uid-second-account", ADDRESS, "Jan Bakker")
    assert me(client, make, second, verified=False)["person"]["id"] != holder["person"]["id"]
    still = me(client, make, second, verified=True)  # already a person: signed in, the address stays the holder's
    assert still["person"]["email_verified"] is False
    assert me(client, make, owner, verified=True)["person"]["id"] == holder["person"]["id"]


def test_an_unverified_member_is_not_made_coordinator_and_their_address_is_not_shown(client, make, impostor):
    coordinator = make.person("Carla Bos")
    group = make.group(coordinator=coordinator)
    person_id = uuid.UUID(me(client, make, impostor, verified=False)["person"]["id"])
    membership_id = make.member(group, Someone(person_id, impostor.uid, ADDRESS, impostor.name))

    members = client.get(f"/api/v1/groups/{group.id}/members", headers=make.headers(coordinator)).get_json()
    seen = next(m for m in members if m["person_id"] == str(person_id))
    assert "email" not in seen

    promote = client.patch(
        f"/api/v1/groups/{group.id}/members/{membership_id}", json={"role": "coordinator"},
        headers=make.headers(coordinator),
    )  # fmt: skip
    assert promote.status_code == 409
    assert "nog niet bevestigd" in promote.get_json()["message"]


def test_an_unverified_person_exports_and_deletes_their_account(client, make, impostor):
    me(client, make, impostor, verified=False)
    headers = bearer(make.token(impostor, email_verified=False))
    export = client.get("/api/v1/me/export", headers=headers)
    assert export.status_code == 200
    assert export.get_json()["profile"]["email"] == ADDRESS
    assert client.delete("/api/v1/me", headers=headers).status_code == 204
