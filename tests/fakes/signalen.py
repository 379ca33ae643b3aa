"""A fake Signalen on loopback, written from Amsterdam/signals' OpenAPI document (public endpoints).

  GET  /signals/v1/public/terms/categories/                  main categories with their sub_categories, paged
  POST /signals/v1/public/signals/                           V1PublicSignalPost -> 201 V1PublicSignalDetailGet
  GET  /signals/v1/public/signals/{signal_id}                V1PublicSignalDetailGet, 404 when unknown
  POST /signals/v1/public/signals/{signal_id}/attachments/   multipart `file` -> 201
Errors are Django REST framework's: 400 with {field: [message, ...]}.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from tests.fakes.municipal import FakeMunicipalServer, Received, Reply

PREFIX = "/signals/v1/public"
# V1PublicSignalPost's properties; text, location and incident_date_start are required.
POST_FIELDS = {"text", "text_extra", "location", "category", "reporter", "incident_date_start", "incident_date_end",
               "extra_properties"}  # fmt: skip
REPORTER_FIELDS = {"email", "phone", "sharing_allowed"}

DEFAULT_CATEGORIES = {
    "afval": ["zwerfafval", "container-is-vol"],
    "wegen-verkeer-straatmeubilair": ["lantaarnpaal-straatverlichting-niet-werkend", "straatmeubilair"],
}


class FakeSignalen(FakeMunicipalServer):
    def __init__(self) -> None:
        super().__init__()
        self.categories: dict[str, list[str]] = {k: list(v) for k, v in DEFAULT_CATEGORIES.items()}
        self.signals: dict[str, dict[str, Any]] = {}  # signal_id -> what was made
        self.by_key: dict[str, str] = {}  # Idempotency-Key -> signal_id
        self.attachments: dict[str, list[tuple[str, str, bytes]]] = {}
        self.attachment_keys: set[str] = set()

    @property
    def made(self) -> int:
        return len(self.signals)

    def set_status(self, signal_id: str, state: str, display: str) -> None:
        with self.lock:
            self.signals[signal_id]["status"] = {"state": state, "state_display": display}

    def creates(self) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and r.path == f"{PREFIX}/signals/"]

    def route(self, request: Received) -> tuple[int, Any]:
        path = request.path
        if request.method == "GET" and path == f"{PREFIX}/terms/categories/":
            return 200, self._categories(request)
        if request.method == "POST" and path == f"{PREFIX}/signals/":
            return self._create(request)
        found = re.fullmatch(rf"{PREFIX}/signals/([0-9a-f-]+)(/attachments/)?", path)
        if found and request.method == "GET" and not found.group(2):
            signal = self.signals.get(found.group(1))
            if signal is None:
                raise Reply(404, {"detail": "Niet gevonden."})
            return 200, self._detail(found.group(1))
        if found and request.method == "POST" and found.group(2):
            return self._attach(found.group(1), request)
        raise Reply(404, {"detail": "Niet gevonden."})

    def _categories(self, request: Received) -> dict[str, Any]:
        """One main category a page, so a client must follow `_links.next`."""
        mains = sorted(self.categories)
        page = int(request.query.get("page", ["1"])[0])
        chosen = mains[page - 1 : page]
        base = f"{self.url}{PREFIX}/terms/categories/"
        return {
            "_links": {
                "self": {"href": f"{base}?page={page}"},
                "next": {"href": f"{base}?page={page + 1}"} if page < len(mains) else {"href": None},
            },
            "count": len(mains),
            "results": [
                {
                    "_links": {"self": {"href": f"{base}{main}"}},
                    "name": main,
                    "slug": main,
                    "is_active": True,
                    "sub_categories": [
                        {
                            "_links": {"self": {"href": f"{base}{main}/sub_categories/{sub}"}},
                            "name": sub,
                            "slug": sub,
                            "is_active": True,
                        }
                        for sub in self.categories[main]
                    ],
                }
                for main in chosen
            ],
        }

    def _check(self, body: Any) -> dict[str, list[str]]:
        """The request against V1PublicSignalPost: what Signalen would refuse, and contract breaches."""
        errors: dict[str, list[str]] = {}
        if not isinstance(body, dict):
            return {"non_field_errors": ["Invalid data. Expected a dictionary."]}
        for name in set(body) - POST_FIELDS:
            self.breach(f"unknown field {name!r}")
        for name in ("text", "location", "incident_date_start"):
            if name not in body:
                errors[name] = ["Dit veld is vereist."]
        text = body.get("text")
        if text is not None and (not isinstance(text, str) or not 1 <= len(text) <= 3000):
            errors["text"] = ["Zorg ervoor dat dit veld niet meer dan 3000 tekens bevat."]
        geometry = (body.get("location") or {}).get("geometrie") if isinstance(body.get("location"), dict) else None
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if "location" in body and (
            not isinstance(geometry, dict)
            or geometry.get("type") != "Point"
            or not isinstance(coordinates, list)
            or len(coordinates) not in (2, 3)
            or not all(isinstance(c, int | float) for c in coordinates)
        ):
            errors["location"] = ["Invalid GeoJSON point"]
        elif coordinates and not (-180 <= coordinates[0] <= 180 and -90 <= coordinates[1] <= 90):
            errors["location"] = ["coordinates are [longitude, latitude]"]
        try:
            dt.datetime.fromisoformat(str(body.get("incident_date_start")))
        except ValueError:
            if "incident_date_start" in body:
                errors["incident_date_start"] = ["Datetime heeft een ongeldig formaat."]
        category = body.get("category")
        url = category.get("sub_category") if isinstance(category, dict) else None
        listed = {
            f"{self.url}{PREFIX}/terms/categories/{main}/sub_categories/{sub}"
            for main, subs in self.categories.items()
            for sub in subs
        }
        if url not in listed:
            errors["category"] = [f"Ongeldige hyperlink - Object bestaat niet: {url}"]
        reporter = body.get("reporter")
        if reporter is not None and (not isinstance(reporter, dict) or set(reporter) - REPORTER_FIELDS):
            self.breach(f"reporter holds more than {sorted(REPORTER_FIELDS)}")
        return errors

    def _create(self, request: Received) -> tuple[int, Any]:
        fault = self.next_fault()
        self.apply_fault_before(fault, {"detail": "Server error"})
        key = request.headers.get("idempotency-key")
        with self.lock:
            if key and key in self.by_key:
                return 201, self._detail(self.by_key[key])
            errors = self._check(request.json)
            if errors:
                raise Reply(400, errors)
            signal_id = str(uuid.uuid4())
            self.signals[signal_id] = {
                "number": len(self.signals) + 1,
                "body": request.json,
                "status": {"state": "OPEN", "state_display": "Gemeld"},
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
            }
            if key:
                self.by_key[key] = signal_id
        self.apply_fault_after(fault)
        return 201, self._detail(signal_id)

    def _detail(self, signal_id: str) -> dict[str, Any]:
        signal = self.signals[signal_id]
        return {
            "_display": f"SIG-{signal['number']}",
            "signal_id": signal_id,
            "created_at": signal["created_at"],
            "updated_at": signal["created_at"],
            "incident_date_start": signal["body"]["incident_date_start"],
            "incident_date_end": None,
            "status": dict(signal["status"]),
        }

    def _attach(self, signal_id: str, request: Received) -> tuple[int, Any]:
        if signal_id not in self.signals:
            raise Reply(404, {"detail": "Niet gevonden."})
        fault = self.next_fault()
        self.apply_fault_before(fault, {"detail": "Server error"})
        if set(request.files) != {"file"}:
            self.breach(f"an attachment is one multipart field `file`, got {sorted(request.files)}")
            raise Reply(400, {"file": ["Er is geen bestand opgestuurd."]})
        key = request.headers.get("idempotency-key", "")
        with self.lock:
            if key not in self.attachment_keys:
                self.attachment_keys.add(key)
                self.attachments.setdefault(signal_id, []).append(request.files["file"])
        return 201, {"_display": f"attachment of {signal_id}", "is_image": True}
