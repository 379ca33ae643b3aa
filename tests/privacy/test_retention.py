"""Retention, at 03:30 on Monday 2 November 2026: what is kept no longer than needed goes, and the counts stay.

Bargeres keeps notes 12 months (the default), the Rietlanden 24, Noordbarge asked for 36 and gets the
maximum of 24. Photos, tips and the location of a closed alert go after 30 days; devices nobody used
for 90 days, expired and revoked invite codes, and audit rows past their legal term go too. Deleting
notes first adds them to the monthly counts, so the summaries of those months still show them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from PIL import Image
from sqlalchemy import func, select, update

from buurtwacht import db, scheduler
from buurtwacht.models import (
    Alert,
    AlertKind,
    AlertStatus,
    AlertTip,
    Delivery,
    DeliveryStatus,
    Device,
    Email,
    Group,
    GroupInvite,
    Note,
    NoteAccess,
    NoteMonthCount,
    NotePhoto,
    Notification,
    Outcome,
    Severity,
)
from buurtwacht.models.alert import Urgency
from buurtwacht.notes import photos
from buurtwacht.privacy.jobs import note_count
from tests.scheduler.walk import local

NOW = local(2026, 11, 2, 3, 30)
SLOT = "2026-11-02T03:30"


def add(app, *rows) -> None:
    with app.app_context():
        db.session().add_all(rows)
        db.session().commit()


def photo_dir(app) -> Path:
    return Path(app.config["BUURTWACHT"].PHOTO_DIR)


def photo(app, note_id: uuid.UUID, taken: dt.datetime) -> Path:
    """A photo on a note, taken (and stored) at `taken`."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "PNG")
    image = photos.clean(out.getvalue())
    key = photos.store(photo_dir(app), image)
    row = NotePhoto(
        note_id=note_id, storage_key=key, content_type=image.content_type, size_bytes=len(image.data),
        width=image.width, height=image.height, created_at=taken,
    )  # fmt: skip
    add(app, row)
    return photos.path_of(photo_dir(app), key)


def closed_alert(app, issuer, closed: dt.datetime | None, status=AlertStatus.CLOSED) -> uuid.UUID:
    """A circle alert with two tips; closed (or ended otherwise) at `closed`, or still open."""
    alert = Alert(
        issuer_id=issuer.id, kind=AlertKind.MISSING_PERSON, headline="Vermist: jongen van 8 jaar",
        description="Rode jas, blauwe fiets.", instruction="Bel 112.", urgency=Urgency.IMMEDIATE,
        severity=Severity.SEVERE, centre_lat=52.77, centre_lon=6.878, radius_m=800, status=status,
        outcome=Outcome.FOUND if status == AlertStatus.CLOSED else None,
        created_at=(closed or NOW) - dt.timedelta(hours=2), expires_at=(closed or NOW) + dt.timedelta(hours=1),
        closed_at=closed,
    )  # fmt: skip
    add(app, alert)
    for _ in range(2):
        tip = AlertTip(
            id=uuid.uuid4(), alert_id=alert.id, person_id=issuer.id, text="Gezien bij de brug.",
            lat=52.771, lon=6.879, created_at=alert.created_at + dt.timedelta(minutes=20),
        )  # fmt: skip
        add(app, tip)
    return alert.id


def set_retention(app, group, months: int) -> None:
    with app.app_context():
        db.session().execute(update(Group).where(Group.id == group.id).values(note_retention_months=months))
        db.session().commit()


@pytest.fixture
def audit_term(app, monkeypatch):
    """Audit rows are kept 400 days here (the law's term is configurable)."""
    monkeypatch.setitem(
        app.config, "BUURTWACHT", dataclasses.replace(app.config["BUURTWACHT"], AUDIT_RETENTION_DAYS=400)
    )


@pytest.fixture
def november(app, make, audit_term) -> SimpleNamespace:
    anna, sanne = make.person("Anna de Vries"), make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    bargeres = make.group("bargeres", coordinator=anna)
    rietlanden, noordbarge = make.group("rietlanden"), make.group("noordbarge")
    set_retention(app, rietlanden, 24)
    set_retention(app, noordbarge, 36)  # more than the law allows a group: 24 it is
    note = make.past_note
    s = SimpleNamespace(anna=anna, sanne=sanne, bargeres=bargeres, rietlanden=rietlanden, noordbarge=noordbarge)
    s.september_2025 = note(
        bargeres, anna, "traffic_safety", local(2025, 9, 15, 20, 0), street="Kapelstraat 1", status="resolved"
    )
    s.october_2025 = note(bargeres, anna, "youth_nuisance", local(2025, 10, 25, 21, 0), street="Dordsestraat 2")
    s.late_november_2025 = note(bargeres, anna, "traffic_safety", local(2025, 11, 20, 20, 0), street="Kapelstraat 1")
    s.last_week = note(bargeres, anna, "clean_whole_safe", local(2026, 10, 26, 20, 0), street="Kapelstraat 8")
    s.rietlanden_kept = note(rietlanden, None, "traffic_safety", local(2025, 9, 15, 20, 0), street="Wilhelminastraat")
    s.rietlanden_gone = note(rietlanden, None, "drugs", local(2024, 9, 15, 20, 0), street="Wilhelminastraat")
    s.noordbarge_gone = note(noordbarge, None, "events", local(2024, 8, 10, 20, 0), street="Noorderstraat")
    s.noordbarge_kept = note(noordbarge, None, "events", local(2025, 1, 10, 20, 0), street="Noorderstraat")
    s.old_photo_gone_with_note = photo(app, s.september_2025, local(2025, 9, 15, 20, 5))
    s.old_photo = photo(app, s.late_november_2025, local(2025, 11, 20, 20, 5))  # its note stays, the photo goes
    s.fresh_photo = photo(app, s.last_week, local(2026, 10, 26, 20, 5))

    s.alert_long_closed = closed_alert(app, sanne, local(2026, 9, 20, 22, 0))
    s.alert_long_expired = closed_alert(app, sanne, local(2026, 9, 1, 22, 0), status=AlertStatus.EXPIRED)
    s.alert_recently_closed = closed_alert(app, sanne, local(2026, 10, 10, 22, 0))
    s.alert_open = closed_alert(app, sanne, None, status=AlertStatus.OPEN)

    s.old_phone, s.current_phone = uuid.uuid4(), uuid.uuid4()
    add(
        app,
        Device(id=s.old_phone, person_id=anna.id, address_kind="fid", address="fid-old-phone", platform="android",
               last_seen_at=local(2026, 8, 1, 12, 0)),  # 93 days
        Device(id=s.current_phone, person_id=anna.id, address_kind="fid", address="fid-new-phone", platform="ios",
               last_seen_at=local(2026, 8, 7, 12, 0)),  # 87 days
    )  # fmt: skip
    add(
        app,
        GroupInvite(group_id=bargeres.id, code="VERLOPEN1", expires_at=local(2026, 10, 30, 12, 0)),
        GroupInvite(group_id=bargeres.id, code="INGETROKKEN", expires_at=local(2026, 11, 10, 12, 0),
                    revoked_at=local(2026, 10, 20, 12, 0)),
        GroupInvite(group_id=bargeres.id, code="GELDIG123", expires_at=local(2026, 11, 10, 12, 0)),
    )  # fmt: skip
    add(
        app,
        NoteAccess(note_id=s.rietlanden_kept, reader_id=sanne.id, via="detail", at=local(2025, 9, 20, 9, 0)),
        NoteAccess(note_id=s.late_november_2025, reader_id=sanne.id, via="list", at=local(2025, 11, 21, 9, 0)),
    )
    return s


def retention_at(app, moment: dt.datetime, slot: str) -> None:
    with time_machine.travel(moment, tick=False), app.app_context():
        assert scheduler.run_slot(scheduler.by_name("retention"), slot) is True


def notes_left(app) -> set[uuid.UUID]:
    with app.app_context():
        return set(db.session().scalars(select(Note.id)))


def rolled_up(app) -> list[tuple]:
    with app.app_context():
        rows = db.session().execute(
            select(NoteMonthCount.group_id, NoteMonthCount.month, NoteMonthCount.category, NoteMonthCount.status,
                   NoteMonthCount.count).order_by(NoteMonthCount.month, NoteMonthCount.category)
        )  # fmt: skip
        return [tuple(r) for r in rows]


def test_notes_past_their_group_s_term_are_deleted_and_counted(app, client, make, november):
    s = november
    retention_at(app, NOW, SLOT)
    assert notes_left(app) == {s.late_november_2025, s.last_week, s.rietlanden_kept, s.noordbarge_kept}
    assert rolled_up(app) == [
        (s.noordbarge.id, "2024-08", "events", "open", 1),
        (s.rietlanden.id, "2024-09", "drugs", "open", 1),
        (s.bargeres.id, "2025-09", "traffic_safety", "resolved", 1),
        (s.bargeres.id, "2025-10", "youth_nuisance", "open", 1),
    ]
    assert not s.old_photo_gone_with_note.exists()  # the deleted note's photo file went with it

    # The summaries of those months still count them.
    september = client.get(f"/api/v1/groups/{s.bargeres.id}/summaries/2025-09", headers=make.headers(s.anna)).get_json()
    assert september["notes"]["total"] == 1
    assert [(r["category"], r["count"]) for r in september["notes"]["by_category"]] == [("traffic_safety", 1)]
    assert september["follow_up"] == {"open": 0, "reported": 0, "resolved": 1, "no_action": 0}
    october = client.get(f"/api/v1/groups/{s.bargeres.id}/summaries/2026-10", headers=make.headers(s.anna)).get_json()
    assert (october["notes"]["total"], october["notes"]["same_month_last_year_total"]) == (1, 1)


def test_photos_tips_and_alert_locations_go_30_days_on(app, november):
    s = november
    retention_at(app, NOW, SLOT)
    assert not s.old_photo.exists() and s.fresh_photo.exists()
    with app.app_context():
        session = db.session()
        assert [p.note_id for p in session.scalars(select(NotePhoto))] == [s.last_week]
        assert s.late_november_2025 in set(session.scalars(select(Note.id)))  # the note itself stays its 12 months

        def tips(alert_id):
            return session.scalar(select(func.count()).where(AlertTip.alert_id == alert_id))

        def centre(alert_id):
            alert = session.get_one(Alert, alert_id)
            return (alert.centre_lat, alert.centre_lon)

        for gone in (s.alert_long_closed, s.alert_long_expired):
            assert (tips(gone), centre(gone)) == (0, (None, None))
            assert session.get_one(Alert, gone).headline == "Vermist: jongen van 8 jaar"  # the summaries still list it
        for kept in (s.alert_recently_closed, s.alert_open):
            assert (tips(kept), centre(kept)) == (2, (52.77, 6.878))


def test_unused_devices_spent_invite_codes_and_old_audit_rows_go(app, november):
    s = november
    retention_at(app, NOW, SLOT)
    with app.app_context():
        session = db.session()
        assert set(session.scalars(select(Device.id))) == {s.current_phone}
        assert session.scalars(select(GroupInvite.code)).all() == ["GELDIG123"]
        # Read 408 days ago: past the 400-day term; read 346 days ago: kept.
        assert session.scalars(select(NoteAccess.at)).all() == [local(2025, 11, 21, 9, 0)]


def test_retention_run_again_deletes_nothing_more_and_counts_nothing_twice(app, november):
    s = november
    retention_at(app, NOW, SLOT)
    counts, left = rolled_up(app), notes_left(app)
    with app.app_context():
        assert scheduler.run_slot(scheduler.by_name("retention"), SLOT) is False  # a second scheduler, same night
    retention_at(app, NOW + dt.timedelta(minutes=5), "manual:again")  # by hand, a moment later
    assert (rolled_up(app), notes_left(app)) == (counts, left)
    with app.app_context():
        assert note_count(s.bargeres.id, "2025-09") == 1 and note_count(s.bargeres.id, "2025-10") == 1
        assert db.session().scalar(select(func.count()).select_from(Device)) == 1


def test_a_photo_file_an_aborted_upload_left_behind_goes_after_an_hour(app, november):
    folder = photo_dir(app)
    stray_old, stray_new = folder / f"{uuid.uuid4().hex}.jpg", folder / f"{uuid.uuid4().hex}.jpg"
    for path, written in ((stray_old, NOW - dt.timedelta(hours=2)), (stray_new, NOW - dt.timedelta(minutes=10))):
        path.write_bytes(b"\xff\xd8 not a row")
        os.utime(path, (written.timestamp(), written.timestamp()))
    retention_at(app, NOW, SLOT)
    assert not stray_old.exists() and stray_new.exists()
    assert november.fresh_photo.exists()
    stray_new.unlink()


def test_audit_rows_outlive_the_notes_they_are_about(app, make):
    anna, sanne = make.person("Anna de Vries"), make.person("Sanne Mulder")
    group = make.group("bargeres", coordinator=anna)
    read = local(2025, 9, 20, 9, 0)
    note_id = make.past_note(group, anna, "drugs", local(2025, 9, 15, 20, 0), street="Kapelstraat")
    add(app, NoteAccess(note_id=note_id, reader_id=sanne.id, via="detail", at=read))
    retention_at(app, NOW, SLOT)
    assert notes_left(app) == set()
    with app.app_context():
        assert db.session().scalars(select(NoteAccess.at)).all() == [read]  # 409 of 1826 days


def test_a_coordinator_sets_the_group_s_retention_up_to_24_months(client, make):
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    etag = client.get(f"/api/v1/groups/{group.id}", headers=make.headers(anna)).headers.get("ETag")
    headers = {**make.headers(anna), **({"If-Match": etag} if etag else {})}
    response = client.patch(f"/api/v1/groups/{group.id}", json={"note_retention_months": 24}, headers=headers)
    assert response.status_code == 200, response.get_json()
    etag = response.headers.get("ETag")
    headers = {**make.headers(anna), **({"If-Match": etag} if etag else {})}
    too_long = client.patch(f"/api/v1/groups/{group.id}", json={"note_retention_months": 25}, headers=headers)
    assert too_long.status_code == 422
    assert "tussen 1 en 24" in str(too_long.get_json()["errors"])
    shown = client.get(f"/api/v1/groups/{group.id}", headers=make.headers(anna)).get_json()
    assert shown["note_retention_months"] == 24


def test_an_admin_cannot_keep_a_group_s_notes_longer(client, make):
    anna, gemeente = make.person("Anna de Vries"), make.person("Gert Gemeente", admin=True)
    group = make.group("bargeres", coordinator=anna)
    response = client.patch(
        f"/api/v1/groups/{group.id}", json={"note_retention_months": 6}, headers=make.headers(gemeente)
    )
    assert response.status_code == 403
    assert "coördinatoren" in response.get_json()["message"]
    assert (
        client.get(f"/api/v1/groups/{group.id}", headers=make.headers(anna)).get_json()["note_retention_months"] == 12
    )


def test_sent_mail_and_finished_pushes_go_after_90_days_and_queued_work_stays(app, make):
    anna = make.person("Anna de Vries")
    long_ago, lately = NOW - dt.timedelta(days=91), NOW - dt.timedelta(days=89)

    def mail(subject: str, status: DeliveryStatus, at: dt.datetime) -> Email:
        return Email(person_id=anna.id, to_address=anna.email, subject=subject, message=b"x", status=status,
                     created_at=at)  # fmt: skip

    def push(kind: str, at: dt.datetime, delivery: DeliveryStatus | None) -> Notification:
        row = Notification(id=uuid.uuid4(), person_id=anna.id, kind=kind, params={}, created_at=at,
                           expanded_at=at if delivery else None)  # fmt: skip
        add(app, row)
        if delivery:
            add(app, Delivery(notification_id=row.id, person_id=anna.id, status=delivery))
        return row

    add(
        app,
        mail("Maandoverzicht juli", DeliveryStatus.SENT, long_ago),
        mail("Maandoverzicht juli (mislukt)", DeliveryStatus.FAILED, long_ago),
        mail("Nog in de wachtrij", DeliveryStatus.PENDING, long_ago),  # the server was down: still to send
        mail("Maandoverzicht augustus", DeliveryStatus.SENT, lately),
    )
    push("patrol.sent_long_ago", long_ago, DeliveryStatus.SENT)
    push("patrol.still_retrying", long_ago, DeliveryStatus.PENDING)
    push("patrol.waiting_for_quiet_hours", long_ago, None)
    push("patrol.sent_lately", lately, DeliveryStatus.SENT)

    retention_at(app, NOW, SLOT)

    with app.app_context():
        session = db.session()
        assert sorted(session.scalars(select(Email.subject))) == ["Maandoverzicht augustus", "Nog in de wachtrij"]
        assert sorted(session.scalars(select(Notification.kind))) == [
            "patrol.sent_lately", "patrol.still_retrying", "patrol.waiting_for_quiet_hours",
        ]  # fmt: skip
        assert sorted(session.scalars(select(Delivery.status))) == [DeliveryStatus.PENDING, DeliveryStatus.SENT]
