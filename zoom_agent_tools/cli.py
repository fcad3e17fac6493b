"""The ``zoom-agent-tools`` command: run the sandbox, run the demo, connect to Zoom and use the
connection (``_cli_connection``), show the version."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import signal
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from zoom_agent_tools import __version__, _cli_connection
from zoom_agent_tools._origins import is_loopback as _is_loopback

if TYPE_CHECKING:
    from zoom_agent_tools.client import ZoomClient
    from zoom_agent_tools.sandbox.options import SandboxOptions

__all__ = ["main"]


class _CannotServe(Exception):
    """The sandbox could not start (its database or its address); the text says why."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zoom-agent-tools",
        description="Zoom tools for LangChain and LlamaIndex agents, with an offline sandbox.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    sandbox = commands.add_parser(
        "sandbox",
        help="serve the Zoom-compatible sandbox on loopback",
        description="Serve the embedded Zoom-compatible sandbox and print the environment "
        "variables that point ZoomClient.from_env() at it.",
    )
    sandbox.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind; must be loopback unless --allow-remote (default: %(default)s)",
    )
    sandbox.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host; anyone who can reach it can sign in with the "
        "sandbox's publicly known credentials",
    )
    sandbox.add_argument("--port", type=_port, default=0, help="port (default: a free one)")
    _add_option_flags(sandbox)

    demo = commands.add_parser(
        "demo",
        help="run the ten tools through a LangChain agent against the sandbox",
        description="Start the embedded sandbox and run the demo scenario through the "
        "LangChain tools, printing each step.",
    )
    demo.add_argument(
        "--model",
        default=None,
        metavar="PROVIDER:MODEL",
        help="let a real LLM drive the tools (e.g. openai:gpt-4o-mini; needs the provider's "
        "LangChain package and API key). Default: a scripted agent that needs no network.",
    )
    _cli_connection.add_commands(commands, _port)
    _add_mcp_parser(commands)
    return parser


def _port(text: str) -> int:
    from zoom_agent_tools.sandbox.options import whole_number

    try:
        return whole_number(text, 0, 65535)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_option_flags(parser: argparse.ArgumentParser) -> None:
    """One flag for each sandbox option that declares one (SandboxOptions is the source)."""
    from zoom_agent_tools.sandbox.options import SandboxOptions

    for option in dataclasses.fields(SandboxOptions):
        flag = option.metadata.get("flag")
        if flag is None:
            continue
        if isinstance(option.default, bool):
            action = "store_false" if option.default else "store_true"
            parser.add_argument(flag.name, dest=option.name, action=action, help=flag.help)
            continue
        parser.add_argument(
            flag.name,
            dest=option.name,
            type=_converter(flag.parse, option.metadata.get("check")),
            default=option.default,
            metavar=flag.metavar,
            choices=flag.choices,
            help=flag.help,
        )


def _converter(
    parse: Callable[[str], Any] | None, check: Callable[[Any], None] | None
) -> Callable[[str], Any]:
    """An argparse ``type``: the option's parse and check, their ValueError a usage error."""

    def convert(text: str) -> Any:
        try:
            value = parse(text) if parse is not None else text
            if check is not None:
                check(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return value

    return convert


def _sandbox_options(args: argparse.Namespace) -> SandboxOptions:
    """The sandbox options the ``sandbox`` command's flags ask for."""
    from zoom_agent_tools.sandbox.options import SandboxOptions

    given = {
        option.name: getattr(args, option.name)
        for option in dataclasses.fields(SandboxOptions)
        if option.metadata.get("flag") is not None
    }
    return SandboxOptions(**given)


@contextlib.contextmanager
def _stop_signals() -> Iterator[list[int]]:
    """Record SIGTERM and SIGHUP (where they exist) instead of dying, so cleanup runs.

    Yields the list the received signal numbers are appended to. The handlers only append:
    taking a lock (``Event.set``) in a handler can deadlock against the interrupted thread.
    """
    received: list[int] = []
    names = ("SIGTERM", "SIGHUP")
    signums = [getattr(signal, name) for name in names if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield received  # signal handlers can only be installed from the main thread
        return

    def record(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {signum: signal.signal(signum, record) for signum in signums}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _serve(host: str, port: int, options: SandboxOptions) -> int:
    """Serve until a stop signal; raises _CannotServe when the sandbox cannot start."""
    from zoom_agent_tools.sandbox import Sandbox

    try:
        sandbox = Sandbox(options, host=host, port=port)
    except sqlite3.Error as exc:
        raise _CannotServe(
            f"--db {options.db_path!r}: cannot use it as the sandbox's database ({exc})"
        ) from None
    try:
        sandbox.start()
    except (OSError, OverflowError) as exc:
        sandbox.stop()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _CannotServe(f"cannot serve on {host}:{port}: {reason}") from None
    with _stop_signals() as received, sandbox:
        print(sandbox.export_lines(), flush=True)
        print(sandbox.connect_lines(), file=sys.stderr, flush=True)
        print(
            f"# Zoom sandbox serving on {sandbox.oauth_base_url} - press Ctrl+C to stop.",
            file=sys.stderr,
            flush=True,
        )
        try:
            while not received:
                time.sleep(0.1)
        except KeyboardInterrupt:
            pass
        print("# stopped", file=sys.stderr, flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command in _cli_connection.COMMANDS:
        return _cli_connection.run(args)
    if args.command == "sandbox":
        if not _is_loopback(args.host):
            if not args.allow_remote:
                parser.error(
                    f"--host {args.host!r} is not a loopback address. The sandbox's client "
                    "secret is fixed and publicly known, so anyone who can reach the server "
                    "could use it. Pass --allow-remote to serve there anyway."
                )
            print(
                f"# WARNING: serving on {args.host!r}, not loopback: anyone who can reach "
                "this port can sign in with the sandbox's publicly known credentials.",
                file=sys.stderr,
                flush=True,
            )
        try:
            return _serve(args.host, args.port, _sandbox_options(args))
        except _CannotServe as exc:
            parser.error(str(exc))
    if args.command == "mcp":
        return _run_mcp(parser, args)
    from zoom_agent_tools._demo import run_demo

    return run_demo(model=args.model)


# -- mcp ---------------------------------------------------------------------------------------

#: Where ``mcp --http`` answers, and the variable holding the bearer secret clients must send.
_MCP_PATH = "/mcp"
_MCP_TOKEN_ENV = "ZOOM_MCP_TOKEN"
#: A bearer secret shorter than this is refused: it is all that guards a remote server.
_MIN_TOKEN_LENGTH = 32


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _add_mcp_parser(commands: Any) -> None:
    mcp = commands.add_parser(
        "mcp",
        help="serve the Zoom tools over the Model Context Protocol (stdio or HTTP)",
        description="Serve the Zoom tools to MCP clients (Claude Desktop, Cursor, IDE agents, "
        "LangGraph through langchain-mcp-adapters): on standard input and output by default, "
        f"or streamable HTTP at {_MCP_PATH} with --http. Credentials as for "
        "ZoomClient.from_env(), or --sandbox. Logs go to standard error.",
    )
    tools = mcp.add_argument_group("tools (the options of zoom_agent_tools.tools.ToolOptions)")
    tools.add_argument(
        "--read-only",
        dest="read_only",
        action="store_true",
        help="serve no tool that changes data in Zoom (zoom_get_meeting_recordings still saves "
        "files here when asked; --exclude it too to prevent that)",
    )
    for key, verb in (("include", "serve only"), ("exclude", "leave out")):
        tools.add_argument(
            f"--{key}",
            dest=key,
            type=_names,
            action="extend",
            default=None if key == "include" else [],
            metavar="NAME[,NAME...]",
            help=f"{verb} these tools (repeat the flag or separate names with commas)",
        )
    tools.add_argument(
        "--show-start-url",
        dest="show_start_url",
        action="store_true",
        help="show the host's start_url to the model (it logs its holder in as the host)",
    )
    tools.add_argument(
        "--allow-destructive",
        action="store_true",
        help="run deleting tools without confirmation when the MCP client cannot ask the user "
        "(clients that can are always asked)",
    )
    tools.add_argument(
        "--download-dir",
        metavar="PATH",
        default=None,
        help="where recording files are saved; a leading ~ is your home folder (default: "
        "$ZOOM_DOWNLOAD_DIR, else ~/Downloads/zoom-recordings, or ~/zoom-recordings without a "
        "Downloads folder)",
    )
    http = mcp.add_argument_group("HTTP")
    http.add_argument("--http", action="store_true", help="serve streamable HTTP, not stdio")
    http.add_argument(
        "--host",
        default=None,
        help="address to bind; must be loopback unless --allow-remote (default: 127.0.0.1)",
    )
    http.add_argument("--port", type=_port, default=None, help="port (default: a free one)")
    http.add_argument(
        "--allow-remote",
        action="store_true",
        help=f"allow a non-loopback --host; clients must then send ${_MCP_TOKEN_ENV} as a "
        "bearer token",
    )
    sandbox = mcp.add_argument_group("sandbox")
    sandbox.add_argument(
        "--sandbox",
        action="store_true",
        help="serve against an embedded, seeded Zoom sandbox (no Zoom account needed)",
    )
    _add_option_flags(sandbox)


def _mcp_http_settings(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[str, int, str | None]:
    """Host, port and bearer token of ``mcp --http``; usage errors for unsafe choices."""
    import os

    if not args.http:
        given = [
            flag
            for flag, value in (("--host", args.host), ("--port", args.port))
            if value is not None
        ]
        if args.allow_remote:
            given.append("--allow-remote")
        if given:
            parser.error(f"these flags need --http: {', '.join(given)}")
        return "", 0, None
    host = args.host or "127.0.0.1"
    token = os.environ.get(_MCP_TOKEN_ENV, "").strip() or None
    if not _is_loopback(host):
        if not args.allow_remote:
            parser.error(
                f"--host {host!r} is not a loopback address: the server would give anyone who "
                "can reach it your Zoom account. Pass --allow-remote (with a bearer token in "
                f"${_MCP_TOKEN_ENV}) to serve there anyway."
            )
        if token is None:
            parser.error(f"--allow-remote needs a bearer token: set ${_MCP_TOKEN_ENV}.")
    if token is not None and len(token) < _MIN_TOKEN_LENGTH:
        parser.error(
            f"${_MCP_TOKEN_ENV} is too short: use at least {_MIN_TOKEN_LENGTH} characters, e.g. "
            'the output of: python -c "import secrets; print(secrets.token_urlsafe(32))"'
        )
    return host, args.port or 0, token


def _log_to_stderr() -> None:
    """Log warnings (and this package's progress) to stderr, secrets redacted."""
    import logging

    from zoom_agent_tools._redact import redact_text

    class Redacting(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return redact_text(super().format(record))

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(Redacting("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    logging.getLogger("zoom_agent_tools").setLevel(logging.INFO)


def _mcp_download_dir(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Path:
    """Where ``mcp`` saves recording files: ``--download-dir``, else ``$ZOOM_DOWNLOAD_DIR``,
    else ``zoom-recordings`` in the user's Downloads folder (or home folder, without one).

    Not the working directory, as ``ZoomClient`` defaults to: desktop apps start MCP servers
    in one of their choosing, often ``/``. No shell reads an app's configuration, so a
    leading ``~`` is expanded here.
    """
    import os

    given = args.download_dir or os.environ.get("ZOOM_DOWNLOAD_DIR", "").strip()
    try:
        if given:
            return Path(given).expanduser().absolute()
        home = Path.home()
    except RuntimeError as exc:  # no home folder known for this user
        parser.error(f"{exc}: pass --download-dir or set ZOOM_DOWNLOAD_DIR")
    downloads = home / "Downloads"
    return (downloads if downloads.is_dir() else home) / "zoom-recordings"


def _mcp_client(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    stack: contextlib.ExitStack,
    download_dir: Path,
) -> tuple[ZoomClient, str]:
    """The client ``mcp`` serves the tools with, closed by ``stack``, and what it talks to."""
    from zoom_agent_tools.client import ZoomClient
    from zoom_agent_tools.errors import ZoomConfigurationError

    options = _sandbox_options(args)
    if not args.sandbox:
        given = [
            option.metadata["flag"].name
            for option in dataclasses.fields(options)
            if option.metadata.get("flag") and getattr(options, option.name) != option.default
        ]
        if given:
            parser.error(f"these flags need --sandbox: {', '.join(given)}")
        try:
            client = ZoomClient.from_env(download_dir=download_dir)
        except ZoomConfigurationError as exc:
            parser.error(f"{exc} Or pass --sandbox to try the tools on a sandbox.")
        return stack.enter_context(client), client.base_url
    from zoom_agent_tools.sandbox import Sandbox

    try:
        sandbox = Sandbox(options)  # in process: nothing listens, it lives as long as the server
    except sqlite3.Error as exc:
        parser.error(f"--db {options.db_path!r}: cannot use it as the sandbox's database ({exc})")
    stack.callback(sandbox.stop)
    return stack.enter_context(sandbox.client(download_dir=download_dir)), "the embedded sandbox"


def _run_mcp(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """The ``mcp`` command: serve until the client leaves or a stop signal."""
    host, port, token = _mcp_http_settings(parser, args)
    try:
        import anyio

        from zoom_agent_tools.mcp import ZoomMCPServer
    except ImportError as exc:
        parser.error(
            f"the MCP server needs the 'mcp' extra ({exc}): pip install 'zoom-agent-tools[mcp]'"
        )
    from zoom_agent_tools.tools import ToolOptions

    tool_options: ToolOptions = {
        "include": args.include,
        "exclude": args.exclude,
        "read_only": args.read_only,
        "show_start_url": args.show_start_url,
    }
    with contextlib.ExitStack() as stack:
        # From here a stop signal is recorded, not fatal: the server stops and cleans up.
        stopped = stack.enter_context(_stop_signals())
        download_dir = _mcp_download_dir(parser, args)
        client, where = _mcp_client(parser, args, stack, download_dir)
        try:
            server = ZoomMCPServer(client, allow_destructive=args.allow_destructive, **tool_options)
        except ValueError as exc:
            parser.error(str(exc))
        served = f"{len(server.definitions)} Zoom tools"
        saved = f"recording files are saved to {download_dir}"
        _log_to_stderr()
        if not args.http:
            print(
                f"# serving {served} on stdio against {where}; {saved}", file=sys.stderr, flush=True
            )
            with contextlib.suppress(KeyboardInterrupt):
                anyio.run(server.run_stdio, lambda: bool(stopped))
            return 0
        listener = _listen(parser, host, port)
        stack.callback(listener.close)
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{listener.getsockname()[1]}{_MCP_PATH}"
        print(url, flush=True)
        print(f"# serving {served} at {url} against {where}; {saved}", file=sys.stderr, flush=True)
        serve = functools.partial(
            server.run_http,
            listener,
            path=_MCP_PATH,
            token=token,
            loopback=_is_loopback(host),
            stop=lambda: bool(stopped),
        )
        with contextlib.suppress(KeyboardInterrupt):
            anyio.run(serve)
    return 0


def _listen(parser: argparse.ArgumentParser, host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except (OSError, OverflowError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        parser.error(f"cannot serve on {host}:{port}: {reason}")


if __name__ == "__main__":
    raise SystemExit(main())
