"""A spreadsheet opens a CSV: LibreOffice Calc, headless, reading it the way a double click in Excel does.

Excel opens a .csv by double click with its region's list separator (`;` in the Netherlands), reads
numbers and dates in its region's way (24,9; 2026-11-01 00:15 is a date), and runs a cell starting
with `=` as a formula. LibreOffice is told the same (separator `;`, the reader's language, "detect
special numbers", formulas evaluated) and converts the file to ODS, whose cells we read back with
their types: what lands in which column, as a number, a date or text.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

LANGUAGES = {"nl": 1043, "en": 2057}  # Windows language ids: Dutch (Netherlands), English (United Kingdom)
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


@dataclasses.dataclass(frozen=True)
class Cell:
    type: str  # string, float, date (ODF value types); "" for an empty cell
    value: str  # a number as 24.9, a date as 2026-11-01T00:15:00, a text as shown
    formula: str | None = None


def soffice_or_skip() -> str:
    """soffice's path; outside CI a machine without it skips, in CI (CI=true) its absence fails."""
    path = shutil.which("soffice")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is needed and missing (apt-get install libreoffice-calc)")
        pytest.skip("LibreOffice Calc is not installed (apt-get install libreoffice-calc)")
    return path


def open_in_calc(data: bytes, tmp_path: Path, locale: str = "nl") -> list[list[Cell]]:
    """The sheet a reader sees after opening this CSV: rows of cells, trailing empty cells dropped."""
    soffice = soffice_or_skip()
    source = tmp_path / "export.csv"
    source.write_bytes(data)
    # Separator ;, text in ", UTF-8, from line 1, standard column types, the reader's language,
    # quoted fields not forced to text, special numbers (dates) detected; formulas are evaluated.
    options = f"59,34,76,1,,{LANGUAGES[locale]},false,true"
    profile = tmp_path / "libreoffice-profile"  # its own profile: never shares a lock with another run
    subprocess.run(  # noqa: S603 - LibreOffice on a file this test wrote
        [
            soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            f"--infilter=Text - txt - csv (StarCalc):{options}", "--convert-to", "ods",
            "--outdir", str(tmp_path), str(source),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with zipfile.ZipFile(tmp_path / "export.ods") as ods:
        content = etree.fromstring(ods.read("content.xml"))
    rows = []
    for row in content.iterfind(".//table:table-row", NS):
        cells = []
        for element in row.iterfind("table:table-cell", NS):
            repeat = int(element.get(f"{{{NS['table']}}}number-columns-repeated", "1"))
            kind = element.get(f"{{{NS['office']}}}value-type", "")
            shown = "\n".join("".join(p.itertext()) for p in element.iterfind("text:p", NS))
            value = {
                "float": element.get(f"{{{NS['office']}}}value"),
                "date": element.get(f"{{{NS['office']}}}date-value"),
            }.get(kind, shown)
            cells += [Cell(kind, value or "", element.get(f"{{{NS['table']}}}formula"))] * min(repeat, 64)
        while cells and cells[-1] == Cell("", ""):
            cells.pop()
        if cells:
            rows.append(cells)
    return rows
