"""/docs on a phone: Swagger UI with a viewport and a favicon, all from this server, laid out at 390 px."""

from __future__ import annotations

import re


def test_the_docs_page_has_a_viewport_and_a_favicon(client):
    page = client.get("/docs").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    icons = re.findall(r'<link rel="icon" type="image/png" sizes="\d+x\d+" href="([^"]+)">', page)
    assert icons == ["/docs/assets/favicon-32x32.png", "/docs/assets/favicon-16x16.png"]
    for icon in icons:
        served = client.get(icon)
        assert (served.status_code, served.mimetype) == (200, "image/png")


def test_the_docs_page_fits_a_phone_in_chromium(dev_server, chromium, tmp_path):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(60000)  # Swagger UI draws a large document: slow on a busy CI machine
        page.goto(f"{dev_server}/docs", wait_until="networkidle")
        page.wait_for_selector(".opblock")  # the operations, drawn from /openapi.json
        page.screenshot(path=str(tmp_path / "docs-390.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator(".opblock").count() > 50
    finally:
        context.close()
