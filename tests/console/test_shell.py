"""The console's foundation: served at /console with a strict CSP, the development sign-in (AUTH_MODE=local
only), the shell with navigation by role, the language switch, sign-out and the end of a session."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from buurtwacht import create_app
from buurtwacht.console import routes as console_routes
from buurtwacht.models import MembershipRole, MembershipStatus
from tests.console.conftest import Console
from tests.factories import Factory


def test_without_a_build_the_console_says_how_to_make_one(client: FlaskClient, monkeypatch, tmp_path: Path):
    monkeypatch.setattr(console_routes, "DIST", tmp_path / "missing")
    answer = client.get("/console/")
    assert answer.status_code == 503
    assert "make console" in answer.get_data(as_text=True)
    assert client.get("/api/v1/dev/people").status_code == 200  # the API works without it


def test_the_page_and_its_assets(client: FlaskClient, console_build: Path):
    page = client.get("/console/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.headers["Cache-Control"] == "no-cache"
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "connect-src 'self';" in policy  # local mode: no Firebase host
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org;" in policy
    html = page.get_data(as_text=True)
    assert "<script>" not in html  # no inline script
    scripts = re.findall(r'src="(/console/assets/[^"]+\.js)"', html)
    assert scripts
    asset = client.get(scripts[0])
    assert asset.status_code == 200
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/console/assets/nothing-here.js").status_code == 404
    assert client.get("/console/anything/else").status_code == 200  # the app routes by #fragment


def test_the_settings_the_console_starts_with(make_settings):
    app = create_app(
        make_settings(
            AUTH_MODE="firebase",
            FIREBASE_PROJECT_ID="buurtwacht-emmen",
            FIREBASE_WEB_API_KEY="AIzaSyA-abcdefghijklmnopqrstuvwxyz012",
            CONSOLE_TILE_URL="https://tiles.example.nl/{z}/{x}/{y}.png",
        )
    )
    client = app.test_client()
    config = client.get("/console/config.json").json
    assert config["auth_mode"] == "firebase"
    assert config["firebase"] == {
        "apiKey": "AIzaSyA-abcdefghijklmnopqrstuvwxyz012",
        "authDomain": "buurtwacht-emmen.firebaseapp.com",
        "projectId": "buurtwacht-emmen",
    }
    policy = client.get("/console/").headers["Content-Security-Policy"]
    assert "https://identitytoolkit.googleapis.com" in policy and "https://securetoken.googleapis.com" in policy
    assert "frame-src https://buurtwacht-emmen.firebaseapp.com" in policy
    assert "img-src 'self' data: blob: https://tiles.example.nl;" in policy
    # The development sign-in does not exist outside AUTH_MODE=local.
    assert client.get("/api/v1/dev/people").status_code == 404
    assert client.post("/api/v1/dev/token", json={"person_id": str(dt.datetime.now())}).status_code in (404, 422)


@pytest.mark.parametrize(
    "overrides",
    [
        {"AUTH_MODE": "firebase", "FIREBASE_PROJECT_ID": "p"},
        {"DEV_SIGN_IN": 0},  # local mode, but not asked for: a server whose ENV was forgotten hands out nothing
    ],
)
def test_no_development_sign_in_outside_local_mode(make_settings, make: Factory, overrides):
    anna = make.person("Anna de Vries")
    client = create_app(make_settings(**overrides)).test_client()
    assert client.get("/console/config.json").json["dev_sign_in"] is False  # the page says so, lists nobody
    assert client.get("/api/v1/dev/people").status_code == 404
    assert client.post("/api/v1/dev/token", json={"person_id": str(anna.id)}).status_code == 404


def test_no_development_sign_in_in_production(make_settings, make: Factory, database_url: str):
    anna = make.person("Anna de Vries")
    app: Flask = create_app(
        make_settings(
            ENV="production",
            AUTH_MODE="firebase",
            FIREBASE_PROJECT_ID="p",
            DATABASE_URL=database_url,
            PUBLIC_BASE_URL="https://buurtwacht.emmen.nl",
            FCM_ENDPOINT="",
        )
    )
    client = app.test_client()
    assert client.get("/api/v1/dev/people").status_code == 404
    assert client.post("/api/v1/dev/token", json={"person_id": str(anna.id)}).status_code == 404


def test_the_development_sign_in_lists_people_and_signs_in_as_one(client: FlaskClient, make: Factory):
    anna = make.person("Anna de Vries")
    bram = make.person("Bram Jansen")
    group = make.group(coordinator=anna)
    make.member(group, bram)
    make.officer(bram, "bargeres")
    people = client.get("/api/v1/dev/people").json
    assert [(p["display_name"], p["roles"]) for p in people] == [
        ("Anna de Vries", ["coordinator"]),
        ("Bram Jansen", ["officer", "volunteer"]),
    ]
    answer = client.post("/api/v1/dev/token", json={"person_id": str(anna.id), "lifetime_minutes": 5})
    assert answer.status_code == 200
    expires = dt.datetime.fromisoformat(answer.json["expires_at"])
    assert dt.timedelta(minutes=4) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=5)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {answer.json['id_token']}"})
    assert me.json["person"]["display_name"] == "Anna de Vries"
    assert client.post("/api/v1/dev/token", json={"person_id": str(group.id)}).status_code == 404


def test_a_coordinator_signs_in_switches_language_and_signs_out(console: Console, make: Factory):
    anna = make.person("Anna de Vries")
    group = make.group(name="Buurtpreventie Bargeres", coordinator=anna)
    page = console.open(None, 1280)
    console.check(page, "sign-in")
    console.sign_in(page, anna)
    page.get_by_role("heading", level=1, name="Welkom, Anna de Vries").wait_for()
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Rooster").get_attribute("href") == f"#/groups/{group.id}/roster"
    console.check(page, "home")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("heading", level=1, name="Welcome, Anna de Vries").wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", level=1, name="Sign in").wait_for()
    page.reload()  # sign-out forgot the token
    page.get_by_role("heading", level=1, name="Sign in").wait_for()


def test_the_session_ends_with_its_token(console: Console, make: Factory):
    anna = make.person("Anna de Vries")
    make.group(coordinator=anna)
    page = console.new_page(390)
    page.clock.install()
    page.goto(f"{console.base}/console/")
    console.sign_in(page, anna)
    page.clock.fast_forward("01:01:00")  # the development token lives an hour
    page.get_by_role("heading", level=1, name="Aanmelden").wait_for()
    assert page.get_by_role("alert").inner_text() == "Je sessie is verlopen. Meld je opnieuw aan."


def test_a_volunteer_sees_no_coordinator_pages(console: Console, make: Factory):
    anna = make.person("Anna de Vries")
    bram = make.person("Bram Jansen")
    group = make.group(coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER, MembershipStatus.ACTIVE)
    page = console.open(bram, 390)
    page.get_by_role("heading", level=1, name="Welkom, Bram Jansen").wait_for()
    assert page.get_by_role("navigation").count() == 0
    assert "de console is voor coördinatoren" in page.get_by_role("main").inner_text()
    console.check(page, "volunteer-home")


def test_the_skip_link_and_the_menu_work_by_keyboard(console: Console, make: Factory):
    anna = make.person("Anna de Vries", locale="en")
    make.group(name="Buurtpreventie Bargeres", coordinator=anna)
    page = console.open(anna, 1280)
    page.get_by_role("heading", level=1, name="Welcome, Anna de Vries").wait_for()  # her locale: English
    page.reload()  # a new visit, still signed in: focus starts at the top
    page.get_by_role("heading", level=1, name="Welcome, Anna de Vries").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Through the menu to the roster, by keyboard only.
    roster = page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Roster")
    roster.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Roster of Buurtpreventie Bargeres").wait_for()
    assert page.evaluate("document.activeElement.tagName") == "H1"  # focus moves to the new page's title


def test_sign_in_and_home_on_a_phone(console: Console, make: Factory):
    anna = make.person("Anna de Vries")
    make.group(name="Buurtpreventie Bargeres", coordinator=anna)
    page = console.open(None, 390)
    page.get_by_role("button", name="Aanmelden als Anna de Vries").wait_for()
    console.check(page, "sign-in")
    console.sign_in(page, anna)
    page.get_by_role("heading", level=1, name="Welkom, Anna de Vries").wait_for()
    console.check(page, "home")
