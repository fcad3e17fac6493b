"""The MCP server as its users start it (a subprocess, on stdio or HTTP), reached with the
official SDK's ClientSession; and a way to play the demo scenario's steps through it."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

import httpx
import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.session import ElicitationFnT
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from zoom_agent_tools import __version__
from zoom_agent_tools.sandbox import Sandbox
from zoom_agent_tools.scripted import Exchange, Step, next_call

WAIT = 30  # seconds: an upper bound for any one step, never reached when things work
TOKEN = "mcp-test-token-0123456789abcdefghijklmnop"
CLI = ("-m", "zoom_agent_tools.cli", "mcp")


def server_env(sandbox: Sandbox | None, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a server process: credentials of ``sandbox`` (a served one), its
    downloads, temporary files and home folder (``home``) under ``tmp_path``."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp_path), "HOME": str(home), "PYTHONUNBUFFERED": "1"}
    env.pop("ZOOM_DOWNLOAD_DIR", None)
    env.update(extra)
    if sandbox is not None:
        env.update(sandbox.env(), ZOOM_DOWNLOAD_DIR=str(tmp_path / "downloads"))
    return env


@contextlib.asynccontextmanager
async def _initialized(
    read: Any, write: Any, elicitation_callback: ElicitationFnT | None
) -> AsyncIterator[ClientSession]:
    async with ClientSession(
        read,
        write,
        elicitation_callback=elicitation_callback,
        read_timeout_seconds=timedelta(seconds=WAIT),
    ) as session:
        started = await session.initialize()
        assert started.serverInfo.name == "zoom-agent-tools"
        assert started.serverInfo.version == __version__
        assert started.capabilities.tools is not None
        assert started.protocolVersion == types.LATEST_PROTOCOL_VERSION
        yield session


@contextlib.asynccontextmanager
async def stdio_session(
    *args: str,
    env: Mapping[str, str],
    log: Path,
    command: str = sys.executable,
    cwd: Path | None = None,
    elicitation_callback: ElicitationFnT | None = None,
) -> AsyncIterator[ClientSession]:
    """An initialized session with ``zoom-agent-tools mcp *args`` run on stdio; its standard
    error goes to ``log``."""
    prefix = list(CLI) if command == sys.executable else []
    params = StdioServerParameters(command=command, args=[*prefix, *args], env=dict(env), cwd=cwd)
    with log.open("w", encoding="utf-8") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            _initialized(read, write, elicitation_callback) as session,
        ):
            yield session


@contextlib.asynccontextmanager
async def http_session(
    url: str, *, token: str | None = TOKEN, elicitation_callback: ElicitationFnT | None = None
) -> AsyncIterator[ClientSession]:
    """An initialized session with the HTTP server at ``url``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(WAIT)) as http,
        streamable_http_client(url, http_client=http) as (read, write, _),
        _initialized(read, write, elicitation_callback) as session,
    ):
        yield session


@contextlib.asynccontextmanager
async def session_over(
    transport: str,
    *args: str,
    env: Mapping[str, str],
    log: Path,
    elicitation_callback: ElicitationFnT | None = None,
) -> AsyncIterator[ClientSession]:
    """An initialized session with ``zoom-agent-tools mcp *args`` over ``transport``:
    ``"stdio"`` (standard error to ``log``), or ``"http"`` (a bearer token required)."""
    if transport == "stdio":
        async with stdio_session(
            *args, env=env, log=log, elicitation_callback=elicitation_callback
        ) as session:
            yield session
        return
    assert transport == "http", transport
    with http_server(*args, env={**env, "ZOOM_MCP_TOKEN": TOKEN}) as url:
        async with http_session(url, elicitation_callback=elicitation_callback) as session:
            yield session


@contextlib.contextmanager
def server_process(
    *args: str, env: Mapping[str, str], cwd: Path | None = None
) -> Iterator[subprocess.Popen[str]]:
    """``zoom-agent-tools mcp *args`` with pipes for its standard streams; killed after, if
    the test has not ended it."""
    process = subprocess.Popen(
        [sys.executable, *CLI, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(env),
        cwd=cwd,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT)


def stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Send SIGTERM (standard input left open: the signal alone must end it), wait for the
    end; its standard output and error."""
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=WAIT)
    stdout, stderr = process.communicate(timeout=WAIT)
    return stdout, stderr


@contextlib.contextmanager
def http_server(*args: str, env: Mapping[str, str]) -> Iterator[str]:
    """The URL of ``zoom-agent-tools mcp --http *args``, stopped with SIGTERM after; it must
    then end cleanly."""
    with server_process("--http", *args, env=env) as process:
        # Both pipes are drained all along, so that the server never waits to write.
        lines: queue.Queue[str] = queue.Queue()
        logged: list[str] = []
        readers = [
            threading.Thread(target=_drain, args=(pipe, keep), daemon=True)
            for pipe, keep in ((process.stdout, lines.put), (process.stderr, logged.append))
        ]
        for reader in readers:
            reader.start()
        yield lines.get(timeout=WAIT).strip()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=WAIT)
        for reader in readers:
            reader.join(timeout=WAIT)
    stderr = "".join(logged)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr


def app_directory(tmp_path: Path) -> Path:
    """A working directory as a desktop app gives its servers: not the user's, not writable
    (unless the tests run as root)."""
    app = tmp_path / "app"
    app.mkdir(mode=0o555)
    return app


def _drain(pipe: IO[str] | None, keep: Callable[[str], None]) -> None:
    assert pipe is not None
    for line in pipe:
        keep(line)


def text_of(result: types.CallToolResult) -> str:
    """The result's text: the first content block, which every result of this server has."""
    block = result.content[0]
    assert isinstance(block, types.TextContent), block
    return block.text


def exchange(name: str, arguments: dict[str, Any], result: types.CallToolResult) -> Exchange:
    """One call as the scenario reads it; a success's structured content is its JSON text."""
    text = text_of(result)
    if not result.isError:
        assert result.structuredContent == json.loads(text)
    else:
        assert result.structuredContent is None
    return Exchange(name, arguments, text, bool(result.isError))


async def play(session: ClientSession, steps: Sequence[Step]) -> list[Exchange]:
    """Make the scripted calls through ``session``, each chosen from the answers so far."""
    history: list[Exchange] = []
    while (call := next_call(steps, history)) is not None:
        name, arguments = call
        history.append(exchange(name, arguments, await session.call_tool(name, arguments)))
    return history


class Confirmations:
    """An elicitation callback that answers from a script and records what it was asked."""

    def __init__(self, *answers: types.ElicitResult) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    async def __call__(
        self, context: Any, params: types.ElicitRequestParams
    ) -> types.ElicitResult | types.ErrorData:
        self.asked.append(params.message)
        return self.answers.pop(0)


ACCEPT = types.ElicitResult(action="accept", content={"confirm": True})
DECLINE = types.ElicitResult(action="decline")
