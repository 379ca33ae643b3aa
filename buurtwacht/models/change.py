"""How often each table has changed: the read cache checks a kept answer against these before serving it."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base


class TableVersion(Base):
    """Advanced by every committing transaction that wrote the table, inside that transaction (PostgreSQL)."""

    __tablename__ = "table_versions"

    table_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
