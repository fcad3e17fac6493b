"""Fixtures for the sandbox tests: a sandbox on a fixed clock and a spec-checking HTTP helper.

``sandbox`` answers in process unless the test is marked ``served`` (see tests/sandboxes.py);
``zoom_http`` reaches it the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

import pytest
import requests

from tests import conformance
from tests.sandboxes import NewSandbox
from zoom_agent_tools.sandbox import ManualClock, Sandbox

NOW = datetime(2026, 3, 10, 18, 30, tzinfo=timezone.utc)


def encode(value: str, times: int = 1) -> str:
    for _ in range(times):
        value = quote(value, safe="")
    return value


class ZoomHTTP:
    """Calls the sandbox's /v2 API and checks every exchange against the spec.

    Over loopback when the sandbox is serving, else in process.
    """

    def __init__(self, sandbox: Sandbox, token: str | None) -> None:
        self.sandbox = sandbox
        self.token = token
        self.session = requests.Session() if sandbox.serving else sandbox.in_process_session()

    def call(
        self,
        method: str,
        template: str,
        path: dict[str, Any] | None = None,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        token: str | None = "default",
        encode_times: int = 1,
        check_request: bool = True,
        validate: bool = True,
    ) -> requests.Response:
        url_path = template
        for name, value in (path or {}).items():
            url_path = url_path.replace("{" + name + "}", encode(str(value), encode_times))
        headers = {}
        bearer = self.token if token == "default" else token
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        response = self.session.request(
            method,
            self.sandbox.api_base_url + url_path,
            params=params,
            json=json,
            headers=headers,
            timeout=30,
        )
        if validate:
            conformance.check(response, template, check_request=check_request and bool(bearer))
        return response

    def get(
        self, template: str, path: dict[str, Any] | None = None, **kw: Any
    ) -> requests.Response:
        return self.call("GET", template, path, **kw)

    def post(
        self, template: str, path: dict[str, Any] | None = None, **kw: Any
    ) -> requests.Response:
        return self.call("POST", template, path, **kw)

    def patch(
        self, template: str, path: dict[str, Any] | None = None, **kw: Any
    ) -> requests.Response:
        return self.call("PATCH", template, path, **kw)

    def delete(
        self, template: str, path: dict[str, Any] | None = None, **kw: Any
    ) -> requests.Response:
        return self.call("DELETE", template, path, **kw)


def counting_ticker() -> Any:
    """A rate-limit ticker that moves one second per read: the QPS limit never trips."""
    counter = itertools.count()
    return lambda: float(next(counter))


@pytest.fixture
def sandbox(new_sandbox: NewSandbox) -> Iterator[Sandbox]:
    with new_sandbox(now=NOW, rate_ticker=counting_ticker()) as sb:
        yield sb


@pytest.fixture
def clock(sandbox: Sandbox) -> ManualClock:
    assert isinstance(sandbox.clock, ManualClock)
    return sandbox.clock


@pytest.fixture
def zoom_http(sandbox: Sandbox) -> ZoomHTTP:
    """The spec-checking HTTP helper, with a token of the sandbox's app."""
    # A long-lived token, so tests may move the clock by days.
    return ZoomHTTP(sandbox, sandbox.issue_token(ttl=400 * 86400))
