"""The wijkagent reads the maandoverzicht of every group in her gebied on one page; the municipality too.

Sanne serves Emmen Zuid, where Bargeres and Rietlanden have a group; Emmerhout's group lies in Emmen Oost.
This month Sanne called out for a missing boy in Bargeres, and Bram walked a round there.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from buurtwacht.localtime import local_midnight_utc, to_local
from buurtwacht.models import MembershipRole
from tests.push.helpers import MISSING_BOY


@pytest.fixture
def this_month_in_emmen_zuid(client, make) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    sanne, olaf, ada = make.person("Sanne Mulder"), make.person("Olaf Oost"), make.person("Ada Gemeente", admin=True)
    make.officer(sanne, "emmen-zuid")
    make.officer(olaf, "emmerhout")
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    bargeres = make.group("bargeres", "Buurtpreventie Bargeres", coordinator=anna)
    rietlanden = make.group("rietlanden", "Buurtpreventie Rietlanden")
    make.group("emmerhout", "Buurtpreventie Emmerhout")
    make.member(bargeres, bram, MembershipRole.VOLUNTEER)
    now = dt.datetime.now(dt.UTC)
    # A round walked this month (early in a month: from its first minute), half an hour checked in.
    starts = max(now - dt.timedelta(minutes=50), local_midnight_utc(to_local(now).date().replace(day=1)))
    make.patrol_with_team(bargeres, starts, starts + dt.timedelta(minutes=40), team=[bram], status="completed",
                          check_ins={bram.id: (starts, starts + dt.timedelta(minutes=30))})  # fmt: skip
    started = client.post(
        "/api/v1/alerts", json={**MISSING_BOY, "area_ids": [make.area_id("bargeres")]}, headers=make.headers(sanne)
    )
    assert started.status_code == 201, started.get_json()
    month = to_local(now).strftime("%Y-%m")
    return SimpleNamespace(sanne=sanne, olaf=olaf, ada=ada, anna=anna, bram=bram, bargeres=bargeres,
                           rietlanden=rietlanden, month=month)  # fmt: skip


def area_summaries(client, make, person, area: str, month: str):  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/areas/{make.area_id(area)}/summaries/{month}", headers=make.headers(person))


def test_the_wijkagent_reads_every_group_of_her_gebied_as_each_group_summary_shows_it(
    client, make, this_month_in_emmen_zuid
):
    w = this_month_in_emmen_zuid

    response = area_summaries(client, make, w.sanne, "emmen-zuid", w.month)

    assert response.status_code == 200, response.get_json()
    bargeres, rietlanden = response.get_json()
    assert [bargeres["group"]["name"], rietlanden["group"]["name"]] == [
        "Buurtpreventie Bargeres", "Buurtpreventie Rietlanden",
    ]  # fmt: skip
    assert bargeres["patrols"]["walked"] == 1 and bargeres["patrols"]["hours"] == 0.5
    assert [a["headline"] for a in bargeres["alerts"]] == ["Vermist: jongen van 8 jaar"]
    for summary, group in ((bargeres, w.bargeres), (rietlanden, w.rietlanden)):
        own = client.get(f"/api/v1/groups/{group.id}/summaries/{w.month}", headers=make.headers(w.sanne))
        assert summary == own.get_json()


def test_a_wijk_lists_only_its_own_groups(client, make, this_month_in_emmen_zuid):
    w = this_month_in_emmen_zuid
    listed = area_summaries(client, make, w.sanne, "rietlanden", w.month).get_json()
    assert [s["group"]["name"] for s in listed] == ["Buurtpreventie Rietlanden"]


def test_the_municipality_reads_the_numbers_but_no_alert_headline(client, make, this_month_in_emmen_zuid):
    w = this_month_in_emmen_zuid

    response = area_summaries(client, make, w.ada, "emmen-zuid", w.month)

    assert response.status_code == 200
    bargeres = response.get_json()[0]
    assert [(a["headline"], a["kind"], a["status"]) for a in bargeres["alerts"]] == [(None, "missing_person", "open")]
    assert bargeres["patrols"]["walked"] == 1


@pytest.mark.parametrize("who", ["olaf", "anna", "bram"])
def test_others_are_refused(client, make, this_month_in_emmen_zuid, who):
    w = this_month_in_emmen_zuid

    response = area_summaries(client, make, getattr(w, who), "emmen-zuid", w.month)

    assert response.status_code == 403
    assert response.get_json()["message"] == "alleen beheerders en de wijkagent van het gebied zien dit"


def test_a_wrong_month_or_area(client, make, this_month_in_emmen_zuid):
    w = this_month_in_emmen_zuid
    wrong = area_summaries(client, make, w.sanne, "emmen-zuid", "2026-13")
    assert wrong.status_code == 422
    assert wrong.get_json()["errors"]["path"]["month"] == ["een maand als JJJJ-MM, bijvoorbeeld 2026-11"]
    assert client.get(f"/api/v1/areas/999999/summaries/{w.month}", headers=make.headers(w.sanne)).status_code == 404
