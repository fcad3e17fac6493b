"""Serving the sandbox on loopback, or in process: ``Sandbox``."""

from __future__ import annotations

import logging
import shlex
import socket
import threading
from typing import TYPE_CHECKING, Any, Literal

import requests
from typing_extensions import Self, Unpack
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from zoom_agent_tools.sandbox.app import SandboxApp
from zoom_agent_tools.sandbox.options import OptionKeywords, SandboxOptions
from zoom_agent_tools.sandbox.transport import WSGITransport

if TYPE_CHECKING:
    from zoom_agent_tools.client import ZoomClient

__all__ = ["IN_PROCESS_URL", "Sandbox", "Transport"]

#: The origin of an in-process sandbox (nothing listens there; see Sandbox.in_process_session).
IN_PROCESS_URL = "http://localhost"
Transport = Literal["socket", "in-process"]

_log = logging.getLogger("zoom_agent_tools.sandbox")


class _QuietHandler(WSGIRequestHandler):
    """Logs method, path and status only: query strings may carry codes or tokens."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = self.path.split("?", 1)[0]
        _log.debug("%s %s -> %s", self.command, path, code)

    def log_error(self, format: str, *args: Any) -> None:
        _log.debug("sandbox server: " + format, *args)

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("sandbox server: " + format, *args)

    def version_string(self) -> str:
        return "zoom-agent-tools-sandbox"

    def send_response(self, code: int, message: str | None = None) -> None:
        # No Date of the server's own: the application sends one from the sandbox clock.
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Server", self.version_string())


class Sandbox(SandboxApp):
    """A SandboxApp that also serves on loopback, for tests, notebooks and offline use.

    ``with Sandbox() as sb: client = sb.client()`` serves on a free port and talks HTTP to
    it. Without ``start()`` (or a ``with`` block) nothing listens, and ``sb.client()`` hands
    each request to the sandbox in this process: no socket, no thread, the same answers.
    Options as for SandboxApp (see SandboxOptions), e.g. ``Sandbox(now=..., plan="free")``.
    """

    def __init__(
        self,
        options: SandboxOptions | None = None,
        /,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **changes: Unpack[OptionKeywords],
    ) -> None:
        super().__init__(options, **changes)
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> Self:
        """Serve on ``host``:``port`` (0: a free port) in a background thread."""
        if self._server is not None:
            return self
        # werkzeug ends the process (sys.exit) when it cannot bind: bind here instead, so a
        # port in use or a bad host is an OSError the caller can handle.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.create_server((self.host, self.port), family=family)
        try:
            self._server = make_server(
                self.host,
                self.port,
                self,
                threaded=True,
                request_handler=_QuietHandler,
                fd=listener.fileno(),
            )
        finally:
            listener.close()  # the server holds its own duplicate of the socket
        self.port = int(self._server.port)
        server = self._server
        self._thread = threading.Thread(
            # A short poll interval makes stop() quick.
            target=lambda: server.serve_forever(poll_interval=0.02),
            name="zoom-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the database (a temporary one is deleted)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # where
    @property
    def serving(self) -> bool:
        return self._server is not None

    @property
    def oauth_base_url(self) -> str:
        """Where the sandbox answers: its loopback address while serving, else IN_PROCESS_URL."""
        if self._server is None:
            return IN_PROCESS_URL
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        return self.oauth_base_url + "/v2"

    def env(self) -> dict[str, str]:
        """The environment variables that point ``ZoomClient.from_env()`` at this sandbox."""
        if self._server is None:
            raise RuntimeError("the sandbox is not serving; use start() or a with block")
        return {
            "ZOOM_API_BASE_URL": self.api_base_url,
            "ZOOM_OAUTH_BASE_URL": self.oauth_base_url,
            "ZOOM_ACCOUNT_ID": self.account_id,
            "ZOOM_CLIENT_ID": self.client_id,
            "ZOOM_CLIENT_SECRET": self.client_secret,
        }

    def export_lines(self) -> str:
        """``export NAME=value`` lines for a POSIX shell (values shell-quoted)."""
        return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in self.env().items())

    def connect_lines(self) -> str:
        """How to sign in to this sandbox with ``zoom-agent-tools connect``, as shell comments:
        its user-level OAuth app's client id and secret, and the command."""
        app = self.user_app
        command = shlex.join(
            [
                "zoom-agent-tools",
                "connect",
                "--client-id",
                app.client_id,
                "--api-base-url",
                self.api_base_url,
                "--oauth-base-url",
                self.oauth_base_url,
            ]
        )
        return (
            f"# User-level OAuth app: client id {app.client_id}, client secret "
            f"{app.client_secret}, redirect URI {app.redirect_uri} (any port).\n"
            "# To sign in with it, in a shell without the exports above:\n"
            f"#   ZOOM_CLIENT_SECRET={shlex.quote(app.client_secret)} {command}"
        )

    # clients
    def in_process_session(self, session: requests.Session | None = None) -> requests.Session:
        """A requests session whose requests to ``oauth_base_url`` reach this sandbox in process.

        ``session`` gets the transport mounted instead of a new session; see
        ``zoom_agent_tools.sandbox.transport`` for what differs from a socket.
        """
        return WSGITransport(self).mount_on(session or requests.Session(), self.oauth_base_url)

    def client(self, *, transport: Transport | None = None, **kwargs: Any) -> ZoomClient:
        """The toolkit's client, signed in to this sandbox with Server-to-Server OAuth.

        ``transport`` is ``"socket"`` (HTTP to the served sandbox) or ``"in-process"`` (no
        socket; timeouts are not enforced); by default the socket while serving, else
        in-process. ``kwargs`` go to ZoomClient; an in-process client mounts the transport on
        a ``session`` given there.
        """
        from zoom_agent_tools.auth import ServerToServerAuth
        from zoom_agent_tools.client import ZoomClient

        chosen = transport or ("socket" if self.serving else "in-process")
        if chosen == "in-process":
            kwargs["session"] = self.in_process_session(kwargs.get("session"))
        elif chosen != "socket":
            raise ValueError(f"transport must be 'socket' or 'in-process', not {transport!r}")
        elif not self.serving:
            raise RuntimeError("the sandbox is not serving; use start() or a with block")
        auth = ServerToServerAuth(
            self.account_id,
            self.client_id,
            self.client_secret,
            oauth_base_url=self.oauth_base_url,
        )
        return ZoomClient(auth=auth, base_url=self.api_base_url, **kwargs)
