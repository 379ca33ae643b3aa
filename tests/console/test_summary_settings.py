"""A coordinator at the console reads the group's monthly summary for October 2026 (picked with the month picker)
and sends it again; changes the group's settings and categories, sees them kept after a reload, and sees the
API's 422 message beside a field with a bad value. Both pages are checked with axe-core at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from buurtwacht.models import MembershipRole
from tests.console.conftest import Console
from tests.factories import Factory, GroupRef

AMS = ZoneInfo("Europe/Amsterdam")


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=AMS)


class October:
    """Bargeres in October 2026: one walked round (3.5 volunteer hours by two people), one cancelled; four
    notes, three of them on the Kapelstraat; September had one. The group chose two categories."""

    def __init__(self, make: Factory, client: FlaskClient) -> None:
        self.anna = make.person("Anna de Vries")
        self.bram = make.person("Bram Jansen")
        self.henk = make.person("Henk Bakker")
        self.group: GroupRef = make.group(name="Buurtpreventie Bargeres", coordinator=self.anna)
        for volunteer in (self.bram, self.henk):
            make.member(self.group, volunteer, MembershipRole.VOLUNTEER)
        chosen = client.put(
            f"/api/v1/groups/{self.group.id}/categories",
            json={"categories": ["burglary_suspicious", "traffic_safety"]},
            headers=make.headers(self.anna),
        )
        assert chosen.status_code == 200, chosen.get_json()
        start = local(2026, 10, 6, 20, 0)
        make.patrol_with_team(
            self.group, start, start + dt.timedelta(hours=2), status="completed", team=[self.bram, self.henk],
            check_ins={self.bram.id: (start, start + dt.timedelta(hours=2)),
                       self.henk.id: (start + dt.timedelta(minutes=15), start + dt.timedelta(minutes=105))},
        )  # fmt: skip
        make.patrol_with_team(self.group, local(2026, 10, 20, 20, 0), local(2026, 10, 20, 22, 0), status="cancelled")
        for minute in (10, 20, 30):
            make.past_note(self.group, self.bram, "burglary_suspicious", local(2026, 10, 6, 20, minute),
                           street="Kapelstraat", status="resolved")  # fmt: skip
        make.past_note(self.group, self.henk, "traffic_safety", local(2026, 10, 6, 21, 0), street="Dordsestraat 7")
        make.past_note(self.group, self.henk, "traffic_safety", local(2026, 9, 15, 21, 0), street="Dordsestraat 7")


@pytest.fixture
def october(make: Factory, client: FlaskClient) -> October:
    return October(make, client)


def rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [row.inner_text().split("\t") for row in table.locator("tr").all()]


def test_a_coordinator_reads_any_months_summary_and_sends_it(console: Console, october: October):
    page = console.open(october.anna, 1280)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Maandoverzicht").click()
    page.get_by_role("heading", level=1, name="Maandoverzicht van Buurtpreventie Bargeres").wait_for()

    page.get_by_label("Maand", exact=True).fill("2026-10")
    page.get_by_role("heading", level=2, name="oktober 2026").wait_for()
    assert rows(page.get_by_role("table", name="Rondes")) == [
        ["Gepland", "2"],
        ["Gelopen", "1"],
        ["Afgelast", "1"],
        ["Vrijwilligersuren", "3,5"],
        ["Vrijwilligers die meeliepen", "2"],
    ]
    assert rows(page.get_by_role("table", name="Waarnemingen in totaal")) == [
        ["Deze maand", "4"],
        ["Maand ervoor", "1"],
        ["Een jaar eerder", "0"],
    ]
    by_category = page.get_by_role("table", name="Waarnemingen per categorie")
    assert rows(by_category.locator("tbody")) == [
        ["Inbraak en verdachte situatie", "3", "0", "0"],
        ["Verkeersveiligheid", "1", "1", "0"],
    ], rows(by_category)
    assert page.locator("figure.chart-summary svg rect").count() == 2
    assert rows(page.get_by_role("table", name="Plekken met 3 of meer waarnemingen")) == [["Kapelstraat", "3"]]
    assert page.get_by_text("Elders (plekken met minder dan 3): 1.").is_visible()
    follow_up = rows(page.get_by_role("table", name="Opvolging van de waarnemingen van deze maand"))
    assert follow_up == [["open", "1"], ["gemeld", "0"], ["opgelost", "3"], ["geen actie", "0"]]
    assert sorted(rows(page.get_by_role("table", name="Gekozen categorieën en hun waarnemingen"))) == [
        ["Inbraak en verdachte situatie", "3"],
        ["Verkeersveiligheid", "1"],
    ]
    console.check(page, "coordinator-summary")

    # Sent again now, to the coordinators and the wijkagent (Anna is the only one).
    page.get_by_role("button", name="Nu versturen").click()
    page.get_by_text("Het overzicht van oktober 2026 is opnieuw verstuurd (e-mails klaargezet: 1).").wait_for()

    # A quiet month: the same headings, nothing to chart.
    page.get_by_label("Maand", exact=True).fill("2025-02")
    page.get_by_role("heading", level=2, name="februari 2025").wait_for()
    assert page.get_by_text("Geen waarnemingen in deze maand, de maand ervoor of een jaar eerder.").is_visible()
    assert page.locator("figure.chart-summary").count() == 0

    # In English, the same numbers with the labels in the reader's language.
    page.get_by_label("Taal").select_option("en")
    page.get_by_label("Month", exact=True).fill("2026-10")
    page.get_by_role("heading", level=2, name="October 2026").wait_for()
    assert rows(page.get_by_role("table", name="Notes by category").locator("tbody"))[0][1:] == ["3", "0", "0"]
    assert page.get_by_role("table", name="Patrols").is_visible()


def field_error(page, label: str) -> str:  # type: ignore[no-untyped-def]
    """The message the input labelled `label` is described by (aria-describedby), beside it."""
    field = page.get_by_label(label, exact=True)
    ids = (field.get_attribute("aria-describedby") or "").split()
    assert field.get_attribute("aria-invalid") == "true"
    errors = [page.locator(f"#{i}") for i in ids if i.endswith("-error")]
    assert len(errors) == 1, ids
    return str(errors[0].inner_text())


def test_a_coordinator_changes_the_settings_and_sees_them_kept(
    console: Console, october: October, client: FlaskClient, make: Factory
):
    page = console.open(october.anna, 1280)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Instellingen").click()
    page.get_by_role("heading", level=1, name="Instellingen van Buurtpreventie Bargeres").wait_for()
    retention = page.get_by_label("Waarnemingen bewaren (maanden)")
    assert retention.input_value() == "12"
    assert page.get_by_label("Aanmelden kan vanaf (dagen vooraf)").input_value() == "28"
    assert page.get_by_label("Inbraak en verdachte situatie").is_checked()
    assert not page.get_by_label("Drugs").is_checked()
    console.check(page, "coordinator-settings")

    retention.fill("6")
    page.get_by_label("Aanmelden kan vanaf (dagen vooraf)").fill("14")
    page.get_by_label("Grens voor niet komen (keer in 90 dagen)").fill("3")
    page.get_by_role("button", name="Instellingen opslaan").click()
    page.get_by_text("De instellingen zijn opgeslagen.").wait_for()
    page.get_by_label("Drugs").check()
    page.get_by_label("Verkeersveiligheid").uncheck()
    page.get_by_role("button", name="Categorieën opslaan").click()
    page.get_by_text("De categorieën zijn opgeslagen.").wait_for()

    page.reload()
    page.get_by_role("heading", level=1, name="Instellingen van Buurtpreventie Bargeres").wait_for()
    assert page.get_by_label("Waarnemingen bewaren (maanden)").input_value() == "6"
    assert page.get_by_label("Aanmelden kan vanaf (dagen vooraf)").input_value() == "14"
    assert page.get_by_label("Grens voor niet komen (keer in 90 dagen)").input_value() == "3"
    assert page.get_by_label("Drugs").is_checked()
    assert not page.get_by_label("Verkeersveiligheid").is_checked()
    group = client.get(f"/api/v1/groups/{october.group.id}", headers=make.headers(october.anna)).get_json()
    assert group["note_retention_months"] == 6
    assert group["patrol_settings"]["signup_opens_days"] == 14
    assert group["patrol_settings"]["no_show_limit"] == 3

    # A bad value: the API's message, in Dutch, beside the field it is about; nothing changed.
    page.get_by_label("Waarnemingen bewaren (maanden)").fill("30")
    page.get_by_label("Afmelden kan tot (uren vooraf)").fill("500")
    page.get_by_role("button", name="Instellingen opslaan").click()
    page.locator(".field-error").first.wait_for()
    refused = client.patch(
        f"/api/v1/groups/{october.group.id}",
        json={"note_retention_months": 30, "patrol_settings": {"withdraw_until_hours": 500}},
        headers={**make.headers(october.anna), "Accept-Language": "nl"},
    )
    assert refused.status_code == 422
    errors = refused.get_json()["errors"]["json"]
    assert field_error(page, "Waarnemingen bewaren (maanden)") == " ".join(errors["note_retention_months"])
    expected = " ".join(errors["patrol_settings"]["withdraw_until_hours"])
    assert field_error(page, "Afmelden kan tot (uren vooraf)") == expected
    assert page.get_by_label("Aanmelden kan vanaf (dagen vooraf)").get_attribute("aria-invalid") == "false"
    console.check(page, "coordinator-settings-refused")
    group = client.get(f"/api/v1/groups/{october.group.id}", headers=make.headers(october.anna)).get_json()
    assert group["note_retention_months"] == 6


@pytest.mark.parametrize("screen", ["summary", "settings"])
def test_summary_and_settings_on_a_phone(console: Console, october: October, screen: str):
    at = f"/groups/{october.group.id}/{screen}" + ("?month=2026-10" if screen == "summary" else "")
    page = console.open(october.anna, 390, at=at)
    page.get_by_role("heading", level=1).wait_for()
    page.get_by_role("heading", level=2).first.wait_for()
    console.check(page, f"coordinator-{screen}")


def test_a_volunteer_is_refused_the_summary(console: Console, october: October):
    page = console.open(october.bram, 1280, at=f"/groups/{october.group.id}/summary?month=2026-10")
    page.get_by_role("alert").wait_for()
    assert page.get_by_role("alert").inner_text().startswith("Fout 403")
    assert page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Maandoverzicht").count() == 0
