"""What forwarding achieved in a month: one computation for the monthly summary and the admin's figures.

Per month (local time): notes forwarded (sent to the municipality), forwards the municipality first answered,
forwards fixed (closed by the municipality, or the author answered "fixed" to "Fixed yet?", whichever came
first), forwards still open at the month's end, and the median days from sending to fixed of those fixed.
Numbers only: no note, no name, no place.
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from buurtwacht import db
from buurtwacht.alerts.audience import descendants
from buurtwacht.errors import NotFound
from buurtwacht.models import Area, Group, Note, NoteForward
from buurtwacht.notes.categories import CATEGORIES

COUNTS = ("forwarded", "answered", "fixed", "fixed_by_author", "still_open")


@dataclass(frozen=True)
class Forwarded:
    """One forward as the figures see it."""

    category: str
    sent_at: dt.datetime
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    author_fixed_at: dt.datetime | None  # when the author answered "fixed"

    @property
    def fixed_at(self) -> dt.datetime | None:
        moments = [m for m in (self.closed_at, self.author_fixed_at) if m is not None]
        return min(moments) if moments else None


def _forwards(group_ids: list[uuid.UUID], start: dt.datetime, end: dt.datetime) -> dict[uuid.UUID, list[Forwarded]]:
    """Forwards that may count in [start, end), per group: sent before its end and not closed before its start."""
    found: dict[uuid.UUID, list[Forwarded]] = defaultdict(list)
    if not group_ids:
        return found
    for group_id, category, sent_at, answered_at, closed_at, fixed, fixed_answered_at in db.session().execute(
        select(
            Note.group_id,
            Note.category,
            NoteForward.sent_at,
            NoteForward.answered_at,
            NoteForward.closed_at,
            NoteForward.fixed_yet_fixed,
            NoteForward.fixed_yet_answered_at,
        )
        .join(Note, Note.id == NoteForward.note_id)
        .where(
            Note.group_id.in_(group_ids),
            NoteForward.sent_at.is_not(None),
            NoteForward.sent_at < end,
            or_(NoteForward.closed_at.is_(None), NoteForward.closed_at >= start),
        )
    ):
        if sent_at is not None:  # the query asks for it; this tells the type checker
            found[group_id].append(
                Forwarded(category, sent_at, answered_at, closed_at, fixed_answered_at if fixed else None)
            )
    return found


def _median_days(forwards: list[Forwarded]) -> float | None:
    days = [(f.fixed_at - f.sent_at).total_seconds() / 86400 for f in forwards if f.fixed_at is not None]
    return round(statistics.median(days), 1) if days else None


def _counts(forwards: list[Forwarded], start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    within = lambda moment: moment is not None and start <= moment < end  # noqa: E731
    fixed = [f for f in forwards if within(f.fixed_at)]
    return {
        "forwarded": sum(within(f.sent_at) for f in forwards),
        "answered": sum(within(f.answered_at) for f in forwards),
        "fixed": len(fixed),
        "fixed_by_author": sum(f.author_fixed_at is not None and f.author_fixed_at == f.fixed_at for f in fixed),
        "still_open": sum(f.fixed_at is None or f.fixed_at >= end for f in forwards),
        "median_days_to_fix": _median_days(fixed),
    }


def tally(forwards: list[Forwarded], start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """The month's figures, in all and per category (categories with any number, most forwarded first)."""
    by_category: dict[str, list[Forwarded]] = defaultdict(list)
    for forward in forwards:
        by_category[forward.category].append(forward)
    rows = []
    for category, of_category in by_category.items():
        counts = _counts(of_category, start, end)
        if any(counts[name] for name in COUNTS):
            label = CATEGORIES[category].label if category in CATEGORIES else {"nl": category, "en": category}
            rows.append({"category": category, "label": label, **counts})
    rows.sort(key=lambda row: (-row["forwarded"], -row["still_open"], row["category"]))
    return {**_counts(forwards, start, end), "by_category": rows}


def of_groups(group_ids: list[uuid.UUID], start: dt.datetime, end: dt.datetime) -> dict[uuid.UUID, dict[str, Any]]:
    """Each group's figures for the month [start, end): the monthly summary's."""
    found = _forwards(group_ids, start, end)
    return {group_id: tally(found.get(group_id, []), start, end) for group_id in group_ids}


def of_area(area_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """The figures of every group in an area and below it, together: the admin's."""
    session = db.session()
    if session.get(Area, area_id) is None:
        raise NotFound("area")
    group_ids = list(session.scalars(select(Group.id).where(Group.area_id.in_(descendants({area_id})))))
    found = _forwards(group_ids, start, end)
    return tally([f for group in found.values() for f in group], start, end)
