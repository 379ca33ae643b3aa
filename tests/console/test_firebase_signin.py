"""The console signs in through Firebase Authentication's web SDK (the bundled one, in Debian's Chromium) against
the Auth emulator: a server in AUTH_MODE=emulator, and a fake of the emulator (tests/fakes/auth_emulator.py; the real
one, firebase-tools, adds 80 s and 310 MB to an install). The SDK's ID tokens then reach /api/v1 as Bearer tokens
and firebase-admin accepts them as the emulator's."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from buurtwacht import create_app, db
from buurtwacht.config import EMULATOR_VARIABLE
from tests.console.conftest import Console
from tests.factories import Factory, Someone
from tests.fakes.auth_emulator import FakeAuthEmulator
from tests.mail.smtpd import free_port

PROJECT = "demo-buurtwacht"  # the emulator's convention: a demo- project reaches no real Firebase service
PASSWORD = "wachtwoord-van-anna"


class EmulatorConsole(Console):
    """The console driver of tests/console/conftest.py, letting the browser reach the Auth emulator too."""

    def __init__(self, base: str, browser: Any, make: Factory, emulator: str) -> None:
        super().__init__(base, browser, make)
        self.emulator = emulator

    def _only_local(self, route: Any) -> None:
        if route.request.url.startswith(self.emulator + "/"):
            route.continue_()
        else:
            super()._only_local(route)

    def sign_in_with_password(self, page: Any, email: str, password: str) -> None:
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Aanmelden").click()


@pytest.fixture
def auth_emulator() -> Iterator[FakeAuthEmulator]:
    emulator = FakeAuthEmulator(PROJECT).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator_app(
    app: Flask, make_settings: Any, auth_emulator: FakeAuthEmulator, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """An app in AUTH_MODE=emulator on the test database (`app` empties it afterwards).

    firebase-admin reads FIREBASE_AUTH_EMULATOR_HOST from the process environment, so it is set there, and only
    for this test: while it is set, the other apps of this process would refuse to start.
    """
    monkeypatch.setenv(EMULATOR_VARIABLE, auth_emulator.host)
    served = create_app(make_settings(AUTH_MODE="emulator", FIREBASE_PROJECT_ID=PROJECT, DEV_SIGN_IN=0))
    yield served
    with served.app_context():
        served.extensions["buurtwacht.identity"].close()
        db.database().dispose()


@pytest.fixture
def console(
    emulator_app: Flask, auth_emulator: FakeAuthEmulator, browser: Any, console_build: Path, make: Factory
) -> Iterator[EmulatorConsole]:
    server = make_server("127.0.0.1", free_port(), emulator_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    driver = EmulatorConsole(f"http://127.0.0.1:{server.port}", browser, make, auth_emulator.url)
    try:
        yield driver
        assert not driver.problems, driver.problems  # no CSP violation, no script error
        assert not auth_emulator.unexpected, auth_emulator.unexpected  # the SDK called nothing the fake lacks
    finally:
        driver.close()
        server.shutdown()
        thread.join(10)


def coordinator_with_an_account(make: Factory, emulator: FakeAuthEmulator) -> Someone:
    anna = make.person("Anna de Vries")
    group = make.group(name="Buurtpreventie Bargeres", coordinator=anna)
    make.member(group, make.person("Bram Jansen"))
    emulator.add_account(anna.uid, anna.email, PASSWORD)
    return anna


def bearer_tokens(page: Any) -> list[str]:
    """The Authorization headers the page sends to /api/v1, as it sends them."""
    sent: list[str] = []

    def seen(request: Any) -> None:
        if "/api/v1/" in request.url and "authorization" in request.headers:
            sent.append(request.headers["authorization"])

    page.on("request", seen)
    return sent


def test_config_points_the_console_at_the_emulator(emulator_app: Flask, auth_emulator: FakeAuthEmulator) -> None:
    client = emulator_app.test_client()
    config = client.get("/console/config.json").json
    assert config is not None
    assert config["auth_mode"] == "emulator"
    assert config["auth_emulator_url"] == auth_emulator.url
    assert config["firebase"] == {
        "apiKey": "fake-api-key",  # the emulator takes any key
        "authDomain": f"{PROJECT}.firebaseapp.com",
        "projectId": PROJECT,
    }
    policy = client.get("/console/").headers["Content-Security-Policy"]
    assert f"connect-src 'self' {auth_emulator.url};" in policy  # the emulator, and no Google host
    assert "googleapis.com" not in policy and "frame-src 'none'" in policy


def test_an_emulator_is_given_the_key_the_server_has(
    app: Flask, make_settings: Any, auth_emulator: FakeAuthEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EMULATOR_VARIABLE, auth_emulator.host)
    key = "AIzaSyA-abcdefghijklmnopqrstuvwxyz012"
    served = create_app(make_settings(AUTH_MODE="emulator", FIREBASE_WEB_API_KEY=key))
    config = served.test_client().get("/console/config.json").json
    assert config is not None
    assert config["firebase"]["apiKey"] == key
    assert config["firebase"]["projectId"] == "buurtwacht-dev"  # emulator mode's project when none is named


@pytest.mark.parametrize(
    ("overrides", "firebase"),
    [
        (
            {"AUTH_MODE": "firebase", "FIREBASE_PROJECT_ID": "buurtwacht-emmen", "FIREBASE_WEB_API_KEY": "A" * 39},
            {"apiKey": "A" * 39, "authDomain": "buurtwacht-emmen.firebaseapp.com", "projectId": "buurtwacht-emmen"},
        ),
        ({"AUTH_MODE": "firebase", "FIREBASE_PROJECT_ID": "buurtwacht-emmen"}, None),  # the page: not set up
        ({"AUTH_MODE": "local", "FIREBASE_WEB_API_KEY": "A" * 39}, None),
    ],
)
def test_no_emulator_outside_emulator_mode(make_settings: Any, overrides: dict[str, Any], firebase: Any) -> None:
    client = create_app(make_settings(**overrides)).test_client()
    config = client.get("/console/config.json").json
    assert config is not None
    assert (config["auth_emulator_url"], config["firebase"]) == (None, firebase)
    assert "http://" not in client.get("/console/").headers["Content-Security-Policy"]


def test_a_coordinator_signs_in_with_email_and_password_and_signs_out(
    console: EmulatorConsole, make: Factory, auth_emulator: FakeAuthEmulator
) -> None:
    anna = coordinator_with_an_account(make, auth_emulator)
    page = console.new_page(1280)
    sent = bearer_tokens(page)
    page.goto(f"{console.base}/console/")
    page.get_by_role("heading", level=1, name="Aanmelden").wait_for()

    unreachable = f"{auth_emulator.url}/**"
    page.route(unreachable, lambda route: route.abort())
    console.sign_in_with_password(page, anna.email, PASSWORD)
    alert = page.get_by_role("alert")
    assert (
        alert.inner_text() == "Aanmelden lukt nu niet: de aanmelddienst is niet bereikbaar. Probeer het later opnieuw."
    )
    page.unroute(unreachable)

    console.sign_in_with_password(page, anna.email, "niet-het-wachtwoord")
    alert.filter(has_text="Aanmelden is mislukt").wait_for()
    assert alert.inner_text() == "Aanmelden is mislukt. Controleer je e-mailadres en wachtwoord."
    console.check(page, "firebase-sign-in-failed")

    console.sign_in_with_password(page, anna.email, PASSWORD)
    page.get_by_role("heading", level=1, name="Welkom, Anna de Vries").wait_for()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Leden").click()
    page.get_by_role("heading", level=1, name="Leden van Buurtpreventie Bargeres").wait_for()
    page.get_by_role("main").get_by_text("Bram Jansen").first.wait_for()
    # Every call to the API carried an ID token the emulator handed the SDK, and the server took it.
    assert sent and {header.removeprefix("Bearer ") for header in sent} <= set(auth_emulator.id_tokens)

    page.reload()  # the SDK keeps the person: still signed in
    page.get_by_role("heading", level=1, name="Leden van Buurtpreventie Bargeres").wait_for()

    page.get_by_role("button", name="Afmelden").click()
    page.get_by_role("heading", level=1, name="Aanmelden").wait_for()
    assert page.get_by_role("alert").count() == 0  # signing out is no expired session
    page.reload()  # sign-out made the SDK forget the person
    page.get_by_role("heading", level=1, name="Aanmelden").wait_for()
    page.get_by_label("E-mailadres").wait_for()


@pytest.mark.parametrize(
    ("refusal", "who_signs_out"),
    [
        ("TOKEN_EXPIRED", "the SDK (Google's answer for a revoked session)"),
        ("INVALID_REFRESH_TOKEN", "the console (the SDK keeps a person whose token it cannot renew)"),
    ],
)
def test_the_session_ends_when_firebase_cannot_renew_the_token(
    console: EmulatorConsole, make: Factory, auth_emulator: FakeAuthEmulator, refusal: str, who_signs_out: str
) -> None:
    anna = coordinator_with_an_account(make, auth_emulator)
    page = console.new_page(1280)
    page.clock.install()
    page.goto(f"{console.base}/console/")
    console.sign_in_with_password(page, anna.email, PASSWORD)
    page.get_by_role("heading", level=1, name="Welkom, Anna de Vries").wait_for()

    auth_emulator.refuse_refresh = refusal
    page.clock.fast_forward("01:00:01")  # the emulator's ID tokens live an hour
    page.get_by_role("heading", level=1, name="Aanmelden").wait_for()
    assert page.get_by_role("alert").inner_text() == "Je sessie is verlopen. Meld je opnieuw aan.", who_signs_out
    assert auth_emulator.calls[-1] == "POST token"  # it asked for a new token, and was refused
    page.reload()
    page.get_by_role("heading", level=1, name="Aanmelden").wait_for()
    page.get_by_label("E-mailadres").wait_for()


def test_a_renewed_token_keeps_the_session(
    console: EmulatorConsole, make: Factory, auth_emulator: FakeAuthEmulator
) -> None:
    anna = coordinator_with_an_account(make, auth_emulator)
    page = console.new_page(1280)
    sent = bearer_tokens(page)
    page.clock.install()
    page.goto(f"{console.base}/console/")
    console.sign_in_with_password(page, anna.email, PASSWORD)
    page.get_by_role("heading", level=1, name="Welkom, Anna de Vries").wait_for()
    first = auth_emulator.id_tokens[-1]

    auth_emulator.clock_offset = 3601  # the emulator's time goes along: the renewed token is for the hour ahead
    page.clock.fast_forward("01:00:01")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Leden").click()
    page.get_by_role("heading", level=1, name="Leden van Buurtpreventie Bargeres").wait_for()
    assert "POST token" in auth_emulator.calls
    assert sent[-1] == f"Bearer {auth_emulator.id_tokens[-1]}" != f"Bearer {first}"  # the renewed token
