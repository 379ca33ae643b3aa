"""An alert's story: the wijkagent asks Bargeres to look out; the right people get it, answer, and hear the end."""

from __future__ import annotations

import uuid

from buurtwacht.models import MembershipRole
from buurtwacht.push import dispatcher


def register(client, make, person, address, locale=None):
    device_id = str(uuid.uuid4())
    response = client.put(
        f"/api/v1/me/devices/{device_id}",
        json={"address_kind": "fid", "address": address, "platform": "android", "locale": locale},
        headers=make.headers(person),
    )
    assert response.status_code == 200, response.get_json()
    return device_id


def dispatch(app):
    with app.app_context():
        return dispatcher.run(stop_when_idle=True)


def test_an_officer_alerts_bargeres_and_only_bargeres_hears_it(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen", locale="en")
    bargeres = make.group("bargeres", coordinator=anna)
    make.member(bargeres, bram, MembershipRole.VOLUNTEER)
    resident = make.person("Rita Bewoner")
    elsewhere = make.person("Olaf Emmerhout")
    make.member(make.group("emmerhout"), elsewhere, MembershipRole.VOLUNTEER)
    register(client, make, anna, "fid-anna-phone")
    register(client, make, bram, "fid-bram-phone")
    register(client, make, resident, "fid-rita-phone")
    register(client, make, elsewhere, "fid-olaf-phone")
    subscribed = client.put(f"/api/v1/me/subscriptions/{make.area_id('bargeres')}", headers=make.headers(resident))
    assert subscribed.status_code == 200

    created = client.post(
        "/api/v1/alerts",
        json={
            "kind": "missing_person",
            "headline": "Vermist: jongen van 8 jaar",
            "description": "Jongen, 8 jaar, rode jas, blauwe fiets, vanaf de speeltuin richting het kanaal.",
            "instruction": "Zie je hem? Bel 112 en blijf bij hem.",
            "area_ids": [make.area_id("bargeres")],
        },
        headers=make.headers(sanne),
    )
    assert created.status_code == 201, created.get_json()
    alert_id = created.get_json()["alert"]["id"]
    assert fcm.received == []  # the request only queued the work

    dispatch(app)
    assert sorted(m["fid"] for m in fcm.received) == ["fid-anna-phone", "fid-bram-phone", "fid-rita-phone"]
    to_anna = fcm.to("fid-anna-phone")[0]
    assert to_anna["notification"]["title"] == "Uitkijken: Vermist: jongen van 8 jaar"
    assert "bel eerst 112" in to_anna["notification"]["body"]
    assert "call 112 first" in fcm.to("fid-bram-phone")[0]["notification"]["body"]
    assert to_anna["android"]["collapse_key"] == f"alert-{alert_id}"

    # Bram has a tip; the officer sees it with his name, nobody else does.
    tip = client.post(
        f"/api/v1/alerts/{alert_id}/tips",
        json={"id": str(uuid.uuid4()), "text": "Jongen met rode jas bij de brug over het kanaal gezien."},
        headers=make.headers(bram),
    )
    assert tip.status_code == 201
    assert client.put(f"/api/v1/alerts/{alert_id}/looking", headers=make.headers(anna)).status_code == 200
    tips = client.get(f"/api/v1/alerts/{alert_id}/tips", headers=make.headers(sanne)).get_json()
    assert [(t["from_name"], t["text"][:14]) for t in tips] == [("Bram Jansen", "Jongen met rod")]
    assert client.get(f"/api/v1/alerts/{alert_id}/tips", headers=make.headers(anna)).status_code == 403
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(sanne)).get_json()["responders"] == 1
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(elsewhere)).status_code == 404

    # An update and the close reach the same three phones, in one collapse group.
    fcm.reset()
    client.post(
        f"/api/v1/alerts/{alert_id}/updates", json={"text": "Hij is gezien bij de brug."}, headers=make.headers(sanne)
    )
    dispatch(app)
    closed = client.post(
        f"/api/v1/alerts/{alert_id}/close",
        json={"outcome": "found", "message": "De jongen is terecht."},
        headers=make.headers(sanne),
    )
    assert closed.get_json()["alert"]["status"] == "closed"
    dispatch(app)
    titles = sorted(m["notification"]["title"] for m in fcm.to("fid-rita-phone"))
    assert titles == ["Afgesloten: Vermist: jongen van 8 jaar", "Update: Vermist: jongen van 8 jaar"]
    assert (
        "Thank you"
        in next(m for m in fcm.to("fid-bram-phone") if "Closed" in m["notification"]["title"])["notification"]["body"]
    )
    assert fcm.to("fid-olaf-phone") == []
    stats = client.get(f"/api/v1/alerts/{alert_id}/stats", headers=make.headers(sanne)).get_json()
    assert (stats["audience"], stats["sent"], stats["failed"], stats["pending"], stats["tips"]) == (3, 9, 0, 0, 1)
