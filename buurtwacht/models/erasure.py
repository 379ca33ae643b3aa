"""An erased account: a hash of its sign-in uid and when, so tokens issued before the erasure are refused."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow

# Firebase ID tokens live one hour (verified with 10 s of clock skew): after two hours every token from
# before an erasure has expired, so the record has done its work and goes (privacy.service.forget_erasures).
ERASURE_MEMORY = dt.timedelta(hours=2)


def uid_hash(uid: str) -> str:
    """The uid never stays in the database once its person is erased; its SHA-256 is enough to recognise it."""
    return hashlib.sha256(uid.encode()).hexdigest()


class ErasedAccount(Base):
    """Kept for ERASURE_MEMORY only: long enough for every ID token of before the erasure to expire."""

    __tablename__ = "erased_accounts"

    uid_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    erased_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
