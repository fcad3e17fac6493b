"""The ``zoom-agent-tools sandbox`` command: clean stop on signals, loopback unless allowed."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from zoom_agent_tools import cli
from zoom_agent_tools.sandbox import Sandbox
from zoom_agent_tools.sandbox.limits import PLANS
from zoom_agent_tools.sandbox.options import DEFAULT_SEED, PLAN_NAMES, SandboxOptions

WAIT = 30  # seconds: an upper bound for any one step, never reached when things work
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
STOP_SIGNALS = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]


def _start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start the CLI with its temporary files under ``tmp_path``; return it and its exports."""
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "zoom_agent_tools.cli", "sandbox", "--host", "127.0.0.1", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    assert stdout is not None

    def read() -> None:
        for line in stdout:
            lines.put(line)

    # A reader thread, so that waiting for the exports can time out.
    threading.Thread(target=read, daemon=True).start()
    exports: dict[str, str] = {}
    try:
        while "ZOOM_CLIENT_SECRET" not in exports:
            line = lines.get(timeout=WAIT)
            name, _, value = line.removeprefix("export ").strip().partition("=")
            exports[name] = value.strip("'")
    except BaseException:
        process.kill()
        process.wait(timeout=WAIT)
        raise
    return process, exports


def _stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str]:
    try:
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT)
    return process.returncode, stderr


@posix_only
@pytest.mark.parametrize("signum", STOP_SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_signal_stops_and_removes_the_temporary_database(tmp_path: Path, signum: int) -> None:
    process, exports = _start(tmp_path, "--port", "0")
    base = exports["ZOOM_OAUTH_BASE_URL"]
    assert base.startswith("http://127.0.0.1:")
    assert requests.get(base + "/_sandbox/health", timeout=WAIT).json() == {"status": "ok"}
    assert list(tmp_path.glob("zoom-sandbox-*"))
    code, stderr = _stop(process, signum)
    assert code == 0, stderr
    assert "# stopped" in stderr
    assert list(tmp_path.glob("zoom-sandbox-*")) == []
    with pytest.raises(requests.ConnectionError):
        requests.get(base + "/_sandbox/health", timeout=WAIT)


@posix_only
def test_the_sandbox_prints_how_to_connect_with_its_user_app(tmp_path: Path) -> None:
    process, exports = _start(tmp_path, "--port", "0")
    code, stderr = _stop(process, signal.SIGTERM)
    assert code == 0, stderr
    unstarted = Sandbox()  # the same seed as the command's
    app = unstarted.user_app
    unstarted.stop()
    assert f"client id {app.client_id}, client secret {app.client_secret}" in stderr
    assert "redirect URI http://127.0.0.1/callback (any port)" in stderr
    command = (
        f"ZOOM_CLIENT_SECRET={app.client_secret} zoom-agent-tools connect --client-id "
        f"{app.client_id} --api-base-url {exports['ZOOM_API_BASE_URL']} --oauth-base-url "
        f"{exports['ZOOM_OAUTH_BASE_URL']}"
    )
    assert command in stderr


@posix_only
def test_signal_keeps_a_given_database(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    process, _ = _start(tmp_path, "--port", "0", "--db", str(db))
    code, stderr = _stop(process, signal.SIGTERM)
    assert code == 0, stderr
    assert db.exists()


def test_non_loopback_host_is_refused_without_allow_remote(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "zoom_agent_tools.cli", "sandbox", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=WAIT,
    )
    assert done.returncode == 2
    assert "not a loopback address" in done.stderr
    assert "--allow-remote" in done.stderr
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "localhost", "LocalHost"])
def test_loopback_hosts(host: str) -> None:
    assert cli._is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "", "::", "192.168.1.5", "example.com"])
def test_other_hosts(host: str) -> None:
    assert not cli._is_loopback(host)


def _stub_serve(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, SandboxOptions]]:
    """Replace the server loop; returns the list of (host, port, options) it was called with."""
    served: list[tuple[str, int, SandboxOptions]] = []

    def fake_serve(host: str, port: int, options: SandboxOptions) -> int:
        served.append((host, port, options))
        return 0

    monkeypatch.setattr(cli, "_serve", fake_serve)
    return served


def test_allow_remote_warns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served = _stub_serve(monkeypatch)
    assert cli.main(["sandbox", "--host", "0.0.0.0", "--allow-remote"]) == 0
    assert [(host, port) for host, port, _ in served] == [("0.0.0.0", 0)]
    warning = capsys.readouterr().err
    assert "WARNING" in warning
    assert "0.0.0.0" in warning


def test_sandbox_options_default_to_the_sandbox_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    served = _stub_serve(monkeypatch)
    assert cli.main(["sandbox"]) == 0
    [(host, port, options)] = served
    assert (host, port) == ("127.0.0.1", 0)
    assert options == SandboxOptions()
    assert (options.plan, options.rate_limits, options.html_download_errors) == (
        "business",
        True,
        False,
    )
    assert (options.db_path, options.page_token_ttl, options.token_ttl) == (None, 900.0, 3600)


def test_every_sandbox_option_reaches_the_sandbox(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    served = _stub_serve(monkeypatch)
    db = str(tmp_path / "state.sqlite3")
    argv = [
        "sandbox",
        "--db",
        db,
        "--plan",
        "pro",
        "--no-rate-limits",
        "--page-token-ttl",
        "60",
        "--token-ttl",
        "120",
        "--html-download-errors",
        "--seed",
        "cli-seed",
    ]
    assert cli.main(argv) == 0
    [(_, _, options)] = served
    # Build (without serving) the sandbox _serve would run, and look at what it got.
    sandbox = Sandbox(options)
    try:
        app = sandbox
        assert app.store.path == db
        assert (app.limiter.plan, app.limiter.enabled) == ("pro", False)
        assert app.pager.ttl == 60.0
        assert app.oauth.token_ttl == 120
        assert app.html_download_errors is True
        assert app.seed == "cli-seed"
    finally:
        sandbox.stop()
    assert Path(db).exists()


@pytest.mark.parametrize("plan", [*PLANS, "unlimited"])
def test_cli_plans_are_the_sandbox_plans(monkeypatch: pytest.MonkeyPatch, plan: str) -> None:
    assert set(PLAN_NAMES) == {*PLANS, "unlimited"}
    served = _stub_serve(monkeypatch)
    assert cli.main(["sandbox", "--plan", plan]) == 0
    [(_, _, options)] = served
    assert options.plan == plan


@pytest.mark.parametrize(
    "argv",
    [
        ["--plan", "enterprise"],
        ["--page-token-ttl", "0"],
        ["--page-token-ttl", "soon"],
        ["--token-ttl", "1.5"],
        ["--token-ttl", "-5"],
    ],
)
def test_invalid_sandbox_options_are_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    served = _stub_serve(monkeypatch)
    with pytest.raises(SystemExit) as exited:
        cli.main(["sandbox", *argv])
    assert exited.value.code == 2
    assert argv[0] in capsys.readouterr().err
    assert served == []


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str], *, says: str) -> None:
    """``argv`` ends the CLI with exit status 2 and one error line that ``says`` what."""
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if "error:" in line]
    assert says in line, err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--port", "70000"], "--port: must be 0-65535"),
        (["--port", "65536"], "--port: must be 0-65535"),
        (["--port", "-1"], "--port: must be 0-65535"),
        (["--port", "http"], "--port: not a whole number"),
        (["--seed", ""], "--seed: must not be empty"),
        (["--token-ttl", "99999999999999999999"], "--token-ttl: must be 1-31536000 seconds"),
        (["--page-token-ttl", "1e300"], "--page-token-ttl: must be at most 31536000"),
        (["--page-token-ttl", "nan"], "--page-token-ttl: must be a positive number"),
        (["--page-token-ttl", "inf"], "--page-token-ttl: must be a positive number"),
    ],
)
def test_out_of_range_options_are_one_line_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    served = _stub_serve(monkeypatch)
    _refused(capsys, ["sandbox", *argv], says=says)
    assert served == []


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("missing/state.sqlite3", "folder does not exist"),
        ("a-file/state.sqlite3", "folder does not exist"),
        (".", "is a directory"),
    ],
)
def test_unusable_db_paths_are_one_line_errors(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    where: str,
    says: str,
) -> None:
    served = _stub_serve(monkeypatch)
    (tmp_path / "a-file").write_text("not a folder")
    _refused(capsys, ["sandbox", "--db", str(tmp_path / where)], says=f"--db: {says}")
    assert served == []


def test_a_db_that_is_not_a_database_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("these are notes, not a database\n" * 100)
    _refused(
        capsys, ["sandbox", "--db", str(notes)], says="cannot use it as the sandbox's database"
    )
    assert notes.read_text().startswith("these are notes")


def test_a_port_in_use_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _refused(capsys, ["sandbox", "--port", str(port)], says=f"cannot serve on 127.0.0.1:{port}")
        # The Python API gets the OSError too, not werkzeug's exit of the whole process.
        sandbox = Sandbox(port=port)
        with pytest.raises(OSError):
            sandbox.start()
        sandbox.stop()


@posix_only
def test_options_change_the_served_sandbox(tmp_path: Path) -> None:
    process, exports = _start(
        tmp_path,
        "--port",
        "0",
        "--plan",
        "free",
        "--token-ttl",
        "120",
        "--html-download-errors",
        "--seed",
        "cli-seed",
    )
    try:
        base = exports["ZOOM_OAUTH_BASE_URL"]
        issued = requests.post(
            base + "/oauth/token",
            auth=(exports["ZOOM_CLIENT_ID"], exports["ZOOM_CLIENT_SECRET"]),
            data={"grant_type": "account_credentials", "account_id": exports["ZOOM_ACCOUNT_ID"]},
            timeout=WAIT,
        ).json()
        assert 60 < issued["expires_in"] <= 120  # whole seconds on the real clock; default 3600
        headers = {"Authorization": f"Bearer {issued['access_token']}"}
        light = requests.get(
            exports["ZOOM_API_BASE_URL"] + "/meetings/12345678901", headers=headers, timeout=WAIT
        )
        assert light.headers["X-RateLimit-Limit"] == "4"
        refused = requests.get(
            base + "/rec/download/no-such-key",
            headers={"Authorization": "Bearer not-a-token"},
            timeout=WAIT,
        )
        assert refused.status_code == 200
        assert refused.headers["Content-Type"].startswith("text/html")
    finally:
        code, stderr = _stop(process, signal.SIGTERM)
    assert code == 0, stderr
    with Sandbox(seed="cli-seed") as same_seed, Sandbox() as default_seed:
        assert exports["ZOOM_CLIENT_SECRET"] == same_seed.client_secret
        assert exports["ZOOM_CLIENT_SECRET"] != default_seed.client_secret
        assert default_seed.seed == DEFAULT_SEED


@posix_only
def test_no_rate_limits_option_removes_the_limits(tmp_path: Path) -> None:
    process, exports = _start(tmp_path, "--port", "0", "--plan", "free", "--no-rate-limits")
    try:
        token = requests.post(
            exports["ZOOM_OAUTH_BASE_URL"] + "/oauth/token",
            auth=(exports["ZOOM_CLIENT_ID"], exports["ZOOM_CLIENT_SECRET"]),
            data={"grant_type": "account_credentials", "account_id": exports["ZOOM_ACCOUNT_ID"]},
            timeout=WAIT,
        ).json()["access_token"]
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        url = exports["ZOOM_API_BASE_URL"] + "/users/me/meetings"
        # Free allows 2 Medium requests a second; ten in a row pass without limits.
        answers = [session.get(url, timeout=WAIT) for _ in range(10)]
        assert {r.status_code for r in answers} == {200}
        assert all("X-RateLimit-Limit" not in r.headers for r in answers)
    finally:
        code, stderr = _stop(process, signal.SIGTERM)
    assert code == 0, stderr
