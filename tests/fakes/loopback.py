"""What every fake HTTP server of the tests shares: it serves on a free loopback port in a thread of its own."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from typing import Self


class LoopbackServer:
    """Subclasses make `self.server` (a ThreadingHTTPServer on 127.0.0.1, port 0) and call `_serve_in_a_thread()`."""

    server: ThreadingHTTPServer

    def _serve_in_a_thread(self) -> None:
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
