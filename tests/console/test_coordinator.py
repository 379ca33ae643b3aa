"""A coordinator at the console: plans a weekly schedule across the March change to summer time and sees 20:00 on
both sides in the preview and on the roster, approves a member, releases a held note. A volunteer who opens the
coordinator's pages sees what the API answers them. Every page is checked with axe-core at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask.testing import FlaskClient

from buurtwacht.models import MembershipRole, MembershipStatus
from tests.console.conftest import Console
from tests.factories import Factory, GroupRef, Someone

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2027, 3, 10, 9, 0, tzinfo=AMS)  # a Wednesday, under three weeks before summer time


class Bargeres:
    def __init__(self, make: Factory, client: FlaskClient) -> None:
        self.anna = make.person("Anna de Vries")
        self.bram = make.person("Bram Jansen")
        self.henk = make.person("Henk Bakker")
        self.fatima = make.person("Fatima El Amrani")
        self.group: GroupRef = make.group(name="Buurtpreventie Bargeres", coordinator=self.anna)
        make.member(self.group, self.bram, MembershipRole.VOLUNTEER)
        make.member(self.group, self.henk, MembershipRole.VOLUNTEER)
        make.member(self.group, self.fatima, MembershipRole.VOLUNTEER, MembershipStatus.PENDING)
        answer = client.post(
            f"/api/v1/groups/{self.group.id}/notes",
            json={
                "id": str(uuid.uuid4()),
                "category": "burglary_suspicious",
                "what": "Getinte man bij de school",
                "observed_at": (NOW - dt.timedelta(hours=12)).isoformat(),
                "street": "Statenweg",
            },
            headers=make.headers(self.bram),
        )
        assert answer.status_code == 201 and answer.get_json()["held"], answer.get_json()
        self.note_id = answer.get_json()["id"]


@pytest.fixture
def march():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def bargeres(march, make: Factory, client: FlaskClient) -> Bargeres:  # type: ignore[no-untyped-def]
    return Bargeres(make, client)


def open_in_march(console: Console, person: Someone, width: int, at: str = "/"):  # type: ignore[no-untyped-def]
    return console.open(person, width, at, clock=NOW)


def test_a_coordinator_plans_a_schedule_across_summer_time_approves_and_releases(
    console: Console, bargeres: Bargeres, client: FlaskClient, make: Factory
):
    page = open_in_march(console, bargeres.anna, 1280)
    menu = page.get_by_role("navigation", name="Hoofdmenu")

    # The roster, this week: nothing planned yet.
    menu.get_by_role("link", name="Rooster").click()
    page.get_by_role("heading", level=1, name="Rooster van Buurtpreventie Bargeres").wait_for()
    assert page.get_by_role("heading", level=2).first.inner_text() == "Week van 8 maart 2027"
    console.check(page, "roster-week")

    # A schedule every Tuesday 20:00-22:00 from 16 March to 6 April: summer time starts on Sunday 28 March.
    page.get_by_role("link", name="Vast schema plannen").click()
    page.get_by_role("heading", level=1, name="Vast schema plannen voor Buurtpreventie Bargeres").wait_for()
    page.get_by_label("dinsdag").check()
    page.get_by_label("Eerste dag").fill("2027-03-16")
    page.get_by_label("Laatste dag (optioneel)").fill("2027-04-06")
    page.get_by_label("Begintijd").fill("20:00")
    page.get_by_label("Eindtijd").fill("22:00")
    page.get_by_label("Verzamelpunt").fill("Wijkcentrum De Kolk")
    page.get_by_role("button", name="Voorbeeld tonen").click()
    preview = page.get_by_role("table")
    preview.wait_for()
    rows = [row.inner_text().split("\t") for row in preview.locator("tbody tr").all()]
    assert rows == [
        ["dinsdag 16 maart 2027", "20:00", "22:00"],
        ["dinsdag 23 maart 2027", "20:00", "22:00"],
        ["dinsdag 30 maart 2027", "20:00", "22:00"],
        ["dinsdag 6 april 2027", "20:00", "22:00"],
    ]
    console.check(page, "schedule-preview")

    page.get_by_role("button", name="Schema opslaan").click()
    page.get_by_text("Het schema is opgeslagen en de rondes staan in het rooster.").wait_for()
    assert page.get_by_role("heading", level=2).first.inner_text() == "maart 2027"
    month = page.locator("ul.month")
    for day in ("di 16 mrt", "di 23 mrt", "di 30 mrt"):
        cell = month.locator("li").filter(has=page.get_by_role("heading", name=day, exact=True))
        assert "20:00\u201322:00" in cell.inner_text(), cell.inner_text()
        assert "Te weinig mensen (minimaal 2)" in cell.inner_text()
        assert "4 plaatsen open" in cell.inner_text()
    console.check(page, "roster-month")
    # The week after the change, as the volunteers' phones will show it.
    page.get_by_role("link", name="Week", exact=True).click()
    page.goto(f"{console.base}/console/#/groups/{bargeres.group.id}/roster?view=week&date=2027-03-29")
    page.get_by_text("Week van 29 maart 2027").wait_for()
    assert "20:00\u201322:00" in page.locator("ul.week li").nth(1).inner_text()  # Tuesday 30 March, summer time

    # Fatima asked to join: approved.
    menu.get_by_role("link", name="Leden").click()
    page.get_by_role("heading", level=1, name="Leden van Buurtpreventie Bargeres").wait_for()
    page.get_by_role("button", name="Fatima El Amrani goedkeuren").click()
    page.get_by_text("Fatima El Amrani is nu lid.").wait_for()
    page.get_by_text("Er wachten geen aanvragen.").wait_for()
    page.get_by_role("cell", name="Fatima El Amrani", exact=True).wait_for()
    # An invite code to print, with its QR code.
    page.get_by_role("button", name="Nieuwe code maken").click()
    page.get_by_text("Er is een nieuwe code; de oude werkt niet meer.").wait_for()
    code = client.get(f"/api/v1/groups/{bargeres.group.id}/invite", headers=make.headers(bargeres.anna)).get_json()
    qr = page.get_by_role("img", name=f"QR-code van de uitnodigingscode {code['code']}")
    qr.wait_for()
    assert qr.locator("svg path").count() >= 1
    assert page.locator(".invite-code").inner_text() == code["code"]
    console.check(page, "members")

    # The held note: released to the group with a reason.
    menu.get_by_role("link", name="Te beoordelen").click()
    page.get_by_role("heading", level=1, name="Te beoordelen notities van Buurtpreventie Bargeres").wait_for()
    page.get_by_text("Getinte man bij de school").wait_for()
    page.get_by_role("heading", level=2, name="Inbraak en verdachte situatie").wait_for()
    assert page.get_by_text("Door Bram Jansen, di 9 mrt 2027 21:00").is_visible()
    console.check(page, "review")
    page.get_by_label("Reden (komt in de geschiedenis van de notitie)").fill("Hij stond lang bij het hek te kijken")
    page.get_by_role("button", name="Vrijgeven aan de groep").click()
    page.get_by_text("De notitie is vrijgegeven aan de groep.").wait_for()
    page.get_by_text("Er zijn geen tegengehouden notities.").wait_for()

    # What the others now see through the API: Fatima is a member, Henk reads the released note.
    me = client.get("/api/v1/me", headers=make.headers(bargeres.fatima)).get_json()
    assert [(m["group_name"], m["status"]) for m in me["memberships"]] == [("Buurtpreventie Bargeres", "active")]
    notes = client.get(f"/api/v1/groups/{bargeres.group.id}/notes", headers=make.headers(bargeres.henk)).get_json()
    assert [(n["id"], n["held"]) for n in notes] == [(bargeres.note_id, False)]


@pytest.mark.parametrize("screen", ["roster", "schedule", "plan", "members", "review", "round"])
def test_every_coordinator_page_on_a_phone(console: Console, bargeres: Bargeres, make: Factory, screen: str):
    if screen == "round":
        patrol_id = make.patrol(bargeres.group, NOW + dt.timedelta(days=1, hours=11), max_team=2)
        at = f"/rounds/{patrol_id}"
    else:
        at = f"/groups/{bargeres.group.id}/{screen}"
    page = open_in_march(console, bargeres.anna, 390, at=at)
    page.get_by_role("heading", level=1).wait_for()
    page.wait_for_load_state("networkidle")
    console.check(page, screen)
    # The menu folds away on a phone and opens with its button, by keyboard too.
    toggle = page.get_by_role("button", name="Hoofdmenu")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rooster").is_visible()


def test_plan_a_one_off_round(console: Console, bargeres: Bargeres):
    page = open_in_march(console, bargeres.anna, 1280, at=f"/groups/{bargeres.group.id}/plan")
    page.get_by_label("Datum").fill("2027-03-27")
    page.get_by_label("Begintijd").fill("23:00")
    page.get_by_label("Eindtijd").fill("01:00")  # the next day
    page.get_by_label("Verzamelpunt").fill("Kerkplein")
    page.get_by_label("Maximaal aantal mensen").fill("3")
    page.get_by_role("button", name="Ronde plannen").click()
    page.get_by_text("De ronde is gepland.").wait_for()
    saturday = page.locator("ul.week li").nth(5)
    assert "23:00\u201301:00" in saturday.inner_text() and "Kerkplein" in saturday.inner_text()
    console.check(page, "plan-done")

    # The round itself: Bram on the team, Henk on and off again, then cancelled with a reason.
    saturday.get_by_role("link", name="23:00\u201301:00").click()
    page.get_by_role("heading", level=1, name="Ronde van zaterdag 27 maart 2027 23:00\u201301:00").wait_for()
    for name in ("Bram Jansen", "Henk Bakker"):
        page.get_by_label("Lid").select_option(label=name)
        page.get_by_role("button", name="In het team zetten").click()
        page.get_by_text(f"{name} staat in het team en krijgt bericht.").wait_for()
    page.get_by_text("2 van 3 ingeschreven").wait_for()
    console.check(page, "round")
    page.get_by_role("button", name="Henk Bakker eraf halen").click()
    page.get_by_text("Henk Bakker is eraf gehaald en krijgt bericht.").wait_for()
    page.get_by_text("1 van 3 ingeschreven").wait_for()
    assert page.get_by_text("Te weinig mensen (minimaal 2)").is_visible()
    page.get_by_label("Reden (het team krijgt die te zien)").fill("Koningsnacht: de politie loopt zelf")
    page.get_by_role("button", name="Afgelasten").click()
    page.get_by_text("De ronde is afgelast; het team krijgt bericht.").wait_for()
    page.get_by_text("Afgelast", exact=True).wait_for()
    assert page.get_by_role("button", name="In het team zetten").count() == 0


def test_a_volunteer_is_told_what_the_api_answers(console: Console, bargeres: Bargeres):
    page = open_in_march(console, bargeres.bram, 1280, at=f"/groups/{bargeres.group.id}/members")
    page.get_by_role("heading", level=1, name="Leden van Buurtpreventie Bargeres").wait_for()
    alert = page.get_by_role("alert").first
    alert.wait_for()
    assert alert.inner_text().startswith("Fout 403: ")
    # A group they are not in does not exist for them.
    page.goto(
        f"{console.base}/console/#/groups/{bargeres.group.id}/roster".replace(
            str(bargeres.group.id), "0" * 8 + "-0000-4000-8000-" + "0" * 12
        )
    )
    page.get_by_role("alert").first.wait_for()
    assert page.get_by_role("alert").first.inner_text().startswith("Fout 404: ")
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 0
    console.check(page, "volunteer-refused")
