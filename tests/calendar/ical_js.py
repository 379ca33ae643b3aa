"""ical.js, the iCalendar parser of Thunderbird and Nextcloud, run on a feed (tests/js/ical_instants.mjs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "js" / "ical_instants.mjs"
ICAL_JS = ROOT / "tests" / "js" / "node_modules" / "ical.js" / "package.json"


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the calendar feed through ical.js (.ci/run installs it)")
    pytest.skip(f"{reason} (make node)")


def read_with_ical_js(ics: bytes) -> dict[str, dict[str, Any]]:
    """Each VEVENT as ical.js reads it, by UID: UTC instants, SEQUENCE, LAST-MODIFIED, STATUS, texts."""
    node = shutil.which("node")
    if node is None:
        _missing("Node.js is not installed")
    if not ICAL_JS.exists():
        _missing("ical.js is not installed under tests/js/node_modules")
    done = subprocess.run(  # noqa: S603 - our own script on our own feed
        [str(node), str(SCRIPT)], input=ics, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return {event["uid"]: event for event in json.loads(done.stdout)}
