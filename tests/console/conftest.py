"""The web console in Debian's Chromium: a server on the test app with the built console, pages at 390 and
1280 px, axe-core on each page and a screenshot of each in build/artefacts/console/.

A console test asks for `console` and drives it like a person: `page = console.open(person, width)`, then
Playwright's role-based locators, `console.check(page, "roster")` on every page it reaches (axe-core:
no serious or critical violation; screenshot), and `console.problems` stays empty (no CSP violation, no
script error)."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import Factory, Someone

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "buurtwacht" / "console" / "web"
ARTEFACTS = ROOT / "build" / "artefacts" / "console"
WIDTHS = (390, 1280)


@pytest.fixture(scope="session")
def console_build() -> Path:
    """The console built from its sources (`make console`, which does nothing when it is current)."""
    make = shutil.which("make")
    if shutil.which("npm") is None or make is None:
        if os.environ.get("CI"):
            pytest.fail("npm is missing: .ci/run installs nodejs and npm")
        pytest.skip("the console needs make, Node.js and npm (apt-get install make nodejs npm)")
    # One build at a time (pytest-xdist's workers, a colleague's run): the Makefile swaps dist/ in whole.
    with open(WEB / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = subprocess.run(  # noqa: S603 - make, on our own Makefile
            [make, "--no-print-directory", "console"], cwd=ROOT, capture_output=True, text=True
        )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    return WEB / "dist"


@pytest.fixture(scope="session")
def browser(chromium: Any) -> Any:
    """The test process's one Chromium (tests/conftest.py)."""
    return chromium


class Console:
    """Opens the console as a person, checks pages with axe-core, keeps screenshots and page problems."""

    def __init__(self, base: str, browser: Any, make: Factory) -> None:
        self.base = base
        self.browser = browser
        self.make = make
        self.problems: list[str] = []
        self.axe_source = (WEB / "node_modules" / "axe-core" / "axe.min.js").read_text()
        self.contexts: list[Any] = []
        self.axe_counts: dict[str, dict[str, int]] = {}

    def new_page(self, width: int = 1280) -> Any:
        mobile = width < 600
        context = self.browser.new_context(
            viewport={"width": width, "height": 844 if mobile else 900},
            device_scale_factor=2 if mobile else 1,
            is_mobile=mobile,
            has_touch=mobile,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
        )
        # No tile server in tests: map tiles fail fast, and nothing else leaves this machine.
        context.route("**/*", self._only_local)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and self._problem(message.text))
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        return page

    def _only_local(self, route: Any) -> None:
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            route.abort()

    def _problem(self, text: str) -> None:
        # A refused request's status is shown on the page itself (a 403 or 404 is the point of some tests);
        # a tile that cannot load is expected offline. Anything else (a CSP violation) is a problem.
        if "the server responded with a status of" in text or "net::ERR_FAILED" in text:
            return
        self.problems.append(text)

    def open(self, person: Someone | None, width: int = 1280, at: str = "/", clock: Any = None) -> Any:
        """The console at `at` (a #route), signed in as `person` through the development sign-in page;
        with `clock` (an aware datetime), the page's own clock starts at that moment."""
        page = self.new_page(width)
        if clock is not None:
            page.clock.install(time=clock)
        page.goto(f"{self.base}/console/#{at}")
        if person is not None:
            self.sign_in(page, person)
        return page

    def sign_in(self, page: Any, person: Someone) -> None:
        page.get_by_role("button", name=f"Aanmelden als {person.name}").click()
        page.get_by_role("button", name=re.compile("^(Afmelden|Sign out)$")).wait_for()  # in their language

    def axe(self, page: Any) -> list[dict[str, Any]]:
        """axe-core's violations of WCAG 2.1 A and AA on the page as it is now."""
        page.evaluate(self.axe_source + "\n;undefined")
        result = page.evaluate(
            "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
        return list(result)

    def check(self, page: Any, name: str) -> None:
        """axe-core on the page (no serious or critical violation) and its screenshot, at the page's width."""
        page.wait_for_load_state("networkidle")
        width = page.viewport_size["width"]
        violations = self.axe(page)
        counts: dict[str, int] = {}
        for violation in violations:
            counts[violation["impact"] or "unknown"] = counts.get(violation["impact"] or "unknown", 0) + 1
        self.axe_counts[f"{name}-{width}"] = counts
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"{name}-{width}.png"), full_page=True)
        (ARTEFACTS / f"{name}-{width}.axe.json").write_text(json.dumps(violations, indent=1))
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, f"axe-core on {name} at {width} px: {json.dumps(serious, indent=1)}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways at {width}"

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def console(dev_server: str, browser: Any, console_build: Path, make: Factory) -> Iterator[Console]:
    driver = Console(dev_server, browser, make)
    try:
        yield driver
        assert not driver.problems, driver.problems
    finally:
        driver.close()
