"""connect -> status -> call -> disconnect against the sandbox, as a user runs them, and what
stays refused afterwards. The consent page is answered over plain HTTP (test_browser.py clicks
it in a real browser)."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from tests.connect.flow import (
    connect_argv,
    consent,
    record_bearers,
    refused_access,
    refused_refresh,
    start_connect,
    stored,
)
from zoom_agent_tools import ZoomClient, cli
from zoom_agent_tools.auth import ServerToServerAuth, UserOAuth
from zoom_agent_tools.operations import OPERATIONS
from zoom_agent_tools.sandbox import Sandbox

pytestmark = pytest.mark.served


def _connect(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, *extra: str, approve: bool = True
) -> tuple[int, str]:
    """Run connect, approve (or decline) on the consent page; its exit status and the page
    the browser ended on."""
    run = start_connect(sandbox, monkeypatch, *extra)
    page = consent(run.url(), approve=approve)
    code = run.finish()
    monkeypatch.delenv("ZOOM_CLIENT_SECRET")
    return code, page


def test_connect_status_call_disconnect_then_the_old_tokens_are_refused(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bearers = record_bearers(monkeypatch)
    code, page = _connect(sandbox, monkeypatch)
    assert code == 0
    assert "You can close this tab" in page
    said = capsys.readouterr()
    assert "Connected as Ada Host <ada.host@example.com>" in said.out
    assert "add http://127.0.0.1/callback to its OAuth Redirect URL" in said.out
    assert said.err == ""
    path = config / "profiles" / "default.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    saved = stored(config)
    assert saved["kind"] == "user"
    assert saved["api_base_url"] == sandbox.api_base_url
    assert saved["user"] == "ada.host@example.com"

    assert cli.main(["status"]) == 0
    text = capsys.readouterr().out
    assert "user:    Ada Host <ada.host@example.com>" in text
    assert "method:  user OAuth" in text
    assert f"tools these scopes allow ({len(OPERATIONS)} of {len(OPERATIONS)})" in text
    assert cli.main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["method"] == "user_oauth"
    assert status["user"]["email"] == "ada.host@example.com"
    assert status["user"]["accountId"] == sandbox.account_id
    assert "user:read:user" in status["scopes"]
    assert 3500 < status["tokenExpiresIn"] <= 3600
    assert all(tool["allowed"] for tool in status["tools"])

    assert cli.main(["call", "zoom_list_meetings", '{"userId": "me", "pageSize": 2}']) == 0
    shown = json.loads(capsys.readouterr().out)
    assert len(shown["meetings"]) == 2
    assert shown["pageInfo"]["pageSize"] == 2
    assert cli.main(["call", "zoom_list_meetings", '{"userId": "me", "pageSize": 1}', "--raw"]) == 0
    raw = json.loads(capsys.readouterr().out)
    assert raw["page_size"] == 1
    assert set(raw["meetings"][0]) >= {"id", "uuid", "topic", "join_url"}

    refresh = stored(config)["secrets"]["refresh_token"]
    assert bearers, "the commands sent no access token"
    assert cli.main(["disconnect"]) == 0
    said = capsys.readouterr()
    assert "Disconnected profile 'default' (ada.host@example.com)" in said.out
    assert "revoked at Zoom" in said.out
    assert not path.exists()
    assert all(refused_access(sandbox, token) for token in bearers)
    assert refused_refresh(sandbox, refresh)

    assert cli.main(["disconnect"]) == 0
    assert "Not connected (profile 'default'): nothing to disconnect." in capsys.readouterr().out
    assert cli.main(["status"]) == 1
    err = capsys.readouterr().err
    assert "profile 'default' has no stored connection" in err
    assert "zoom-agent-tools connect" in err
    everything = said.out + said.err + err
    for secret in [*bearers, refresh, sandbox.user_app.client_secret]:
        assert secret not in everything


def test_the_renewed_refresh_token_is_stored_at_once(
    sandbox: Sandbox, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _connect(sandbox, monkeypatch)[0] == 0
    first = stored(config)["secrets"]["refresh_token"]
    with ZoomClient.from_env() as zoom:
        assert isinstance(zoom.auth, UserOAuth)
        zoom.get_meeting_invitation  # noqa: B018 - the client is usable without I/O
        zoom.list_meetings(user_id="me", page_size=1)
    second = stored(config)["secrets"]["refresh_token"]
    assert second != first
    assert refused_refresh(sandbox, first)  # used once, as Zoom's rotating tokens are
    assert stat.S_IMODE((config / "profiles" / "default.json").stat().st_mode) == 0o600


def test_profiles_keep_accounts_apart(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _connect(sandbox, monkeypatch, "--profile", "work")[0] == 0
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", sandbox.client_secret)
    argv = [
        "connect",
        "--server-to-server",
        "--account-id",
        sandbox.account_id,
        "--client-id",
        sandbox.client_id,
        "--api-base-url",
        sandbox.api_base_url,
        "--oauth-base-url",
        sandbox.oauth_base_url,
    ]
    assert cli.main(argv) == 0
    monkeypatch.delenv("ZOOM_CLIENT_SECRET")
    assert "with Server-to-Server OAuth, as profile 'default'" in capsys.readouterr().out
    assert {p.name for p in (config / "profiles").iterdir()} == {"default.json", "work.json"}

    assert cli.main(["status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "server_to_server"
    assert cli.main(["status", "--json", "--profile", "work"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "user_oauth"
    monkeypatch.setenv("ZOOM_PROFILE", "work")
    assert cli.main(["status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "user_oauth"
    assert isinstance(ZoomClient.from_env().auth, UserOAuth)
    assert isinstance(ZoomClient.from_env(profile="default").auth, ServerToServerAuth)
    monkeypatch.delenv("ZOOM_PROFILE")

    assert cli.main(["disconnect", "--profile", "work"]) == 0
    assert "revoked at Zoom" in capsys.readouterr().out
    assert cli.main(["disconnect"]) == 0
    assert "stay valid at Zoom until you deactivate the app" in capsys.readouterr().out
    assert list((config / "profiles").iterdir()) == []


def test_credentials_in_the_environment_come_first(
    sandbox: Sandbox, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _connect(sandbox, monkeypatch)[0] == 0
    for name, value in sandbox.env().items():
        monkeypatch.setenv(name, value)
    assert isinstance(ZoomClient.from_env().auth, ServerToServerAuth)
    # An explicit profile is the stored connection, whatever the environment holds.
    assert isinstance(ZoomClient.from_profile().auth, UserOAuth)
    # The app's id and secret alone are what connect signs in with, not credentials.
    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_API_BASE_URL", "ZOOM_OAUTH_BASE_URL"):
        monkeypatch.delenv(name)
    assert isinstance(ZoomClient.from_env().auth, UserOAuth)


def test_a_different_base_url_in_the_environment_is_refused(
    sandbox: Sandbox, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _connect(sandbox, monkeypatch)[0] == 0
    monkeypatch.setenv("ZOOM_API_BASE_URL", "https://api.zoom.us/v2")
    with pytest.raises(Exception, match="profile 'default' is connected to") as info:
        ZoomClient.from_env()
    assert "Unset ZOOM_API_BASE_URL" in str(info.value)


def test_the_redirect_can_be_pasted(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: consent(_link(capsys), follow=False))
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", sandbox.user_app.client_secret)
    assert cli.main(connect_argv(sandbox, "--paste", "--no-browser")) == 0
    assert stored(config)["kind"] == "user"


def test_on_a_terminal_the_redirect_can_be_pasted_while_waiting(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_end, write_end = os.pipe()
    terminal = os.fdopen(read_end, encoding="utf-8")
    monkeypatch.setattr(terminal, "isatty", lambda: True)
    monkeypatch.setattr(sys, "stdin", terminal)
    try:
        run = start_connect(sandbox, monkeypatch)
        # The browser ran elsewhere and never reached the listener; the user pastes.
        address = consent(run.url(), follow=False)
        os.write(write_end, f"{address}\n".encode())
        assert run.finish() == 0
    finally:
        os.close(write_end)
        terminal.close()
    assert stored(config)["user"] == "ada.host@example.com"


def test_an_app_without_user_scopes_connects_and_status_says_what_is_missing(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client_id, secret = sandbox.register_client(
        scopes=["meeting:read:list_meetings:admin", "meeting:read:meeting:admin"]
    )
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", secret)
    argv = ["connect", "--server-to-server", "--account-id", sandbox.account_id]
    argv += ["--client-id", client_id, "--api-base-url", sandbox.api_base_url]
    assert cli.main([*argv, "--oauth-base-url", sandbox.oauth_base_url]) == 0
    monkeypatch.delenv("ZOOM_CLIENT_SECRET")
    assert "needs the scope user:read:user" in capsys.readouterr().out
    assert stored(config)["user"] is None

    assert cli.main(["status"]) == 0
    text = capsys.readouterr().out
    assert (
        f"tools these scopes allow (2 of {len(OPERATIONS)}):\n"
        "    zoom_list_meetings\n    zoom_get_meeting\n" in text
    )
    assert (
        "zoom_delete_recording: needs cloud_recording:delete:meeting_recording or "
        "recording:write; cloud_recording:delete:recording_file or recording:write"
    ) in text
    assert cli.main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["user"] is None
    assert "user:read:user" in status["userNote"]
    allowed = {t["name"] for t in status["tools"] if t["allowed"]}
    assert allowed == {"zoom_list_meetings", "zoom_get_meeting"}
    # What status promises is what the tools meet.
    assert cli.main(["call", "zoom_list_recordings", '{"userId": "me"}']) == 1
    assert "cloud_recording:read:list_user_recordings" in capsys.readouterr().err


def _link(capsys: pytest.CaptureFixture[str]) -> str:
    """The consent link a running connect printed (read back from the captured output)."""
    out = capsys.readouterr().out
    sys.stdout.write(out)
    return next(line for line in out.splitlines() if "/oauth/authorize?" in line)


def test_status_of_a_ready_token_says_what_it_cannot_know(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZOOM_ACCESS_TOKEN", sandbox.issue_token())
    monkeypatch.setenv("ZOOM_API_BASE_URL", sandbox.api_base_url)
    monkeypatch.setenv("ZOOM_OAUTH_BASE_URL", sandbox.oauth_base_url)
    assert cli.main(["status"]) == 0
    text = capsys.readouterr().out
    assert "Connected to Zoom (credentials from the environment)." in text
    assert "user:    Ada Host <ada.host@example.com>" in text
    assert "method:  a ready access token (ZOOM_ACCESS_TOKEN)" in text
    assert "scopes:  unknown" in text
    assert cli.main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["method"], status["scopes"], status["tokenExpiresIn"]) == (
        "access_token",
        None,
        None,
    )
    assert {t["allowed"] for t in status["tools"]} == {None}
