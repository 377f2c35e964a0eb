"""Keeping `newsfuse up`'s services running: a service that exits is started again, after a growing delay.

The processor exits on purpose (code 70) when something unexpected happens, counting on a restart to redo
the unacknowledged batch; docker-compose does that with `restart: unless-stopped`, this does it for `up`.
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from services.common.broker import terminate
from services.common.retry import backoff_delays

log = logging.getLogger(__name__)


class RestartBackoff:
    """1 s, 2 s, 4 s … up to 30 s between restarts; back to 1 s once a start has stayed up `stable_after` s,
    so one crash a day is not punished like a crash loop."""

    def __init__(self, first: float = 1.0, max_delay: float = 30.0, stable_after: float = 60.0) -> None:
        self.first, self.max_delay, self.stable_after = first, max_delay, stable_after
        self._delays: Iterator[float] = backoff_delays(first, max_delay)

    def next_delay(self, ran_for: float) -> float:
        if ran_for >= self.stable_after:
            self._delays = backoff_delays(self.first, self.max_delay)
        return next(self._delays)


@dataclass
class _Child:
    start: Callable[[], subprocess.Popen]
    backoff: RestartBackoff = field(default_factory=RestartBackoff)
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None   # set while waiting out the backoff
    stopped: bool = False             # stopped on purpose: never restarted


class Supervisor:
    """Start named processes and start again any that exits, until it is stopped on purpose."""

    def __init__(self, starters: dict[str, Callable[[], subprocess.Popen]],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._children = {name: _Child(start) for name, start in starters.items()}
        self._clock = clock
        self.restarts = 0

    def start_all(self) -> None:
        for child in self._children.values():
            self._start(child)

    def check(self) -> None:
        """Call often: notices exits and performs restarts that are due."""
        now = self._clock()
        for name, child in self._children.items():
            if child.stopped:
                continue
            if child.restart_at is not None:
                if now >= child.restart_at:
                    log.warning(f"restarting {name}")
                    self._start(child)
                    self.restarts += 1
            elif child.process is not None and child.process.poll() is not None:
                delay = child.backoff.next_delay(ran_for=now - child.started_at)
                log.warning(f"{name} exited with code {child.process.returncode}, restarting in {delay:.0f}s",
                            extra={"service": name, "exit_code": child.process.returncode})
                child.restart_at = now + delay

    def stop(self, name: str) -> None:
        """Stop one service for good (SIGTERM, then SIGKILL if it does not exit)."""
        child = self._children[name]
        child.stopped = True
        if child.process is not None:
            terminate(child.process)

    def _start(self, child: _Child) -> None:
        child.process = child.start()
        child.started_at = self._clock()
        child.restart_at = None
