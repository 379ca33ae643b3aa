"""A coordinator exports a period's notes as CSV, for the team meeting or the wijkagent's overview.

One row per note observed in the period (from inclusive, to exclusive), times in Emmen's local
time, and no cell that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
import time_machine

from buurtwacht.models import MembershipRole

NOW = dt.datetime(2026, 11, 3, 19, 30, tzinfo=dt.UTC)  # 20:30 in Emmen
HEADER = [
    "id", "observed_at", "category", "what", "street", "lat", "lon", "status", "urgency", "called",
    "shared_with_police", "held",
]  # fmt: skip


@pytest.fixture
def team(make):
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    group = make.group("bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    return group, anna, bram


def record(client, make, group, author, observed_at: str, **overrides) -> str:
    note_id = str(uuid.uuid4())
    response = client.post(
        f"/api/v1/groups/{group.id}/notes",
        json={
            "id": note_id,
            "category": "clean_whole_safe",
            "what": "Container vol, afval ernaast gegooid.",
            "observed_at": observed_at,
            "street": "Statenweg",
            **overrides,
        },
        headers=make.headers(author),
    )
    assert response.status_code == 201, response.get_json()
    return note_id


@pytest.fixture
def week(client, make, team):
    """Three notes in the first days of November, one from late October: the export is of November."""
    group, anna, bram = team
    with time_machine.travel(NOW, tick=False):
        ids = {
            "october": record(client, make, group, bram, "2026-10-31T23:30"),
            "litter": record(client, make, group, bram, "2026-11-01T00:15"),
            "formula": record(
                client,
                make,
                group,
                bram,
                "2026-11-02T21:05",
                what='=HYPERLINK("http://example.org","klik") stond op de muur gespoten',
                street="+31 Kapelstraat",
                lat=52.7701,
                lon=6.8779,
                urgency="high",
                called="police",
                category="burglary_suspicious",
            ),
            "held": record(client, make, group, bram, "2026-11-03T20:10", what="@getinte man bij de school"),
        }
        client.post(f"/api/v1/notes/{ids['formula']}/share", headers=make.headers(bram))
        client.post(
            f"/api/v1/notes/{ids['litter']}/status",
            json={"status": "reported", "reason": "Gemeld bij de gemeente, 14 0591"},
            headers=make.headers(anna),
        )
    return ids


def export(client, make, group, person, query="?from=2026-11-01T00:00&to=2026-12-01T00:00"):
    return client.get(f"/api/v1/groups/{group.id}/notes/export{query}", headers=make.headers(person))


def test_the_coordinator_exports_a_period_as_csv(client, make, team, week):
    group, anna, _bram = team
    response = export(client, make, group, anna)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == HEADER
    by_id = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    # One row per note in November, in the order they were seen; late October stays out.
    assert [row[0] for row in rows[1:]] == [week["litter"], week["formula"], week["held"]]

    # Local time: 00:15 on 1 November in Emmen is 23:15 UTC the day before, and shown as 00:15.
    assert by_id[week["litter"]]["observed_at"] == "2026-11-01T00:15:00+01:00"
    assert by_id[week["litter"]] == {
        "id": week["litter"], "observed_at": "2026-11-01T00:15:00+01:00", "category": "clean_whole_safe",
        "what": "Container vol, afval ernaast gegooid.", "street": "Statenweg", "lat": "", "lon": "",
        "status": "reported", "urgency": "normal", "called": "none", "shared_with_police": "no", "held": "no",
    }  # fmt: skip
    formula = by_id[week["formula"]]
    assert (formula["lat"], formula["lon"], formula["urgency"], formula["called"], formula["shared_with_police"]) == (
        "52.7701", "6.8779", "high", "police", "yes",
    )  # fmt: skip
    assert by_id[week["held"]]["held"] == "yes"


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_escaped(client, make, team, week):
    group, anna, _bram = team
    rows = list(csv.reader(io.StringIO(export(client, make, group, anna).get_data(as_text=True))))
    by_id = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    formula = by_id[week["formula"]]
    assert formula["what"] == '\'=HYPERLINK("http://example.org","klik") stond op de muur gespoten'
    assert formula["street"] == "'+31 Kapelstraat"
    assert by_id[week["held"]]["what"] == "'@getinte man bij de school"
    for row in rows[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "@", "\t", "\r")


def test_the_period_is_from_inclusive_to_exclusive_in_local_time(client, make, team, week):
    group, anna, _bram = team
    only_the_first = export(client, make, group, anna, "?from=2026-11-01T00:15&to=2026-11-02T21:05")
    rows = list(csv.reader(io.StringIO(only_the_first.get_data(as_text=True))))
    assert [row[0] for row in rows[1:]] == [week["litter"]]
    nothing = export(client, make, group, anna, "?from=2026-12-01T00:00&to=2027-01-01T00:00")
    assert list(csv.reader(io.StringIO(nothing.get_data(as_text=True)))) == [HEADER]


def test_only_the_groups_coordinators_export(client, make, team, week):
    group, _anna, bram = team
    sanne, admin, karin = make.person("Sanne Mulder"), make.person(admin=True), make.person("Karin Smit")
    make.officer(sanne, "bargeres")
    make.group("emmerhout", coordinator=karin)

    for person, status in ((bram, 403), (sanne, 403), (admin, 403), (karin, 404), (make.person(), 404)):
        response = export(client, make, group, person)
        assert response.status_code == status
        assert "Container vol" not in response.get_data(as_text=True)
    assert client.get(f"/api/v1/groups/{group.id}/notes/export").status_code == 401
