"""A person's phones: registered by installation id or token, refreshed, handed on, removed; and
dropped when FCM says the address is gone, so nobody keeps sending into the void."""

from __future__ import annotations

import uuid

from buurtwacht.models import MembershipRole
from tests.push.helpers import deliveries_to, dispatch, register, start_alert


def my_devices(client, make, person):
    response = client.get("/api/v1/me/devices", headers=make.headers(person))
    assert response.status_code == 200
    return response.get_json()


def bargeres_with_officer(make):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres")
    return sanne, group


def test_a_phone_registered_by_installation_id_gets_the_alert_by_fid(client, make, app, fcm):
    sanne, group = bargeres_with_officer(make)
    anna = make.person("Anna de Vries")
    make.member(group, anna)
    register(client, make, anna, "fid-anna-installation", kind="fid")

    start_alert(client, make, sanne)
    dispatch(app)

    [to_anna] = fcm.to("fid-anna-installation")
    assert "fid" in to_anna and "token" not in to_anna
    assert [d["address_kind"] for d in my_devices(client, make, anna)] == ["fid"]


def test_a_phone_registered_by_token_gets_the_alert_by_token_beside_fid_phones(client, make, app, fcm):
    sanne, group = bargeres_with_officer(make)
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    make.member(group, anna)
    make.member(group, bram)
    register(client, make, anna, "fid-anna-installation", kind="fid")
    register(client, make, bram, "token-bram-registration", kind="token")
    assert [d["address_kind"] for d in my_devices(client, make, bram)] == ["token"]

    start_alert(client, make, sanne)
    dispatch(app)

    [to_bram] = fcm.to("token-bram-registration")
    assert "token" in to_bram and "fid" not in to_bram
    assert len(fcm.to("fid-anna-installation")) == 1


def test_a_refreshed_address_keeps_the_device_and_pushes_follow_the_new_address(client, make, app, fcm):
    sanne, group = bargeres_with_officer(make)
    anna = make.person("Anna de Vries")
    make.member(group, anna)
    phone = register(client, make, anna, "fid-anna-old-address", locale="en")

    again = register(client, make, anna, "fid-anna-new-address", device_id=phone)

    assert again == phone
    devices = my_devices(client, make, anna)
    assert [(d["id"], d["dropped"]) for d in devices] == [(phone, False)]
    assert devices[0]["locale"] is None  # the refresh said nothing about a language: the person's own
    start_alert(client, make, sanne)
    dispatch(app)
    assert fcm.to("fid-anna-old-address") == []
    assert [m["notification"]["title"] for m in fcm.to("fid-anna-new-address")] == [
        "Uitkijken: Vermist: jongen van 8 jaar"
    ]


def test_a_phone_handed_on_to_someone_else_moves_to_them(client, make, app, fcm):
    sanne, group = bargeres_with_officer(make)
    anna = make.person("Anna de Vries")
    make.member(group, anna)
    elsewhere = make.person("Olaf Emmerhout")  # not in Bargeres
    make.member(make.group("emmerhout"), elsewhere)
    register(client, make, anna, "fid-second-hand-phone")

    olafs = register(client, make, elsewhere, "fid-second-hand-phone")

    assert my_devices(client, make, anna) == []
    assert [d["id"] for d in my_devices(client, make, elsewhere)] == [olafs]
    start_alert(client, make, sanne)
    dispatch(app)
    assert fcm.to("fid-second-hand-phone") == []  # Anna's Bargeres alert no longer reaches Olaf's phone


def test_unregistering_removes_my_phone_but_never_someone_elses(client, make, app, fcm):
    sanne, group = bargeres_with_officer(make)
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    make.member(group, anna)
    make.member(group, bram)
    annas = register(client, make, anna, "fid-anna-phone")
    brams = register(client, make, bram, "fid-bram-phone")

    assert client.delete(f"/api/v1/me/devices/{brams}", headers=make.headers(anna)).status_code == 404
    assert client.delete(f"/api/v1/me/devices/{uuid.uuid4()}", headers=make.headers(anna)).status_code == 404
    assert client.delete(f"/api/v1/me/devices/{annas}", headers=make.headers(anna)).status_code == 204

    assert my_devices(client, make, anna) == []
    assert [d["id"] for d in my_devices(client, make, bram)] == [brams]
    assert client.delete(f"/api/v1/me/devices/{annas}", headers=make.headers(anna)).status_code == 404
    start_alert(client, make, sanne)
    dispatch(app)
    assert sorted(m["fid"] for m in fcm.received) == ["fid-bram-phone"]


def test_my_devices_lists_only_mine_with_whether_they_were_dropped(client, make):
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    first = register(client, make, anna, "fid-anna-phone", locale="en")
    second = register(client, make, anna, "token-anna-tablet", kind="token")
    register(client, make, bram, "fid-bram-phone")

    devices = my_devices(client, make, anna)

    assert [(d["id"], d["address_kind"], d["locale"], d["dropped"]) for d in devices] == [
        (first, "fid", "en", False),
        (second, "token", None, False),
    ]
    assert all("address" not in d for d in devices)  # the push address is not handed back
    assert client.get("/api/v1/me/devices").status_code == 401


def test_fcm_calling_an_address_unregistered_or_invalid_drops_that_phone(client, make, app, fcm, asked):
    sanne, group = bargeres_with_officer(make)
    anna, bram, carla = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Carla Smit")
    for person in (anna, bram, carla):
        make.member(group, person, MembershipRole.VOLUNTEER)
    register(client, make, anna, "unregistered-anna-old-phone")
    register(client, make, bram, "invalid-bram-garbled")
    register(client, make, carla, "fid-carla-phone")

    alert_id = start_alert(client, make, sanne)
    dispatch(app)

    assert [m["fid"] for m in fcm.received] == ["fid-carla-phone"]
    assert [d["dropped"] for d in my_devices(client, make, anna)] == [True]
    assert [d["dropped"] for d in my_devices(client, make, bram)] == [True]
    assert [d["dropped"] for d in my_devices(client, make, carla)] == [False]
    for address, error in (
        ("unregistered-anna-old-phone", "UnregisteredError"),
        ("invalid-bram-garbled", "InvalidArgumentError"),
    ):
        assert [(d["status"], d["error"], d["attempts"]) for d in deliveries_to(app, address)] == [("failed", error, 1)]
    stats = client.get(f"/api/v1/alerts/{alert_id}/stats", headers=make.headers(sanne)).get_json()
    assert (stats["sent"], stats["failed"], stats["pending"]) == (1, 2, 0)

    # The update and the close go to Carla's phone only: the dropped ones are not even tried.
    client.post(f"/api/v1/alerts/{alert_id}/updates", json={"text": "Gezien bij de brug."}, headers=make.headers(sanne))
    dispatch(app)
    client.post(
        f"/api/v1/alerts/{alert_id}/close",
        json={"outcome": "found", "message": "De jongen is terecht."},
        headers=make.headers(sanne),
    )
    dispatch(app)
    assert asked.count() == {"unregistered-anna-old-phone": 1, "invalid-bram-garbled": 1, "fid-carla-phone": 3}
    assert len(fcm.to("fid-carla-phone")) == 3


def test_registering_a_dropped_phone_again_brings_it_back(client, make, app, fcm):
    sanne, group = bargeres_with_officer(make)
    anna = make.person("Anna de Vries")
    make.member(group, anna)
    phone = register(client, make, anna, "unregistered-anna-phone")
    start_alert(client, make, sanne, headline="Vermist: oudere man met rollator")
    dispatch(app)
    assert [d["dropped"] for d in my_devices(client, make, anna)] == [True]

    # The app starts again and hands in its fresh installation id.
    register(client, make, anna, "fid-anna-fresh-install", device_id=phone)

    assert [(d["id"], d["dropped"]) for d in my_devices(client, make, anna)] == [(phone, False)]
    start_alert(client, make, sanne, areas=("emmen-zuid",), kind="vehicle",
                headline="Gestolen bestelbus", description="Witte bestelbus rijdt met hoge snelheid door de wijk.")  # fmt: skip
    dispatch(app)
    assert titles_of(fcm, "fid-anna-fresh-install") == ["Uitkijken: Gestolen bestelbus"]


def titles_of(fcm, address):
    return [m["notification"]["title"] for m in fcm.to(address)]
