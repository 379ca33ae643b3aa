"""The wijkagent's pages in Chromium: shared notes on a list and a map, an alert started by drawing a circle
that a volunteer answers with a tip and "I'm looking" while she watches (his name appears among those
looking), closed with its outcome, and the monthly summaries of every group in her gebied.

Sanne Mulder is wijkagent of Emmen Zuid. Bargeres (in it) has a group: Anna coordinates, Bram walks.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from buurtwacht.localtime import to_local
from buurtwacht.models import MembershipRole
from tests.console.conftest import WIDTHS, Console
from tests.factories import Factory
from tests.fakes.fcm import FakeFcm
from tests.push.helpers import AMSTERDAM, dispatch


@pytest.fixture
def emmen_zuid(client: FlaskClient, make: Factory) -> SimpleNamespace:
    sanne, ada = make.person("Sanne Mulder"), make.person("Ada Gemeente", admin=True)
    make.officer(sanne, "emmen-zuid")
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen", phone="+31 6 12345678")
    group = make.group("bargeres", "Buurtpreventie Bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    note = {
        "id": str(uuid.uuid4()),
        "category": "burglary_suspicious",
        "what": "Garagedeur stond 's nachts open bij nummer 12.",
        "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(),
        "lat": 52.7702,
        "lon": 6.8779,
        "street": "Kapelstraat",
    }
    assert client.post(f"/api/v1/groups/{group.id}/notes", json=note, headers=make.headers(bram)).status_code == 201
    assert client.post(f"/api/v1/notes/{note['id']}/share", headers=make.headers(bram)).status_code == 200
    month = to_local(dt.datetime.fromisoformat(note["observed_at"])).strftime("%Y-%m")  # in Emmen's time
    return SimpleNamespace(sanne=sanne, ada=ada, anna=anna, bram=bram, group=group, note=note["id"], note_month=month)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_wijkagent_reads_the_shared_notes_of_her_gebied_on_a_list_and_a_map(
    console: Console, client: FlaskClient, make: Factory, emmen_zuid: SimpleNamespace, width: int
):
    w = emmen_zuid
    page = console.open(w.sanne, width)
    page.get_by_role("heading", level=1, name="Welkom, Sanne Mulder").wait_for()
    if width < 600:
        page.get_by_role("button", name="Hoofdmenu").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gedeelde waarnemingen").click()

    page.get_by_role("heading", level=1, name="Gedeelde waarnemingen").wait_for()
    card = page.get_by_role("listitem").filter(has_text="Garagedeur stond 's nachts open bij nummer 12.")
    card.wait_for()
    assert "Kapelstraat" in card.inner_text() and "Bram J." in card.inner_text()
    assert "Buurtpreventie Bargeres" in card.inner_text()
    page.get_by_role("region", name="Kaart van Emmen Zuid: 1 waarnemingen met een plek").wait_for()
    assert page.locator("path.leaflet-interactive").count() == 1  # the note's marker, drawn without tiles
    console.check(page, "officer-notes")

    log = client.get("/api/v1/audit-log", headers=make.headers(w.ada)).get_json()
    assert {(entry["reader"]["name"], entry["via"], entry["note_id"]) for entry in log} == {
        ("Sanne Mulder", "list", w.note)
    }


def test_the_wijkagent_draws_a_circle_sees_a_tip_arrive_and_closes_the_alert(
    console: Console, app: Flask, fcm: FakeFcm, client: FlaskClient, make: Factory, emmen_zuid: SimpleNamespace
):
    w = emmen_zuid
    page = console.open(w.sanne, 1280, at="/officer/alerts")
    page.get_by_role("heading", level=1, name="Meldingen").wait_for()
    page.get_by_text("Er zijn nog geen meldingen.").wait_for()
    console.check(page, "officer-alerts-empty")
    page.get_by_role("link", name="Nieuwe melding").click()

    page.get_by_role("heading", level=1, name="Nieuwe melding").wait_for()
    page.get_by_label("Soort").select_option(label="Vermiste persoon")
    page.get_by_label("Kop").fill("Vermist: jongen van 8 jaar")
    page.get_by_label("Beschrijving").fill("Jongen, 8 jaar, rode jas, blauwe fiets, richting het kanaal.")
    page.get_by_label("Wat moeten mensen doen?").fill("Zie je hem? Bel 112 en blijf bij hem.")
    page.get_by_label("Cirkel tekenen").check()
    send = page.get_by_role("button", name="Melding versturen")
    assert send.is_disabled()  # no circle yet
    page.get_by_role("region", name="Kaart: klik om het midden van de cirkel te kiezen").click()  # the centre
    page.get_by_label("Straal in meters").fill("1000")
    drawn = page.get_by_role("status").filter(has_text="Cirkel: midden")
    assert re.fullmatch(r"Cirkel: midden 52\.76\d*, 6\.8[89]\d*, straal 1000 m\.", drawn.inner_text())
    assert page.locator("path.leaflet-interactive").count() == 1  # the circle on the map
    console.check(page, "officer-new-alert")
    send.click()

    page.get_by_role("heading", level=1, name="Vermist: jongen van 8 jaar").wait_for()
    alert_id = page.evaluate("location.hash").rsplit("/", 1)[-1]
    dispatch(app)  # the push dispatcher (its own process) finds who the circle reaches
    # Anna and Bram: Bargeres's centre lies in the circle; the page follows the figures live.
    page.get_by_role("list").filter(has_text="Bereikt: 2").wait_for(timeout=15000)
    assert "een cirkel van 1000 m" in page.get_by_role("main").inner_text()
    page.get_by_text("Nog geen tips.").wait_for()
    page.get_by_text("Nog niemand zoekt mee.").wait_for()

    # Bram, on the street, answers with his phone while Sanne watches the page.
    tip = {"id": str(uuid.uuid4()), "text": "Jongen met rode jas gezien bij de brug over het kanaal."}
    sent = client.post(f"/api/v1/alerts/{alert_id}/tips", json=tip, headers=make.headers(w.bram))
    assert sent.status_code == 201, sent.get_json()
    assert client.put(f"/api/v1/alerts/{alert_id}/looking", headers=make.headers(w.bram)).status_code == 200
    arrived = page.get_by_role("listitem").filter(has_text="Jongen met rode jas gezien bij de brug")
    arrived.wait_for(timeout=15000)
    assert "Bram Jansen" in arrived.inner_text() and "+31 6 12345678" in arrived.inner_text()
    page.get_by_text("Zoeken mee: 1").wait_for(timeout=15000)
    page.get_by_text("Tips: 1").wait_for()
    # Who is looking: Bram by first name and initial, his group, and since when by Emmen's clock.
    looking = client.get(f"/api/v1/alerts/{alert_id}/responders", headers=make.headers(w.sanne)).get_json()
    since = dt.datetime.fromisoformat(looking[0]["since"]).astimezone(AMSTERDAM).strftime("%H:%M")
    lookers = page.get_by_role("list", name="Wie zoeken mee")
    lookers.get_by_role("listitem").filter(has_text="Bram J.").wait_for(timeout=15000)
    assert lookers.inner_text().strip() == f"Bram J. · Buurtpreventie Bargeres · sinds {since}"
    assert page.get_by_text("Nog niemand zoekt mee.").count() == 0
    console.check(page, "officer-alert")

    page.get_by_label("Aanvulling", exact=True).fill("Gezien bij de brug, richting het centrum.")
    page.get_by_role("button", name="Aanvulling versturen").click()
    page.get_by_text("De aanvulling is verstuurd.").wait_for()
    page.get_by_role("listitem").filter(has_text="Gezien bij de brug, richting het centrum.").wait_for()

    page.get_by_label("Resultaat").select_option(label="gevonden")
    page.get_by_label("Bericht aan iedereen die de melding kreeg").fill(
        "De jongen is gevonden. Dank voor het uitkijken!"
    )
    page.get_by_role("button", name="Melding afsluiten").click()
    page.get_by_text("Slotbericht: De jongen is gevonden. Dank voor het uitkijken!").wait_for()
    facts = page.locator("dl.facts").inner_text()
    assert "gevonden" in facts
    assert page.get_by_role("button", name="Melding afsluiten").count() == 0  # a closed alert is not steered
    console.check(page, "officer-alert-closed")

    seen = client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(w.bram)).get_json()
    assert (seen["alert"]["status"], seen["alert"]["outcome"]) == ("closed", "found")
    assert seen["circle"]["radius_m"] == 1000


def test_on_a_phone_the_wijkagent_alerts_a_wijk_she_picks(
    console: Console, app: Flask, fcm: FakeFcm, make: Factory, emmen_zuid: SimpleNamespace
):
    page = console.open(emmen_zuid.sanne, 390, at="/officer/alerts/new")
    page.get_by_role("heading", level=1, name="Nieuwe melding").wait_for()
    page.get_by_label("Soort").select_option(label="Voertuig")
    page.get_by_label("Kop").fill("Gestolen bestelbus: witte Ford Transit")
    page.get_by_label("Beschrijving").fill("Witte bestelbus met ladder op het dak, richting de Statenweg.")
    page.get_by_label("Wat moeten mensen doen?").fill("Zie je hem? Bel 112; volg hem niet.")
    page.get_by_label("Bargeres").check()
    console.check(page, "officer-new-alert")
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("heading", level=1, name="Gestolen bestelbus: witte Ford Transit").wait_for()
    assert "Bargeres" in page.locator("dl.facts").inner_text()
    dispatch(app)
    page.get_by_text("Bereikt: 2").wait_for(timeout=15000)
    console.check(page, "officer-alert")
    page.get_by_role("link", name="Terug naar de meldingen").click()
    page.get_by_role("link", name="Gestolen bestelbus: witte Ford Transit").wait_for()
    console.check(page, "officer-alerts")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_wijkagent_reads_the_monthly_summaries_of_her_gebied(
    console: Console, make: Factory, emmen_zuid: SimpleNamespace, width: int
):
    w = emmen_zuid
    make.group("rietlanden", "Buurtpreventie Rietlanden")
    page = console.open(w.sanne, width, at="/officer/summaries")
    page.get_by_role("heading", level=1, name="Maandoverzichten").wait_for()
    page.get_by_label("Maand").fill(w.note_month)
    bargeres = page.get_by_role("region", name="Buurtpreventie Bargeres (Bargeres)")
    bargeres.filter(has_text="1 (vorige maand 0, vorig jaar 0)").wait_for()  # Bram's note of an hour ago
    assert bargeres.get_by_role("row", name="Inbraak en verdachte situatie 1 0").count() == 1
    page.get_by_role("region", name="Buurtpreventie Rietlanden (Rietlanden)").wait_for()
    console.check(page, "officer-summaries")


FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el) return "";
  const label = el.labels && el.labels[0] ? el.labels[0].innerText : "";
  return (label || el.getAttribute("aria-label") || el.innerText || "").trim();
}"""


def tab_to(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Press Tab, as a keyboard user does, until the control named `name` has the focus."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_NAME).startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_the_wijkagent_starts_an_alert_with_the_keyboard_alone(
    console: Console, app: Flask, fcm: FakeFcm, client: FlaskClient, make: Factory, emmen_zuid: SimpleNamespace
):
    page = console.open(emmen_zuid.sanne, 1280, at="/officer/alerts/new")
    page.get_by_role("heading", level=1, name="Nieuwe melding").wait_for()
    tab_to(page, "Kop")
    page.keyboard.type("Verdachte bij de schuren")
    tab_to(page, "Beschrijving")
    page.keyboard.type("Man, ongeveer 30, donkere jas, op een fiets, voelt aan schuurdeuren.")
    tab_to(page, "Wat moeten mensen doen?")
    page.keyboard.type("Zie je hem? Bel 112; spreek hem niet aan.")
    tab_to(page, "Gebieden kiezen")
    page.keyboard.press("ArrowDown")  # the radio group's next choice: draw a circle
    tab_to(page, "Breedtegraad")  # past the map: the centre can be typed
    page.keyboard.type("52.7700")
    tab_to(page, "Lengtegraad")
    page.keyboard.type("6.8780")
    tab_to(page, "Straal in meters")
    page.keyboard.press("Control+a")
    page.keyboard.type("500")
    page.get_by_role("status").filter(has_text="Cirkel: midden 52.77, 6.878, straal 500 m.").wait_for()
    tab_to(page, "Melding versturen")
    page.keyboard.press("Enter")

    page.get_by_role("heading", level=1, name="Verdachte bij de schuren").wait_for()
    alert_id = page.evaluate("location.hash").rsplit("/", 1)[-1]
    seen = client.get(f"/api/v1/alerts/{alert_id}", headers=make.headers(emmen_zuid.bram)).get_json()
    assert seen["circle"] == {"lat": 52.77, "lon": 6.878, "radius_m": 500}
    assert [a["name"] for a in seen["areas"]] == ["Bargeres"]  # 500 m around Bargeres's centre reaches it alone
