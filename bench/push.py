"""Alerts and push delivery, measured against baselines from the same run.

(a) Creating an alert for an audience of 10 and of 100,000 devices: the request writes the alert
    and one outbox row, so its time must not grow with the audience (ratio ~1).
(b) The dispatcher's messages per second against a fake FCM on loopback (its own process), as a
    ratio to firebase-admin's own send_each loop over the same messages (the ones the dispatcher
    composes, in batches of 500, on a warm connection pool) (goal >= 0.8), with one and with two
    dispatcher processes (goal: two >= 1.6 x one). Each repeat measures the send_each loop, one
    dispatcher and two dispatchers back to back, so the machine's load hits all three alike; the
    figures are ranges over the repeats. A dispatcher process is started, warmed (imports, its
    connection pool) and then released, so its start-up is not part of its time.

Usage: .venv/bin/python bench/push.py [--repeat 5] [--messages 10000] [--audience 100000] [--delay 0]
       .venv/bin/python bench/push.py --quick   (2,000 messages, an audience of 10,000, 3 repeats)
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
from repeats import Figure, all_met, report  # noqa: E402

from buurtwacht import create_app, db, migrate  # noqa: E402
from buurtwacht.config import Settings  # noqa: E402
from buurtwacht.models import (  # noqa: E402
    Alert,
    Area,
    Broadcast,
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
from buurtwacht.push import compose  # noqa: E402
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
                    "verified_email": f"{prefix}{i.hex}@bench.example",
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


# A dispatcher process: the app made and its FCM connection pool warmed like the baseline's (50 messages),
# then it waits to be released, runs until idle and says when it was done (a clock every process shares).
DISPATCHER = """
import sys, time
sys.path.insert(0, {root!r})
from firebase_admin import messaging
from wsgi import app
from buurtwacht.push import dispatcher
with app.app_context():
    dispatcher.sender().send(
        [messaging.Message(fid=f"warm-{{i}}", notification=messaging.Notification(title="t", body="b")) for i in range(50)]
    )
    print("ready", flush=True)
    sys.stdin.readline()
    cpu = time.process_time()
    tally = dispatcher.run(stop_when_idle=True)
    print(time.monotonic(), tally.sent, time.process_time() - cpu, flush=True)
"""


def cpu_seconds(pid: int) -> float:
    """User and system CPU a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_dispatchers(count: int, env: dict[str, str]) -> tuple[float, int, float]:
    """(seconds from release to the last dispatcher going idle, messages they sent, their CPU seconds)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", DISPATCHER.format(root=str(ROOT))],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    for proc in procs:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"dispatcher failed to start: {proc.communicate()[1][-2000:]}")
    released = time.monotonic()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    ends, sent, cpu = [], 0, 0.0
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"dispatcher failed: {err[-2000:]}")
        end, n, used = out.split()
        ends.append(float(end))
        sent += int(n)
        cpu += float(used)
    return max(ends) - released, sent, cpu


def alert_messages(app, alert_id: str) -> list[messaging.Message]:  # type: ignore[no-untyped-def]
    """The messages the dispatcher composes for a new alert's deliveries: the baseline sends these."""
    with app.app_context():
        session = db.session()
        alert = session.get(Alert, uuid.UUID(alert_id))
        broadcast = session.scalars(select(Broadcast).where(Broadcast.alert_id == alert.id)).one()
        devices = session.scalars(
            select(Device).join(Delivery, Delivery.device_id == Device.id).where(Delivery.broadcast_id == broadcast.id)
        ).all()
        out = []
        for device in devices:
            title, body = compose.alert_texts(alert, broadcast, device.locale or "nl")
            data = {"type": f"alert.{broadcast.phase}", "alert_id": alert.id}
            out.append(compose.message(device, title, body, data, compose.alert_collapse_key(alert.id), True))
        return out


def send_each_loop(sender: FcmSender, messages: list[messaging.Message]) -> float:
    """firebase-admin's send_each over the messages, 500 at a time: messages per second."""
    start = time.perf_counter()
    for i in range(0, len(messages), 500):
        outcomes = sender.send(messages[i : i + 500])
        assert all(o.ok for o in outcomes)
    return len(messages) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--audience", type=int, default=100_000)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds the fake FCM takes per answer")
    parser.add_argument("--quick", action="store_true", help="2,000 messages, an audience of 10,000, 3 repeats")
    args = parser.parse_args()
    if args.quick:
        args.messages, args.audience, args.repeat = 2_000, 10_000, 3

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
        ENV="test", DATABASE_URL=url, FCM_ENDPOINT=fake_url, ALERTS_PER_HOUR=100_000,
        RATE_LIMIT_ALERTS="100000/minute", AUTH_LOCAL_KEY_FILE=f"{tmp}/key.pem",
    )  # fmt: skip
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
                for code in ("rietlanden", "bargeres", "angelslo")
            }
            t0 = time.perf_counter()
            seed_group("rietlanden", 10, "small")
            seed_group("bargeres", args.audience, "large")
            seed_group("angelslo", args.messages, "phone")
            seed_time = time.perf_counter() - t0
        client = app.test_client()
        with contextlib.redirect_stdout(io.StringIO()):
            small = [create_alert(client, token, area["rietlanden"]) for _ in range(7)]
            large = [create_alert(client, token, area["bargeres"]) for _ in range(7)]
        # Those alerts were cancelled at once: their queued work is not part of part (b).
        clear_queue(app)

        print(
            f"database: {'PostgreSQL' if pg_name else 'SQLite'}; seeded {args.audience + args.messages:,} + 10 people "
            f"with devices in {seed_time:.1f} s; {os.cpu_count()} cores"
        )
        print("(a) creating an alert (median of 7, in-process request)")
        s, lg = statistics.median(small), statistics.median(large)
        print(f"    audience 10:        {s * 1000:7.1f} ms")
        print(
            f"    audience {args.audience:,}: {lg * 1000:7.1f} ms   ratio large/small {lg / s:.2f} (goal: ~1, not growing with the audience)"
        )

        sender = FcmSender(Settings.from_env(environ={}, **settings))
        sender.send(
            [
                messaging.Message(fid=f"warm-{i}", notification=messaging.Notification(title="t", body="b"))
                for i in range(50)
            ]
        )  # the same warm connection pool as each dispatcher's
        baseline = Figure("firebase-admin send_each loop", " msg/s")
        one = Figure("1 dispatcher process", " msg/s")
        two = Figure("2 dispatcher processes", " msg/s")
        cpu_base = Figure("CPU per message: send_each loop's process", " ms")
        cpu_one = Figure("CPU per message: the dispatcher process", " ms")
        cpu_fake = Figure("CPU per message: the fake FCM", " ms")
        ceiling = Figure("2 cores / CPU per message (dispatcher + fake FCM)", " msg/s")
        one_ratio = Figure("1 dispatcher / send_each loop", at_least=0.8)
        two_ratio = Figure("2 dispatchers / 1 dispatcher", at_least=1.6)
        print(
            f"(b) {args.messages:,} messages to as many phones, {args.repeat} repeats, each: send_each, 1, 2 dispatchers"
        )
        for repeat in range(args.repeat):
            rates = {}
            for count in (0, 1, 2):
                with contextlib.redirect_stdout(io.StringIO()):
                    alert_id = create_alert_open(client, token, area["angelslo"])
                with app.app_context():
                    while expand_broadcast(db.utcnow()):
                        pass
                queued = pending(app)
                fake_cpu = cpu_seconds(fake.pid)
                if count == 0:
                    messages = alert_messages(app, alert_id)
                    used = time.process_time()
                    rates[0] = baseline.add(send_each_loop(sender, messages))
                    cpu_base.add((time.process_time() - used) / len(messages) * 1000)
                else:
                    wall, sent, used = run_dispatchers(count, env)
                    if sent != queued or pending(app):
                        raise SystemExit(f"{count} dispatcher(s) sent {sent} of {queued}; {pending(app)} left")
                    rates[count] = (one if count == 1 else two).add(sent / wall)
                    if count == 1:
                        per_message = cpu_one.add(used / sent * 1000)
                        fake_per = cpu_fake.add((cpu_seconds(fake.pid) - fake_cpu) / sent * 1000)
                        ceiling.add(2000 / (per_message + fake_per))
                clear_queue(app)
            one_ratio.add(rates[1] / rates[0])
            two_ratio.add(rates[2] / rates[1])
            print(
                f"    repeat {repeat + 1}: send_each {rates[0]:5.0f}/s, 1 dispatcher {rates[1]:5.0f}/s "
                f"({rates[1] / rates[0]:.2f}), 2 dispatchers {rates[2]:5.0f}/s ({rates[2] / rates[1]:.2f} x one); "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
        sender.close()
        report(
            "(b)",
            [baseline, one, two, one_ratio, two_ratio, cpu_base, cpu_one, cpu_fake, ceiling],
            lambda f: 2 if f.unit == " ms" else 0 if f.unit else 2,
        )
        print(
            f"    two dispatchers >= 1.6 x one needs {1.6 * statistics.median(one.values):.0f} msg/s; two cores, with "
            f"nothing else running and PostgreSQL's share not counted, allow at most {statistics.median(ceiling.values):.0f}"
        )
        verdict = "met in every repeat" if all_met([one_ratio, two_ratio]) else "NOT met in every repeat"
        print(f"    goals (dispatcher >= 0.8 x send_each, two >= 1.6 x one): {verdict}")
    finally:
        fake.terminate()
        drop(pg_name)


def clear_queue(app) -> None:  # type: ignore[no-untyped-def]
    """End the bench's alerts and forget their pushes, so the next measurement starts from an empty queue."""
    with app.app_context():
        session = db.session()
        session.execute(text("UPDATE alerts SET status = 'cancelled' WHERE status = 'open'"))
        session.execute(text("DELETE FROM deliveries"))
        session.execute(text("DELETE FROM broadcasts"))
        session.commit()


def settings_project(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.config["BUURTWACHT"].FIREBASE_PROJECT_ID)


def create_alert_open(client, token: str, area_id: int) -> str:  # type: ignore[no-untyped-def]
    body = {
        "kind": "suspect",
        "headline": f"Bench {uuid.uuid4().hex}",
        "description": "Man op een fiets, donkere jas, rijdt richting het centrum.",
        "instruction": "Bel 112 als je hem ziet.",
        "area_ids": [area_id],
    }
    response = client.post("/api/v1/alerts", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["alert"]["id"])


if __name__ == "__main__":
    main()
