"""Where a note happened, as the summaries name it: a street without house numbers, or a map cell.

Computed when a note is written and stored with it, so a month's places are one GROUP BY.
"""

from __future__ import annotations

import re

CELL_DEGREES = 0.0025  # about 250 m north-south, 170 m east-west in Emmen


def street_of(text: str) -> str:
    """'Kapelstraat 12a' and 'kapelstraat' are one place; house numbers never show."""
    words = [w for w in re.split(r"[\s,]+", text.strip()) if w and not re.search(r"\d", w)]
    return " ".join(words).title()


def place_key(street: str | None, lat: float | None, lon: float | None) -> str | None:
    if street and street_of(street):
        return street_of(street)[:120]
    if lat is not None and lon is not None:
        return f"{round(lat / CELL_DEGREES) * CELL_DEGREES:.4f}, {round(lon / CELL_DEGREES) * CELL_DEGREES:.4f}"
    return None
