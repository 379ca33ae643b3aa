"""A VTIMEZONE derived from zoneinfo in the form every common calendar client reads the same way.

ical.js (Thunderbird, Nextcloud) and vobject read only the first value of a comma-separated RDATE, so a
VTIMEZONE that lists every change in one RDATE (what icalendar's add_missing_timezones() writes) put
summer rounds an hour late there. Calendar servers publish one STANDARD and one DAYLIGHT block, each a
yearly RRULE ("the last Sunday of October at 03:00"); this module finds that rule in zoneinfo's own
transitions and uses it only where it reproduces every one of them. Where a zone's changes follow no
such rule, each change gets a block of its own (a single DTSTART, no RDATE list), which every client
also reads right.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FIRST_YEAR = 1970  # how far back the transitions are read; a rule found runs from where it began


@dataclass(frozen=True)
class Transition:
    at: dt.datetime  # the UTC instant of the change
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str  # the abbreviation after the change, e.g. CEST
    daylight: bool  # whether the change is into summer (daylight saving) time

    @property
    def wall(self) -> dt.datetime:
        """The naive local time the change happens at, on the clock before it (RFC 5545's DTSTART)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    def weekday_forms(self) -> frozenset[int]:
        """The BYDAY ordinals that name this day: its week of the month (1-5) and -1 in the month's last week."""
        day = self.wall.day
        forms = {(day - 1) // 7 + 1}
        if day + 7 > month_calendar.monthrange(self.wall.year, self.wall.month)[1]:
            forms.add(-1)
        return frozenset(forms)

    def kind(self) -> tuple[object, ...]:
        """What must stay the same year after year for one yearly rule to describe the change."""
        wall = self.wall
        return (self.offset_from, self.offset_to, self.name, self.daylight, wall.month, wall.weekday(), wall.time())


def _offset(zone: ZoneInfo, moment: dt.datetime) -> tuple[dt.timedelta, dt.timedelta, str]:
    local = moment.astimezone(zone)
    return local.utcoffset() or dt.timedelta(), local.dst() or dt.timedelta(), local.tzname() or ""


@lru_cache(maxsize=16)
def transitions(zone_name: str, until_year: int) -> tuple[Transition, ...]:
    """Every change of the zone's UTC offset or name from 1970 to the end of `until_year`, to the minute."""
    zone = ZoneInfo(zone_name)
    found: list[Transition] = []
    moment = dt.datetime(_FIRST_YEAR, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(until_year + 1, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=1)  # no zone changes twice within a day
    before = _offset(zone, moment)
    while moment < end:
        after = _offset(zone, moment + step)
        if (after[0], after[2]) != (before[0], before[2]):
            # Bisect to the minute: `low` minutes after `moment` still has the old offset, `high` the new one.
            low, high = 0, 24 * 60
            while high - low > 1:
                middle = (low + high) // 2
                seen = _offset(zone, moment + dt.timedelta(minutes=middle))
                low, high = (middle, high) if (seen[0], seen[2]) == (before[0], before[2]) else (low, middle)
            at = moment + dt.timedelta(minutes=high)
            found.append(Transition(at, before[0], after[0], after[2], bool(after[1])))
        before = after
        moment += step
    return tuple(found)


def _yearly_rules(
    changes: tuple[Transition, ...], until_year: int
) -> dict[tuple[object, ...], tuple[Transition, int]] | None:
    """The zone's current two yearly rules, each as (its first change, its BYDAY ordinal), if they fit.

    Read backwards from the last change: the run of alternating changes, one of each kind a year, whose
    day each year is the same weekday ordinal of the same month. None when the last changes form no
    such pair of rules.
    """
    if len(changes) < 2:
        return None
    kinds = {changes[-1].kind(), changes[-2].kind()}
    if len(kinds) != 2:
        return None
    first: dict[tuple[object, ...], Transition] = {}
    forms: dict[tuple[object, ...], frozenset[int]] = {}
    last_years: set[int] = set()
    for index in range(len(changes) - 1, -1, -1):
        change = changes[index]
        kind = change.kind()
        if kind not in kinds:
            break
        if kind in first and first[kind].wall.year != change.wall.year + 1:
            break
        if kind not in first:
            last_years.add(change.wall.year)
        narrowed = forms.get(kind, change.weekday_forms()) & change.weekday_forms()
        if not narrowed:
            break
        first[kind], forms[kind] = change, narrowed
    if len(first) != 2 or last_years != {until_year}:
        return None  # the rules stopped before the last year read: a yearly RRULE would go on wrongly
    return {kind: (change, -1 if -1 in forms[kind] else min(forms[kind])) for kind, change in first.items()}


def _block(change: Transition) -> icalendar.cal.Component:
    block = icalendar.TimezoneDaylight() if change.daylight else icalendar.TimezoneStandard()
    block.add("dtstart", change.wall)
    block.add("tzoffsetfrom", change.offset_from)
    block.add("tzoffsetto", change.offset_to)
    block.add("tzname", change.name)
    return block


def vtimezone(zone_name: str, start: dt.datetime, end: dt.datetime) -> icalendar.Timezone:
    """The zone as a VTIMEZONE that every common client reads right for any moment from `start` to `end`."""
    zone = icalendar.Timezone()
    zone.add("tzid", zone_name)
    zone.add("x-lic-location", zone_name)  # how Thunderbird and libical name an Olson zone
    until_year = end.year + 1
    changes = transitions(zone_name, until_year)
    rules = _yearly_rules(changes, until_year)
    if rules is not None and all(change.at < start for change, _ in rules.values()):
        # The rules hold from before the window to the last change read (a year past its end) and go on after it.
        for change, ordinal in sorted(rules.values(), key=lambda rule: rule[0].at):
            block = _block(change)
            wall = change.wall
            block.add(
                "rrule", {"freq": "yearly", "bymonth": wall.month, "byday": f"{ordinal}{_ICAL_DAYS[wall.weekday()]}"}
            )
            zone.add_component(block)
        return zone
    # No yearly rule covers the window: every change around it, each in a block of its own.
    margin = dt.timedelta(days=366)
    around = [change for change in changes if start - margin <= change.at <= end + margin]
    earlier = [change for change in changes if change.at < start - margin]
    if earlier:
        around.insert(0, earlier[-1])  # the offset in force when the window opens
    if not around:
        # No change at all: one STANDARD block with the zone's single offset.
        offset, _, name = _offset(ZoneInfo(zone_name), start)
        around = [Transition(dt.datetime(_FIRST_YEAR, 1, 1, tzinfo=dt.UTC), offset, offset, name, False)]
    for change in around:
        zone.add_component(_block(change))
    return zone
