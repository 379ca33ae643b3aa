"""Anna's weekly pattern: "every Tuesday and Friday, 20:00-22:00". It makes rounds as many weeks
ahead as the group chose and keeps doing so every night; changing or ending it only touches rounds
still to come, and whoever signed up for one is told when it moves or is called off."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import signal
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from buurtwacht import db
from buurtwacht.messages import text
from buurtwacht.models import MembershipRole, Notification, PatrolSchedule
from buurtwacht.schedules.jobs import extend_schedules

AMS = ZoneInfo("Europe/Amsterdam")

TUESDAYS_AND_FRIDAYS = {
    "rrule": "FREQ=WEEKLY;BYDAY=TU,FR",
    "start_time": "20:00",
    "end_time": "22:00",
    "meeting_point": "Wijkcentrum Bargeres",
    "min_team": 2,
    "max_team": 2,
}


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


class Api:
    """Requests as a person; the token is made at the moment of the request (the clock moves)."""

    def __init__(self, client, make) -> None:
        self.client, self.make = client, make

    def call(self, method: str, path: str, who, json=None):
        return self.client.open(f"/api/v1{path}", method=method, headers=self.make.headers(who), json=json)

    def get(self, path, who):
        return self.call("GET", path, who)

    def put(self, path, who, json=None):
        return self.call("PUT", path, who, json)

    def post(self, path, who, json=None):
        return self.call("POST", path, who, json)

    def patch(self, path, who, json=None):
        return self.call("PATCH", path, who, json)

    def delete(self, path, who):
        return self.call("DELETE", path, who)


@pytest.fixture
def clock():
    """Monday 2 November 2026, 09:00 in Emmen; the clock only moves when a test moves it."""
    with time_machine.travel(local(2026, 11, 2, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client, make):
    return Api(client, make)


@pytest.fixture
def people(make):
    """Anna coordinates the Bargeres group; Bram, Fatima and Henk walk with it."""
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna, name="Buurtpreventie Bargeres")
    found = {"anna": anna, "group": group}
    for name in ("Bram Jansen", "Fatima El Amrani", "Henk Bakker"):
        found[name.split()[0].lower()] = make.person(name)
        make.member(group, found[name.split()[0].lower()], MembershipRole.VOLUNTEER)
    return found


def create(api, people, **overrides):
    response = api.post(
        f"/groups/{people['group'].id}/schedules", people["anna"], {**TUESDAYS_AND_FRIDAYS, **overrides}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def rounds(api, people) -> list[dict]:
    """The group's roster as Anna sees it, soonest first."""
    response = api.get(f"/groups/{people['group'].id}/patrols?page_size=100", people["anna"])
    assert response.status_code == 200, response.get_json()
    return [row["patrol"] for row in response.get_json()]


def starts(api, people) -> list[str]:
    return [p["starts_at"] for p in rounds(api, people)]


def on(api, people, day: str) -> dict:
    """The one round that starts on this local day (YYYY-MM-DD)."""
    found = [p for p in rounds(api, people) if p["starts_at"].startswith(day)]
    assert len(found) == 1, found
    return found[0]


def told(app, person) -> list[tuple[str, dict]]:
    with app.app_context():
        rows = db.session().scalars(
            select(Notification).where(Notification.person_id == person.id).order_by(Notification.created_at)
        )
        return [(n.kind, dict(n.params)) for n in rows]


def run_extend_job(app) -> int:
    with app.app_context():
        return extend_schedules()


def schedule_count(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(PatrolSchedule))


# Making rounds ahead


def test_a_schedule_makes_rounds_as_many_weeks_ahead_as_the_group_chose(api, app, people, clock):
    group = people["group"]
    response = api.patch(f"/groups/{group.id}", people["anna"], {"patrol_settings": {"schedule_weeks_ahead": 3}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["patrol_settings"]["schedule_weeks_ahead"] == 3

    schedule = create(api, people)
    assert (schedule["rrule"], schedule["start_time"], schedule["end_time"]) == (
        "FREQ=WEEKLY;BYDAY=TU,FR",
        "20:00",
        "22:00",
    )
    assert schedule["starts_on"] == "2026-11-02"
    # Three weeks from Monday 2 November: two rounds a week, the last on Friday 20 November.
    assert starts(api, people) == [
        "2026-11-03T20:00:00+01:00",
        "2026-11-06T20:00:00+01:00",
        "2026-11-10T20:00:00+01:00",
        "2026-11-13T20:00:00+01:00",
        "2026-11-17T20:00:00+01:00",
        "2026-11-20T20:00:00+01:00",
    ]
    assert {p["schedule_id"] for p in rounds(api, people)} == {schedule["id"]}

    # Anna looks further ahead: the rounds up to five weeks are there at once, and the nightly job finds none missing.
    assert (
        api.patch(f"/groups/{group.id}", people["anna"], {"patrol_settings": {"schedule_weeks_ahead": 5}}).status_code
        == 200
    )
    assert starts(api, people)[-4:] == [
        "2026-11-24T20:00:00+01:00",
        "2026-11-27T20:00:00+01:00",
        "2026-12-01T20:00:00+01:00",
        "2026-12-04T20:00:00+01:00",
    ]
    assert run_extend_job(app) == 0
    assert len(starts(api, people)) == 10


def test_the_nightly_job_makes_each_missing_round_once(api, app, people, clock):
    create(api, people)
    first_roster = rounds(api, people)
    assert len(first_roster) == 12  # six weeks, two a week: the last is Friday 11 December
    assert first_roster[-1]["starts_at"] == "2026-12-11T20:00:00+01:00"
    assert run_extend_job(app) == 0  # nothing is missing yet

    # A week later the horizon has moved: Tuesday 15 and Friday 18 December are made, once.
    clock.move_to(local(2026, 11, 9, 4, 15))
    assert run_extend_job(app) == 2
    assert run_extend_job(app) == 0
    now_starts = starts(api, people)
    assert len(now_starts) == len(set(now_starts)) == 14
    assert now_starts[-2:] == ["2026-12-15T20:00:00+01:00", "2026-12-18T20:00:00+01:00"]
    # The rounds made before are the same rounds, not copies.
    assert {p["id"] for p in first_roster} <= {p["id"] for p in rounds(api, people)}


def test_a_retried_request_returns_the_same_schedule_and_another_body_under_its_id_is_refused(api, app, people, clock):
    client_id = str(uuid.uuid4())
    first = create(api, people, id=client_id)
    assert first["id"] == client_id
    # The phone lost the answer and sends the same request again.
    again = api.post(
        f"/groups/{people['group'].id}/schedules", people["anna"], {**TUESDAYS_AND_FRIDAYS, "id": client_id}
    )
    assert again.status_code in (200, 201), again.get_json()
    assert again.get_json() == first
    assert len(rounds(api, people)) == 12
    assert schedule_count(app) == 1

    other = api.post(
        f"/groups/{people['group'].id}/schedules",
        people["anna"],
        {**TUESDAYS_AND_FRIDAYS, "id": client_id, "rrule": "FREQ=WEEKLY;BYDAY=WE"},
    )
    assert other.status_code == 409
    assert api.get(f"/schedules/{client_id}", people["anna"]).get_json()["rrule"] == "FREQ=WEEKLY;BYDAY=TU,FR"
    assert len(rounds(api, people)) == 12
    assert schedule_count(app) == 1


@pytest.mark.parametrize(
    "rrule",
    [
        pytest.param("FREQ=HOURLY", id="hourly"),
        pytest.param("FREQ=YEARLY;BYMONTH=11", id="yearly"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU;UNTIL=20261231T230000Z", id="until"),
        pytest.param("DTSTART:20261103T200000\nRRULE:FREQ=WEEKLY;BYDAY=TU", id="dtstart"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU;BYHOUR=20", id="byhour"),
        pytest.param("FREQ=WEEKLY;BYDAY=XX", id="bad-day"),
        pytest.param("FREQ=WEEKLY;FOO=BAR", id="unknown-part"),
        pytest.param("every tuesday please", id="garbage"),
        pytest.param("FREQ=MONTHLY;BYMONTHDAY=32", id="day-32"),
        pytest.param("FREQ=MONTHLY;BYMONTHDAY=0", id="day-0"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU;BYMONTHDAY=3", id="monthday-weekly"),
        pytest.param("FREQ=MONTHLY;BYDAY=6TU", id="sixth-tuesday"),
        pytest.param("FREQ=WEEKLY;BYDAY=1TU", id="numbered-weekly"),
        pytest.param("FREQ=MONTHLY;BYDAY=TU,1FR", id="mixed-byday"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU;COUNT=0", id="count-0"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU;INTERVAL=1000000", id="interval-huge"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU,FR;BYSETPOS=3", id="setpos-beyond-week"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU;WKST=XX", id="bad-wkst"),
        pytest.param("FREQ=DAILY;BYYEARDAY=100", id="yearday"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU;BYDAY=FR", id="twice"),
        pytest.param("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", id="no-such-day"),
        pytest.param("FREQ=DAILY;INTERVAL=7;BYDAY=TU", id="never-on-that-day"),
    ],
)
def test_a_rule_that_is_not_a_plain_pattern_is_refused_and_makes_nothing(api, app, people, clock, rrule):
    response = api.post(
        f"/groups/{people['group'].id}/schedules", people["anna"], {**TUESDAYS_AND_FRIDAYS, "rrule": rrule}
    )
    assert response.status_code == 422, response.get_json()
    assert "rrule" in response.get_json()["errors"]["json"]
    assert schedule_count(app) == 0
    assert rounds(api, people) == []


def test_a_negative_interval_is_refused(api, app, people, clock):
    response = api.post(
        f"/groups/{people['group'].id}/schedules",
        people["anna"],
        {**TUESDAYS_AND_FRIDAYS, "rrule": "FREQ=DAILY;INTERVAL=-1"},
    )
    assert response.status_code == 422, response.status_code
    assert "rrule" in response.get_json()["errors"]["json"]
    assert schedule_count(app) == 0


class Hung(BaseException):
    """Raised by the alarm: not an Exception, so the app's error handlers let it through."""


@contextlib.contextmanager
def deadline(seconds: int):
    def ring(signum, frame):
        raise Hung(f"no answer within {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_an_interval_of_zero_is_refused_at_once(api, app, people, clock):
    hung, response = False, None
    try:
        with deadline(5):
            response = api.post(
                f"/groups/{people['group'].id}/schedules",
                people["anna"],
                {**TUESDAYS_AND_FRIDAYS, "rrule": "FREQ=WEEKLY;INTERVAL=0;BYDAY=TU"},
            )
    except Hung:
        hung = True  # its traceback is dropped: it was cut off at an arbitrary point
    assert not hung, "no answer within 5 seconds"
    assert response is not None and response.status_code == 422
    assert "rrule" in response.get_json()["errors"]["json"]


def test_a_month_that_does_not_exist_is_refused(api, app, people, clock):
    response = api.post(
        f"/groups/{people['group'].id}/schedules",
        people["anna"],
        {**TUESDAYS_AND_FRIDAYS, "rrule": "FREQ=DAILY;BYMONTH=13"},
    )
    assert response.status_code == 422, response.status_code
    assert "rrule" in response.get_json()["errors"]["json"]
    assert schedule_count(app) == 0


def test_a_pattern_saved_before_rules_were_checked_does_not_stop_the_nightly_job(api, app, people, clock):
    """A schedule from before BYMONTH=13 was refused makes nothing more, and the others go on."""
    broken, fine = create(api, people), create(api, people, rrule="FREQ=WEEKLY;BYDAY=WE")
    with app.app_context():
        db.session().get(PatrolSchedule, uuid.UUID(broken["id"])).rrule = "FREQ=DAILY;BYMONTH=13"
        db.session().commit()

    clock.move_to(local(2026, 11, 9, 4, 15))
    assert run_extend_job(app) == 1  # Wednesday 16 December, for the sound schedule only
    assert on(api, people, "2026-12-16")["schedule_id"] == fine["id"]
    # Anna is told what to fix when she next changes it.
    response = api.patch(f"/schedules/{broken['id']}", people["anna"], {"briefing": "Zaklamp mee."})
    assert response.status_code == 422
    assert "rrule" in response.get_json()["errors"]["json"]


# Changing the pattern


def test_moving_the_time_moves_rounds_to_come_and_tells_who_signed_up(api, app, people, clock):
    schedule = create(api, people)
    tuesday_3, friday_13 = on(api, people, "2026-11-03"), on(api, people, "2026-11-13")
    friday_6 = on(api, people, "2026-11-06")
    assert api.put(f"/patrols/{tuesday_3['id']}/signup", people["bram"]).status_code == 200
    assert api.put(f"/patrols/{tuesday_3['id']}/signup", people["henk"]).status_code == 200
    assert api.put(f"/patrols/{friday_13['id']}/signup", people["fatima"]).status_code == 200

    # Tuesday 3 November: Bram and Henk walk. Friday 6 November passes without anyone.
    clock.move_to(local(2026, 11, 3, 20))
    for walker in ("bram", "henk"):
        assert api.post(f"/patrols/{tuesday_3['id']}/check-in", people[walker]).status_code == 200
    clock.move_to(local(2026, 11, 3, 22))
    for walker in ("bram", "henk"):
        assert api.post(f"/patrols/{tuesday_3['id']}/check-out", people[walker]).status_code == 200
    # Tuesday 10 November, 20:15: Bram is out on the street when Anna moves the pattern to 19:30.
    tuesday_10 = on(api, people, "2026-11-10")
    assert api.put(f"/patrols/{tuesday_10['id']}/signup", people["bram"]).status_code == 200
    clock.move_to(local(2026, 11, 10, 20))
    assert api.post(f"/patrols/{tuesday_10['id']}/check-in", people["bram"]).status_code == 200
    clock.move_to(local(2026, 11, 10, 20, 15))

    response = api.patch(f"/schedules/{schedule['id']}", people["anna"], {"start_time": "19:30", "end_time": "21:30"})
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["start_time"], response.get_json()["end_time"]) == ("19:30", "21:30")

    # What was walked, what passed and what is under way stay as they were.
    assert on(api, people, "2026-11-03")["starts_at"] == "2026-11-03T20:00:00+01:00"
    assert on(api, people, "2026-11-03")["status"] == "completed"
    assert on(api, people, "2026-11-06")["starts_at"] == "2026-11-06T20:00:00+01:00"
    assert on(api, people, "2026-11-06")["id"] == friday_6["id"]
    assert on(api, people, "2026-11-10")["starts_at"] == "2026-11-10T20:00:00+01:00"
    assert on(api, people, "2026-11-10")["status"] == "running"
    # Fatima's Friday is the same round, now at 19:30; she is told, and still on the team.
    moved = on(api, people, "2026-11-13")
    assert moved["id"] == friday_13["id"]
    assert (moved["starts_at"], moved["ends_at"]) == ("2026-11-13T19:30:00+01:00", "2026-11-13T21:30:00+01:00")
    assert api.get(f"/patrols/{moved['id']}", people["fatima"]).get_json()["my_status"] == "confirmed"
    assert told(app, people["fatima"]) == [
        (
            "patrol.moved",
            {"patrol_id": moved["id"], "old_when": "2026-11-13T19:00:00+00:00", "when": "2026-11-13T18:30:00+00:00"},
        )
    ]
    # Every other round to come follows the new time; nobody else is told anything.
    future = [p for p in rounds(api, people) if p["starts_at"] > "2026-11-11"]
    assert {p["starts_at"][10:] for p in future} == {"T19:30:00+01:00"}
    assert [p["starts_at"][:10] for p in future] == [
        "2026-11-13", "2026-11-17", "2026-11-20", "2026-11-24", "2026-11-27",
        "2026-12-01", "2026-12-04", "2026-12-08", "2026-12-11", "2026-12-15", "2026-12-18",
        "2026-12-22",
    ]  # fmt: skip
    assert told(app, people["bram"]) == told(app, people["henk"]) == []
    assert on(api, people, "2026-11-03")["id"] == tuesday_3["id"]


def test_a_bigger_team_in_the_pattern_takes_in_each_round_s_waiting_list_first(api, app, people, clock):
    schedule = create(api, people)  # teams of two
    friday_6, friday_13 = on(api, people, "2026-11-06"), on(api, people, "2026-11-13")
    for walker in ("bram", "fatima", "henk"):
        assert api.put(f"/patrols/{friday_6['id']}/signup", people[walker]).status_code == 200
    assert api.get(f"/patrols/{friday_6['id']}", people["henk"]).get_json()["my_status"] == "waitlisted"

    response = api.patch(f"/schedules/{schedule['id']}", people["anna"], {"max_team": 3})

    assert response.status_code == 200, response.get_json()
    assert api.get(f"/patrols/{friday_6['id']}", people["henk"]).get_json()["my_status"] == "confirmed"
    assert told(app, people["henk"]) == [
        ("patrol.promoted", {"patrol_id": friday_6["id"], "when": "2026-11-06T19:00:00+00:00"})
    ]
    assert on(api, people, "2026-11-13")["max_team"] == 3
    assert on(api, people, "2026-11-13")["id"] == friday_13["id"]
    assert told(app, people["bram"]) == told(app, people["fatima"]) == []


def test_dropping_a_weekday_calls_off_its_rounds_and_tells_everyone_on_them(api, app, people, clock):
    schedule = create(api, people)
    friday_6, friday_13 = on(api, people, "2026-11-06"), on(api, people, "2026-11-13")
    tuesdays_before = {p["id"] for p in rounds(api, people) if p["starts_at"][:10] in {"2026-11-10", "2026-11-17"}}
    assert api.put(f"/patrols/{friday_6['id']}/signup", people["henk"]).status_code == 200
    # Friday 13: Bram and Fatima fill the team, Henk waits.
    for name in ("bram", "fatima", "henk"):
        assert api.put(f"/patrols/{friday_13['id']}/signup", people[name]).status_code == 200
        clock.shift(dt.timedelta(minutes=1))

    # Saturday 7 November: Friday 6 has passed. Anna keeps only the Tuesdays.
    clock.move_to(local(2026, 11, 7, 10))
    response = api.patch(f"/schedules/{schedule['id']}", people["anna"], {"rrule": "FREQ=WEEKLY;BYDAY=TU"})
    assert response.status_code == 200, response.get_json()

    # The past Friday stays as it was, and Henk hears nothing about it.
    assert on(api, people, "2026-11-06")["status"] == "planned"
    # Friday 13 had people on it: it stays on the roster, called off with a reason.
    called_off = on(api, people, "2026-11-13")
    assert called_off["id"] == friday_13["id"]
    assert called_off["status"] == "cancelled"
    assert called_off["cancel_reason"] == "het rooster is gewijzigd"
    # An English-speaking volunteer reads the same roster in English.
    assert api.patch("/me", people["fatima"], {"locale": "en"}).status_code == 200
    assert api.get(f"/patrols/{friday_13['id']}", people["fatima"]).get_json()["patrol"]["cancel_reason"] == (
        "the schedule has changed"
    )
    for name in ("bram", "fatima", "henk"):
        # The reason is the catalogue's, so each reads it in their own language.
        assert told(app, people[name]) == [
            (
                "patrol.cancelled",
                {
                    "patrol_id": friday_13["id"],
                    "when": "2026-11-13T19:00:00+00:00",
                    "reason_key": "patrol.schedule_cancelled_reason",
                },
            )
        ], name
    [(kind, params)] = told(app, people["bram"])
    assert text(kind, "nl", **params) == "De ronde van vr 13 nov 20:00 is geannuleerd: het rooster is gewijzigd"
    # The Fridays nobody had signed up for are gone; the Tuesdays are the same rounds as before.
    future = [p for p in rounds(api, people) if p["starts_at"] > "2026-11-08"]
    weekdays = {dt.datetime.fromisoformat(p["starts_at"]).strftime("%a") for p in future if p["status"] == "planned"}
    assert weekdays == {"Tue"}
    assert [p["starts_at"][:10] for p in future if p["status"] == "cancelled"] == ["2026-11-13"]
    assert tuesdays_before <= {p["id"] for p in future}


def test_a_change_that_keeps_the_days_does_not_call_off_rounds_beyond_a_shorter_horizon(api, app, people, clock):
    """Anna shortens the horizon to two weeks, then edits the briefing: Fatima's round in week four
    still exists in the pattern, so it must stay planned."""
    schedule = create(api, people)
    friday_27 = on(api, people, "2026-11-27")
    assert api.put(f"/patrols/{friday_27['id']}/signup", people["fatima"]).status_code == 200
    group = people["group"]
    assert (
        api.patch(f"/groups/{group.id}", people["anna"], {"patrol_settings": {"schedule_weeks_ahead": 2}}).status_code
        == 200
    )

    response = api.patch(
        f"/schedules/{schedule['id']}", people["anna"], {"briefing": "Let op schuurtjes achter de flats."}
    )
    assert response.status_code == 200, response.get_json()

    kept = api.get(f"/patrols/{friday_27['id']}", people["fatima"]).get_json()
    assert kept["patrol"]["status"] == "planned", kept["patrol"]
    assert kept["my_status"] == "confirmed"
    assert [kind for kind, _ in told(app, people["fatima"])] == []


def overlapping(rows: list[dict]) -> list[tuple[str, str]]:
    """Pairs of (start, start) of rounds that overlap."""
    spans = sorted(
        (dt.datetime.fromisoformat(p["patrol"]["starts_at"]), dt.datetime.fromisoformat(p["patrol"]["ends_at"]))
        for p in rows
    )
    return [(a.isoformat(), b.isoformat()) for (a, a_end), (b, _) in itertools.pairwise(spans) if b < a_end]


def test_moving_the_pattern_never_puts_someone_on_two_rounds_at_once(api, app, people, make, clock):
    schedule = create(api, people)
    friday_13 = on(api, people, "2026-11-13")
    # Fatima also helps at the school's lantern walk that Friday, 18:00-19:45: no clash with 20:00.
    lantern_walk = make.patrol(people["group"], local(2026, 11, 13, 18), hours=1.75)
    for patrol in (friday_13["id"], lantern_walk):
        assert api.put(f"/patrols/{patrol}/signup", people["fatima"]).status_code == 200

    response = api.patch(f"/schedules/{schedule['id']}", people["anna"], {"start_time": "19:00", "end_time": "21:00"})

    mine = api.get("/me/patrols?page_size=100", people["fatima"]).get_json()
    assert overlapping(mine) == [], (response.status_code, response.get_json())


# Ending the pattern


def test_ending_a_schedule_removes_empty_rounds_and_keeps_the_ones_people_are_on(api, app, people, clock):
    schedule = create(api, people)
    tuesday_3, friday_20 = on(api, people, "2026-11-03"), on(api, people, "2026-11-20")
    assert api.put(f"/patrols/{tuesday_3['id']}/signup", people["bram"]).status_code == 200
    assert api.put(f"/patrols/{friday_20['id']}/signup", people["fatima"]).status_code == 200

    clock.move_to(local(2026, 11, 5, 12))  # Tuesday 3 has passed
    assert api.delete(f"/schedules/{schedule['id']}", people["anna"]).status_code == 204

    # The round already walked by is kept; of those to come only Fatima's Friday is left.
    assert [(p["id"], p["starts_at"], p["status"]) for p in rounds(api, people)] == [
        (tuesday_3["id"], "2026-11-03T20:00:00+01:00", "planned"),
        (friday_20["id"], "2026-11-20T20:00:00+01:00", "planned"),
    ]
    assert api.get(f"/patrols/{friday_20['id']}", people["fatima"]).get_json()["my_status"] == "confirmed"
    assert told(app, people["fatima"]) == []

    ended = api.get(f"/schedules/{schedule['id']}", people["anna"]).get_json()
    assert ended["ended_at"] is not None
    # An ended pattern makes nothing more, and cannot be changed.
    clock.move_to(local(2026, 11, 20, 4, 15))
    assert run_extend_job(app) == 0
    assert [p["id"] for p in rounds(api, people)] == [tuesday_3["id"], friday_20["id"]]
    assert api.patch(f"/schedules/{schedule['id']}", people["anna"], {"start_time": "19:00"}).status_code == 409


# Who may


def test_a_volunteer_reads_the_pattern_but_cannot_make_change_or_end_it(api, app, people, clock):
    schedule = create(api, people)
    bram = people["bram"]
    assert api.post(f"/groups/{people['group'].id}/schedules", bram, TUESDAYS_AND_FRIDAYS).status_code == 403
    assert (
        api.patch(f"/schedules/{schedule['id']}", bram, {"start_time": "19:00", "end_time": "21:00"}).status_code == 403
    )
    assert api.delete(f"/schedules/{schedule['id']}", bram).status_code == 403

    listed = api.get(f"/groups/{people['group'].id}/schedules", bram)
    assert listed.status_code == 200
    assert [s["id"] for s in listed.get_json()] == [schedule["id"]]
    assert api.get(f"/schedules/{schedule['id']}", bram).get_json()["start_time"] == "20:00"
    assert schedule_count(app) == 1
    assert len(rounds(api, people)) == 12
    assert {p["starts_at"][10:] for p in rounds(api, people)} == {"T20:00:00+01:00"}
