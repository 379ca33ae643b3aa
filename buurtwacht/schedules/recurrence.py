"""RFC 5545 recurrence rules in Europe/Amsterdam wall-clock time, checked part by part, expanded by dateutil."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from dateutil.rrule import rrule, rrulestr

from buurtwacht.localtime import wall_to_utc

ALLOWED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# At most about a year between rounds; larger steps only ever make one round, then overflow dateutil's calendar.
MAX_INTERVAL = {"DAILY": 366, "WEEKLY": 52, "MONTHLY": 12}
# How many days one period holds, so how far BYSETPOS can count (the time comes from start_time, not BY*-parts).
PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31}
TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
YEARLY_PARTS = ("BYYEARDAY", "BYWEEKNO")  # RFC 5545 allows these with FREQ=YEARLY only (BYYEARDAY not with D/W/M)
PARTS = ("FREQ", "INTERVAL", "COUNT", "WKST", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS")
# dateutil searches for an occurrence until the year 9999: seconds for a rule that matches nothing.
GREGORIAN_CYCLE_YEARS = 400  # weekdays, month lengths and leap years repeat exactly every 400 years
FIRST_ROUND_WITHIN = dt.timedelta(days=366)
MAX_COUNT = 999_999_999

_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")
_WEEKDAY = re.compile(r"(?P<n>[+-]?[0-9]{1,2})?(?P<day>[A-Z]{2})")


class BadRule(ValueError):
    pass


def _integers(name: str, value: str, low: int, high: int, signed: bool = False) -> list[int]:
    """A comma-separated list of whole numbers from low to high (and -high to -low when signed)."""
    span = f"{low} to {high}" + (f" or -{high} to -{low}" if signed else "")
    numbers = []
    for item in value.split(","):
        if not _INTEGER.fullmatch(item):
            raise BadRule(f"{name} takes whole numbers from {span}")
        number = int(item)
        if not (low <= number <= high or (signed and -high <= number <= -low)):
            raise BadRule(f"{name} takes whole numbers from {span}; {item} is out of range")
        numbers.append(number)
    return numbers


def _integer(name: str, value: str, low: int, high: int) -> None:
    if "," in value or not _INTEGER.fullmatch(value) or not low <= int(value) <= high:
        raise BadRule(f"{name} takes one whole number from {low} to {high}")


def _check_byday(value: str, freq: str) -> None:
    plain = numbered = False
    for item in value.split(","):
        match = _WEEKDAY.fullmatch(item)
        if match is None or match["day"] not in WEEKDAYS:
            raise BadRule("BYDAY takes weekdays MO, TU, WE, TH, FR, SA, SU, e.g. BYDAY=TU,FR")
        if match["n"] is None:
            plain = True
            continue
        numbered = True
        if freq != "MONTHLY":
            raise BadRule("a numbered weekday (e.g. 1MO, -1FR) needs FREQ=MONTHLY")
        if not (1 <= abs(int(match["n"])) <= 5):
            raise BadRule("a month has at most five of each weekday: number them 1 to 5 or -1 to -5")
    if plain and numbered:
        # dateutil would make only days that are both, e.g. Mondays that are the first Tuesday: none.
        raise BadRule("give either weekdays (MO) or numbered weekdays (1MO) in BYDAY, not both")


def _parts(upper: str) -> dict[str, str]:
    """The rule's parts, each checked against RFC 5545 for the frequencies schedules allow."""
    if "DTSTART" in upper:
        raise BadRule("leave DTSTART and UNTIL out: use starts_on and ends_on")
    parts: dict[str, str] = {}
    for part in upper.split(";"):
        if not part:
            continue  # a trailing or doubled ";"
        name, equals, value = part.partition("=")
        if not equals or not value:
            raise BadRule(f"not a valid RRULE: {part!r} is not NAME=VALUE")
        if name in parts:
            raise BadRule(f"{name} is given twice")
        parts[name] = value
    if "UNTIL" in parts:
        raise BadRule("leave DTSTART and UNTIL out: use starts_on and ends_on")
    freq = parts.get("FREQ")
    if freq not in ALLOWED_FREQUENCIES:
        raise BadRule("FREQ must be DAILY, WEEKLY or MONTHLY")
    if any(name in parts for name in TIME_PARTS):
        raise BadRule("set the time with start_time, not BYHOUR/BYMINUTE/BYSECOND")
    if any(name in parts for name in YEARLY_PARTS):
        raise BadRule("BYYEARDAY and BYWEEKNO belong to yearly rules; use BYMONTH, BYMONTHDAY or BYDAY")
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise BadRule(f"unknown part {unknown[0]}; a rule takes {', '.join(PARTS)}")
    if "INTERVAL" in parts:
        _integer("INTERVAL", parts["INTERVAL"], 1, MAX_INTERVAL[freq])
    if "COUNT" in parts:
        _integer("COUNT", parts["COUNT"], 1, MAX_COUNT)
    if "WKST" in parts and parts["WKST"] not in WEEKDAYS:
        raise BadRule("WKST takes one weekday: MO, TU, WE, TH, FR, SA or SU")
    if "BYMONTH" in parts:
        _integers("BYMONTH", parts["BYMONTH"], 1, 12)
    if "BYMONTHDAY" in parts:
        if freq == "WEEKLY":
            raise BadRule("BYMONTHDAY does not go with FREQ=WEEKLY; use BYDAY, or FREQ=MONTHLY")
        _integers("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31, signed=True)
    if "BYDAY" in parts:
        _check_byday(parts["BYDAY"], freq)
    if "BYSETPOS" in parts:
        if not any(name in parts for name in ("BYDAY", "BYMONTHDAY", "BYMONTH")):
            raise BadRule("BYSETPOS picks from the days BYDAY, BYMONTHDAY or BYMONTH give: add one")
        _integers("BYSETPOS", parts["BYSETPOS"], 1, PERIOD_DAYS[freq], signed=True)
    return parts


def _makes_a_round_soon(rule: rrule, start: dt.datetime) -> bool:
    """Whether the rule's first occurrence is at most a year after its start.

    Asked directly, dateutil searches to the year 9999 when there is none. The same rule started a whole
    number of 400-year cycles later, close to 9999, has the same occurrences and ends its search soon.
    """
    cycles = (dt.MAXYEAR - 1 - start.year) // GREGORIAN_CYCLE_YEARS
    probe_start = start.replace(year=start.year + cycles * GREGORIAN_CYCLE_YEARS)
    first = rule.replace(dtstart=probe_start).after(probe_start, inc=True)
    return first is not None and first - probe_start <= FIRST_ROUND_WITHIN


def parse(text: str, starts_on: dt.date, start_time: dt.time) -> rrule:
    """The rule anchored at the first day's local start; refuses what would make patrols unbounded or odd."""
    upper = text.strip().upper()
    if upper.startswith("RRULE:"):
        upper = upper[len("RRULE:") :]
    canonical = ";".join(f"{name}={value}" for name, value in _parts(upper).items())
    start = dt.datetime.combine(starts_on, start_time)
    try:
        rule = rrulestr(canonical, dtstart=start)
    except (ValueError, TypeError) as exc:
        raise BadRule(f"not a valid RRULE: {exc}") from exc
    if not isinstance(rule, rrule):
        raise BadRule("give one RRULE")
    if not _makes_a_round_soon(rule, start):
        raise BadRule("this rule makes no patrol within a year of starts_on")
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
