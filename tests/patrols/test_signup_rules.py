"""Signing up and withdrawing within the group's windows, the waiting list, the coordinator's hand
on the roster, and the no-show cap. Every refusal says why and changes nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from buurtwacht.models import MembershipRole

AMS = ZoneInfo("Europe/Amsterdam")


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
    """Anna coordinates the Bargeres group; the others walk with it. Priya lives elsewhere."""
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    names = ["Bram Jansen", "Fatima El Amrani", "Henk Bakker", "Sanne Mulder", "Joost Visser"]
    volunteers = {name.split()[0].lower(): make.person(name) for name in names}
    for volunteer in volunteers.values():
        make.member(group, volunteer, MembershipRole.VOLUNTEER)
    return {"anna": anna, "group": group, "priya": make.person("Priya Ramdin"), **volunteers}


def roster(api, coordinator, patrol_id):
    """The patrol as its coordinator sees it: what 'nothing changed' is checked against."""
    response = api.get(f"/patrols/{patrol_id}", coordinator)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def team(api, coordinator, patrol_id):
    return [(m["name"], m["status"]) for m in roster(api, coordinator, patrol_id)["team"]]


def patch_rules(api, people, **rules):
    response = api.patch(f"/groups/{people['group'].id}", people["anna"], json={"patrol_settings": rules})
    assert response.status_code == 200, response.get_json()
    for name, value in rules.items():
        assert response.get_json()["patrol_settings"][name] == value


def test_signing_up_opens_the_groups_window_ahead_and_closes_at_the_start(api, make, people, clock):
    anna, bram, fatima = people["anna"], people["bram"], people["fatima"]
    patch_rules(api, people, signup_opens_days=7)
    # Tuesday 17 November, 20:00: sign-up opens a week before, on Tuesday 10 November at 20:00.
    patrol = make.patrol(people["group"], local(2026, 11, 17, 20))
    before = roster(api, anna, patrol)

    too_early = api.put(f"/patrols/{patrol}/signup", bram)
    assert too_early.status_code == 409
    # In Bram's language and Emmen's time, as he would say it; the moment itself for the app, in local time too.
    assert too_early.get_json()["message"] == "Aanmelden kan vanaf di 10 nov 20:00, 7 dagen voor het begin."
    assert too_early.get_json()["errors"] == {"patrol": {"signup_opens_at": ["2026-11-10T20:00:00+01:00"]}}
    assert roster(api, anna, patrol) == before
    assert api.get(f"/groups/{people['group'].id}/patrols?open=true", bram).get_json() == []

    clock.move_to(local(2026, 11, 10, 19, 59))
    assert api.put(f"/patrols/{patrol}/signup", bram).status_code == 409
    assert roster(api, anna, patrol) == before

    clock.move_to(local(2026, 11, 10, 20, 0))
    opened = api.get(f"/groups/{people['group'].id}/patrols?open=true", bram).get_json()
    assert [p["patrol"]["id"] for p in opened] == [str(patrol)]
    signed = api.put(f"/patrols/{patrol}/signup", bram)
    assert signed.status_code == 200
    assert signed.get_json()["status"] == "confirmed"

    # Once the patrol has started, nobody signs up any more.
    clock.move_to(local(2026, 11, 17, 20, 1))
    before = roster(api, anna, patrol)
    too_late = api.put(f"/patrols/{patrol}/signup", fatima)
    assert too_late.status_code == 409
    assert "kan niet meer" in too_late.get_json()["message"]
    assert roster(api, anna, patrol) == before
    assert team(api, anna, patrol) == [("Bram Jansen", "confirmed")]


def test_withdrawing_closes_the_groups_deadline_before_the_start_but_the_waiting_list_may_always_go(
    api, make, people, clock
):
    anna, bram, fatima, henk, sanne = (people[k] for k in ("anna", "bram", "fatima", "henk", "sanne"))
    patch_rules(api, people, withdraw_until_hours=24)
    # Friday 13 November, 20:00: withdrawing closes on Thursday at 20:00.
    patrol = make.patrol(people["group"], local(2026, 11, 13, 20), max_team=2)
    for volunteer in (bram, fatima, henk, sanne):
        api.put(f"/patrols/{patrol}/signup", volunteer)
        clock.shift(dt.timedelta(minutes=1))
    assert team(api, anna, patrol) == [
        ("Bram Jansen", "confirmed"),
        ("Fatima El Amrani", "confirmed"),
        ("Henk Bakker", "waitlisted"),
        ("Sanne Mulder", "waitlisted"),
    ]

    # Thursday 21:00, 23 hours before: Bram can no longer withdraw himself.
    clock.move_to(local(2026, 11, 12, 21))
    before = roster(api, anna, patrol)
    late = api.delete(f"/patrols/{patrol}/signup", bram)
    assert late.status_code == 409
    assert "24 uur" in late.get_json()["message"]
    assert roster(api, anna, patrol) == before
    assert api.get(f"/patrols/{patrol}", bram).get_json()["my_status"] == "confirmed"
    assert [p["patrol"]["id"] for p in api.get("/me/patrols", bram).get_json()] == [str(patrol)]

    # Henk, on the waiting list, may still step back, and nobody on the team moves.
    assert api.delete(f"/patrols/{patrol}/signup", henk).status_code == 204
    # So may Sanne, ten minutes before the start.
    clock.move_to(local(2026, 11, 13, 19, 50))
    assert api.delete(f"/patrols/{patrol}/signup", sanne).status_code == 204
    assert team(api, anna, patrol) == [("Bram Jansen", "confirmed"), ("Fatima El Amrani", "confirmed")]
    assert api.get("/me/patrols", henk).get_json() == []


def test_withdrawing_just_before_the_deadline_is_still_allowed(api, make, people, clock):
    anna, bram = people["anna"], people["bram"]
    patrol = make.patrol(people["group"], local(2026, 11, 13, 20))  # default: 12 hours before
    api.put(f"/patrols/{patrol}/signup", bram)
    clock.move_to(local(2026, 11, 13, 8, 0))
    assert api.delete(f"/patrols/{patrol}/signup", bram).status_code == 204
    assert team(api, anna, patrol) == []


def test_nobody_is_on_two_overlapping_patrols(api, make, people, clock):
    anna, bram = people["anna"], people["bram"]
    evening = make.patrol(people["group"], local(2026, 11, 6, 20), hours=2, meeting_point="Wijkcentrum")
    overlapping = make.patrol(people["group"], local(2026, 11, 6, 21), hours=2, meeting_point="Kerk")
    afterwards = make.patrol(people["group"], local(2026, 11, 6, 22), hours=2, meeting_point="Station")
    assert api.put(f"/patrols/{evening}/signup", bram).get_json()["status"] == "confirmed"

    before = roster(api, anna, overlapping)
    clash = api.put(f"/patrols/{overlapping}/signup", bram)
    assert clash.status_code == 409
    body = clash.get_json()
    assert "al een andere ronde" in body["message"]
    assert body["errors"]["patrol"]["id"] == [str(evening)]
    assert body["errors"]["patrol"]["starts_at"] == ["2026-11-06T20:00:00+01:00"]  # Emmen's time, as the app shows it
    assert roster(api, anna, overlapping) == before
    assert [p["patrol"]["id"] for p in api.get("/me/patrols", bram).get_json()] == [str(evening)]

    # Back to back is not overlapping.
    assert api.put(f"/patrols/{afterwards}/signup", bram).get_json()["status"] == "confirmed"

    # A place on the waiting list counts too: Bram leaves the late round and waits for the middle one.
    assert api.delete(f"/patrols/{afterwards}/signup", bram).status_code == 204
    assert api.delete(f"/patrols/{evening}/signup", bram).status_code == 204
    assert api.put(f"/patrols/{overlapping}/signup", bram).get_json()["status"] == "confirmed"
    before = roster(api, anna, evening)
    assert api.put(f"/patrols/{evening}/signup", bram).status_code == 409
    assert roster(api, anna, evening) == before


def test_the_waiting_list_is_promoted_in_the_order_people_joined_it(api, make, people, clock):
    anna = people["anna"]
    patrol = make.patrol(people["group"], local(2026, 11, 13, 20), max_team=2)
    joining = ["bram", "fatima", "sanne", "joost", "henk"]  # Sanne, Joost and Henk wait, in that order
    for name in joining:
        answer = api.put(f"/patrols/{patrol}/signup", people[name])
        assert answer.status_code == 200
        clock.shift(dt.timedelta(minutes=3))
    assert [s for _, s in team(api, anna, patrol)] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert [n for n, _ in team(api, anna, patrol)][2:] == ["Sanne Mulder", "Joost Visser", "Henk Bakker"]

    assert api.delete(f"/patrols/{patrol}/signup", people["bram"]).status_code == 204
    assert api.get(f"/patrols/{patrol}", people["sanne"]).get_json()["my_status"] == "confirmed"
    assert api.get(f"/patrols/{patrol}", people["joost"]).get_json()["my_status"] == "waitlisted"

    assert api.delete(f"/patrols/{patrol}/signup", people["fatima"]).status_code == 204
    assert team(api, anna, patrol) == [
        ("Sanne Mulder", "confirmed"),
        ("Joost Visser", "confirmed"),
        ("Henk Bakker", "waitlisted"),
    ]
    # Bram changes his mind: he joins the back of the line, behind Henk.
    assert api.put(f"/patrols/{patrol}/signup", people["bram"]).get_json()["status"] == "waitlisted"
    assert [n for n, _ in team(api, anna, patrol)][2:] == ["Henk Bakker", "Bram Jansen"]


def test_raising_the_maximum_gives_the_new_place_to_the_first_waiting(api, make, people, clock):
    anna = people["anna"]
    patrol = make.patrol(people["group"], local(2026, 11, 13, 20), max_team=2)
    for name in ("bram", "fatima", "henk"):
        api.put(f"/patrols/{patrol}/signup", people[name])
        clock.shift(dt.timedelta(minutes=1))
    assert api.patch(f"/patrols/{patrol}", anna, json={"max_team": 3}).status_code == 200

    assert api.put(f"/patrols/{patrol}/signup", people["sanne"]).get_json()["status"] == "waitlisted"
    assert team(api, anna, patrol) == [
        ("Bram Jansen", "confirmed"),
        ("Fatima El Amrani", "confirmed"),
        ("Henk Bakker", "confirmed"),
        ("Sanne Mulder", "waitlisted"),
    ]


def test_a_coordinator_puts_members_on_the_team_outside_the_window_up_to_the_maximum(api, make, people, clock):
    anna, bram, fatima, henk, priya = (people[k] for k in ("anna", "bram", "fatima", "henk", "priya"))
    # Two months ahead: volunteers cannot sign up yet, the coordinator can put them on.
    patrol = make.patrol(people["group"], local(2027, 1, 8, 20), max_team=2)
    assert api.put(f"/patrols/{patrol}/signup", bram).status_code == 409

    added = api.post(f"/patrols/{patrol}/team", anna, json={"person_id": str(bram.id)})
    assert added.status_code == 200
    assert added.get_json()["status"] == "confirmed"
    assert api.post(f"/patrols/{patrol}/team", anna, json={"person_id": str(fatima.id)}).status_code == 200
    assert [p["patrol"]["id"] for p in api.get("/me/patrols", bram).get_json()] == [str(patrol)]

    before = roster(api, anna, patrol)
    full = api.post(f"/patrols/{patrol}/team", anna, json={"person_id": str(henk.id)})
    assert full.status_code == 409
    assert "vol" in full.get_json()["message"]
    assert roster(api, anna, patrol) == before
    assert api.get("/me/patrols", henk).get_json() == []

    # Priya is no member of this group.
    stranger = api.post(f"/patrols/{patrol}/team", anna, json={"person_id": str(priya.id)})
    assert stranger.status_code == 422
    assert "person_id" in stranger.get_json()["errors"]["json"]
    assert roster(api, anna, patrol) == before

    # A volunteer cannot put someone on the team.
    assert api.post(f"/patrols/{patrol}/team", bram, json={"person_id": str(henk.id)}).status_code == 403
    assert roster(api, anna, patrol) == before


def test_a_coordinator_takes_someone_off_and_the_first_waiting_gets_the_place(api, make, people, clock):
    anna, bram, fatima, henk, sanne = (people[k] for k in ("anna", "bram", "fatima", "henk", "sanne"))
    patrol = make.patrol(people["group"], local(2026, 11, 13, 20), max_team=2)
    for volunteer in (bram, fatima, henk, sanne):
        api.put(f"/patrols/{patrol}/signup", volunteer)
        clock.shift(dt.timedelta(minutes=1))

    # Bram may not take Fatima off.
    before = roster(api, anna, patrol)
    assert api.delete(f"/patrols/{patrol}/team/{fatima.id}", bram).status_code == 403
    assert roster(api, anna, patrol) == before

    assert api.delete(f"/patrols/{patrol}/team/{bram.id}", anna).status_code == 204
    assert team(api, anna, patrol) == [
        ("Fatima El Amrani", "confirmed"),
        ("Henk Bakker", "confirmed"),
        ("Sanne Mulder", "waitlisted"),
    ]
    assert api.get("/me/patrols", bram).get_json() == []
    assert api.get(f"/patrols/{patrol}", bram).get_json()["my_status"] == "removed"

    # Someone not on the patrol cannot be taken off it.
    before = roster(api, anna, patrol)
    assert api.delete(f"/patrols/{patrol}/team/{bram.id}", anna).status_code == 404
    assert roster(api, anna, patrol) == before

    # A coordinator can also put someone waiting straight on the team, once there is room.
    assert api.post(f"/patrols/{patrol}/team", anna, json={"person_id": str(sanne.id)}).status_code == 409
    assert api.patch(f"/patrols/{patrol}", anna, json={"max_team": 3}).status_code == 200
    moved_up = api.post(f"/patrols/{patrol}/team", anna, json={"person_id": str(sanne.id)})
    assert moved_up.get_json()["status"] == "confirmed"


def test_the_maximum_cannot_drop_below_the_team(api, make, people, clock):
    anna = people["anna"]
    patrol = make.patrol(people["group"], local(2026, 11, 13, 20), min_team=1, max_team=3)
    for name in ("bram", "fatima", "henk"):
        api.put(f"/patrols/{patrol}/signup", people[name])

    before = roster(api, anna, patrol)
    smaller = api.patch(f"/patrols/{patrol}", anna, json={"max_team": 2})
    assert smaller.status_code == 409
    assert "haal eerst iemand" in smaller.get_json()["message"]
    assert roster(api, anna, patrol) == before
    assert before["patrol"]["max_team"] == 3

    # Once someone is off, the smaller maximum fits.
    assert api.delete(f"/patrols/{patrol}/team/{people['henk'].id}", anna).status_code == 204
    assert api.patch(f"/patrols/{patrol}", anna, json={"max_team": 2}).get_json()["max_team"] == 2


def test_cancelling_needs_a_reason_and_a_cancelled_patrol_takes_no_sign_ups(api, make, people, clock):
    anna, bram, fatima = people["anna"], people["bram"], people["fatima"]
    patrol = make.patrol(people["group"], local(2026, 11, 13, 20))
    api.put(f"/patrols/{patrol}/signup", bram)

    before = roster(api, anna, patrol)
    no_reason = api.post(f"/patrols/{patrol}/cancel", anna, json={})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.get_json()["errors"]["json"]
    assert roster(api, anna, patrol) == before

    cancelled = api.post(f"/patrols/{patrol}/cancel", anna, json={"reason": "Storm: code oranje"})
    assert cancelled.status_code == 200
    assert (cancelled.get_json()["status"], cancelled.get_json()["cancel_reason"]) == (
        "cancelled",
        "Storm: code oranje",
    )
    assert api.get("/me/patrols", bram).get_json() == []

    before = roster(api, anna, patrol)
    refused = api.put(f"/patrols/{patrol}/signup", fatima)
    assert refused.status_code == 409
    assert roster(api, anna, patrol) == before
    assert api.get(f"/patrols/{patrol}", fatima).get_json()["my_status"] is None

    # It cannot be cancelled twice.
    assert api.post(f"/patrols/{patrol}/cancel", anna, json={"reason": "nogmaals"}).status_code == 409
    assert roster(api, anna, patrol) == before


def test_the_roster_filters_show_what_one_can_still_take_and_what_is_short(api, make, people, clock):
    anna, bram, fatima, henk, sanne = (people[k] for k in ("anna", "bram", "fatima", "henk", "sanne"))
    group = people["group"]
    room = make.patrol(group, local(2026, 11, 3, 20), min_team=2, max_team=2)  # Bram alone: room and short
    full = make.patrol(group, local(2026, 11, 5, 20), min_team=2, max_team=2)  # Henk and Sanne: full
    far = make.patrol(group, local(2026, 12, 15, 20), min_team=2, max_team=2)  # beyond the 28-day window
    mine = make.patrol(group, local(2026, 11, 7, 20), min_team=2, max_team=3)  # Fatima is on it already
    cancelled = make.patrol(group, local(2026, 11, 9, 20), min_team=2, max_team=2)
    past = make.patrol(group, local(2026, 11, 1, 20), min_team=2, max_team=2)  # yesterday, nobody came
    api.put(f"/patrols/{room}/signup", bram)
    api.put(f"/patrols/{full}/signup", henk)
    api.put(f"/patrols/{full}/signup", sanne)
    api.put(f"/patrols/{mine}/signup", fatima)
    assert api.post(f"/patrols/{cancelled}/cancel", anna, json={"reason": "Sinterklaasintocht"}).status_code == 200

    def ids(query: str) -> list[str]:
        response = api.get(f"/groups/{group.id}/patrols?{query}", fatima)
        assert response.status_code == 200, response.get_json()
        return [p["patrol"]["id"] for p in response.get_json()]

    assert len(ids("page_size=100")) == 6
    assert str(past) in ids("page_size=100")
    assert ids("open=true") == [str(room)]
    assert ids("short=true") == [str(room), str(mine), str(far)]
    listed = {p["patrol"]["id"]: p for p in api.get(f"/groups/{group.id}/patrols?short=true", fatima).get_json()}
    assert all(p["short_of_minimum"] for p in listed.values())
    assert (listed[str(room)]["confirmed"], listed[str(room)]["places_left"]) == (1, 1)
    assert listed[str(mine)]["my_status"] == "confirmed"


def _miss_a_patrol(api, make, people, clock, starts: dt.datetime) -> None:
    """Bram signs up, does not come, and Anna marks him as a no-show after the start."""
    patrol = make.patrol(people["group"], starts)
    clock.move_to(starts - dt.timedelta(days=3))
    assert api.put(f"/patrols/{patrol}/signup", people["bram"]).status_code == 200
    clock.move_to(starts + dt.timedelta(minutes=45))
    marked = api.post(f"/patrols/{patrol}/no-shows", people["anna"], json={"person_ids": [str(people["bram"].id)]})
    assert marked.status_code == 200, marked.get_json()


def test_after_repeated_no_shows_a_person_holds_one_upcoming_patrol_at_a_time(api, make, people, clock):
    anna, bram, fatima = people["anna"], people["bram"], people["fatima"]
    patch_rules(api, people, no_show_limit=2)
    _miss_a_patrol(api, make, people, clock, local(2026, 10, 6, 20))
    _miss_a_patrol(api, make, people, clock, local(2026, 10, 13, 20))

    clock.move_to(local(2026, 11, 2, 9))
    tuesday = make.patrol(people["group"], local(2026, 11, 10, 20))
    next_tuesday = make.patrol(people["group"], local(2026, 11, 17, 20))
    assert api.put(f"/patrols/{tuesday}/signup", bram).get_json()["status"] == "confirmed"

    before = roster(api, anna, next_tuesday)
    capped = api.put(f"/patrols/{next_tuesday}/signup", bram)
    assert capped.status_code == 409
    assert "2 gemiste rondes" in capped.get_json()["message"]
    assert roster(api, anna, next_tuesday) == before
    assert [p["patrol"]["id"] for p in api.get("/me/patrols", bram).get_json()] == [str(tuesday)]

    # Fatima, who always came, is not capped.
    assert api.put(f"/patrols/{tuesday}/signup", fatima).status_code == 200
    assert api.put(f"/patrols/{next_tuesday}/signup", fatima).status_code == 200

    # With no upcoming patrol left, Bram can sign up again.
    assert api.delete(f"/patrols/{tuesday}/signup", bram).status_code == 204
    assert api.put(f"/patrols/{next_tuesday}/signup", bram).get_json()["status"] == "confirmed"


def test_the_no_show_cap_forgets_after_ninety_days(api, make, people, clock):
    anna, bram = people["anna"], people["bram"]
    patch_rules(api, people, no_show_limit=2)
    _miss_a_patrol(api, make, people, clock, local(2026, 8, 4, 20))
    _miss_a_patrol(api, make, people, clock, local(2026, 10, 13, 20))

    # 1 November: both no-shows are within 90 days.
    clock.move_to(local(2026, 11, 1, 9))
    tuesday = make.patrol(people["group"], local(2026, 11, 10, 20))
    next_tuesday = make.patrol(people["group"], local(2026, 11, 17, 20))
    assert api.put(f"/patrols/{tuesday}/signup", bram).status_code == 200
    before = roster(api, anna, next_tuesday)
    assert api.put(f"/patrols/{next_tuesday}/signup", bram).status_code == 409
    assert roster(api, anna, next_tuesday) == before

    # 3 November: the August no-show is more than 90 days ago; only one counts.
    clock.move_to(local(2026, 11, 3, 9))
    assert api.put(f"/patrols/{next_tuesday}/signup", bram).get_json()["status"] == "confirmed"


def test_a_cancelled_patrol_does_not_count_against_the_no_show_cap(api, make, people, clock):
    anna, bram = people["anna"], people["bram"]
    patch_rules(api, people, no_show_limit=2)
    _miss_a_patrol(api, make, people, clock, local(2026, 10, 6, 20))
    _miss_a_patrol(api, make, people, clock, local(2026, 10, 13, 20))

    clock.move_to(local(2026, 11, 2, 9))
    tuesday = make.patrol(people["group"], local(2026, 11, 10, 20))
    friday = make.patrol(people["group"], local(2026, 11, 13, 20))
    assert api.put(f"/patrols/{tuesday}/signup", bram).status_code == 200
    assert api.post(f"/patrols/{tuesday}/cancel", anna, json={"reason": "Storm: code oranje"}).status_code == 200
    assert api.get("/me/patrols", bram).get_json() == []

    signed = api.put(f"/patrols/{friday}/signup", bram)
    assert signed.status_code == 200, signed.get_json()


def test_moving_a_patrol_does_not_put_its_team_on_two_patrols_at_once(api, make, people, clock):
    anna, bram = people["anna"], people["bram"]
    early = make.patrol(people["group"], local(2026, 11, 6, 19), hours=2)
    late = make.patrol(people["group"], local(2026, 11, 6, 22), hours=2)
    api.put(f"/patrols/{early}/signup", bram)
    api.put(f"/patrols/{late}/signup", bram)

    before = roster(api, anna, late)
    moved = api.patch(f"/patrols/{late}", anna, json={"starts_at": "2026-11-06T20:00", "ends_at": "2026-11-06T22:00"})
    assert moved.status_code == 409
    assert roster(api, anna, late) == before
