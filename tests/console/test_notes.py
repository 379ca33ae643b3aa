"""A coordinator follows up the group's notes at the console: filters them by follow-up, category and period,
sees them on the map, opens one, changes its status with a reason, comments, shares it with the police (which the
wijkagent then reads through the API) and exports the list as CSV. Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask.testing import FlaskClient

from buurtwacht.models import MembershipRole
from tests.console.conftest import Console
from tests.factories import Factory, GroupRef, Someone

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2027, 3, 10, 9, 0, tzinfo=AMS)


class Bargeres:
    def __init__(self, make: Factory, client: FlaskClient) -> None:
        self.anna = make.person("Anna de Vries")
        self.bram = make.person("Bram Jansen")
        self.sanne = make.person("Sanne Wijkagent")
        make.officer(self.sanne, "bargeres")
        self.group: GroupRef = make.group(name="Buurtpreventie Bargeres", coordinator=self.anna)
        make.member(self.group, self.bram, MembershipRole.VOLUNTEER)
        self.client, self.make = client, make
        self.youth = self.note(
            "youth_nuisance",
            "Groep jongeren met brommers bij het winkelcentrum",
            NOW - dt.timedelta(days=1, hours=12),
            lat=52.7735,
            lon=6.8861,
        )
        self.traffic = self.note(
            "traffic_safety",
            "Auto's rijden veel te hard door de Statenweg",
            NOW - dt.timedelta(days=5),
            street="Statenweg",
        )
        self.lamp = self.note(
            "clean_whole_safe",
            "Lantaarnpaal kapot bij het speeltuintje",
            NOW - dt.timedelta(days=3),
            street="Kapelstraat",
        )
        answer = client.post(
            f"/api/v1/notes/{self.lamp}/status",
            json={"status": "resolved", "reason": "De gemeente heeft hem gerepareerd"},
            headers=make.headers(self.anna),
        )
        assert answer.status_code == 200, answer.get_json()

    def note(self, category: str, what: str, at: dt.datetime, **where: object) -> str:
        answer = self.client.post(
            f"/api/v1/groups/{self.group.id}/notes",
            json={"id": str(uuid.uuid4()), "category": category, "what": what, "observed_at": at.isoformat(), **where},
            headers=self.make.headers(self.bram),
        )
        assert answer.status_code == 201 and not answer.get_json()["held"], answer.get_json()
        return str(answer.get_json()["id"])


@pytest.fixture
def bargeres(make: Factory, client: FlaskClient):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        yield Bargeres(make, client)


def open_in_march(console: Console, person: Someone, width: int, at: str = "/"):  # type: ignore[no-untyped-def]
    return console.open(person, width, at, clock=NOW)


def titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.inner_text() for h in page.locator("ul.cards h3").all()]


def test_a_coordinator_filters_follows_up_shares_and_exports_notes(
    console: Console, bargeres: Bargeres, client: FlaskClient, make: Factory
):
    page = open_in_march(console, bargeres.anna, 1280)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Waarnemingen").click()
    page.get_by_role("heading", level=1, name="Waarnemingen van Buurtpreventie Bargeres").wait_for()
    page.get_by_role("heading", level=2, name="Lijst (3)").wait_for()
    assert titles(page) == [
        "Jeugdoverlast, ma 8 mrt 2027 21:00",
        "Schoon, heel en veilig, zo 7 mrt 2027 09:00",
        "Verkeersveiligheid, vr 5 mrt 2027 09:00",
    ], titles(page)
    # The one note with a place is a marker on the map.
    page.get_by_role("region", name="Kaart: 1 waarnemingen met een plek op deze pagina").wait_for()
    assert page.locator(".map path.leaflet-interactive").count() == 1
    console.check(page, "coordinator-notes")

    # Filters: open notes only, then from 7 March on, then a category with none.
    page.get_by_label("Opvolging").select_option(label="open")
    page.get_by_role("heading", level=2, name="Lijst (2)").wait_for()
    assert not page.get_by_text("Lantaarnpaal kapot bij het speeltuintje").is_visible()
    page.get_by_label("Vanaf (datum)").fill("2027-03-07")
    page.get_by_role("heading", level=2, name="Lijst (1)").wait_for()
    assert page.get_by_text("Groep jongeren met brommers bij het winkelcentrum").is_visible()
    assert "status=open" in page.url and "from=2027-03-07" in page.url
    page.get_by_label("Categorie").select_option("traffic_safety")
    page.get_by_text("Er zijn geen waarnemingen die bij de filters passen.").wait_for()
    page.get_by_label("Categorie").select_option("youth_nuisance")
    page.get_by_role("heading", level=2, name="Lijst (1)").wait_for()
    console.check(page, "coordinator-notes-filtered")

    # The CSV export of what the filters show, fetched with the token and offered as a file.
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Exporteren als CSV").click()
    csv = Path(waiting.value.path()).read_text(encoding="utf-8-sig")
    assert "Groep jongeren met brommers bij het winkelcentrum" in csv
    assert "Statenweg" not in csv and "Lantaarnpaal" not in csv
    page.get_by_text(f"Het bestand {waiting.value.suggested_filename} is gedownload.").wait_for()

    # The note itself: its facts, its place on a map and its history.
    page.get_by_role("link", name="Jeugdoverlast").click()
    page.get_by_role("heading", level=1, name="Waarneming: Jeugdoverlast").wait_for()
    page.get_by_role("region", name="Kaart met de plek van de waarneming").wait_for()
    history = page.locator("ol.history")
    assert "Gemaakt" in history.inner_text()
    console.check(page, "coordinator-note")

    # Follow-up: reported to the police, with a reason.
    page.get_by_label("Nieuwe status").select_option(label="gemeld")
    page.get_by_label("Reden (komt in de geschiedenis)").fill("Gemeld bij de wijkagent, ze komt kijken")
    page.get_by_role("button", name="Status opslaan").click()
    page.get_by_text("De status is gewijzigd.").wait_for()
    history.get_by_text("Status van open naar gemeld").wait_for()
    assert "Reden: Gemeld bij de wijkagent, ze komt kijken" in history.inner_text()

    # A comment.
    page.get_by_label("Reactie", exact=True).fill("Vrijdag lopen we er extra langs.")
    page.get_by_role("button", name="Reactie plaatsen").click()
    page.get_by_text("De reactie is geplaatst.").wait_for()
    page.locator("ul.cards").get_by_text("Vrijdag lopen we er extra langs.").wait_for()
    assert "Anna de Vries" in page.locator("ul.cards li").first.inner_text()

    # Shared with the police.
    page.get_by_role("button", name="Delen met de wijkagent").click()
    page.get_by_text("De waarneming is gedeeld met de wijkagent.").wait_for()
    page.get_by_text("Deze waarneming is gedeeld met de wijkagent.").wait_for()
    history.get_by_text("Gedeeld met de politie").wait_for()
    console.check(page, "coordinator-note-followed-up")

    # What the API now says: the wijkagent reads the shared note with its status and comment.
    shared = client.get(
        f"/api/v1/areas/{bargeres.group.area_id}/shared-notes", headers=make.headers(bargeres.sanne)
    ).get_json()
    assert [(n["id"], n["status"], n["shared_with_police"]) for n in shared] == [(bargeres.youth, "reported", True)]
    assert [c["text"] for c in shared[0]["comments"]] == ["Vrijdag lopen we er extra langs."]

    # Back to the list: its filters are kept, the status is changed.
    page.get_by_role("link", name="Terug naar de waarnemingen van Buurtpreventie Bargeres").click()
    page.get_by_role("heading", level=1, name="Waarnemingen van Buurtpreventie Bargeres").wait_for()
    page.get_by_label("Opvolging").select_option(label="gemeld")
    page.get_by_label("Categorie").select_option("")
    page.get_by_label("Vanaf (datum)").fill("")
    page.get_by_role("heading", level=2, name="Lijst (1)").wait_for()
    assert page.get_by_text("gedeeld met de politie").is_visible()


@pytest.mark.parametrize("screen", ["notes", "note"])
def test_the_notes_pages_on_a_phone(console: Console, bargeres: Bargeres, screen: str):
    at = f"/groups/{bargeres.group.id}/notes" if screen == "notes" else f"/notes/{bargeres.youth}"
    page = open_in_march(console, bargeres.anna, 390, at=at)
    page.get_by_role("heading", level=1).wait_for()
    page.get_by_role("region", name="Kaart").wait_for()
    console.check(page, f"coordinator-{screen}")


def test_a_volunteer_sees_the_apis_refusal(console: Console, bargeres: Bargeres):
    page = open_in_march(console, bargeres.bram, 1280, at=f"/notes/{bargeres.traffic}")
    page.get_by_role("heading", level=1, name="Waarneming: Verkeersveiligheid").wait_for()
    # A volunteer may read the note but not share it or change its status: the API answers.
    page.get_by_label("Reden (komt in de geschiedenis)").fill("Ik vind het opgelost")
    page.get_by_role("button", name="Status opslaan").click()
    page.get_by_role("alert").filter(has_text="Fout 403").wait_for()
