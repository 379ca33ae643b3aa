"""CSV as a spreadsheet opens it with a double click: the one writer for every CSV the project hands out.

A Dutch Excel splits a .csv on its list separator, `;`, and reads UTF-8 only after a byte order mark;
a comma-separated file lands in one column. So every CSV here is `;`-separated UTF-8 with a BOM and
CRLF line ends, in the reader's language: its headers, decimal commas in Dutch (Babel), yes/no as
words, and moments in local time as `2026-11-01 00:15`, which Excel and LibreOffice read as a date
in any language. A text cell that a spreadsheet would run as a formula is prefixed with `'`.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
from collections.abc import Iterable, Sequence

from babel.numbers import format_decimal

from buurtwacht.localtime import to_local
from buurtwacht.messages import DEFAULT_LOCALE, text

CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
DELIMITER = ";"

Cell = str | int | float | decimal.Decimal | bool | dt.datetime | dt.date | None

# A cell starting with one of these runs as a formula (or a DDE call) in Excel and LibreOffice: OWASP's list.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: str) -> str:
    """A text cell that a spreadsheet shows as text, never runs: `'=1+2` rather than 3."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def cell(value: Cell, locale: str | None) -> str:
    """One value as the reader's spreadsheet should read it."""
    loc = locale if locale in ("nl", "en") else DEFAULT_LOCALE
    if value is None:
        return ""
    if isinstance(value, bool):
        return text("spreadsheet.yes" if value else "spreadsheet.no", loc)
    if isinstance(value, int):
        return str(value)  # a number, never guarded: -3 is minus three
    if isinstance(value, float | decimal.Decimal):
        # Every decimal kept (a coordinate's sixth place matters), no thousands separator to misread.
        return format_decimal(value, locale=loc, group_separator=False, decimal_quantization=False)
    if isinstance(value, dt.datetime):
        return f"{to_local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return as_text(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], locale: str | None) -> bytes:
    """The whole file: BOM, `;`, CRLF, quoted where a cell holds `;`, a quote or a line break."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([as_text(h) for h in header])
    for row in rows:
        writer.writerow([cell(value, locale) for value in row])
    return out.getvalue().encode("utf-8")
