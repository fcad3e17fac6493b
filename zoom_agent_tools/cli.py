"""The ``zoom-agent-tools`` command: run the sandbox, run the demo, connect to Zoom and use the
connection (``_cli_connection``), show the version."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any

from zoom_agent_tools import __version__, _cli_connection
from zoom_agent_tools._origins import is_loopback as _is_loopback

if TYPE_CHECKING:
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
    from zoom_agent_tools._demo import run_demo

    return run_demo(model=args.model)


if __name__ == "__main__":
    raise SystemExit(main())
