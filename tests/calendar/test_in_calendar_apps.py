"""Bram's rounds in Thunderbird and Nextcloud: ical.js, the parser both use, reads his feed.

Each round lands at the moment the app shows (in summer and winter time, across midnight and through
both clock changes), and a round that changes or is called off replaces the copy the calendar kept.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine

from buurtwacht.calendar.timezone import vtimezone
from buurtwacht.models import MembershipRole
from tests.calendar.ical_js import read_with_ical_js

AMS = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


def utc(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment).astimezone(dt.UTC)


class Api:
    def __init__(self, client, make) -> None:
        self.client, self.make = client, make

    def call(self, method: str, path: str, who, json=None):
        response = self.client.open(f"/api/v1{path}", method=method, headers=self.make.headers(who), json=json)
        assert response.status_code < 300, (method, path, response.get_json())
        return response

    def plan(self, people, starts_at: str, ends_at: str, **fields) -> str:
        """Anna plans a one-off round; times as she types them (local, or with an offset)."""
        body = {"starts_at": starts_at, "ends_at": ends_at, "meeting_point": "Winkelcentrum Emmerhout", **fields}
        return self.call("POST", f"/groups/{people['group'].id}/patrols", people["anna"], body).get_json()["id"]

    def feed_url(self, who) -> str:
        return self.call("POST", "/me/calendar", who).get_json()["url"].removeprefix("http://localhost")


@pytest.fixture
def clock():
    """Thursday 1 October 2026, 09:00 in Emmen; the clock moves only when a test moves it."""
    with time_machine.travel(local(2026, 10, 1, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client, make):
    return Api(client, make)


@pytest.fixture
def people(make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna, name="Buurtpreventie Emmerhout")
    found = {"anna": anna, "group": group}
    for name, locale in (("bram", "nl"), ("henk", "nl"), ("priya", "en")):
        found[name] = make.person(f"{name.title()} Tester", locale=locale)
        make.member(group, found[name], MembershipRole.VOLUNTEER)
    return found


def in_thunderbird(client, url: str) -> dict[str, dict]:
    """The feed as a calendar app fetches it (no sign-in), read by ical.js; by patrol id."""
    response = client.get(url)
    assert response.status_code == 200, response.data
    return {uid.removesuffix("@buurtwacht"): event for uid, event in read_with_ical_js(response.data).items()}


# Every round at the moment the app shows it


ROUNDS = {
    # what Anna typed: (starts_at, ends_at) -> the UTC instants the calendar must show
    "a summer evening before the autumn change": (("2026-10-20T21:00", "2026-10-20T23:00"), ("19:00", "21:00")),
    "the night the clocks go back: 02:15 the first time to 02:45 the second": (
        ("2026-10-25T02:15+02:00", "2026-10-25T02:45+01:00"),
        ("2026-10-25T00:15", "2026-10-25T01:45"),
    ),
    "a winter evening": (("2026-12-15T20:00", "2026-12-15T22:00"), ("19:00", "21:00")),
    "New Year's Eve, across midnight": (("2026-12-31T22:00", "2027-01-01T01:00"), ("21:00", "00:00")),
    "the night the clocks go forward": (("2027-03-28T01:30", "2027-03-28T03:30"), ("2027-03-28T00:30", "01:30")),
    "a spring evening in summer time": (("2027-03-30T21:00", "2027-03-30T23:00"), ("19:00", "21:00")),
    "King's Night, across midnight in summer time": (("2027-04-26T22:00", "2027-04-27T01:00"), ("20:00", "23:00")),
}


def expected_utc(typed: tuple[str, str], shown: tuple[str, str]) -> tuple[str, str]:
    """'19:00' means that time in UTC on the typed start's date, the next day when it comes out earlier."""
    start_day = typed[0][:10]
    instants = []
    for clock_time in shown:
        if "T" in clock_time:
            instants.append(clock_time + ":00Z")
            continue
        day = dt.date.fromisoformat(start_day)
        if instants and clock_time <= instants[-1][11:16]:
            day += dt.timedelta(days=1)
        instants.append(f"{day.isoformat()}T{clock_time}:00Z")
    return instants[0], instants[1]


def test_every_round_is_at_the_same_moment_in_thunderbird_as_in_the_app(client, api, people, clock):
    ids = {}
    for story, (typed, _) in ROUNDS.items():
        ids[story] = api.plan(people, *typed)
        api.call("POST", f"/patrols/{ids[story]}/team", people["anna"], {"person_id": str(people["bram"].id)})

    # Monday 2 November: the feed holds October (a month back) to early May, both clock changes.
    clock.move_to(local(2026, 11, 2, 9))
    seen = in_thunderbird(client, api.feed_url(people["bram"]))

    assert set(seen) == set(ids.values())
    for story, (typed, shown) in ROUNDS.items():
        event = seen[ids[story]]
        in_the_app = api.call("GET", f"/patrols/{ids[story]}", people["bram"]).get_json()["patrol"]
        assert (utc(event["dtstart"]), utc(event["dtend"])) == (
            utc(in_the_app["starts_at"]),
            utc(in_the_app["ends_at"]),
        ), story
        assert (event["dtstart"], event["dtend"]) == expected_utc(typed, shown), story
        assert event["tzid"] in ("Europe/Amsterdam", "UTC"), story


def test_the_time_zone_matches_zoneinfo_at_every_change_in_thunderbird():
    """Every wall-clock hour around every change of the zone, and noon on every day, for a window of the feed's
    size: ical.js reads the feed's VTIMEZONE to the same UTC instant as zoneinfo. The zones besides Amsterdam
    are there because the zone is a setting: one in the south (changes across the new year), one whose rule
    differs (second Sunday of March), one that dropped summer time, one that changes twice more a year
    (Ramadan), one that never changes."""
    start, end = dt.datetime(2026, 10, 2, tzinfo=dt.UTC), dt.datetime(2027, 5, 5, tzinfo=dt.UTC)
    zones = ["Europe/Amsterdam", "Australia/Sydney", "America/New_York", "America/Sao_Paulo", "Africa/Casablanca"]
    zones.append("Asia/Tokyo")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//buurtwacht tests//NL")
    calendar.add("version", "2.0")
    expected = {}
    for name in zones:
        zone = ZoneInfo(name)
        calendar.add_component(vtimezone(name, start, end))
        walls = set()
        moment = start
        while moment < end:
            walls.add(moment.astimezone(zone).replace(hour=12, minute=0, tzinfo=None))
            before, after = moment.astimezone(zone), (moment + dt.timedelta(days=1)).astimezone(zone)
            if before.utcoffset() != after.utcoffset():
                base = before.replace(minute=0, tzinfo=None)
                walls.update(base + dt.timedelta(minutes=30 * step) for step in range(-6, 60))
            moment += dt.timedelta(days=1)
        for wall in sorted(walls):
            first = wall.replace(tzinfo=zone, fold=0)
            if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != wall:
                continue  # skipped when the clocks go forward: no stored moment is written as such a time
            if first.utcoffset() != wall.replace(tzinfo=zone, fold=1).utcoffset():
                continue  # happens twice: ical.js takes the second, RFC 5545 the first; the feed writes these in UTC
            event = icalendar.Event()
            uid = f"{name}/{wall.isoformat()}"
            event.add("uid", uid)
            event.add("dtstamp", start)
            event.add("dtstart", first)
            event.add("dtend", first + dt.timedelta(minutes=10))
            calendar.add_component(event)
            expected[uid] = first.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    seen = read_with_ical_js(calendar.to_ical())

    wrong = {
        uid: (seen[uid]["dtstart"], instant) for uid, instant in expected.items() if seen[uid]["dtstart"] != instant
    }
    assert wrong == {}
    assert len(expected) > 1000


# A round that changes replaces the copy the calendar kept


def test_each_change_to_bram_s_round_replaces_thunderbird_s_copy(client, api, people, clock):
    clock.move_to(local(2026, 11, 2, 9))
    bram, henk, priya, anna = people["bram"], people["henk"], people["priya"], people["anna"]
    round_id = api.plan(people, "2026-11-10T20:00", "2026-11-10T22:00", min_team=1, max_team=1)
    api.call("PUT", f"/patrols/{round_id}/signup", henk)
    assert api.call("PUT", f"/patrols/{round_id}/signup", bram).get_json()["status"] == "waitlisted"
    url, priyas_url = api.feed_url(bram), api.feed_url(priya)
    versions = [in_thunderbird(client, url)[round_id]]
    assert versions[-1]["status"] == "TENTATIVE"
    assert versions[-1]["summary"] == "Surveillance Buurtpreventie Emmerhout (wachtlijst)"
    assert versions[-1]["last_modified"] == "2026-11-02T08:00:00Z"

    # The next morning nothing has changed: the same feed, to the byte, so the app has nothing to redo.
    first_bytes = client.get(url).data
    clock.move_to(local(2026, 11, 3, 8))
    assert client.get(url).data == first_bytes

    # A second place: Bram moves up from the waiting list.
    clock.move_to(local(2026, 11, 3, 10))
    api.call("PATCH", f"/patrols/{round_id}", anna, {"max_team": 3})
    versions.append(in_thunderbird(client, url)[round_id])
    assert versions[-1]["status"] == "CONFIRMED"
    assert versions[-1]["summary"] == "Surveillance Buurtpreventie Emmerhout"
    assert versions[-1]["last_modified"] == "2026-11-03T09:00:00Z"

    # Priya joins: someone else's place changes nothing Bram sees.
    clock.move_to(local(2026, 11, 4, 10))
    api.call("PUT", f"/patrols/{round_id}/signup", priya)
    assert in_thunderbird(client, url)[round_id] == versions[-1]

    # Anna moves the round half an hour later.
    clock.move_to(local(2026, 11, 5, 10))
    api.call("PATCH", f"/patrols/{round_id}", anna, {"starts_at": "2026-11-10T20:30", "ends_at": "2026-11-10T22:30"})
    versions.append(in_thunderbird(client, url)[round_id])
    assert (versions[-1]["dtstart"], versions[-1]["dtend"]) == ("2026-11-10T19:30:00Z", "2026-11-10T21:30:00Z")
    assert versions[-1]["last_modified"] == "2026-11-05T09:00:00Z"

    # And to another meeting point.
    clock.move_to(local(2026, 11, 6, 10))
    api.call("PATCH", f"/patrols/{round_id}", anna, {"meeting_point": "Speeltuin Houtweg"})
    versions.append(in_thunderbird(client, url)[round_id])
    assert versions[-1]["location"] == "Speeltuin Houtweg"

    # Then she calls it off.
    clock.move_to(local(2026, 11, 7, 10))
    api.call("POST", f"/patrols/{round_id}/cancel", anna, {"reason": "Te weinig deelnemers, en het stormt"})
    versions.append(in_thunderbird(client, url)[round_id])
    assert versions[-1]["status"] == "CANCELLED"
    assert versions[-1]["summary"] == "Geannuleerd: Surveillance Buurtpreventie Emmerhout"
    assert versions[-1]["description"] == "Deze ronde gaat niet door. Reden: Te weinig deelnemers, en het stormt"
    assert versions[-1]["last_modified"] == "2026-11-07T09:00:00Z"
    # Priya reads it in English; Anna's reason stays in her own words.
    priyas = in_thunderbird(client, priyas_url)[round_id]
    assert priyas["summary"] == "Cancelled: Patrol Buurtpreventie Emmerhout"
    assert priyas["description"] == "This patrol is off. Reason: Te weinig deelnemers, en het stormt"

    # Every change Bram could see came with a higher SEQUENCE, so the app replaced its copy each time.
    sequences = [version["sequence"] for version in versions]
    assert sequences == sorted(set(sequences)), sequences
    assert all(version["dtstamp"] == version["last_modified"] for version in versions)


def test_a_round_the_schedule_changes_replaces_thunderbird_s_copy(client, api, people, clock):
    clock.move_to(local(2026, 11, 2, 9))
    bram, anna = people["bram"], people["anna"]
    pattern = {
        "rrule": "FREQ=WEEKLY;BYDAY=TU,FR",
        "start_time": "20:00",
        "end_time": "22:00",
        "meeting_point": "Wijkcentrum Emmerhout",
        "briefing": "Let op schuurtjes en open ramen.",
    }
    schedule = api.call("POST", f"/groups/{people['group'].id}/schedules", anna, pattern).get_json()
    roster = api.call("GET", f"/groups/{people['group'].id}/patrols?page_size=100", anna).get_json()
    tuesday, friday = (
        next(row["patrol"]["id"] for row in roster if row["patrol"]["starts_at"].startswith(day))
        for day in ("2026-11-10", "2026-11-13")
    )
    for round_id in (tuesday, friday):
        api.call("PUT", f"/patrols/{round_id}/signup", bram)
    url = api.feed_url(bram)
    before = in_thunderbird(client, url)
    assert before[tuesday]["description"] == "Let op schuurtjes en open ramen."

    # Anna moves the team's meeting point for every round to come.
    clock.move_to(local(2026, 11, 3, 10))
    api.call("PATCH", f"/schedules/{schedule['id']}", anna, {"meeting_point": "Kerk Emmerhout"})
    after = in_thunderbird(client, url)
    assert after[tuesday]["location"] == "Kerk Emmerhout"
    assert after[tuesday]["sequence"] > before[tuesday]["sequence"]
    assert after[tuesday]["last_modified"] == "2026-11-03T09:00:00Z"

    # Then she keeps only the Tuesdays: Bram's Friday is called off, in his language, with the reason.
    clock.move_to(local(2026, 11, 4, 10))
    api.call("PATCH", f"/schedules/{schedule['id']}", anna, {"rrule": "FREQ=WEEKLY;BYDAY=TU"})
    called_off = in_thunderbird(client, url)[friday]
    assert called_off["status"] == "CANCELLED"
    assert called_off["summary"] == "Geannuleerd: Surveillance Buurtpreventie Emmerhout"
    assert called_off["description"] == (
        "Deze ronde gaat niet door. Reden: het rooster is gewijzigd\n\nLet op schuurtjes en open ramen."
    )
    assert called_off["sequence"] > after[friday]["sequence"]
