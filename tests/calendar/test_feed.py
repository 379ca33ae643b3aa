"""Bram subscribes to his patrols in his phone's calendar: a private URL (the secret is the key) that
any calendar app reads back as his rounds in Amsterdam time; he can replace it or turn it off."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine

from buurtwacht.models import MembershipRole

AMS = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


class Api:
    def __init__(self, client, make) -> None:
        self.client, self.make = client, make

    def call(self, method: str, path: str, who, json=None):
        return self.client.open(f"/api/v1{path}", method=method, headers=self.make.headers(who), json=json)


@pytest.fixture
def clock():
    """Monday 2 November 2026, 09:00 in Emmen."""
    with time_machine.travel(local(2026, 11, 2, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client, make):
    return Api(client, make)


@pytest.fixture
def people(make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna, name="Buurtpreventie Emmerhout")
    found = {"anna": anna, "group": group}
    found["bram"] = make.person("Bram Jansen")
    found["henk"] = make.person("Henk Bakker")
    found["priya"] = make.person("Priya Ramdin", locale="en")
    for name in ("bram", "henk", "priya"):
        make.member(group, found[name], MembershipRole.VOLUNTEER)
    return found


def new_url(api, who) -> str:
    response = api.call("POST", "/me/calendar", who)
    assert response.status_code == 201, response.get_json()
    url = response.get_json()["url"]
    assert url.startswith("http://localhost/calendar/") and url.endswith(".ics")
    return url.removeprefix("http://localhost")


def read(client, path: str) -> icalendar.Calendar:
    response = client.get(path)  # a calendar app: no sign-in, the URL is the key
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    """The calendar's events by their local start, e.g. '2026-11-03 20:00'."""
    found = {}
    for event in calendar.walk("VEVENT"):
        found[event.decoded("dtstart").strftime("%Y-%m-%d %H:%M")] = event
    return found


def test_bram_sees_his_rounds_in_his_calendar_app(client, api, make, people, clock):
    group, bram, henk = people["group"], people["bram"], people["henk"]
    tuesday = make.patrol(group, local(2026, 11, 3, 20), meeting_point="Winkelcentrum Emmerhout")
    friday = make.patrol(group, local(2026, 11, 6, 20), max_team=1, meeting_point="Speeltuin Houtweg")
    cancelled = make.patrol(group, local(2026, 11, 10, 20))
    henks_only = make.patrol(group, local(2026, 11, 12, 20))
    withdrawn = make.patrol(group, local(2026, 11, 14, 20))
    make.patrol(group, local(2026, 11, 17, 20))  # nobody's
    for patrol in (tuesday, cancelled, withdrawn):
        assert api.call("PUT", f"/patrols/{patrol}/signup", bram).status_code == 200
    for patrol in (friday, henks_only):
        assert api.call("PUT", f"/patrols/{patrol}/signup", henk).status_code == 200
    assert api.call("PUT", f"/patrols/{friday}/signup", bram).get_json()["status"] == "waitlisted"
    assert api.call("DELETE", f"/patrols/{withdrawn}/signup", bram).status_code == 204
    reason = {"reason": "Te weinig deelnemers"}
    assert api.call("POST", f"/patrols/{cancelled}/cancel", people["anna"], reason).status_code == 200

    feed = read(client, new_url(api, bram))

    found = events(feed)
    assert sorted(found) == ["2026-11-03 20:00", "2026-11-06 20:00", "2026-11-10 20:00"]
    on_team = found["2026-11-03 20:00"]
    assert on_team["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert on_team.decoded("dtstart") == local(2026, 11, 3, 20)
    assert on_team.decoded("dtstart").utcoffset() == dt.timedelta(hours=1)
    assert on_team.decoded("dtend") == local(2026, 11, 3, 22)
    assert str(on_team["SUMMARY"]) == "Surveillance Buurtpreventie Emmerhout"
    assert str(on_team["LOCATION"]) == "Winkelcentrum Emmerhout"
    assert str(on_team["STATUS"]) == "CONFIRMED"

    waiting = found["2026-11-06 20:00"]
    assert str(waiting["STATUS"]) == "TENTATIVE"
    assert str(waiting["SUMMARY"]).startswith("Surveillance Buurtpreventie Emmerhout")
    assert str(waiting["LOCATION"]) == "Speeltuin Houtweg"

    assert str(found["2026-11-10 20:00"]["STATUS"]) == "CANCELLED"
    # One event per round, each with its own identity so calendar apps update rather than duplicate.
    assert len({str(e["UID"]) for e in found.values()}) == 3
    # The time zone travels with the feed.
    [zone] = feed.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"
    assert {part.name for part in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_a_round_in_summer_time_is_at_the_same_local_hour(client, api, make, people, clock):
    winter = make.patrol(people["group"], local(2026, 11, 3, 20))
    spring = make.patrol(people["group"], local(2027, 4, 6, 20))  # within the feed's six months ahead
    for patrol in (winter, spring):
        # Anna puts Bram on both (sign-up for April does not open until March).
        response = api.call("POST", f"/patrols/{patrol}/team", people["anna"], {"person_id": str(people["bram"].id)})
        assert response.status_code == 200, response.get_json()

    found = events(read(client, new_url(api, people["bram"])))
    assert sorted(found) == ["2026-11-03 20:00", "2027-04-06 20:00"]
    event = found["2027-04-06 20:00"]
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("dtstart") == dt.datetime(2027, 4, 6, 18, 0, tzinfo=dt.UTC)
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(hours=2)
    assert found["2026-11-03 20:00"].decoded("dtstart") == dt.datetime(2026, 11, 3, 19, 0, tzinfo=dt.UTC)


def test_an_english_speaker_gets_english_titles(client, api, make, people, clock):
    group, priya = people["group"], people["priya"]
    full = make.patrol(group, local(2026, 11, 6, 20), max_team=1)
    mine = make.patrol(group, local(2026, 11, 3, 20))
    assert api.call("PUT", f"/patrols/{full}/signup", people["henk"]).status_code == 200
    assert api.call("PUT", f"/patrols/{full}/signup", priya).get_json()["status"] == "waitlisted"
    assert api.call("PUT", f"/patrols/{mine}/signup", priya).status_code == 200

    feed = read(client, new_url(api, priya))
    found = events(feed)
    assert str(found["2026-11-03 20:00"]["SUMMARY"]) == "Patrol Buurtpreventie Emmerhout"
    assert str(found["2026-11-06 20:00"]["SUMMARY"]) == "Patrol Buurtpreventie Emmerhout (waiting list)"
    assert str(found["2026-11-06 20:00"]["STATUS"]) == "TENTATIVE"


def test_a_new_url_stops_the_old_one_and_turning_it_off_stops_both(client, api, make, people, clock):
    bram = people["bram"]
    patrol = make.patrol(people["group"], local(2026, 11, 3, 20))
    assert api.call("PUT", f"/patrols/{patrol}/signup", bram).status_code == 200
    assert api.call("GET", "/me/calendar", bram).get_json() == {"active": False, "created_at": None}

    old = new_url(api, bram)
    assert len(list(read(client, old).walk("VEVENT"))) == 1
    status = api.call("GET", "/me/calendar", bram).get_json()
    assert status == {"active": True, "created_at": "2026-11-02T09:00:00+01:00"}

    # Bram shared his URL by mistake and makes a new one: the old one stops at once.
    new = new_url(api, bram)
    assert new != old
    assert client.get(old).status_code == 404
    assert len(list(read(client, new).walk("VEVENT"))) == 1

    # He turns the feed off.
    assert api.call("DELETE", "/me/calendar", bram).status_code == 204
    assert client.get(new).status_code == 404
    assert client.get(old).status_code == 404
    assert api.call("GET", "/me/calendar", bram).get_json()["active"] is False
    assert api.call("DELETE", "/me/calendar", bram).status_code == 404


def test_one_persons_url_never_shows_another_persons_rounds(client, api, make, people, clock):
    group = people["group"]
    brams = make.patrol(group, local(2026, 11, 3, 20))
    henks = make.patrol(group, local(2026, 11, 5, 20))
    assert api.call("PUT", f"/patrols/{brams}/signup", people["bram"]).status_code == 200
    assert api.call("PUT", f"/patrols/{henks}/signup", people["henk"]).status_code == 200

    bram_url, henk_url = new_url(api, people["bram"]), new_url(api, people["henk"])
    assert sorted(events(read(client, bram_url))) == ["2026-11-03 20:00"]
    assert sorted(events(read(client, henk_url))) == ["2026-11-05 20:00"]
    # Henk's URL keeps working when Bram replaces his.
    new_url(api, people["bram"])
    assert sorted(events(read(client, henk_url))) == ["2026-11-05 20:00"]
    # A made-up token finds nothing.
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
