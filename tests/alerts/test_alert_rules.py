"""The rules around an alert: who may start one and for where, whom it reaches, no double
call-outs, no flood, behaviour not looks, exercises that say so, and who may answer or steer it."""

from __future__ import annotations

import datetime as dt
import uuid

import time_machine

from buurtwacht.models import MembershipRole
from tests.push.helpers import MISSING_BOY, dispatch, now, post_alert, register, start_alert

BIKE_THIEF = {
    "kind": "suspect",
    "headline": "Fietsendief in de wijk",
    "description": "Man, ongeveer 30, donkere jas, knipt sloten door bij de fietsenstalling.",
    "instruction": "Niet zelf optreden; bel 112.",
}


def member_with_phone(client, make, group, name, address, role=MembershipRole.VOLUNTEER, locale="nl"):
    person = make.person(name, locale=locale)
    make.member(group, person, role)
    register(client, make, person, address)
    return person


def errors_of(response):
    return response.get_json().get("errors", {})


# Who may start an alert, and for where


def test_a_wijkagent_alerts_only_the_areas_they_serve(client, make):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    kees = make.person("Kees Wijkagent")
    make.officer(kees, "bargeres")

    assert post_alert(client, make, sanne, ("bargeres",)).status_code == 201
    assert post_alert(client, make, sanne, ("rietlanden",), **BIKE_THIEF).status_code == 201
    assert post_alert(client, make, sanne, ("emmerhout",)).status_code == 403  # Emmen Oost is not hers
    assert post_alert(client, make, kees, ("emmen-zuid",), **BIKE_THIEF).status_code == 403  # above his wijk
    assert post_alert(client, make, kees, ("bargeres", "angelslo"), **BIKE_THIEF).status_code == 403


def test_a_coordinator_alerts_only_their_groups_area(client, make):
    anna = make.person("Anna de Vries")
    make.group("bargeres", coordinator=anna)

    assert post_alert(client, make, anna, ("bargeres",)).status_code == 201
    refused = post_alert(client, make, anna, ("rietlanden",), **BIKE_THIEF)
    assert refused.status_code == 403
    assert post_alert(client, make, anna, ("emmen-zuid",), **BIKE_THIEF).status_code == 403


def test_a_coordinator_of_two_groups_says_for_which_one(client, make):
    anna = make.person("Anna de Vries")
    bargeres = make.group("bargeres", coordinator=anna)
    rietlanden = make.group("rietlanden", coordinator=anna)

    unsure = post_alert(client, make, anna, ("rietlanden",))
    assert unsure.status_code == 422
    assert "group_id" in errors_of(unsure)["json"]

    assert post_alert(client, make, anna, ("rietlanden",), group_id=str(bargeres.id)).status_code == 403
    assert post_alert(client, make, anna, ("rietlanden",), group_id=str(rietlanden.id)).status_code == 201
    assert post_alert(client, make, anna, ("bargeres",), group_id=str(uuid.uuid4()), **BIKE_THIEF).status_code == 403


def test_volunteers_and_residents_do_not_start_alerts(client, make):
    bram, rita = make.person("Bram Jansen"), make.person("Rita Bewoner")
    make.member(make.group("bargeres"), bram, MembershipRole.VOLUNTEER)
    assert (
        client.put(f"/api/v1/me/subscriptions/{make.area_id('bargeres')}", headers=make.headers(rita)).status_code
        == 200
    )

    assert post_alert(client, make, bram, ("bargeres",)).status_code == 403
    assert post_alert(client, make, rita, ("bargeres",)).status_code == 403
    assert (
        client.post("/api/v1/alerts", json={**MISSING_BOY, "area_ids": [make.area_id("bargeres")]}).status_code == 401
    )


# Whom it reaches


def test_a_circle_near_bargeres_reaches_bargeres(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    member_with_phone(client, make, make.group("bargeres"), "Bram Jansen", "fid-bram-bargeres")
    member_with_phone(client, make, make.group("noordbarge"), "Nora Noordbarge", "fid-nora-noordbarge")
    rita = make.person("Rita Bewoner")
    register(client, make, rita, "fid-rita-bargeres")
    client.put(f"/api/v1/me/subscriptions/{make.area_id('bargeres')}", headers=make.headers(rita))

    created = post_alert(client, make, sanne, circle={"lat": 52.7705, "lon": 6.8775, "radius_m": 500})

    assert created.status_code == 201, created.get_json()
    view = created.get_json()
    assert [a["name"] for a in view["areas"]] == ["Bargeres"]
    assert view["circle"] == {"lat": 52.7705, "lon": 6.8775, "radius_m": 500}
    dispatch(app)
    assert sorted(m["fid"] for m in fcm.received) == ["fid-bram-bargeres", "fid-rita-bargeres"]


def test_a_circle_outside_the_wijkagents_areas_is_refused(client, make):
    kees = make.person("Kees Wijkagent")
    make.officer(kees, "bargeres")
    emmerhout = {"lat": 52.7910, "lon": 6.9330, "radius_m": 300}
    assert post_alert(client, make, kees, circle=emmerhout).status_code == 403


def test_an_alert_for_a_gebied_reaches_the_groups_of_its_wijken(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    member_with_phone(client, make, make.group("bargeres"), "Bram Jansen", "fid-bram-bargeres")
    member_with_phone(client, make, make.group("rietlanden"), "Ria Rietlanden", "fid-ria-rietlanden")
    member_with_phone(client, make, make.group("zuidbarge"), "Zeger Zuidbarge", "fid-zeger-zuidbarge")
    member_with_phone(client, make, make.group("emmerhout"), "Olaf Emmerhout", "fid-olaf-emmerhout")
    pending = make.person("Piet Aanmelder")
    make.member(make.group("rietlanden"), pending, status="pending")
    register(client, make, pending, "fid-piet-pending")

    created = post_alert(client, make, sanne, ("emmen-zuid",))

    assert created.status_code == 201
    assert [a["name"] for a in created.get_json()["areas"]] == ["Emmen Zuid"]
    dispatch(app)
    assert sorted(m["fid"] for m in fcm.received) == ["fid-bram-bargeres", "fid-ria-rietlanden", "fid-zeger-zuidbarge"]


def test_someone_reached_twice_hears_it_once(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    bram = member_with_phone(client, make, make.group("bargeres"), "Bram Jansen", "fid-bram-phone")
    make.member(make.group("bargeres"), bram, MembershipRole.VOLUNTEER)  # in both Bargeres groups
    client.put(f"/api/v1/me/subscriptions/{make.area_id('bargeres')}", headers=make.headers(bram))  # and subscribed
    alert_id = start_alert(client, make, sanne, ("emmen-zuid",))
    dispatch(app)
    assert [m["fid"] for m in fcm.received] == ["fid-bram-phone"]
    assert client.get(f"/api/v1/alerts/{alert_id}/stats", headers=make.headers(sanne)).get_json()["audience"] == 1


def test_a_retried_alert_request_is_the_same_alert_and_is_pushed_once(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    member_with_phone(client, make, make.group("bargeres"), "Bram Jansen", "fid-bram-phone")
    alert_id = str(uuid.uuid4())

    first = post_alert(client, make, sanne, id=alert_id)
    retry = post_alert(client, make, sanne, id=alert_id)  # the answer was lost: the app sends it again

    assert (first.status_code, retry.status_code) == (201, 201)
    assert first.get_json()["alert"]["id"] == retry.get_json()["alert"]["id"] == alert_id
    dispatch(app)
    assert [m["fid"] for m in fcm.received] == ["fid-bram-phone"]
    other = post_alert(client, make, sanne, id=alert_id, **BIKE_THIEF)
    assert other.status_code == 409  # a different alert under that id


def test_the_same_id_with_another_description_or_target_is_a_409_not_the_old_alert(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    alert_id = str(uuid.uuid4())
    assert post_alert(client, make, sanne, id=alert_id).status_code == 201

    reworded = post_alert(client, make, sanne, id=alert_id, description="Jongen, 8 jaar, groene jas.")
    elsewhere = post_alert(client, make, sanne, ("rietlanden",), id=alert_id)

    assert (reworded.status_code, elsewhere.status_code) == (409, 409)
    shown = client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(sanne)).get_json()
    assert [a["name"] for a in shown["areas"]] == ["Bargeres"]


def test_an_area_id_beyond_any_area_is_a_422_naming_area_ids(client, make):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen")
    response = post_alert(client, make, sanne, ("bargeres",), area_ids=[2**63])
    assert response.status_code == 422
    assert "area_ids" in errors_of(response)["json"]


# No double call-outs, no flood


def test_a_second_alert_like_an_open_one_is_refused_and_names_the_open_one(client, make, app):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    anna = make.person("Anna de Vries")
    make.group("bargeres", coordinator=anna)
    first = start_alert(client, make, sanne)

    again = post_alert(client, make, anna, ("bargeres",), headline="Vermist: jongen (8 jaar)")
    assert again.status_code == 409
    assert errors_of(again)["alert"]["id"] == [first]
    wider = post_alert(client, make, sanne, ("emmen-zuid",), headline="VERMIST - jongen van 8 jaar!")
    assert wider.status_code == 409  # Emmen Zuid includes Bargeres
    assert errors_of(wider)["alert"]["id"] == [first]
    assert post_alert(client, make, sanne, ("rietlanden",)).status_code == 201  # another wijk: its own alert
    assert post_alert(client, make, sanne, ("bargeres",), **BIKE_THIEF).status_code == 201  # another matter

    closed = client.post(
        f"/api/v1/alerts/{first}/close",
        json={"outcome": "false_alarm", "message": "Hij was bij een vriendje."},
        headers=make.headers(sanne),
    )
    assert closed.status_code == 200
    assert post_alert(client, make, anna, ("bargeres",), headline="Vermist: jongen (8 jaar)").status_code == 201


def test_a_like_alert_is_allowed_again_after_the_duplicate_window(client, make, app):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    start = now(app)
    with time_machine.travel(start, tick=False):
        start_alert(client, make, sanne)
    window = dt.timedelta(minutes=app.config["BUURTWACHT"].ALERT_DUPLICATE_MINUTES)
    with time_machine.travel(start + window - dt.timedelta(minutes=1), tick=False):
        assert post_alert(client, make, sanne, ("bargeres",)).status_code == 409
    with time_machine.travel(start + window + dt.timedelta(minutes=1), tick=False):
        assert post_alert(client, make, sanne, ("bargeres",)).status_code == 201


def test_one_issuer_starts_at_most_alerts_per_hour(client, make, app):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen")
    limit = app.config["BUURTWACHT"].ALERTS_PER_HOUR
    areas = ["bargeres", "rietlanden", "delftlanden", "noordbarge", "zuidbarge", "barger-oosterveld",
             "emmerhout", "angelslo", "valthe", "erica"]  # fmt: skip
    assert len(areas) > limit
    start = now(app)
    for n, area in enumerate(areas[:limit]):  # 21 s apart: within BUURTWACHT_RATE_LIMIT_ALERTS (3 a minute)
        with time_machine.travel(start + dt.timedelta(seconds=21 * n), tick=False):
            assert post_alert(client, make, sanne, (area,)).status_code == 201

    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        too_many = post_alert(client, make, sanne, (areas[limit],))
        assert too_many.status_code == 429
        wait = int(too_many.headers["Retry-After"])
        assert 40 * 60 - 5 <= wait <= 40 * 60 + 1
        colleague = make.person("Kees Wijkagent")
        make.officer(colleague, "emmen")
        assert post_alert(client, make, colleague, (areas[limit],)).status_code == 201  # the limit is per issuer

    with time_machine.travel(start + dt.timedelta(hours=1, seconds=1), tick=False):
        assert post_alert(client, make, sanne, (areas[limit + 1],)).status_code == 201


# Behaviour, not looks


def test_a_description_resting_on_appearance_alone_is_refused_naming_description(client, make):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    refused = post_alert(
        client, make, sanne, kind="suspect", headline="Verdachte persoon",
        description="Getinte man, ongeveer 30 jaar.", instruction="Bel 112.",
    )  # fmt: skip
    assert refused.status_code == 422
    assert "description" in errors_of(refused)["json"]
    accepted = post_alert(
        client, make, sanne, kind="suspect", headline="Verdachte persoon",
        description="Man, ongeveer 30, grijze hoodie, probeerde deuren van schuren te openen, fietst richting station.",
        instruction="Bel 112.",
    )  # fmt: skip
    assert accepted.status_code == 201


# Exercises say so


def test_an_exercise_says_so_in_every_push(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres")
    member_with_phone(client, make, group, "Bram Jansen", "fid-bram-phone")
    member_with_phone(client, make, group, "Emma Brown", "fid-emma-phone", locale="en")
    alert_id = start_alert(
        client, make, sanne, kind="exercise", headline="Zoekactie in het park",
        description="Oefening: een kind (pop) met gele jas is zoek bij de vijver.", instruction="Zoek mee en meld het.",
    )  # fmt: skip
    dispatch(app)
    client.post(
        f"/api/v1/alerts/{alert_id}/updates", json={"text": "Gezien bij de vijver."}, headers=make.headers(sanne)
    )
    dispatch(app)
    client.post(
        f"/api/v1/alerts/{alert_id}/close",
        json={"outcome": "found", "message": "Gevonden bij de vijver."},
        headers=make.headers(sanne),
    )
    dispatch(app)

    assert [m["notification"]["title"] for m in fcm.to("fid-bram-phone")] == [
        "OEFENING - Uitkijken: Zoekactie in het park",
        "OEFENING - Update: Zoekactie in het park",
        "OEFENING - Afgesloten: Zoekactie in het park",
    ]
    assert [m["notification"]["title"] for m in fcm.to("fid-emma-phone")] == [
        "EXERCISE - Look out: Zoekactie in het park",
        "EXERCISE - Update: Zoekactie in het park",
        "EXERCISE - Closed: Zoekactie in het park",
    ]
    assert fcm.to("fid-bram-phone")[-1]["notification"]["body"].startswith("OEFENING - Gevonden.")
    view = client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(sanne)).get_json()
    assert view["alert"]["is_exercise"] is True


# Ends: expiry and cancelling


def test_an_alert_left_open_expires_and_everyone_hears_it_ended(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres")
    bram = member_with_phone(client, make, group, "Bram Jansen", "fid-bram-phone")
    member_with_phone(client, make, group, "Emma Brown", "fid-emma-phone", locale="en")
    start = now(app)
    with time_machine.travel(start, tick=False):
        alert_id = start_alert(client, make, sanne, expires_in_minutes=30)
        dispatch(app)
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        dispatch(app)
        assert (
            client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(bram)).get_json()["alert"]["status"] == "open"
        )

    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        dispatch(app)
        view = client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(bram)).get_json()

    assert view["alert"]["status"] == "expired"
    [closing_nl] = [m for m in fcm.to("fid-bram-phone") if m["data"]["type"] == "alert.closed"]
    [closing_en] = [m for m in fcm.to("fid-emma-phone") if m["data"]["type"] == "alert.closed"]
    assert closing_nl["notification"]["title"] == "Afgesloten: Vermist: jongen van 8 jaar"
    # No text of the issuer's own: the outcome, the thank-you and 112 first, one space apart.
    assert closing_nl["notification"]["body"] == "Verlopen. Bedankt voor het uitkijken! Bij direct gevaar: bel eerst 112."
    assert closing_en["notification"]["body"] == "Expired. Thank you for looking out! In an emergency: call 112 first."
    assert len(fcm.to("fid-bram-phone")) == 2


def test_a_cancelled_alert_tells_everyone_it_was_withdrawn(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    bram = member_with_phone(client, make, make.group("bargeres"), "Bram Jansen", "fid-bram-phone")
    alert_id = start_alert(client, make, sanne)
    dispatch(app)

    cancelled = client.post(
        f"/api/v1/alerts/{alert_id}/cancel", json={"reason": "Per ongeluk verstuurd."}, headers=make.headers(sanne)
    )
    assert cancelled.status_code == 200
    assert cancelled.get_json()["alert"]["status"] == "cancelled"
    dispatch(app)

    closing = fcm.to("fid-bram-phone")[-1]["notification"]
    assert closing["title"] == "Afgesloten: Vermist: jongen van 8 jaar"
    assert closing["body"].startswith("Ingetrokken. Per ongeluk verstuurd.")
    again = client.post(f"/api/v1/alerts/{alert_id}/cancel", json={"reason": "Nogmaals."}, headers=make.headers(sanne))
    assert again.status_code == 409
    assert (
        client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(bram)).get_json()["alert"]["status"]
        == "cancelled"
    )


# Tips: only from people reached, only while open


def test_tips_come_only_from_people_the_alert_reached_while_it_is_open(client, make, app):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    bram = make.person("Bram Jansen")
    make.member(make.group("bargeres"), bram)
    olaf = make.person("Olaf Emmerhout")
    make.member(make.group("emmerhout"), olaf)
    alert_id = start_alert(client, make, sanne)
    tip = {"id": str(uuid.uuid4()), "text": "Jongen met rode jas bij de brug gezien."}

    def send(person, body):
        return client.post(f"/api/v1/alerts/{alert_id}/tips", json=body, headers=make.headers(person))

    first = send(bram, tip)
    assert first.status_code == 201
    retry = send(bram, tip)  # the answer got lost on a weak connection: the app sends it again
    assert retry.status_code == 201
    assert retry.get_json()["id"] == first.get_json()["id"] == tip["id"]
    assert send(bram, {**tip, "text": "Iets heel anders."}).status_code == 409
    assert send(sanne, {"id": str(uuid.uuid4()), "text": "Eigen tip."}).status_code == 403  # issuer, not reached
    assert send(olaf, {"id": str(uuid.uuid4()), "text": "Ik zag hem ook."}).status_code == 404  # outside: unseen

    client.post(
        f"/api/v1/alerts/{alert_id}/close",
        json={"outcome": "found", "message": "De jongen is terecht."},
        headers=make.headers(sanne),
    )
    assert send(bram, {"id": str(uuid.uuid4()), "text": "Nog een tip."}).status_code == 409
    assert send(bram, tip).status_code == 201  # a late retry of the tip sent while open is still that tip
    tips = client.get(f"/api/v1/alerts/{alert_id}/tips", headers=make.headers(sanne)).get_json()
    assert [(t["id"], t["from_name"]) for t in tips] == [(tip["id"], "Bram Jansen")]


# Steering: the issuer and the area's wijkagent


def test_only_the_issuer_and_the_areas_wijkagent_update_and_close(client, make, app):
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    bram = make.person("Bram Jansen")
    make.member(group, bram)
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    kees = make.person("Kees Wijkagent")
    make.officer(kees, "emmen-oost")
    alert_id = start_alert(client, make, anna, **BIKE_THIEF)

    def update(person, text="Hij fietst nu richting het centrum."):
        return client.post(f"/api/v1/alerts/{alert_id}/updates", json={"text": text}, headers=make.headers(person))

    def close(person):
        return client.post(
            f"/api/v1/alerts/{alert_id}/close",
            json={"outcome": "apprehended", "message": "Aangehouden bij het station."},
            headers=make.headers(person),
        )

    assert update(bram).status_code == 403
    assert close(bram).status_code == 403
    assert (
        client.post(
            f"/api/v1/alerts/{alert_id}/cancel", json={"reason": "Zomaar."}, headers=make.headers(bram)
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/alerts/{alert_id}/tips", headers=make.headers(bram)).status_code == 403
    assert update(kees).status_code == 404  # another gebied's wijkagent does not see it
    assert update(anna).status_code == 201
    assert update(sanne, "Politie is onderweg.").status_code == 201
    assert close(sanne).status_code == 200
    assert update(anna, "Nog een update.").status_code == 409  # closed
    view = client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(bram)).get_json()
    assert [u["text"] for u in view["updates"]] == ["Hij fietst nu richting het centrum.", "Politie is onderweg."]
    assert (view["alert"]["status"], view["alert"]["outcome"], view["can_steer"]) == ("closed", "apprehended", False)


# Residents


def test_a_resident_subscribes_to_a_wijk_or_dorp_not_to_a_gebied(client, make):
    rita = make.person("Rita Bewoner")
    gebied = client.put(f"/api/v1/me/subscriptions/{make.area_id('emmen-zuid')}", headers=make.headers(rita))
    assert gebied.status_code == 422
    assert "area_id" in errors_of(gebied)["path"]
    assert (
        client.put(f"/api/v1/me/subscriptions/{make.area_id('emmen')}", headers=make.headers(rita)).status_code == 422
    )
    assert (
        client.put(f"/api/v1/me/subscriptions/{make.area_id('bargeres')}", headers=make.headers(rita)).status_code
        == 200
    )
    dorp = client.put(f"/api/v1/me/subscriptions/{make.area_id('valthe')}", headers=make.headers(rita))
    assert dorp.status_code == 200
    assert [s["area_name"] for s in dorp.get_json()] == ["Bargeres", "Valthe"]
    assert client.put("/api/v1/me/subscriptions/999999", headers=make.headers(rita)).status_code == 404
