"""Zoom's rate limits: per-account per-category QPS and daily caps, and the per-user meeting cap."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from zoom_agent_tools.sandbox.errors import ZoomAPIError

__all__ = ["DAILY_MEETING_WRITES", "PLANS", "RateLimiter"]

LIGHT, MEDIUM, HEAVY = "Light", "Medium", "Heavy"
# (requests per second, requests per day or None) per category; FACTS §6 / Zoom's rate-limit page.
PLANS: dict[str, dict[str, tuple[int, int | None]]] = {
    "free": {LIGHT: (4, 6000), MEDIUM: (2, 2000), HEAVY: (1, 1000)},
    "pro": {LIGHT: (30, None), MEDIUM: (20, None), HEAVY: (10, 30000)},
    "business": {LIGHT: (80, None), MEDIUM: (60, None), HEAVY: (40, 60000)},
}
DAILY_MEETING_WRITES = 100
QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. Refer to the response header"
    " for details on when you can make another request."
)
MEETING_WRITES_MESSAGE = (
    "You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API requests"
    " permitted for this particular user. You may resume these requests at GMT 00:00:00."
)


def _next_midnight(now: datetime) -> str:
    day = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return (day + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


class RateLimiter:
    """Counts requests; ``check`` raises Zoom's 429 or returns the headers for a success.

    Per-second windows use ``ticker`` (monotonic seconds, injectable for tests) so a frozen
    sandbox clock does not pile every request into one second; daily windows use the sandbox
    clock's UTC date. ``plan`` may be "free", "pro", "business" or "unlimited".
    """

    def __init__(
        self,
        *,
        plan: str,
        enabled: bool,
        clock: Callable[[], datetime],
        ticker: Callable[[], float] = time.monotonic,
        meeting_writes_per_day: int = DAILY_MEETING_WRITES,
    ) -> None:
        if plan not in PLANS and plan != "unlimited":
            raise ValueError(f"unknown plan {plan!r}; use free, pro, business or unlimited")
        self.plan = plan
        self.enabled = enabled
        self.clock = clock
        self.ticker = ticker
        self.meeting_writes_per_day = meeting_writes_per_day
        self._lock = threading.Lock()
        self._second: dict[tuple[str, str], tuple[int, int]] = {}
        self._daily: dict[tuple[str, str, str], int] = {}
        self._writes: dict[tuple[str, str], int] = {}

    @property
    def active(self) -> bool:
        return self.enabled and self.plan in PLANS

    def reset(self) -> None:
        with self._lock:
            self._second.clear()
            self._daily.clear()
            self._writes.clear()

    def check(self, account_id: str, category: str) -> dict[str, str]:
        if not self.active:
            return {}
        per_second, per_day = PLANS[self.plan][category]
        now = self.clock()
        today = now.astimezone(timezone.utc).date().isoformat()
        with self._lock:
            if per_day is not None:
                used_today = self._daily.get((account_id, category, today), 0)
                if used_today >= per_day:
                    raise ZoomAPIError(
                        429,
                        429,
                        DAILY_MESSAGE,
                        headers={
                            "X-RateLimit-Category": category,
                            "X-RateLimit-Type": "Daily-limit",
                            "X-RateLimit-Limit": str(per_day),
                            "X-RateLimit-Remaining": "0",
                            "Retry-After": _next_midnight(now),
                        },
                    )
            window = int(self.ticker())
            start, count = self._second.get((account_id, category), (window, 0))
            if start != window:
                count = 0
            if count >= per_second:
                raise ZoomAPIError(
                    429,
                    429,
                    QPS_MESSAGE,
                    headers={
                        "X-RateLimit-Category": category,
                        "X-RateLimit-Type": "QPS",
                        "X-RateLimit-Limit": str(per_second),
                        "X-RateLimit-Remaining": "0",
                        "Retry-After": "1",
                    },
                )
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
        """Zoom's 100 create/update requests per host user per UTC day."""
        if not self.active:
            return
        now = self.clock()
        key = (user_id, now.astimezone(timezone.utc).date().isoformat())
        limit = self.meeting_writes_per_day
        with self._lock:
            used = self._writes.get(key, 0)
            if used >= limit:
                raise ZoomAPIError(
                    429,
                    429,
                    MEETING_WRITES_MESSAGE.format(limit=limit),
                    headers={
                        "X-RateLimit-Category": LIGHT,
                        "X-RateLimit-Type": "Daily-limit",
                        "X-RateLimit-Limit": str(limit),
                        "X-RateLimit-Remaining": "0",
                        "Retry-After": _next_midnight(now),
                    },
                )
            self._writes[key] = used + 1
