"""The /docs page's Swagger UI assets, served from the installed package so /docs works offline."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Flask, send_from_directory
from werkzeug.wrappers import Response

ASSETS = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
ASSETS_URL = "/docs/assets/"

blp = Blueprint("docs_assets", __name__)


@blp.get(f"{ASSETS_URL}<path:filename>")
def asset(filename: str) -> Response:
    return send_from_directory(ASSETS, filename, max_age=86400)


def init_app(app: Flask) -> None:
    app.register_blueprint(blp)
