"""The notes tests' shared setting: a Tuesday evening in Bargeres, and its team."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from buurtwacht.models import MembershipRole

NOW = dt.datetime(2026, 11, 3, 19, 30, tzinfo=dt.UTC)  # a Tuesday evening, 20:30 in Emmen


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(make):
    """Anna coordinates a group in Bargeres; Bram and Henk walk in it."""
    anna, bram, henk = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Henk Bakker")
    group = make.group("bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    make.member(group, henk, MembershipRole.VOLUNTEER)
    return group, anna, bram, henk
