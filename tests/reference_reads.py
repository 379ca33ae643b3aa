"""The read paths as they were first written: ORM objects dumped by the schemas, the signed-in person
and their roles read from the database on every request.

tests/test_same_answers.py answers every read of the authorization matrix's world once through
these and once through the app as it is, and compares the bytes. Only what the faster paths replaced
is kept here, unchanged.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from buurtwacht.auth import identities


def forget_signed_in(app: Flask) -> None:
    with app.app_context():
        identities.forget()


def _nothing_kept(*_args: Any, **_kwargs: Any) -> None:
    return None


def patches() -> list[tuple[Any, str, Any]]:
    """(module, name, what it was first) for everything the fast paths replaced."""
    return [
        (identities, "kept_person", _nothing_kept),  # every request reads the person and their roles
        (identities, "remember", _nothing_kept),
        (identities, "area_parents", _nothing_kept),
    ]
