"""Test fixtures: a migrated database (SQLite, or PostgreSQL when asked), the app, a client, people."""

from __future__ import annotations

import functools
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import ColumnElement, Table, create_engine, false, text
from sqlalchemy.engine import Dialect, make_url
from werkzeug.serving import make_server

from buurtwacht import create_app, db, migrate
from buurtwacht.config import Settings
from tests.factories import Factory
from tests.fakes.fcm import FakeFcm
from tests.mail.smtpd import free_port

# Set to a PostgreSQL server (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
# whole suite there: the run makes its own database with a unique name and drops it at the end.
PG_ENV = "BUURTWACHT_TEST_DATABASE_URL"


def _create_postgres_database(server_url: str, worker: str) -> tuple[str, str]:
    name = f"buurtwacht_test_{uuid.uuid4().hex[:10]}_{worker}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.exit(f"PostgreSQL at {server_url} is unreachable or refused CREATE DATABASE: {exc}", returncode=3)
    finally:
        admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False), name


def _drop_postgres_database(server_url: str, name: str) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def worker_id_safe(request: pytest.FixtureRequest) -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id_safe: str) -> Iterator[str]:
    server = os.environ.get(PG_ENV)
    if server:
        url, name = _create_postgres_database(server, worker_id_safe)
        yield url
        _drop_postgres_database(server, name)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys") / "local-signing-key.pem"


@pytest.fixture(scope="session")
def photo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("photos")


@pytest.fixture(scope="session")
def fake_fcm() -> Iterator[FakeFcm]:
    """A fake FCM on loopback; firebase-admin's real send path is pointed at it."""
    server = FakeFcm().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def make_settings(database_url: str, key_file: Path, photo_dir: Path, fake_fcm: FakeFcm):  # type: ignore[no-untyped-def]
    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "ENV": "test",
            "DATABASE_URL": database_url,
            "AUTH_MODE": "local",
            "DEV_SIGN_IN": 1,  # the console's tests sign in through its development page
            "AUTH_LOCAL_KEY_FILE": str(key_file),
            "PHOTO_DIR": str(photo_dir),
            "FCM_ENDPOINT": fake_fcm.url,
        }
        values.update(overrides)
        return Settings.from_env(environ={}, **values)

    return make


@pytest.fixture(scope="session")
def reference_area_max_id(database_url: str) -> int:
    migrate.upgrade(database_url)
    engine = db.make_engine(database_url)
    with engine.connect() as conn:
        max_id = conn.execute(text("SELECT max(id) FROM areas")).scalar_one()
    engine.dispose()
    return int(max_id)


@pytest.fixture(scope="session")
def session_app(make_settings, reference_area_max_id: int) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    app = create_app(make_settings())
    yield app
    with app.app_context():
        app.extensions["buurtwacht.identity"].close()
        if "buurtwacht.fcm" in app.extensions:
            app.extensions["buurtwacht.fcm"].close()
        db.database().dispose()


def made_by_tests(table: Table, keep_area_ids_up_to: int) -> ColumnElement[bool] | None:
    """Which of a table's rows the tests made: all of them (None), but for the areas beyond the migrated ones,
    and none of the table versions (the read cache relies on them only ever going up)."""
    if table.name == "table_versions":
        return false()
    return table.c.id > keep_area_ids_up_to if table.name == "areas" else None


@functools.cache
def _deletes(dialect: Dialect, keep_area_ids_up_to: int) -> tuple[str, ...]:
    statements = []
    for table in reversed(db.Base.metadata.sorted_tables):
        condition = made_by_tests(table, keep_area_ids_up_to)
        delete = table.delete() if condition is None else table.delete().where(condition)
        statements.append(str(delete.compile(dialect=dialect, compile_kwargs={"literal_binds": True})))
    return tuple(statements)


def _empty_tables(app: Flask, keep_area_ids_up_to: int) -> None:
    """Every table emptied but the reference areas: one round trip on PostgreSQL, no ORM on either."""
    with app.app_context():
        session = db.session()
        connection = session.connection()
        deletes = _deletes(connection.dialect, keep_area_ids_up_to)
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("; ".join(deletes))
        else:
            for statement in deletes:
                connection.exec_driver_sql(statement)
        session.commit()


@pytest.fixture
def app(session_app: Flask, reference_area_max_id: int) -> Iterator[Flask]:
    """The app on a database holding only the reference areas; emptied again after the test."""
    yield session_app
    _empty_tables(session_app, reference_area_max_id)


@pytest.fixture
def fcm(fake_fcm: FakeFcm) -> Iterator[FakeFcm]:
    """The fake FCM, emptied for this test."""
    fake_fcm.reset()
    yield fake_fcm
    fake_fcm.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory(app)


@pytest.fixture
def dev_server(app: Flask) -> Iterator[str]:
    """`flask run`'s server (werkzeug), in a thread of this process."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(10)


CHROMIUM = os.environ.get("BUURTWACHT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def chromium_or_skip() -> str:
    """Debian's Chromium; outside CI a machine without it skips, in CI (CI=true) its absence fails."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"Debian's chromium is needed and missing at {CHROMIUM}: .ci/run installs it")
    pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole test process (Playwright for Python, never a browser download).

    Playwright's sync API runs one driver per thread: a second `sync_playwright()` while another is open
    in the same process fails, so every browser test (the console, /docs, the summary e-mail) shares this.
    """
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
