"""Members come and go: volunteers leave, coordinators remove and promote, and a group always keeps a coordinator.

Fellow members know each other as "Anna V."; only coordinators see full names, e-mail and phone.
"""

from __future__ import annotations

import threading

import pytest

from buurtwacht.models import MembershipRole, MembershipStatus


def members_url(group, membership_id=None) -> str:  # type: ignore[no-untyped-def]
    base = f"/api/v1/groups/{group.id}/members"
    return base if membership_id is None else f"{base}/{membership_id}"


def names(client, make, group, viewer) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(members_url(group), headers=make.headers(viewer))
    assert response.status_code == 200, response.get_json()
    return [m["name"] for m in response.get_json()]


def my_status(client, make, person, group) -> str:  # type: ignore[no-untyped-def]
    me = client.get("/api/v1/me", headers=make.headers(person)).get_json()
    [status] = [m["status"] for m in me["memberships"] if m["group_id"] == str(group.id)]
    return status


def conflict_message(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 409, response.get_json()
    body = response.get_json()
    assert body["code"] == 409
    message: str = body["message"]
    return message


def a_group_with_anna_and_bram(make):  # type: ignore[no-untyped-def]
    anna = make.person("Anna de Vries", phone="+31 6 1111 2222")
    bram = make.person("Bram Jansen", phone="+31 6 3333 4444")
    group = make.group(coordinator=anna)
    anna_membership = members_of(make, group)[anna.id]
    bram_membership = make.member(group, bram)
    return group, anna, anna_membership, bram, bram_membership


def members_of(make, group):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from buurtwacht import db
    from buurtwacht.models import Membership

    with make.app.app_context():
        rows = db.session().execute(select(Membership.person_id, Membership.id).where(Membership.group_id == group.id))
        return dict(rows.all())


# Leaving and removing


def test_a_volunteer_leaves_the_group(client, make):
    group, anna, _, bram, bram_membership = a_group_with_anna_and_bram(make)
    left = client.delete(members_url(group, bram_membership), headers=make.headers(bram))
    assert left.status_code == 204
    assert left.data == b""
    assert names(client, make, group, anna) == ["Anna de Vries"]
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(anna)).get_json()["member_count"] == 1
    assert my_status(client, make, bram, group) == "left"
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(bram)).status_code == 404
    former = client.get(f"{members_url(group)}?status=left", headers=make.headers(anna)).get_json()
    assert [m["name"] for m in former] == ["Bram Jansen"]
    # Leaving twice says it is over already.
    assert "al beëindigd" in conflict_message(
        client.delete(members_url(group, bram_membership), headers=make.headers(bram))
    )


def test_a_coordinator_removes_a_volunteer(client, make):
    group, anna, _, bram, bram_membership = a_group_with_anna_and_bram(make)
    removed = client.delete(members_url(group, bram_membership), headers=make.headers(anna))
    assert removed.status_code == 204
    assert names(client, make, group, anna) == ["Anna de Vries"]
    assert my_status(client, make, bram, group) == "removed"
    assert client.get(members_url(group), headers=make.headers(bram)).status_code == 404


def test_a_volunteer_cannot_remove_anyone(client, make):
    group, anna, anna_membership, bram, _ = a_group_with_anna_and_bram(make)
    carla = make.person("Carla Bos")
    carla_membership = make.member(group, carla)
    for target in (carla_membership, anna_membership):
        response = client.delete(members_url(group, target), headers=make.headers(bram))
        assert response.status_code == 403
        assert response.get_json()["message"] == "je rol in deze groep staat dit niet toe"
    assert names(client, make, group, anna) == ["Anna de Vries", "Bram Jansen", "Carla Bos"]


def test_a_volunteer_cannot_promote_themselves(client, make):
    group, anna, _, bram, bram_membership = a_group_with_anna_and_bram(make)
    response = client.patch(
        members_url(group, bram_membership), json={"role": "coordinator"}, headers=make.headers(bram)
    )
    assert response.status_code == 403
    roles = {m["name"]: m["role"] for m in client.get(members_url(group), headers=make.headers(anna)).get_json()}
    assert roles["Bram Jansen"] == "volunteer"


# The last coordinator


def test_the_last_coordinator_cannot_leave(client, make):
    group, anna, anna_membership, _, _ = a_group_with_anna_and_bram(make)
    message = conflict_message(client.delete(members_url(group, anna_membership), headers=make.headers(anna)))
    assert message == "je bent de laatste coördinator van de groep: maak eerst iemand anders coördinator"
    assert my_status(client, make, anna, group) == "active"


def test_the_last_coordinator_cannot_step_down(client, make):
    group, anna, anna_membership, _, _ = a_group_with_anna_and_bram(make)
    response = client.patch(members_url(group, anna_membership), json={"role": "volunteer"}, headers=make.headers(anna))
    message = conflict_message(response)
    assert "minstens één coördinator" in message
    assert "maak eerst iemand anders coördinator" in message
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(anna)).get_json()["coordinators"] == [
        "Anna V."
    ]


def test_the_last_coordinator_cannot_be_removed(client, make):
    """Carla may remove her fellow coordinator Anna, since Carla remains; after that nobody can remove Carla."""
    group, _, anna_membership, bram, _ = a_group_with_anna_and_bram(make)
    carla = make.person("Carla Bos")
    carla_membership = make.member(group, carla, MembershipRole.COORDINATOR)
    assert client.delete(members_url(group, anna_membership), headers=make.headers(carla)).status_code == 204

    sanne, gemma = make.person("Sanne Mulder"), make.person("Gemma Gemeente", admin=True)
    make.officer(sanne, "bargeres")
    for outsider_to_the_roster in (bram, sanne, gemma):
        response = client.delete(members_url(group, carla_membership), headers=make.headers(outsider_to_the_roster))
        assert response.status_code == 403
    assert "laatste coördinator" in conflict_message(
        client.delete(members_url(group, carla_membership), headers=make.headers(carla))
    )
    assert names(client, make, group, carla) == ["Bram Jansen", "Carla Bos"]
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(bram)).get_json()["coordinators"] == [
        "Carla B."
    ]


def test_after_promoting_another_member_the_coordinator_can_step_down(client, make):
    group, anna, anna_membership, bram, bram_membership = a_group_with_anna_and_bram(make)
    promoted = client.patch(
        members_url(group, bram_membership), json={"role": "coordinator"}, headers=make.headers(anna)
    )
    assert promoted.status_code == 200
    assert (promoted.get_json()["name"], promoted.get_json()["role"]) == ("Bram Jansen", "coordinator")

    stepped_down = client.patch(
        members_url(group, anna_membership), json={"role": "volunteer"}, headers=make.headers(anna)
    )
    assert stepped_down.status_code == 200
    assert stepped_down.get_json()["role"] == "volunteer"
    group_now = client.get(f"/api/v1/groups/{group.id}", headers=make.headers(bram)).get_json()
    assert group_now["coordinators"] == ["Bram J."]
    # Anna is a volunteer now: she no longer sees requests to join.
    assert client.get(f"{members_url(group)}?status=pending", headers=make.headers(anna)).status_code == 403
    # And Bram, now the last coordinator, is held to the same rule.
    assert "laatste coördinator" in conflict_message(
        client.delete(members_url(group, bram_membership), headers=make.headers(bram))
    )


def test_after_promoting_another_member_the_coordinator_can_leave(client, make):
    group, anna, anna_membership, bram, bram_membership = a_group_with_anna_and_bram(make)
    client.patch(members_url(group, bram_membership), json={"role": "coordinator"}, headers=make.headers(anna))
    assert client.delete(members_url(group, anna_membership), headers=make.headers(anna)).status_code == 204
    assert names(client, make, group, bram) == ["Bram Jansen"]
    assert my_status(client, make, anna, group) == "left"


def test_a_coordinator_removes_a_fellow_coordinator_while_one_remains(client, make):
    group, anna, _, bram, bram_membership = a_group_with_anna_and_bram(make)
    client.patch(members_url(group, bram_membership), json={"role": "coordinator"}, headers=make.headers(anna))
    assert client.delete(members_url(group, bram_membership), headers=make.headers(anna)).status_code == 204
    assert my_status(client, make, bram, group) == "removed"


# Decisions on states that do not allow them


def test_approving_or_rejecting_a_membership_that_is_not_pending_is_409(client, make):
    group, anna, _, bram, bram_membership = a_group_with_anna_and_bram(make)
    for decision in ("approve", "reject"):
        response = client.post(f"{members_url(group, bram_membership)}/{decision}", headers=make.headers(anna))
        assert conflict_message(response) == "dit lidmaatschap is active, niet in afwachting"
    assert my_status(client, make, bram, group) == "active"

    karel = make.person("Karel Koster")
    karel_membership = make.member(group, karel, status=MembershipStatus.REJECTED)
    response = client.post(f"{members_url(group, karel_membership)}/approve", headers=make.headers(anna))
    assert conflict_message(response) == "dit lidmaatschap is rejected, niet in afwachting"
    assert my_status(client, make, karel, group) == "rejected"


def test_a_pending_request_cannot_be_promoted_or_removed(client, make):
    group, anna, _, _, _ = a_group_with_anna_and_bram(make)
    nina_membership = make.member(group, make.person("Nina Nieuw"), status=MembershipStatus.PENDING)
    promote = client.patch(
        members_url(group, nina_membership), json={"role": "coordinator"}, headers=make.headers(anna)
    )
    assert "alleen actieve deelnemers krijgen een andere rol" in conflict_message(promote)
    remove = client.delete(members_url(group, nina_membership), headers=make.headers(anna))
    assert "alleen actieve deelnemers kunnen worden verwijderd" in conflict_message(remove)


def test_a_membership_of_another_group_is_not_found_under_this_group(client, make):
    group, anna, _, _, _ = a_group_with_anna_and_bram(make)
    dirk = make.person("Dirk Dekker")
    other = make.group("emmerhout", coordinator=dirk)
    eva = make.person("Eva Eggen")
    eva_elsewhere = make.member(other, eva)
    pending_elsewhere = make.member(other, make.person("Frits Fokker"), status=MembershipStatus.PENDING)

    requests = [
        client.delete(members_url(group, eva_elsewhere), headers=make.headers(anna)),
        client.patch(members_url(group, eva_elsewhere), json={"role": "coordinator"}, headers=make.headers(anna)),
        client.post(f"{members_url(group, pending_elsewhere)}/approve", headers=make.headers(anna)),
        client.post(f"{members_url(group, pending_elsewhere)}/reject", headers=make.headers(anna)),
        # Eva's own membership, but under a group she is not in.
        client.delete(members_url(group, eva_elsewhere), headers=make.headers(eva)),
    ]
    for response in requests:
        assert response.status_code == 404
        assert response.get_json()["code"] == 404
    assert names(client, make, other, dirk) == ["Dirk Dekker", "Eva Eggen"]
    assert my_status(client, make, eva, other) == "active"


# What members see of each other


def test_fellow_members_see_first_name_and_initial_only(client, make):
    group, _, _, bram, _ = a_group_with_anna_and_bram(make)
    make.member(group, make.person("Carla van den Bos", phone="+31 6 5555 6666"))
    response = client.get(members_url(group), headers=make.headers(bram))
    assert response.status_code == 200
    members = response.get_json()
    assert [(m["name"], m["role"]) for m in members] == [
        ("Anna V.", "coordinator"),
        ("Bram J.", "volunteer"),
        ("Carla B.", "volunteer"),
    ]
    for member in members:
        assert "email" not in member
        assert "phone" not in member
        assert set(member) == {"id", "person_id", "name", "role", "status", "since"}


def test_coordinators_see_full_names_e_mail_and_phone(client, make):
    group, anna, _, bram, _ = a_group_with_anna_and_bram(make)
    members = client.get(members_url(group), headers=make.headers(anna)).get_json()
    assert [(m["name"], m["email"], m["phone"]) for m in members] == [
        ("Anna de Vries", anna.email, "+31 6 1111 2222"),
        ("Bram Jansen", bram.email, "+31 6 3333 4444"),
    ]


def test_the_wijkagent_and_the_municipality_see_short_names_only(client, make):
    group, _, _, _, _ = a_group_with_anna_and_bram(make)
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    gemma = make.person("Gemma Gemeente", admin=True)
    for viewer in (sanne, gemma):
        members = client.get(members_url(group), headers=make.headers(viewer)).get_json()
        assert [m["name"] for m in members] == ["Anna V.", "Bram J."]
        assert all("email" not in m and "phone" not in m for m in members)
        assert client.get(f"{members_url(group)}?status=pending", headers=make.headers(viewer)).status_code == 403


def test_volunteers_do_not_see_requests_to_join_or_former_members(client, make):
    group, _, _, bram, _ = a_group_with_anna_and_bram(make)
    make.member(group, make.person("Nina Nieuw"), status=MembershipStatus.PENDING)
    for status in ("pending", "left", "removed", "rejected"):
        response = client.get(f"{members_url(group)}?status={status}", headers=make.headers(bram))
        assert response.status_code == 403
        assert response.get_json()["message"] == "alleen coördinatoren zien aanmeldingen en oud-deelnemers"


@pytest.mark.parametrize("how", ["step down", "leave"])
def test_two_coordinators_stepping_down_at_the_same_moment_leave_one_coordinator(client, make, app, how):
    """The check for the last coordinator and the change happen under one lock of the group."""
    anna, carla = make.person("Anna de Vries"), make.person("Carla Bos")
    group = make.group(coordinator=anna)
    memberships = {anna: members_of(make, group)[anna.id], carla: make.member(group, carla, "coordinator")}
    together = threading.Barrier(len(memberships))
    statuses: dict[str, int] = {}

    def step_down(person, membership_id) -> None:  # type: ignore[no-untyped-def]
        headers = make.headers(person)
        own_client = app.test_client()
        together.wait()
        url = members_url(group, membership_id)
        if how == "leave":
            statuses[person.name] = own_client.delete(url, headers=headers).status_code
        else:
            statuses[person.name] = own_client.patch(url, json={"role": "volunteer"}, headers=headers).status_code

    threads = [threading.Thread(target=step_down, args=item) for item in memberships.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    succeeded = 204 if how == "leave" else 200
    assert sorted(statuses.values()) == sorted([succeeded, 409]), statuses
    group_now = client.get(f"/api/v1/groups/{group.id}", headers=make.headers(make.person(admin=True))).get_json()
    assert len(group_now["coordinators"]) == 1
