"""Fixtures for the push stories: a record of every address the fake FCM was asked about."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.fcm import FakeFcm


class Asked:
    """Every send the fake FCM answered, refusals included (the fake itself keeps only successes)."""

    def __init__(self) -> None:
        self.addresses: list[str] = []

    def count(self) -> Counter[str]:
        return Counter(self.addresses)


@pytest.fixture
def asked(fcm: FakeFcm, monkeypatch: pytest.MonkeyPatch) -> Iterator[Asked]:
    record = Asked()
    answer = fcm.answer

    def answering(message: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        record.addresses.append(message.get("token") or message.get("fid") or "")
        return answer(message)

    monkeypatch.setattr(fcm, "answer", answering)
    yield record
