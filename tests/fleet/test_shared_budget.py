"""Workers on one Redis keep one rate budget: one window per category, one pause, one daily cap."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.sandbox.conftest import NOW
from tests.sandboxes import NewSandbox
from zoom_agent_tools import RetryPolicy, ZoomClient, ZoomRateLimitError
from zoom_agent_tools.budget import RateBudget
from zoom_agent_tools.fleet import Fleet
from zoom_agent_tools.sandbox import Sandbox


def _workers(sb: Sandbox, redis_url: str, token_key: str, **kwargs: object) -> list[ZoomClient]:
    """Two workers: clients with their own Fleet (own Redis connections) on one Redis."""
    return [
        sb.client(fleet=Fleet(redis_url, token_key=token_key), **kwargs)  # type: ignore[arg-type]
        for _ in range(2)
    ]


def test_workers_share_one_window_per_category(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    with new_sandbox(plan="pro") as sb:
        meeting_id = str(sb.client().list_meetings(user_id="me").items[0].id)
        workers = _workers(sb, redis_url, token_key)
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            calls = [workers[i % 2] for i in range(40)]
            list(pool.map(lambda c: c.get_meeting(meeting_id=meeting_id), calls))
        # 20 each would fit each worker's own 30 per second; together they wait.
        assert time.monotonic() - started >= 0.95
        assert sb.limiter.refused == {}


def test_a_429_pauses_the_category_for_every_worker(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    sleeps: list[float] = []
    retry = RetryPolicy(random=lambda: 0.0)
    with new_sandbox(plan="pro") as sb:
        meeting_id = str(sb.client().list_meetings(user_id="me").items[0].id)
        first, second = _workers(sb, redis_url, token_key, retry=retry, sleep=sleeps.append)
        second.get_meeting(meeting_id=meeting_id)
        sb.faults.inject(path="/meetings/{meetingId}", status=429, retry_after="0.6")
        first.get_meeting(meeting_id=meeting_id)
        started = time.monotonic()
        other = threading.Thread(target=lambda: second.get_meeting(meeting_id=meeting_id))
        other.start()
        other.join()
        assert time.monotonic() - started >= 0.45
        assert sleeps == [0.6]


def test_workers_share_the_daily_write_budget(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    budget = RateBudget(daily_meeting_writes=3)
    with new_sandbox(now=NOW, plan="pro", daily_meeting_writes=3) as sb:
        first, second = _workers(sb, redis_url, token_key, rate_budget=budget)
        first.create_meeting(user_id="me", topic="one", type=2)
        first.create_meeting(user_id="me", topic="two", type=2)
        second.create_meeting(user_id="me", topic="three", type=2)
        with pytest.raises(ZoomRateLimitError, match="Not sent"):
            second.create_meeting(user_id="me", topic="four", type=2)
        assert sb.calls["POST /users/{userId}/meetings"] == 3
