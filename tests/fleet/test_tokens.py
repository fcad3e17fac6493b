"""One token for the whole fleet: minted or refreshed once per expiry, whatever the workers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.sandbox.conftest import NOW
from tests.sandbox.test_oauth import REDIRECT, authorize, exchange
from tests.sandboxes import NewSandbox
from tests.workers import broadcast
from zoom_agent_tools import StoredTokens, UserOAuth, ZoomClient, ZoomRateLimitError
from zoom_agent_tools.auth import SharedToken, _secret
from zoom_agent_tools.budget import RateBudget
from zoom_agent_tools.fleet import Fleet
from zoom_agent_tools.sandbox import TEAM_HOST_ID, ManualClock, Sandbox

ROOT = Path(__file__).parents[2]
HOUR = 3600
#: Room for the calls of these tests without waiting for the budget.
BUSINESS = RateBudget("business")


def _meeting_id(sb: Sandbox) -> str:
    return str(sb.client().list_meetings(user_id="me").items[0].id)


def test_sixteen_workers_mint_one_token_per_expiry(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    with new_sandbox(now=NOW) as sb:
        meeting_id = _meeting_id(sb)
        before = sb.token_requests["account_credentials"]
        # Sixteen workers, each with its own client and its own connection to Redis.
        clients = [
            sb.client(fleet=Fleet(redis_url, token_key=token_key), rate_budget=BUSINESS)
            for _ in range(16)
        ]
        tokens = clients[0].fleet.tokens(clients[0].fleet.scope(clients[0].auth))  # type: ignore[union-attr]
        # What an earlier fleet left behind: a token that expired a minute ago.
        tokens.put(SharedToken(_secret("expired.token"), time.time() - 60, HOUR))
        start = threading.Barrier(16)

        def work(client: ZoomClient) -> None:
            start.wait()
            for _ in range(2):
                client.get_meeting(meeting_id=meeting_id)

        def run_round() -> None:
            threads = [threading.Thread(target=work, args=(c,)) for c in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        run_round()
        assert sb.token_requests["account_credentials"] - before == 1
        assert sum(c.auth.token_requests for c in clients) == 1  # type: ignore[attr-defined]
        # Zoom expires the token (its clock moves on an hour): one renewal for all sixteen.
        assert isinstance(sb.clock, ManualClock)
        sb.clock.advance(HOUR)
        run_round()
        assert sb.token_requests["account_credentials"] - before == 2
        # Keys name a hash of the account (the budget) or of the account and app (the
        # token); the token is stored encrypted only.
        token = clients[0].auth.access_token(clients[0].session, clients[0].timeout).encode()
        store = redis.Redis.from_url(redis_url)
        keys = store.keys("*")
        fleet = clients[0].fleet
        assert fleet is not None
        app, account = fleet.scope(clients[0].auth), fleet.account_scope(clients[0].auth)
        assert {key.split(b":")[1] for key in keys} == {app.encode(), account.encode()}
        assert [k for k in keys if k.split(b":")[1:3] == [app.encode(), b"access-token"]]
        assert [k for k in keys if k.split(b":")[1:3] == [account.encode(), b"limits"]]
        for key in keys:
            assert token not in key
            if store.type(key) == b"string":
                assert token not in store.get(key)


@contextmanager
def _workers(
    count: int, env: dict[str, str], *args: str, threads: int = 4, calls: int = 2
) -> Iterator[list[subprocess.Popen[str]]]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.fleet.worker", str(threads), str(calls), *args],
            cwd=ROOT,
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=30)


@pytest.mark.served
def test_four_processes_of_four_threads_get_one_token_per_expiry(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    """Server-to-Server tokens are minted, user-OAuth tokens refreshed, once per expiry;
    every rotated refresh token reaches the store, so none is lost."""
    with new_sandbox(now=NOW) as sb:
        user_app = sb.register_oauth_app(redirect_uri=REDIRECT)
        answer = exchange(sb, user_app, code=authorize(sb, user_app[0])).json()
        store = Fleet(redis_url, token_key=token_key).token_store(user_app[0])
        store.save(StoredTokens(_secret(answer["refresh_token"])))
        env = {
            **sb.env(),
            "ZOOM_REDIS_URL": redis_url,
            "ZOOM_TOKEN_KEY": token_key,
            "ZOOM_RATE_PLAN": "business",
            "MEETING_ID": _meeting_id(sb),
        }
        minted = sb.token_requests["account_credentials"]
        with _workers(4, env, *user_app) as processes:
            first = broadcast(processes, "round")
            assert sb.token_requests["account_credentials"] - minted == 1
            assert sb.token_requests["refresh_token"] == 1
            assert isinstance(sb.clock, ManualClock)
            sb.clock.advance(HOUR)  # Zoom expires both tokens
            second = broadcast(processes, "round")
        assert [r["errors"] for r in first + second] == [[]] * 8
        assert sum(int(str(r["ok"])) for r in second) == 4 * 4 * 2
        assert sb.token_requests["account_credentials"] - minted == 2
        assert sb.token_requests["refresh_token"] == 2
        # The refresh token the fleet kept is the live one: it renews once more.
        kept = store.load()
        assert kept is not None
        again = exchange(
            sb,
            user_app,
            grant_type="refresh_token",
            refresh_token=kept.refresh_token.get_secret_value(),
        )
        assert again.status_code == 200, again.text
        raw = redis.Redis.from_url(redis_url).get(store._key)
        assert raw is not None
        assert kept.refresh_token.get_secret_value().encode() not in raw


@pytest.mark.served
def test_each_user_of_one_app_keeps_their_own_tokens(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    """Two users signed in to one app, their workers in one fleet: each acts as itself."""
    with new_sandbox(now=NOW) as sb:
        client_id, secret = sb.register_oauth_app(redirect_uri=REDIRECT)
        fleet = Fleet(redis_url, token_key=token_key)
        hosts: dict[str, list[str]] = {}
        for user in (sb.user_id, TEAM_HOST_ID):
            store = fleet.token_store(client_id, user=user)
            store.save(StoredTokens(_secret(sb.oauth.grant(client_id, user))))
            for _ in range(2):  # two workers per user
                auth = UserOAuth(
                    client_id,
                    secret,
                    redirect_uri=REDIRECT,
                    store=fleet.token_store(client_id, user=user),
                    oauth_base_url=sb.oauth_base_url,
                )
                with ZoomClient(auth, base_url=sb.api_base_url, fleet=fleet) as client:
                    page = client.list_meetings(user_id="me", page_size=300)
                    hosts.setdefault(user, []).extend(m.host_id or "" for m in page.items)
        for user, seen in hosts.items():
            assert seen
            assert set(seen) == {user}
        assert fleet.scope(auth) != fleet.scope(
            UserOAuth(client_id, secret, redirect_uri=REDIRECT, store=fleet.token_store(client_id))
        )


@pytest.mark.served
def test_each_users_me_spends_their_own_daily_budget(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    """ "me" is another user for each user's workers: one user's creates never spend another's."""
    budget = RateBudget(daily_meeting_writes=2)
    with new_sandbox(now=NOW, daily_meeting_writes=2) as sb:
        client_id, secret = sb.register_oauth_app(redirect_uri=REDIRECT)
        fleet = Fleet(redis_url, token_key=token_key)
        clients = []
        for user in (sb.user_id, TEAM_HOST_ID):
            store = fleet.token_store(client_id, user=user)
            store.save(StoredTokens(_secret(sb.oauth.grant(client_id, user))))
            auth = UserOAuth(
                client_id,
                secret,
                redirect_uri=REDIRECT,
                store=store,
                oauth_base_url=sb.oauth_base_url,
            )
            clients.append(
                ZoomClient(auth, base_url=sb.api_base_url, fleet=fleet, rate_budget=budget)
            )
        first, second = clients
        for topic in ("one", "two"):
            first.create_meeting(user_id="me", topic=topic, type=2)
        made = second.create_meeting(user_id="me", topic="three", type=2)
        assert made.host_id == TEAM_HOST_ID
        with pytest.raises(ZoomRateLimitError, match="Not sent"):
            first.create_meeting(user_id="me", topic="four", type=2)
        for client in clients:
            client.close()
