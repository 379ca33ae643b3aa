"""Verifies ID tokens with firebase-admin (signature, expiry, audience, issuer)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import firebase_admin
import google.auth.jwt
import google.oauth2.credentials
from firebase_admin import auth as firebase_auth
from firebase_admin import credentials

from buurtwacht.auth.local_key import ISSUER_PREFIX, LocalSigningKey
from buurtwacht.config import Settings

CLOCK_SKEW = 10  # seconds of difference allowed between Firebase's clock and ours

# What a caller is told about a refused token: fixed texts, never the verifier's own (times, project ids).
EXPIRED = "the ID token has expired; get a fresh one from Firebase"
NOT_YET_VALID = "the ID token is not valid yet: check the device's clock, then get a fresh one from Firebase"
WRONG_PROJECT = "the ID token is not valid: it was issued for another Firebase project"
MALFORMED = "the ID token is not valid: it is not a well-formed Firebase ID token"
BAD_SIGNATURE = "the ID token is not valid: its signature could not be verified"


class TokenRejected(Exception):
    """The token is missing, malformed, forged, expired or for another project."""


class KeysUnavailable(Exception):
    """Google's public keys could not be fetched: nobody can be verified just now."""


class IdentityVerifier:
    """One firebase-admin App per Flask app; made on first use, so create_app does no I/O.

    A token that verified once is remembered until it expires (bounded LRU): the app sends the
    same token on every call for up to an hour, and firebase-admin's check costs about a
    millisecond, mostly in fetching the (cached) certificates through requests.
    """

    CACHE_SIZE = 4096

    def __init__(self, settings: Settings, instance_path: str) -> None:
        self._settings = settings
        self._instance_path = instance_path
        self._lock = threading.Lock()
        self._firebase_app: firebase_admin.App | None = None
        self._local_key: LocalSigningKey | None = None
        self._verified: OrderedDict[bytes, dict[str, Any]] = OrderedDict()

    @property
    def local_key(self) -> LocalSigningKey:
        if self._settings.AUTH_MODE != "local":
            raise RuntimeError("the local signing key is only available in AUTH_MODE=local")
        with self._lock:
            if self._local_key is None:
                path = Path(self._settings.AUTH_LOCAL_KEY_FILE)
                if not path.is_absolute():
                    path = Path(self._instance_path) / path
                self._local_key = LocalSigningKey(path)
        return self._local_key

    def _app(self) -> firebase_admin.App:
        with self._lock:
            if self._firebase_app is None:
                self._firebase_app = firebase_admin.initialize_app(
                    _credential(self._settings),
                    {"projectId": self._settings.FIREBASE_PROJECT_ID},
                    name=f"buurtwacht-auth-{id(self)}",
                )
        return self._firebase_app

    def verify(self, token: str) -> dict[str, Any]:
        digest = hashlib.sha256(token.encode()).digest()
        with self._lock:
            claims = self._verified.get(digest)
            if claims is not None:
                if claims["exp"] > time.time():
                    self._verified.move_to_end(digest)
                    return dict(claims)
                del self._verified[digest]
        claims = self._verify_with_firebase(token)
        with self._lock:
            self._verified[digest] = claims
            while len(self._verified) > self.CACHE_SIZE:
                self._verified.popitem(last=False)
        return dict(claims)

    def _verify_with_firebase(self, token: str) -> dict[str, Any]:
        app = self._app()
        if self._settings.AUTH_MODE == "local":
            verifier_session = firebase_auth._get_client(app)._token_verifier.request.session
            if not getattr(verifier_session, "_buurtwacht_local", False):
                self.local_key.serve_certificates_on(verifier_session)
                verifier_session._buurtwacht_local = True
        try:
            claims: dict[str, Any] = firebase_auth.verify_id_token(token, app=app, clock_skew_seconds=CLOCK_SKEW)
        except firebase_auth.ExpiredIdTokenError as exc:
            raise TokenRejected(EXPIRED) from exc
        except firebase_auth.CertificateFetchError as exc:
            raise KeysUnavailable("the sign-in keys could not be fetched; try again shortly") from exc
        except Exception as exc:
            # firebase-admin's own text names our project and clock ("Token used too early, 1733300000 <
            # 1733300001"): the caller gets one of a few fixed reasons instead.
            raise TokenRejected(_reason(token, self._settings.FIREBASE_PROJECT_ID)) from exc
        return claims

    def close(self) -> None:
        if self._firebase_app is not None:
            firebase_admin.delete_app(self._firebase_app)
            self._firebase_app = None


def _credential(settings: Settings) -> Any:
    if settings.FIREBASE_CREDENTIALS_FILE:
        return credentials.Certificate(settings.FIREBASE_CREDENTIALS_FILE)
    # Verifying ID tokens needs the project id only; this stand-in is never sent anywhere.
    return google.oauth2.credentials.Credentials("unused-for-token-verification")


def _reason(token: str, project_id: str) -> str:
    """Why firebase-admin refused a token, told from the token alone, in words that reveal nothing of the server."""
    try:
        header = google.auth.jwt.decode_header(token)
        payload = google.auth.jwt.decode(token, verify=False)
    except Exception:
        return MALFORMED
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return MALFORMED
    subject, issued, expires = payload.get("sub"), payload.get("iat"), payload.get("exp")
    if (
        header.get("alg") != "RS256"
        or not header.get("kid")
        or not isinstance(subject, str)
        or not 1 <= len(subject) <= 128
        or not isinstance(issued, int | float)
        or not isinstance(expires, int | float)
    ):
        return MALFORMED
    if payload.get("aud") != project_id or payload.get("iss") != ISSUER_PREFIX + project_id:
        return WRONG_PROJECT
    now = time.time()
    if issued > now + CLOCK_SKEW or payload.get("nbf", 0) > now + CLOCK_SKEW:
        return NOT_YET_VALID
    if expires < now - CLOCK_SKEW:
        return EXPIRED
    return BAD_SIGNATURE
