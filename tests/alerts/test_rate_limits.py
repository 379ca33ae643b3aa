"""No flood of alerts or tips: past BUURTWACHT_RATE_LIMIT_ALERTS or _TIPS the answer is 429 with
Retry-After, and the refused request starts nothing. What counts is what was made: a mistake the
service refuses costs nothing, and a retry answered from what was stored is never refused."""

from __future__ import annotations

import datetime as dt
import uuid

import time_machine

from tests.push.helpers import now, post_alert, start_alert

# Areas in Emmen, each its own audience, so no alert is a duplicate of another.
EMMEN = ["bargeres", "rietlanden", "delftlanden", "noordbarge", "zuidbarge", "barger-oosterveld", "emmerhout"]


def alerts_seen_by(client, make, person) -> list[str]:
    return [a["alert"]["id"] for a in client.get("/api/v1/alerts", headers=make.headers(person)).get_json()]


HEADLINES = ["Vermist: jongen van 8 jaar", "Fietsendief bij het station", "Loslopende hond op de rotonde",
             "Inbraak in een schuur gezien", "Verward persoon in het park"]  # fmt: skip


def missing(n: int) -> dict[str, str]:
    """The n-th alert about another matter: never a duplicate of the ones before."""
    return {"headline": HEADLINES[n]}


def test_a_fourth_alert_in_a_minute_is_refused_and_starts_nothing(client, make, app):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen")
    start = now(app)
    with time_machine.travel(start, tick=False):
        started = [start_alert(client, make, sanne, (area,)) for area in EMMEN[:3]]
        refused = post_alert(client, make, sanne, (EMMEN[3],))

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.get_json()
    assert body["code"] == 429 and body["status"] == "Too Many Requests"
    assert "Te veel meldingen" in body["message"] and "hoogstens 3 per minuut" in body["message"]
    assert sorted(alerts_seen_by(client, make, sanne)) == sorted(started)

    # The refused alert did not count against the hourly limit either: three more fit in the hour.
    hourly = app.config["BUURTWACHT"].ALERTS_PER_HOUR
    assert hourly == 6
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert [post_alert(client, make, sanne, (area,)).status_code for area in EMMEN[3:6]] == [201] * 3
    with time_machine.travel(start + dt.timedelta(seconds=122), tick=False):
        past_the_hour = post_alert(client, make, sanne, (EMMEN[6],))
    assert past_the_hour.status_code == 429 and "meldingen per uur" in past_the_hour.get_json()["message"]


def test_a_coordinators_group_alerts_are_limited_too(client, make, app):
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    with time_machine.travel(now(app), tick=False):
        answers = [
            post_alert(client, make, anna, ("bargeres",), group_id=str(group.id), **missing(n)).status_code
            for n in range(4)
        ]
    assert answers == [201, 201, 201, 429]
    assert len(alerts_seen_by(client, make, anna)) == 3


def test_alerts_the_service_refuses_do_not_use_up_the_limit(client, make, app):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    with time_machine.travel(now(app), tick=False):
        not_hers = [post_alert(client, make, sanne, ("emmerhout",), **missing(n)).status_code for n in range(3)]
        looks = post_alert(client, make, sanne, description="Getinte man, ongeveer 30 jaar.").status_code
        hers = [post_alert(client, make, sanne, ("bargeres",), **missing(n)).status_code for n in range(4)]
    assert not_hers == [403] * 3 and looks == 422
    assert hers == [201, 201, 201, 429]


def test_a_retried_alert_is_answered_even_past_the_limit(client, make, app):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen")
    first_id = str(uuid.uuid4())
    with time_machine.travel(now(app), tick=False):
        first = post_alert(client, make, sanne, (EMMEN[0],), id=first_id)
        for area in EMMEN[1:3]:
            start_alert(client, make, sanne, (area,))
        retry = post_alert(client, make, sanne, (EMMEN[0],), id=first_id)  # the answer got lost: the app retries
        new = post_alert(client, make, sanne, (EMMEN[3],), id=str(uuid.uuid4()))
    assert first.status_code == 201
    assert retry.status_code == 201 and retry.get_json()["alert"]["id"] == first_id
    assert new.status_code == 429
    assert len(alerts_seen_by(client, make, sanne)) == 3


# Tips


def reached_volunteer(client, make, app):
    """Sanne alerts Bargeres, where Bram walks; returns the alert's id and Bram."""
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    bram = make.person("Bram Jansen")
    make.member(make.group("bargeres"), bram)
    return start_alert(client, make, sanne), sanne, bram


def send_tip(client, make, alert_id, person, n: int, tip_id: str | None = None):
    body = {"id": tip_id or str(uuid.uuid4()), "text": f"Jongen met rode jas gezien, melding {n}."}
    return client.post(f"/api/v1/alerts/{alert_id}/tips", json=body, headers=make.headers(person))


def tips_stored(client, make, alert_id, issuer) -> int:
    query = "?page_size=100"
    return len(client.get(f"/api/v1/alerts/{alert_id}/tips{query}", headers=make.headers(issuer)).get_json())


def test_an_eleventh_tip_in_a_minute_is_refused_and_stored_nowhere(client, make, app):
    alert_id, sanne, bram = reached_volunteer(client, make, app)
    start = now(app)
    first_id = str(uuid.uuid4())
    with time_machine.travel(start, tick=False):
        sent = [send_tip(client, make, alert_id, bram, 0, first_id).status_code]
        sent += [send_tip(client, make, alert_id, bram, n).status_code for n in range(1, 10)]
        refused = send_tip(client, make, alert_id, bram, 10)
        retry = send_tip(client, make, alert_id, bram, 0, first_id)  # a retry of the first: still answered
    assert sent == [201] * 10
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.get_json()
    assert body["code"] == 429 and "Te veel tips" in body["message"] and "hoogstens 10 per minuut" in body["message"]
    assert retry.status_code == 201 and retry.get_json()["id"] == first_id
    assert tips_stored(client, make, alert_id, sanne) == 10

    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert send_tip(client, make, alert_id, bram, 11).status_code == 201
    assert tips_stored(client, make, alert_id, sanne) == 11


def test_at_most_sixty_tips_an_hour(client, make, app):
    alert_id, sanne, bram = reached_volunteer(client, make, app)
    start = now(app)
    for minute in range(6):
        with time_machine.travel(start + dt.timedelta(minutes=minute, seconds=1), tick=False):
            assert [send_tip(client, make, alert_id, bram, n).status_code for n in range(10)] == [201] * 10
    with time_machine.travel(start + dt.timedelta(minutes=7), tick=False):
        refused = send_tip(client, make, alert_id, bram, 60)
    assert refused.status_code == 429
    assert "hoogstens 60 per uur" in refused.get_json()["message"]
    assert 60 < int(refused.headers["Retry-After"]) <= 3600
    assert tips_stored(client, make, alert_id, sanne) == 60


def test_tips_the_service_refuses_do_not_use_up_the_limit(client, make, app):
    alert_id, sanne, bram = reached_volunteer(client, make, app)
    with time_machine.travel(now(app), tick=False):
        looks = [
            client.post(
                f"/api/v1/alerts/{alert_id}/tips",
                json={"id": str(uuid.uuid4()), "text": "Getinte man."},
                headers=make.headers(bram),
            ).status_code
            for _ in range(10)
        ]
        sent = [send_tip(client, make, alert_id, bram, n).status_code for n in range(11)]
    assert looks == [422] * 10
    assert sent == [201] * 10 + [429]


def test_a_body_too_deep_to_parse_is_a_400_before_any_limit_is_looked_at(client, make, app):
    alert_id, _sanne, bram = reached_volunteer(client, make, app)
    for url in ("/api/v1/alerts", f"/api/v1/alerts/{alert_id}/tips"):
        deep = client.post(url, data="[" * 100_000, content_type="application/json", headers=make.headers(bram))
        assert deep.status_code == 400, url
    assert send_tip(client, make, alert_id, bram, 1).status_code == 201
