"""Someone who leaves or is removed from a group gives up their places on planned patrols."""

from __future__ import annotations

import datetime as dt

from buurtwacht import db
from buurtwacht.models import MembershipRole, Patrol, PatrolStatus


def _patrol(app, group, max_team=1):
    with app.app_context():
        now = db.utcnow()
        patrol = Patrol(
            group_id=group.id,
            starts_at=now + dt.timedelta(days=2),
            ends_at=now + dt.timedelta(days=2, hours=2),
            meeting_point="Wijkcentrum",
            min_team=1,
            max_team=max_team,
            status=PatrolStatus.PLANNED,
        )
        db.session().add(patrol)
        db.session().commit()
        return patrol.id


def test_a_removed_member_loses_their_place_and_the_waiting_list_moves_up(client, make, app):
    anna, bram, henk = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Henk Bakker")
    group = make.group(coordinator=anna)
    bram_membership = make.member(group, bram, MembershipRole.VOLUNTEER)
    make.member(group, henk, MembershipRole.VOLUNTEER)
    patrol_id = _patrol(app, group)
    assert (
        client.put(f"/api/v1/patrols/{patrol_id}/signup", headers=make.headers(bram)).get_json()["status"]
        == "confirmed"
    )
    assert (
        client.put(f"/api/v1/patrols/{patrol_id}/signup", headers=make.headers(henk)).get_json()["status"]
        == "waitlisted"
    )

    removed = client.delete(f"/api/v1/groups/{group.id}/members/{bram_membership}", headers=make.headers(anna))
    assert removed.status_code == 204

    assert client.get("/api/v1/me/patrols", headers=make.headers(bram)).get_json() == []
    team = client.get(f"/api/v1/patrols/{patrol_id}", headers=make.headers(anna)).get_json()["team"]
    assert [(m["name"], m["status"]) for m in team] == [("Henk Bakker", "confirmed")]


def test_leaving_withdraws_open_swap_offers(client, make, app):
    anna, bram, fatima = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Fatima El Amrani")
    group = make.group(coordinator=anna)
    bram_membership = make.member(group, bram, MembershipRole.VOLUNTEER)
    make.member(group, fatima, MembershipRole.VOLUNTEER)
    patrol_id = _patrol(app, group, max_team=2)
    client.put(f"/api/v1/patrols/{patrol_id}/signup", headers=make.headers(bram))
    swap = client.post(
        f"/api/v1/patrols/{patrol_id}/swaps", json={"to_person_id": str(fatima.id)}, headers=make.headers(bram)
    ).get_json()

    assert (
        client.delete(f"/api/v1/groups/{group.id}/members/{bram_membership}", headers=make.headers(bram)).status_code
        == 204
    )

    offers = client.get("/api/v1/me/swaps", headers=make.headers(fatima)).get_json()
    assert [(s["id"], s["status"]) for s in offers] == [(swap["id"], "withdrawn")]
    assert client.post(f"/api/v1/swaps/{swap['id']}/accept", headers=make.headers(fatima)).status_code == 409
