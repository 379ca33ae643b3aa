"""Local time (Europe/Amsterdam): times are stored in UTC and entered, shown and scheduled locally."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Europe/Amsterdam"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_zone() -> ZoneInfo:
    name = current_app.config["BUURTWACHT"].TIMEZONE if has_app_context() else DEFAULT_ZONE
    return _zone(name)


def exists_locally(wall: dt.datetime) -> bool:
    """False for wall-clock times skipped when the clocks go forward (e.g. 02:30 on the last Sunday of March)."""
    zone = local_zone()
    aware = wall.replace(tzinfo=zone)
    return aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None)


def occurs_twice_locally(wall: dt.datetime) -> bool:
    """True for wall-clock times in the hour that repeats when the clocks go back (02:30 on October's last Sunday)."""
    zone = local_zone()
    naive = wall.replace(tzinfo=None)
    return naive.replace(tzinfo=zone, fold=0).utcoffset() != naive.replace(tzinfo=zone, fold=1).utcoffset()


def wall_to_utc(wall: dt.datetime) -> dt.datetime:
    """A local wall-clock time in UTC; in the repeated autumn hour, the first of the two."""
    return wall.replace(tzinfo=local_zone(), fold=0).astimezone(dt.UTC)


def to_local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(local_zone())


def local_date(moment: dt.datetime) -> dt.date:
    return to_local(moment).date()


def local_midnight_utc(day: dt.date) -> dt.datetime:
    return wall_to_utc(dt.datetime.combine(day, dt.time()))
