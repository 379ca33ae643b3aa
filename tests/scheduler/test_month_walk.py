"""October 2026 in Bargeres, as the scheduler lives it: reminders across the night the clocks go back,
a short team, an overdue patrol, an alert that runs out, and on 1 November the maandoverzicht.

Summer time ends on Sunday 25 October at 03:00 (02:00 again). Anna coordinates; Bram, Henk, Fatima
and Gerrit walk; Sanne is the wijkagent of Emmen Zuid. The scheduler is walked through parts of the
evening of Saturday 24 October, the evening of Sunday 25 October and the morning of 1 November, every
job at each of its planned times (see walk.py); what the jobs would do in between, these tests do not
look at (walking every minute of the month on PostgreSQL would take minutes).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import time_machine
from sqlalchemy import select, update

from buurtwacht import db, scheduler
from buurtwacht.models import Email, JobRun, MembershipRole, Person
from tests.conftest import _empty_tables
from tests.factories import Factory
from tests.mail.smtpd import parts, point_mail_at, stored
from tests.scheduler.walk import Walk, local, utc

MONTHLY_SLOT = "2026-11-01T07:00"


def queued_summaries() -> list[tuple[str, dt.datetime, bytes]]:
    rows = db.session().execute(select(Email.to_address, Email.created_at, Email.message).order_by(Email.to_address))
    return [(to, at, raw) for to, at, raw in rows]


def register(client, make, person, address: str) -> None:
    response = client.put(
        f"/api/v1/me/devices/{uuid.uuid4()}",
        json={"address_kind": "fid", "address": address, "platform": "android"},
        headers=make.headers(person),
    )
    assert response.status_code == 200, response.get_json()


def plan(client, make, coordinator, group, starts_at: str, ends_at: str, min_team: int) -> uuid.UUID:
    response = client.post(
        f"/api/v1/groups/{group.id}/patrols",
        json={
            "starts_at": starts_at,
            "ends_at": ends_at,
            "meeting_point": "Wijkcentrum Bargeres",
            "min_team": min_team,
        },
        headers=make.headers(coordinator),
    )
    assert response.status_code == 201, response.get_json()
    return uuid.UUID(response.get_json()["id"])


def sign_up(client, make, person, patrol_id: uuid.UUID) -> None:
    response = client.put(f"/api/v1/patrols/{patrol_id}/signup", headers=make.headers(person))
    assert response.get_json()["status"] == "confirmed", response.get_json()


@pytest.fixture(scope="module")
def october(session_app, reference_area_max_id, fake_fcm, smtp_server) -> Any:
    """The whole walk, once for the module; the tests read what it recorded. The database is emptied after."""
    app = session_app
    _empty_tables(app, reference_area_max_id)
    fake_fcm.reset()
    smtp_server.inbox.reset()
    before = point_mail_at(app, smtp_server.port)
    client, make = app.test_client(), Factory(app)
    walk = Walk(app, fake_fcm, smtp_server.inbox)
    story: dict[str, Any] = {"walk": walk}
    try:
        with time_machine.travel(local(2026, 10, 20, 12, 0), tick=False):
            anna, bram, henk = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Henk Bakker")
            fatima, gerrit = make.person("Fatima El Amrani"), make.person("Gerrit Smit")
            sanne = make.person("Sanne Mulder")
            make.officer(sanne, "emmen-zuid")
            group = make.group("bargeres", coordinator=anna)
            for volunteer in (bram, henk, fatima, gerrit):
                make.member(group, volunteer, MembershipRole.VOLUNTEER)
            for person in (anna, bram, henk, fatima, gerrit, sanne):
                register(client, make, person, f"fid-{person.name.split()[0].lower()}-phone")
            # Henk does not want reminders. (The API offers no way to say so: see test_slots.)
            with app.app_context():
                db.session().execute(update(Person).where(Person.id == henk.id).values(reminder_hours=""))
                db.session().commit()
            sunday = plan(client, make, anna, group, "2026-10-25T20:00:00+01:00", "2026-10-25T22:00:00+01:00", 2)
            monday = plan(client, make, anna, group, "2026-10-26T20:00:00+01:00", "2026-10-26T22:00:00+01:00", 3)
            saturday = plan(client, make, anna, group, "2026-10-24T21:00:00+02:00", "2026-10-24T23:00:00+02:00", 2)
            sign_up(client, make, bram, sunday)
            sign_up(client, make, henk, sunday)
            sign_up(client, make, bram, monday)  # one of at least three
            sign_up(client, make, fatima, saturday)
            sign_up(client, make, gerrit, saturday)
        story.update(
            anna=anna, bram=bram, henk=henk, fatima=fatima, gerrit=gerrit, sanne=sanne, group=group,
            sunday=sunday, monday=monday, saturday=saturday,
        )  # fmt: skip

        def alert() -> None:
            response = client.post(
                "/api/v1/alerts",
                json={
                    "kind": "suspect",
                    "headline": "Inbraak gemeld aan de Kapelstraat",
                    "description": "Iemand met een donkere jas en een rugzak liep langs de achterdeuren, op de fiets weg.",
                    "instruction": "Zie je iets? Bel 112 en grijp zelf niet in.",
                    "area_ids": [make.area_id("bargeres")],
                    "expires_in_minutes": 60,
                },
                headers=make.headers(sanne),
            )
            assert response.status_code == 201, response.get_json()
            story["alert"] = response.get_json()["alert"]

        def saturday_team_checks_in() -> None:
            for person in (fatima, gerrit):
                response = client.post(f"/api/v1/patrols/{saturday}/check-in", headers=make.headers(person))
                assert response.status_code == 200, response.get_json()

        # Saturday 24 October (summer time): around 20:00, from 20:25 to 21:40, around 22:07, and from 23:00 to
        # 23:45. Sanne's alert at 20:30 runs for an hour; nobody checks out of the Saturday round.
        walk.through(utc(2026, 10, 24, 17, 50), utc(2026, 10, 24, 18, 10))
        walk.through(
            utc(2026, 10, 24, 18, 25),
            utc(2026, 10, 24, 19, 40),
            actions={utc(2026, 10, 24, 18, 30): [alert], utc(2026, 10, 24, 19, 0): [saturday_team_checks_in]},
        )
        walk.through(utc(2026, 10, 24, 20, 5), utc(2026, 10, 24, 20, 10))
        walk.through(utc(2026, 10, 24, 21, 0), utc(2026, 10, 24, 21, 45))
        # Sunday 25 October, 17:40 to 18:20 winter time.
        walk.through(utc(2026, 10, 25, 16, 40), utc(2026, 10, 25, 17, 20))
        # Sunday 1 November, 06:50 to 07:10.
        walk.through(utc(2026, 11, 1, 5, 50), utc(2026, 11, 1, 6, 10))
        with app.app_context():
            story["queued"] = queued_summaries()
        attempts = len(smtp_server.inbox.attempts)

        # A second scheduler comes to the same slot, and someone runs the job by hand; the mail job runs on.
        monthly = scheduler.by_name("monthly-summary")
        with time_machine.travel(utc(2026, 11, 1, 6, 0, 2), tick=False):
            with app.app_context():
                story["second_claim"] = scheduler.run_slot(monthly, MONTHLY_SLOT)
            try:
                with app.app_context():
                    story["by_hand"] = scheduler.run_now("monthly-summary")
            except Exception as exc:  # recorded for the test that looks at it
                story["by_hand"] = exc
        walk.through(utc(2026, 11, 1, 6, 10), utc(2026, 11, 1, 6, 15))
        with app.app_context():
            story["queued_after_second_run"] = queued_summaries()
            story["monthly_runs"] = list(
                db.session().scalars(select(JobRun.slot).where(JobRun.job == "monthly-summary").order_by(JobRun.id))
            )
        story["attempts_in_first_run"] = attempts
        # What arrived (or was tried) is in `walk`; the database is emptied before the module's tests run.
        _empty_tables(app, reference_area_max_id)
        yield story
    finally:
        app.config["BUURTWACHT"] = before
        _empty_tables(app, reference_area_max_id)
        fake_fcm.reset()
        smtp_server.inbox.reset()


def test_the_reminder_two_hours_before_arrives_at_18_00_winter_time(october):
    walk, bram = october["walk"], october["bram"]
    sunday = walk.pushes_to("fid-bram-phone", "patrol.reminder", patrol_id=october["sunday"])
    assert len(sunday) == 2  # one the day before, one the same afternoon
    last = sunday[-1]
    assert last.at == utc(2026, 10, 25, 17, 0)  # 18:00 in Emmen, the clocks went back that night
    assert last.body == "Herinnering: je loopt mee met de ronde van zo 25 okt 20:00. Verzamelen: Wijkcentrum Bargeres."
    assert sunday[0].at.date() == dt.date(2026, 10, 24)
    assert bram.id  # Bram's own phone, nobody else's
    assert all(p.to == "fid-bram-phone" for p in sunday)


def test_the_day_before_reminder_arrives_at_20_00_summer_time(october):
    sunday = october["walk"].pushes_to("fid-bram-phone", "patrol.reminder", patrol_id=october["sunday"])
    assert [p.at for p in sunday] == [utc(2026, 10, 24, 18, 0), utc(2026, 10, 25, 17, 0)]


def test_a_volunteer_who_turned_reminders_off_gets_none(october):
    walk = october["walk"]
    assert walk.pushes_to("fid-henk-phone", "patrol.reminder") == []
    # His phone works: the alert reached him.
    assert walk.pushes_to("fid-henk-phone", "alert.new")


def test_a_short_team_48_hours_ahead_warns_the_coordinator_once(october):
    walk = october["walk"]
    warnings = walk.pushes_to("fid-anna-phone", "patrol.short")
    assert [(w.about("patrol_id"), w.at) for w in warnings] == [
        (str(october["monday"]), utc(2026, 10, 24, 19, 7))  # the first hourly run within 48 hours of Monday 20:00
    ]
    assert warnings[0].body == (
        "De ronde van ma 26 okt 20:00 heeft 1 van de minimaal 3 deelnemers. Niemand loopt alleen."
    )
    volunteers = ("fid-bram-phone", "fid-henk-phone", "fid-fatima-phone", "fid-gerrit-phone")
    assert all(walk.pushes_to(v, "patrol.short") == [] for v in volunteers)


def test_an_overdue_patrol_alarms_the_coordinator_at_once_in_her_quiet_hours(october):
    walk = october["walk"]
    alarms = walk.pushes_to("fid-anna-phone", "patrol.overdue")
    assert [(a.about("patrol_id"), a.at) for a in alarms] == [(str(october["saturday"]), utc(2026, 10, 24, 21, 35))]
    assert alarms[0].at.astimezone(local(2026, 1, 1, 0).tzinfo).strftime("%H:%M") == "23:35"  # quiet from 23:00
    assert alarms[0].message["android"]["priority"] == "high"
    assert "nog niet iedereen heeft uitgecheckt" in alarms[0].body


def test_an_alert_runs_out_and_its_recipients_hear_that_it_ended(october):
    walk, headline = october["walk"], "Inbraak gemeld aan de Kapelstraat"
    reminder = walk.pushes_to("fid-sanne-phone", "alert.close_reminder")
    assert [r.at for r in reminder] == [utc(2026, 10, 24, 19, 0)]  # half an hour before it runs out
    assert headline in reminder[0].body
    for phone in ("fid-anna-phone", "fid-bram-phone", "fid-henk-phone", "fid-fatima-phone", "fid-gerrit-phone"):
        ended = walk.pushes_to(phone, "alert.closed")
        assert [(e.at, e.title) for e in ended] == [(utc(2026, 10, 24, 19, 30), f"Afgesloten: {headline}")], phone
        assert ended[0].body.startswith("Verlopen.")
    assert walk.pushes_to("fid-sanne-phone", "alert.closed") == []  # the issuer was not in the area's audience


def summary_parts(message) -> dict[str, Any]:
    """The maandoverzicht's parts as a mail client shows them, checked to be all there."""
    found = parts(message)
    assert 'src="cid:summary-chart@buurtwacht"' in found["html"] and "<table" in found["html"]
    csv = found["attachments"]["maandoverzicht-2026-10.csv"]
    assert csv.get_content_type() == "text/csv"
    assert csv.get_content().splitlines()[0] == "\ufeffMaand;Categorie;Deze maand;Vorige maand;Zelfde maand vorig jaar"
    [chart] = found["images"]
    assert chart.get_content().startswith(b"\x89PNG") and chart["Content-ID"] == "<summary-chart@buurtwacht>"
    return found


def test_on_the_first_at_07_00_the_summary_is_queued_once_for_the_officer_and_the_coordinator(october):
    group = october["group"]
    queued = october["queued"]
    assert sorted((to, at) for to, at, _ in queued) == sorted(
        [(october["anna"].email, utc(2026, 11, 1, 6, 0)), (october["sanne"].email, utc(2026, 11, 1, 6, 0))]
    )
    for _, _, raw in queued:
        message = stored(raw)
        assert message["Subject"] == f"Maandoverzicht {group.name}, oktober 2026"
        found = summary_parts(message)
        # The month as the walk made it: three rounds planned, Saturday's walked by two for two hours each.
        assert "gepland 3, gelopen 1, geannuleerd 0; vrijwilligersuren 4; actieve vrijwilligers 2" in found["text"]
        assert "Inbraak gemeld aan de Kapelstraat · Verlopen" in found["text"]
        for name in ("Anna", "Bram", "Henk", "Fatima", "Gerrit", "Sanne"):
            assert name not in found["text"] and name not in found["html"]
    # The mail job tried to deliver each at once, in the same minute.
    assert sorted(october["walk"].mails_tried_at(utc(2026, 11, 1, 6, 0))) == sorted(to for to, _, _ in queued)


def test_on_the_first_the_summary_arrives_at_the_smtp_server_once_per_recipient(october):
    mails = october["walk"].mails
    assert sorted((m.received.to, m.at) for m in mails) == sorted(
        [(october["anna"].email, utc(2026, 11, 1, 6, 0)), (october["sanne"].email, utc(2026, 11, 1, 6, 0))]
    )
    for mail in mails:
        assert mail.received.message["Subject"] == f"Maandoverzicht {october['group'].name}, oktober 2026"
        summary_parts(mail.received.message)


def test_a_second_scheduler_at_07_00_queues_nothing_more(october):
    assert october["second_claim"] is False
    assert october["queued_after_second_run"] == october["queued"]
    assert october["monthly_runs"][0] == MONTHLY_SLOT
    assert [m for m in october["walk"].mails if m.at > utc(2026, 11, 1, 6, 0)] == []


def test_a_run_by_hand_afterwards_queues_nothing_more(october):
    assert october["by_hand"] is True  # it ran, in a slot of its own, and found everything already queued
    assert len(october["monthly_runs"]) == 2 and october["monthly_runs"][1].startswith("manual:")
    assert october["queued_after_second_run"] == october["queued"]


def summary_after_a_restart(app, make, smtp) -> tuple[Any, ...]:
    """Sanne and Anna's group had a month; the scheduler was down from before 07:00 until 09:30."""
    sanne, anna = make.person("Sanne Mulder"), make.person("Anna de Vries")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres", coordinator=anna)
    make.past_note(group, anna, "traffic_safety", local(2026, 10, 14, 20, 0), street="Kapelstraat 4")
    return sanne, anna, group


def test_a_scheduler_that_was_down_at_07_00_queues_and_sends_the_summary_once_when_it_comes_back(app, make, smtp):
    sanne, anna, group = summary_after_a_restart(app, make, smtp)
    with time_machine.travel(local(2026, 11, 1, 9, 30), tick=False) as clock:
        done = scheduler.catch_up(app)
        assert ("monthly-summary", MONTHLY_SLOT) in done
        assert ("mail", "2026-11-01T09:30") in done  # the mail job's own missed minute sends it at once
        with app.app_context():
            first = queued_summaries()
        assert sorted(to for to, _, _ in first) == sorted([anna.email, sanne.email])
        assert all(stored(raw)["Subject"] == f"Maandoverzicht {group.name}, oktober 2026" for _, _, raw in first)
        assert sorted(smtp.attempts) == sorted([anna.email, sanne.email])  # sent (tried) at 09:30, once each

        assert scheduler.catch_up(app) == []  # a second restart a moment later
        clock.move_to(local(2026, 11, 1, 9, 31))
        assert [name for name, _ in scheduler.catch_up(app)] == ["alert-expiry", "mail"]
        with app.app_context():
            monthly = scheduler.by_name("monthly-summary")
            assert scheduler.run_slot(monthly, MONTHLY_SLOT) is False  # the 07:00 run, should it come after all
            assert queued_summaries() == first
        assert len(smtp.attempts) == 2


def test_after_a_restart_at_09_30_the_summary_arrives_once_per_recipient(app, make, smtp):
    sanne, anna, group = summary_after_a_restart(app, make, smtp)
    with time_machine.travel(local(2026, 11, 1, 9, 30), tick=False) as clock:
        scheduler.catch_up(app)
        clock.move_to(local(2026, 11, 1, 9, 45))
        scheduler.catch_up(app)
    assert sorted(r.to for r in smtp.received) == sorted([anna.email, sanne.email])
