"""Every way connect, status, call and disconnect can fail: one line that says what to do,
a non-zero exit status, nothing stored by half, and no secret printed."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest
import requests
from pydantic import SecretStr

from tests.connect.flow import (
    WAIT,
    Connecting,
    connect_argv,
    consent,
    start_connect,
    stored,
    with_state,
)
from zoom_agent_tools import ZoomClient, ZoomConfigurationError, cli
from zoom_agent_tools.connections import Connection, ConnectionStore
from zoom_agent_tools.sandbox import Sandbox

pytestmark = pytest.mark.served


def _one_error_line(capsys: pytest.CaptureFixture[str], command: str) -> str:
    """The command's only line on standard error, checked to be its error line."""
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"zoom-agent-tools {command}: error: "), err
    assert "Traceback" not in err
    return lines[0]


def _nothing_stored(config: Path) -> None:
    folder = config / "profiles"
    assert not folder.exists() or list(folder.iterdir()) == []


def _failed(run: Connecting, capsys: pytest.CaptureFixture[str], config: Path) -> str:
    """The error line of a connect that failed, having stored nothing."""
    assert run.finish() == 1
    _nothing_stored(config)
    return _one_error_line(capsys, "connect")


def _connected(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, config: Path) -> str:
    """Connect the default profile; its refresh token."""
    run = start_connect(sandbox, monkeypatch)
    consent(run.url())
    assert run.finish() == 0
    monkeypatch.delenv("ZOOM_CLIENT_SECRET")
    return str(stored(config)["secrets"]["refresh_token"])


def test_a_wrong_client_secret_stores_nothing(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = start_connect(sandbox, monkeypatch, secret="not-the-secret-at-all")
    consent(run.url())
    line = _failed(run, capsys, config)
    assert "Invalid client_id or client_secret" in line
    assert "Check the app's client id and client secret" in line
    assert "not-the-secret-at-all" not in line


def test_a_wrong_server_to_server_secret_stores_nothing(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ZOOM_ACCOUNT_ID", sandbox.account_id)
    monkeypatch.setenv("ZOOM_CLIENT_ID", sandbox.client_id)
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", "not-the-secret-at-all")
    argv = ["connect", "--server-to-server", "--oauth-base-url", sandbox.oauth_base_url]
    assert cli.main([*argv, "--api-base-url", sandbox.api_base_url]) == 1
    line = _one_error_line(capsys, "connect")
    assert "Could not get a Server-to-Server access token (HTTP 401)" in line
    assert "not-the-secret-at-all" not in line
    _nothing_stored(config)


def test_a_declined_consent_stores_nothing(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = start_connect(sandbox, monkeypatch)
    page = consent(run.url(), approve=False)
    assert "did not authorize" in page
    line = _failed(run, capsys, config)
    assert "the consent was declined in the browser" in line
    assert "choose Allow" in line


def test_a_redirect_with_another_state_is_refused(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = start_connect(sandbox, monkeypatch)
    forged = with_state(consent(run.url(), follow=False), "forged-state")
    requests.get(forged, timeout=WAIT)
    assert "state does not match" in _failed(run, capsys, config)


def test_no_redirect_in_time_is_a_timeout(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = start_connect(sandbox, monkeypatch, "--timeout", "0.5")
    run.url()
    line = _failed(run, capsys, config)
    assert "No redirect from Zoom arrived within 0.5 seconds" in line
    assert "--paste" in line


def test_a_port_in_use_is_named(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", sandbox.user_app.client_secret)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(connect_argv(sandbox, "--port", str(port))) == 1
    line = _one_error_line(capsys, "connect")
    assert f"Port {port} on 127.0.0.1 is in use" in line
    assert "another --port" in line
    _nothing_stored(config)


def test_a_missing_secret_without_a_terminal_is_named(
    sandbox: Sandbox, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(connect_argv(sandbox)) == 1
    line = _one_error_line(capsys, "connect")
    assert "client secret is not given" in line
    assert "Set ZOOM_CLIENT_SECRET" in line
    _nothing_stored(config)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_connection_others_may_read_is_refused(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _connected(sandbox, monkeypatch, config)
    path = config / "profiles" / "default.json"
    before = path.read_bytes()
    path.chmod(0o644)
    for argv in (["status"], ["call", "zoom_list_meetings", "me"], ["disconnect"]):
        assert cli.main(argv) == 1
        line = _one_error_line(capsys, argv[0])
        assert "other users may read or change it (mode 0644)" in line
        assert f"run `chmod 600 {path}`" in line
    with pytest.raises(ZoomConfigurationError, match="mode 0644"):
        ZoomClient.from_env()
    assert path.read_bytes() == before  # refused, not touched
    path.chmod(0o600)
    assert cli.main(["status"]) == 0


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda path: path.mkdir(), "it is not a regular file"),
        (lambda path: path.write_bytes(b"\xff\xfe not text"), "it is damaged (not UTF-8 text)"),
        (lambda path: path.write_text("{ not json"), "it is damaged"),
        (lambda path: path.write_text('{"kind": "user"}'), "its secrets are missing"),
    ],
    ids=["a folder", "binary", "not JSON", "no secrets"],
)
def test_an_unreadable_connection_is_named(
    config: Path, capsys: pytest.CaptureFixture[str], make: object, says: str
) -> None:
    path = config / "profiles" / "default.json"
    path.parent.mkdir(parents=True)
    make(path)  # type: ignore[operator]
    if path.is_file():
        path.chmod(0o600)
    assert cli.main(["status"]) == 1
    line = _one_error_line(capsys, "status")
    assert str(path) in line
    assert says in line
    assert "zoom-agent-tools connect` again" in line


def test_a_revoked_refresh_token_says_to_connect_again(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    refresh = _connected(sandbox, monkeypatch, config)
    capsys.readouterr()
    sandbox.revoke_token(refresh)  # as when the user removes the app in Zoom's Marketplace
    for argv in (["status"], ["call", "zoom_list_meetings", '{"userId": "me"}']):
        assert cli.main(argv) == 1
        line = _one_error_line(capsys, argv[0])
        assert "Could not renew the access token (HTTP 400). Invalid Token!" in line
        assert "Suggestion: Run `zoom-agent-tools connect` to sign in again." in line
        assert refresh not in line
    # Disconnecting a connection Zoom no longer accepts only forgets it.
    assert cli.main(["disconnect"]) == 0
    assert "Zoom no longer accepts the stored connection" in capsys.readouterr().out
    _nothing_stored(config)


def test_disconnect_keeps_the_connection_when_zoom_cannot_be_reached(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens here once the socket is closed
    store = ConnectionStore()
    store.save(
        Connection(
            kind="user",
            client_id="app-id",
            client_secret=SecretStr("app-secret-value"),
            api_base_url=f"http://127.0.0.1:{port}/v2",
            oauth_base_url=f"http://127.0.0.1:{port}",
            refresh_token=SecretStr("refresh-token-value"),
        )
    )
    before = store.path.read_bytes()
    assert cli.main(["disconnect"]) == 1
    line = _one_error_line(capsys, "disconnect")
    assert "Access was not revoked; the connection of profile 'default' is kept" in line
    assert "Run disconnect again" in line
    assert "refresh-token-value" not in line
    assert store.path.read_bytes() == before


def test_a_bad_profile_name_is_refused(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["status", "--profile", "../elsewhere"]) == 1
    line = _one_error_line(capsys, "status")
    assert "The profile name '../elsewhere' cannot be used" in line
    assert not config.exists()


def test_deleting_tools_ask_first_and_refuse_without_a_terminal(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _connected(sandbox, monkeypatch, config)
    capsys.readouterr()
    assert cli.main(["call", "zoom_create_meeting", '{"userId": "me", "topic": "Doomed"}']) == 0
    meeting = json.loads(capsys.readouterr().out)["meeting"]["id"]
    delete = ["call", "zoom_delete_meeting", json.dumps({"meetingId": str(meeting)})]

    with pytest.raises(SystemExit) as exited:
        cli.main(delete)
    assert exited.value.code == 2
    assert "pass --yes to run it anyway" in capsys.readouterr().err
    assert sandbox.calls["DELETE /meetings/{meetingId}"] == 0

    asked: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "n")
    assert cli.main(delete) == 1
    assert "the approval check refused it" in _one_error_line(capsys, "call")
    [prompt] = asked
    assert "zoom_delete_meeting" in prompt
    assert "cannot be undone" in prompt
    assert sandbox.calls["DELETE /meetings/{meetingId}"] == 0

    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert cli.main(delete) == 0
    assert json.loads(capsys.readouterr().out) == {"success": True}
    assert sandbox.calls["DELETE /meetings/{meetingId}"] == 1
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert cli.main([*delete, "--yes"]) == 1  # already gone: Zoom's 404, as the agent reads it
    assert "3001" in _one_error_line(capsys, "call")


def test_an_unknown_tool_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["call", "zoom_make_coffee"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "unknown Zoom tool 'zoom_make_coffee'" in err
    assert "zoom_list_meetings" in err


def test_refused_arguments_are_the_agents_message(
    sandbox: Sandbox,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _connected(sandbox, monkeypatch, config)
    capsys.readouterr()
    assert cli.main(["call", "zoom_get_meeting", '{"meetingId": "abc"}']) == 1
    line = _one_error_line(capsys, "call")
    assert "Invalid arguments for zoom_get_meeting: meetingId" in line
    assert sandbox.calls["GET /meetings/{meetingId}"] == 0
