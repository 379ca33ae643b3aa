"""Hostile bodies sent over real sockets, to the development server and to gunicorn: a 4xx, never a 500."""

from __future__ import annotations

import http.client
import json

import pytest

from tests.factories import Factory


@pytest.fixture(params=["dev_server", "gunicorn"])
def server(request: pytest.FixtureRequest) -> str:
    base = request.getfixturevalue(request.param)
    return base if isinstance(base, str) else base[0]


def _send(base: str, headers: dict[str, str], body: bytes, chunked: bool = False) -> tuple[int, dict[str, object]]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.putrequest("PATCH", "/api/v1/me")
        for name, value in {**headers, "Content-Type": "application/json"}.items():
            connection.putheader(name, value)
        if chunked:
            connection.putheader("Transfer-Encoding", "chunked")
        else:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        try:
            if chunked:
                for start in range(0, len(body), 64 * 1024):
                    piece = body[start : start + 64 * 1024]
                    connection.send(b"%x\r\n%s\r\n" % (len(piece), piece))
                connection.send(b"0\r\n\r\n")
            else:
                connection.send(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before reading it all
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_json_nested_six_hundred_levels_deep_is_a_400(server: str, make: Factory) -> None:
    bram = make.person("Bram Jansen")
    status, body = _send(server, make.headers(bram), b'{"display_name": ' + b"[" * 600 + b"]" * 600 + b"}")
    assert status == 400, body
    assert body["code"] == 400 and "32 niveaus" in str(body["message"])


def test_two_mebibytes_sent_chunked_are_a_413(server: str, make: Factory) -> None:
    bram = make.person("Bram Jansen")
    status, body = _send(
        server, make.headers(bram), b'{"display_name": "' + b"x" * (2 * 1024 * 1024) + b'"}', chunked=True
    )
    assert status == 413, body
    assert body["code"] == 413
