"""Long-running worker processes (the push and forwarding dispatchers): rounds until told to stop."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import Any


def run_until_stopped(one_round: Callable[[], bool], idle_sleep: float, stop_when_idle: bool = False) -> None:
    """Call `one_round` (True when it found work) until SIGTERM/SIGINT, which let the round in hand finish;
    sleep `idle_sleep` after an idle round, or stop there if asked."""
    stopping = False

    def _stop(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    in_main = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)} if in_main else {}
    try:
        while not stopping:
            if not one_round():
                if stop_when_idle:
                    break
                time.sleep(idle_sleep)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
