"""The ``zoom-agent-tools`` command: run the sandbox, run the demo, show the version."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from zoom_agent_tools import __version__

__all__ = ["main"]


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
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    sandbox.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    sandbox.add_argument(
        "--db",
        default=None,
        metavar="PATH",
        help="SQLite file that keeps the sandbox's state across restarts",
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


def _serve(host: str, port: int, db: str | None) -> int:
    from zoom_agent_tools.sandbox import Sandbox

    with Sandbox(host=host, port=port, db_path=db) as sandbox:
        print(sandbox.export_lines(), flush=True)
        print(
            f"# Zoom sandbox serving on {sandbox.oauth_base_url} - press Ctrl+C to stop.",
            file=sys.stderr,
            flush=True,
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("# stopped", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "sandbox":
        return _serve(args.host, args.port, args.db)
    from zoom_agent_tools.demo import run_demo

    return run_demo(model=args.model)


if __name__ == "__main__":
    raise SystemExit(main())
