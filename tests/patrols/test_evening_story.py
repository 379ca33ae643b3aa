"""The roster's whole story through the API: a weekly pattern, sign-ups, a waiting list, a walk, the hours."""

from __future__ import annotations

import datetime as dt

import icalendar
import time_machine

from buurtwacht.models import MembershipRole

AMS = dt.timezone(dt.timedelta(hours=1))  # CET: the story runs in November


def test_a_coordinator_plans_volunteers_walk_and_the_hours_add_up(client, make, app):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    bram, fatima, henk = make.person("Bram Jansen"), make.person("Fatima El Amrani"), make.person("Henk Bakker")
    for volunteer in (bram, fatima, henk):
        make.member(group, volunteer, MembershipRole.VOLUNTEER)

    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        # Anna plans every Tuesday and Friday evening, at most two people per round.
        response = client.post(
            f"/api/v1/groups/{group.id}/schedules",
            json={
                "rrule": "FREQ=WEEKLY;BYDAY=TU,FR",
                "start_time": "20:00",
                "end_time": "22:00",
                "meeting_point": "Wijkcentrum Bargeres",
                "min_team": 2,
                "max_team": 2,
            },
            headers=make.headers(anna),
        )
        assert response.status_code == 201, response.get_json()
        roster = client.get(f"/api/v1/groups/{group.id}/patrols?page_size=100", headers=make.headers(bram)).get_json()
        assert len(roster) == 12  # six weeks ahead, two rounds a week
        first = roster[0]["patrol"]
        assert first["starts_at"] == "2026-11-03T20:00:00+01:00"
        assert roster[0]["short_of_minimum"] is True
        patrol_id = first["id"]

        # Bram and Fatima fill the round; Henk goes on the waiting list.
        assert (
            client.put(f"/api/v1/patrols/{patrol_id}/signup", headers=make.headers(bram)).get_json()["status"]
            == "confirmed"
        )
        assert (
            client.put(f"/api/v1/patrols/{patrol_id}/signup", headers=make.headers(fatima)).get_json()["status"]
            == "confirmed"
        )
        assert (
            client.put(f"/api/v1/patrols/{patrol_id}/signup", headers=make.headers(henk)).get_json()["status"]
            == "waitlisted"
        )
        # A retry from Bram's phone changes nothing.
        assert (
            client.put(f"/api/v1/patrols/{patrol_id}/signup", headers=make.headers(bram)).get_json()["status"]
            == "confirmed"
        )

        # Fatima cannot make it after all: Henk gets her place.
        assert client.delete(f"/api/v1/patrols/{patrol_id}/signup", headers=make.headers(fatima)).status_code == 204
        detail = client.get(f"/api/v1/patrols/{patrol_id}", headers=make.headers(henk)).get_json()
        assert detail["my_status"] == "confirmed"
        assert {m["name"] for m in detail["team"]} == {"Bram J.", "Henk Bakker"}  # Henk sees his own full name
        assert detail["short_of_minimum"] is False

        # Henk's upcoming patrols and his calendar show the round.
        mine = client.get("/api/v1/me/patrols", headers=make.headers(henk)).get_json()
        assert [p["patrol"]["id"] for p in mine] == [patrol_id]
        url = client.post("/api/v1/me/calendar", headers=make.headers(henk)).get_json()["url"]
        feed = icalendar.Calendar.from_ical(client.get(url.replace("http://localhost", "")).data)
        events = list(feed.walk("VEVENT"))
        assert len(events) == 1
        assert events[0].decoded("dtstart") == dt.datetime(2026, 11, 3, 19, 0, tzinfo=dt.UTC)

        # On Tuesday evening the team checks in and out.
        clock.move_to(dt.datetime(2026, 11, 3, 19, 0, tzinfo=dt.UTC))
        assert client.post(f"/api/v1/patrols/{patrol_id}/check-in", headers=make.headers(bram)).status_code == 200
        assert (
            client.get(f"/api/v1/patrols/{patrol_id}", headers=make.headers(anna)).get_json()["patrol"]["status"]
            == "running"
        )
        clock.move_to(dt.datetime(2026, 11, 3, 19, 10, tzinfo=dt.UTC))
        assert client.post(f"/api/v1/patrols/{patrol_id}/check-in", headers=make.headers(henk)).status_code == 200
        clock.move_to(dt.datetime(2026, 11, 3, 21, 0, tzinfo=dt.UTC))
        client.post(f"/api/v1/patrols/{patrol_id}/check-out", headers=make.headers(bram))
        clock.move_to(dt.datetime(2026, 11, 3, 21, 10, tzinfo=dt.UTC))
        client.post(f"/api/v1/patrols/{patrol_id}/check-out", headers=make.headers(henk))
        assert (
            client.get(f"/api/v1/patrols/{patrol_id}", headers=make.headers(anna)).get_json()["patrol"]["status"]
            == "completed"
        )

        # November shows one round walked and four volunteer hours.
        stats = client.get(f"/api/v1/groups/{group.id}/patrol-stats?year=2026", headers=make.headers(anna)).get_json()
        november = stats["months"][10]
        assert (november["walked"], november["hours"], november["active_members"]) == (1, 4.0, 2)
        assert {m["name"]: m["months"][0]["hours"] for m in stats["members"]} == {
            "Bram Jansen": 2.0,
            "Henk Bakker": 2.0,
        }
        own = client.get("/api/v1/me/patrol-stats?year=2026", headers=make.headers(henk)).get_json()
        assert own["months"][10] == {"month": 11, "patrols": 1, "hours": 2.0}
