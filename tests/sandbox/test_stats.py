"""What the sandbox received, for tests and benchmarks in other processes: /_sandbox/stats."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import NOW
from tests.sandboxes import NewSandbox
from zoom_agent_tools import RetryPolicy, ZoomRateLimitError
from zoom_agent_tools.budget import RateBudget
from zoom_agent_tools.cli import _parser, _sandbox_options


def test_stats_count_calls_token_requests_and_429s(new_sandbox: NewSandbox) -> None:
    # The short daily cap as the command line sets it.
    options = _sandbox_options(_parser().parse_args(["sandbox", "--daily-meeting-writes", "1"]))
    assert options.daily_meeting_writes == 1
    with new_sandbox(now=NOW, daily_meeting_writes=options.daily_meeting_writes) as sb:
        client = sb.client(rate_budget=RateBudget(enabled=False), retry=RetryPolicy(max_retries=0))
        client.create_meeting(user_id="me", topic="one", type=2)
        with pytest.raises(ZoomRateLimitError, match=r"daily rate limit \(1\)"):
            client.create_meeting(user_id="me", topic="two", type=2)
        session = sb.in_process_session()
        url = sb.oauth_base_url + "/_sandbox/stats"
        assert session.get(url, timeout=10).status_code == 401
        stats = session.get(url, auth=(sb.client_id, sb.client_secret), timeout=10).json()
    assert stats == {
        "calls": {"POST /users/{userId}/meetings": 2},
        "token_requests": {"account_credentials": 1},
        "rate_limited": {"meeting writes Daily-limit": 1},
    }
