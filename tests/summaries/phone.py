"""A phone's mail app, stood in for by Debian's Chromium at a phone's width (Playwright for Python, no download)."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

ARTEFACTS = Path(__file__).resolve().parents[2] / "build" / "artefacts"  # git-ignored; CI keeps it


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    """The test process's one Chromium (tests/conftest.py)."""
    return chromium


def as_a_mail_app_shows_it(message: EmailMessage) -> str:
    """The HTML part with its cid: images filled in from the message's related parts, as a mail app does."""
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    page = str(html_part.get_content())
    for part in message.walk():
        cid = part["Content-ID"]
        if cid:
            data = base64.b64encode(part.get_payload(decode=True)).decode()
            page = page.replace(f"cid:{cid.strip('<>')}", f"data:{part.get_content_type()};base64,{data}")
    return page


MEASURE = """(width) => {
  const tables = [...document.querySelectorAll('table')].map(t => {
    const box = t.getBoundingClientRect();
    return {left: box.left, right: box.right, text: t.innerText.slice(0, 60)};
  });
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName + ': ' + (e.innerText || e.getAttribute('alt') || '').slice(0, 40));
  const img = document.querySelector('img');
  const chart = img && {complete: img.complete && img.naturalWidth > 0, right: img.getBoundingClientRect().right};
  return {scrollWidth: document.documentElement.scrollWidth, tables, wide, chart, text: document.body.innerText};
}"""


def lay_out(browser: Any, html: str, width: int, screenshot: str) -> dict[str, Any]:
    """Lay the page out at a phone's width (a real viewport, device scale 2); measure it and keep a screenshot."""
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        page.set_content(html, wait_until="load")
        measured: dict[str, Any] = page.evaluate(MEASURE, width)
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTEFACTS / screenshot
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        measured["screenshot"] = shot
        return measured
    finally:
        context.close()
