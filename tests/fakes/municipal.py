"""What the fake Signalen and Open311 servers share: a loopback HTTP server, scripted faults, a contract log.

A test scripts what the next creates meet, in order, with `fault(...)`:
  fault(500)                  answer 500 without making anything
  fault(429, retry_after=7)   answer 429 with Retry-After
  fault(400, body=...)        refuse with the target's own error body
  fault("slow", seconds=2)    make the report, then answer late (the client has given up: a lost answer)
  fault("down")               close the connection without answering
`down = True` refuses every request (the target is away). Creates honour the Idempotency-Key header:
the same key answers the report made before, so `made` counts reports, not requests. Every request
the project sends is checked against the documented shape; what breaks it lands in `contract_errors`.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.loopback import LoopbackServer


@dataclass
class Fault:
    kind: int | str
    seconds: float = 0.0
    retry_after: int | None = None
    body: Any = None


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # name -> (filename, type, data)


class Reply(Exception):
    """Raised by a route to answer at once."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self.status, self.body, self.headers = status, body, headers or {}


class FakeMunicipalServer(LoopbackServer):
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.contract_errors: list[str] = []
        self.faults: deque[Fault] = deque()
        self.down = False
        self.lock = threading.RLock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length) if length else b""
                parts = urllib.parse.urlsplit(self.path)
                request = Received(
                    method=self.command,
                    path=parts.path,
                    query=urllib.parse.parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                _parse_body(request, self.headers.get("Content-Type", ""), raw)
                if fake.down:
                    self.close_connection = True
                    return
                with fake.lock:
                    fake.received.append(request)
                try:
                    status, body = fake.route(request)
                    headers: dict[str, str] = {}
                except Reply as reply:
                    status, body, headers = reply.status, reply.body, reply.headers
                except _Hang:
                    self.close_connection = True
                    return
                payload = json.dumps(body).encode() if body is not None else b""
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            do_GET = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._serve_in_a_thread()


    def fault(self, kind: int | str, seconds: float = 0.0, retry_after: int | None = None, body: Any = None) -> None:
        self.faults.append(Fault(kind, seconds, retry_after, body))

    def route(self, request: Received) -> tuple[int, Any]:
        """(status, JSON body) for a request; raise Reply to answer otherwise."""
        raise NotImplementedError

    def next_fault(self) -> Fault | None:
        with self.lock:
            return self.faults.popleft() if self.faults else None

    def apply_fault_before(self, fault: Fault | None, error_body: Any) -> None:
        """The faults that make nothing: a status, or a dropped connection."""
        if fault is None or fault.kind == "slow":
            return
        if fault.kind == "down":
            raise _Hang
        assert isinstance(fault.kind, int)
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        raise Reply(fault.kind, fault.body if fault.body is not None else error_body, headers)

    @staticmethod
    def apply_fault_after(fault: Fault | None) -> None:
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)

    def breach(self, message: str) -> None:
        with self.lock:
            self.contract_errors.append(message)

    def creates(self) -> list[Received]:
        raise NotImplementedError


class _Hang(Exception):
    pass


def _parse_body(request: Received, content_type: str, raw: bytes) -> None:
    if not raw:
        return
    if content_type.startswith("application/json"):
        request.json = json.loads(raw)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        request.form = {k: v[-1] for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}
    elif content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            if part.get_filename():
                request.files[name] = (part.get_filename(), part.get_content_type(), data)
            else:
                request.form[name] = data.decode()
