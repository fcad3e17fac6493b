"""When a failed request is tried again, how long to wait first, and when a token is renewed.

Small pure functions of the failure (a ZoomError, classified once in ``errors``), the attempt
number and whether the request may be *resent*: sent again although it may already have
reached Zoom. Only requests that cannot do twice what they ask are resent (GET, PUT, DELETE,
and minting or revoking an OAuth token); a create (POST) or an update (PATCH) never is. A
request that certainly never left (the connection was never opened) is safe to send again
whatever it is. A 429 is retried for every method: Zoom refused it before acting.
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable
from dataclasses import dataclass, field

from zoom_agent_tools.errors import (
    ZoomAuthenticationError,
    ZoomConnectionError,
    ZoomError,
    ZoomNotFoundError,
    ZoomRateLimitError,
    ZoomServerError,
)

__all__ = [
    "IDEMPOTENT_METHODS",
    "RETRY_STATUSES",
    "RetryPolicy",
    "already_done",
    "retry_delay",
    "should_renew",
]

#: Methods whose repetition cannot create a second effect.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
#: Answers that say Zoom failed on its side; tried again only when the request may be resent.
RETRY_STATUSES = frozenset({500, 502, 503, 504})

MAX_RETRIES = 3
INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
#: The longest ``Retry-After`` honoured by waiting; a longer one (a daily cap says
#: "tomorrow") raises the rate-limit error at once.
MAX_RETRY_AFTER = 60.0
#: Seconds before a create whose answer was lost is looked for (a create still under way at
#: Zoom has then landed).
LOST_CREATE_CHECK_DELAY = 5.0


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before trying a failed request again.

    Waits double from ``initial_delay`` up to ``max_delay``, and each is shortened by a random
    part of up to half (equal jitter), so that clients that failed together do not retry
    together. A ``Retry-After`` from Zoom is waited out, plus a random part of up to half the
    backoff for the same reason; one longer than ``max_retry_after`` is not waited for at all.
    ``random`` gives numbers in [0, 1): ``lambda: 0.0`` makes every wait exact (for tests).
    A create whose answer was lost is never sent again: after ``lost_create_check_delay``
    seconds the client looks for the meeting instead (see ``lost_writes``).
    """

    max_retries: int = MAX_RETRIES
    initial_delay: float = INITIAL_DELAY
    max_delay: float = MAX_DELAY
    max_retry_after: float = MAX_RETRY_AFTER
    lost_create_check_delay: float = LOST_CREATE_CHECK_DELAY
    random: Callable[[], float] = field(default=_random.random, repr=False, compare=False)

    def backoff(self, attempt: int) -> float:
        """The longest wait before retry number ``attempt`` (0-based): doubling, capped."""
        return float(min(self.max_delay, self.initial_delay * (2**attempt)))

    def jittered_backoff(self, attempt: int) -> float:
        """The wait before retry number ``attempt``: between half of ``backoff`` and all of it."""
        return self.backoff(attempt) * (1.0 - 0.5 * self.random())


#: No retries: for one-shot requests (revoking a bare access token).
NO_RETRIES = RetryPolicy(max_retries=0)


def retry_delay(
    policy: RetryPolicy, attempt: int, failure: ZoomError, *, resendable: bool
) -> float | None:
    """Seconds to wait before trying again after ``failure``, or None to raise it.

    ``attempt`` counts the retries made so far; ``resendable`` says whether the request may be
    sent again although it may have reached Zoom.
    """
    if attempt >= policy.max_retries:
        return None
    if isinstance(failure, ZoomRateLimitError):
        if failure.daily:
            return None  # waiting will not help today
        if failure.retry_after is None:
            return policy.jittered_backoff(attempt)
        if failure.retry_after > policy.max_retry_after:
            return None
        return max(0.0, failure.retry_after) + policy.random() * policy.backoff(attempt) / 2
    if isinstance(failure, ZoomServerError):
        may_retry = resendable and failure.status in RETRY_STATUSES
        return policy.jittered_backoff(attempt) if may_retry else None
    if isinstance(failure, ZoomConnectionError):
        may_retry = resendable or not failure.request_sent
        return policy.jittered_backoff(attempt) if may_retry else None
    return None


def should_renew(failure: ZoomError, *, renewed: bool, renewable: bool) -> bool:
    """Whether to fetch a new token and try once more: Zoom refused the token (401, code 124
    or none) and it can be replaced, which is tried once per request."""
    return (
        renewable
        and not renewed
        and isinstance(failure, ZoomAuthenticationError)
        and failure.status == 401
        and failure.code in (124, None)
    )


def already_done(method: str, failure: ZoomError, attempt: int) -> bool:
    """Whether ``failure`` shows that an earlier, unanswered try did what was asked: a DELETE
    sent again finds nothing to delete (404)."""
    return (
        method == "DELETE"
        and attempt > 0
        and isinstance(failure, ZoomNotFoundError)
        and failure.status == 404
    )
