"""Joining a group: the coordinator shares an invite code, a newcomer asks to join with it, the coordinator approves.

Codes are read aloud at neighbourhood evenings and typed on phones, so case, spaces and dashes do
not matter. A code stops working when it is rotated, revoked or expired.
"""

from __future__ import annotations

import datetime as dt

import time_machine

from buurtwacht import db
from buurtwacht.models import GroupInvite, MembershipStatus


def make_invite(client, make, group, coordinator, **body):  # type: ignore[no-untyped-def]
    response = client.post(f"/api/v1/groups/{group.id}/invite", json=body, headers=make.headers(coordinator))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def join(client, make, person, code: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/joins", json={"code": code}, headers=make.headers(person))


def as_typed_on_a_phone(code: str) -> str:
    """'ABCD2345' as someone types it after hearing it: lower case, a dash, stray spaces."""
    return f" {code[:4].lower()}-{code[4:].lower()} "


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_json()
    return [m["name"] for m in response.get_json()]


def refused_code(response) -> str:  # type: ignore[no-untyped-def]
    """The reason a join was refused, checking it is a 422 that names the field `code`."""
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == 422
    reasons: list[str] = body["errors"]["json"]["code"]
    return reasons[0]


def test_a_newcomer_joins_with_the_code_and_the_coordinator_approves(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna, name="Buurtpreventie Bargeres")
    invite = make_invite(client, make, group, anna)
    assert len(invite["code"]) == 8
    assert set(invite["code"]) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    assert client.get(f"/api/v1/groups/{group.id}/invite", headers=make.headers(anna)).get_json() == invite

    nina = make.person("Nina Nieuwenhuis")
    asked = join(client, make, nina, as_typed_on_a_phone(invite["code"]))
    assert asked.status_code == 201, asked.get_json()
    request = asked.get_json()
    assert (request["group_id"], request["group_name"]) == (str(group.id), "Buurtpreventie Bargeres")
    assert (request["role"], request["status"]) == ("volunteer", "pending")

    # Nina sees her request waiting in her own overview.
    me = client.get("/api/v1/me", headers=make.headers(nina)).get_json()
    assert [(m["id"], m["group_name"], m["status"]) for m in me["memberships"]] == [
        (request["id"], "Buurtpreventie Bargeres", "pending")
    ]

    # Tapping the link twice does not make two requests.
    again = join(client, make, nina, invite["code"])
    assert again.status_code == 201
    assert again.get_json()["id"] == request["id"]
    assert len(client.get("/api/v1/me", headers=make.headers(nina)).get_json()["memberships"]) == 1

    # Until approved she is not in the group, and cannot see it.
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(nina)).status_code == 404
    members_url = f"/api/v1/groups/{group.id}/members"
    assert names(client.get(members_url, headers=make.headers(anna))) == ["Anna de Vries"]

    pending = client.get(f"{members_url}?status=pending", headers=make.headers(anna))
    assert pending.status_code == 200
    [waiting] = pending.get_json()
    assert (waiting["id"], waiting["name"], waiting["email"], waiting["status"]) == (
        request["id"], "Nina Nieuwenhuis", nina.email, "pending",
    )  # fmt: skip

    approved = client.post(f"{members_url}/{request['id']}/approve", headers=make.headers(anna))
    assert approved.status_code == 200
    assert (approved.get_json()["status"], approved.get_json()["role"]) == ("active", "volunteer")

    assert names(client.get(members_url, headers=make.headers(anna))) == ["Anna de Vries", "Nina Nieuwenhuis"]
    assert client.get(f"{members_url}?status=pending", headers=make.headers(anna)).get_json() == []
    me = client.get("/api/v1/me", headers=make.headers(nina)).get_json()
    assert [m["status"] for m in me["memberships"]] == ["active"]
    group_seen_by_nina = client.get(f"/api/v1/groups/{group.id}", headers=make.headers(nina))
    assert group_seen_by_nina.status_code == 200
    assert group_seen_by_nina.get_json()["member_count"] == 2


def test_rotating_the_code_makes_the_old_one_stop_working(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    old = make_invite(client, make, group, anna)["code"]
    new = make_invite(client, make, group, anna)["code"]
    assert new != old
    assert client.get(f"/api/v1/groups/{group.id}/invite", headers=make.headers(anna)).get_json()["code"] == new

    reason = refused_code(join(client, make, make.person("Otto Oud"), old))
    assert "niet meer geldig" in reason
    assert join(client, make, make.person("Nina Nieuw"), new).status_code == 201


def test_an_unknown_code_is_refused_naming_the_field(client, make):
    make_invite(client, make, make.group(coordinator=(anna := make.person("Anna de Vries"))), anna)
    assert "onbekend" in refused_code(join(client, make, make.person("Nina Nieuw"), "ZZZZ-ZZZZ"))


def test_a_code_too_short_to_be_one_is_refused_naming_the_field(client, make):
    response = join(client, make, make.person("Nina Nieuw"), "ab")
    assert response.status_code == 422
    assert "code" in response.get_json()["errors"]["json"]


def test_a_code_works_for_its_days_and_then_expires(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    start = dt.datetime(2026, 11, 2, 19, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        invite = make_invite(client, make, group, anna, valid_days=1)
    assert invite["expires_at"] == "2026-11-03T20:00:00+01:00"

    with time_machine.travel(start + dt.timedelta(hours=23), tick=False):
        assert join(client, make, make.person("Vroege Vogel"), invite["code"]).status_code == 201

    with time_machine.travel(start + dt.timedelta(days=1, minutes=1), tick=False):
        reason = refused_code(join(client, make, make.person("Laat Komer"), invite["code"]))
        assert "niet meer geldig" in reason
        # The coordinator no longer has a live code to show, and can make a fresh one.
        assert client.get(f"/api/v1/groups/{group.id}/invite", headers=make.headers(anna)).status_code == 404
        fresh = make_invite(client, make, group, anna)
        assert join(client, make, make.person("Laat Komer2"), fresh["code"]).status_code == 201


def test_a_code_whose_expiry_lies_in_the_past_is_refused(client, make, app):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    with app.app_context():
        now = db.utcnow()
        db.session().add(
            GroupInvite(
                group_id=group.id,
                code="XPRD2345",
                created_by_id=anna.id,
                created_at=now - dt.timedelta(days=15),
                expires_at=now - dt.timedelta(days=1),
            )
        )
        db.session().commit()
    refused_code(join(client, make, make.person("Nina Nieuw"), "xprd-2345"))


def test_an_invite_lifetime_beyond_the_maximum_is_refused(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    response = client.post(f"/api/v1/groups/{group.id}/invite", json={"valid_days": 91}, headers=make.headers(anna))
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["valid_days"] == ["moet tussen 1 en 90 dagen liggen"]


def test_a_revoked_code_is_refused(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    code = make_invite(client, make, group, anna)["code"]
    revoked = client.delete(f"/api/v1/groups/{group.id}/invite", headers=make.headers(anna))
    assert revoked.status_code == 204
    assert "niet meer geldig" in refused_code(join(client, make, make.person("Nina Nieuw"), code))
    assert client.get(f"/api/v1/groups/{group.id}/invite", headers=make.headers(anna)).status_code == 404
    # Revoking when nothing is live says so.
    assert client.delete(f"/api/v1/groups/{group.id}/invite", headers=make.headers(anna)).status_code == 404


def test_a_volunteer_cannot_make_or_see_the_invite_code(client, make):
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    group = make.group(coordinator=anna)
    make.member(group, bram)
    assert client.post(f"/api/v1/groups/{group.id}/invite", json={}, headers=make.headers(bram)).status_code == 403
    assert client.get(f"/api/v1/groups/{group.id}/invite", headers=make.headers(bram)).status_code == 403


def test_an_active_member_joining_again_is_told_they_are_already_in(client, make):
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    group = make.group(coordinator=anna)
    make.member(group, bram)
    code = make_invite(client, make, group, anna)["code"]
    for member in (bram, anna):
        response = join(client, make, member, code)
        assert response.status_code == 409
        body = response.get_json()
        assert (body["code"], body["message"]) == (409, "je bent al deelnemer van deze groep")
    me = client.get("/api/v1/me", headers=make.headers(anna)).get_json()
    assert [(m["role"], m["status"]) for m in me["memberships"]] == [("coordinator", "active")]


def test_a_rejected_person_can_ask_again_and_is_pending_again(client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    code = make_invite(client, make, group, anna)["code"]
    karel = make.person("Karel Koster")
    request_id = join(client, make, karel, code).get_json()["id"]

    rejected = client.post(f"/api/v1/groups/{group.id}/members/{request_id}/reject", headers=make.headers(anna))
    assert rejected.status_code == 200
    assert rejected.get_json()["status"] == "rejected"
    me = client.get("/api/v1/me", headers=make.headers(karel)).get_json()
    assert [m["status"] for m in me["memberships"]] == ["rejected"]

    asked_again = join(client, make, karel, code)
    assert asked_again.status_code == 201
    assert (asked_again.get_json()["id"], asked_again.get_json()["status"]) == (request_id, "pending")
    pending = client.get(f"/api/v1/groups/{group.id}/members?status=pending", headers=make.headers(anna))
    assert [m["name"] for m in pending.get_json()] == ["Karel Koster"]


def test_a_former_member_rejoins_as_a_volunteer_awaiting_approval(client, make):
    anna, carla = make.person("Anna de Vries"), make.person("Carla Bos")
    group = make.group(coordinator=anna)
    membership_id = make.member(group, carla, "coordinator")
    left = client.delete(f"/api/v1/groups/{group.id}/members/{membership_id}", headers=make.headers(carla))
    assert left.status_code == 204
    code = make_invite(client, make, group, anna)["code"]
    back = join(client, make, carla, code)
    assert back.status_code == 201
    assert (back.get_json()["role"], back.get_json()["status"]) == ("volunteer", "pending")


def test_a_pending_request_can_be_withdrawn(client, make):
    anna, nina = make.person("Anna de Vries"), make.person("Nina Nieuw")
    group = make.group(coordinator=anna)
    membership_id = make.member(group, nina, status=MembershipStatus.PENDING)
    withdrawn = client.delete(f"/api/v1/groups/{group.id}/members/{membership_id}", headers=make.headers(nina))
    assert withdrawn.status_code == 204
    assert client.get(f"/api/v1/groups/{group.id}/members?status=pending", headers=make.headers(anna)).get_json() == []
    me = client.get("/api/v1/me", headers=make.headers(nina)).get_json()
    assert [m["status"] for m in me["memberships"]] == ["left"]
