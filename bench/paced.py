"""A load at a fixed rate (open loop, as wrk2's -R), with latency counted from when each request was due.

wrk (closed loop) keeps every connection busy: its latency at 64 connections is the time a request
waits behind the others, about 64 / throughput, whatever the API does. This sends requests at a set
rate instead, spread over a pool of keep-alive connections, and counts each request's latency from
the moment it was due, not from when a connection was free to send it: a request that waited for a
connection waited for the server, so a slow server cannot hide its queue ("coordinated omission").

One event loop in the bench's own process; at a few hundred requests a second it takes a small
share of one core (the server's two workers share the machine's cores with it, as they do with wrk).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    non2xx: int = 0
    socket_errors: int = 0
    duration_s: float = 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.duration_s if self.duration_s else 0.0


def request_bytes(method: str, path: str, headers: dict[str, str], body: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"] + [f"{k}: {v}" for k, v in headers.items()]
    data = body.encode()
    if data:
        lines.append(f"Content-Length: {len(data)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The status of the answer, and whether the server keeps the connection open for another."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length, keep_alive = 0, True
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            keep_alive = False  # gunicorn's sync workers answer one request per connection
    if length:
        await reader.readexactly(length)
    return status, keep_alive


async def _run(port: int, make: Callable[[int], bytes], rate: float, seconds: float, connections: int) -> Outcome:
    outcome = Outcome()
    due: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()

    async def connection() -> None:
        streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while (item := await due.get()) is not None:
            at, raw = item
            try:
                if streams is None:
                    streams = await asyncio.open_connection("127.0.0.1", port)
                reader, writer = streams
                writer.write(raw)
                await writer.drain()
                status, keep_alive = await _answer(reader)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                outcome.socket_errors += 1
                keep_alive = False
                status = 0
            if not keep_alive and streams is not None:
                streams[1].close()
                streams = None
            if status:
                outcome.latencies_ms.append((time.perf_counter() - at) * 1000)
                if not 200 <= status < 300:
                    outcome.non2xx += 1
        if streams is not None:
            streams[1].close()

    pool = [asyncio.create_task(connection()) for _ in range(connections)]
    start = time.perf_counter()
    total = round(rate * seconds)
    for n in range(total):
        at = start + n / rate
        wait = at - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        due.put_nowait((at, make(n)))
    for _ in pool:
        due.put_nowait(None)
    await asyncio.gather(*pool)
    outcome.duration_s = time.perf_counter() - start
    return outcome


def run(
    port: int,
    requests: list[tuple[str, str, dict[str, str], str]],
    rate: float,
    seconds: float,
    connections: int,
) -> Outcome:
    """Send `requests` round-robin at `rate` per second for `seconds`; NOTE_ID in a body becomes a new id."""

    def make(n: int) -> bytes:
        method, path, headers, body = requests[n % len(requests)]
        return request_bytes(method, path, headers, body.replace("NOTE_ID", str(uuid.uuid4())))

    return asyncio.run(_run(port, make, rate, seconds, connections))
