"""Waiting out an unavailable dependency: exponential backoff, one log line per try, no busy loop."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def backoff_delays(first: float = 0.5, max_delay: float = 10.0) -> Iterator[float]:
    """0.5, 1, 2, 4 … seconds, capped at max_delay, forever."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, max_delay)


def retry_until_done(call: Callable[[], T], errors: tuple[type[BaseException], ...], message: str,
                     on_wait: Callable[[], None] | None = None, first_delay: float = 0.5, max_delay: float = 10.0,
                     attempts: int | None = None) -> T:
    """Call until it stops raising `errors`, logging "<message>, retrying in Ns" before each wait; after
    `attempts` calls (None: no limit) the last error is raised.

    `on_wait` runs after each sleep, e.g. to keep a consumer's group membership alive.
    """
    for attempt, delay in enumerate(backoff_delays(first_delay, max_delay), start=1):
        try:
            return call()
        except errors as exc:
            if attempt == attempts:
                raise
            log.warning(f"{message}, retrying in {delay:.1f}s", extra={"error": type(exc).__name__, "attempt": attempt})
            time.sleep(delay)
            if on_wait:
                on_wait()
    raise AssertionError("unreachable: backoff_delays never ends")
