"""HTTP helpers as small pure functions: timeouts, retry policy, Retry-After, path encoding."""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

import requests

__all__ = [
    "DEFAULT_TIMEOUT",
    "IDEMPOTENT_METHODS",
    "RETRYABLE_STATUSES",
    "RetryPolicy",
    "Timeout",
    "decode_body",
    "encode_segment",
    "parse_retry_after",
]

#: (connect, read) seconds.
Timeout = tuple[float, float]
DEFAULT_TIMEOUT: Timeout = (10.0, 30.0)

#: Methods whose repetition cannot create a second effect.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
#: Statuses worth retrying for an idempotent request; 429 is handled on its own.
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a request again.

    A 429 is retried for every method (Zoom refused it before acting); 5xx answers, timeouts
    and dropped connections only for idempotent methods, so a meeting is never created twice.
    A ``Retry-After`` longer than ``max_retry_after`` (Zoom's daily caps say "tomorrow")
    raises the rate-limit error at once instead of sleeping. A create whose answer was lost is
    never sent again: after ``lost_create_check_delay`` seconds (time for a create still under
    way at Zoom to land) the client looks for the meeting instead.
    """

    max_retries: int = 3
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    lost_create_check_delay: float = 5.0

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt`` (0-based): doubling, capped."""
        return float(min(self.max_delay, self.initial_delay * (2**attempt)))

    def delay_for_rate_limit(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait after a 429, or None to give up and raise."""
        if attempt >= self.max_retries:
            return None
        if retry_after is None:
            return self.backoff(attempt)
        if retry_after > self.max_retry_after:
            return None
        return max(0.0, retry_after)

    def delay_for_failure(self, attempt: int, method: str) -> float | None:
        """Seconds to wait after a 5xx, timeout or dropped connection, or None to raise."""
        if attempt >= self.max_retries or method.upper() not in IDEMPOTENT_METHODS:
            return None
        return self.backoff(attempt)


NO_RETRIES = RetryPolicy(max_retries=0)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value: delta-seconds, an HTTP date or an ISO date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    moment: datetime | None = None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (moment - current).total_seconds())


def encode_segment(value: str) -> str:
    """Encode one path value so it stays one segment whatever it holds.

    Zoom requires a meeting UUID that begins with ``/`` or contains ``//`` to be encoded twice.
    Zoom decodes a value that still holds escapes a second time, so a literal ``%`` sequence
    is encoded twice as well: encoded once, ``%2E%2E`` would reach Zoom as ``..``. Dots are
    encoded too, so ``..`` cannot climb out of the path.
    """
    once = quote(value, safe="")
    if value.startswith("/") or "//" in value or "%" in value:
        once = quote(once, safe="")
    if value in {".", ".."}:
        once = once.replace(".", "%2E")
    return once


def decode_body(response: requests.Response) -> Any:
    """The response's JSON, its text when it is not JSON, or None when empty."""
    if not response.content:
        return None
    try:
        return response.json()
    except (ValueError, RecursionError):  # nested too deeply to decode: no Zoom answer
        return response.text
