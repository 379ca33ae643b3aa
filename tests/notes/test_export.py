"""A coordinator exports a period's notes, for the team meeting or the wijkagent's overview, and opens it in a spreadsheet.

One row per note observed in the period (from inclusive, to exclusive), times in Emmen's local
time, and no cell that a spreadsheet would run as a formula. The file is what a Dutch Excel opens
with a double click (`;`, UTF-8 with a BOM, CRLF); LibreOffice Calc, reading it the same way,
is the judge of where every value lands (tests/libreoffice.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from buurtwacht.models import MembershipRole
from tests.libreoffice import Cell, open_in_calc

NOW = dt.datetime(2026, 11, 3, 19, 30, tzinfo=dt.UTC)  # 20:30 in Emmen
HEADER = [
    "ID", "Waargenomen op", "Categorie", "Wat", "Straat", "Breedtegraad", "Lengtegraad", "Opvolging", "Urgentie",
    "Gebeld", "Gedeeld met politie", "Wacht op coördinator",
]  # fmt: skip
ENGLISH_HEADER = [
    "ID", "Observed at", "Category", "What", "Street", "Latitude", "Longitude", "Follow-up", "Urgency", "Called",
    "Shared with police", "Held for the coordinator",
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


def sheet(response, tmp_path, locale="nl") -> list[list[Cell]]:
    """The export as the coordinator's spreadsheet shows it."""
    return open_in_calc(response.get_data(), tmp_path, locale)


def shown(row: list[Cell]) -> list[str]:
    return [c.value for c in row]


def test_the_coordinator_exports_a_period_that_a_dutch_excel_opens_in_columns(client, make, team, week, tmp_path):
    group, anna, _bram = team
    response = export(client, make, group, anna)
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.mimetype_params == {"charset": "utf-8"}
    assert response.headers["Content-Disposition"] == 'attachment; filename="waarnemingen.csv"'
    data = response.get_data()
    # A Dutch Excel reads UTF-8 only after a byte order mark, and splits on its list separator `;`.
    assert data.startswith(b"\xef\xbb\xbfID;Waargenomen op;Categorie;Wat;")
    assert data.count(b"\r\n") == 4 and b"\n" not in data.replace(b"\r\n", b"")

    rows = sheet(response, tmp_path)
    assert shown(rows[0]) == HEADER
    # One row per note in November, in the order they were seen; late October stays out.
    assert [row[0].value for row in rows[1:]] == [week["litter"], week["formula"], week["held"]]
    by_id = {row[0].value: row for row in rows[1:]}

    # Local time, as a date the spreadsheet can sort and count: 00:15 on 1 November in Emmen (23:15 UTC).
    litter = by_id[week["litter"]]
    assert litter[1] == Cell("date", "2026-11-01T00:15:00")
    assert shown(litter[2:]) == [
        "Schoon, heel en veilig", "Container vol, afval ernaast gegooid.", "Statenweg", "", "",
        "Doorgemeld", "normaal", "niemand", "nee", "nee",
    ]  # fmt: skip
    formula = by_id[week["formula"]]
    # Decimal commas in the file (52,7701), so a Dutch spreadsheet reads the coordinates as numbers.
    assert b"52,7701;6,8779" in data
    assert formula[5:7] == [Cell("float", "52.7701"), Cell("float", "6.8779")]
    assert shown(formula[7:]) == ["Open", "hoog", "politie", "ja", "nee"]
    assert shown(by_id[week["held"]])[11] == "ja"


def test_an_english_coordinator_reads_english_headers_and_words(client, make, team, week, tmp_path):
    group, anna, _bram = team
    piet = make.person("Piet Expat", locale="en")
    make.member(group, piet, MembershipRole.COORDINATOR)
    response = export(client, make, group, piet)
    assert response.headers["Content-Disposition"] == 'attachment; filename="notes.csv"'
    assert b"52.7701;6.8779" in response.get_data()
    rows = sheet(response, tmp_path, "en")
    assert shown(rows[0]) == ENGLISH_HEADER
    formula = {row[0].value: row for row in rows[1:]}[week["formula"]]
    assert formula[1] == Cell("date", "2026-11-02T21:05:00")
    assert formula[2].value == "Burglary and suspicious situation"
    assert formula[5:7] == [Cell("float", "52.7701"), Cell("float", "6.8779")]
    assert shown(formula[7:]) == ["Open", "high", "police", "yes", "no"]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_shown_as_text(client, make, team, week, tmp_path):
    group, anna, _bram = team
    rows = sheet(export(client, make, group, anna), tmp_path)
    by_id = {row[0].value: row for row in rows[1:]}
    formula = by_id[week["formula"]]
    assert formula[3] == Cell("string", '\'=HYPERLINK("http://example.org","klik") stond op de muur gespoten')
    assert formula[4] == Cell("string", "'+31 Kapelstraat")
    assert by_id[week["held"]][3] == Cell("string", "'@getinte man bij de school")
    assert all(cell.formula is None for row in rows for cell in row)


def test_the_judge_runs_an_unguarded_formula(tmp_path):
    """The reader is strict enough to matter: the same cell without the guard runs as a formula."""
    rows = open_in_calc("\ufeffWat\r\n=1+1\r\n".encode(), tmp_path)
    assert rows[1] == [Cell("float", "2", "of:=1+1")]


def test_a_text_with_a_semicolon_or_a_line_break_stays_in_its_own_cell(client, make, team, tmp_path):
    group, anna, bram = team
    with time_machine.travel(NOW, tick=False):
        note_id = record(
            client, make, group, bram, "2026-11-02T20:00", what="Lantaarnpaal kapot; stoep donker.\nMorgen weer kijken."
        )
    rows = sheet(export(client, make, group, anna), tmp_path)
    assert len(rows) == 2 and len(rows[1]) <= len(HEADER)
    assert rows[1][0].value == note_id
    assert rows[1][3] == Cell("string", "Lantaarnpaal kapot; stoep donker.\nMorgen weer kijken.")
    assert rows[1][4].value == "Statenweg"


def test_the_period_is_from_inclusive_to_exclusive_in_local_time(client, make, team, week, tmp_path):
    group, anna, _bram = team
    only_the_first = export(client, make, group, anna, "?from=2026-11-01T00:15&to=2026-11-02T21:05")
    assert [row[0].value for row in sheet(only_the_first, tmp_path)[1:]] == [week["litter"]]
    nothing = export(client, make, group, anna, "?from=2026-12-01T00:00&to=2027-01-01T00:00")
    assert nothing.get_data() == "\ufeff".encode() + ";".join(HEADER).encode() + b"\r\n"


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
