"""A coordinator at the console sees a note's photo (fetched with the token, shown from a blob URL, larger in a
dialog that the keyboard opens and closes), forwards the note to Gemeente Emmen (a fake Signalen) and, as the
dispatcher sends it and the municipality answers, sees on the page what became of it; a refusal shows the
municipality's own message and the note can be sent again. Every page is checked with axe-core at 1280 and 390 px."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from buurtwacht.forwarding import targets
from buurtwacht.forwarding.targets import Target
from buurtwacht.models import MembershipRole
from tests.console.conftest import Console
from tests.factories import Factory, GroupRef, Someone
from tests.fakes.signalen import FakeSignalen
from tests.forwarding.conftest import SIGNALEN_MAPPING, dispatch, poll

PHOTO_SIZE = (320, 240)
FIRST_PHOTO = "Foto 1 van 1 bij deze waarneming"
# Run before the console's own script: records each URL.revokeObjectURL call in window.revoked.
REVOKES = """
window.revoked = [];
const revoke = URL.revokeObjectURL.bind(URL);
URL.revokeObjectURL = (url) => { window.revoked.push(url); revoke(url); };
"""


@pytest.fixture
def signalen(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSignalen]:
    """Gemeente Emmen takes reports on a fake Signalen (the forwarding tests' target), answering within a second."""
    fake = FakeSignalen().start()
    with app.app_context():
        targets.use({"emmen": Target("emmen", "Gemeente Emmen", "signalen", fake.url, dict(SIGNALEN_MAPPING))})
    settings = dataclasses.replace(app.config["BUURTWACHT"], FORWARD_TIMEOUT_SECONDS=1)
    monkeypatch.setitem(app.config, "BUURTWACHT", settings)
    yield fake
    fake.stop()
    app.extensions.pop(targets.EXTENSION_KEY, None)


class Kapelstraat:
    """Anna coordinates a group in Bargeres (Emmen); Bram walks in it and saw a street light out."""

    def __init__(self, make: Factory, client: FlaskClient) -> None:
        self.anna: Someone = make.person("Anna de Vries")
        self.bram: Someone = make.person("Bram Jansen")
        self.group: GroupRef = make.group(name="Buurtpreventie Bargeres", coordinator=self.anna)
        make.member(self.group, self.bram, MembershipRole.VOLUNTEER)
        self.client, self.make = client, make

    def note(self, category: str = "clean_whole_safe", **fields: Any) -> str:
        body = {
            "id": str(uuid.uuid4()),
            "category": category,
            "what": "Lantaarnpaal bij de speeltuin is al drie avonden uit.",
            "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)).isoformat(),
            "lat": 52.7701,
            "lon": 6.8803,
            "street": "Kapelstraat bij de speeltuin",
            **fields,
        }
        answer = self.client.post(
            f"/api/v1/groups/{self.group.id}/notes", json=body, headers=self.make.headers(self.bram)
        )
        assert answer.status_code == 201 and not answer.get_json()["held"], answer.get_json()
        return str(answer.get_json()["id"])

    def photo(self, note_id: str) -> None:
        image = io.BytesIO()
        Image.new("RGB", PHOTO_SIZE, (230, 180, 40)).save(image, "PNG")
        image.seek(0)
        answer = self.client.post(
            f"/api/v1/notes/{note_id}/photos",
            data={"photo": (image, "lamp.png", "image/png")},
            content_type="multipart/form-data",
            headers=self.make.headers(self.bram),
        )
        assert answer.status_code == 201, answer.get_json()


@pytest.fixture
def kapelstraat(make: Factory, client: FlaskClient) -> Kapelstraat:
    return Kapelstraat(make, client)


def shown_size(page: Any, image: Any) -> tuple[int, int]:
    """The image's own size once the browser decoded it (0 x 0 when it could not)."""
    image.wait_for()
    page.wait_for_function("img => img.complete", arg=image.element_handle())
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    return int(width), int(height)


def forward_card(page: Any) -> Any:
    return page.get_by_role("region", name="Doorsturen naar de gemeente").locator("li.card")


def test_a_coordinator_sees_the_photo_forwards_the_note_and_sees_the_municipalitys_answer(
    console: Console, kapelstraat: Kapelstraat, signalen: FakeSignalen, app: Flask
) -> None:
    note_id = kapelstraat.note()
    kapelstraat.photo(note_id)
    page = console.open(kapelstraat.anna, 1280, at=f"/notes/{note_id}")
    page.get_by_role("heading", level=1, name="Waarneming: Schoon, heel en veilig").wait_for()

    # The photo, fetched with the token: it renders from a blob URL, with Dutch alt text.
    page.get_by_role("heading", level=2, name="Foto's (1)").wait_for()
    thumbnail = page.get_by_alt_text(FIRST_PHOTO).first
    assert shown_size(page, thumbnail) == PHOTO_SIZE
    assert thumbnail.get_attribute("src").startswith("blob:")
    console.check(page, "coordinator-note-photo")

    # Larger, by keyboard: Enter opens the dialog, Escape closes it and focus returns to the photo.
    enlarge = page.get_by_role("button", name=FIRST_PHOTO)
    enlarge.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=FIRST_PHOTO)
    dialog.wait_for()
    assert shown_size(page, dialog.get_by_alt_text(FIRST_PHOTO)) == PHOTO_SIZE
    console.check(page, "coordinator-note-photo-large")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert enlarge.evaluate("button => document.activeElement === button")

    # Forwarded: queued by the request, nothing sent yet.
    region = page.get_by_role("region", name="Doorsturen naar de gemeente")
    assert "Gemeente Emmen neemt deze meldingen aan." in region.inner_text()
    region.get_by_label("Wat is het (voor de gemeente)").select_option(label="Straatverlichting")
    region.get_by_role("button", name="Doorsturen naar de gemeente").click()
    page.get_by_text("De waarneming staat klaar om naar Gemeente Emmen te gaan.").wait_for()
    forward_card(page).get_by_text("in de wachtrij", exact=True).wait_for()
    page.locator("ol.history").get_by_text("Doorsturen naar de gemeente klaargezet").wait_for()
    assert region.get_by_role("button", name="Doorsturen naar de gemeente").count() == 0
    assert signalen.received == []
    console.check(page, "coordinator-note-forward-queued")

    # The dispatcher sends it with its photo; the page, reloaded, shows the municipality's number.
    tally = dispatch(app)
    assert (tally.sent, tally.photos) == (1, 1)
    assert (
        signalen.creates()[0]
        .json["category"]["sub_category"]
        .endswith("/sub_categories/lantaarnpaal-straatverlichting-niet-werkend")
    )
    page.reload()
    card = forward_card(page)
    card.get_by_text("verstuurd", exact=True).wait_for()
    assert "Nummer bij de gemeente\nSIG-1" in card.inner_text()
    page.locator("ol.history").get_by_text("Doorgestuurd naar de gemeente", exact=True).wait_for()

    # The municipality answers: open (Gemeld), then closed with its note; each shown after a reload.
    assert poll(app) == 1
    page.reload()
    forward_card(page).get_by_text("De gemeente meldt").wait_for()
    assert "De gemeente meldt\nGemeld (open)" in forward_card(page).inner_text()
    signalen.set_status(next(iter(signalen.signals)), "CLOSED", "Afgehandeld: de lamp is vervangen")
    assert poll(app) == 1
    page.reload()
    card = forward_card(page)
    card.get_by_text("afgehandeld door de gemeente", exact=True).wait_for()
    assert "De gemeente meldt\nAfgehandeld: de lamp is vervangen (gesloten)" in card.inner_text()
    assert "Reden: Gemeente Emmen: Afgehandeld: de lamp is vervangen" in page.locator("ol.history").inner_text()
    facts = page.locator("dl.facts").first.inner_text()
    assert "Opvolging\nopgelost" in facts, facts
    console.check(page, "coordinator-note-forward-closed")

    # On a phone; the page notes which object URLs it lets go of.
    phone = console.new_page(390)
    phone.add_init_script(REVOKES)
    phone.goto(f"{console.base}/console/#/notes/{note_id}")
    console.sign_in(phone, kapelstraat.anna)
    shown = phone.get_by_alt_text(FIRST_PHOTO).first
    assert shown_size(phone, shown) == PHOTO_SIZE
    forward_card(phone).get_by_text("afgehandeld door de gemeente", exact=True).wait_for()
    console.check(phone, "coordinator-note-forward-closed")
    # Leaving the note lets go of the photo's blob URL.
    blob_url = shown.get_attribute("src")
    assert blob_url.startswith("blob:") and phone.evaluate("() => window.revoked") == []
    phone.get_by_role("link", name="Terug naar de waarnemingen van Buurtpreventie Bargeres").click()
    phone.get_by_role("heading", level=1, name="Waarnemingen van Buurtpreventie Bargeres").wait_for()
    # Preact runs an unmounted component's clean-up after the new page has been drawn: wait for it (5 s at most).
    phone.wait_for_function("() => window.revoked.length > 0", timeout=5000)
    assert phone.evaluate("() => window.revoked") == [blob_url]
    assert signalen.made == 1 and signalen.contract_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_refusal_shows_the_municipalitys_message_and_the_note_goes_again(
    console: Console, kapelstraat: Kapelstraat, signalen: FakeSignalen, app: Flask, width: int
) -> None:
    note_id = kapelstraat.note()
    page = console.open(kapelstraat.anna, width, at=f"/notes/{note_id}")
    region = page.get_by_role("region", name="Doorsturen naar de gemeente")
    region.get_by_role("button", name="Doorsturen naar de gemeente").click()
    forward_card(page).get_by_text("in de wachtrij", exact=True).wait_for()

    signalen.fault(400, body={"location": ["Deze locatie ligt buiten de gemeente."]})
    assert dispatch(app).failed == 1
    page.reload()
    card = forward_card(page)
    card.get_by_text("mislukt", exact=True).wait_for()
    assert "Waarom het mislukte\n400: location: Deze locatie ligt buiten de gemeente." in card.inner_text()
    console.check(page, "coordinator-note-forward-failed")

    region.get_by_role("button", name="Opnieuw doorsturen naar de gemeente").click()
    card.get_by_text("in de wachtrij", exact=True).wait_for()
    assert dispatch(app).sent == 1
    page.reload()
    forward_card(page).get_by_text("verstuurd", exact=True).wait_for()
    assert signalen.made == 1


def test_no_forward_button_for_a_category_the_municipality_does_not_take(
    console: Console, kapelstraat: Kapelstraat, signalen: FakeSignalen
) -> None:
    note_id = kapelstraat.note("youth_nuisance", what="Groep jongeren met brommers bij het winkelcentrum")
    page = console.open(kapelstraat.anna, 1280, at=f"/notes/{note_id}")
    region = page.get_by_role("region", name="Doorsturen naar de gemeente")
    region.get_by_text("Gemeente Emmen neemt geen waarnemingen van deze categorie aan.").wait_for()
    assert region.get_by_role("button").count() == 0
    # Without photos the page shows no photo section.
    assert page.get_by_role("heading", name="Foto's (1)").count() == 0
    console.check(page, "coordinator-note-not-forwardable")
