"""The demo data `make demo` loads: Emmen's group in Bargeres, its people, and rounds to show.

A mobile developer signs in as a demo volunteer (a token for the e-mail, as `flask token` makes)
and finds the group, the weekly rounds and their own place on the first one; loading again
changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io

import time_machine

from buurtwacht import db, demo
from buurtwacht.auth.service import verifier
from buurtwacht.localtime import to_local

MONDAY_MORNING = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def load(app) -> str:  # type: ignore[no-untyped-def]
    """What `flask demo` does after migrating: load the data, print how to sign in."""
    printed = io.StringIO()
    with app.app_context(), contextlib.redirect_stdout(printed):
        demo._load()
        db.session().commit()
        demo._print_sign_in()
    return printed.getvalue()


def token_for(app, email: str) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return verifier().local_key.sign_id_token(
            app.config["BUURTWACHT"].FIREBASE_PROJECT_ID, uid=f"demo-{email}", email=email, email_verified=True
        )


def test_a_demo_volunteer_finds_the_group_and_a_place_on_the_next_round(app, client):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        load(app)
        printed = load(app)  # `make demo` again keeps the data as it is
        headers = {"Authorization": f"Bearer {token_for(app, demo.VOLUNTEERS[0][0])}"}

        me = client.get("/api/v1/me", headers=headers).get_json()
        upcoming = client.get("/api/v1/me/patrols", headers=headers).get_json()
        group_id = me["memberships"][0]["group_id"]
        roster = client.get(f"/api/v1/groups/{group_id}/patrols", headers=headers).get_json()

    assert "  .venv/bin/flask --app wsgi token bram@buurtwacht.example" in printed  # pasteable as printed
    assert me["person"]["display_name"] == "Bram Jansen"
    assert [(m["group_name"], m["role"]) for m in me["memberships"]] == [(demo.DEMO_GROUP, "volunteer")]
    first = to_local(dt.datetime.fromisoformat(upcoming[0]["patrol"]["starts_at"]))
    assert (first.strftime("%A %H:%M"), upcoming[0]["my_status"], upcoming[0]["confirmed"]) == (
        "Tuesday 20:00", "confirmed", 2,
    )  # fmt: skip
    days = {to_local(dt.datetime.fromisoformat(p["patrol"]["starts_at"])).strftime("%a %H:%M") for p in roster}
    assert days == {"Tue 20:00", "Fri 20:00"}
    assert len({p["patrol"]["schedule_id"] for p in roster}) == 1  # one weekly schedule, not two


def test_flask_demo_prints_the_address_make_demo_serves(app):
    shown = app.test_cli_runner().invoke(args=["demo", "--url", "http://127.0.0.1:8000/"])  # as `make demo PORT=8000`
    assert shown.exit_code == 0, shown.output
    assert 'curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/me' in shown.output
    assert "API docs: http://127.0.0.1:8000/docs" in shown.output
    assert "Web console: http://127.0.0.1:8000/console" in shown.output
    assert "5000" not in shown.output


def test_a_demo_alert_reaches_the_demo_phones_and_push_queued_shows_what_they_would_read(app, client):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        load(app)
        officer = {"Authorization": f"Bearer {token_for(app, demo.OFFICER[0])}"}
        bargeres = next(a["id"] for a in client.get("/api/v1/areas", headers=officer).get_json() if a["code"] == "bargeres")
        started = client.post(
            "/api/v1/alerts",
            json={"kind": "missing_person", "headline": "Vermist: jongen van 8 jaar",
                  "description": "Rode jas, blauwe fiets, richting het kanaal.", "instruction": "Zie je hem? Bel 112.",
                  "area_ids": [bargeres]},
            headers=officer,
        )  # fmt: skip
        assert started.status_code == 201, started.get_json()
        shown = app.test_cli_runner().invoke(args=["push", "queued"])  # expands the alert as a dispatcher would
        stats = client.get(f"/api/v1/alerts/{started.get_json()['alert']['id']}/stats", headers=officer).get_json()
        assert stats["audience"] >= 4  # the coordinator and the three volunteers, each with a phone

    assert shown.exit_code == 0, shown.output
    for _email, name in demo.VOLUNTEERS:
        assert f"{name} (demo-phone-" in shown.output
    assert "Vermist: jongen van 8 jaar" in shown.output
    assert "Bij direct gevaar: bel eerst 112." in shown.output  # in Dutch, the demo people's language
