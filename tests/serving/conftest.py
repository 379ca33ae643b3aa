"""A real gunicorn serving the app (buurtwacht.serving: two sync workers) on the test database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.mail.smtpd import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scrape-me-please-0123456789"


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    return call("GET", url, headers)


def call(method: str, url: str, headers: dict[str, str] | None = None, body: object = None) -> tuple[int, str]:
    """One request over its own connection (sync workers close each), so either worker may answer it."""
    data = None if body is None else json.dumps(body).encode()
    headers = {**(headers or {}), **({"Content-Type": "application/json"} if data is not None else {})}
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback, our own server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def ask_both_workers(base: str, path: str, headers: dict[str, str], expected: int = 200) -> None:
    """GET often enough that both workers have answered it (each connection goes to either) and kept what they keep."""
    for _ in range(4):
        status, body = call("GET", f"{base}{path}", headers)
        assert status == expected, body


@pytest.fixture
def gunicorn_settings() -> dict[str, str]:
    """More BUURTWACHT_* variables for the server; a test module overrides this fixture."""
    return {}


@pytest.fixture
def gunicorn(app, database_url: str, key_file: Path, tmp_path: Path, gunicorn_settings):  # type: ignore[no-untyped-def]
    port = free_port()
    env = {
        **os.environ,
        "BUURTWACHT_ENV": "test",
        "BUURTWACHT_DATABASE_URL": database_url,
        "BUURTWACHT_AUTH_LOCAL_KEY_FILE": str(key_file),
        "BUURTWACHT_LOG_FORMAT": "json",
        "BUURTWACHT_METRICS_TOKEN": TOKEN,
        **gunicorn_settings,
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as stderr:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and server
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:buurtwacht.serving",
                "-b",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.2)
        try:
            yield base, log
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
