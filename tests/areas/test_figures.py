"""The municipality's figures per gebied: patrols, hours and notes by category for each month of 2025.

Emmen Zuid has two groups: Bargeres (walked one round in October for 3.5 hours by two people, cancelled
another, recorded three notes) and Rietlanden (one round in November, and a note at 00:30 on 1 November,
which is still 31 October in UTC). Emmerhout lies in Emmen Oost and never counts for Emmen Zuid. Retention rolled four March notes of Bargeres up into monthly counts.
Ada (municipality) and Sanne (wijkagent of Emmen Zuid) read the numbers; nobody else does.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from buurtwacht import db
from buurtwacht.models import MembershipRole, NoteMonthCount
from tests.scheduler.walk import local


@pytest.fixture
def emmen_zuid_in_2025(app, make) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    ada = make.person("Ada Gemeente", admin=True)
    sanne, olaf = make.person("Sanne Mulder"), make.person("Olaf Oost")
    make.officer(sanne, "emmen-zuid")
    make.officer(olaf, "emmerhout")
    anna, bram, henk, fatima = (
        make.person(n) for n in ("Anna de Vries", "Bram Jansen", "Henk Bakker", "Fatima Amrani")
    )
    bargeres = make.group("bargeres", "Buurtpreventie Bargeres", coordinator=anna)
    rietlanden = make.group("rietlanden", "Buurtpreventie Rietlanden")
    emmerhout = make.group("emmerhout", "Buurtpreventie Emmerhout")
    for person, group in ((bram, bargeres), (henk, bargeres), (fatima, rietlanden)):
        make.member(group, person, MembershipRole.VOLUNTEER)

    tuesday = local(2025, 10, 7, 20, 0)
    make.patrol_with_team(
        bargeres, tuesday, tuesday + dt.timedelta(hours=2), status="completed", team=[bram, henk],
        check_ins={bram.id: (tuesday, tuesday + dt.timedelta(hours=2)),
                   henk.id: (tuesday + dt.timedelta(minutes=30), tuesday + dt.timedelta(hours=2))},
    )  # fmt: skip
    make.patrol_with_team(bargeres, local(2025, 10, 14, 20, 0), local(2025, 10, 14, 22, 0), status="cancelled")
    thursday = local(2025, 11, 6, 19, 0)
    make.patrol_with_team(
        rietlanden, thursday, thursday + dt.timedelta(hours=1), status="completed", team=[fatima],
        check_ins={fatima.id: (thursday, None)},  # never checked out: until the planned end
    )  # fmt: skip
    make.patrol_with_team(
        emmerhout, tuesday, tuesday + dt.timedelta(hours=2), status="completed", team=[olaf],
        check_ins={olaf.id: (tuesday, tuesday + dt.timedelta(hours=2))},
    )  # fmt: skip

    for category, day in (("burglary_suspicious", 3), ("burglary_suspicious", 9), ("traffic_safety", 21)):
        make.past_note(bargeres, bram, category, local(2025, 10, day, 21, 0), street="Kapelstraat")
    make.past_note(rietlanden, fatima, "clean_whole_safe", local(2025, 11, 1, 0, 30), street="Rietlanden")
    make.past_note(emmerhout, olaf, "drugs", local(2025, 10, 9, 21, 0), street="Houtweg")
    with app.app_context():
        session = db.session()
        session.add(NoteMonthCount(group_id=bargeres.id, month="2025-03", category="youth_nuisance",
                                   status="resolved", count=4))  # fmt: skip
        session.commit()
    return SimpleNamespace(
        ada=ada, sanne=sanne, olaf=olaf, anna=anna, bram=bram, bargeres=bargeres, names=(
            "Ada", "Sanne", "Olaf", "Anna", "Bram", "Henk", "Fatima", "Kapelstraat", "Rietlanden", "Houtweg"),
    )  # fmt: skip


def figures(client, make, person, area: str, year: int = 2025):  # type: ignore[no-untyped-def]
    return client.get(
        f"/api/v1/areas/{make.area_id(area)}/figures", query_string={"year": year}, headers=make.headers(person)
    )


def test_the_municipality_reads_a_gebied_month_by_month(client, make, emmen_zuid_in_2025):
    w = emmen_zuid_in_2025

    response = figures(client, make, w.ada, "emmen-zuid")

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["area"] == {"id": make.area_id("emmen-zuid"), "name": "Emmen Zuid", "kind": "district"}
    assert (body["year"], body["groups"]) == (2025, 2)  # Emmerhout lies in Emmen Oost
    months = {row["month"]: row for row in body["months"]}
    assert list(months) == list(range(1, 13))
    assert months[10]["patrols"] == {"planned": 2, "walked": 1, "cancelled": 1, "hours": 3.5, "active_volunteers": 2}
    assert months[10]["notes"] == {"total": 3, "by_category": {"burglary_suspicious": 2, "traffic_safety": 1}}
    # 1 November 00:30 in Emmen is 31 October in UTC: it counts in November, where Emmen lived it.
    assert months[11]["patrols"] == {"planned": 1, "walked": 1, "cancelled": 0, "hours": 1.0, "active_volunteers": 1}
    assert months[11]["notes"] == {"total": 1, "by_category": {"clean_whole_safe": 1}}
    assert months[3]["notes"] == {"total": 4, "by_category": {"youth_nuisance": 4}}  # rolled up by retention
    quiet = {"planned": 0, "walked": 0, "cancelled": 0, "hours": 0.0, "active_volunteers": 0}
    assert all(months[m]["patrols"] == quiet for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 12))
    assert not any(name in response.get_data(as_text=True) for name in w.names)  # numbers, never a name or place


def test_a_wijk_shows_what_its_group_summary_shows(client, make, emmen_zuid_in_2025):
    w = emmen_zuid_in_2025

    body = figures(client, make, w.sanne, "bargeres").get_json()
    summary = client.get(f"/api/v1/groups/{w.bargeres.id}/summaries/2025-10", headers=make.headers(w.sanne))

    assert body["groups"] == 1
    october = body["months"][9]
    assert october["patrols"] == summary.get_json()["patrols"]
    assert october["notes"]["total"] == summary.get_json()["notes"]["total"]
    assert body["months"][10]["patrols"]["planned"] == 0  # Rietlanden's round is not Bargeres's


def test_the_wijkagent_of_the_gebied_reads_it_and_a_year_without_rounds_is_all_zeros(client, make, emmen_zuid_in_2025):
    w = emmen_zuid_in_2025

    assert figures(client, make, w.sanne, "emmen-zuid").get_json()["months"][9]["patrols"]["walked"] == 1
    empty = figures(client, make, w.sanne, "emmen-zuid", year=2024).get_json()
    assert [m["notes"]["total"] + m["patrols"]["planned"] for m in empty["months"]] == [0] * 12


@pytest.mark.parametrize("who", ["olaf", "anna", "bram"])
def test_others_are_refused_in_their_language(client, make, emmen_zuid_in_2025, who):
    w = emmen_zuid_in_2025

    response = figures(client, make, getattr(w, who), "emmen-zuid")

    assert response.status_code == 403
    assert response.get_json()["message"] == "alleen beheerders en de wijkagent van het gebied zien dit"


def test_an_unknown_area_or_a_missing_year(client, make, emmen_zuid_in_2025):
    w = emmen_zuid_in_2025
    assert client.get("/api/v1/areas/999999/figures?year=2025", headers=make.headers(w.ada)).status_code == 404
    missing = client.get(f"/api/v1/areas/{make.area_id('emmen-zuid')}/figures", headers=make.headers(w.ada))
    assert missing.status_code == 422
    assert "year" in missing.get_json()["errors"]["query"]
    assert client.get(f"/api/v1/areas/{make.area_id('emmen-zuid')}/figures?year=2025").status_code == 401
