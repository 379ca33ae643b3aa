"""A PostgreSQL database of the bench's own, made for one run and dropped after it."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text

PG_SERVER = os.environ.get("BUURTWACHT_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def make_database(prefix: str = "buurtwacht_bench") -> tuple[str, str]:
    """(URL, name) of a new, empty database on the bench's server."""
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_SERVER.rsplit("/", 1)[0] + f"/{name}", name


def drop_database(name: str) -> None:
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
