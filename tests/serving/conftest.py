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


def counted(base: str, metric: str, result: str) -> float:
    """A counter's value by result (`kept`, `hit`...), in whichever worker answers the scrape."""
    _status, text = call("GET", f"{base}/metrics", {"Authorization": f"Bearer {TOKEN}"})
    start = f'{metric}_total{{result="{result}"}}'
    lines = [line for line in text.splitlines() if line.startswith(start)]
    return float(lines[0].split()[-1]) if lines else 0.0


def stale_group_names(base: str, make, rounds: int) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """A coordinator renames the group a volunteer reads, `rounds` times, both workers primed each time:
    the rounds whose very next read still showed another name."""
    anna = make.person("Anna de Vries")
    bram = make.person("Bram Jansen")
    group = make.group(coordinator=anna)
    make.member(group, bram, "volunteer")
    path = f"/api/v1/groups/{group.id}"
    stale = []
    for round_ in range(rounds):
        ask_both_workers(base, path, make.headers(bram))
        name = f"Buurtpreventie Bargeres {round_}"
        status, body = call("PATCH", f"{base}{path}", make.headers(anna), {"name": name})
        assert status == 200, body
        status, body = call("GET", f"{base}{path}", make.headers(bram))
        assert status == 200, body
        if json.loads(body)["name"] != name:
            stale.append((round_, json.loads(body)["name"]))
    return stale


@pytest.fixture
def listening(app, is_postgres):  # type: ignore[no-untyped-def]
    """The app, once its read-cache listener is connected: what each worker keeps is then used (PostgreSQL only)."""
    if not is_postgres:
        pytest.skip("kept answers, sign-ins and groups are PostgreSQL's: on SQLite every request reads the database")
    from tests.serving.test_read_cache import wait_until_listening

    wait_until_listening(app)
    return app


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
