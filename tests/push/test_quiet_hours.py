"""Quiet hours: at half past eleven at night a cancelled patrol can wait until seven in the
morning, a call-out to look for a missing child cannot. Patrol messages speak the person's language."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from buurtwacht.models import MembershipRole
from tests.push.helpers import dispatch, local, register, start_alert

NIGHT = local(2026, 12, 8, 23, 30)  # a Tuesday, half past eleven (CET)
PATROL_START = local(2026, 12, 10, 19, 0)  # Thursday evening's round


def of_type(fcm, address, kind):
    return [m for m in fcm.to(address) if m["data"]["type"] == kind]


@pytest.fixture
def evening(client, make, app):
    """Anna coordinates Bargeres; Bram (Dutch) and Emma (English) are on Thursday's round;
    Sanne is the wijkagent. Everyone has a phone. It is Tuesday, 23:30."""
    with time_machine.travel(NIGHT, tick=False):
        anna = make.person("Anna de Vries")
        bram = make.person("Bram Jansen", locale="nl")
        emma = make.person("Emma Brown", locale="en")
        sanne = make.person("Sanne Mulder")
        make.officer(sanne, "emmen-zuid")
        group = make.group("bargeres", coordinator=anna)
        make.member(group, bram, MembershipRole.VOLUNTEER)
        make.member(group, emma, MembershipRole.VOLUNTEER)
        register(client, make, bram, "fid-bram-phone")
        register(client, make, emma, "fid-emma-phone")
        patrol = make.patrol_with_team(group, PATROL_START, PATROL_START + dt.timedelta(hours=2), team=[bram, emma])
    return {"anna": anna, "bram": bram, "emma": emma, "sanne": sanne, "patrol": patrol}


def cancel_patrol(client, make, who, patrol, reason="te weinig deelnemers"):
    response = client.post(f"/api/v1/patrols/{patrol}/cancel", json={"reason": reason}, headers=make.headers(who))
    assert response.status_code == 200, response.get_json()


def test_a_cancelled_patrol_waits_until_seven_but_an_urgent_alert_arrives_at_once(client, make, app, fcm, evening):
    with time_machine.travel(NIGHT, tick=False):
        cancel_patrol(client, make, evening["anna"], evening["patrol"])
        start_alert(client, make, evening["sanne"])  # urgency: immediate
        tally = dispatch(app)

    assert tally.held == 2
    for phone in ("fid-bram-phone", "fid-emma-phone"):
        assert of_type(fcm, phone, "patrol.cancelled") == []
        assert len(of_type(fcm, phone, "alert.new")) == 1
    assert of_type(fcm, "fid-bram-phone", "alert.new")[0]["android"]["priority"] == "high"

    with time_machine.travel(local(2026, 12, 9, 6, 59), tick=False):
        dispatch(app)
    assert of_type(fcm, "fid-bram-phone", "patrol.cancelled") == []

    with time_machine.travel(local(2026, 12, 9, 7, 1), tick=False):
        dispatch(app)
    [to_bram] = of_type(fcm, "fid-bram-phone", "patrol.cancelled")
    [to_emma] = of_type(fcm, "fid-emma-phone", "patrol.cancelled")
    assert to_bram["notification"] == {
        "title": "Buurtwacht",
        "body": "De ronde van do 10 dec 19:00 is geannuleerd: te weinig deelnemers",
    }
    assert to_emma["notification"] == {
        "title": "Buurtwacht",
        "body": "The patrol of Thu 10 Dec 19:00 is cancelled: te weinig deelnemers",
    }
    assert to_bram["data"]["patrol_id"] == str(evening["patrol"])
    assert to_bram["android"]["priority"] == "normal"

    with time_machine.travel(local(2026, 12, 9, 7, 5), tick=False):
        dispatch(app)
    assert len(of_type(fcm, "fid-bram-phone", "patrol.cancelled")) == 1  # once


def test_someone_without_quiet_hours_hears_of_the_cancelled_patrol_at_once(client, make, app, fcm, evening):
    with time_machine.travel(NIGHT, tick=False):
        turned_off = client.patch(
            "/api/v1/me", json={"quiet_from": None, "quiet_until": None}, headers=make.headers(evening["emma"])
        )
        assert turned_off.status_code == 200
        assert (turned_off.get_json()["person"]["quiet_from"], turned_off.get_json()["person"]["quiet_until"]) == (
            None,
            None,
        )
        cancel_patrol(client, make, evening["anna"], evening["patrol"], reason="storm op komst")
        dispatch(app)

    assert [m["notification"]["body"] for m in of_type(fcm, "fid-emma-phone", "patrol.cancelled")] == [
        "The patrol of Thu 10 Dec 19:00 is cancelled: storm op komst"
    ]
    assert of_type(fcm, "fid-bram-phone", "patrol.cancelled") == []  # Bram keeps his quiet night


def test_own_quiet_hours_are_kept(client, make, app, fcm, evening):
    with time_machine.travel(NIGHT, tick=False):
        early_riser = client.patch(
            "/api/v1/me", json={"quiet_from": "22:00", "quiet_until": "05:30"}, headers=make.headers(evening["bram"])
        )
        assert early_riser.status_code == 200
        cancel_patrol(client, make, evening["anna"], evening["patrol"])
        dispatch(app)
    with time_machine.travel(local(2026, 12, 9, 5, 31), tick=False):
        dispatch(app)
    assert len(of_type(fcm, "fid-bram-phone", "patrol.cancelled")) == 1
    assert of_type(fcm, "fid-emma-phone", "patrol.cancelled") == []  # Emma's night lasts until seven


def test_an_alert_that_can_wait_waits_like_any_other_news(client, make, app, fcm, evening):
    with time_machine.travel(NIGHT, tick=False):
        start_alert(
            client, make, evening["sanne"], kind="general_warning", urgency="expected", expires_in_minutes=24 * 60,
            headline="Oplichters aan de deur",
            description="Twee mannen bellen aan en zeggen dat ze van het waterbedrijf komen; ze vragen om binnen te mogen.",
            instruction="Laat niemand binnen zonder legitimatie; bel bij twijfel 0900-8844.",
        )  # fmt: skip
        dispatch(app)
    assert fcm.received == []

    with time_machine.travel(local(2026, 12, 9, 7, 1), tick=False):
        dispatch(app)
    assert [m["notification"]["title"] for m in fcm.to("fid-emma-phone")] == ["Look out: Oplichters aan de deur"]
    assert len(fcm.to("fid-bram-phone")) == 1
