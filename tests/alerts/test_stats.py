"""What an alert achieved, in numbers: per alert for the issuer and the wijkagent, and per area and
month for the yearly evaluation (admins see these numbers too, never the texts)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from buurtwacht import scheduler
from buurtwacht.models import MembershipRole
from tests.push.helpers import dispatch, local, now, register, start_alert


def test_an_alerts_numbers_for_its_issuer_and_the_wijkagent(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres")
    bram, carla, dirk, rita = (make.person(n) for n in ("Bram Jansen", "Carla Smit", "Dirk Bakker", "Rita Bewoner"))
    for volunteer in (bram, carla, dirk):
        make.member(group, volunteer, MembershipRole.VOLUNTEER)
    register(client, make, bram, "fid-bram-phone")
    register(client, make, carla, "unregistered-carla-old-phone")
    register(client, make, dirk, "unavailable-dirk-phone")  # no phone for Rita: reached, nothing to send
    client.put(f"/api/v1/me/subscriptions/{make.area_id('bargeres')}", headers=make.headers(rita))
    start = now(app)

    with time_machine.travel(start, tick=False):
        alert_id = start_alert(client, make, sanne)
        dispatch(app)
        stats_url = f"/api/v1/alerts/{alert_id}/stats"
        early = client.get(stats_url, headers=make.headers(sanne)).get_json()
    assert early == {
        "audience": 4, "sent": 1, "failed": 1, "pending": 1, "skipped": 0, "tips": 0, "responders": 0,
        "seconds_to_close": None,
    }  # fmt: skip

    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        tip = {"id": str(uuid.uuid4()), "text": "Jongen met rode jas bij de brug gezien."}
        client.post(f"/api/v1/alerts/{alert_id}/tips", json=tip, headers=make.headers(bram))
        client.post(f"/api/v1/alerts/{alert_id}/tips", json=tip, headers=make.headers(bram))  # a retry
        client.post(
            f"/api/v1/alerts/{alert_id}/tips", json={"id": str(uuid.uuid4()), "text": "Ik zoek bij de school."},
            headers=make.headers(rita),
        )  # fmt: skip
        client.put(f"/api/v1/alerts/{alert_id}/looking", headers=make.headers(bram))
        client.put(f"/api/v1/alerts/{alert_id}/looking", headers=make.headers(rita))
        client.delete(f"/api/v1/alerts/{alert_id}/looking", headers=make.headers(rita))
    with time_machine.travel(start + dt.timedelta(minutes=12, seconds=30), tick=False):
        client.post(
            f"/api/v1/alerts/{alert_id}/close",
            json={"outcome": "found", "message": "De jongen is terecht."},
            headers=make.headers(sanne),
        )
        dispatch(app)  # Dirk's first push is now past its time (skipped); everyone with a phone hears the end

    final = client.get(stats_url, headers=make.headers(sanne)).get_json()
    assert final == {
        "audience": 4, "sent": 3, "failed": 1, "pending": 0, "skipped": 1, "tips": 2, "responders": 1,
        "seconds_to_close": 750,
    }  # fmt: skip
    assert [m["data"]["type"] for m in fcm.to("unavailable-dirk-phone")] == ["alert.closed"]
    assert client.get(stats_url, headers=make.headers(bram)).status_code == 403  # reached, but not steering
    olaf = make.person("Olaf Emmerhout")
    make.member(make.group("emmerhout"), olaf)
    assert client.get(stats_url, headers=make.headers(olaf)).status_code == 404


def month_rows(client, make, person, area, year):
    response = client.get(f"/api/v1/areas/{make.area_id(area)}/alert-stats?year={year}", headers=make.headers(person))
    assert response.status_code == 200, response.get_json()
    rows = response.get_json()
    assert [r["month"] for r in rows] == list(range(1, 13))
    return {r["month"]: r for r in rows if r["alerts"]}


@pytest.fixture
def a_year_in_bargeres(client, make, app):
    """Sanne's alerts for Bargeres in 2026, each at a moment near a month's edge (local time)."""
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres")
    bram = make.person("Bram Jansen")
    make.member(group, bram, MembershipRole.VOLUNTEER)
    make.member(group, make.person("Carla Smit"), MembershipRole.VOLUNTEER)

    def alert_at(moment, ending, **fields):
        with time_machine.travel(moment, tick=False):
            alert_id = start_alert(client, make, sanne, **fields)
            dispatch(app)  # fixes the audience
            if fields.get("kind") != "exercise":
                tip = {"id": str(uuid.uuid4()), "text": "Iets gezien bij de brug."}
                assert (
                    client.post(f"/api/v1/alerts/{alert_id}/tips", json=tip, headers=make.headers(bram)).status_code
                    == 201
                )
            if ending == "cancelled":
                client.post(
                    f"/api/v1/alerts/{alert_id}/cancel", json={"reason": "Vergissing."}, headers=make.headers(sanne)
                )
            else:
                client.post(
                    f"/api/v1/alerts/{alert_id}/close", json={"outcome": ending, "message": "Klaar, dank."},
                    headers=make.headers(sanne),
                )  # fmt: skip
        return alert_id

    # In the order they happen: the rate limit's moving window counts each alert at its moment, so
    # travelling back in time would put the later ones within the window of an earlier one.
    alert_at(local(2025, 12, 31, 23, 30), "found", headline="Vuurwerkoverlast")  # the year before
    alert_at(local(2026, 1, 1, 0, 30), "found")  # 2025-12-31 in UTC: still January 2026 here
    alert_at(local(2026, 3, 10, 20, 0), "found", kind="exercise", headline="Zoekactie in het park",
             description="Oefening: een kind (pop) met gele jas is zoek bij de vijver.")  # fmt: skip
    alert_at(local(2026, 3, 20, 21, 0), "cancelled", headline="Verdachte auto")
    alert_at(local(2026, 3, 31, 23, 30), "false_alarm", headline="Inbraak in schuur")  # 21:30 UTC
    return sanne


def test_an_areas_alerts_per_month_in_local_time(client, make, app, a_year_in_bargeres):
    sanne = a_year_in_bargeres

    months = month_rows(client, make, sanne, "bargeres", 2026)

    assert sorted(months) == [1, 3]
    assert months[1] == {
        "month": 1, "alerts": 1, "exercises": 0, "audience": 2, "tips": 1, "outcomes": {"found": 1},
    }  # fmt: skip
    assert months[3] == {
        "month": 3, "alerts": 3, "exercises": 1, "audience": 6, "tips": 2,
        "outcomes": {"false_alarm": 1, "found": 1, "cancelled": 1},
    }  # fmt: skip
    assert list(month_rows(client, make, sanne, "bargeres", 2025)) == [12]


def test_who_reads_an_areas_alert_numbers(client, make, app, a_year_in_bargeres):
    admin = make.person("Gemma Gemeente", admin=True)
    bram = make.person("Bram Tweede")
    make.member(make.group("bargeres"), bram)
    olaf = make.person("Olaf Emmerhout")
    make.member(make.group("emmerhout"), olaf)
    url = f"/api/v1/areas/{make.area_id('bargeres')}/alert-stats?year=2026"

    assert sum(r["alerts"] for r in client.get(url, headers=make.headers(admin)).get_json()) == 4
    assert client.get(url, headers=make.headers(bram)).status_code == 200
    assert client.get(url, headers=make.headers(olaf)).status_code == 403
    assert client.get(url).status_code == 401
    assert client.get(url.replace("2026", "1999"), headers=make.headers(admin)).status_code == 422


def test_a_gebieds_numbers_include_the_alerts_for_its_wijken(client, make, app, a_year_in_bargeres):
    sanne = a_year_in_bargeres
    months = month_rows(client, make, sanne, "emmen-zuid", 2026)
    assert {m: r["alerts"] for m, r in months.items()} == {1: 1, 3: 3}


def test_an_alerts_numbers_stay_when_someone_signs_out_afterwards(client, make, app, fcm):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres")
    bram, carla = make.person("Bram Jansen"), make.person("Carla Smit")
    make.member(group, bram, MembershipRole.VOLUNTEER)
    make.member(group, carla, MembershipRole.VOLUNTEER)
    brams_phone = register(client, make, bram, "fid-bram-phone")
    register(client, make, carla, "fid-carla-phone")
    alert_id = start_alert(client, make, sanne)
    dispatch(app)
    stats_url = f"/api/v1/alerts/{alert_id}/stats"
    assert client.get(stats_url, headers=make.headers(sanne)).get_json()["sent"] == 2

    assert client.delete(f"/api/v1/me/devices/{brams_phone}", headers=make.headers(bram)).status_code == 204
    register(client, make, make.person("Olaf Nieuw"), "fid-carla-phone")  # Carla's old phone, handed on

    assert client.get(stats_url, headers=make.headers(sanne)).get_json()["sent"] == 2


def retention_on(app, day: dt.date) -> None:
    """The nightly retention job, at 03:30 local time on that day."""
    with time_machine.travel(local(day.year, day.month, day.day, 3, 30), tick=False), app.app_context():
        assert scheduler.run_slot(scheduler.by_name("retention"), f"{day.isoformat()}T03:30") is True


def test_an_ended_alert_keeps_its_numbers_when_retention_deletes_who_it_reached_and_what_it_said(client, make, app):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres")
    bram, carla = make.person("Bram Jansen"), make.person("Carla Smit")
    for volunteer in (bram, carla):
        make.member(group, volunteer, MembershipRole.VOLUNTEER)
    register(client, make, bram, "fid-bram-phone")
    start = local(2026, 11, 3, 20, 0)
    with time_machine.travel(start, tick=False):
        alert_id = start_alert(client, make, sanne)
        dispatch(app)
        client.post(
            f"/api/v1/alerts/{alert_id}/tips", json={"id": str(uuid.uuid4()), "text": "Jongen met rode jas bij de brug."},
            headers=make.headers(bram),
        )  # fmt: skip
        client.put(f"/api/v1/alerts/{alert_id}/looking", headers=make.headers(bram))
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        closed = client.post(
            f"/api/v1/alerts/{alert_id}/close", json={"outcome": "found", "message": "Jan (8) is terecht."},
            headers=make.headers(sanne),
        )  # fmt: skip
        assert closed.status_code == 200, closed.get_json()
        dispatch(app)

    def numbers():
        stats = client.get(f"/api/v1/alerts/{alert_id}/stats", headers=make.headers(sanne)).get_json()
        return stats, month_rows(client, make, sanne, "bargeres", 2026)

    def received_by_bram():
        return client.get("/api/v1/me/export", headers=make.headers(bram)).get_json()["alerts_received"]

    before = numbers()
    assert (before[0]["audience"], before[0]["tips"], before[0]["responders"]) == (2, 1, 1)
    assert [a["alert_id"] for a in received_by_bram()] == [alert_id]

    retention_on(app, dt.date(2026, 12, 4))  # 31 days on: the tip goes, the alert's numbers stay
    assert client.get(f"/api/v1/alerts/{alert_id}/tips", headers=make.headers(sanne)).get_json() == []
    assert numbers() == before
    retention_on(app, dt.date(2027, 11, 3))  # a year on: not yet a full year after it ended
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(sanne)).get_json()["alert"]["headline"]

    retention_on(app, dt.date(2027, 11, 4))  # past the year: the texts and who it reached go
    assert numbers() == before
    seen = client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(sanne)).get_json()
    assert seen["alert"]["status"] == "closed" and seen["alert"]["outcome"] == "found"
    assert "Jan" not in str(seen) and "jongen" not in str(seen).lower()
    assert (seen["alert"]["headline"], seen["alert"]["description"]) == ("", "")
    assert received_by_bram() == []
    retention_on(app, dt.date(2027, 11, 5))  # and the next night counts nothing twice
    assert numbers() == before
