"""RFC 5545 recurrence rules in Europe/Amsterdam wall-clock time, expanded with python-dateutil."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dateutil.rrule import rrule, rrulestr

from buurtwacht.localtime import wall_to_utc

ALLOWED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY")


class BadRule(ValueError):
    pass


def parse(text: str, starts_on: dt.date, start_time: dt.time) -> rrule:
    """The rule anchored at the first day's local start; refuses what would make patrols unbounded or odd."""
    upper = text.strip().upper()
    if upper.startswith("RRULE:"):
        upper = upper[len("RRULE:") :]
    parts = dict(part.split("=", 1) for part in upper.split(";") if "=" in part)
    if "DTSTART" in upper or "UNTIL" in parts:
        raise BadRule("leave DTSTART and UNTIL out: use starts_on and ends_on")
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise BadRule("FREQ must be DAILY, WEEKLY or MONTHLY")
    if any(key in parts for key in ("BYHOUR", "BYMINUTE", "BYSECOND")):
        raise BadRule("set the time with start_time, not BYHOUR/BYMINUTE/BYSECOND")
    try:
        rule = rrulestr(upper, dtstart=dt.datetime.combine(starts_on, start_time))
    except (ValueError, TypeError) as exc:
        raise BadRule(f"not a valid RRULE: {exc}") from exc
    if not isinstance(rule, rrule):
        raise BadRule("give one RRULE")
    return rule


def occurrences(
    rule: rrule, start_time: dt.time, duration: dt.timedelta, first: dt.date, last: dt.date
) -> Iterator[tuple[dt.date, dt.datetime, dt.datetime]]:
    """(local date, start in UTC, end in UTC) for each occurrence from `first` to `last`, local days.

    Start and end are wall-clock times in Europe/Amsterdam, so a 20:00-22:00 patrol stays at
    20:00 local time on both sides of a DST change.
    """
    lo = dt.datetime.combine(first, dt.time.min)
    hi = dt.datetime.combine(last, dt.time.max)
    for wall in rule.between(lo, hi, inc=True):
        wall = dt.datetime.combine(wall.date(), start_time)
        yield wall.date(), wall_to_utc(wall), wall_to_utc(wall + duration)
