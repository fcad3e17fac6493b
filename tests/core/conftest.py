"""Fixtures for the core tests: a loopback HTTP server standing in for Zoom."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from zoom_agent_tools import AccessTokenAuth, RetryPolicy, ZoomClient

TOKEN = "test-access-token-0123456789"


class Sleeps(list[float]):
    """Records the delays a client asked to sleep, without sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(httpserver: HTTPServer, sleeps: Sleeps, tmp_path) -> Iterator[ZoomClient]:
    with ZoomClient(
        AccessTokenAuth(TOKEN),
        base_url=httpserver.url_for("/v2"),
        sleep=sleeps,
        # No jitter: the tests check each wait exactly.
        retry=RetryPolicy(max_retries=2, initial_delay=0.25, max_delay=1.0, random=lambda: 0.0),
        timeout=(2.0, 2.0),
        download_dir=tmp_path / "downloads",
    ) as zoom:
        yield zoom


def answer_host_lookup(httpserver: HTTPServer, meeting_id: str) -> None:
    """Answer the GET that learns a meeting's host before its update is counted (budget)."""
    httpserver.expect_request(f"/v2/meetings/{meeting_id}", method="GET").respond_with_json(
        {"id": int(meeting_id), "host_id": "KDcuGIm1QgePTO8WbOqwIQ", "topic": "t", "type": 2}
    )
