"""Open formats: an alert as a CAP 1.2 message other systems can read, and an area's alerts as an
Atom feed whose entries link to those messages. Both are parsed back the way a reader would."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import time_machine

from buurtwacht import create_app
from buurtwacht.messages import CATALOGUE
from buurtwacht.models import MembershipRole
from tests.alerts.readers import read_feed, references, this_message, valid_cap
from tests.push.helpers import local, now, start_alert

CAP = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM = "http://www.w3.org/2005/Atom"
C = {"cap": CAP}
A = {"atom": ATOM}


def parse(data: bytes) -> ET.Element:
    """Parse what our own app answered, as a CAP or Atom reader would."""
    return ET.fromstring(data)  # noqa: S314 - the app's own output, in a test


def cap_of(client, make, person, alert_id):
    response = client.get(f"/api/v1/alerts/{alert_id}/cap", headers=make.headers(person))
    assert response.status_code == 200, response.get_json(silent=True)
    assert response.mimetype == "application/cap+xml"
    root = parse(response.data)
    assert root.tag == f"{{{CAP}}}alert"
    return root


def field(element, path):
    found = element.find(path, C)
    assert found is not None, path
    return found.text


def people(make):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    bram = make.person("Bram Jansen")
    make.member(make.group("bargeres"), bram, MembershipRole.VOLUNTEER)
    return sanne, bram


def test_an_alert_is_a_cap_alert_then_an_update_referencing_it(client, make, app):
    sanne, bram = people(make)
    alert_id = start_alert(client, make, sanne, severity="severe")

    first = cap_of(client, make, bram, alert_id)
    assert field(first, "cap:msgType") == "Alert"
    assert field(first, "cap:status") == "Actual"
    assert first.find("cap:references", C) is None
    original = field(first, "cap:identifier")
    assert alert_id in original
    info = first.find("cap:info", C)
    assert field(info, "cap:urgency") == "Immediate"
    assert field(info, "cap:severity") == "Severe"
    assert field(info, "cap:headline") == "Vermist: jongen van 8 jaar"
    assert "rode jas" in field(info, "cap:description")
    assert "112" in field(info, "cap:instruction")
    assert field(info, "cap:area/cap:areaDesc") == "Bargeres"
    assert [v.text for v in info.findall("cap:area/cap:geocode/cap:value", C)] == ["bargeres"]

    client.post(f"/api/v1/alerts/{alert_id}/updates", json={"text": "Gezien bij de brug."}, headers=make.headers(sanne))

    update = cap_of(client, make, bram, alert_id)
    assert field(update, "cap:msgType") == "Update"
    assert field(update, "cap:identifier") != original  # every CAP message has its own identifier
    sender, identifier, sent = field(update, "cap:references").split(",")
    assert (sender, identifier, sent) == (field(first, "cap:sender"), original, field(first, "cap:sent"))
    assert "Gezien bij de brug." in field(update, "cap:info/cap:description")
    assert field(update, "cap:info/cap:urgency") == "Immediate"


def test_a_closed_alert_is_an_all_clear_update(client, make, app):
    sanne, bram = people(make)
    alert_id = start_alert(client, make, sanne)
    original = field(cap_of(client, make, bram, alert_id), "cap:identifier")
    client.post(
        f"/api/v1/alerts/{alert_id}/close",
        json={"outcome": "found", "message": "De jongen is terecht."},
        headers=make.headers(sanne),
    )
    closed = cap_of(client, make, bram, alert_id)
    assert field(closed, "cap:msgType") == "Update"
    assert field(closed, "cap:references").split(",")[1] == original
    assert field(closed, "cap:info/cap:responseType") == "AllClear"
    assert field(closed, "cap:info/cap:urgency") == "Past"
    assert "Gevonden" in field(closed, "cap:info/cap:description")


def test_a_cancelled_alert_is_a_cap_cancel(client, make, app):
    sanne, bram = people(make)
    alert_id = start_alert(client, make, sanne)
    original = field(cap_of(client, make, bram, alert_id), "cap:identifier")
    client.post(
        f"/api/v1/alerts/{alert_id}/cancel", json={"reason": "Per ongeluk verstuurd."}, headers=make.headers(sanne)
    )

    cancelled = cap_of(client, make, bram, alert_id)
    assert field(cancelled, "cap:msgType") == "Cancel"
    assert field(cancelled, "cap:references").split(",")[1] == original


def test_an_exercise_is_a_cap_exercise(client, make, app):
    sanne, bram = people(make)
    alert_id = start_alert(
        client, make, sanne, kind="exercise", headline="Zoekactie in het park", urgency="expected", severity="minor",
        description="Oefening: een kind (pop) met gele jas is zoek bij de vijver.", instruction="Zoek mee en meld het.",
    )  # fmt: skip
    message = cap_of(client, make, bram, alert_id)
    assert field(message, "cap:status") == "Exercise"
    assert field(message, "cap:info/cap:headline") == "OEFENING - Zoekactie in het park"
    assert (field(message, "cap:info/cap:urgency"), field(message, "cap:info/cap:severity")) == ("Expected", "Minor")


def test_a_circle_alert_carries_its_circle(client, make, app):
    sanne, bram = people(make)
    alert_id = start_alert(client, make, sanne, circle={"lat": 52.7705, "lon": 6.8775, "radius_m": 500})
    area = cap_of(client, make, bram, alert_id).find("cap:info/cap:area", C)
    assert field(area, "cap:areaDesc") == "Bargeres"
    assert field(area, "cap:circle") == "52.7705,6.8775 0.5"


def test_only_people_who_may_see_the_alert_get_its_cap(client, make, app):
    sanne, _ = people(make)
    olaf = make.person("Olaf Emmerhout")
    make.member(make.group("emmerhout"), olaf, MembershipRole.VOLUNTEER)
    alert_id = start_alert(client, make, sanne)
    assert client.get(f"/api/v1/alerts/{alert_id}/cap", headers=make.headers(olaf)).status_code == 404
    assert client.get(f"/api/v1/alerts/{alert_id}/cap").status_code == 401


def feed_of(client, make, person, area):
    return client.get(f"/api/v1/areas/{make.area_id(area)}/alerts.atom", headers=make.headers(person))


def test_an_areas_alerts_as_an_atom_feed_linking_each_cap_message(client, make, app):
    sanne, bram = people(make)
    start = now(app)
    with time_machine.travel(start - dt.timedelta(hours=3), tick=False):
        older = start_alert(
            client, make, sanne, kind="vehicle", headline="Gestolen bestelbus",
            description="Witte bestelbus rijdt met hoge snelheid door de wijk.",
        )  # fmt: skip
        client.post(
            f"/api/v1/alerts/{older}/close",
            json={"outcome": "resolved", "message": "Bus teruggevonden."},
            headers=make.headers(sanne),
        )
    with time_machine.travel(start, tick=False):
        newer = start_alert(client, make, sanne)
        start_alert(client, make, sanne, ("rietlanden",), headline="Inbraak in schuur")  # not Bargeres
        response = feed_of(client, make, bram, "bargeres")

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = parse(response.data)
    assert feed.tag == f"{{{ATOM}}}feed"
    assert feed.find("atom:title", A).text == "Buurtwacht-meldingen Bargeres"
    entries = feed.findall("atom:entry", A)
    assert [e.find("atom:title", A).text for e in entries] == ["Vermist: jongen van 8 jaar", "Gestolen bestelbus"]
    assert "Opgelost" in entries[1].find("atom:summary", A).text
    for entry, alert_id in zip(entries, [newer, older], strict=True):
        assert alert_id in entry.find("atom:id", A).text
        [cap_link] = [link for link in entry.findall("atom:link", A) if link.get("type") == "application/cap+xml"]
        path = urlsplit(cap_link.get("href")).path
        assert path == f"/api/v1/alerts/{alert_id}/cap"
        followed = client.get(path, headers=make.headers(bram))
        assert followed.status_code == 200
        assert parse(followed.data).find("cap:info/cap:headline", C).text == entry.find("atom:title", A).text


def test_the_feed_is_for_people_the_areas_alerts_reach(client, make, app):
    sanne, bram = people(make)
    rita = make.person("Rita Bewoner")
    client.put(f"/api/v1/me/subscriptions/{make.area_id('bargeres')}", headers=make.headers(rita))
    admin = make.person("Gemma Gemeente", admin=True)
    start_alert(client, make, sanne)

    assert feed_of(client, make, bram, "bargeres").status_code == 200
    assert feed_of(client, make, rita, "bargeres").status_code == 200  # a subscribed resident
    assert feed_of(client, make, sanne, "bargeres").status_code == 200  # the wijkagent
    assert feed_of(client, make, bram, "rietlanden").status_code == 403  # his alerts do not come from there
    assert feed_of(client, make, admin, "bargeres").status_code == 403  # numbers only, never the texts
    assert client.get(f"/api/v1/areas/{make.area_id('bargeres')}/alerts.atom").status_code == 401
    assert client.get("/api/v1/areas/999999/alerts.atom", headers=make.headers(bram)).status_code == 404


# Texts stored before input refused control characters ------------------------------------------


def test_control_characters_stored_before_input_refused_them_leave_cap_and_atom_valid_xml(client, make, app):
    from lxml import etree
    from sqlalchemy import update

    from buurtwacht import db
    from buurtwacht.models import Alert, AlertEvent

    sanne, bram = people(make)
    alert_id = start_alert(client, make, sanne)
    updated = client.post(
        f"/api/v1/alerts/{alert_id}/updates", json={"text": "Gezien bij het station."}, headers=make.headers(sanne)
    )
    assert updated.status_code in (200, 201), updated.get_json()
    # As an older version of the app let them in: a form feed, an escape, a vertical tab, a U+FFFE.
    with app.app_context():
        session = db.session()
        session.execute(
            update(Alert)
            .where(Alert.id == uuid.UUID(alert_id))
            .values(headline="Vermist:\x0c jongen", description="Blauwe\x1b[31m jas\x0b", instruction="Bel 112\ufffe")
        )
        session.execute(
            update(AlertEvent).where(AlertEvent.alert_id == uuid.UUID(alert_id), AlertEvent.kind == "updated")
            .values(text="Gezien\x01 bij het station.")
        )  # fmt: skip
        session.commit()

    strict = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    cap = client.get(f"/api/v1/alerts/{alert_id}/cap", headers=make.headers(bram))
    feed = feed_of(client, make, bram, "bargeres")

    assert cap.status_code == 200 and feed.status_code == 200
    cap_root = etree.fromstring(cap.data, strict)
    feed_root = etree.fromstring(feed.data, strict)
    assert cap_root.findtext("cap:info/cap:headline", namespaces=C) == "Vermist: jongen"
    assert "Gezien bij het station." in cap_root.findtext("cap:info/cap:description", namespaces=C)
    assert feed_root.findtext("atom:entry/atom:title", namespaces=A) == "Vermist: jongen"
    assert feed_root.findtext("atom:entry/atom:summary", namespaces=A).endswith("\n\nBlauwe[31m jas")
    assert "Laatste aanvulling: Gezien bij het station." in feed_root.findtext("atom:entry/atom:summary", namespaces=A)


# In the readers people use: the OASIS CAP 1.2 schema (and section 3.3.2) and feedparser ------------


def cap_bytes(client, make, person, alert_id) -> bytes:
    response = client.get(f"/api/v1/alerts/{alert_id}/cap", headers=make.headers(person))
    assert response.status_code == 200, response.get_json(silent=True)
    return response.data


def test_every_message_of_an_alerts_life_is_valid_cap_referencing_all_earlier_ones(client, make, app):
    sanne, bram = people(make)
    winter = local(2026, 12, 4, 20, 15)
    with time_machine.travel(winter, tick=False):
        alert_id = start_alert(client, make, sanne)
        first = valid_cap(cap_bytes(client, make, bram, alert_id))
    with time_machine.travel(winter + dt.timedelta(minutes=10), tick=False):
        client.post(f"/api/v1/alerts/{alert_id}/updates", json={"text": "Gezien bij de brug."}, headers=make.headers(sanne))
        update = valid_cap(cap_bytes(client, make, bram, alert_id))
    with time_machine.travel(winter + dt.timedelta(minutes=25), tick=False):
        client.post(
            f"/api/v1/alerts/{alert_id}/close",
            json={"outcome": "found", "message": "De jongen is terecht."},
            headers=make.headers(sanne),
        )
        closed = valid_cap(cap_bytes(client, make, bram, alert_id))

    # Emmen's local time with its offset; CAP's -00:00 for UTC never arises.
    assert field(first, "cap:sent") == "2026-12-04T20:15:00+01:00"
    assert field(update, "cap:sent") == "2026-12-04T20:25:00+01:00"
    assert field(closed, "cap:sent") == "2026-12-04T20:40:00+01:00"
    # A sender and identifiers of this deployment's domain (tests: no PUBLIC_BASE_URL, so buurtwacht.invalid).
    assert field(first, "cap:sender") == "buurtwacht@buurtwacht.invalid"
    assert {m.findtext("cap:identifier", namespaces=C).split("@")[1] for m in (first, update, closed)} == {
        "buurtwacht.invalid"
    }
    assert len({this_message(m)[1] for m in (first, update, closed)}) == 3
    assert references(first) == []
    assert references(update) == [this_message(first)]
    assert references(closed) == [this_message(first), this_message(update)]  # the alert and the update


def test_a_cancel_after_an_update_is_valid_cap_cancelling_both(client, make, app):
    sanne, bram = people(make)
    summer = local(2026, 7, 3, 21, 0)
    with time_machine.travel(summer, tick=False):
        alert_id = start_alert(client, make, sanne)
        first = valid_cap(cap_bytes(client, make, bram, alert_id))
    with time_machine.travel(summer + dt.timedelta(minutes=5), tick=False):
        client.post(f"/api/v1/alerts/{alert_id}/updates", json={"text": "Fiets gevonden."}, headers=make.headers(sanne))
        update = valid_cap(cap_bytes(client, make, bram, alert_id))
        cancelled = client.post(
            f"/api/v1/alerts/{alert_id}/cancel", json={"reason": "Per ongeluk verstuurd."}, headers=make.headers(sanne)
        )
        assert cancelled.status_code == 200
        cancel = valid_cap(cap_bytes(client, make, bram, alert_id))

    assert field(first, "cap:sent") == "2026-07-03T21:00:00+02:00"  # summer time
    assert field(cancel, "cap:msgType") == "Cancel"
    assert references(cancel) == [this_message(first), this_message(update)]


def test_an_exercise_is_valid_cap(client, make, app):
    sanne, bram = people(make)
    alert_id = start_alert(
        client, make, sanne, kind="exercise", headline="Zoekactie in het park", urgency="expected", severity="minor",
        description="Oefening: een kind (pop) met gele jas is zoek bij de vijver.", instruction="Zoek mee en meld het.",
        circle={"lat": 52.7705, "lon": 6.8775, "radius_m": 500},
    )  # fmt: skip
    message = valid_cap(cap_bytes(client, make, bram, alert_id))
    assert (field(message, "cap:status"), field(message, "cap:msgType")) == ("Exercise", "Alert")


# Words of the catalogue's English that its Dutch does not share: none may appear in the nl-NL block.
ENGLISH_ONLY = {
    word
    for key, texts in CATALOGUE.items()
    if key.startswith(("alert.", "cap."))
    for word in re.findall(r"[A-Za-z]{3,}", texts["en"])
    if word.lower() not in re.sub(r"[^a-z]+", " ", texts["nl"].lower()).split()
} - {"Buurtwacht", "buurtwacht", "text", "headline", "prefix", "description", "instruction", "saar", "outcome"}


def test_the_dutch_info_block_holds_no_english(client, make, app):
    sanne, bram = people(make)
    alert_id = start_alert(client, make, sanne, kind="exercise", headline="Zoekactie in het park")
    client.post(f"/api/v1/alerts/{alert_id}/updates", json={"text": "Gezien bij de vijver."}, headers=make.headers(sanne))
    client.post(
        f"/api/v1/alerts/{alert_id}/close", json={"outcome": "no_result", "message": "Niet gevonden."},
        headers=make.headers(sanne),
    )  # fmt: skip
    message = valid_cap(cap_bytes(client, make, bram, alert_id))

    [info] = message.findall("cap:info", C)  # one block, in the issuer's language
    assert field(info, "cap:language") == "nl-NL"
    shown = ("event", "headline", "description", "instruction", "senderName", "area/cap:areaDesc")
    words = set(re.findall(r"[A-Za-z]{3,}", " ".join(field(info, f"cap:{name}") for name in shown)))
    assert "Aanvullingen" in words
    assert words & ENGLISH_ONLY == set(), words & ENGLISH_ONLY


def test_with_the_clock_in_utc_cap_writes_minus_zero(app, make_settings, make):
    utc_app = create_app(make_settings(TIMEZONE="UTC", CAP_SENDER_DOMAIN="buurtwacht.emmen.nl"))
    client = utc_app.test_client()
    sanne, bram = people(make)
    with time_machine.travel(local(2026, 12, 4, 20, 15), tick=False):
        alert_id = start_alert(client, make, sanne)
        message = valid_cap(cap_bytes(client, make, bram, alert_id))
    with utc_app.app_context():
        utc_app.extensions["buurtwacht.identity"].close()

    assert field(message, "cap:sent") == "2026-12-04T19:15:00-00:00"
    assert field(message, "cap:sender") == "buurtwacht@buurtwacht.emmen.nl"
    assert field(message, "cap:identifier") == f"alert-{alert_id}@buurtwacht.emmen.nl"


def test_a_feed_entry_changes_with_each_update_the_close_and_a_cancel(client, make, app):
    sanne, bram = people(make)
    start = local(2026, 12, 4, 20, 0)

    def entries():
        parsed = read_feed(feed_of(client, make, bram, "bargeres").data)
        return parsed, {e.title: e for e in parsed.entries}

    def at(entry):
        return dt.datetime.fromtimestamp(calendar.timegm(entry.updated_parsed), dt.UTC)

    with time_machine.travel(start, tick=False):
        missing = start_alert(client, make, sanne)
        bike = start_alert(client, make, sanne, kind="vehicle", headline="Gestolen bakfiets",
                           description="Groene bakfiets met kinderzitje, richting het centrum.")  # fmt: skip
        _, seen = entries()
        assert at(seen["Vermist: jongen van 8 jaar"]) == start
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        client.post(f"/api/v1/alerts/{missing}/updates", json={"text": "Gezien bij de brug."}, headers=make.headers(sanne))
        feed, seen = entries()
        boy = seen["Vermist: jongen van 8 jaar"]
        assert at(boy) == start + dt.timedelta(minutes=10)
        assert "Gezien bij de brug." in boy.summary
        assert at(seen["Gestolen bakfiets"]) == start  # untouched
        assert feed.feed.updated == "2026-12-04T20:10:00+01:00"
    with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
        client.post(f"/api/v1/alerts/{missing}/close", json={"outcome": "found", "message": "Hij is thuis."},
                    headers=make.headers(sanne))  # fmt: skip
        client.post(f"/api/v1/alerts/{bike}/cancel", json={"reason": "Bakfiets stond bij de buren."},
                    headers=make.headers(sanne))  # fmt: skip
        _, seen = entries()
        boy, bakfiets = seen["Vermist: jongen van 8 jaar"], seen["Gestolen bakfiets"]
        assert at(boy) == at(bakfiets) == start + dt.timedelta(minutes=30)
        assert boy.summary.startswith("Gevonden. Hij is thuis.")
        assert bakfiets.summary.startswith("Ingetrokken. Bakfiets stond bij de buren.")
