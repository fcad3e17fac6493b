"""The client's rate budget: turns per category, the pause after a 429, the daily write budget."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.sandbox.conftest import NOW
from tests.sandboxes import NewSandbox
from zoom_agent_tools import (
    AccessTokenAuth,
    RetryPolicy,
    ServerToServerAuth,
    ZoomClient,
    ZoomRateLimitError,
)
from zoom_agent_tools import budget as budget_module
from zoom_agent_tools.budget import DAILY_MEETING_WRITES, PLANS, Pacing, RateBudget
from zoom_agent_tools.errors import ZoomConfigurationError, ZoomConnectionError
from zoom_agent_tools.sandbox import Sandbox, limits
from zoom_agent_tools.sandbox.seed import DEFAULT_SCOPES

CREATE = "POST /users/{userId}/meetings"
UPDATE = "PATCH /meetings/{meetingId}"


def _meeting_id(sb: Sandbox) -> str:
    return str(
        sb.client(rate_budget=RateBudget(enabled=False)).list_meetings(user_id="me").items[0].id
    )


def test_the_plans_are_zooms_as_the_sandbox_knows_them() -> None:
    # Two independent copies of Zoom's table; the sandbox's is checked against the spec.
    for plan, categories in limits.PLANS.items():
        for category, (per_second, _) in categories.items():
            assert PLANS[plan][category.lower()] == (per_second, 1)  # type: ignore[index]
    assert DAILY_MEETING_WRITES == limits.DAILY_MEETING_WRITES
    assert RateBudget().rate("light") == (30, 1)
    assert RateBudget().rate("resource-intensive") == (10, 60)
    assert RateBudget("business", limits={"light": 5}).rate("light") == (5, 1)


def test_threads_wait_for_their_turn_instead_of_collecting_429s(new_sandbox: NewSandbox) -> None:
    with new_sandbox(plan="pro") as sb:
        meeting_id = _meeting_id(sb)
        client = sb.client()  # Pro's budget: 30 Light requests per second
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda _: client.get_meeting(meeting_id=meeting_id), range(40)))
        # The last ten waited for slots of the first second to free.
        assert time.monotonic() - started >= 0.95
        assert sb.limiter.refused == {}


def test_categories_have_windows_of_their_own(new_sandbox: NewSandbox) -> None:
    budget = RateBudget(limits={"light": 2, "medium": 2})
    with new_sandbox(plan="pro") as sb:
        meeting_id = _meeting_id(sb)
        client = sb.client(rate_budget=budget)
        started = time.monotonic()
        client.get_meeting(meeting_id=meeting_id)
        client.get_meeting(meeting_id=meeting_id)
        client.list_meetings(user_id="me")
        client.list_meetings(user_id="me")
        # Four requests, two per window: one window for both would have made one wait a second.
        assert time.monotonic() - started < 0.9


def test_a_429_pauses_its_category_for_every_thread(new_sandbox: NewSandbox) -> None:
    sleeps: list[float] = []
    retry = RetryPolicy(random=lambda: 0.0)
    with new_sandbox(plan="pro") as sb:
        meeting_id = _meeting_id(sb)
        client = sb.client(retry=retry, sleep=sleeps.append)
        client.get_meeting(meeting_id=meeting_id)  # token fetched before the clock starts
        sb.faults.inject(path="/meetings/{meetingId}", status=429, retry_after="0.6")
        client.get_meeting(meeting_id=meeting_id)
        assert sleeps == [0.6]  # the request that met the 429 waited it out in its retry
        started = time.monotonic()
        client.list_meetings(user_id="me")  # Medium: not held back
        medium = time.monotonic() - started
        other = threading.Thread(target=lambda: client.get_meeting(meeting_id=meeting_id))
        other.start()
        other.join()
        held = time.monotonic() - started
    assert medium < 0.3
    assert held >= 0.45  # Light waited for the rest of the pause (the fake sleep did not)


def test_the_daily_write_budget_refuses_before_sending(new_sandbox: NewSandbox) -> None:
    budget = RateBudget(daily_meeting_writes=3)
    with new_sandbox(now=NOW, plan="pro", daily_meeting_writes=3) as sb:
        client = sb.client(rate_budget=budget)
        first = client.create_meeting(user_id="me", topic="one", type=2)
        client.create_meeting(user_id=sb.user_email, topic="two", type=2)
        client.update_meeting(meeting_id=str(first.id), topic="one, renamed")
        with pytest.raises(ZoomRateLimitError) as refused:
            client.create_meeting(user_id="me", topic="three", type=2)
        # 'me', the host's e-mail and the meeting all count against the one host.
        assert (sb.calls[CREATE], sb.calls[UPDATE]) == (2, 1)
    error = refused.value
    assert error.daily_create_update_cap
    assert error.daily
    assert "Not sent" in str(error)
    assert "00:00 UTC" in str(error)
    assert error.retry_after is not None
    assert 0 < error.retry_after <= 24 * 3600


def _meetings_of_one_host(sb: Sandbox, count: int) -> list[str]:
    listed = sb.client(rate_budget=RateBudget(enabled=False)).list_meetings(user_id="me").items
    host = listed[0].host_id
    return [str(m.id) for m in listed if m.host_id == host][:count]


def test_updates_of_one_hosts_meetings_spend_the_hosts_budget(new_sandbox: NewSandbox) -> None:
    budget = RateBudget(daily_meeting_writes=3)
    with new_sandbox(now=NOW, plan="pro", daily_meeting_writes=3) as sb:
        meetings = _meetings_of_one_host(sb, 5)
        assert len(meetings) == 5
        client = sb.client(rate_budget=budget)
        for meeting in meetings[:3]:
            client.update_meeting(meeting_id=meeting, topic="renamed")
        for meeting in meetings[3:]:
            with pytest.raises(ZoomRateLimitError, match="Not sent") as refused:
                client.update_meeting(meeting_id=meeting, topic="renamed")
            assert refused.value.daily_create_update_cap
        assert sb.calls[UPDATE] == 3  # Zoom was never asked for more than the cap
        assert sb.limiter.refused == {}
        # The host was learned once per meeting (a Light GET), then remembered.
        looked_up = sb.calls["GET /meetings/{meetingId}"]
        with pytest.raises(ZoomRateLimitError, match="Not sent"):
            client.update_meeting(meeting_id=meetings[0], topic="again")
        assert sb.calls["GET /meetings/{meetingId}"] == looked_up


def test_zooms_daily_cap_on_an_update_blocks_the_host(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW, plan="pro", daily_meeting_writes=2) as sb:
        meetings = _meetings_of_one_host(sb, 4)
        client = sb.client()  # counts to Zoom's 100: others spent the rest today
        for meeting in meetings[:2]:
            client.update_meeting(meeting_id=meeting, topic="renamed")
        with pytest.raises(ZoomRateLimitError) as answered:
            client.update_meeting(meeting_id=meetings[2], topic="renamed")
        assert answered.value.daily_create_update_cap
        assert "Not sent" not in str(answered.value)
        # Another meeting of the host, and a create for the host: refused before sending.
        with pytest.raises(ZoomRateLimitError, match="Not sent"):
            client.update_meeting(meeting_id=meetings[3], topic="renamed")
        with pytest.raises(ZoomRateLimitError, match="Not sent"):
            client.create_meeting(user_id=sb.user_email, topic="new", type=2)
        assert (sb.calls[UPDATE], sb.calls[CREATE]) == (3, 0)


def test_a_write_refused_by_the_rate_budget_gives_its_daily_count_back(
    new_sandbox: NewSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget_module, "MAX_WAIT", 0.2)
    once = RetryPolicy(max_retries=0)
    with new_sandbox(now=NOW, plan="pro") as sb:
        meeting_id = _meeting_id(sb)
        client = sb.client(rate_budget=RateBudget(daily_meeting_writes=1), retry=once)
        sb.faults.inject(path="/meetings/{meetingId}", status=429, retry_after="1")
        with pytest.raises(ZoomRateLimitError):
            client.get_meeting(meeting_id=meeting_id)  # Light paused for a second
        with pytest.raises(ZoomRateLimitError, match="rate budget for light") as refused:
            client.create_meeting(user_id="me", topic="one", type=2)
        assert not refused.value.daily_create_update_cap
        assert sb.calls[CREATE] == 0
        time.sleep(1.0)
        client.create_meeting(user_id="me", topic="one", type=2)  # the day's one write
        assert sb.calls[CREATE] == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_write_that_never_left_gives_its_daily_count_back() -> None:
    client = ZoomClient(
        AccessTokenAuth("t"),
        base_url=f"http://127.0.0.1:{_closed_port()}/v2",
        rate_budget=RateBudget(daily_meeting_writes=1),
        sleep=lambda _: None,
    )
    for _ in range(3):  # refused connections: nothing reached Zoom, nothing spent
        with pytest.raises(ZoomConnectionError) as failed:
            client.create_meeting(user_id="me", topic="one", type=2)
        assert not failed.value.request_sent


def test_a_write_that_may_have_reached_zoom_keeps_its_daily_count(
    new_sandbox: NewSandbox,
) -> None:
    with new_sandbox(now=NOW, plan="pro") as sb:
        meeting_id = _meeting_id(sb)
        client = sb.client(rate_budget=RateBudget(daily_meeting_writes=1))
        sb.faults.inject(path="/meetings/{meetingId}", method="PATCH", drop=True)
        with pytest.raises(ZoomConnectionError) as lost:
            client.update_meeting(meeting_id=meeting_id, topic="renamed")
        assert lost.value.request_sent
        with pytest.raises(ZoomRateLimitError, match="Not sent"):
            client.update_meeting(meeting_id=meeting_id, topic="renamed")
        assert sb.calls[UPDATE] == 1


def test_the_daily_write_budget_learns_from_zooms_answer(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW, plan="pro", daily_meeting_writes=2) as sb:
        client = sb.client()  # counts to Zoom's 100: others spent the rest today
        for topic in ("one", "two"):
            client.create_meeting(user_id="me", topic=topic, type=2)
        with pytest.raises(ZoomRateLimitError) as answered:
            client.create_meeting(user_id="me", topic="three", type=2)
        assert answered.value.daily_create_update_cap
        assert sb.calls[CREATE] == 3
        with pytest.raises(ZoomRateLimitError, match="Not sent"):
            client.create_meeting(user_id="me", topic="four", type=2)
        assert sb.calls[CREATE] == 3


def test_the_sandbox_counts_limits_per_account_across_apps(new_sandbox: NewSandbox) -> None:
    off = RateBudget(enabled=False)
    once = RetryPolicy(max_retries=0)
    with new_sandbox(plan="pro", rate_ticker=lambda: 0.0) as sb:
        meeting_id = _meeting_id(sb)
        first = sb.client(rate_budget=off, retry=once)
        client_id, secret = sb.register_client(scopes=DEFAULT_SCOPES)
        other_app = ServerToServerAuth(
            sb.account_id, client_id, secret, oauth_base_url=sb.oauth_base_url
        )
        second = ZoomClient(
            other_app,
            base_url=sb.api_base_url,
            session=sb.in_process_session(),
            rate_budget=off,
            retry=once,
        )
        outcomes = []
        for client in (first, second) * 20:
            try:
                client.get_meeting(meeting_id=meeting_id)
                outcomes.append("ok")
            except ZoomRateLimitError:
                outcomes.append("429")
    assert outcomes.count("ok") == 30
    assert sb.limiter.refused == {"Light QPS": 10}


def test_a_budget_switched_off_gives_no_turns() -> None:
    pacing = Pacing(RateBudget(enabled=False))
    assert pacing.turn("light") is None
    assert Pacing(RateBudget()).turn("light") is not None


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: RateBudget("premium"), "Unknown Zoom plan 'premium'"),
        (lambda: RateBudget(limits={"lite": 3}), "Unknown rate category 'lite'"),
        (lambda: RateBudget(limits={"light": 0}), "at least 1, not 0"),
        (lambda: RateBudget(daily_meeting_writes=-1), "daily_meeting_writes"),
        (lambda: RateBudget.from_env({"ZOOM_RATE_LIMITS": "light:20"}), "category=number"),
        (lambda: RateBudget.from_env({"ZOOM_RATE_PLAN": "gold"}), "ZOOM_RATE_PLAN"),
    ],
)
def test_a_bad_budget_is_refused_clearly(make: object, says: str) -> None:
    with pytest.raises(ZoomConfigurationError, match=says):
        make()  # type: ignore[operator]


def test_the_budget_from_the_environment() -> None:
    assert RateBudget.from_env({}) == RateBudget()
    assert not RateBudget.from_env({"ZOOM_RATE_PLAN": "off"}).enabled
    budget = RateBudget.from_env(
        {"ZOOM_RATE_PLAN": "Business", "ZOOM_RATE_LIMITS": "light=20, medium=10"}
    )
    assert budget.rate("light") == (20, 1)
    assert budget.rate("medium") == (10, 1)
    assert budget.rate("heavy") == (40, 1)
    client = ZoomClient.from_env({"ZOOM_ACCESS_TOKEN": "t", "ZOOM_RATE_PLAN": "free"})
    assert client.rate_budget.plan == "free"


def test_the_local_windows_start_no_thread_and_keep_only_their_slots(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[object] = []

    class Timer(threading.Timer):
        def start(self) -> None:
            started.append(self)
            super().start()

    monkeypatch.setattr(threading, "Timer", Timer)
    pacing = Pacing(RateBudget(limits={"light": 3}))
    for _ in range(3):
        pacing.wait("light")
        time.sleep(0.02)  # longer than the stock memory storage's timer: it would start anew
    assert len(started) == 1  # the stock constructor's, cancelled at once
    storage = pacing._ready().limiter.storage  # type: ignore[attr-defined]
    for _ in range(5):  # entries that expire at once: a window keeps its newest two only
        assert storage.acquire_entry("window", 2, 0)
    assert len(storage.events["window"]) == 2
