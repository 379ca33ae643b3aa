"""What a push says: the message catalogue's words in the recipient's language, as an FCM message."""

from __future__ import annotations

import uuid
import warnings
from typing import Any, Protocol

from firebase_admin import messaging

from buurtwacht.messages import text
from buurtwacht.models import AddressKind, Alert, Broadcast, Notification

PATROL_KINDS_WITH_TITLE = "push.title"


def alert_texts(alert: Alert, broadcast: Broadcast, locale: str, superseded: bool = False) -> tuple[str, str]:
    """(title, body) of one phase of an alert; exercises say so in every text, and every text says to call 112
    first. `superseded`: the close replaces an update this phone did not get (it is not sent after the close)."""
    prefix = text("alert.exercise_prefix", locale) if alert.is_exercise else ""
    saar = text("alert.saar", locale)
    if broadcast.phase == "new":
        title = text("alert.new.title", locale, prefix=prefix, headline=alert.headline)
        body = text("alert.new.body", locale, description=alert.description, instruction=alert.instruction, saar=saar)
    elif broadcast.phase == "update":
        title = text("alert.update.title", locale, prefix=prefix, headline=alert.headline)
        body = text("alert.update.body", locale, text=broadcast.body or "", saar=saar)
    else:
        ending = str(alert.outcome) if alert.outcome else str(alert.status)
        title = text("alert.closed.title", locale, prefix=prefix, headline=alert.headline)
        said = (broadcast.body or "").strip()
        # An expiry has no closing text: the wording without one, so no empty part leaves "Verlopen.  Bedankt".
        closing = "alert.closed.body" if said else "alert.closed.body_without_text"
        replaced = text("alert.closed.superseded", locale) if superseded else ""
        outcome = text(f"alert.outcome.{ending}", locale)
        body = text(closing, locale, outcome=outcome, text=said, superseded=replaced, saar=saar)
        if alert.is_exercise:
            body = prefix + body
    return title, body.strip()


def notification_texts(notification: Notification, locale: str) -> tuple[str, str]:
    return text("push.title", locale), text(notification.kind, locale, **notification.params)


class Addressed(Protocol):
    """A phone's address for FCM: a device row, or just its two columns."""

    @property
    def address_kind(self) -> AddressKind: ...

    @property
    def address(self) -> str: ...


def message(
    device: Addressed, title: str, body: str, data: dict[str, Any], collapse_key: str, urgent: bool
) -> messaging.Message:
    """One FCM message; pushes of one alert share a collapse key, so a phone shows the newest."""
    address: dict[str, str] = (
        {"fid": device.address} if device.address_kind == AddressKind.FID else {"token": device.address}
    )
    with warnings.catch_warnings():
        # firebase-admin deprecates Message(token=...) in favour of installation ids, but FCM
        # registration tokens are still what many phones have: ignore that warning, and only it.
        warnings.filterwarnings("ignore", message=r"Message\.token is deprecated", category=DeprecationWarning)
        return messaging.Message(
            notification=messaging.Notification(title=title[:200], body=body[:1000]),
            data={k: str(v) for k, v in data.items()},
            android=messaging.AndroidConfig(collapse_key=collapse_key, priority="high" if urgent else "normal"),
            apns=messaging.APNSConfig(
                headers={"apns-collapse-id": collapse_key[:64], "apns-priority": "10" if urgent else "5"}
            ),
            **address,
        )


def alert_collapse_key(alert_id: uuid.UUID) -> str:
    return f"alert-{alert_id}"
