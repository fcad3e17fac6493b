"""The command line's connection commands: ``connect``, ``status``, ``call`` and ``disconnect``.

Each failure is one line on standard error with what to do, and exit status 1 (2 for a
command-line mistake); nothing is stored by a failed ``connect``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zoom_agent_tools.errors import ZoomError

if TYPE_CHECKING:
    from zoom_agent_tools.client import ZoomClient

__all__ = ["COMMANDS", "add_commands", "run"]

COMMANDS = ("connect", "status", "call", "disconnect")
#: Exit status of a command that failed, and of one interrupted with Ctrl+C.
_FAILED, _INTERRUPTED = 1, 130


def _profile_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        metavar="NAME",
        default=None,
        help="the stored connection to use; several keep accounts apart "
        "(default: $ZOOM_PROFILE, else 'default')",
    )


def add_commands(commands: Any, port_type: Callable[[str], int]) -> None:
    """Add the four commands to the ``zoom-agent-tools`` subparsers ``commands``."""
    connect = commands.add_parser(
        "connect",
        help="sign in to Zoom once and store the connection",
        description="Sign a Zoom user in through the browser (user OAuth with PKCE) and store "
        "the connection, so that status, call, ZoomClient.from_env() and the tools use it. "
        "The app's client id comes from --client-id or ZOOM_CLIENT_ID, its secret from "
        "ZOOM_CLIENT_SECRET or a hidden prompt (never a flag: other users can see flags).",
    )
    _profile_flag(connect)
    connect.add_argument("--client-id", metavar="ID", help="the app's client id")
    connect.add_argument(
        "--server-to-server",
        action="store_true",
        help="store a Server-to-Server OAuth app's credentials instead (ZOOM_ACCOUNT_ID, "
        "ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET), checked by minting a token",
    )
    connect.add_argument(
        "--account-id", metavar="ID", help="with --server-to-server: the account id"
    )
    connect.add_argument(
        "--port",
        type=port_type,
        default=0,
        help="loopback port of the redirect URI (default: a free one; Zoom ignores it)",
    )
    connect.add_argument(
        "--no-browser", action="store_true", help="print the link instead of opening a browser"
    )
    connect.add_argument(
        "--paste",
        action="store_true",
        help="the browser runs elsewhere (SSH, remote kernel): paste the address it ends on",
    )
    connect.add_argument(
        "--timeout",
        type=_seconds,
        default=300.0,
        metavar="SECONDS",
        help="how long to wait for Zoom's redirect (default: %(default).0f)",
    )
    connect.add_argument(
        "--api-base-url", metavar="URL", help="Zoom's API (default: $ZOOM_API_BASE_URL or Zoom's)"
    )
    connect.add_argument(
        "--oauth-base-url",
        metavar="URL",
        help="Zoom's OAuth server (default: $ZOOM_OAUTH_BASE_URL or https://zoom.us)",
    )

    status = commands.add_parser(
        "status",
        help="show who is connected, how, and which tools the scopes allow",
        description="Ask Zoom who the connection acts as (GET /users/me) and show the auth "
        "method, the granted scopes, the token's expiry and which tools those scopes allow. "
        "Uses credentials in the environment if set, else the stored connection.",
    )
    _profile_flag(status)
    status.add_argument("--json", action="store_true", help="print JSON for scripts")

    call = commands.add_parser(
        "call",
        help="run one tool with the connection and print what the agent would read",
        description="Run one Zoom tool as an agent would and print its output (the JSON the "
        "agent reads). Tools that delete ask for confirmation on a terminal.",
    )
    _profile_flag(call)
    call.add_argument("tool", help="the tool's name, e.g. zoom_list_meetings")
    call.add_argument(
        "arguments",
        nargs="?",
        default="{}",
        help='its arguments as a JSON object, e.g. \'{"userId": "me"}\' (default: {})',
    )
    call.add_argument(
        "--raw",
        action="store_true",
        help="print Zoom's whole answer as indented JSON (tokens still withheld)",
    )
    call.add_argument(
        "--yes", action="store_true", help="run a tool that deletes without asking first"
    )
    call.set_defaults(command_parser=call)

    disconnect = commands.add_parser(
        "disconnect",
        help="revoke the stored connection at Zoom and forget it",
        description="Revoke access at Zoom at once, then delete the stored connection. If "
        "Zoom cannot be reached the connection is kept, so the command can be run again.",
    )
    _profile_flag(disconnect)


def _seconds(text: str) -> float:
    from zoom_agent_tools.sandbox.options import seconds

    try:
        value = seconds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 3600 seconds")
    return value


def _say(text: str) -> None:
    print(text, flush=True)


def _fail(command: str, message: str) -> int:
    line = " ".join(message.split())
    print(f"zoom-agent-tools {command}: error: {line}", file=sys.stderr, flush=True)
    return _FAILED


def run(args: argparse.Namespace) -> int:
    """Run one of ``COMMANDS``; returns the exit status."""
    command: str = args.command
    try:
        if command == "connect":
            return _connect(args)
        if command == "status":
            return _status(args)
        if command == "call":
            return _call(args, args.command_parser)
        from zoom_agent_tools.connecting import disconnect

        disconnect(args.profile, say=_say)
        return 0
    except ZoomError as exc:
        return _fail(command, str(exc))
    except KeyboardInterrupt:
        stored = " Nothing was stored." if command == "connect" else ""
        print(f"\nzoom-agent-tools {command}: cancelled.{stored}", file=sys.stderr)
        return _INTERRUPTED
    except BrokenPipeError:
        # The reader (``| head``) left: say nothing more, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return _FAILED


def _connect(args: argparse.Namespace) -> int:
    from zoom_agent_tools.connecting import connect_server_to_server, sign_in

    interactive = sys.stdin is not None and sys.stdin.isatty()
    if args.server_to_server:
        connect_server_to_server(
            args.account_id,
            args.client_id,
            profile=args.profile,
            api_base_url=args.api_base_url,
            oauth_base_url=args.oauth_base_url,
            prompt=interactive,
            say=_say,
        )
        return 0
    sign_in(
        args.client_id,
        profile=args.profile,
        port=args.port,
        open_browser=not args.no_browser,
        paste=True if args.paste else None,
        wait=args.timeout,
        api_base_url=args.api_base_url,
        oauth_base_url=args.oauth_base_url,
        prompt=interactive,
        say=_say,
    )
    return 0


def _client(profile: str | None) -> tuple[ZoomClient, str]:
    """The client a command uses, and where its credentials come from, in words."""
    from zoom_agent_tools.client import CREDENTIAL_VARIABLES, ZoomClient
    from zoom_agent_tools.connections import ConnectionStore

    if profile is None and any(os.environ.get(n, "").strip() for n in CREDENTIAL_VARIABLES):
        return ZoomClient.from_env(), "credentials from the environment"
    store = ConnectionStore(profile)
    client = ZoomClient.from_env() if profile is None else ZoomClient.from_profile(profile)
    return client, f"profile {store.profile!r}; secrets in {store.where()}"


def _status(args: argparse.Namespace) -> int:
    from zoom_agent_tools.status import connection_status

    client, source = _client(args.profile)
    with client:
        status = connection_status(client, source=source)
    if args.json:
        print(json.dumps(status.to_json(), indent=2))
    else:
        print(status.text())
    return 0


def _call(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from zoom_agent_tools.operations import get_operation
    from zoom_agent_tools.tools import ZoomTools

    try:
        op = get_operation(args.tool)
    except KeyError as exc:
        parser.error(str(exc.args[0]))
    confirm = op.destructive and not args.yes
    if confirm and not (sys.stdin is not None and sys.stdin.isatty()):
        parser.error(
            f"{op.name} deletes data and there is no terminal to confirm it on: pass --yes "
            "to run it anyway."
        )
    client, _ = _client(args.profile)
    with client:
        tools = ZoomTools(client, include=[op.name], approve=_confirm if confirm else None)
        outcome = tools.run(op.name, args.arguments)
        if outcome.is_error:
            return _fail("call", outcome.text)
        full = tools.full_output(outcome) if args.raw else None
    print(json.dumps(full, indent=2, ensure_ascii=False) if args.raw else outcome.text)
    return 0


def _confirm(tool: str, arguments: dict[str, Any]) -> bool:
    shown = json.dumps(arguments, ensure_ascii=False)
    try:
        answer = input(f"{tool} {shown} cannot be undone. Run it? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
