"""Monthly summaries over a year of data for 100 groups (about a million notes, fifty thousand patrols).

Measures, against baselines from the same run on the same data:
  - producing every group's summary for a month (the numbers of the e-mail, all groups) as a ratio
    to one raw SQL aggregation of that month's notes (GROUP BY group, category, status); goal <= 2;
  - the same for all twelve months (build_months, the job's chunks of 200 groups) against one raw
    GROUP BY (group, month, category) of the year; goal <= 2;
  - rendering every group's e-mail (text, HTML, CSV, chart) for a month, for scale;
  - peak memory of producing the summaries for 20 and for 100 groups, in fresh processes.
Each repeat measures a baseline and its candidate back to back (the best of three each, alternating,
for the month and for the year), so the machine's load hits both alike; the ratios are given as
ranges over the repeats. (The year was once timed once each: on a machine shared with browser tests
one stall in either run decided that repeat's ratio.)

Usage: .venv/bin/python bench/summaries.py [--repeat 5] [--groups 100] [--notes 1000000]
       .venv/bin/python bench/summaries.py --quick   (20 groups, 200,000 notes, 3 repeats)
Needs PostgreSQL (BUURTWACHT_BENCH_POSTGRES_URL, default 127.0.0.1:5432, database test): the data
is made by the database itself (INSERT ... SELECT over generate_series).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from databases import drop_database, make_database  # noqa: E402  (bench/, beside this script)
from repeats import Figure, all_met, report  # noqa: E402

from buurtwacht import create_app, db, migrate  # noqa: E402
from buurtwacht.config import Settings  # noqa: E402
from buurtwacht.models import Group  # noqa: E402
from buurtwacht.summaries import render  # noqa: E402
from buurtwacht.summaries.service import build_many, build_months, month_bounds  # noqa: E402

YEAR = 2025
CATEGORIES = ["traffic_safety", "clean_whole_safe", "youth_nuisance", "neighbour_conflict", "confused_person",
              "burglary_suspicious", "violence", "drugs", "events", "other"]  # fmt: skip
STATUSES = ["open", "reported", "resolved", "no_action"]


def generate(url: str, groups: int, notes: int) -> float:
    """A year of notes, patrols and check-ins, made by PostgreSQL itself."""
    engine = db.make_engine(url)
    start = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            text(
                """
                INSERT INTO groups (id, area_id, name, description, created_at, signup_opens_days,
                                    withdraw_until_hours, schedule_weeks_ahead, note_retention_months)
                SELECT gen_random_uuid(), a.id, 'Bench group ' || g, '', now(), 28, 12, 6, 12
                FROM generate_series(1, :groups) g
                JOIN LATERAL (SELECT id FROM areas WHERE kind IN ('neighbourhood', 'village')
                              ORDER BY id OFFSET (g % 30) LIMIT 1) a ON true
                """
            ),
            {"groups": groups},
        )
        conn.execute(
            text(
                """
                CREATE TEMP TABLE bench_groups AS
                SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM groups
                """
            )
        )
        conn.execute(
            text(
                """
                INSERT INTO notes (id, group_id, author_id, category, what, observed_at, lat, lon, street, place_key,
                                   area_id, called, urgency, status, held, request_hash, created_at, updated_at)
                SELECT gen_random_uuid(), bg.id, NULL, (CAST(:cats AS text[]))[1 + (i % 10)], 'bench note',
                       timestamptz '2025-01-01 00:00+01' + (i % 525600) * interval '1 minute',
                       CASE WHEN i % 4 = 0 THEN 52.77 + (i % 97) * 0.0004 END,
                       CASE WHEN i % 4 = 0 THEN 6.88 + (i % 89) * 0.0004 END,
                       CASE WHEN i % 4 <> 0 THEN 'Straat' || chr(97 + i % 26) || ' ' || (i % 53) END,
                       CASE WHEN i % 4 <> 0 THEN 'Straat' || chr(97 + i % 26)
                            ELSE to_char(round((52.77 + (i % 97) * 0.0004) / 0.0025) * 0.0025, 'FM90.0000') || ', ' ||
                                 to_char(round((6.88 + (i % 89) * 0.0004) / 0.0025) * 0.0025, 'FM90.0000') END,
                       NULL, 'none', 'normal', (CAST(:statuses AS text[]))[1 + (i % 4)], false, 'x', now(), now()
                FROM generate_series(1, :notes) i
                JOIN bench_groups bg ON bg.n = i % :groups
                """
            ),
            {"notes": notes, "groups": groups, "cats": CATEGORIES, "statuses": STATUSES},
        )
        conn.execute(
            text(
                """
                INSERT INTO patrols (id, group_id, starts_at, ends_at, meeting_point, min_team, max_team, briefing,
                                     status, created_at)
                SELECT gen_random_uuid(), bg.id,
                       timestamptz '2025-01-01 20:00+01' + (i / :groups) * interval '17 hours 30 minutes',
                       timestamptz '2025-01-01 22:00+01' + (i / :groups) * interval '17 hours 30 minutes',
                       'Wijkcentrum', 2, 4, '', CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'completed' END, now()
                FROM generate_series(0, :patrols - 1) i
                JOIN bench_groups bg ON bg.n = i % :groups
                """
            ),
            {"patrols": notes // 20, "groups": groups},
        )
        conn.execute(
            text(
                """
                INSERT INTO people (id, email, display_name, locale, is_admin, created_at, reminder_hours)
                SELECT gen_random_uuid(), 'bench' || i || '@bench.example', 'Bench ' || i, 'nl', false, now(), '24,2'
                FROM generate_series(1, 2) i
                """
            )
        )
        conn.execute(
            text(
                """
                INSERT INTO patrol_signups (id, patrol_id, person_id, status, queued_at, checked_in_at, checked_out_at, no_show)
                SELECT gen_random_uuid(), p.id, pe.id, 'confirmed', now(), p.starts_at, p.ends_at, false
                FROM patrols p CROSS JOIN people pe WHERE p.status = 'completed'
                """
            )
        )
    engine.dispose()
    # A plain engine: the app's engines refuse a write on an autocommit connection (db.read_only).
    maintenance = create_engine(url, isolation_level="AUTOCOMMIT")
    with maintenance.connect() as conn:
        # What autovacuum does to a table soon after a bulk load: statistics, and the visibility map
        # that lets PostgreSQL answer from an index alone.
        conn.execute(text("VACUUM ANALYZE"))
    maintenance.dispose()
    return time.perf_counter() - start


def timed(func, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def side_by_side(baseline, candidate, times: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The best of `times` runs of each, alternating, so both meet the same moments of the machine's load."""
    base = ours = float("inf")
    for _ in range(times):
        base = min(base, timed(baseline))
        ours = min(ours, timed(candidate))
    return base, ours


def year_of_summaries(app, year: int, chunk: int = 200) -> int:  # type: ignore[no-untyped-def]
    """Every group's summary for each month of the year, a chunk of groups at a time."""
    with app.app_context():
        session = db.session()
        ids = list(session.scalars(select(Group.id).order_by(Group.id)))
        made = 0
        for start in range(0, len(ids), chunk):
            groups = list(session.scalars(select(Group).where(Group.id.in_(ids[start : start + chunk]))))
            made += sum(len(s) for s in build_months(groups, [(year, m) for m in range(1, 13)]).values())
            session.expunge_all()
        session.commit()
        return made


def summaries_for(app, year: int, month: int, chunk: int = 200, render_mail: bool = False) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        session = db.session()
        ids = list(session.scalars(select(Group.id).order_by(Group.id)))
        made = 0
        for start in range(0, len(ids), chunk):
            groups = list(session.scalars(select(Group).where(Group.id.in_(ids[start : start + chunk]))))
            for summary in build_many(groups, year, month):
                if render_mail:
                    render.plain(summary, "nl")
                    render.html_page(summary, "nl")
                    render.csv_bytes(summary, "nl")
                made += 1
            if render_mail:
                render.chart_png(summary, "nl")  # one chart per chunk, to show its cost
            session.expunge_all()
        session.commit()
        return made


def peak_memory(url: str, groups: int) -> int:
    """Peak Python memory (KiB, tracemalloc) of a fresh process producing `groups` groups' summaries for a month."""
    code = f"""
import sys, tracemalloc
sys.path.insert(0, {str(ROOT)!r})
from buurtwacht import create_app, db
from buurtwacht.config import Settings
from buurtwacht.models import Group
from buurtwacht.summaries.service import build_many
from sqlalchemy import select
app = create_app(Settings.from_env(environ={{}}, ENV="test", DATABASE_URL={url!r}))
with app.app_context():
    session = db.session()
    ids = list(session.scalars(select(Group.id).order_by(Group.id).limit({groups})))
    build_many(list(session.scalars(select(Group).limit(1))), {YEAR}, 9)  # warm caches and imports
    tracemalloc.start()
    for start in range(0, len(ids), 20):  # the job's chunks, smaller here to show flatness
        groups = list(session.scalars(select(Group).where(Group.id.in_(ids[start:start + 20]))))
        build_many(groups, {YEAR}, 10)
        session.expunge_all()
    print(tracemalloc.get_traced_memory()[1] // 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20 groups, 200,000 notes, 3 repeats")
    args = parser.parse_args()
    if args.quick:
        args.groups, args.notes, args.repeat = 20, 200_000, 3
    url, name = make_database()
    try:
        migrate.upgrade(url)
        made = generate(url, args.groups, args.notes)
        app = create_app(Settings.from_env(environ={}, ENV="test", DATABASE_URL=url))
        engine = db.make_engine(url)
        with engine.connect() as conn:
            counts = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("notes", "patrols", "patrol_signups")
            }
        print(f"data: {args.groups} groups, {counts['notes']:,} notes, {counts['patrols']:,} patrols, "
              f"{counts['patrol_signups']:,} check-ins, made by PostgreSQL in {made:.1f} s")  # fmt: skip

        start, end = month_bounds(YEAR, 10)

        def one_month_raw() -> None:
            with engine.connect() as conn:
                conn.execute(
                    text(
                        "SELECT group_id, category, status, count(*) FROM notes "
                        "WHERE observed_at >= :s AND observed_at < :e GROUP BY 1, 2, 3"
                    ),
                    {"s": start, "e": end},
                ).all()

        def year_raw() -> None:
            with engine.connect() as conn:
                conn.execute(
                    text(
                        "SELECT group_id, date_trunc('month', observed_at AT TIME ZONE 'Europe/Amsterdam'), category, "
                        "count(*) FROM notes GROUP BY 1, 2, 3"
                    )
                ).all()

        summaries_for(app, YEAR, 10)  # warm: imports, statement caches, connections
        raw_month_ms = Figure("one month: raw GROUP BY (group, category, status)", " ms")
        ours_month_ms = Figure("one month: every group's summary", " ms")
        month_ratio = Figure("one month: summaries / raw", at_most=2)
        raw_year_ms = Figure("the year: raw GROUP BY (group, month, category)", " ms")
        ours_year_ms = Figure("the year: every group's twelve summaries", " ms")
        year_ratio = Figure("the year: summaries / raw", at_most=2)
        for repeat in range(args.repeat):
            raw, ours = side_by_side(one_month_raw, lambda: summaries_for(app, YEAR, 10), times=3)
            raw_month_ms.add(raw * 1000)
            ours_month_ms.add(ours * 1000)
            month_ratio.add(ours / raw)
            raw_y, ours_y = side_by_side(year_raw, lambda: year_of_summaries(app, YEAR), times=3)
            raw_year_ms.add(raw_y * 1000)
            ours_year_ms.add(ours_y * 1000)
            year_ratio.add(ours_y / raw_y)
            print(
                f"    repeat {repeat + 1}: month {ours * 1000:.0f} / {raw * 1000:.0f} ms = {ours / raw:.2f}, "
                f"year {ours_y * 1000:.0f} / {raw_y * 1000:.0f} ms = {ours_y / raw_y:.2f}; "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        figures = [raw_month_ms, ours_month_ms, month_ratio, raw_year_ms, ours_year_ms, year_ratio]
        report(f"all {args.groups} groups", figures, lambda f: 0 if f.unit else 2)
        verdict = "met in every repeat" if all_met([month_ratio, year_ratio]) else "NOT met in every repeat"
        print(f"    goals (a month <= 2 x its raw GROUP BY, the year <= 2 x its raw GROUP BY): {verdict}")
        mails = timed(lambda: summaries_for(app, YEAR, 10, render_mail=True), repeat=1)
        print(f"    rendering a month's e-mails (text, HTML, CSV, one chart): {mails * 1000:.0f} ms")
        small, large = peak_memory(url, 20), peak_memory(url, args.groups)
        print(f"peak memory while summarising: 20 groups +{small / 1024:.1f} MiB, {args.groups} groups +{large / 1024:.1f} MiB "
              f"(ratio {large / max(small, 1):.2f}; flat means ~1)")  # fmt: skip
        engine.dispose()
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
