"""Injectable time sources: the sandbox clock and a manual clock for tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

__all__ = ["Clock", "ManualClock", "format_utc", "parse_utc", "system_clock"]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real current time, in UTC."""
    return datetime.now(timezone.utc)


class ManualClock:
    """A clock that stands still until told to move; thread-safe."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        self._now = start.astimezone(timezone.utc)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0.0, **kwargs: float) -> datetime:
        """Move forward by ``seconds`` plus any ``timedelta`` keyword (minutes=, days=...)."""
        with self._lock:
            self._now += timedelta(seconds=seconds, **kwargs)
            return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        with self._lock:
            self._now = when.astimezone(timezone.utc)


def format_utc(when: datetime) -> str:
    """``2026-03-10T17:00:00Z``: Zoom's UTC timestamp format (whole seconds)."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """Parse a timestamp written by :func:`format_utc` (or any ISO form with an offset)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
