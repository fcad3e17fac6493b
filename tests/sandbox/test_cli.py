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


def test_allow_remote_warns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[tuple[str, int, str | None]] = []

    def fake_serve(host: str, port: int, db: str | None) -> int:
        served.append((host, port, db))
        return 0

    monkeypatch.setattr(cli, "_serve", fake_serve)
    assert cli.main(["sandbox", "--host", "0.0.0.0", "--allow-remote"]) == 0
    assert served == [("0.0.0.0", 0, None)]
    warning = capsys.readouterr().err
    assert "WARNING" in warning
    assert "0.0.0.0" in warning
