"""On the street: the team checks in and out, the patrol runs from the first check-in, the coordinator
closes it and marks who did not come."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from buurtwacht.models import MembershipRole

AMS = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


def moment(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


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


@pytest.fixture
def api(client, make):
    return Api(client, make)


@pytest.fixture
def evening(api, make):
    """Tuesday 3 November 2026, 20:00-22:00 in Bargeres. Bram, Fatima and Henk are on the team,
    Sanne is waiting for a place, Joost is a member who did not sign up, Priya is no member."""
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    people = {"anna": anna, "group": group, "priya": make.person("Priya Ramdin")}
    for name in ("Bram Jansen", "Fatima El Amrani", "Henk Bakker", "Sanne Mulder", "Joost Visser"):
        people[name.split()[0].lower()] = make.person(name)
        make.member(group, people[name.split()[0].lower()], MembershipRole.VOLUNTEER)
    with time_machine.travel(local(2026, 11, 2, 9), tick=False) as clock:
        patrol = make.patrol(group, local(2026, 11, 3, 20), hours=2, min_team=2, max_team=3)
        for name in ("bram", "fatima", "henk", "sanne"):
            assert api.put(f"/patrols/{patrol}/signup", people[name]).status_code == 200
            clock.shift(dt.timedelta(minutes=1))
        people["patrol"] = patrol
        people["clock"] = clock
        yield people


def detail(api, evening):
    response = api.get(f"/patrols/{evening['patrol']}", evening["anna"])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def member(api, evening, name: str) -> dict:
    return next(m for m in detail(api, evening)["team"] if m["name"] == name)


def test_the_team_checks_in_from_half_an_hour_before_and_the_first_check_in_starts_the_patrol(api, evening):
    clock, patrol = evening["clock"], evening["patrol"]
    bram, fatima = evening["bram"], evening["fatima"]

    clock.move_to(local(2026, 11, 3, 19, 29))
    before = detail(api, evening)
    too_early = api.post(f"/patrols/{patrol}/check-in", bram)
    assert too_early.status_code == 409
    assert "30 minuten" in too_early.get_json()["message"]
    assert detail(api, evening) == before
    assert before["patrol"]["status"] == "planned"

    clock.move_to(local(2026, 11, 3, 19, 35))
    checked_in = api.post(f"/patrols/{patrol}/check-in", bram)
    assert checked_in.status_code == 200
    assert moment(checked_in.get_json()["checked_in_at"]) == local(2026, 11, 3, 19, 35)
    seen = detail(api, evening)["patrol"]
    assert seen["status"] == "running"
    assert moment(seen["started_at"]) == local(2026, 11, 3, 19, 35)

    # Bram's phone lost the answer and asks again: the same time comes back.
    clock.move_to(local(2026, 11, 3, 19, 41))
    retry = api.post(f"/patrols/{patrol}/check-in", bram)
    assert retry.status_code == 200
    assert moment(retry.get_json()["checked_in_at"]) == local(2026, 11, 3, 19, 35)

    # Fatima checks in later; the patrol still runs from Bram's check-in.
    clock.move_to(local(2026, 11, 3, 20, 5))
    assert api.post(f"/patrols/{patrol}/check-in", fatima).status_code == 200
    seen = detail(api, evening)
    assert moment(seen["patrol"]["started_at"]) == local(2026, 11, 3, 19, 35)
    assert moment(member(api, evening, "Fatima El Amrani")["checked_in_at"]) == local(2026, 11, 3, 20, 5)


def test_only_the_team_checks_in(api, evening):
    clock, patrol = evening["clock"], evening["patrol"]
    clock.move_to(local(2026, 11, 3, 19, 50))
    before = detail(api, evening)

    # Joost is a member but not on the team; Sanne is only waiting; Priya is no member at all.
    joost = api.post(f"/patrols/{patrol}/check-in", evening["joost"])
    assert joost.status_code == 403
    assert "team" in joost.get_json()["message"]
    assert api.post(f"/patrols/{patrol}/check-in", evening["sanne"]).status_code == 403
    assert api.post(f"/patrols/{patrol}/check-in", evening["priya"]).status_code == 404

    after = detail(api, evening)
    assert after == before
    assert after["patrol"]["status"] == "planned"
    assert after["patrol"]["started_at"] is None
    assert all(m["checked_in_at"] is None for m in after["team"])


def test_checking_out_needs_a_check_in_and_the_last_check_out_completes_the_patrol(api, evening):
    clock, patrol = evening["clock"], evening["patrol"]
    bram, fatima = evening["bram"], evening["fatima"]
    clock.move_to(local(2026, 11, 3, 19, 55))
    api.post(f"/patrols/{patrol}/check-in", bram)

    before = detail(api, evening)
    not_in = api.post(f"/patrols/{patrol}/check-out", fatima)
    assert not_in.status_code == 409
    assert "check eerst in" in not_in.get_json()["message"]
    assert detail(api, evening) == before
    assert api.post(f"/patrols/{patrol}/check-out", evening["joost"]).status_code == 403
    assert detail(api, evening) == before

    clock.move_to(local(2026, 11, 3, 20, 0))
    api.post(f"/patrols/{patrol}/check-in", fatima)

    clock.move_to(local(2026, 11, 3, 21, 55))
    out = api.post(f"/patrols/{patrol}/check-out", bram)
    assert out.status_code == 200
    assert moment(out.get_json()["checked_out_at"]) == local(2026, 11, 3, 21, 55)
    assert detail(api, evening)["patrol"]["status"] == "running"  # Fatima is still out there

    clock.move_to(local(2026, 11, 3, 22, 5))
    assert api.post(f"/patrols/{patrol}/check-out", fatima).status_code == 200
    seen = detail(api, evening)
    assert seen["patrol"]["status"] == "completed"
    assert moment(seen["patrol"]["completed_at"]) == local(2026, 11, 3, 22, 5)
    times = {m["name"]: (moment(m["checked_in_at"]), moment(m["checked_out_at"])) for m in seen["team"]}
    assert times["Bram Jansen"] == (local(2026, 11, 3, 19, 55), local(2026, 11, 3, 21, 55))
    assert times["Fatima El Amrani"] == (local(2026, 11, 3, 20, 0), local(2026, 11, 3, 22, 5))
    assert times["Henk Bakker"] == (None, None)

    # A retried check-out gives back the time already recorded.
    clock.move_to(local(2026, 11, 3, 22, 10))
    again = api.post(f"/patrols/{patrol}/check-out", bram)
    assert moment(again.get_json()["checked_out_at"]) == local(2026, 11, 3, 21, 55)


def test_a_round_cannot_be_over_before_its_planned_start(api, evening):
    clock, patrol = evening["clock"], evening["patrol"]
    bram = evening["bram"]
    clock.move_to(local(2026, 11, 3, 19, 40))
    assert api.post(f"/patrols/{patrol}/check-in", bram).status_code == 200  # the team meets early

    clock.move_to(local(2026, 11, 3, 19, 50))
    before = detail(api, evening)
    out = api.post(f"/patrols/{patrol}/check-out", bram)
    assert out.status_code == 409
    assert out.get_json()["message"] == "Deze ronde begint pas di 3 nov 20:00: uitchecken of afronden kan vanaf dan."
    assert out.get_json()["errors"] == {"patrol": {"starts_at": ["2026-11-03T20:00:00+01:00"]}}
    closed = api.post(f"/patrols/{patrol}/complete", evening["anna"])
    assert closed.status_code == 409
    assert detail(api, evening) == before
    assert before["patrol"]["status"] == "running"

    clock.move_to(local(2026, 11, 3, 20, 0))
    assert api.post(f"/patrols/{patrol}/check-out", bram).status_code == 200
    assert detail(api, evening)["patrol"]["status"] == "completed"


def test_the_coordinator_closes_a_running_patrol_and_checks_out_who_forgot(api, evening):
    clock, patrol, anna = evening["clock"], evening["patrol"], evening["anna"]
    bram, fatima = evening["bram"], evening["fatima"]

    clock.move_to(local(2026, 11, 3, 19, 50))
    before = detail(api, evening)
    not_running = api.post(f"/patrols/{patrol}/complete", anna)
    assert not_running.status_code == 409
    assert detail(api, evening) == before

    api.post(f"/patrols/{patrol}/check-in", bram)
    clock.move_to(local(2026, 11, 3, 19, 58))
    api.post(f"/patrols/{patrol}/check-in", fatima)
    clock.move_to(local(2026, 11, 3, 21, 30))
    api.post(f"/patrols/{patrol}/check-out", fatima)

    clock.move_to(local(2026, 11, 3, 22, 15))
    before = detail(api, evening)
    assert api.post(f"/patrols/{patrol}/complete", bram).status_code == 403
    assert detail(api, evening) == before

    closed = api.post(f"/patrols/{patrol}/complete", anna)
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "completed"
    assert moment(closed.get_json()["completed_at"]) == local(2026, 11, 3, 22, 15)
    team = {m["name"]: m for m in detail(api, evening)["team"]}
    assert moment(team["Bram Jansen"]["checked_out_at"]) == local(2026, 11, 3, 22, 15)
    assert moment(team["Fatima El Amrani"]["checked_out_at"]) == local(2026, 11, 3, 21, 30)
    assert team["Henk Bakker"]["checked_in_at"] is None
    assert team["Henk Bakker"]["checked_out_at"] is None

    # A completed patrol is not closed twice.
    assert api.post(f"/patrols/{patrol}/complete", anna).status_code == 409


def test_the_coordinator_marks_who_did_not_come_after_the_start(api, evening):
    clock, patrol, anna = evening["clock"], evening["patrol"], evening["anna"]
    bram, henk, sanne, joost = evening["bram"], evening["henk"], evening["sanne"], evening["joost"]
    clock.move_to(local(2026, 11, 3, 19, 45))
    api.post(f"/patrols/{patrol}/check-in", bram)

    def mark(*people, who=anna):
        return api.post(f"/patrols/{patrol}/no-shows", who, json={"person_ids": [str(p.id) for p in people]})

    # Not before the start.
    clock.move_to(local(2026, 11, 3, 19, 55))
    before = detail(api, evening)
    early = mark(henk)
    assert early.status_code == 409
    assert "begonnen" in early.get_json()["message"]
    assert detail(api, evening) == before

    clock.move_to(local(2026, 11, 3, 20, 30))
    before = detail(api, evening)
    # Bram checked in; Sanne is only waiting; Joost was never on it. Each is refused, naming the list.
    for wrong in ((bram,), (sanne,), (joost,), (henk, bram)):
        refused = mark(*wrong)
        assert refused.status_code == 422, wrong
        assert "person_ids" in refused.get_json()["errors"]["json"]
        assert detail(api, evening) == before
    # Volunteers cannot mark anyone.
    assert mark(henk, who=bram).status_code == 403
    assert detail(api, evening) == before

    marked = mark(henk)
    assert marked.status_code == 200
    shown = {m["name"]: m["no_show"] for m in marked.get_json()["team"]}
    assert shown == {"Bram Jansen": False, "Fatima El Amrani": False, "Henk Bakker": True, "Sanne Mulder": False}
    assert member(api, evening, "Henk Bakker")["no_show"] is True
    # Marking again changes nothing.
    assert mark(henk).get_json()["team"] == marked.get_json()["team"]

    # Henk turns up after all: his check-in clears the mark.
    clock.move_to(local(2026, 11, 3, 20, 40))
    assert api.post(f"/patrols/{patrol}/check-in", henk).status_code == 200
    assert member(api, evening, "Henk Bakker")["no_show"] is False


def test_nobody_is_a_no_show_on_a_cancelled_patrol(api, evening):
    clock, patrol, anna = evening["clock"], evening["patrol"], evening["anna"]
    assert api.post(f"/patrols/{patrol}/cancel", anna, json={"reason": "Storm: code oranje"}).status_code == 200
    clock.move_to(local(2026, 11, 3, 20, 30))
    before = detail(api, evening)

    marked = api.post(f"/patrols/{patrol}/no-shows", anna, json={"person_ids": [str(evening["henk"].id)]})
    assert marked.status_code == 409
    assert detail(api, evening) == before


def test_hours_while_still_on_the_street_count_up_to_now_not_the_planned_end(api, evening):
    clock = evening["clock"]
    clock.move_to(local(2026, 11, 3, 19, 55))
    assert api.post(f"/patrols/{evening['patrol']}/check-in", evening["bram"]).status_code == 200
    clock.move_to(local(2026, 11, 3, 20, 55))  # an hour out, the round planned until 22:00

    mine = api.get("/me/patrol-stats?year=2026", evening["bram"]).get_json()

    [november] = [m for m in mine["months"] if m["month"] == 11]
    assert november["hours"] == 1.0
