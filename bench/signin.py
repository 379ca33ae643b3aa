"""How much sign-in costs a request: GET /api/v1/me against GET /healthz, in one process, same run.

Prints requests per second for both and their ratio. Usage: .venv/bin/python bench/signin.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import time
from pathlib import Path

from buurtwacht import create_app, migrate
from buurtwacht.auth.service import verifier
from buurtwacht.config import Settings
from buurtwacht.demo import COORDINATOR, run


def rate(client, path: str, headers: dict[str, str], seconds: float) -> float:  # type: ignore[no-untyped-def]
    for _ in range(50):
        assert client.get(path, headers=headers).status_code == 200
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        client.get(path, headers=headers)
        done += 1
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        settings = Settings.from_env(
            environ={}, ENV="test", DATABASE_URL=url, AUTH_LOCAL_KEY_FILE=str(Path(tmp) / "key.pem")
        )
        app = create_app(settings)
        migrate.upgrade(url)
        with app.app_context(), contextlib.redirect_stdout(io.StringIO()):
            run()
            token = verifier().local_key.sign_id_token(
                settings.FIREBASE_PROJECT_ID, uid="bench-coordinator", email=COORDINATOR[0]
            )
        client = app.test_client()
        baseline = rate(client, "/healthz", {}, args.seconds)
        me = rate(client, "/api/v1/me", {"Authorization": f"Bearer {token}"}, args.seconds)
        with app.app_context():
            start, n = time.perf_counter(), 500
            for _ in range(n):
                verifier()._verify_with_firebase(token)
            per_verify_ms = (time.perf_counter() - start) / n * 1000
            start = time.perf_counter()
            for _ in range(n):
                verifier().verify(token)
            per_cached_ms = (time.perf_counter() - start) / n * 1000
    print(f"baseline GET /healthz      {baseline:8.0f} req/s (in-process)")
    print(f"GET /api/v1/me (signed in) {me:8.0f} req/s  ratio to baseline {me / baseline:.2f}")
    print(f"token verification         {per_verify_ms:8.3f} ms each (firebase-admin, local certificate)")
    print(f"token seen before          {per_cached_ms:8.3f} ms each (remembered until it expires)")


if __name__ == "__main__":
    main()
