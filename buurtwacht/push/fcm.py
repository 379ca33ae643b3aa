"""The FCM adapter: firebase-admin's own send_each, with retries left to the dispatcher.

firebase-admin retries 503s itself (up to four times, honouring Retry-After), which stalls a
whole batch of 500 for one slow answer. The adapter mounts a connection pool without retries,
so each failure comes back at once and the dispatcher schedules that one push again.
`FCM_ENDPOINT` points the same code at another address (a fake FCM on loopback in tests).
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import firebase_admin
import google.oauth2.credentials
import requests
from firebase_admin import credentials, exceptions, messaging

from buurtwacht.config import Settings

GOOGLE_FCM = "https://fcm.googleapis.com"
POOL_SIZE = 512


@dataclass(frozen=True)
class Outcome:
    """What became of one message: sent, retry later (with the server's wish), or never again."""

    ok: bool
    retry: bool = False
    drop_device: bool = False
    retry_after: dt.timedelta | None = None
    error: str | None = None


class FcmSender:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._app: firebase_admin.App | None = None

    def _service(self) -> messaging._MessagingService:
        with self._lock:
            if self._app is None:
                if self._settings.FIREBASE_CREDENTIALS_FILE:
                    credential: object = credentials.Certificate(self._settings.FIREBASE_CREDENTIALS_FILE)
                else:
                    # Without a service account (development, tests) FCM_ENDPOINT must name a fake.
                    credential = google.oauth2.credentials.Credentials("local-fcm-token")
                self._app = firebase_admin.initialize_app(
                    credential, {"projectId": self._settings.FIREBASE_PROJECT_ID}, name=f"buurtwacht-push-{id(self)}"
                )
                service = messaging._get_messaging_service(self._app)
                base = (self._settings.FCM_ENDPOINT or GOOGLE_FCM).rstrip("/")
                service._fcm_url = f"{base}/v1/projects/{self._settings.FIREBASE_PROJECT_ID}/messages:send"
                adapter = requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=POOL_SIZE, max_retries=0)
                service._client.session.mount(base, adapter)
            return messaging._get_messaging_service(self._app)

    def send(self, batch: list[messaging.Message]) -> list[Outcome]:
        """Send up to 500 messages; one Outcome per message, in order."""
        if not batch:
            return []
        service = self._service()
        with warnings.catch_warnings():
            # Registration tokens are deprecated in favour of installation ids, but still what
            # most apps register; the warning is about the SDK's future, not an error here.
            warnings.simplefilter("ignore", DeprecationWarning)
            response = service.send_each(batch)
        return [_outcome(r) for r in response.responses]

    def close(self) -> None:
        with self._lock:
            if self._app is not None:
                firebase_admin.delete_app(self._app)
                self._app = None


def _retry_after(error: exceptions.FirebaseError) -> dt.timedelta | None:
    response = getattr(error, "http_response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return dt.timedelta(seconds=max(int(value), 0))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(when - dt.datetime.now(dt.UTC), dt.timedelta(0))


def _outcome(response: messaging.SendResponse) -> Outcome:
    if response.success:
        return Outcome(ok=True)
    error = response.exception
    name = type(error).__name__
    if isinstance(error, (messaging.UnregisteredError, messaging.SenderIdMismatchError)):
        return Outcome(ok=False, drop_device=True, error=name)
    if isinstance(error, exceptions.InvalidArgumentError):
        return Outcome(ok=False, drop_device=True, error=name)
    if isinstance(error, (exceptions.UnavailableError, exceptions.InternalError, messaging.QuotaExceededError)):
        return Outcome(ok=False, retry=True, retry_after=_retry_after(error), error=name)
    if isinstance(error, exceptions.UnknownError):  # network trouble: worth another try
        return Outcome(ok=False, retry=True, error=name)
    return Outcome(ok=False, error=name)
