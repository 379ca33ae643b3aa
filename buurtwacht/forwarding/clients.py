"""HTTP clients for the municipality's systems: Signalen's public API and Open311 GeoReport v2.

Each call answers with what happened, never raises for the target's answer: ok, retry later (5xx, 429,
a timeout, no connection) or refused for good (any other 4xx, with the target's own message). Every
create carries the forward's Idempotency-Key, so a target that honours it never makes a second report
when an answer was lost on the way back.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass
from typing import Any

import requests

from buurtwacht.forwarding.targets import Target

USER_AGENT = "buurtwacht (neighbourhood watch; forwards public-space notes)"


@dataclass(frozen=True)
class Answer:
    ok: bool
    retry: bool = False
    error: str | None = None
    retry_after: dt.timedelta | None = None
    body: Any = None


@dataclass(frozen=True)
class RemoteStatus:
    state: str  # open, closed (as the target says it, lower case)
    text: str  # what the municipality says, in its words


class Client:
    def __init__(self, target: Target, timeout: float, session: requests.Session | None = None) -> None:
        self.target = target
        self.timeout = timeout
        self.http = session or requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT

    def _call(self, method: str, url: str, **kwargs: Any) -> Answer:
        try:
            response = self.http.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            return Answer(False, retry=True, error=f"no answer within {self.timeout:g} s")
        except requests.RequestException as exc:
            return Answer(False, retry=True, error=f"unreachable: {type(exc).__name__}")
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        if response.status_code < 300:
            return Answer(True, body=body)
        message = f"{response.status_code}: {_message(body) or response.reason or 'refused'}"[:1000]
        if response.status_code == 429 or response.status_code >= 500:
            return Answer(False, retry=True, error=message, retry_after=_retry_after(response))
        return Answer(False, error=message, body=body)

    def categories(self) -> Answer:
        raise NotImplementedError

    def create(self, payload: dict[str, Any], idempotency_key: str) -> Answer:
        raise NotImplementedError

    def attach(self, remote_id: str, data: bytes, content_type: str, filename: str, key: str) -> Answer:
        raise NotImplementedError

    def status(self, remote_id: str) -> tuple[Answer, RemoteStatus | None]:
        raise NotImplementedError


class SignalenClient(Client):
    """Signalen (Amsterdam/signals): anonymous public endpoints under /signals/v1/public/."""

    def _url(self, path: str) -> str:
        return f"{self.target.base_url}/signals/v1/public/{path}"

    def category_url(self, slug: str) -> str:
        main, sub = slug.split("/", 1)
        return self._url(f"terms/categories/{main}/sub_categories/{sub}")

    def categories(self) -> Answer:
        """The active sub-categories as 'main/sub', following the list's pages."""
        found: set[str] = set()
        url: str | None = self._url("terms/categories/")
        while url:
            answer = self._call("GET", url)
            if not answer.ok:
                return answer
            body = answer.body or {}
            mains = body.get("results", []) if isinstance(body, dict) else body
            for main in mains:
                if main.get("is_active", True) is False:
                    continue
                for sub in main.get("sub_categories", []):
                    if sub.get("is_active", True) is not False:
                        found.add(f"{main['slug']}/{sub['slug']}")
            url = ((body.get("_links") or {}).get("next") or {}).get("href") if isinstance(body, dict) else None
        return Answer(True, body=found)

    def create(self, payload: dict[str, Any], idempotency_key: str) -> Answer:
        answer = self._call("POST", self._url("signals/"), json=payload, headers={"Idempotency-Key": idempotency_key})
        if answer.ok and not (isinstance(answer.body, dict) and answer.body.get("signal_id")):
            return Answer(False, retry=True, error="the answer carried no signal_id")
        return answer

    def attach(self, remote_id: str, data: bytes, content_type: str, filename: str, key: str) -> Answer:
        return self._call(
            "POST",
            self._url(f"signals/{remote_id}/attachments/"),
            files={"file": (filename, data, content_type)},
            headers={"Idempotency-Key": key},
        )

    def status(self, remote_id: str) -> tuple[Answer, RemoteStatus | None]:
        answer = self._call("GET", self._url(f"signals/{remote_id}"))
        if not answer.ok or not isinstance(answer.body, dict):
            return answer, None
        status = answer.body.get("status") or {}
        state = str(status.get("state", "")).lower()
        return answer, RemoteStatus(state=state, text=str(status.get("state_display") or state))


class Open311Client(Client):
    """Open311 GeoReport v2: form-encoded requests, JSON answers that are lists."""

    def _params(self) -> dict[str, str]:
        return {"jurisdiction_id": self.target.jurisdiction_id} if self.target.jurisdiction_id else {}

    def categories(self) -> Answer:
        answer = self._call("GET", f"{self.target.base_url}/services.json", params=self._params())
        if not answer.ok:
            return answer
        return Answer(True, body={str(s["service_code"]) for s in answer.body or [] if "service_code" in s})

    def create(self, payload: dict[str, Any], idempotency_key: str) -> Answer:
        form = {**payload, **self._params(), "api_key": self.target.api_key}
        answer = self._call(
            "POST", f"{self.target.base_url}/requests.json", data=form, headers={"Idempotency-Key": idempotency_key}
        )
        if not answer.ok:
            return answer
        first = answer.body[0] if isinstance(answer.body, list) and answer.body else {}
        if first.get("service_request_id"):
            return Answer(True, body={"id": str(first["service_request_id"]), "notice": first.get("service_notice")})
        if first.get("token"):
            # Some endpoints answer with a token first; the id is asked for later (GET tokens/{token}.json).
            return Answer(True, body={"id": f"token:{first['token']}", "notice": first.get("service_notice")})
        return Answer(False, retry=True, error="the answer carried neither service_request_id nor token")

    def resolve(self, remote_id: str) -> str | None:
        """The service_request_id behind a token, once the endpoint has made it."""
        token = remote_id.removeprefix("token:")
        answer = self._call("GET", f"{self.target.base_url}/tokens/{token}.json", params=self._params())
        first = answer.body[0] if answer.ok and isinstance(answer.body, list) and answer.body else {}
        found = first.get("service_request_id")
        return str(found) if found else None

    def status(self, remote_id: str) -> tuple[Answer, RemoteStatus | None]:
        answer = self._call("GET", f"{self.target.base_url}/requests/{remote_id}.json", params=self._params())
        if not answer.ok:
            return answer, None
        first = answer.body[0] if isinstance(answer.body, list) and answer.body else {}
        state = str(first.get("status", "")).lower()
        return answer, RemoteStatus(state=state, text=str(first.get("status_notes") or state))


def client_for(target: Target, timeout: float) -> Client:
    return SignalenClient(target, timeout) if target.kind == "signalen" else Open311Client(target, timeout)


def _message(body: Any) -> str:
    """The target's own words: Open311's [{code, description}], Django REST's {field: [..]} or {detail}."""
    if isinstance(body, list):
        parts = [_message(item) for item in body]
        return "; ".join(p for p in parts if p)
    if isinstance(body, dict):
        if "description" in body:
            return str(body["description"])
        if "detail" in body:
            return str(body["detail"])
        return "; ".join(f"{key}: {_message(value)}" for key, value in body.items())
    return "" if body is None else str(body)


def _retry_after(response: requests.Response) -> dt.timedelta | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return dt.timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when - dt.datetime.now(dt.UTC), dt.timedelta(0))
