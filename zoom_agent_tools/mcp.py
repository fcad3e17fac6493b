"""MCP server: the selected Zoom tools over the Model Context Protocol, on stdio or HTTP.

Built on the tool layer alone (``tools.ZoomTools``): each tool has the name, description and
JSON input schema the LangChain and LlamaIndex tools show, annotations read from its
operation's declaration, and the same output and error texts. Importing this module imports
the ``mcp`` SDK (the ``mcp`` extra); ``import zoom_agent_tools`` does not.
"""

from __future__ import annotations

import hmac
import logging
import os
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from io import TextIOWrapper
from pathlib import Path
from typing import Any, cast

import anyio
import anyio.from_thread
import anyio.lowlevel
import mcp.types as types
import uvicorn
from anyio.streams.memory import MemoryObjectReceiveStream
from mcp.server.lowlevel import NotificationOptions, Server
from mcp.server.models import InitializationOptions
from mcp.server.session import ServerSession
from mcp.server.stdio import stdio_server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from mcp.shared.exceptions import McpError
from pydantic import AnyUrl
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from typing_extensions import Unpack

from zoom_agent_tools._redact import redact_text
from zoom_agent_tools.client import ZoomClient
from zoom_agent_tools.errors import ZoomConfigurationError
from zoom_agent_tools.models import DownloadedFile
from zoom_agent_tools.operations import AnyOperation
from zoom_agent_tools.tools import ToolOptions, ToolOutcome, ZoomTools, to_json

__all__ = ["ZoomMCPServer", "tool_definition"]

_log = logging.getLogger("zoom_agent_tools.mcp")

_INSTRUCTIONS = (
    "Zoom meeting and cloud-recording tools. A tool that fails answers with what went wrong "
    "and what to change; tools that delete need the user's confirmation."
)
_CONFIRM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "confirm": {
            "type": "boolean",
            "title": "Run it",
            "description": "Tick to let the call run; it cannot be undone.",
        }
    },
    "required": ["confirm"],
}
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def tool_definition(op: AnyOperation) -> types.Tool:
    """The MCP tool of ``op``: its name, description and JSON schema, annotated from its
    declaration."""
    # readOnlyHint means "does not modify its environment": a tool that can save files on
    # this machine is not read-only, although it changes nothing in Zoom (--read-only keeps
    # it). destructiveHint is false only for a tool that purely adds: a create, or saving
    # files (a file already saved is recognised and kept); an update overwrites the values
    # it replaces, although only deletions need a confirmation here.
    overwrites = op.writes and any(e.method != "POST" for e in op.endpoints)
    return types.Tool(
        name=op.name,
        title=op.title,
        description=op.description,
        inputSchema=op.args_model.model_json_schema(by_alias=True),
        annotations=types.ToolAnnotations(
            title=op.title,
            readOnlyHint=not (op.writes or op.saves_files),
            destructiveHint=op.destructive or overwrites,
            idempotentHint=op.idempotent,
            openWorldHint=True,  # every tool reaches Zoom
        ),
    )


class ZoomMCPServer:
    """The selected Zoom tools as an MCP server (the SDK's low-level ``Server``).

    ``client`` defaults to ``ZoomClient.from_env()``; the options are ``tools.ToolOptions``
    except ``approve``. A destructive call is confirmed by the user, asked through the MCP
    client (elicitation); a client that cannot ask gets a refusal the model can explain,
    unless ``allow_destructive``. Zoom, validation and approval failures are tool results
    with ``isError``; any other exception is logged (redacted) and answered as an internal
    error, without its details.
    """

    def __init__(
        self,
        client: ZoomClient | None = None,
        *,
        allow_destructive: bool = False,
        **options: Unpack[ToolOptions],
    ) -> None:
        if "approve" in options:
            raise TypeError(
                "the MCP server asks the user to approve destructive calls (MCP elicitation); "
                "it takes no approve callback"
            )
        from zoom_agent_tools import __version__

        self.allow_destructive = allow_destructive
        options["approve"] = self._approve
        self.tools = ZoomTools(client, **options)
        self.definitions = [tool_definition(op) for op in self.tools.operations]
        self.server: Server[Any, Any] = Server(
            "zoom-agent-tools", version=__version__, instructions=_INSTRUCTIONS
        )
        # The arguments are validated once, by the tool layer, whose messages name the
        # parameter and what it allows (the SDK's schema check would answer first, tersely).
        self.server.list_tools()(self.list_tools)  # type: ignore[no-untyped-call]
        self.server.call_tool(validate_input=False)(self.call_tool)

    def __repr__(self) -> str:
        return f"ZoomMCPServer({self.tools!r})"

    # -- the protocol's tool requests ------------------------------------------------------

    async def list_tools(self) -> list[types.Tool]:
        """The selected tools, in the order of the tool contract."""
        return list(self.definitions)

    async def call_tool(self, name: str, arguments: dict[str, Any] | None) -> types.CallToolResult:
        """Run one tool call; every failure is a result with ``isError``."""
        try:
            self.tools.operation(name)
        except KeyError:
            known = ", ".join(op.name for op in self.tools.operations)
            return _error(f"There is no tool {name!r} on this server; use one of: {known}.")
        try:
            outcome = await self.tools.arun(name, arguments or {})
        except Exception as exc:
            # A bug, not a Zoom failure: the log gets the traceback, the client none of it.
            trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            _log.error("internal error in %s:\n%s", name, redact_text(trace))
            return _error(
                f"{name} failed with an internal error of the Zoom tools server; the details "
                "are in the server's log. Suggestion: do not retry; tell the user the tool "
                "failed and that the server's log says why."
            )
        return _result(outcome)

    async def _approve(self, name: str, arguments: dict[str, Any]) -> bool:
        """Ask the user, through the MCP client, whether a destructive call may run."""
        context = self.server.request_context
        session: ServerSession = context.session
        if not _can_elicit(session):
            if self.allow_destructive:
                return True
            raise ZoomConfigurationError(
                f"{name} was not run: it deletes data, and this MCP client cannot ask the user "
                "to confirm (it does not support elicitation), so nothing was sent to Zoom.",
                suggestion="Do not retry; tell the user that this call needs their "
                "confirmation, which their MCP client cannot ask for. They can allow such "
                "calls without confirmation by starting the Zoom MCP server with "
                "--allow-destructive.",
            )
        op = self.tools.operation(name)
        message = f"Allow {name} with {to_json(arguments)}? {op.description}"
        try:
            answer = await session.elicit_form(
                message=message,
                requestedSchema=_CONFIRM_SCHEMA,
                related_request_id=context.request_id,
            )
        except McpError as exc:
            _log.warning("%s: asking the user to confirm failed (%s)", name, exc.error.message)
            return False
        confirmed = (answer.content or {}).get("confirm") is True
        return answer.action == "accept" and confirmed

    # -- transports ------------------------------------------------------------------------

    def initialization_options(self) -> InitializationOptions:
        """What the server tells a client when it connects."""
        return self.server.create_initialization_options(NotificationOptions())

    async def run_stdio(self, stop: Callable[[], bool] | None = None) -> None:
        """Serve one client on standard input and output until it closes them, or until
        ``stop()`` turns true (it is asked ten times a second)."""
        # Standard output carries the protocol: anything else printed there would break it.
        protocol = TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
        try:
            with _stdout_to_stderr():
                lines = cast("anyio.AsyncFile[str]", _lines_of(sys.stdin.fileno()))
                # The stop's scope holds the transport's own tasks, so that it ends them too.
                async with anyio.create_task_group() as group:
                    if stop is not None:
                        group.start_soon(_when, stop, group.cancel_scope.cancel)
                    async with stdio_server(lines, anyio.wrap_file(protocol)) as (read, write):
                        await self.server.run(read, write, self.initialization_options())
                    group.cancel_scope.cancel()
        finally:
            protocol.detach()  # leave the process's standard output open

    def http_app(
        self, manager: StreamableHTTPSessionManager, path: str, token: str | None
    ) -> ASGIApp:
        """The ASGI app that answers at ``path`` through ``manager``; with ``token``, only
        requests that send ``Authorization: Bearer <token>``."""
        expected = f"Bearer {token}".encode() if token else None

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                return
            if scope["path"].rstrip("/") != path:
                response = PlainTextResponse(f"Not found: the MCP endpoint is {path}", 404)
            elif expected is not None and not _authorized(scope, expected):
                response = PlainTextResponse(
                    "Unauthorized: send the server's token as Authorization: Bearer <token>",
                    401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            else:
                await manager.handle_request(scope, receive, send)
                return
            await response(scope, receive, send)

        return app

    async def run_http(
        self,
        listener: socket.socket,
        *,
        path: str,
        token: str | None = None,
        loopback: bool = True,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        """Serve streamable HTTP at ``path`` on ``listener`` (a bound, listening socket) until
        SIGINT or SIGTERM, or until ``stop()`` turns true.

        With ``loopback`` the Host and Origin headers must name a loopback address (against
        DNS rebinding); with ``token`` every request must carry it as a bearer token.
        """
        host = listener.getsockname()[0]
        hosts = [*_LOOPBACK_HOSTS, f"[{host}]" if ":" in host else host]
        security = TransportSecuritySettings(
            enable_dns_rebinding_protection=loopback,
            allowed_hosts=[f"{h}:*" for h in hosts],
            allowed_origins=[f"{scheme}://{h}:*" for h in hosts for scheme in ("http", "https")],
        )
        # Stateful sessions: a confirmation asked during a call must find its way back.
        manager = StreamableHTTPSessionManager(self.server, security_settings=security)
        config = uvicorn.Config(
            self.http_app(manager, path, token),
            lifespan="off",
            access_log=False,
            log_config=None,
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        sdk_log = logging.getLogger("mcp.server.streamable_http")
        sdk_log.addFilter(_closed_stream_noise)
        server = uvicorn.Server(config)

        def shut_down() -> None:
            server.should_exit = True

        try:
            async with manager.run(), anyio.create_task_group() as group:
                if stop is not None:
                    group.start_soon(_when, stop, shut_down)
                await server.serve(sockets=[listener])
                group.cancel_scope.cancel()
        finally:
            sdk_log.removeFilter(_closed_stream_noise)


def _closed_stream_noise(record: logging.LogRecord) -> bool:
    """False for the SDK's traceback when a client closes its session's event stream: a
    shutdown race in mcp 1.x (the stream was closed under its writer), not a failure."""
    error = record.exc_info[1] if record.exc_info else None
    return not (
        isinstance(error, anyio.ClosedResourceError)
        and record.getMessage() == "Error in standalone SSE writer"
    )


def _can_elicit(session: ServerSession) -> bool:
    wanted = types.ClientCapabilities(elicitation=types.ElicitationCapability())
    return session.check_client_capability(wanted)


def _authorized(scope: Scope, expected: bytes) -> bool:
    given = b""
    for name, value in scope["headers"]:
        if name.lower() == b"authorization":
            given = value
    return hmac.compare_digest(given, expected)


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], isError=True)


def _result(outcome: ToolOutcome) -> types.CallToolResult:
    if outcome.is_error:
        return _error(outcome.text)
    content: list[types.ContentBlock] = [types.TextContent(type="text", text=outcome.text)]
    content.extend(_link(file) for file in outcome.files)
    return types.CallToolResult(content=content, structuredContent=outcome.content)


def _link(file: DownloadedFile) -> types.ResourceLink:
    """A link to a saved file (a ``file://`` URI on the server's machine)."""
    path = Path(file.path).absolute()
    return types.ResourceLink(
        type="resource_link",
        name=file.name,
        uri=AnyUrl(path.as_uri()),
        mimeType=file.mime_type,
        size=file.size,
        description=f"Recording file saved to {path}",
    )


def _lines_of(fd: int) -> MemoryObjectReceiveStream[str]:
    """The lines read from the file descriptor ``fd``, by a daemon thread; the stream ends
    where the input ends (or cannot be read).

    A read blocked on an open pipe cannot be interrupted: when the server stops first, the
    thread is left blocked, and must neither keep the process alive (as an event loop's worker
    thread would) nor hold a lock Python's shutdown needs (as a read of ``sys.stdin`` would).
    """
    send, receive = anyio.create_memory_object_stream[str]()
    token = anyio.lowlevel.current_token()

    def pump() -> None:
        with suppress(Exception):  # the server has stopped: nobody reads on
            try:
                for line in _read_lines(fd):
                    anyio.from_thread.run(send.send, line, token=token)
            finally:
                anyio.from_thread.run_sync(send.close, token=token)

    threading.Thread(target=pump, name="zoom-mcp-stdin", daemon=True).start()
    return receive


def _read_lines(fd: int) -> Iterator[str]:
    buffer = bytearray()
    while chunk := os.read(fd, 65536):
        scanned = len(buffer)
        buffer += chunk
        while (newline := buffer.find(b"\n", scanned)) >= 0:
            yield buffer[:newline].decode("utf-8", errors="replace")
            del buffer[: newline + 1]
            scanned = 0
    if buffer:
        yield buffer.decode("utf-8", errors="replace")


async def _when(condition: Callable[[], bool], action: Callable[[], None]) -> None:
    while not condition():
        await anyio.sleep(0.1)
    action()


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    saved = sys.stdout
    sys.stdout = sys.stderr
    try:
        yield
    finally:
        sys.stdout = saved
