"""Zoom's rate limits: per-account per-category QPS and daily caps, and the per-user meeting cap."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from zoom_agent_tools.sandbox.errors import ZoomAPIError
from zoom_agent_tools.sandbox.limits import DAILY_MEETING_WRITES, LIGHT, PLANS

__all__ = ["QPS_MESSAGE", "RateLimiter"]

QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. Refer to the response header"
    " for details on when you can make another request."
)
MEETING_WRITES_MESSAGE = (
    "You have exceeded the daily rate limit ({cap}) of Meeting Create/Update API requests"
    " permitted for this particular user. You may resume these requests at GMT 00:00:00."
)


def _next_midnight(now: datetime) -> str:
    day = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return (day + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _limited(message: str, category: str, kind: str, limit: int, retry_after: str) -> ZoomAPIError:
    """Zoom's 429 answer; ``kind`` is ``QPS`` or ``Daily-limit``."""
    return ZoomAPIError(
        429,
        429,
        message,
        headers={
            "X-RateLimit-Category": category,
            "X-RateLimit-Type": kind,
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0",
            "Retry-After": retry_after,
        },
    )


class RateLimiter:
    """Counts requests; ``check`` raises Zoom's 429 or returns the headers for a success.

    Like Zoom, it counts per account and category, whichever app, token or connection a
    request comes with. Per-second windows use ``ticker`` (monotonic seconds, injectable for
    tests) so a frozen sandbox clock does not pile every request into one second; daily
    windows use the sandbox clock's UTC date. A ``plan`` without limits (``"unlimited"``)
    never refuses. ``refused`` counts the 429s answered, by category and limit type.
    """

    def __init__(
        self,
        *,
        plan: str,
        enabled: bool,
        clock: Callable[[], datetime],
        ticker: Callable[[], float] = time.monotonic,
        daily_meeting_writes: int = DAILY_MEETING_WRITES,
    ) -> None:
        self.plan = plan
        self.daily_meeting_writes = daily_meeting_writes
        self.refused: Counter[str] = Counter()
        self.enabled = enabled
        self.clock = clock
        self.ticker = ticker
        self._lock = threading.Lock()
        self._second: dict[tuple[str, str], tuple[int, int]] = {}
        self._daily: dict[tuple[str, str, str], int] = {}
        self._writes: dict[tuple[str, str], int] = {}

    @property
    def active(self) -> bool:
        return self.enabled and self.plan in PLANS

    def check(
        self, account_id: str, category: str, received: float | None = None
    ) -> dict[str, str]:
        """Count one request; ``received`` is the ticker's reading when it arrived (else now)."""
        if not self.active:
            return {}
        per_second, per_day = PLANS[self.plan][category]
        now = self.clock()
        today = now.astimezone(timezone.utc).date().isoformat()
        with self._lock:
            if per_day is not None and self._daily.get((account_id, category, today), 0) >= per_day:
                self.refused[f"{category} Daily-limit"] += 1
                raise _limited(DAILY_MESSAGE, category, "Daily-limit", per_day, _next_midnight(now))
            window = int(self.ticker() if received is None else received)
            start, count = self._second.get((account_id, category), (window, 0))
            if start != window:
                count = 0
            if count >= per_second:
                self.refused[f"{category} QPS"] += 1
                raise _limited(QPS_MESSAGE, category, "QPS", per_second, "1")
            self._second[(account_id, category)] = (window, count + 1)
            if per_day is not None:
                key = (account_id, category, today)
                self._daily[key] = self._daily.get(key, 0) + 1
        return {
            "X-RateLimit-Category": category,
            "X-RateLimit-Limit": str(per_second),
            "X-RateLimit-Remaining": str(per_second - count - 1),
        }

    def check_meeting_writes(self, user_id: str) -> None:
        """Zoom's cap on create/update requests per host user per UTC day."""
        if not self.active:
            return
        now = self.clock()
        key = (user_id, now.astimezone(timezone.utc).date().isoformat())
        with self._lock:
            used = self._writes.get(key, 0)
            cap = self.daily_meeting_writes
            if used >= cap:
                self.refused["meeting writes Daily-limit"] += 1
                raise _limited(
                    MEETING_WRITES_MESSAGE.format(cap=cap),
                    LIGHT,
                    "Daily-limit",
                    cap,
                    _next_midnight(now),
                )
            self._writes[key] = used + 1
