"""A volunteer's evening through a Python client generated from openapi/openapi.json alone.

openapi-python-client turns the committed document into a package; the test then talks to the
app over real HTTP with it: sign in, find a patrol, sign up, check in, record a note, receive an
alert on the (fake) FCM, send a tip and say "I'm looking". If the document were wrong or too
vague for a generator, this is where it would show.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from werkzeug.serving import make_server

from buurtwacht.models import MembershipRole
from buurtwacht.push import dispatcher

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "openapi" / "openapi.json"
PACKAGE = "buurtwacht_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package, generated from the committed document into a temporary folder."""
    generator = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    assert generator, "openapi-python-client is installed with the dev extras"
    folder = tmp_path_factory.mktemp("client")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(  # noqa: S603 - our own tool on our own document
        [generator, "generate", "--path", str(DOCUMENT), "--meta", "none", "--output-path", str(folder / PACKAGE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout  # every part of the document was understood
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app on a real HTTP port on loopback."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        thread.join(10)


def api(package: ModuleType, path: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.api.{path}")


def model(package: ModuleType, name: str) -> Any:
    return getattr(importlib.import_module(f"{PACKAGE}.models"), name)


def test_a_volunteers_evening_with_the_generated_client(generated, server, app, make, fcm):
    sanne, anna, bram = make.person("Sanne Mulder"), make.person("Anna de Vries"), make.person("Bram Jansen")
    make.officer(sanne, "emmen-zuid")
    group = make.group("bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)

    def signed_in(person: Any) -> Any:  # the app hands the SDK its Firebase ID token
        token = make.headers(person)["Authorization"].split()[1]
        return generated.AuthenticatedClient(base_url=server, token=token, raise_on_unexpected_status=True)

    coordinator, volunteer, officer = signed_in(anna), signed_in(bram), signed_in(sanne)

    # Sign in: who am I, and where do I belong?
    me = api(generated, "people.get_me").sync(client=volunteer)
    assert me.person.display_name == "Bram Jansen"
    assert [(m.group_id, m.role.value) for m in me.memberships] == [(group.id, "volunteer")]

    # The coordinator plans tonight's round; the volunteer finds it among the open ones.
    starts = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)).replace(microsecond=0)
    planned = api(generated, "patrols.plan_patrol").sync(
        group.id,
        client=coordinator,
        body=model(generated, "PatrolCreate").from_dict(
            {
                "starts_at": starts.isoformat(),
                "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
                "meeting_point": "Kapelstraat bij de kerk",
            }
        ),
    )
    found = api(generated, "patrols.list_group_patrols").sync(group.id, client=volunteer, open_=True)
    assert [p.patrol.id for p in found] == [planned.id]
    assert found[0].places_left is not None and found[0].my_status is None

    # Sign up, and check in: it opens half an hour before the start.
    signup = api(generated, "patrols.sign_up_for_patrol").sync(planned.id, client=volunteer)
    assert signup.status.value == "confirmed"
    checked_in = api(generated, "patrols.check_in").sync(planned.id, client=volunteer)
    assert checked_in.checked_in_at is not None

    # A note on the way, sent twice as a phone's offline queue would: one note.
    note_id = uuid.uuid4()
    note = model(generated, "NoteCreate").from_dict(
        {
            "id": str(note_id),
            "category": "clean_whole_safe",
            "what": "Straatlantaarn kapot op de hoek van de Kapelstraat",
            "observed_at": dt.datetime.now(dt.UTC).isoformat(),
            "street": "Kapelstraat",
            "patrol_id": str(planned.id),
        }
    )
    record = api(generated, "notes.record_note")
    first, again = (
        record.sync(group.id, client=volunteer, body=note),
        record.sync(group.id, client=volunteer, body=note),
    )
    assert first.id == again.id == note_id
    notes = api(generated, "notes.list_group_notes").sync(group.id, client=coordinator)
    assert [n.id for n in notes] == [note_id]

    # The phone registers for pushes; the wijkagent asks Bargeres to look out.
    api(generated, "devices.register_device").sync(
        uuid.uuid4(),
        client=volunteer,
        body=model(generated, "DeviceRegister").from_dict(
            {"address_kind": "fid", "address": "fid-bram-phone", "platform": "android"}
        ),
    )
    started = api(generated, "alerts.start_alert").sync(
        client=officer,
        body=model(generated, "AlertCreate").from_dict(
            {
                "kind": "missing_person",
                "headline": "Vermist: jongen van 8 jaar",
                "description": "Jongen, 8 jaar, rode jas, blauwe fiets, vanaf de speeltuin richting het kanaal.",
                "instruction": "Zie je hem? Bel 112 en blijf bij hem.",
                "area_ids": [make.area_id("bargeres")],
            }
        ),
    )
    with app.app_context():
        dispatcher.run(stop_when_idle=True)
    [push] = fcm.to("fid-bram-phone")
    alert_id = uuid.UUID(push["data"]["alert_id"])
    assert alert_id == started.alert.id

    # The volunteer reads it, answers with a tip, and says they are looking.
    seen = api(generated, "alerts.get_alert").sync(alert_id, client=volunteer)
    assert seen.alert.headline == "Vermist: jongen van 8 jaar"
    tip = model(generated, "TipCreate").from_dict({"id": str(uuid.uuid4()), "text": "Rode fiets bij het kanaal"})
    assert api(generated, "alerts.send_tip").sync(alert_id, client=volunteer, body=tip)
    api(generated, "alerts.start_looking").sync(alert_id, client=volunteer)
    stats = api(generated, "alerts.get_alert_stats").sync(alert_id, client=officer)
    assert (stats.tips, stats.responders) == (1, 1)
    tips = api(generated, "alerts.list_tips").sync(alert_id, client=officer)
    assert [t.text for t in tips] == ["Rode fiets bij het kanaal"]
