"""Where one request's time goes: bench/load.py's endpoints in-process on PostgreSQL, with cProfile.

Builds load.py's world (1x data) in a database of its own, then for each chosen endpoint prints
the milliseconds per request through Flask's test client and the ratio of /healthz's to it (the
in-process counterpart of load.py's ratio to its ceiling): first answered from the database (the
read cache off: with --sql the statements one request sends and the milliseconds each took, with
--profile the functions where the time goes), then as a repeated read answered by the read cache
(buurtwacht/readcache.py).

With --explain, each statement of one request is run again under EXPLAIN (ANALYZE, BUFFERS) with its
parameters, to see the plan PostgreSQL chose; --repeat-sql N runs each alone N times (its time in the
database and the driver, without the app); --scale 10 builds load.py's tenfold world.

Usage: .venv/bin/python bench/where_time_goes.py [--match roster] [--requests 300] [--profile 25]
       [--sql] [--explain] [--repeat-sql 200] [--scale 10]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

import load  # noqa: E402
from databases import drop_database, make_database  # noqa: E402

from buurtwacht import create_app, db  # noqa: E402
from buurtwacht.config import Settings  # noqa: E402


def per_request_ms(client, endpoint: load.Endpoint, n: int) -> float:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {endpoint.token}"} if endpoint.token else {}

    def once() -> None:
        body = json.loads(endpoint.body.replace("NOTE_ID", str(uuid.uuid4()))) if endpoint.body else None
        answer = client.open(endpoint.path, method=endpoint.method, headers=headers, json=body)
        assert answer.status_code < 300, (endpoint.name, answer.status_code, answer.get_data(as_text=True)[:300])

    for _ in range(20):
        once()
    start = time.perf_counter()
    for _ in range(n):
        once()
    return (time.perf_counter() - start) / n * 1000


def reads_alone(engine, statements: list[str], parameters: list[object], times: int) -> None:  # type: ignore[no-untyped-def]
    """Each read statement again on a connection of its own, with its parameters: its plan (times 0), or run
    `times` times (prepared, as the app's are) for its fastest and median milliseconds in the database and the
    driver, without the app around it."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, sent_with in zip(statements, parameters, strict=True):
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            if not times:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, sent_with)
                print("\n".join("      " + row[0] for row in cursor.fetchall()))
                continue
            took = []
            for _ in range(times):
                start = time.perf_counter()
                cursor.execute(statement, sent_with, prepare=True)
                cursor.fetchall()
                took.append((time.perf_counter() - start) * 1000)
            took.sort()
            print(f"      alone: {took[0]:6.2f} ms fastest, {took[len(took) // 2]:6.2f} ms median of {times}")
        raw.rollback()
    finally:
        raw.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--match", default="", help="only endpoints whose name contains this")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0, help="print this many functions where the time goes")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    parser.add_argument(
        "--sql", action="store_true", help="print the statements one request sends, with the time each took"
    )
    parser.add_argument("--explain", action="store_true", help="print each statement's plan, run with its parameters")
    parser.add_argument("--repeat-sql", type=int, default=0, help="run each read statement this many times alone: ms")
    parser.add_argument("--scale", type=int, default=1, help="load.py's data scale (1 or 10)")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    url, name = make_database("buurtwacht_profile")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            key_file = str(Path(tmp) / "key.pem")
            world = load.build(url, key_file, args.scale)
            settings = dict(
                environ={}, ENV="development", DATABASE_URL=url, AUTH_LOCAL_KEY_FILE=key_file,
                RATE_LIMIT_WRITES="1000000/minute", LOG_FORMAT="json",
            )  # fmt: skip
            app = create_app(Settings.from_env(**settings, READ_CACHE_SECONDS=0))
            client = app.test_client()
            cached_client = create_app(Settings.from_env(**settings)).test_client()
            health = load.Endpoint("GET /healthz", "ceiling", "GET", "/healthz")
            baseline = per_request_ms(client, health, args.requests)
            print(f"{health.name:45} {baseline:7.3f} ms")
            with app.app_context():
                engine = db.database().engine
            statements: list[str] = []
            parameters: list[object] = []
            took: list[float] = []

            def count(_conn: object, _cursor: object, statement: str, sent_with: object, *_a: object) -> None:
                statements.append(statement)
                parameters.append(sent_with)
                took.append(-time.perf_counter())

            def done(*_a: object) -> None:
                took[-1] += time.perf_counter()

            for endpoint in load.endpoints(world):
                if args.match not in endpoint.name:
                    continue
                statements.clear()
                parameters.clear()
                took.clear()
                event.listen(engine, "before_cursor_execute", count)
                event.listen(engine, "after_cursor_execute", done)
                per_request_ms(client, endpoint, 1)
                event.remove(engine, "before_cursor_execute", count)
                event.remove(engine, "after_cursor_execute", done)
                sent = len(statements) // 21  # the 20 warm-up requests and the measured one
                if args.sql:
                    for statement, ms in zip(statements[-sent:], took[-sent:], strict=True):
                        print(f"    {ms * 1000:6.2f} ms  " + " ".join(statement.split())[:150])
                if args.explain:
                    reads_alone(engine, statements[-sent:], parameters[-sent:], 0)
                if args.repeat_sql:
                    reads_alone(engine, statements[-sent:], parameters[-sent:], args.repeat_sql)
                ms = per_request_ms(client, endpoint, args.requests)
                print(f"{endpoint.name:45} {ms:7.3f} ms  ratio {baseline / ms:4.2f}  {sent} SQL statements")
                if endpoint.method == "GET":
                    kept = per_request_ms(cached_client, endpoint, args.requests)
                    print(f"{'  the same, repeated (read cache)':45} {kept:7.3f} ms  ratio {baseline / kept:4.2f}")
                if args.profile:
                    profile = cProfile.Profile()
                    profile.enable()
                    per_request_ms(client, endpoint, args.requests)
                    profile.disable()
                    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.profile)
            with app.app_context():
                db.database().dispose()
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
