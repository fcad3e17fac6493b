"""Helpers for the connection tests: a consent page clicked over plain HTTP, the CLI's connect
run in a thread, and a record of the bearer tokens the sandbox received."""

from __future__ import annotations

import html
import json
import queue
import re
import threading
import webbrowser
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from zoom_agent_tools import cli
from zoom_agent_tools.sandbox import Sandbox

WAIT = 30  # seconds: an upper bound for any one step, never reached when things work
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')


def consent(url: str, *, approve: bool = True, follow: bool = True) -> str:
    """Answer the sandbox's consent page at ``url`` as a browser would, over plain HTTP.

    Returns the page the redirect target answered with, or (``follow=False``) the address
    Zoom redirected to.
    """
    page = requests.get(url, timeout=WAIT)
    assert page.status_code == 200, page.text
    fields = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page.text)}
    fields["approve"] = "1" if approve else "0"
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    answer = requests.post(
        origin + "/oauth/authorize", data=fields, allow_redirects=False, timeout=WAIT
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    if not follow:
        return location
    return requests.get(location, timeout=WAIT).text


def with_state(address: str, state: str) -> str:
    """``address`` with another ``state`` in its query."""
    parts = urlsplit(address)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = state
    return parts._replace(query="&".join(f"{k}={v}" for k, v in query.items())).geturl()


class Connecting:
    """``zoom-agent-tools <argv>`` run in a thread; the link it opens in "the browser" is caught
    (``webbrowser.open`` is replaced, and says a browser was opened)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
        self._urls: queue.Queue[str] = queue.Queue()

        def opened(url: str, *args: Any, **kwargs: Any) -> bool:
            self._urls.put(url)
            return True

        monkeypatch.setattr(webbrowser, "open", opened)
        self.code: int | None = None
        self._thread = threading.Thread(target=self._run, args=(argv,), daemon=True)
        self._thread.start()

    def _run(self, argv: list[str]) -> None:
        self.code = cli.main(argv)

    def url(self) -> str:
        """The consent page's address the command opened."""
        return self._urls.get(timeout=WAIT)

    def finish(self) -> int:
        """The command's exit status, once it ended."""
        self._thread.join(timeout=WAIT)
        assert not self._thread.is_alive(), "connect did not finish"
        assert self.code is not None
        return self.code


def start_connect(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, *extra: str, secret: str | None = None
) -> Connecting:
    """``connect`` to ``sandbox``'s user-level app, its secret (or ``secret``) in the env."""
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", secret or sandbox.user_app.client_secret)
    return Connecting(monkeypatch, connect_argv(sandbox, *extra))


def record_bearers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every bearer token any sandbox receives from now on, in order."""
    seen: list[str] = []
    original: Callable[..., Iterable[bytes]] = Sandbox.__call__

    def recording(self: Sandbox, environ: Any, start_response: Any) -> Iterable[bytes]:
        scheme, _, token = str(environ.get("HTTP_AUTHORIZATION", "")).partition(" ")
        if scheme.lower() == "bearer" and token not in seen:
            seen.append(token)
        return original(self, environ, start_response)

    monkeypatch.setattr(Sandbox, "__call__", recording)
    return seen


def connect_argv(sandbox: Sandbox, *extra: str) -> list[str]:
    """``connect`` to ``sandbox`` with its user-level app (its secret comes from the env)."""
    return [
        "connect",
        "--client-id",
        sandbox.user_app.client_id,
        "--api-base-url",
        sandbox.api_base_url,
        "--oauth-base-url",
        sandbox.oauth_base_url,
        *extra,
    ]


def refused_access(sandbox: Sandbox, token: str) -> bool:
    """Whether the sandbox refuses ``token`` as an access token."""
    answer = requests.get(
        sandbox.api_base_url + "/users/me",
        headers={"Authorization": f"Bearer {token}"},
        timeout=WAIT,
    )
    return answer.status_code == 401 and answer.json()["code"] == 124


def refused_refresh(sandbox: Sandbox, token: str) -> bool:
    """Whether the sandbox refuses ``token`` as the user app's refresh token."""
    app = sandbox.user_app
    answer = requests.post(
        sandbox.oauth_base_url + "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": token},
        auth=(app.client_id, app.client_secret),
        timeout=WAIT,
    )
    return answer.status_code == 400 and answer.json()["reason"] == "Invalid Token!"


def stored(config: Path, profile: str = "default") -> dict[str, Any]:
    """The stored connection file of ``profile``, as JSON."""
    data: dict[str, Any] = json.loads(
        (config / "profiles" / f"{profile}.json").read_text(encoding="utf-8")
    )
    return data
