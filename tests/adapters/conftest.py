"""Fixtures for the adapter tests: a loopback stand-in for Zoom, and the embedded sandbox."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.sandboxes import NewSandbox
from zoom_agent_tools import AccessTokenAuth, RetryPolicy, ZoomClient
from zoom_agent_tools.sandbox import Sandbox

from .entry_points import CountingSession, EntryPoints, counting_client

TOKEN = "adapter-test-token-0123456789"


@pytest.fixture
def fake_client(httpserver: HTTPServer, tmp_path: Path) -> Iterator[ZoomClient]:
    """A client of pytest-httpserver: no retries, no sleeping, downloads under tmp_path."""
    with ZoomClient(
        AccessTokenAuth(TOKEN),
        base_url=httpserver.url_for("/v2"),
        retry=RetryPolicy(max_retries=0),
        sleep=lambda _: None,
        timeout=(2.0, 2.0),
        download_dir=tmp_path / "downloads",
    ) as zoom:
        yield zoom


@pytest.fixture
def sandbox(new_sandbox: NewSandbox) -> Iterator[Sandbox]:
    """A fresh sandbox for a test that changes its state (in process: nothing listens)."""
    with new_sandbox(rate_limits=False) as sb:
        yield sb


@pytest.fixture
def sandbox_client(sandbox: Sandbox, tmp_path: Path) -> Iterator[ZoomClient]:
    with sandbox.client(download_dir=tmp_path / "downloads") as zoom:
        yield zoom


@pytest.fixture
def zoom_threads(fake_client: ZoomClient) -> list[int]:
    """The ids of the threads from which ``fake_client`` is asked to call Zoom."""
    threads: list[int] = []
    original = fake_client.execute

    def spy(op: Any, arguments: Any = None) -> Any:
        threads.append(threading.get_ident())
        return original(op, arguments)

    fake_client.execute = spy  # type: ignore[method-assign]
    return threads


@pytest.fixture(scope="module")
def counted(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[EntryPoints, CountingSession]]:
    """Every entry point of one client whose requests are counted and answered 404."""
    client, session = counting_client(str(tmp_path_factory.mktemp("downloads")))
    with client:
        yield EntryPoints(client), session
