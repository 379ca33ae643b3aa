"""A fake of the Firebase Auth emulator on loopback: what the web SDK calls for password sign-in, refresh, reload.

It answers like firebase-tools' Auth emulator (15.x, compared on the wire with the real one), for one project:
  POST /identitytoolkit.googleapis.com/v1/accounts:signInWithPassword   e-mail and password -> ID and refresh token
  POST /identitytoolkit.googleapis.com/v1/accounts:lookup               ID token -> the account (the SDK's reload)
  POST /securetoken.googleapis.com/v1/token                             refresh token -> a new ID token
  OPTIONS on any path                                                   CORS preflight (the console is another origin)
ID tokens are the emulator's: unsigned JWTs (alg "none") that firebase-admin accepts only while
FIREBASE_AUTH_EMULATOR_HOST is set. Refusals are the emulator's error shape with its codes (INVALID_PASSWORD,
EMAIL_NOT_FOUND, INVALID_ID_TOKEN, INVALID_REFRESH_TOKEN). `refuse_refresh` makes the token endpoint refuse every
refresh with a code of the test's choosing (TOKEN_EXPIRED: what Google answers for a revoked session). Any other
call is answered 404 and kept in `unexpected`, so a test can show the SDK needed nothing more.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.loopback import LoopbackServer

IDENTITY = "/identitytoolkit.googleapis.com/v1/"
SECURE_TOKEN = "/securetoken.googleapis.com/v1/token"
ISSUER = "https://securetoken.google.com/"
REFRESH_MARK = "DO NOT MODIFY"  # the emulator's refresh tokens carry this, and only this, as their mark


@dataclass
class Account:
    uid: str
    email: str
    password: str
    email_verified: bool
    created_ms: int


class AuthRefusal(Exception):
    """An answer of 400 with one of the emulator's error codes."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class FakeAuthEmulator(LoopbackServer):
    def __init__(self, project_id: str, token_lifetime: int = 3600) -> None:
        self.project_id = project_id
        self.token_lifetime = token_lifetime
        self.refuse_refresh: str | None = None  # an error code: every refresh is refused with it
        self.clock_offset = 0.0  # seconds added to the fake's time, to follow a browser whose clock a test moved
        self.accounts: dict[str, Account] = {}  # by uid
        self.id_tokens: list[str] = []  # every ID token handed out, in order
        self.calls: list[str] = []  # "POST accounts:signInWithPassword", ...
        self.unexpected: list[str] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def _send(self, status: int, payload: bytes, extra: dict[str, str]) -> None:
                self.send_response(status)
                origin = self.headers.get("Origin")
                if origin:
                    self.send_header("Access-Control-Allow-Origin", origin)
                    self.send_header("Vary", "Origin")
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_OPTIONS(self) -> None:
                self._send(
                    204,
                    b"",
                    {
                        "Access-Control-Allow-Methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
                        "Access-Control-Allow-Headers": self.headers.get("Access-Control-Request-Headers", ""),
                    },
                )

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                path = urllib.parse.urlsplit(self.path).path
                status, answer = fake.answer(path, raw)
                self._send(status, json.dumps(answer).encode(), {"Content-Type": "application/json"})

            def do_GET(self) -> None:
                fake._unexpected(f"GET {self.path}")
                self._send(404, json.dumps(_error(404, "NOT_FOUND")).encode(), {"Content-Type": "application/json"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._serve_in_a_thread()

    @property
    def host(self) -> str:
        """host:port, as FIREBASE_AUTH_EMULATOR_HOST takes it."""
        return f"127.0.0.1:{self.server.server_port}"

    def add_account(self, uid: str, email: str, password: str, *, email_verified: bool = True) -> None:
        """An e-mail and password account, as the emulator's accounts:signUp or the Admin SDK makes one."""
        with self._lock:
            self.accounts[uid] = Account(uid, email.lower(), password, email_verified, int(self._now() * 1000))

    def reset(self) -> None:
        with self._lock:
            self.refuse_refresh = None
            self.clock_offset = 0.0
            self.accounts.clear()
            self.id_tokens.clear()
            self.calls.clear()
            self.unexpected.clear()

    def _unexpected(self, call: str) -> None:
        with self._lock:
            self.unexpected.append(call)

    def answer(self, path: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        if path == SECURE_TOKEN:
            call, handle = "token", self._refresh
            body: dict[str, Any] = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
        elif path.startswith(IDENTITY) and path[len(IDENTITY) :] in ("accounts:signInWithPassword", "accounts:lookup"):
            call = path[len(IDENTITY) :]
            handle = self._sign_in if call == "accounts:signInWithPassword" else self._lookup
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                return 400, _error(400, "INVALID_JSON")
        else:
            self._unexpected(f"POST {path}")
            return 404, _error(404, "NOT_FOUND")
        with self._lock:
            self.calls.append(f"POST {call}")
        try:
            return 200, handle(body)
        except AuthRefusal as refusal:
            return 400, _error(400, refusal.code)

    def _sign_in(self, body: dict[str, Any]) -> dict[str, Any]:
        email = str(body.get("email", "")).lower()
        with self._lock:
            account = next((a for a in self.accounts.values() if a.email == email), None)
        if account is None:
            raise AuthRefusal("EMAIL_NOT_FOUND")
        if account.password != body.get("password"):
            raise AuthRefusal("INVALID_PASSWORD")
        now = int(self._now())
        return {
            "kind": "identitytoolkit#VerifyPasswordResponse",
            "registered": True,
            "localId": account.uid,
            "email": account.email,
            "idToken": self._id_token(account, auth_time=now),
            "refreshToken": self._refresh_token(account, auth_time=now),
            "expiresIn": str(self.token_lifetime),
        }

    def _lookup(self, body: dict[str, Any]) -> dict[str, Any]:
        claims = _unsigned_claims(str(body.get("idToken", "")))
        if claims is None or claims.get("aud") != self.project_id:
            raise AuthRefusal("INVALID_ID_TOKEN")
        with self._lock:
            account = self.accounts.get(str(claims.get("sub")))
        if account is None:
            raise AuthRefusal("USER_NOT_FOUND")
        return {
            "kind": "identitytoolkit#GetAccountInfoResponse",
            "users": [
                {
                    "localId": account.uid,
                    "email": account.email,
                    "emailVerified": account.email_verified,
                    "createdAt": str(account.created_ms),
                    "lastLoginAt": str(int(claims.get("auth_time", 0)) * 1000),
                    "validSince": str(account.created_ms // 1000),
                    "providerUserInfo": [
                        {
                            "providerId": "password",
                            "email": account.email,
                            "federatedId": account.email,
                            "rawId": account.email,
                        }
                    ],
                }
            ],
        }

    def _refresh(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("grant_type") != "refresh_token":
            raise AuthRefusal("INVALID_GRANT_TYPE")
        if self.refuse_refresh:
            raise AuthRefusal(self.refuse_refresh)
        try:
            kept = json.loads(base64.b64decode(str(body.get("refresh_token", "")), validate=True))
        except (ValueError, binascii.Error):
            raise AuthRefusal("INVALID_REFRESH_TOKEN") from None
        if not isinstance(kept, dict) or kept.get("_AuthEmulatorRefreshToken") != REFRESH_MARK:
            raise AuthRefusal("INVALID_REFRESH_TOKEN")
        with self._lock:
            account = self.accounts.get(str(kept.get("localId")))
        if account is None or kept.get("projectId") != self.project_id:
            raise AuthRefusal("INVALID_REFRESH_TOKEN")
        auth_time = int(kept.get("authTime", self._now()))
        id_token = self._id_token(account, auth_time=auth_time)
        return {
            "id_token": id_token,
            "access_token": id_token,
            "expires_in": str(self.token_lifetime),
            "refresh_token": self._refresh_token(account, auth_time=auth_time),
            "token_type": "Bearer",
            "user_id": account.uid,
            "project_id": "12345",  # the emulator's fixed project number
        }

    def _now(self) -> float:
        return time.time() + self.clock_offset

    def _id_token(self, account: Account, *, auth_time: int) -> str:
        now = int(self._now())
        claims = {
            "email": account.email,
            "email_verified": account.email_verified,
            "auth_time": auth_time,
            "user_id": account.uid,
            "firebase": {"identities": {"email": [account.email]}, "sign_in_provider": "password"},
            "iat": now,
            "exp": now + self.token_lifetime,
            "aud": self.project_id,
            "iss": ISSUER + self.project_id,
            "sub": account.uid,
        }
        token = f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(claims)}."
        with self._lock:
            self.id_tokens.append(token)
        return token

    def _refresh_token(self, account: Account, *, auth_time: int) -> str:
        kept = {
            "_AuthEmulatorRefreshToken": REFRESH_MARK,
            "localId": account.uid,
            "provider": "password",
            "extraClaims": {},
            "projectId": self.project_id,
            "authTime": auth_time,  # the emulator keeps this on its side; the SDK never reads a refresh token
        }
        return base64.b64encode(json.dumps(kept).encode()).decode()


def _segment(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _unsigned_claims(token: str) -> dict[str, Any] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return None
    return claims if isinstance(claims, dict) else None


def _error(status: int, code: str) -> dict[str, Any]:
    return {
        "error": {
            "code": status,
            "message": code,
            "errors": [{"message": code, "reason": "invalid", "domain": "global"}],
        }
    }
