"""E-mail over SMTP through the outbox: queued with the transaction that causes it, sent after commit,
retried with backoff while the server is away, recorded failed in the end, and never sent twice.

A real SMTP server (aiosmtpd) listens on loopback; its inbox records every RCPT TO it was given (one
per attempt to deliver) and every message it accepted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import uuid

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from buurtwacht import create_app, db
from buurtwacht.mail import outbox
from buurtwacht.mail.sender import send_pending
from buurtwacht.models import DeliveryStatus, Email
from tests.mail.smtpd import REFUSED_DOMAIN, free_port, parts, point_mail_at

T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f6b0000000049454e44ae426082"
)


def queue_mail(app: Flask, to: str, subject: str = "Maandoverzicht") -> uuid.UUID:
    """What a feature does: render the whole message, queue it, commit."""
    with app.app_context():
        message = outbox.render(
            to=to,
            subject=subject,
            text="Wat de groep deed en zag.\n" * 40,
            html="<p>" + "Wat de groep deed en zag. " * 200 + '</p><img src="cid:chart@test">',
            attachments=(outbox.Attachment("overzicht.csv", "text/csv", b"month,count\n2026-10,8\n"),),
            images=(outbox.InlineImage("chart@test", "image/png", PNG),),
        )
        outbox.queue(None, message)
        db.session().commit()
        return db.session().scalars(select(Email.id).where(Email.to_address == to)).one()


def mail(app: Flask, email_id: uuid.UUID) -> Email:
    with app.app_context():
        return db.session().get_one(Email, email_id)


def send(app: Flask) -> tuple[int, int]:
    """One run of the mail job's sender, in an app context of its own like the scheduler's."""
    with app.app_context():
        return send_pending()


# Queued with the transaction, or not at all


@pytest.fixture
def app_with_routes(app, make_settings, smtp_server):
    """An app of its own with two extra routes that queue a mail: one answers 200, one fails after queueing."""
    own = create_app(make_settings(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port))

    def queue_then(status: int):
        def view():
            message = outbox.render(to=f"{status}@example.org", subject=f"Status {status}", text="Hallo.\n")
            outbox.queue(None, message)
            if status == 500:
                raise RuntimeError("the request broke after queueing")
            return {"queued": True}, status

        return view

    for status in (200, 409, 500):
        own.add_url_rule(f"/test/queue-then-{status}", f"queue_then_{status}", queue_then(status), methods=["POST"])
    yield own
    with own.app_context():
        db.database().dispose()


def test_a_mail_queued_in_a_request_that_fails_is_never_sent(app_with_routes, smtp):
    client = app_with_routes.test_client()
    assert client.post("/test/queue-then-200").status_code == 200
    assert client.post("/test/queue-then-409").status_code == 409
    # In testing mode the error may propagate: the session is closed then, and with it the transaction rolled back.
    with contextlib.suppress(RuntimeError):
        assert client.post("/test/queue-then-500").status_code == 500
    with app_with_routes.app_context():
        assert db.session().scalars(select(Email.to_address)).all() == ["200@example.org"]
    send(app_with_routes)
    assert smtp.attempts == ["200@example.org"]  # the committed one is sent; the others never existed


# The server is away


@pytest.fixture
def server_down(app, smtp_server):
    """The app points at a port where nothing listens; MAIL_MAX_ATTEMPTS is 3."""
    before = point_mail_at(app, free_port(), MAIL_MAX_ATTEMPTS=3)
    smtp_server.inbox.reset()
    yield smtp_server
    app.config["BUURTWACHT"] = before
    smtp_server.inbox.reset()


def test_while_the_server_is_down_a_mail_is_retried_with_backoff_then_recorded_failed(app, server_down):
    with time_machine.travel(T0, tick=False) as clock:
        email_id = queue_mail(app, "sanne@politie.example")
        assert send(app) == (0, 0)
        first = mail(app, email_id)
        assert (first.status, first.attempts, first.next_attempt_at) == ("pending", 1, T0 + dt.timedelta(minutes=2))
        assert first.error.startswith("connect: ")

        clock.move_to(T0 + dt.timedelta(minutes=1))  # not due yet: nothing is tried
        assert send(app) == (0, 0)
        assert mail(app, email_id).attempts == 1

        clock.move_to(T0 + dt.timedelta(minutes=2))
        assert send(app) == (0, 0)
        second = mail(app, email_id)
        assert (second.attempts, second.next_attempt_at) == (2, T0 + dt.timedelta(minutes=6))  # waits twice as long

        clock.move_to(T0 + dt.timedelta(minutes=6))
        assert send(app) == (0, 1)  # the third and last attempt
        last = mail(app, email_id)
        assert (last.status, last.attempts, last.sent_at) == ("failed", 3, None)
        assert last.error.startswith("connect: ")

        # The server comes back: a failed mail stays failed.
        point_mail_at(app, server_down.port)
        clock.move_to(T0 + dt.timedelta(hours=1))
        assert send(app) == (0, 0)
    assert server_down.inbox.attempts == []


def test_a_mail_that_waited_for_the_server_is_tried_when_it_is_back(app, server_down):
    with time_machine.travel(T0, tick=False) as clock:
        email_id = queue_mail(app, "sanne@politie.example")
        send(app)
        point_mail_at(app, server_down.port)  # back within the two minutes
        clock.move_to(T0 + dt.timedelta(minutes=1))
        send(app)
        assert server_down.inbox.attempts == []  # it waits its turn
        clock.move_to(T0 + dt.timedelta(minutes=2))
        send(app)
        assert server_down.inbox.attempts == ["sanne@politie.example"]
    assert mail(app, email_id).attempts == 2


def test_a_mail_that_waited_for_the_server_arrives_once_and_whole(app, server_down):
    with time_machine.travel(T0, tick=False) as clock:
        email_id = queue_mail(app, "sanne@politie.example", subject="Maandoverzicht Bargeres, oktober 2026")
        send(app)
        point_mail_at(app, server_down.port)
        clock.move_to(T0 + dt.timedelta(minutes=2))
        assert send(app) == (1, 0)
        clock.move_to(T0 + dt.timedelta(minutes=30))
        assert send(app) == (0, 0)
    [received] = server_down.inbox.received
    assert received.rcpt_tos == ("sanne@politie.example",)
    assert received.message["Subject"] == "Maandoverzicht Bargeres, oktober 2026"
    found = parts(received.message)
    assert found["text"].startswith("Wat de groep deed en zag.")
    assert 'src="cid:chart@test"' in found["html"]
    assert found["attachments"]["overzicht.csv"].get_content() == "month,count\n2026-10,8\n"
    assert found["images"][0].get_content() == PNG
    sent = mail(app, email_id)
    assert (sent.status, sent.attempts, sent.sent_at, sent.error) == ("sent", 2, T0 + dt.timedelta(minutes=2), None)


# Refused


def test_a_refused_recipient_is_recorded_failed_at_once(app, smtp):
    with time_machine.travel(T0, tick=False) as clock:
        refused = queue_mail(app, f"oud-adres@{REFUSED_DOMAIN}")
        result = app.test_cli_runner().invoke(args=["mail", "send"])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == "sent 0, failed 1"
        gone = mail(app, refused)
        assert (gone.status, gone.attempts) == (DeliveryStatus.FAILED, 1)  # not after MAIL_MAX_ATTEMPTS (6)
        assert gone.error.startswith("refused: ") and "550" in gone.error
        clock.move_to(T0 + dt.timedelta(hours=7))
        assert send(app) == (0, 0)
    assert smtp.attempts == [f"oud-adres@{REFUSED_DOMAIN}"]  # never tried again


# Two senders


def race(app: Flask, senders: int = 2) -> None:
    start = threading.Barrier(senders)

    def sender() -> None:
        start.wait()
        for _ in range(8):  # rounds of five: enough for both to go through all thirty and find nothing left
            with app.app_context():
                send_pending(limit=5)

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


def test_two_senders_racing_try_each_mail_once(app, smtp):
    addresses = [f"lid{n}@example.org" for n in range(30)]
    ids = [queue_mail(app, address) for address in addresses]
    race(app)
    assert sorted(smtp.attempts) == sorted(addresses)  # every mail tried, none by both
    with app.app_context():
        assert set(db.session().scalars(select(Email.attempts).where(Email.id.in_(ids)))) == {1}


def test_two_senders_racing_deliver_each_mail_once(app, smtp):
    addresses = [f"lid{n}@example.org" for n in range(30)]
    for address in addresses:
        queue_mail(app, address)
    race(app)
    received = smtp.received
    assert sorted(r.to for r in received) == sorted(addresses)
    assert len({r.message["Message-ID"] for r in received}) == len(addresses)
    with app.app_context():
        assert set(db.session().scalars(select(Email.status))) == {DeliveryStatus.SENT}


# A header from old data


def test_a_subject_with_a_line_break_from_old_data_is_folded_to_one_line_not_an_error(app, smtp):
    # A group named before names were refused with line breaks: the e-mail package raised on it.
    queue_mail(app, "anna@example.org", subject="Maandoverzicht Bargeres\r\nBcc: iedereen@example.org\n")
    assert send(app) == (1, 0)

    [received] = smtp.received
    assert received.message["Subject"] == "Maandoverzicht Bargeres Bcc: iedereen@example.org"
    assert received.message["Bcc"] is None
    assert smtp.attempts == ["anna@example.org"]
