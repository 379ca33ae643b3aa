"""October 2026's maandoverzicht for Bargeres: what the wijkagent and the coordinator read, by API, e-mail and command.

Four rounds were planned: two walked (7.5 volunteer hours by three people), one cancelled, one that
nobody came to. Eight notes: three on the Kapelstraat, three in one map cell, one on the Dordsestraat
and one in another cell (those two only counted, never shown). September had four notes; October 2025
five, of which retention already rolled three up into the monthly counts. The group chose its own
priorities; Sanne's call-out for a missing boy was closed with "found".
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from types import SimpleNamespace

import pytest
import time_machine
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.mail.sender import send_pending
from buurtwacht.models import Email, MembershipRole, Note
from buurtwacht.privacy.jobs import expire_notes, note_count
from tests.mail.smtpd import parts, stored
from tests.scheduler.walk import local, utc
from tests.summaries.phone import as_a_mail_app_shows_it

NAMES = ("Anna", "Vries", "Bram", "Jansen", "Henk", "Bakker", "Fatima", "Amrani", "Sanne", "Mulder", "Olaf")
PRIORITIES = ["traffic_safety", "burglary_suspicious", "youth_nuisance", "clean_whole_safe", "drugs"]


def october_in_bargeres(app, client, make) -> SimpleNamespace:
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    henk, fatima = make.person("Henk Bakker"), make.person("Fatima El Amrani")
    sanne, ada = make.person("Sanne Mulder", locale="en"), make.person("Ada Gemeente", admin=True)
    olaf = make.person("Olaf Emmerhout")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres", coordinator=anna)
    for volunteer in (bram, henk, fatima):
        make.member(group, volunteer, MembershipRole.VOLUNTEER)
    make.member(make.group("emmerhout"), olaf, MembershipRole.COORDINATOR)
    chosen = client.put(
        f"/api/v1/groups/{group.id}/categories", json={"categories": PRIORITIES}, headers=make.headers(anna)
    )
    assert chosen.status_code == 200, chosen.get_json()

    # Patrols: the hours run from check-in to check-out, or to the planned end for who never checked out.
    tuesday = local(2026, 10, 6, 20, 0)
    make.patrol_with_team(
        group, tuesday, tuesday + dt.timedelta(hours=2), status="completed", team=[bram, henk],
        check_ins={bram.id: (tuesday, tuesday + dt.timedelta(hours=2)),
                   henk.id: (tuesday + dt.timedelta(minutes=15), tuesday + dt.timedelta(minutes=105))},
    )  # fmt: skip
    tuesday = local(2026, 10, 13, 20, 0)
    make.patrol_with_team(
        group, tuesday, tuesday + dt.timedelta(hours=2), status="completed", team=[bram, fatima],
        check_ins={bram.id: (tuesday, tuesday + dt.timedelta(hours=2)), fatima.id: (tuesday, None)},
    )  # fmt: skip
    make.patrol_with_team(group, local(2026, 10, 20, 20, 0), local(2026, 10, 20, 22, 0), status="cancelled")
    make.patrol_with_team(group, local(2026, 10, 27, 20, 0), local(2026, 10, 27, 22, 0), team=[henk])
    september = local(2026, 9, 29, 20, 0)  # walked, but in September
    make.patrol_with_team(
        group, september, september + dt.timedelta(hours=2), status="completed", team=[henk],
        check_ins={henk.id: (september, september + dt.timedelta(hours=2))},
    )  # fmt: skip

    # October's notes: where, what, and how far they were followed up.
    note = make.past_note
    note(group, bram, "traffic_safety", local(2026, 10, 6, 20, 30), street="Kapelstraat 12a", status="reported")
    note(group, henk, "traffic_safety", local(2026, 10, 6, 21, 0), street="kapelstraat 3")
    note(group, bram, "burglary_suspicious", local(2026, 10, 13, 20, 40), street="Kapelstraat", status="resolved")
    note(group, fatima, "youth_nuisance", local(2026, 10, 1, 0, 30), street="Dordsestraat 7")  # first half hour
    for lat, lon in ((52.7700, 6.8800), (52.7703, 6.8803), (52.7697, 6.8799)):
        note(group, bram, "clean_whole_safe", local(2026, 10, 13, 21, 0), lat=lat, lon=lon)
    note(group, fatima, "clean_whole_safe", local(2026, 10, 31, 23, 50), lat=52.7800, lon=6.8900, status="no_action")
    # September, and October 2025.
    note(group, bram, "traffic_safety", local(2026, 9, 30, 23, 30), street="Kapelstraat 1")  # last half hour
    for day in (3, 10):
        note(group, bram, "traffic_safety", local(2026, 9, day, 20, 0), street="Kapelstraat 9")
    note(group, henk, "youth_nuisance", local(2026, 9, 15, 21, 0), street="Dordsestraat 2")
    note(group, anna, "traffic_safety", local(2026, 11, 1, 0, 10), street="Kapelstraat 5")  # November already
    for category, day in (("traffic_safety", 5), ("traffic_safety", 6), ("burglary_suspicious", 8)):
        note(group, bram, category, local(2025, 10, day, 20, 0), street="Kapelstraat 4")
    note(group, bram, "burglary_suspicious", local(2025, 10, 25, 20, 0), street="Kapelstraat 4")
    note(group, bram, "clean_whole_safe", local(2025, 10, 28, 20, 0), lat=52.77, lon=6.88)
    with app.app_context():  # retention, on 20 October 2026, takes last October's first three
        assert expire_notes(utc(2026, 10, 20, 12, 0)) == 3
        assert note_count(group.id, "2025-10") == 3
        assert db.session().scalar(select(Note.id).where(Note.observed_at < local(2025, 10, 20, 0, 0))) is None

    # Sanne's call-out for Bargeres, closed with "found"; and one for the Rietlanden next door.
    for area, headline, when in (
        ("bargeres", "Vermist: jongen van 8 jaar", local(2026, 10, 15, 20, 0)),
        ("rietlanden", "Gezocht: gestolen bestelbus", local(2026, 10, 16, 20, 0)),
    ):
        with time_machine.travel(when, tick=False):
            created = client.post(
                "/api/v1/alerts",
                json={
                    "kind": "missing_person" if area == "bargeres" else "vehicle",
                    "headline": headline,
                    "description": "Rode jas, blauwe fiets, richting het kanaal.",
                    "instruction": "Zie je iets? Bel 112.",
                    "area_ids": [make.area_id(area)],
                },
                headers=make.headers(sanne),
            )
            assert created.status_code == 201, created.get_json()
            if area == "bargeres":
                closed = client.post(
                    f"/api/v1/alerts/{created.get_json()['alert']['id']}/close",
                    json={"outcome": "found", "message": "De jongen is terecht."},
                    headers=make.headers(sanne),
                )
                assert closed.status_code == 200, closed.get_json()
    return SimpleNamespace(anna=anna, bram=bram, sanne=sanne, ada=ada, olaf=olaf, group=group)


@pytest.fixture
def bargeres(app, client, make) -> SimpleNamespace:
    return october_in_bargeres(app, client, make)


def summary(client, make, group, person, month="2026-10"):
    return client.get(f"/api/v1/groups/{group.id}/summaries/{month}", headers=make.headers(person))


def assert_anonymous(text: str) -> None:
    for name in NAMES:
        assert name not in text, name
    for house in ("12a", "Kapelstraat 3", "Dordsestraat 7", "kapelstraat"):
        assert house not in text, house


def test_the_coordinator_the_officer_and_an_admin_read_october(client, make, bargeres):
    group = bargeres.group
    response = summary(client, make, group, bargeres.anna)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["group"] == {"id": str(group.id), "name": group.name, "area": "Bargeres"}
    assert body["month"] == "2026-10"
    assert body["patrols"] == {"planned": 4, "walked": 2, "cancelled": 1, "hours": 7.5, "active_volunteers": 3}
    notes = body["notes"]
    assert (notes["total"], notes["previous_month_total"], notes["same_month_last_year_total"]) == (8, 4, 5)
    assert [
        (r["category"], r["count"], r["previous_month"], r["same_month_last_year"]) for r in notes["by_category"]
    ] == [
        ("clean_whole_safe", 4, 0, 1),
        ("traffic_safety", 2, 3, 2),  # both of last year's rolled up
        ("burglary_suspicious", 1, 0, 2),  # one of last year's only in the rolled-up counts
        ("youth_nuisance", 1, 1, 0),
    ]
    assert notes["by_category"][1]["label"] == {"nl": "Verkeersveiligheid", "en": "Traffic safety"}
    assert body["where"] == {
        "places": [{"place": "52.7700, 6.8800", "count": 3}, {"place": "Kapelstraat", "count": 3}],
        "elsewhere": 2,  # the Dordsestraat and the other map cell: fewer than three, never named
    }
    assert body["follow_up"] == {"open": 5, "reported": 1, "resolved": 1, "no_action": 1}
    assert body["alerts"] == [
        {
            "headline": "Vermist: jongen van 8 jaar",
            "kind": "missing_person",
            "status": "closed",
            "outcome": "found",
            "created_at": "2026-10-15T20:00:00+02:00",
        }
    ]
    assert {p["category"]: p["count"] for p in body["priorities"]} == {
        "traffic_safety": 2, "burglary_suspicious": 1, "youth_nuisance": 1, "clean_whole_safe": 4, "drugs": 0,
    }  # fmt: skip
    assert_anonymous(json.dumps(body, ensure_ascii=False))

    seen = summary(client, make, group, bargeres.sanne)
    assert seen.status_code == 200
    assert seen.get_json() == body

    # A municipal admin sees the same numbers, but not what the call-out said (alert numbers only).
    seen = summary(client, make, group, bargeres.ada)
    assert seen.status_code == 200
    assert seen.get_json() == {**body, "alerts": [{**body["alerts"][0], "headline": None}]}
    assert "Vermist" not in seen.get_data(as_text=True)


def test_volunteers_outsiders_and_bad_months_are_refused(client, make, bargeres):
    group = bargeres.group
    assert summary(client, make, group, bargeres.bram).status_code == 403
    assert summary(client, make, group, bargeres.olaf).status_code == 404
    assert (
        client.get(f"/api/v1/groups/{uuid.uuid4()}/summaries/2026-10", headers=make.headers(bargeres.anna)).status_code
        == 404
    )
    for month in ("2026-13", "2026-00", "2026-1", "oktober", "2026-10-01"):
        bad = summary(client, make, group, bargeres.anna, month)
        assert bad.status_code == 422, month
        assert bad.get_json()["errors"] == {"path": {"month": ["een maand als JJJJ-MM, bijvoorbeeld 2026-11"]}}
    send = f"/api/v1/groups/{group.id}/summaries/2026-10/send"
    assert client.post(send, headers=make.headers(bargeres.bram)).status_code == 403
    assert client.post(send, headers=make.headers(bargeres.olaf)).status_code == 404
    assert client.post(send, headers=make.headers(bargeres.ada)).status_code == 403  # admins read, never send
    assert client.post(send.replace("2026-10", "2026-13"), headers=make.headers(bargeres.anna)).status_code == 422
    assert client.get(f"/api/v1/groups/{group.id}/summaries/2026-10").status_code == 401
    with client.application.app_context():
        assert db.session().scalars(select(Email.id)).all() == []


def queued(app) -> list[Email]:
    with app.app_context():
        return list(db.session().scalars(select(Email).order_by(Email.created_at, Email.to_address)))


def test_a_resend_queues_the_summary_again_each_time_in_each_reader_s_language(app, client, make, bargeres, smtp):
    send = f"/api/v1/groups/{bargeres.group.id}/summaries/2026-10/send"
    for _ in range(2):
        response = client.post(send, headers=make.headers(bargeres.sanne))
        assert response.status_code == 200, response.get_json()
        assert response.get_json() == {"queued": 2}
    mails = queued(app)
    assert sorted(m.to_address for m in mails) == sorted([bargeres.anna.email, bargeres.sanne.email] * 2)
    assert all(m.dedupe_key is None for m in mails)  # an explicit resend is never taken for a duplicate
    group = bargeres.group.name
    for mail in mails:
        message = stored(mail.message)
        found = parts(message)
        [attachment] = found["attachments"].values()
        assert_anonymous(found["text"] + found["html"] + attachment.get_content())
        if mail.to_address == bargeres.sanne.email:  # Sanne reads English
            assert message["Subject"] == f"Monthly summary {group}, October 2026"
            assert (
                "Patrols: planned 4, walked 2, cancelled 1; volunteer hours 7.5; active volunteers 3" in found["text"]
            )
            assert "Elsewhere, spread out: 2" in found["text"]
            assert "- 15 Oct 20:00 · Vermist: jongen van 8 jaar · Found" in found["text"]
            assert '<html lang="en">' in found["html"]
            assert attachment.get_filename() == "monthly-summary-2026-10.csv"
            assert "Traffic safety" in attachment.get_content()
        else:
            assert message["Subject"] == f"Maandoverzicht {group}, oktober 2026"
            assert "Surveillance: gepland 4, gelopen 2, geannuleerd 1; vrijwilligersuren 7,5" in found["text"]
            assert "- Kapelstraat: 3" in found["text"] and "Elders, verspreid: 2" in found["text"]
            assert "- Verkeersveiligheid: 2 (vorige maand 3, zelfde maand vorig jaar 2)" in found["text"]
            assert '<html lang="nl">' in found["html"]
            assert attachment.get_filename() == "maandoverzicht-2026-10.csv"
        [chart] = found["images"]
        assert chart.get_content().startswith(b"\x89PNG")
    with app.app_context():
        send_pending()
    assert sorted(smtp.attempts) == sorted(m.to_address for m in mails)  # each tried once


def test_a_resent_summary_arrives_at_the_smtp_server(app, client, make, bargeres, smtp):
    response = client.post(
        f"/api/v1/groups/{bargeres.group.id}/summaries/2026-10/send", headers=make.headers(bargeres.anna)
    )
    assert response.get_json() == {"queued": 2}
    with app.app_context():
        assert send_pending() == (2, 0)
    assert sorted(r.to for r in smtp.received) == sorted([bargeres.anna.email, bargeres.sanne.email])
    english = smtp.to(bargeres.sanne.email)[0].message
    assert english["Subject"] == f"Monthly summary {bargeres.group.name}, October 2026"
    assert "monthly-summary-2026-10.csv" in parts(english)["attachments"]


def test_flask_summary_preview_prints_the_text_and_writes_the_html_that_is_sent(app, client, make, bargeres, tmp_path):
    runner = app.test_cli_runner()
    page = tmp_path / "oktober.html"
    result = runner.invoke(args=["summary", "preview", str(bargeres.group.id), "2026-10", "--html", str(page)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Maandoverzicht {bargeres.group.name}, oktober 2026"
    assert "Surveillance: gepland 4, gelopen 2, geannuleerd 1; vrijwilligersuren 7,5; actieve vrijwilligers 3" in lines
    assert "Waarnemingen: 8 (vorige maand 4, zelfde maand vorig jaar 5)" in lines
    assert "- Kapelstraat: 3" in lines and "- 52.7700, 6.8800: 3" in lines and "Elders, verspreid: 2" in lines
    assert "- 15 okt 20:00 · Vermist: jongen van 8 jaar · Gevonden" in lines
    assert "- Drugs: 0" in lines  # a priority nobody saw anything of
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and '<html lang="nl">' in html
    assert "cid:" not in html and 'src="data:image/png;base64,' in html  # the chart, as a mail app shows it
    assert_anonymous(result.output + html)

    # What is previewed is what is sent: Anna's e-mail, text and HTML, as her mail app shows them.
    sent = client.post(
        f"/api/v1/groups/{bargeres.group.id}/summaries/2026-10/send", headers=make.headers(bargeres.anna)
    )
    assert sent.status_code == 200
    [mail] = [m for m in queued(app) if m.to_address == bargeres.anna.email]
    message = stored(mail.message)
    assert html == as_a_mail_app_shows_it(message).replace("\r\n", "\n")  # CRLF: how mail travels
    assert result.output == parts(message)["text"].replace("\r\n", "\n")

    english = runner.invoke(args=["summary", "preview", str(bargeres.group.id), "2025-10", "--locale", "en"])
    assert english.exit_code == 0, english.output
    assert english.output.splitlines()[0] == f"Monthly summary {bargeres.group.name}, October 2025"
    assert "Notes: 5 (last month 0, same month last year 0)" in english.output  # three of them rolled up


def test_flask_summary_preview_names_what_is_wrong(app, bargeres):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["summary", "preview", str(uuid.uuid4()), "2026-10"])
    assert unknown.exit_code != 0 and "no group with this id" in unknown.output
    garbled = runner.invoke(args=["summary", "preview", "bargeres", "2026-10"])
    assert garbled.exit_code != 0 and "GROUP_ID is a group's id" in garbled.output


def test_flask_summary_preview_refuses_a_bad_month_with_a_message(app, bargeres):
    result = app.test_cli_runner().invoke(args=["summary", "preview", str(bargeres.group.id), "2026-13"])
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)  # a usage error, not a traceback
    assert "YYYY-MM" in result.output


def test_this_month_s_summary_counts_a_round_still_on_the_street_up_to_now(client, make):
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    group = make.group("bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    tonight = local(2026, 11, 17, 20, 0)
    make.patrol_with_team(
        group,
        tonight,
        tonight + dt.timedelta(hours=2),
        status="running",
        team=[bram],
        check_ins={bram.id: (tonight, None)},
    )

    with time_machine.travel(tonight + dt.timedelta(minutes=30), tick=False):  # half an hour out, 90 minutes to go
        body = summary(client, make, group, anna, month="2026-11").get_json()

    assert (body["patrols"]["walked"], body["patrols"]["hours"]) == (1, 0.5)
