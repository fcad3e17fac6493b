"""``zoom_agent_tools.sign_in()`` from a notebook cell: the same flow as the command line,
with the redirect caught on loopback or pasted."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

import zoom_agent_tools
from tests.connect.flow import WAIT, consent, stored
from zoom_agent_tools import ZoomClient, ZoomSignInError
from zoom_agent_tools.auth import UserOAuth
from zoom_agent_tools.sandbox import Sandbox

pytestmark = pytest.mark.served
_LINK = re.compile(r"^(http://\S+/oauth/authorize\?\S+)$", re.M)


def _link(said: list[str]) -> str:
    match = _LINK.search("\n".join(said))
    assert match is not None, said
    return match[1]


def test_sign_in_listens_for_the_redirect(sandbox: Sandbox, config: Path) -> None:
    said: list[str] = []
    link_printed = threading.Event()

    def say(text: str) -> None:
        said.append(text)
        if _LINK.search(text):
            link_printed.set()

    result: list[ZoomClient] = []
    app = sandbox.user_app
    thread = threading.Thread(
        target=lambda: result.append(
            zoom_agent_tools.sign_in(
                app.client_id,
                app.client_secret,
                open_browser=False,
                api_base_url=sandbox.api_base_url,
                oauth_base_url=sandbox.oauth_base_url,
                say=say,
            )
        ),
        daemon=True,
    )
    thread.start()
    assert link_printed.wait(WAIT)
    assert "Open this link in a browser and choose Allow:" in "\n".join(said)
    consent(_link(said))
    thread.join(WAIT)
    [client] = result
    assert isinstance(client.auth, UserOAuth)
    assert client.list_meetings(user_id="me", page_size=1).items
    # The rotation that call may cause is kept in the stored connection.
    assert stored(config)["secrets"]["refresh_token"] == (
        client.auth.store.load().refresh_token.get_secret_value()  # type: ignore[union-attr]
    )
    assert "Connected as Ada Host <ada.host@example.com>" in "\n".join(said)
    assert isinstance(ZoomClient.from_env().auth, UserOAuth)


def test_sign_in_takes_the_pasted_address(
    sandbox: Sandbox, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    prompts: list[str] = []

    def paste(prompt: str) -> str:
        prompts.append(prompt)
        # The browser on another machine could not reach the listener: its address bar
        # shows the redirect, which the user copies.
        return consent(_link(said), follow=False)

    monkeypatch.setattr("builtins.input", paste)
    app = sandbox.user_app
    client = zoom_agent_tools.sign_in(
        app.client_id,
        app.client_secret,
        profile="notebook",
        open_browser=False,
        paste=True,
        api_base_url=sandbox.api_base_url,
        oauth_base_url=sandbox.oauth_base_url,
        say=said.append,
    )
    [prompt] = prompts
    assert "paste the whole address the browser ends on" in prompt
    assert client.list_meetings(user_id="me", page_size=1).items
    assert stored(config, "notebook")["kind"] == "user"


def test_a_pasted_address_that_is_not_the_redirect_is_refused(
    sandbox: Sandbox, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: _link(said))  # the wrong address
    app = sandbox.user_app
    with pytest.raises(ZoomSignInError, match="not the address Zoom redirected to"):
        zoom_agent_tools.sign_in(
            app.client_id,
            app.client_secret,
            open_browser=False,
            paste=True,
            api_base_url=sandbox.api_base_url,
            oauth_base_url=sandbox.oauth_base_url,
            say=said.append,
        )
    assert not (config / "profiles").exists()
