"""Counts that outlive the rows they count: notes per group, month, category and status."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base


class NoteMonthCount(Base):
    """Written by retention before notes are deleted, so summaries can still compare with last year."""

    __tablename__ = "note_month_counts"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-11, local time
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
