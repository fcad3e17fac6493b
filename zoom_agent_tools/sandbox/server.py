"""Serving the sandbox: the in-process ``Sandbox`` context manager and the CLI's ``serve``."""

from __future__ import annotations

import logging
import shlex
import socket
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

from typing_extensions import Unpack
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from zoom_agent_tools.sandbox.app import DEFAULT_SEED, SandboxApp, SandboxOptions
from zoom_agent_tools.sandbox.clock import Clock
from zoom_agent_tools.sandbox.faults import FaultInjector
from zoom_agent_tools.sandbox.ratelimit import RateLimiter
from zoom_agent_tools.sandbox.recordings import DEFAULT_FILE_TYPES
from zoom_agent_tools.sandbox.seed import HOST_EMAIL, HOST_ID, USER_SCOPES
from zoom_agent_tools.sandbox.store import Doc, Store

if TYPE_CHECKING:
    from zoom_agent_tools.client import ZoomClient

__all__ = ["Sandbox", "serve"]

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

    def date_time_string(self, timestamp: float | None = None) -> str:
        # The Date header follows the sandbox clock so a fixed clock gives identical answers.
        app = getattr(self.server, "app", None)
        if timestamp is None and isinstance(app, SandboxApp):
            return format_datetime(app.clock().astimezone(timezone.utc), usegmt=True)
        return super().date_time_string(timestamp)


class Sandbox:
    """A Zoom-compatible server on loopback, for tests, notebooks and offline use.

    ``with Sandbox() as sb: client = sb.client()``. Options: ``now`` (a fixed start time; the
    clock then stands still until ``sb.clock.advance(...)``) or ``clock`` (any callable
    returning an aware datetime); ``db_path`` keeps state across restarts; ``plan`` ("free",
    "pro", "business", "unlimited") and ``rate_limits`` control throttling; ``page_token_ttl``
    and ``token_ttl`` are in seconds; ``seed`` makes ids, secrets and tokens reproducible;
    ``download_file_size`` sizes the seeded MP4 files; ``html_download_errors`` turns on Zoom's
    HTTP-200-HTML answer to refused downloads; ``rate_ticker`` is the monotonic source of the
    per-second windows.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **options: Unpack[SandboxOptions],
    ) -> None:
        self.host = host
        self.port = port
        self.app = SandboxApp(**options)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> Sandbox:
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
                self.app,
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
        self.app.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # where and who
    @property
    def oauth_base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not running; use start() or a with block")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        return self.oauth_base_url + "/v2"

    @property
    def account_id(self) -> str:
        return self.app.account_id

    @property
    def client_id(self) -> str:
        return self.app.client_id

    @property
    def client_secret(self) -> str:
        return self.app.client_secret

    @property
    def user_id(self) -> str:
        return HOST_ID

    @property
    def user_email(self) -> str:
        return HOST_EMAIL

    @property
    def clock(self) -> Clock:
        return self.app.clock

    @property
    def store(self) -> Store:
        return self.app.store

    @property
    def faults(self) -> FaultInjector:
        return self.app.faults

    @property
    def calls(self) -> Counter[str]:
        """API requests received so far, by ``"METHOD /template"``, faulted ones included."""
        return self.app.calls

    @property
    def rate_limiter(self) -> RateLimiter:
        return self.app.limiter

    def env(self) -> dict[str, str]:
        """The environment variables that point the toolkit at this sandbox."""
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

    # helpers
    def client(self, **kwargs: Any) -> ZoomClient:
        """The toolkit's client, signed in to this sandbox with Server-to-Server OAuth."""
        from zoom_agent_tools.auth import ServerToServerAuth
        from zoom_agent_tools.client import ZoomClient

        auth = ServerToServerAuth(
            self.account_id,
            self.client_id,
            self.client_secret,
            oauth_base_url=self.oauth_base_url,
        )
        return ZoomClient(auth=auth, base_url=self.api_base_url, **kwargs)

    def register_oauth_app(
        self, *, redirect_uri: str, scopes: Sequence[str] = USER_SCOPES
    ) -> tuple[str, str]:
        """Register a user-level OAuth app; returns ``(client_id, client_secret)``."""
        return self.app.register_oauth_app(redirect_uri=redirect_uri, scopes=scopes)

    def register_client(self, *, scopes: Sequence[str]) -> tuple[str, str]:
        """Register another Server-to-Server app with the given scopes."""
        return self.app.register_client(scopes=scopes)

    def issue_token(
        self,
        scopes: Sequence[str] | None = None,
        *,
        ttl: int | None = None,
        user_id: str = HOST_ID,
    ) -> str:
        """Mint an access token directly (default: every scope the sandbox's routes need)."""
        return self.app.issue_token(scopes, ttl=ttl, user_id=user_id)

    def revoke_token(self, token: str) -> None:
        self.app.oauth.revoke(token)

    def add_recording(
        self,
        *,
        meeting_id: int | None = None,
        uuid: str | None = None,
        topic: str = "Sandbox recording",
        start_time: datetime | None = None,
        duration: int = 30,
        file_size: int | None = None,
        file_types: Sequence[str] = DEFAULT_FILE_TYPES,
        user_id: str = HOST_ID,
    ) -> Doc:
        """Add a past meeting with a cloud recording; ``file_size`` sets the MP4's bytes."""
        return self.app.add_recording(
            meeting_id=meeting_id,
            uuid=uuid,
            topic=topic,
            start_time=start_time,
            duration=duration,
            file_size=file_size,
            file_types=file_types,
            user_id=user_id,
        )


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    db_path: str | None = None,
    plan: str = "business",
    rate_limits: bool = True,
    seed: str = DEFAULT_SEED,
    announce: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Run a sandbox until interrupted (Ctrl-C) or ``stop`` is set.

    ``announce`` receives the shell ``export`` lines once the server listens (the CLI passes
    ``print``); library code never prints.
    """
    sandbox = Sandbox(
        host=host, port=port, db_path=db_path, plan=plan, rate_limits=rate_limits, seed=seed
    )
    with sandbox:
        if announce is not None:
            announce(sandbox.export_lines())
        waiter = stop or threading.Event()
        try:
            while not waiter.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
