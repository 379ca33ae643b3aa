"""Two groups' year of notes and rounds, counted by hand: the maandoverzicht shows exactly those numbers.

Bargeres and Rietlanden (both in Emmen Zuid) wrote a few hundred notes between October 2025 and
November 2026: on streets written in different ways, in map cells, some with no place at all, some in
the first or last minute of a month, one place noted under several categories and follow-ups. Their
rounds were walked, cancelled or not checked in to. The wijkagent reads October, September and
November 2026 for her whole gebied; every number must be the one counted here from what was entered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest

from buurtwacht.localtime import local_midnight_utc, to_local
from buurtwacht.models import MembershipRole
from buurtwacht.notes.places import place_key
from tests.scheduler.walk import local

CATEGORIES = ["traffic_safety", "youth_nuisance", "burglary_suspicious", "clean_whole_safe", "drugs"]
STATUSES = ["open", "reported", "resolved", "no_action"]
STREETS = ["Kapelstraat 3", "kapelstraat", "Kapelstraat 12a", "Dordsestraat 7", "Houtweg", "Ericaweg 1", None]
CELLS = [(52.7700, 6.8800), (52.7703, 6.8803), (52.7800, 6.8900), (52.7650, 6.9000)]
MONTHS = ["2025-09", "2025-10", "2025-11", "2026-08", "2026-09", "2026-10", "2026-11"]


def _moment(rnd: random.Random, month: str) -> dt.datetime:
    year, number = (int(part) for part in month.split("-"))
    first = local_midnight_utc(dt.date(year, number, 1))
    following = local_midnight_utc(dt.date(year + number // 12, number % 12 + 1, 1))
    edge = rnd.random()
    if edge < 0.08:
        return first  # the month's first moment
    if edge < 0.16:
        return following - dt.timedelta(minutes=1)  # its last minute
    return first + dt.timedelta(minutes=rnd.randrange(int((following - first).total_seconds() // 60)))


@pytest.fixture
def a_year_in_emmen_zuid(make) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    rnd = random.Random(18)
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    walkers = [make.person(name) for name in ("Anna de Vries", "Bram Jansen", "Henk Bakker")]
    groups = [make.group("bargeres", "Buurtpreventie Bargeres"), make.group("rietlanden", "Buurtpreventie Rietlanden")]
    notes: list[tuple[object, dt.datetime, str, str, str | None]] = []  # group, when, category, status, place
    rounds: list[tuple[object, dt.datetime, str, dict[Any, Any]]] = []  # group, start, status, check-ins
    for group in groups:
        for walker in walkers:
            make.member(group, walker, MembershipRole.VOLUNTEER)
        for _ in range(rnd.randrange(110, 150)):
            when, category, status = _moment(rnd, rnd.choice(MONTHS)), rnd.choice(CATEGORIES), rnd.choice(STATUSES)
            street, cell = rnd.choice(STREETS), rnd.choice([None, *CELLS])
            lat, lon = cell if street is None and cell else (None, None)
            make.past_note(group, None, category, when, street=street, lat=lat, lon=lon, status=status)
            notes.append((group.id, when, category, status, place_key(street, lat, lon)))
        for _ in range(rnd.randrange(5, 9)):
            start = local(2026, rnd.choice([9, 10, 11]), rnd.randrange(1, 28), 20, 0)
            status = rnd.choice(["completed", "completed", "cancelled", "planned"])
            team = rnd.sample(walkers, rnd.randrange(0, 4))
            check_ins = {
                person.id: (
                    start + dt.timedelta(minutes=rnd.randrange(-10, 30)),
                    rnd.choice([None, start + dt.timedelta(minutes=rnd.randrange(20, 150))]),
                )
                for person in team
                if status == "completed" and rnd.random() < 0.8
            }
            make.patrol_with_team(
                group, start, start + dt.timedelta(hours=2), status=status, team=team, check_ins=check_ins
            )
            rounds.append((group.id, start, status, check_ins))
    return SimpleNamespace(sanne=sanne, groups=groups, notes=notes, rounds=rounds)


def _month_of(moment: dt.datetime) -> str:
    return to_local(moment).strftime("%Y-%m")


def _shift(month: str, by: int) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def counted_by_hand(story: SimpleNamespace, group_id: object, month: str) -> dict[str, Any]:
    def categories(of_month: str) -> Counter[str]:
        return Counter(c for g, when, c, _, _ in story.notes if g == group_id and _month_of(when) == of_month)

    this, previous, last_year = categories(month), categories(_shift(month, -1)), categories(_shift(month, -12))
    ours = [note for note in story.notes if note[0] == group_id and _month_of(note[1]) == month]
    per_place = Counter(place for *_, place in ours if place is not None)
    rounds = [r for r in story.rounds if r[0] == group_id and _month_of(r[1]) == month]
    seconds = sum(
        max(0.0, ((out or start + dt.timedelta(hours=2)) - checked_in).total_seconds())
        for _, start, _, check_ins in rounds
        for checked_in, out in check_ins.values()
    )
    return {
        "total": sum(this.values()),
        "previous_month_total": sum(previous.values()),
        "same_month_last_year_total": sum(last_year.values()),
        "by_category": [
            (c, this[c], previous[c], last_year[c])
            for c in sorted(set(this) | set(previous) | set(last_year), key=lambda c: (-this[c], c))
        ],
        "follow_up": {s: sum(1 for note in ours if note[3] == s) for s in STATUSES},
        "places": [
            (place, n) for place, n in sorted(per_place.items(), key=lambda item: (-item[1], item[0])) if n >= 3
        ],
        "elsewhere": sum(n for n in per_place.values() if n < 3),
        "patrols": {
            "planned": len(rounds),
            "walked": sum(1 for r in rounds if r[3]),
            "cancelled": sum(1 for r in rounds if r[2] == "cancelled"),
            "hours": round(seconds / 3600, 1),
            "active_volunteers": len({person for r in rounds for person in r[3]}),
        },
    }


def as_shown(summary: dict[str, Any]) -> dict[str, Any]:
    notes = summary["notes"]
    return {
        "total": notes["total"],
        "previous_month_total": notes["previous_month_total"],
        "same_month_last_year_total": notes["same_month_last_year_total"],
        "by_category": [
            (row["category"], row["count"], row["previous_month"], row["same_month_last_year"])
            for row in notes["by_category"]
        ],
        "follow_up": summary["follow_up"],
        "places": [(row["place"], row["count"]) for row in summary["where"]["places"]],
        "elsewhere": summary["where"]["elsewhere"],
        "patrols": summary["patrols"],
    }


@pytest.mark.parametrize("month", ["2026-09", "2026-10", "2026-11"])
def test_every_number_of_the_gebied_s_summaries_is_the_count_of_what_was_entered(
    client: Any, make: Any, a_year_in_emmen_zuid: SimpleNamespace, month: str
) -> None:
    story = a_year_in_emmen_zuid

    response = client.get(
        f"/api/v1/areas/{make.area_id('emmen-zuid')}/summaries/{month}", headers=make.headers(story.sanne)
    )

    assert response.status_code == 200, response.get_json()
    summaries = response.get_json()
    assert [s["group"]["id"] for s in summaries] == [str(g.id) for g in story.groups]
    for summary, group in zip(summaries, story.groups, strict=True):
        expected = counted_by_hand(story, group.id, month)
        assert as_shown(summary) == expected, group.id
        assert expected["total"] > 0 and expected["places"] and expected["patrols"]["planned"]  # a story worth telling
