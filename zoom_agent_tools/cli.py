"""The ``zoom-agent-tools`` command: run the sandbox, run the demo, show the version."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from zoom_agent_tools import __version__
from zoom_agent_tools._origins import is_loopback as _is_loopback

if TYPE_CHECKING:
    from zoom_agent_tools.sandbox.app import SandboxOptions

__all__ = ["main"]

# The sandbox's plans, listed here so that --help does not import the sandbox.
PLANS = ("free", "pro", "business", "unlimited")
#: The longest lifetime the options take: a year, far below where datetimes overflow.
MAX_TTL = 365 * 24 * 3600


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
    sandbox.add_argument(
        "--db",
        type=_db_path,
        default=None,
        metavar="PATH",
        help="SQLite file that keeps the sandbox's state across restarts",
    )
    sandbox.add_argument(
        "--plan",
        choices=PLANS,
        default="business",
        help="Zoom plan whose per-second and daily rate limits apply (default: %(default)s)",
    )
    sandbox.add_argument(
        "--no-rate-limits",
        dest="rate_limits",
        action="store_false",
        help="never answer 429 (the per-user daily create/update cap included)",
    )
    sandbox.add_argument(
        "--page-token-ttl",
        type=_positive_seconds,
        default=900.0,
        metavar="SECONDS",
        help="lifetime of next_page_token cursors (default: %(default)g, Zoom's 15 minutes)",
    )
    sandbox.add_argument(
        "--token-ttl",
        type=_positive_whole_seconds,
        default=3600,
        metavar="SECONDS",
        help="lifetime of issued access tokens (default: %(default)s)",
    )
    sandbox.add_argument(
        "--html-download-errors",
        action="store_true",
        help="answer refused recording downloads as Zoom sometimes does: HTTP 200 with an "
        "HTML page",
    )
    sandbox.add_argument(
        "--seed",
        type=_seed,
        default=None,
        help="seed of generated ids, secrets and tokens; a --db that was already seeded "
        "keeps its own (default: a fixed seed, so credentials repeat across runs)",
    )

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
    return parser


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    if value > MAX_TTL:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_TTL} seconds (a year): {text!r}")
    return value


def _whole_number(text: str, lowest: int, highest: int, unit: str = "") -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number{unit}: {text!r}") from None
    if not lowest <= value <= highest:
        raise argparse.ArgumentTypeError(f"must be {lowest}-{highest}{unit}: {text!r}")
    return value


def _positive_whole_seconds(text: str) -> int:
    return _whole_number(text, 1, MAX_TTL, " seconds")


def _port(text: str) -> int:
    return _whole_number(text, 0, 65535)


def _db_path(text: str) -> str:
    """A database path the sandbox can create or open: checked here, so no traceback later."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"is a directory, not a database file: {text!r}")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder does not exist: {str(path.parent)!r}")
    if not os.access(path if path.exists() else path.parent, os.W_OK):
        raise argparse.ArgumentTypeError(f"cannot write there: {text!r}")
    return str(path)


def _seed(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("must not be empty")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(f"must be valid text: {text!r}") from None
    return text


def _sandbox_options(args: argparse.Namespace) -> SandboxOptions:
    """The Sandbox keyword options the ``sandbox`` command's arguments ask for."""
    options: SandboxOptions = {
        "db_path": args.db,
        "plan": args.plan,
        "rate_limits": args.rate_limits,
        "page_token_ttl": args.page_token_ttl,
        "token_ttl": args.token_ttl,
        "html_download_errors": args.html_download_errors,
    }
    if args.seed is not None:
        options["seed"] = args.seed
    return options


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
        sandbox = Sandbox(host=host, port=port, **options)
    except sqlite3.Error as exc:
        raise _CannotServe(
            f"--db {options.get('db_path')!r}: cannot use it as the sandbox's database ({exc})"
        ) from None
    try:
        sandbox.start()
    except (OSError, OverflowError) as exc:
        sandbox.stop()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _CannotServe(f"cannot serve on {host}:{port}: {reason}") from None
    with _stop_signals() as received, sandbox:
        print(sandbox.export_lines(), flush=True)
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
