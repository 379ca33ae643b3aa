"""October's maandoverzicht as the wijkagent and the coordinator read it: on a phone, in their language, in a spreadsheet.

The e-mail is the one the project queues (POST .../summaries/2026-10/send), read back from the outbox
the way a mail app reads it. Chromium lays its HTML out at a phone's width (390 px, and 320 px for a
small phone) and must not need to scroll sideways; LibreOffice Calc opens its CSV attachment the
way a double click in a Dutch Excel does. Screenshots are kept under build/artefacts/.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import lxml.html
import pytest
import time_machine
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.models import Note, NoteForward
from tests.libreoffice import Cell, open_in_calc
from tests.mail.smtpd import parts, stored
from tests.scheduler.walk import local
from tests.summaries.phone import as_a_mail_app_shows_it, browser, lay_out  # noqa: F401 - browser is a fixture
from tests.summaries.test_summary import october_in_bargeres, queued

# A headline with a word longer than a phone is wide: it wraps, and never widens the page.
LONG_HEADLINE = "Gezocht: bestelbus, zie https://www.politie.nl/gezocht-en-vermist/bestelbus-bargeres-oktober"


def forwarded_in_october(app, group) -> None:  # type: ignore[no-untyped-def]
    """The three litter notes of 13 October went to Gemeente Emmen the next morning: one it closed on the 20th,
    one Bram called fixed on the 29th ("Fixed yet?"), one still open."""
    sent = local(2026, 10, 14, 9, 0)
    endings = [
        {"status": "closed", "answered_at": local(2026, 10, 15, 9, 0), "closed_at": local(2026, 10, 20, 9, 0)},
        {"status": "acknowledged", "answered_at": local(2026, 10, 15, 9, 0), "fixed_yet_fixed": True,
         "fixed_yet_asked_at": local(2026, 10, 28, 10, 30), "fixed_yet_answered_at": local(2026, 10, 29, 9, 0)},
        {"status": "sent"},
    ]  # fmt: skip
    with app.app_context():
        session = db.session()
        litter = session.scalars(
            select(Note.id).where(Note.group_id == group.id, Note.observed_at == local(2026, 10, 13, 21, 0))
        ).all()
        for note_id, ending in zip(sorted(litter), endings, strict=True):
            session.add(
                NoteForward(
                    note_id=note_id, target="emmen", kind="signalen", remote_category="afval/zwerfafval",
                    idempotency_key=uuid.uuid4().hex, sent_at=sent, remote_id=str(note_id), **ending,
                )
            )  # fmt: skip
        session.commit()


@pytest.fixture
def mails(app, client, make) -> SimpleNamespace:
    """October in Bargeres, sent to Anna (Dutch) and Sanne (English): their messages as their mail apps get them."""
    story = october_in_bargeres(app, client, make)
    forwarded_in_october(app, story.group)
    with time_machine.travel(local(2026, 10, 20, 21, 0), tick=False):
        created = client.post(
            "/api/v1/alerts",
            json={
                "kind": "vehicle",
                "headline": LONG_HEADLINE,
                "description": "Witte bus, blauwe letters.",
                "instruction": "Zie je hem? Bel 112.",
                "area_ids": [make.area_id("bargeres")],
            },
            headers=make.headers(story.sanne),
        )
        assert created.status_code == 201, created.get_json()
    sent = client.post(f"/api/v1/groups/{story.group.id}/summaries/2026-10/send", headers=make.headers(story.anna))
    assert sent.get_json() == {"queued": 2}
    by_address = {mail.to_address: stored(mail.message) for mail in queued(app)}
    return SimpleNamespace(nl=by_address[story.anna.email], en=by_address[story.sanne.email], story=story)


def read(message) -> tuple[str, str]:
    """The words a reader reads: the text part, and the HTML part's text."""
    found = parts(message)
    return found["text"], lxml.html.fromstring(found["html"]).text_content()


@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize("locale", ["nl", "en"])
def test_the_summary_fits_a_phone_without_scrolling_sideways(mails, browser, locale, width):  # noqa: F811
    page = lay_out(browser, as_a_mail_app_shows_it(getattr(mails, locale)), width, f"summary-{locale}-{width}.png")

    assert page["scrollWidth"] <= width, page["wide"]
    assert page["wide"] == []
    assert len(page["tables"]) == 8  # with the forwarding's figures and its categories
    for table in page["tables"]:
        assert table["left"] >= 0 and table["right"] <= width, table
    assert page["chart"]["complete"] and page["chart"]["right"] <= width  # the chart is there, and fits
    # Nothing falls off: the last patrol figure is on screen, with its label.
    assert ("Actieve vrijwilligers\t3" if locale == "nl" else "Active volunteers\t3") in page["text"]
    assert ("Mediaan dagen tot opgelost\t10,5" if locale == "nl" else "Median days to fix\t10.5") in page["text"]
    assert LONG_HEADLINE in page["text"].replace("\n", "")


def test_dutch_reads_dutch_numbers_and_words(mails):
    text, html = read(mails.nl)
    for words in (text, html):
        assert "Burgernet" not in words  # the group's own call-outs
        for english in ("Planned", "Walked", "Notes", "Alerts", "Category", "This month", "Last month", "Follow-up",
                        "Oct ", "Still open", "Found"):  # fmt: skip
            assert english not in words, english
    assert "Surveillance: gepland 4, gelopen 2, geannuleerd 1; vrijwilligersuren 7,5; actieve vrijwilligers 3" in text
    assert "Waarnemingen: 8 (vorige maand 4, zelfde maand vorig jaar 5)" in text
    assert "- Schoon, heel en veilig: 4 (vorige maand 0, zelfde maand vorig jaar 1)" in text
    assert "- 15 okt 20:00 · Vermist: jongen van 8 jaar · Gevonden" in text
    assert f"- 20 okt 21:00 · {LONG_HEADLINE} · Loopt nog" in text
    assert "7.5" not in text + html
    assert "Vrijwilligersuren7,5" in html  # a label and its number, one row of the table
    assert "Categorieokt 2026sep 2026okt 2025" in html  # the months as column headers
    assert "Meldingen" in html and "Wanneer" in html
    # Forwarded to the municipality: fixed in 6 days and (by Bram's word) in 15 days and an hour: median 10,5.
    lines = text.replace("\r\n", "\n")  # the text part's line ends are e-mail's
    assert (
        "Doorgestuurd naar de gemeente\n- Doorgestuurd: 3\n- Beantwoord door de gemeente: 2\n- Opgelost: 2\n" in lines
    )
    assert "- waarvan volgens de melder: 1\n- Staat nog open: 1\n- Mediaan dagen tot opgelost: 10,5\n" in lines
    assert "- Schoon, heel en veilig: doorgestuurd 3, opgelost 2, staat nog open 1" in text
    assert "Mediaan dagen tot opgelost10,5" in html


def test_english_reads_english_numbers_and_words(mails):
    text, html = read(mails.en)
    for words in (text, html):
        assert "Burgernet" not in words
        for dutch in ("Gepland", "Gelopen", "Waarnemingen", "Meldingen", "Categorie", "Deze maand", "Vorige maand",
                      "Opvolging", "okt ", "Loopt nog", "Gevonden", "Doorgemeld"):  # fmt: skip
            assert dutch not in words, dutch
    assert "Patrols: planned 4, walked 2, cancelled 1; volunteer hours 7.5; active volunteers 3" in text
    assert "Notes: 8 (last month 4, same month last year 5)" in text
    assert "- 15 Oct 20:00 · Vermist: jongen van 8 jaar · Found" in text
    assert "Volunteer hours7.5" in html
    assert "- Median days to fix: 10.5\r\n" in text and "Median days to fix10.5" in html
    assert "- Clean, whole and safe: forwarded 3, fixed 2, still open 1" in text
    assert "CategoryOct 2026Sep 2026Oct 2025" in html
    assert [a.get_filename() for a in mails.en.iter_attachments()] == ["monthly-summary-2026-10.csv"]


def test_the_attachment_opens_in_a_dutch_spreadsheet_in_columns(mails, tmp_path):
    [attachment] = mails.nl.iter_attachments()
    assert attachment.get_filename() == "maandoverzicht-2026-10.csv"
    assert attachment.get_content_type() == "text/csv" and attachment.get_content_charset() == "utf-8"
    data = attachment.get_payload(decode=True)
    assert data.startswith(b"\xef\xbb\xbfMaand;Categorie;") and data.endswith(b"\r\n")

    rows = open_in_calc(data, tmp_path, "nl")
    assert [c.value for c in rows[0]] == ["Maand", "Categorie", "Deze maand", "Vorige maand", "Zelfde maand vorig jaar"]
    october = Cell("date", "2026-10-01")  # a date the spreadsheet can sort and filter by
    assert rows[1:] == [
        [october, Cell("string", "Schoon, heel en veilig"), Cell("float", "4"), Cell("float", "0"), Cell("float", "1")],
        [october, Cell("string", "Verkeersveiligheid"), Cell("float", "2"), Cell("float", "3"), Cell("float", "2")],
        [october, Cell("string", "Inbraak en verdachte situatie"), Cell("float", "1"), Cell("float", "0"),
         Cell("float", "2")],
        [october, Cell("string", "Jeugdoverlast"), Cell("float", "1"), Cell("float", "1"), Cell("float", "0")],
    ]  # fmt: skip


def test_the_english_attachment_has_english_headers(mails, tmp_path):
    [attachment] = mails.en.iter_attachments()
    rows = open_in_calc(attachment.get_payload(decode=True), tmp_path, "en")
    assert [c.value for c in rows[0]] == ["Month", "Category", "This month", "Last month", "Same month last year"]
    assert rows[2][:3] == [Cell("date", "2026-10-01"), Cell("string", "Traffic safety"), Cell("float", "2")]
