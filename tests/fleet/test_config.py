"""Bad fleet settings fail clearly, before any request; without the extra nothing imports redis."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from cryptography.fernet import Fernet

from tests.redis_server import RedisServer
from tests.sandboxes import NewSandbox
from zoom_agent_tools import (
    AccessTokenAuth,
    FileTokenStore,
    MemoryTokenStore,
    UserOAuth,
    ZoomClient,
    ZoomConfigurationError,
)
from zoom_agent_tools.auth import SharedToken, _secret
from zoom_agent_tools.fleet import Fleet
from zoom_agent_tools.tools import ZoomTools


def _env(redis_url: str, **more: str) -> dict[str, str]:
    return {
        "ZOOM_ACCOUNT_ID": "acct",
        "ZOOM_CLIENT_ID": "cid",
        "ZOOM_CLIENT_SECRET": "secret",
        "ZOOM_REDIS_URL": redis_url,
        **more,
    }


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://127.0.0.1:6379/0", "ZOOM_REDIS_URL is not a Redis URL"),
        ("redis://127.0.0.1:port/0", "not a usable Redis URL"),
        ("127.0.0.1:6379", "ZOOM_REDIS_URL is not a Redis URL"),
        ("redis://127.0.0.1:6379/abc", "the database 'abc', which is not a number"),
        ("redis://127.0.0.1:6379/0/1", "the database '0/1', which is not a number"),
        ("redis://127.0.0.1:6379/0?colour=blue", "cannot make Redis connections.*'colour'"),
        ("redis://127.0.0.1:6379/0?timeout=5", "cannot make Redis connections.*'timeout'"),
        ("redis://127.0.0.1:6379/0?db=zero", "Invalid value for 'db'"),
    ],
)
def test_a_wrong_redis_url_is_refused(url: str, says: str) -> None:
    with pytest.raises(ZoomConfigurationError, match=says) as refused:
        ZoomClient.from_env(_env(url, ZOOM_TOKEN_KEY=Fernet.generate_key().decode()))
    assert "redis://host:6379/0" in str(refused.value)


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379", "redis://127.0.0.1:6379/", "unix:///r.sock?db=2"]
)
def test_redis_urls_without_a_database_number_in_the_path_are_taken(url: str) -> None:
    assert Fleet(url).redis is not None


@pytest.mark.parametrize(
    "url",
    [
        "rediss://127.0.0.1:6379/0?ssl_cert_reqs=none",  # hosted Redis over TLS
        "redis://127.0.0.1:6379/0?protocol=3",
        "redis://127.0.0.1:6379/0?client_name=worker-1",
        "redis://127.0.0.1:6379/0?health_check_interval=30",
    ],
)
def test_redis_urls_with_settings_the_redis_client_takes_are_taken(url: str) -> None:
    assert Fleet(url).redis is not None


def test_a_wrong_redis_url_leaves_the_tools_as_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, redis_server: RedisServer
) -> None:
    # A setting redis-py's URL parser takes but its connections do not.
    monkeypatch.setenv("ZOOM_ACCESS_TOKEN", "t")
    monkeypatch.setenv("ZOOM_REDIS_URL", f"{redis_server.url}?timeout=5")
    with pytest.raises(ZoomConfigurationError, match="'timeout'"):
        ZoomTools()
    given = redis.Redis.from_url(f"{redis_server.url}?timeout=5")
    with pytest.raises(ZoomConfigurationError, match="The Redis client given cannot make"):
        ZoomTools(ZoomClient(AccessTokenAuth("t"), fleet=Fleet(given)))


def test_a_database_the_server_does_not_have_is_a_configuration_error(
    new_sandbox: NewSandbox, redis_url: str, token_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    fleet = Fleet(redis_url.rsplit("/", 1)[0] + "/99", token_key=token_key)
    with pytest.raises(ZoomConfigurationError, match="DB index is out of range"):
        fleet.check()
    with new_sandbox() as sb:
        client = sb.client(fleet=fleet)
        with pytest.raises(ZoomConfigurationError, match="refused the fleet's command") as refused:
            client.list_meetings(user_id="me")
        outcome = ZoomTools(client).run("zoom_list_meetings", {"user_id": "me"})
    assert "DB index is out of range" in str(refused.value)
    assert outcome.is_error
    assert "DB index is out of range" in outcome.text
    assert fleet.reachable  # not taken for an outage: no silent fall-back to local state
    assert not [r for r in caplog.records if "unreachable" in r.getMessage()]


def test_a_renewal_lock_that_expired_is_not_an_outage(
    redis_url: str, token_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    fleet = Fleet(redis_url, token_key=token_key)
    with fleet.tokens("scope").renewing(0.1):
        time.sleep(0.3)  # the renewal outlasts the lock's TTL
    assert fleet.reachable
    assert not [r for r in caplog.records if "unreachable" in r.getMessage()]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def not_redis() -> Iterator[int]:
    """A loopback port where something that is not Redis answers (an HTTP server's refusal)."""
    server = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    yield int(server.getsockname()[1])
    server.close()


def test_an_unreachable_redis_fails_connect_clearly(
    new_sandbox: NewSandbox, token_key: str, not_redis: int
) -> None:
    with new_sandbox() as sb:
        for port in (_closed_port(), not_redis):
            url = f"redis://:hunter2@127.0.0.1:{port}/0"
            client = sb.client(fleet=Fleet(url, token_key=token_key))
            before = sum(sb.token_requests.values())
            with pytest.raises(ZoomConfigurationError, match="Redis at redis://") as failed:
                client.connect()
            text = str(failed.value)
            assert f"127.0.0.1:{port}" in text
            assert "Start Redis or correct ZOOM_REDIS_URL" in text
            assert "hunter2" not in text + repr(client.fleet)
            assert sum(sb.token_requests.values()) == before  # nothing sent to Zoom


def test_tokens_are_not_stored_without_an_encryption_key(redis_url: str) -> None:
    with pytest.raises(ZoomConfigurationError, match="no token key is set") as refused:
        ZoomClient.from_env(_env(redis_url))
    assert "Fernet.generate_key()" in str(refused.value)
    assert "ZOOM_TOKEN_KEY" in str(refused.value)
    # A ready access token is not stored: the fleet shares the budget without a key.
    client = ZoomClient.from_env({"ZOOM_ACCESS_TOKEN": "t", "ZOOM_REDIS_URL": redis_url})
    assert client.fleet is not None


@pytest.mark.parametrize("key", ["not-a-key", "x" * 44])
def test_an_invalid_encryption_key_is_refused(redis_url: str, key: str) -> None:
    with pytest.raises(ZoomConfigurationError, match="not a valid Fernet key") as refused:
        ZoomClient.from_env(_env(redis_url, ZOOM_TOKEN_KEY=key))
    assert key not in str(refused.value)


def test_a_worker_with_another_key_is_told_so(
    new_sandbox: NewSandbox, redis_url: str, token_key: str
) -> None:
    with new_sandbox() as sb:
        sb.client(fleet=Fleet(redis_url, token_key=token_key)).connect()
        stranger = sb.client(fleet=Fleet(redis_url, token_key=Fernet.generate_key()))
        with pytest.raises(ZoomConfigurationError, match="same ZOOM_TOKEN_KEY"):
            stranger.list_meetings(user_id="me")


def test_user_oauth_in_a_fleet_needs_a_shared_store(
    redis_url: str, token_key: str, tmp_path: Path
) -> None:
    fleet = Fleet(redis_url, token_key=token_key)
    auth = UserOAuth("cid", "secret", redirect_uri="http://127.0.0.1/cb", store=MemoryTokenStore())
    with pytest.raises(ZoomConfigurationError, match=r"fleet\.token_store"):
        ZoomClient(auth, fleet=fleet)
    # A file (a stored profile's) is one worker's too: its access token could be shared
    # under the app's name with another user's workers.
    on_disk = UserOAuth(
        "cid", "secret", redirect_uri="http://127.0.0.1/cb", store=FileTokenStore(tmp_path / "t")
    )
    with pytest.raises(ZoomConfigurationError, match=r"not in FileTokenStore.*user="):
        ZoomClient(on_disk, fleet=fleet)
    shared = UserOAuth(
        "cid", "secret", redirect_uri="http://127.0.0.1/cb", store=fleet.token_store("cid")
    )
    assert ZoomClient(shared, fleet=fleet).fleet is fleet
    assert ZoomClient(AccessTokenAuth("t"), fleet=Fleet(redis_url)).fleet is not None


def test_without_the_extra_nothing_imports_redis() -> None:
    code = (
        "import sys\n"
        "from zoom_agent_tools import ZoomClient, ZoomConfigurationError\n"
        "from zoom_agent_tools.sandbox import Sandbox\n"
        "print(len(Sandbox(plan='pro').client().list_meetings(user_id='me').items))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('redis', 'cryptography'))))\n"
        "sys.modules['redis'] = None  # as if the extra were not installed\n"
        "try:\n"
        "    ZoomClient.from_env({'ZOOM_ACCESS_TOKEN': 't', 'ZOOM_REDIS_URL': 'redis://h/0'})\n"
        "except ZoomConfigurationError as exc:\n"
        "    print(exc)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    listed, loaded, refused = run.stdout.splitlines()
    assert int(listed) > 0  # a call through the rate budget...
    assert loaded == "[]"  # ...loaded neither redis nor cryptography
    assert "pip install 'zoom-agent-tools[redis]'" in refused


def test_reprs_show_no_secret(redis_url: str, token_key: str) -> None:
    fleet = Fleet(redis_url.replace("redis://", "redis://:hunter2@"), token_key=token_key)
    shown = repr(fleet) + repr(fleet.token_store("cid"))
    shown += repr(SharedToken(_secret("the-access-token"), 0.0, 3600.0))
    assert "hunter2" not in shown
    assert token_key not in shown
    assert "the-access-token" not in shown
