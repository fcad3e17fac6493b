"""Fixtures of the fleet tests: one real redis-server for the session, emptied for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from cryptography.fernet import Fernet

from tests.redis_server import RedisServer


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of the session's Redis, emptied (and started again if a test stopped it)."""
    try:
        redis.Redis.from_url(redis_server.url).flushall()
    except redis.ConnectionError:
        redis_server.start()
    return redis_server.url


@pytest.fixture
def token_key() -> str:
    return Fernet.generate_key().decode()
