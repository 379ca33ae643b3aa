"""Alerts and push delivery, measured against baselines from the same run.

(a) Creating an alert for an audience of 10 and of 100,000 devices: the request writes the alert
    and one outbox row, so its time must not grow with the audience (ratio ~1).
(b) The dispatcher's messages per second against a fake FCM on loopback (its own process), as a
    ratio to firebase-admin's own send_each loop over the same number of messages (goal >= 0.8),
    with one and with two dispatcher processes (goal: two >= 1.6 x one).

Usage: .venv/bin/python bench/push.py [--messages 10000] [--audience 100000] [--delay 0.02]
PostgreSQL (BUURTWACHT_BENCH_POSTGRES_URL, default 127.0.0.1:5432) is used when reachable: two
dispatchers need row locks with SKIP LOCKED; on SQLite they take turns.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from firebase_admin import messaging
from sqlalchemy import func, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from databases import drop_database, make_database  # noqa: E402  (bench/, beside this script)

from buurtwacht import create_app, db, migrate  # noqa: E402
from buurtwacht.config import Settings  # noqa: E402
from buurtwacht.models import (  # noqa: E402
    Area,
    Delivery,
    DeliveryStatus,
    Device,
    Group,
    Membership,
    MembershipRole,
    MembershipStatus,
    OfficerAssignment,
    Person,
)
from buurtwacht.push.expand import expand_broadcast  # noqa: E402
from buurtwacht.push.fcm import FcmSender  # noqa: E402


def database() -> tuple[str, str | None]:
    try:
        return make_database()
    except Exception as exc:  # noqa: BLE001 - fall back to SQLite, and say so
        print(f"(PostgreSQL unreachable: {exc.__class__.__name__}; using SQLite)")
        return f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3", None


def drop(name: str | None) -> None:
    if name:
        drop_database(name)


def seed_group(area_code: str, members: int, prefix: str) -> uuid.UUID:
    """A group with `members` volunteers, each with one device, written with Core executemany."""
    session = db.session()
    area_id = session.scalars(select(Area.id).where(Area.code == area_code)).one()
    group = Group(name=f"Bench {area_code}", description="", area_id=area_id)
    session.add(group)
    session.commit()
    chunk = 10_000
    for start in range(0, members, chunk):
        ids = [uuid.uuid4() for _ in range(min(chunk, members - start))]
        session.execute(
            insert(Person),
            [
                {
                    "id": i,
                    "email": f"{prefix}{i.hex}@bench.example",
                    "display_name": "Bench Person",
                    "locale": "nl",
                    "is_admin": False,
                }
                for i in ids
            ],
        )
        session.execute(
            insert(Membership),
            [
                {
                    "id": uuid.uuid4(),
                    "group_id": group.id,
                    "person_id": i,
                    "role": MembershipRole.VOLUNTEER,
                    "status": MembershipStatus.ACTIVE,
                }
                for i in ids
            ],
        )
        session.execute(
            insert(Device),
            [
                {
                    "id": uuid.uuid4(),
                    "person_id": i,
                    "address_kind": "fid",
                    "address": f"fid-{i.hex}",
                    "platform": "android",
                }
                for i in ids
            ],
        )
        session.commit()
    return group.id


def create_alert(client, token: str, area_id: int) -> float:  # type: ignore[no-untyped-def]
    body = {
        "kind": "suspect",
        "headline": f"Bench {uuid.uuid4().hex}",
        "description": "Man op een fiets, donkere jas, rijdt richting het centrum.",
        "instruction": "Bel 112 als je hem ziet.",
        "area_ids": [area_id],
    }
    start = time.perf_counter()
    response = client.post("/api/v1/alerts", json=body, headers={"Authorization": f"Bearer {token}"})
    elapsed = time.perf_counter() - start
    assert response.status_code == 201, response.get_json()
    alert_id = response.get_json()["alert"]["id"]
    client.post(
        f"/api/v1/alerts/{alert_id}/cancel", json={"reason": "bench"}, headers={"Authorization": f"Bearer {token}"}
    )
    return elapsed


def pending(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session().scalar(select(func.count()).where(Delivery.status == DeliveryStatus.PENDING)) or 0


def run_dispatchers(count: int, env: dict[str, str]) -> float:
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "push", "dispatch", "--until-idle"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(count)
    ]
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"dispatcher failed: {err.decode()[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--audience", type=int, default=100_000)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds the fake FCM takes per answer")
    args = parser.parse_args()

    fake = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.fcm", "--delay", str(args.delay)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    fake_url = (fake.stdout.readline() if fake.stdout else "").strip()
    url, pg_name = database()
    tmp = tempfile.mkdtemp()
    settings = dict(
        ENV="test", DATABASE_URL=url, FCM_ENDPOINT=fake_url, ALERTS_PER_HOUR=1000, AUTH_LOCAL_KEY_FILE=f"{tmp}/key.pem"
    )
    env = {**os.environ, **{f"BUURTWACHT_{k}": str(v) for k, v in settings.items()}}
    try:
        migrate.upgrade(url)
        app = create_app(Settings.from_env(environ={}, **settings))
        with app.app_context():
            session = db.session()
            officer = Person(firebase_uid="bench-officer", email="officer@bench.example", display_name="Bench Officer")
            session.add(officer)
            session.commit()
            session.add(
                OfficerAssignment(
                    person_id=officer.id, area_id=session.scalars(select(Area.id).where(Area.code == "emmen")).one()
                )
            )
            session.commit()
            from buurtwacht.auth.service import verifier

            token = verifier().local_key.sign_id_token(
                settings_project(app), uid="bench-officer", email="officer@bench.example"
            )
            area = {
                code: session.scalars(select(Area.id).where(Area.code == code)).one()
                for code in ("rietlanden", "bargeres", "angelslo", "emmerhout")
            }
            t0 = time.perf_counter()
            seed_group("rietlanden", 10, "small")
            seed_group("bargeres", args.audience, "large")
            seed_time = time.perf_counter() - t0
        client = app.test_client()
        with contextlib.redirect_stdout(io.StringIO()):
            small = [create_alert(client, token, area["rietlanden"]) for _ in range(7)]
            large = [create_alert(client, token, area["bargeres"]) for _ in range(7)]
        # Those alerts were cancelled at once: their queued work is not part of part (b).
        with app.app_context():
            session = db.session()
            session.execute(text("DELETE FROM broadcasts"))
            session.commit()

        print(
            f"database: {'PostgreSQL' if pg_name else 'SQLite'}; seeded {args.audience:,} + 10 people with devices in {seed_time:.1f} s"
        )
        print("(a) creating an alert (median of 7, in-process request)")
        s, lg = statistics.median(small), statistics.median(large)
        print(f"    audience 10:        {s * 1000:7.1f} ms")
        print(
            f"    audience {args.audience:,}: {lg * 1000:7.1f} ms   ratio large/small {lg / s:.2f} (goal: ~1, not growing with the audience)"
        )

        # (b) baseline: firebase-admin's own send_each loop, same fake, same number of messages.
        sender = FcmSender(Settings.from_env(environ={}, **settings))
        msgs = [
            messaging.Message(fid=f"fid-base-{i}", notification=messaging.Notification(title="t", body="b"))
            for i in range(args.messages)
        ]
        sender.send(msgs[:50])  # warm the connection pool
        t0 = time.perf_counter()
        for i in range(0, len(msgs), 500):
            sender.send(msgs[i : i + 500])
        baseline = args.messages / (time.perf_counter() - t0)
        sender.close()
        print(f"(b) firebase-admin send_each loop: {baseline:7.0f} messages/s (baseline)")

        startup = run_dispatchers(1, env)  # an idle dispatcher: the cost of starting the process
        results = {}
        for count, code in ((1, "angelslo"), (2, "emmerhout")):
            with app.app_context():
                seed_group(code, args.messages, f"d{count}")
            with contextlib.redirect_stdout(io.StringIO()):
                create_alert_open(client, token, area[code])
            with app.app_context():
                t0 = time.perf_counter()
                while expand_broadcast(db.utcnow()):
                    pass
                expansion = time.perf_counter() - t0
            queued = pending(app)
            wall = run_dispatchers(count, env) - startup
            left = pending(app)
            rate = (queued - left) / wall
            results[count] = rate
            print(
                f"    {count} dispatcher process{'es' if count > 1 else ''}: {rate:7.0f} messages/s "
                f"ratio to send_each {rate / baseline:.2f}  ({queued - left:,} sent, {left} left; "
                f"expansion of {queued:,} deliveries took {expansion:.2f} s)"
            )
        print(f"    two dispatchers / one: {results[2] / results[1]:.2f} (goal >= 1.6)")
        print(f"    (process start-up, subtracted: {startup:.2f} s; this machine has {os.cpu_count()} cores)")
    finally:
        fake.terminate()
        drop(pg_name)


def settings_project(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.config["BUURTWACHT"].FIREBASE_PROJECT_ID)


def create_alert_open(client, token: str, area_id: int) -> None:  # type: ignore[no-untyped-def]
    body = {
        "kind": "suspect",
        "headline": f"Bench {uuid.uuid4().hex}",
        "description": "Man op een fiets, donkere jas, rijdt richting het centrum.",
        "instruction": "Bel 112 als je hem ziet.",
        "area_ids": [area_id],
    }
    response = client.post("/api/v1/alerts", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()


if __name__ == "__main__":
    main()
