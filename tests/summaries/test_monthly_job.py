"""The monthly summary job on the 1st: one group's trouble never keeps the others' coordinators waiting.

Three groups, each with a coordinator. One was named, long ago, with a line break in its name (the
API refuses that now); another's summary breaks for a reason of its own. Every other coordinator
still gets the summary, the failure is on the job's run, and a rerun sends what is missing once.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select, update

from buurtwacht import db, scheduler
from buurtwacht.models import Email, Group, JobRun
from buurtwacht.summaries import render
from tests.mail.smtpd import stored

FIRST_OF_DECEMBER = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)  # 07:00 in Amsterdam


@pytest.fixture
def three_groups(app, make):
    coordinators = {}
    for area, name in (("bargeres", "Bargeres"), ("emmerhout", "Emmerhout"), ("angelslo", "Angelslo")):
        person = make.person(f"Coördinator {name}")
        group = make.group(area, name=f"Buurtpreventie {name}", coordinator=person)
        coordinators[name] = (person, group)
    # Named before names were refused with line breaks.
    with app.app_context():
        db.session().execute(
            update(Group).where(Group.id == coordinators["Bargeres"][1].id).values(name="Buurtpreventie\r\nBargeres")
        )
        db.session().commit()
    return coordinators


def subjects_by_address(app) -> dict[str, list[str]]:
    with app.app_context():
        found: dict[str, list[str]] = {}
        for address, message in db.session().execute(select(Email.to_address, Email.message)):
            found.setdefault(address, []).append(str(stored(message)["Subject"]))
        return found


def run_the_job(app, later: dt.timedelta = dt.timedelta(0)) -> JobRun:
    """Run it by hand, as `flask jobs run` does (a slot of its own at that moment)."""
    with app.app_context(), time_machine.travel(FIRST_OF_DECEMBER + later, tick=False):
        scheduler.run_now("monthly-summary")
        return (
            db.session()
            .scalars(select(JobRun).where(JobRun.job == "monthly-summary").order_by(JobRun.id.desc()))
            .first()
        )


def test_a_group_name_with_a_line_break_from_old_data_still_gets_its_summary_on_one_subject_line(app, three_groups):
    run = run_the_job(app)

    assert run.error is None
    subjects = subjects_by_address(app)
    assert len(subjects) == 3
    bargeres = three_groups["Bargeres"][0]
    [subject] = subjects[bargeres.email]
    assert "Buurtpreventie Bargeres" in subject and "\n" not in subject


def test_one_group_s_failing_summary_leaves_the_others_sent_is_recorded_and_a_rerun_sends_it_once(
    app, three_groups, monkeypatch, caplog
):
    emmerhout_person, emmerhout = three_groups["Emmerhout"]
    chart = render.chart_png

    def broken_for_emmerhout(summary, locale):
        if summary["group"]["name"] == "Buurtpreventie Emmerhout":
            raise RuntimeError("the chart library fell over")
        return chart(summary, locale)

    monkeypatch.setattr(render, "chart_png", broken_for_emmerhout)
    run = run_the_job(app)

    sent_to = subjects_by_address(app)
    assert set(sent_to) == {three_groups["Bargeres"][0].email, three_groups["Angelslo"][0].email}
    assert run.error is not None and str(emmerhout.id) in run.error and "1 of 3 groups" in run.error
    assert any(str(emmerhout.id) in r.getMessage() for r in caplog.records if r.levelname == "ERROR")

    monkeypatch.setattr(render, "chart_png", chart)
    rerun = run_the_job(app, later=dt.timedelta(minutes=30))

    assert rerun.error is None
    sent_to = subjects_by_address(app)
    assert set(sent_to) == {person.email for person, _ in three_groups.values()}
    assert all(len(subjects) == 1 for subjects in sent_to.values())  # nobody twice
    assert sent_to[emmerhout_person.email] == [s for s in sent_to[emmerhout_person.email] if "Emmerhout" in s]
