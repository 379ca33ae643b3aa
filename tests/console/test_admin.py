"""The municipal admin's pages in Chromium: the area tree, a group added with its first coordinator, a
wijkagent assigned and removed, the anonymous figures per gebied with their charts, and the audit log.

Ada works for the municipality. In Bargeres (Emmen Zuid) a group walked a round in October 2025 and recorded
two notes; Sanne is the wijkagent of Emmen Zuid and has read what the group shared.
"""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import expect

from buurtwacht.models import MembershipRole
from tests.console.conftest import WIDTHS, Console
from tests.factories import Factory
from tests.scheduler.walk import local


@pytest.fixture
def municipality(client: FlaskClient, make: Factory) -> SimpleNamespace:
    ada, sanne = make.person("Ada Gemeente", admin=True), make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    group = make.group("bargeres", "Buurtpreventie Bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    tuesday = local(2025, 10, 7, 20, 0)
    make.patrol_with_team(
        group, tuesday, tuesday + dt.timedelta(hours=2), status="completed", team=[anna, bram],
        check_ins={anna.id: (tuesday, tuesday + dt.timedelta(hours=2)), bram.id: (tuesday, tuesday + dt.timedelta(hours=2))},
    )  # fmt: skip
    make.past_note(group, bram, "burglary_suspicious", local(2025, 10, 7, 21, 0), street="Kapelstraat")
    make.past_note(group, bram, "traffic_safety", local(2025, 10, 7, 21, 30), street="Kapelstraat")
    return SimpleNamespace(ada=ada, sanne=sanne, anna=anna, bram=bram, group=group)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_admin_adds_a_group_with_its_first_coordinator(
    console: Console, client: FlaskClient, make: Factory, municipality: SimpleNamespace, width: int
):
    w = municipality
    page = console.open(w.ada, width)
    page.get_by_role("heading", level=1, name="Welkom, Ada Gemeente").wait_for()
    if width < 600:
        page.get_by_role("button", name="Hoofdmenu").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gebieden en groepen").click()
    page.get_by_role("heading", level=1, name="Gebieden en groepen").wait_for()
    tree = page.get_by_role("navigation", name="Gebiedsindeling")
    tree.get_by_role("link", name="Gemeente Emmen").wait_for()
    assert [tree.get_by_role("link", name=n).count() for n in ("Gemeente Emmen", "Emmen Zuid", "Nieuw-Weerdinge")] == [
        1, 1, 1,
    ]  # fmt: skip
    console.check(page, "admin-areas")

    tree.get_by_role("link", name="Bargeres").click()
    panel = page.get_by_role("region", name="Bargeres (wijk)")
    panel.get_by_role("cell", name="Buurtpreventie Bargeres", exact=True).wait_for()
    assert panel.get_by_role("row", name="Buurtpreventie Bargeres Anna V. 2").count() == 1
    panel.get_by_label("Naam van de groep").fill("Buurtpreventie Bargeres-Oost")
    first = panel.get_by_role("group", name="Eerste coördinator")
    first.get_by_label("Volledige naam").fill("Nico Nieuw")
    first.get_by_label("E-mailadres").fill("nico.nieuw@example.org")
    console.check(page, "admin-area")
    panel.get_by_role("button", name="Groep toevoegen").click()

    page.get_by_role("status").filter(has_text="Buurtpreventie Bargeres-Oost is toegevoegd.").wait_for()
    panel.get_by_role("cell", name="Buurtpreventie Bargeres-Oost").wait_for()
    groups = client.get("/api/v1/groups", headers=make.headers(w.ada)).get_json()
    added = next(g for g in groups if g["name"] == "Buurtpreventie Bargeres-Oost")
    assert (added["area"]["name"], added["coordinators"], added["member_count"]) == ("Bargeres", ["Nico N."], 1)


def test_an_admin_assigns_and_removes_a_wijkagent_where_groups_belong_to_a_wijk(
    console: Console, make: Factory, municipality: SimpleNamespace
):
    page = console.open(municipality.ada, 1280, at=f"/admin/areas?area={make.area_id('rietlanden')}")
    panel = page.get_by_role("region", name="Rietlanden (wijk)")
    panel.get_by_text("Nog geen wijkagent.").wait_for()
    officer_form = panel.get_by_role("form", name="Wijkagent toevoegen")
    officer_form.get_by_label("Volledige naam").fill("Willem Wijk")
    officer_form.get_by_label("E-mailadres").fill("willem.wijk@politie.example.nl")
    officer_form.get_by_role("button", name="Toevoegen als wijkagent").click()
    panel.get_by_role("listitem").filter(has_text="Willem Wijk").wait_for()
    page.get_by_role("status").filter(has_text="Willem Wijk is wijkagent van dit gebied.").wait_for()

    panel.get_by_role("button", name="Willem Wijk weghalen").click()
    panel.get_by_text("Nog geen wijkagent.").wait_for()

    # A gebied has wijkagenten but no groups of its own: they belong to its wijken and dorpen.
    page.goto(f"{console.base}/console/#/admin/areas?area={make.area_id('emmen-zuid')}")
    district = page.get_by_role("region", name="Emmen Zuid (gebied)")
    district.get_by_role("heading", name="Wijkagenten").wait_for()
    assert district.get_by_role("heading", name="Groepen").count() == 0  # groups belong to a wijk or dorp


@pytest.mark.parametrize("width", WIDTHS)
def test_an_admin_reads_the_figures_of_a_gebied_month_by_month(
    console: Console, make: Factory, municipality: SimpleNamespace, width: int
):
    page = console.open(municipality.ada, width, at="/admin/figures")
    page.get_by_role("heading", level=1, name="Cijfers per gebied").wait_for()
    page.get_by_label("Gebied").select_option(label="Emmen Zuid")
    page.get_by_label("Jaar").fill("2025")
    page.get_by_label("Jaar").press("Enter")
    page.get_by_text("Emmen Zuid: 1 groepen.").wait_for()
    table = page.get_by_role("table", name="Cijfers per maand")
    october = table.get_by_role("row", name="okt")
    expect(october.get_by_role("cell").nth(3)).to_have_text("4")  # once 2025 is shown
    # planned, walked, cancelled, hours, volunteers, notes, then the categories and alerts
    assert october.get_by_role("cell").all_inner_texts()[:6] == ["1", "1", "0", "4", "2", "2"]
    assert table.get_by_role("columnheader", name="Inbraak en verdachte situatie").count() == 1
    assert page.get_by_role("figure").count() == 2  # the charts, whose numbers are the table's
    assert "Bram" not in page.get_by_role("main").inner_text()  # numbers, never names
    console.check(page, "admin-figures")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_admin_reads_who_read_which_shared_note(
    console: Console, client: FlaskClient, make: Factory, municipality: SimpleNamespace, width: int
):
    w = municipality
    note = {
        "id": str(uuid.uuid4()),
        "category": "clean_whole_safe",
        "what": "Lantaarnpaal kapot bij het speeltuintje.",
        "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(),
        "street": "Kapelstraat",
    }
    assert client.post(f"/api/v1/groups/{w.group.id}/notes", json=note, headers=make.headers(w.bram)).status_code == 201
    assert client.post(f"/api/v1/notes/{note['id']}/share", headers=make.headers(w.bram)).status_code == 200
    assert client.get(f"/api/v1/notes/{note['id']}", headers=make.headers(w.sanne)).status_code == 200

    page = console.open(w.ada, width, at="/admin/audit-log")
    page.get_by_role("heading", level=1, name="Inzagelog").wait_for()
    row = page.get_by_role("row").filter(has_text="Sanne Mulder")
    row.wait_for()
    assert row.get_by_role("cell").all_inner_texts()[1:4] == ["Sanne Mulder", "geopend", "Buurtpreventie Bargeres"]
    console.check(page, "admin-audit-log")


def test_a_wijkagent_gets_no_admin_pages_and_the_api_refuses_them(console: Console, municipality: SimpleNamespace):
    page = console.open(municipality.sanne, 1280, at="/admin/audit-log")
    page.get_by_role("heading", level=1, name="Inzagelog").wait_for()
    page.get_by_role("alert").filter(has_text="Fout 403").wait_for()  # the API's refusal, shown as it is
    assert page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inzagelog").count() == 0


def test_the_figures_in_english(console: Console, municipality: SimpleNamespace):
    page = console.open(municipality.ada, 1280, at="/admin/figures")
    page.get_by_role("heading", level=1, name="Cijfers per gebied").wait_for()
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("heading", level=1, name="Figures per area").wait_for()
    page.get_by_label("Area").select_option(label="Emmen Zuid")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Year").press("Enter")
    october = page.get_by_role("table", name="Figures per month").get_by_role("row", name="Oct")
    expect(october.get_by_role("cell").nth(3)).to_have_text("4")  # once 2025 is shown
    assert october.get_by_role("cell").all_inner_texts()[:6] == ["1", "1", "0", "4", "2", "2"]
    headers = page.get_by_role("columnheader").all_inner_texts()
    assert "Burglary and suspicious situation" in headers and "Rounds planned" in headers
    console.check(page, "admin-figures-en")
