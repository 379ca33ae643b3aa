"""A fake Open311 GeoReport v2 endpoint on loopback, written from the GeoReport v2 specification.

  GET  /services.json                      [{service_code, service_name, description, metadata, type, keywords, group}]
  POST /requests.json (form-encoded)       [{service_request_id, service_notice, account_id}]
  GET  /requests/{service_request_id}.json [{service_request_id, status: open|closed, status_notes, ...}]
Errors are lists of {code, description}, with the HTTP status (400 for bad input, 403 for a bad api_key).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.fakes.municipal import FakeMunicipalServer, Received, Reply

# POST Service Request's arguments.
POST_FIELDS = {"jurisdiction_id", "api_key", "service_code", "lat", "long", "address_string", "address_id",
               "email", "device_id", "account_id", "first_name", "last_name", "phone", "description",
               "media_url"}  # fmt: skip


class FakeOpen311(FakeMunicipalServer):
    def __init__(self, api_key: str = "secret-key") -> None:
        super().__init__()
        self.api_key = api_key
        self.services = {"LITTER": "Zwerfafval", "LIGHT": "Straatverlichting", "CONTAINER": "Volle container"}
        self.requests: dict[str, dict[str, Any]] = {}
        self.forms: dict[str, dict[str, str]] = {}  # what each request was made from
        self.by_key: dict[str, str] = {}

    @property
    def made(self) -> int:
        return len(self.requests)

    def set_status(self, request_id: str, status: str, notes: str) -> None:
        with self.lock:
            self.requests[request_id].update(status=status, status_notes=notes)

    def creates(self) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and r.path == "/requests.json"]

    def route(self, request: Received) -> tuple[int, Any]:
        if request.method == "GET" and request.path == "/services.json":
            return 200, [
                {"service_code": code, "service_name": name, "description": name, "metadata": False,
                 "type": "realtime", "keywords": "", "group": "openbare ruimte"}
                for code, name in self.services.items()
            ]  # fmt: skip
        if request.method == "POST" and request.path == "/requests.json":
            return self._create(request)
        found = re.fullmatch(r"/requests/([^/]+)\.json", request.path)
        if request.method == "GET" and found:
            made = self.requests.get(found.group(1))
            if made is None:
                raise Reply(404, [{"code": 404, "description": "service_request_id not found"}])
            return 200, [made]
        raise Reply(404, [{"code": 404, "description": "not found"}])

    def _create(self, request: Received) -> tuple[int, Any]:
        fault = self.next_fault()
        self.apply_fault_before(fault, [{"code": 500, "description": "internal error"}])
        form = request.form
        if request.json is not None or not form:
            self.breach("a service request is posted form-encoded")
        for name in set(form) - POST_FIELDS:
            self.breach(f"unknown argument {name!r}")
        if form.get("api_key") != self.api_key:
            raise Reply(403, [{"code": 403, "description": "Invalid api_key"}])
        if form.get("service_code") not in self.services:
            raise Reply(400, [{"code": 400, "description": f"service_code {form.get('service_code')!r} not found"}])
        if not (("lat" in form and "long" in form) or form.get("address_string") or form.get("address_id")):
            raise Reply(400, [{"code": 400, "description": "a location is required (lat/long or address)"}])
        key = request.headers.get("idempotency-key")
        with self.lock:
            if key and key in self.by_key:
                return 201, [{"service_request_id": self.by_key[key], "service_notice": "", "account_id": None}]
            request_id = str(1000 + len(self.requests) + 1)
            now = dt.datetime.now(dt.UTC).isoformat()
            self.requests[request_id] = {
                "service_request_id": request_id,
                "status": "open",
                "status_notes": None,
                "service_name": self.services[form["service_code"]],
                "service_code": form["service_code"],
                "description": form.get("description"),
                "requested_datetime": now,
                "updated_datetime": now,
                "lat": float(form["lat"]) if "lat" in form else None,
                "long": float(form["long"]) if "long" in form else None,
                "address": form.get("address_string"),
            }
            self.forms[request_id] = dict(form)
            if key:
                self.by_key[key] = request_id
        self.apply_fault_after(fault)
        return 201, [{"service_request_id": request_id, "service_notice": "", "account_id": None}]
