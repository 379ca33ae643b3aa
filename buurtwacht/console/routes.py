"""Serves the built web console at /console: its page, its hashed assets and the settings it starts with.

The console reads and changes data only through /api/v1 with the signed-in person's ID token, so it has no
access rule of its own. Its page runs no inline script; the Content-Security-Policy lets it reach this
server, Google's sign-in hosts in `firebase` mode or the Firebase Auth emulator in `emulator` mode, and the
configured map tiles.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, jsonify, send_from_directory

from buurtwacht.config import EMULATOR_VARIABLE, Settings

DIST = Path(__file__).resolve().parent / "web" / "dist"
YEAR = 365 * 24 * 3600
# Google's hosts that Firebase Authentication's web SDK calls (sign-in, token refresh, account lookup).
FIREBASE_HOSTS = ("https://identitytoolkit.googleapis.com", "https://securetoken.googleapis.com")
# The Firebase Auth emulator takes any API key; the web SDK only needs one to be there.
EMULATOR_API_KEY = "fake-api-key"

blp = Blueprint("console", __name__, url_prefix="/console")

NOT_BUILT = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Buurtwacht console</title></head><body><main>
<h1>De console is nog niet gebouwd</h1>
<p>Voer <code>make console</code> uit (dat heeft Node.js 20 en npm nodig) en laad deze pagina opnieuw.
De API werkt ook zonder console.</p>
<h2 lang="en">The console has not been built</h2>
<p lang="en">Run <code>make console</code> (it needs Node.js 20 and npm) and reload this page.
The API works without it.</p>
</main></body></html>
"""


def _tile_origin(settings: Settings) -> str:
    if not settings.CONSOLE_TILE_URL:
        return ""
    parts = urlsplit(settings.CONSOLE_TILE_URL.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


def auth_emulator_url(settings: Settings) -> str | None:
    """The Firebase Auth emulator's URL in `emulator` mode, else None.

    Read from the process environment, where firebase-admin reads it too when it verifies the emulator's tokens.
    """
    if settings.AUTH_MODE != "emulator":
        return None
    host = os.environ.get(EMULATOR_VARIABLE, "")
    return f"http://{host}" if host else None


def content_security_policy(settings: Settings) -> str:
    """No inline script or style; connections to this server, Firebase's hosts or its emulator, the tiles."""
    connect = ["'self'"]
    frames = "'none'"
    emulator = auth_emulator_url(settings)
    if settings.AUTH_MODE == "firebase":
        connect += [*FIREBASE_HOSTS, f"https://{settings.firebase_auth_domain}"]
        frames = f"https://{settings.firebase_auth_domain}"
    elif emulator:
        connect.append(emulator)
    images = " ".join(filter(None, ["'self'", "data:", "blob:", _tile_origin(settings)]))
    return (
        f"default-src 'none'; script-src 'self'; style-src 'self'; img-src {images}; font-src 'self'; "
        f"connect-src {' '.join(connect)}; frame-src {frames}; manifest-src 'self'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


@blp.after_request
def _console_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy(current_app.config["BUURTWACHT"])
    # Tile servers (OpenStreetMap's usage policy) want to know which site asks; the origin is enough.
    response.headers["Referrer-Policy"] = "strict-origin"
    return response


def _page() -> Response:
    index = DIST / "index.html"
    if not index.is_file():
        response = Response(NOT_BUILT, status=503, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response
    response = send_from_directory(DIST, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"  # a new build's hashed assets are found at once
    return response


@blp.get("")
@blp.get("/")
def page() -> Response:
    return _page()


@blp.get("/assets/<path:filename>")
def asset(filename: str) -> Response:
    response = send_from_directory(DIST / "assets", filename, max_age=YEAR)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"  # names carry their content's hash
    return response


@blp.get("/config.json")
def config() -> Response:
    """What the console needs before sign-in: how to sign in, and where the map tiles come from.

    In `emulator` mode the Firebase options name the emulator's project with a placeholder API key (the emulator
    takes any), and `auth_emulator_url` tells the web SDK where the emulator is.
    """
    settings: Settings = current_app.config["BUURTWACHT"]
    firebase: dict[str, Any] | None = None
    emulator = auth_emulator_url(settings)
    api_key = ""
    if settings.AUTH_MODE == "firebase":
        api_key = settings.FIREBASE_WEB_API_KEY
    elif emulator:
        api_key = settings.FIREBASE_WEB_API_KEY or EMULATOR_API_KEY
    if api_key:
        firebase = {
            "apiKey": api_key,
            "authDomain": settings.firebase_auth_domain,
            "projectId": settings.FIREBASE_PROJECT_ID,
        }
    response = jsonify(
        auth_mode=settings.AUTH_MODE,
        auth_emulator_url=emulator,
        dev_sign_in=settings.dev_sign_in,
        firebase=firebase,
        tiles={"url": settings.CONSOLE_TILE_URL, "attribution": settings.CONSOLE_TILE_ATTRIBUTION},
        timezone=settings.TIMEZONE,
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/<path:anything>")
def any_page(anything: str) -> Response:
    """The app routes by the URL's #fragment; any other path under /console gets the page too."""
    return _page()


def init_app(app: Flask) -> None:
    app.register_blueprint(blp)
