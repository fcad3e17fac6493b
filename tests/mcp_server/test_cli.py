"""``zoom-agent-tools mcp``: choices that would be unsafe or cannot work end with a usage error
(exit status 2) that says what to do, before anything is served."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from tests.core.test_imports import loaded_by
from zoom_agent_tools import cli
from zoom_agent_tools.tools import ToolOptions

TOKEN = "a-long-enough-bearer-secret-0123456789"


def _usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["mcp", *args])
    assert stopped.value.code == 2
    return capsys.readouterr().err.splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "token", "says"),
    [
        (("--http", "--host", "0.0.0.0"), None, "is not a loopback address"),
        (("--http", "--host", "192.0.2.7", "--allow-remote"), None, "needs a bearer token"),
        (("--http",), "short", "ZOOM_MCP_TOKEN is too short: use at least 32 characters"),
        (("--port", "0"), None, "these flags need --http: --port"),
        (("--host", "::1", "--allow-remote"), None, "need --http: --host, --allow-remote"),
    ],
)
def test_unsafe_http_choices_are_refused(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    token: str | None,
    says: str,
) -> None:
    if token is not None:
        monkeypatch.setenv("ZOOM_MCP_TOKEN", token)
    else:
        monkeypatch.delenv("ZOOM_MCP_TOKEN", raising=False)
    assert says in _usage_error(capsys, *args)


def test_a_remote_host_with_a_token_passes_the_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOOM_MCP_TOKEN", TOKEN)
    args = cli._parser().parse_args(["mcp", "--http", "--host", "192.0.2.7", "--allow-remote"])
    assert cli._mcp_http_settings(cli._parser(), args) == ("192.0.2.7", 0, TOKEN)


def test_without_credentials_the_error_points_to_the_sandbox(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no stored connection either
    said = _usage_error(capsys)
    assert "Zoom credentials are not configured" in said
    assert said.endswith("Or pass --sandbox to try the tools on a sandbox.")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--sandbox", "--include", "zoom_get_meeting,zoom_nope"), "unknown Zoom tool name(s)"),
        (
            ("--sandbox", "--read-only", "--include", "zoom_delete_meeting"),
            "read_only=True excludes tools that change data",
        ),
        (("--plan", "free", "--no-rate-limits"), "need --sandbox: --plan, --no-rate-limits"),
    ],
)
def test_tool_and_sandbox_options_are_checked(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], says: str
) -> None:
    assert says in _usage_error(capsys, *args)


def test_every_tool_option_but_approve_is_a_flag() -> None:
    args = cli._parser().parse_args(
        ["mcp", "--read-only", "--include", "a,b", "--include", "c", "--show-start-url"]
    )
    flags = {key: getattr(args, key) for key in ToolOptions.__annotations__ if key != "approve"}
    assert flags == {
        "include": ["a", "b", "c"],
        "exclude": [],
        "read_only": True,
        "show_start_url": True,
    }


def test_without_the_mcp_extra_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "zoom_agent_tools.mcp", None)
    assert "pip install 'zoom-agent-tools[mcp]'" in _usage_error(capsys, "--sandbox")


def test_the_command_line_loads_the_mcp_sdk_only_for_mcp() -> None:
    sdk = ("mcp", "uvicorn", "starlette", "zoom_agent_tools.mcp")
    assert loaded_by("from zoom_agent_tools import cli; cli._parser()", sdk) == []


def test_the_servers_log_goes_to_stderr_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    root, package = logging.getLogger(), logging.getLogger("zoom_agent_tools")
    handlers, level, package_level = root.handlers[:], root.level, package.level
    try:
        cli._log_to_stderr()
        logging.getLogger("zoom_agent_tools.mcp").info("sent Authorization: Bearer %s", TOKEN)
        logging.getLogger("mcp.server").info("the SDK's chatter is left out")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        package.setLevel(package_level)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "INFO zoom_agent_tools.mcp: sent Authorization: Bearer **redacted**" in captured.err
    assert TOKEN not in captured.err
    assert "chatter" not in captured.err


def test_downloads_go_to_the_users_folders_unless_a_folder_is_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Not to the working directory, which a desktop app chooses (often ``/``)."""
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("ZOOM_DOWNLOAD_DIR", raising=False)
    monkeypatch.chdir(elsewhere)
    parser = cli._parser()

    def folder(*args: str) -> Path:
        return cli._mcp_download_dir(parser, parser.parse_args(["mcp", *args]))

    assert folder() == home / "zoom-recordings"
    (home / "Downloads").mkdir()
    assert folder() == home / "Downloads" / "zoom-recordings"
    # An app's configuration is read by no shell: the server expands ~ itself.
    monkeypatch.setenv("ZOOM_DOWNLOAD_DIR", " ~/Zoom recordings ")
    assert folder() == home / "Zoom recordings"
    assert folder("--download-dir", "~/given") == home / "given"
    assert folder("--download-dir", "relative") == elsewhere / "relative"
