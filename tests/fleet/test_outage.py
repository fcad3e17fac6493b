"""Redis stops mid-run: the calls go on with each worker's own state, one warning; it returns:
shared again."""

from __future__ import annotations

import logging
import time

import pytest
import redis

from tests.redis_server import RedisServer
from tests.sandboxes import NewSandbox
from zoom_agent_tools.fleet import Fleet


def test_calls_go_on_while_redis_is_down_and_share_again_after(
    new_sandbox: NewSandbox,
    redis_server: RedisServer,
    redis_url: str,
    token_key: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with new_sandbox(plan="pro") as sb:
        meeting_id = str(sb.client().list_meetings(user_id="me").items[0].id)
        fleet = Fleet(redis_url, token_key=token_key, recheck_after=0.2)
        client = sb.client(fleet=fleet)
        client.get_meeting(meeting_id=meeting_id)
        assert redis.Redis.from_url(redis_url).keys("*:limits:*")
        caplog.set_level(logging.WARNING, logger="zoom_agent_tools")
        redis_server.stop()
        try:
            for _ in range(10):
                client.get_meeting(meeting_id=meeting_id)
                time.sleep(0.03)  # past recheck_after: Redis is tried again, and again fails
            assert not fleet.reachable
            unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
            assert len(unreachable) == 1
            assert redis_url.rsplit("/", 1)[0] in unreachable[0].getMessage()
        finally:
            redis_server.start()
        time.sleep(0.25)
        client.get_meeting(meeting_id=meeting_id)
        assert fleet.reachable
        assert any("answers again" in r.getMessage() for r in caplog.records)
        # The window is counted in Redis again (the restarted server started empty).
        assert redis.Redis.from_url(redis_url).keys("*:limits:*")


def test_a_server_that_cannot_take_writes_is_an_outage_not_a_wrong_setting(
    new_sandbox: NewSandbox, redis_url: str, token_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Out of memory (or a replica during a failover): calls go on, with one warning."""
    admin = redis.Redis.from_url(redis_url)
    with new_sandbox(plan="pro") as sb:
        meeting_id = str(sb.client().list_meetings(user_id="me").items[0].id)
        fleet = Fleet(redis_url, token_key=token_key, recheck_after=60)
        client = sb.client(fleet=fleet)
        caplog.set_level(logging.WARNING, logger="zoom_agent_tools")
        admin.config_set("maxmemory", "1")
        try:
            for _ in range(3):
                assert client.get_meeting(meeting_id=meeting_id).id == int(meeting_id)
        finally:
            admin.config_set("maxmemory", "0")
    assert not fleet.reachable
    warned = [r.getMessage() for r in caplog.records if "cannot serve" in r.getMessage()]
    assert len(warned) == 1
    assert "OutOfMemoryError" in warned[0]
