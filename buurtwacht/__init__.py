"""buurtwacht: the backend for neighbourhood-watch volunteers, their coordinators and their wijkagent."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from buurtwacht.config import Settings


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Wire the app together. No I/O: the database and Firebase are reached on first use."""
    from buurtwacht import db, docs, errors, limits, logs, metrics, readcache, security, transactions
    from buurtwacht.api import Api
    from buurtwacht.auth.verifier import IdentityVerifier
    from buurtwacht.body import Request
    from buurtwacht.cli import register_commands
    from buurtwacht.console import routes as console_routes
    from buurtwacht.json_provider import FastJSONProvider
    from buurtwacht.routes import BLUEPRINTS
    from buurtwacht.timefields import LocalDateTime

    settings = settings or Settings.from_env(**overrides)
    # Ready-made settings are checked against this process's environment too: firebase-admin
    # reads FIREBASE_AUTH_EMULATOR_HOST from it on every verification.
    settings.validate(dict(os.environ))
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    app.json = FastJSONProvider(app)  # orjson: the same answers, a tenth of the encoding time
    app.request_class = Request  # a streamed body over MAX_CONTENT_LENGTH is a 413 too
    app.config.update(
        BUURTWACHT=settings,
        MAX_CONTENT_LENGTH=settings.MAX_REQUEST_BYTES,
        API_TITLE="buurtwacht",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL=docs.ASSETS_URL,
        API_SPEC_OPTIONS={
            "info": {
                "description": API_DESCRIPTION,
                "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
            },
            # Relative: every deployment serves the API on its own host (BUURTWACHT_PUBLIC_BASE_URL).
            "servers": [{"url": "/", "description": "The server this document came from"}],
        },
    )
    db.init_app(app, settings.DATABASE_URL or db.sqlite_url_for(app.instance_path))
    app.extensions["buurtwacht.identity"] = IdentityVerifier(settings, app.instance_path)
    api = Api(app)
    api.register_field(LocalDateTime, "string", "date-time")
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    docs.init_app(app)
    console_routes.init_app(app)
    limits.init_app(app)
    errors.init_app(app)
    # after_request hooks run last-registered first: the transaction settles the status, then a
    # committed read is kept (readcache), security headers are added, then the metrics and the
    # log line see the final answer. A kept answer is looked up after the log and metrics start.
    logs.init_app(app)
    metrics.init_app(app)
    security.init_app(app)
    readcache.init_app(app)
    transactions.init_app(app)
    register_commands(app)
    return app


API_DESCRIPTION = """\
The backend of the buurtwacht app for neighbourhood-watch volunteers (buurtpreventie),
their coordinators and their wijkagent.

**Sign-in.** Every `/api/v1` call carries `Authorization: Bearer <Firebase ID token>`. The
first call with a new account creates the person; `GET /api/v1/me` tells who you are.

**Errors** always have the shape `{code, status, message, errors}`; `errors` names the
field and the reason, e.g. `{"json": {"area_id": ["er is geen gebied met deze id"]}}`. The
message and the reasons are in the reader's language: `Accept-Language` when it names `nl` or
`en` (by its q-values; `nl-NL`, `en-GB` count), else the signed-in person's `locale`, else Dutch.
The English texts are the same in every version; values in them (statuses such as `cancelled`)
are codes, never translated. A group you
do not belong to answers 404, as if it did not exist. Bodies over 1 MiB get 413 (chunked ones
too), JSON nested deeper than 32 levels 400. Single-line texts (names, headlines, streets) refuse
line breaks and control characters; multi-line texts (descriptions, notes, comments, tips) keep
line breaks and tabs only; a lone surrogate is refused anywhere (422, naming the field).

**Rate limits** per signed-in person: changes, alerts, tips and photo uploads each have their
own (429 with `Retry-After`). A retry of a stored alert or tip (same client-made `id`) is
answered from what was stored and never refused.

**Lists** take `page` and `page_size` and return the totals in the `X-Pagination` header
(a JSON object: `total`, `total_pages`, `first_page`, `last_page`, `page`, `next_page`, `previous_page`).

**Times** are ISO 8601 with offset, stored in UTC; the app shows them in Europe/Amsterdam.
"""
