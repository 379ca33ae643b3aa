"""A fake FCM HTTP v1 server on loopback, for tests and benchmarks.

It answers POST /v1/projects/{project}/messages:send like FCM does, and records every message.
What it answers depends on the target address (token or fid):
  unregistered-*   404 UNREGISTERED (the app was uninstalled)
  invalid-*        400 INVALID_ARGUMENT
  unavailable-*    503 UNAVAILABLE with Retry-After: 1, the first `flaky_times` times per address
  internal-*       500 INTERNAL, the first `flaky_times` times per address
  slow-*           answers after `slow_seconds`
anything else      200 with a message name.
POST /token is Google's OAuth token endpoint for a service account (its `token_uri`): a JWT bearer
assertion is traded for an access token, and every send's Authorization header is recorded.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.loopback import LoopbackServer


class FakeFcm(LoopbackServer):
    def __init__(self, flaky_times: int = 1, slow_seconds: float = 2.0, delay_seconds: float = 0.0) -> None:
        self.flaky_times = flaky_times
        self.slow_seconds = slow_seconds
        self.delay_seconds = delay_seconds  # added to every answer: a network's round trip
        self.received: list[dict[str, Any]] = []
        self.failures: Counter[str] = Counter()
        # OAuth 2.0 (RFC 7523): the JWT assertions a service account sent to /token, the access tokens
        # handed out for them, and the Authorization header of every send.
        self.assertions: list[str] = []
        self.issued: set[str] = set()
        self.authorizations: list[str] = []
        self._lock = threading.Lock()
        self._count = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if self.path == "/token":  # Google's OAuth token endpoint, as a service account's token_uri
                    status, answer, headers = fake.token(urllib.parse.parse_qs(raw.decode()))
                else:
                    with fake._lock:
                        fake.authorizations.append(self.headers.get("Authorization", ""))
                    body = json.loads(raw or b"{}")
                    status, answer, headers = fake.answer(body.get("message", {}))
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        class Server(ThreadingHTTPServer):
            request_queue_size = 1024  # firebase-admin opens up to 500 connections at once

        self.server = Server(("127.0.0.1", 0), Handler)
        self._serve_in_a_thread()


    def answer(self, message: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        address = message.get("token") or message.get("fid") or ""
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        if address.startswith("slow-"):
            time.sleep(self.slow_seconds)
        with self._lock:
            if address.startswith("unregistered-"):
                return 404, _error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."), {}
            if address.startswith("invalid-"):
                return (
                    400,
                    _error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "The registration token is not valid"),
                    {},
                )
            for prefix, status, code in (("unavailable-", 503, "UNAVAILABLE"), ("internal-", 500, "INTERNAL")):
                if address.startswith(prefix) and self.failures[address] < self.flaky_times:
                    self.failures[address] += 1
                    return status, _error(status, code, code, "try again"), {"Retry-After": "1"}
            self._count += 1
            self.received.append(message)
            return 200, {"name": f"projects/fake/messages/{self._count}"}, {}

    def token(self, form: dict[str, list[str]]) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Trade a signed JWT assertion for an access token, as oauth2.googleapis.com/token does.

        The assertion is kept for the test to verify (signature, issuer, audience, scope).
        """
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"] or not form.get("assertion"):
            return 400, {"error": "invalid_grant", "error_description": "a JWT bearer assertion is needed"}, {}
        access = f"fake-access-{secrets.token_hex(8)}"
        with self._lock:
            self.assertions.append(form["assertion"][0])
            self.issued.add(access)
        return 200, {"access_token": access, "expires_in": 3600, "token_type": "Bearer"}, {}

    def to(self, address: str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.received if (m.get("token") or m.get("fid")) == address]

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self.failures.clear()
            self.assertions.clear()
            self.issued.clear()
            self.authorizations.clear()


def _error(status: int, grpc: str, fcm_code: str, text: str) -> dict[str, Any]:
    return {
        "error": {
            "code": status,
            "message": text,
            "status": grpc,
            "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcm_code}],
        }
    }


def main() -> None:
    """Run the fake as its own process (for benchmarks): prints its URL, serves until killed."""
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.0, help="seconds added to every answer")
    args = parser.parse_args()
    fake = FakeFcm(delay_seconds=args.delay)
    print(fake.url, flush=True)
    sys.stdout.flush()
    fake.server.serve_forever()


if __name__ == "__main__":
    main()
