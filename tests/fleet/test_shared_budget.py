"""Workers on one Redis keep one rate budget: one window per category, one pause, one daily cap."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from tests.sandbox.conftest import NOW
from tests.sandboxes import NewSandbox
from zoom_agent_tools import (
    AccessTokenAuth,
    RetryPolicy,
    ServerToServerAuth,
    ZoomClient,
    ZoomConfigurationError,
    ZoomConnectionError,
    ZoomRateLimitError,
)
from zoom_agent_tools.budget import RateBudget
from zoom_agent_tools.fleet import Fleet
from zoom_agent_tools.sandbox import Sandbox
from zoom_agent_tools.sandbox.seed import DEFAULT_SCOPES


def _workers(sb: Sandbox, redis_url: str, token_key: str, **kwargs: object) -> list[ZoomClient]:
    """Two workers: clients with their own Fleet (own Redis connections) on one Redis."""
    return [
        sb.client(fleet=Fleet(redis_url, token_key=token_key), **kwargs)  # type: ignore[arg-type]
        for _ in range(2)
    ]


def _forty_gets_take_a_second(sb: Sandbox, clients: list[ZoomClient], meeting_id: str) -> None:
    """40 Light calls by two clients from 8 threads: at Pro's 30 a second, the shared window
    makes the last ten wait for the next second, and Zoom refuses none."""
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        calls = [clients[i % 2] for i in range(40)]
        list(pool.map(lambda c: c.get_meeting(meeting_id=meeting_id), calls))
    assert time.monotonic() - started >= 0.95
    assert sb.limiter.refused == {}


def test_workers_share_one_window_per_category(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    with new_sandbox(plan="pro") as sb:
        meeting_id = str(sb.client().list_meetings(user_id="me").items[0].id)
        # 20 each would fit each worker's own 30 per second; together they wait.
        _forty_gets_take_a_second(sb, _workers(sb, redis_url, token_key), meeting_id)


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


def test_a_shorter_pause_does_not_cut_a_longer_one_short(redis_url: str) -> None:
    first, second = (Fleet(redis_url).join(AccessTokenAuth("t")) for _ in range(2))
    until = time.time() + 60
    first.pause("light", until)
    second.pause("light", time.time() + 1)  # another worker's shorter 429
    assert first.paused_until("light") == pytest.approx(until)
    assert second.paused_until("light") == pytest.approx(until)


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


def test_two_apps_of_one_account_share_one_window(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    # Zoom counts its limits per account, for all the apps installed on it.
    with new_sandbox(plan="pro") as sb:
        meeting_id = str(sb.client().list_meetings(user_id="me").items[0].id)
        client_id, secret = sb.register_client(scopes=DEFAULT_SCOPES)
        other_app = ServerToServerAuth(
            sb.account_id, client_id, secret, oauth_base_url=sb.oauth_base_url
        )
        apps = [
            sb.client(fleet=Fleet(redis_url, token_key=token_key)),
            ZoomClient(
                other_app,
                base_url=sb.api_base_url,
                session=sb.in_process_session(),
                fleet=Fleet(redis_url, token_key=token_key),
            ),
        ]
        for app in apps:
            app.connect()  # tokens minted before the clock starts
        # 20 each would fit each app's own 30 per second; the account's one window makes
        # the last ten wait.
        _forty_gets_take_a_second(sb, apps, meeting_id)


def test_workers_without_an_account_in_their_credentials_name_it(
    redis_url: str, token_key: str
) -> None:
    def scope(fleet: Fleet, auth: object) -> str:
        return fleet.join(auth).scope

    s2s = ServerToServerAuth("account-a", "client", "secret")
    a = scope(Fleet(redis_url, token_key=token_key), s2s)
    assert scope(Fleet(redis_url, account="account-a"), AccessTokenAuth("t")) == a
    assert scope(Fleet(redis_url, account="account-b"), AccessTokenAuth("t")) != a
    assert scope(Fleet(redis_url, token_key=token_key, account="account-a"), s2s) == a
    env = {"ZOOM_ACCESS_TOKEN": "t", "ZOOM_ACCOUNT_ID": "account-a", "ZOOM_REDIS_URL": redis_url}
    client = ZoomClient.from_env(env)
    assert client.fleet is not None
    assert client.fleet.account == "account-a"
    with pytest.raises(ZoomConfigurationError, match="another Zoom account"):
        Fleet(redis_url, token_key=token_key, account="account-b").join(s2s)
    with pytest.raises(ZoomConfigurationError, match="must be a Zoom account id"):
        Fleet(redis_url, account=" ")


def test_workers_count_updates_against_the_host_they_share(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    budget = RateBudget(daily_meeting_writes=3)
    with new_sandbox(now=NOW, plan="pro", daily_meeting_writes=3) as sb:
        listed = sb.client().list_meetings(user_id="me").items
        meetings = [str(m.id) for m in listed if m.host_id == listed[0].host_id][:4]
        first, second = _workers(sb, redis_url, token_key, rate_budget=budget)
        first.update_meeting(meeting_id=meetings[0], topic="renamed")
        looked_up = sb.calls["GET /meetings/{meetingId}"]
        # The host first learned is the fleet's: the second worker asks Zoom nothing more.
        second.update_meeting(meeting_id=meetings[0], topic="renamed again")
        assert sb.calls["GET /meetings/{meetingId}"] == looked_up
        second.update_meeting(meeting_id=meetings[1], topic="renamed")
        for worker, meeting in ((first, meetings[2]), (second, meetings[3])):
            with pytest.raises(ZoomRateLimitError, match="Not sent"):
                worker.update_meeting(meeting_id=meeting, topic="renamed")
        assert sb.calls["PATCH /meetings/{meetingId}"] == 3
        assert sb.limiter.refused == {}


def test_a_write_that_never_left_gives_its_count_back_to_the_fleet(redis_url: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = int(probe.getsockname()[1])
    client = ZoomClient(
        AccessTokenAuth("t"),
        base_url=f"http://127.0.0.1:{closed}/v2",
        rate_budget=RateBudget(daily_meeting_writes=1),
        fleet=Fleet(redis_url, account="account-a"),
        sleep=lambda _: None,
    )
    for _ in range(3):  # refused connections: nothing reached Zoom, nothing spent
        with pytest.raises(ZoomConnectionError):
            client.create_meeting(user_id="me", topic="one", type=2)
    assert client.fleet is not None
    assert client.fleet.reachable


def test_redis_holds_hashes_of_hosts_names_and_counts_on(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    """A host named by e-mail: Redis never holds the address, and its writes count under one
    key before and after the fleet learns the host's names."""
    budget = RateBudget(daily_meeting_writes=2)
    with new_sandbox(now=NOW, plan="pro", daily_meeting_writes=2) as sb:
        first, second = _workers(sb, redis_url, token_key, rate_budget=budget)
        made = first.create_meeting(user_id=sb.user_email, topic="one", type=2)
        second.update_meeting(meeting_id=str(made.id), topic="renamed")
        with pytest.raises(ZoomRateLimitError, match="Not sent"):
            first.create_meeting(user_id=sb.user_email, topic="two", type=2)
        assert sb.calls["POST /users/{userId}/meetings"] == 1
    stored = redis.Redis.from_url(redis_url)
    everything = b" ".join(
        key + b" " + (stored.get(key) or b"")
        for key in stored.keys("*")
        if stored.type(key) == b"string"
    )
    assert sb.user_email.encode().lower() not in everything.lower()
    assert stored.keys("*:host:*")


def test_a_meeting_fetched_again_costs_redis_nothing_more(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    """The host a fetched meeting names is taught to the fleet once per process, not on every
    get (a round trip to Redis on the hot path)."""
    stored = redis.Redis.from_url(redis_url)
    with new_sandbox(plan="pro") as sb:
        meeting_id = str(sb.client().list_meetings(user_id="me").items[0].id)
        (worker, _) = _workers(sb, redis_url, token_key)
        worker.get_meeting(meeting_id=meeting_id)
        taught = stored.keys("*:host:*")
        assert taught
        stored.delete(*taught)
        worker.get_meeting(meeting_id=meeting_id)
        assert stored.keys("*:host:*") == []
        # Another process (a fresh fleet state) still teaches what it learns.
        sb.client(fleet=Fleet(redis_url, token_key=token_key)).get_meeting(meeting_id=meeting_id)
        assert sorted(stored.keys("*:host:*")) == sorted(taught)
