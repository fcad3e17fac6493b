"""A one-shot HTTP listener on 127.0.0.1 that receives the OAuth redirect of a sign-in.

It binds the loopback address (never ``localhost``, which may resolve to ``::1`` while the
browser uses 127.0.0.1), answers the redirect with a short page, and is closed after that one
redirect or when the caller gives up. Requests to other paths (a browser's ``/favicon.ico``)
get 404 and do not end the wait.
"""

from __future__ import annotations

import errno
import html
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from zoom_agent_tools.errors import ZoomConfigurationError

__all__ = ["LOOPBACK_HOST", "REDIRECT_PATH", "RedirectListener"]

LOOPBACK_HOST = "127.0.0.1"
REDIRECT_PATH = "/callback"

_DONE = "Zoom has sent the authorization. You can close this tab and return to zoom-agent-tools."
_FAILED = "Zoom did not authorize zoom-agent-tools ({error}). Return to zoom-agent-tools."


class _Server(HTTPServer):
    # On Windows SO_REUSEADDR lets a second program take a port in use; a busy port must fail.
    allow_reuse_address = sys.platform != "win32"
    #: The path and query of the redirect, once it arrived.
    redirect: str | None = None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # Browsers open spare connections they may never use; one that sends nothing for this
    # many seconds is dropped, so it cannot hold up the redirect queued behind it.
    timeout = 2.0

    def do_GET(self) -> None:
        if urlsplit(self.path).path != REDIRECT_PATH:
            self.send_error(404)
            return
        self.server.redirect = self.path
        query = parse_qs(urlsplit(self.path).query)
        error = query.get("error", [""])[0]
        text = _FAILED.format(error=error) if error or "code" not in query else _DONE
        page = (
            '<!doctype html><html><head><meta charset="utf-8"><title>zoom-agent-tools</title>'
            f'</head><body><p id="done">{html.escape(text)}</p></body></html>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: the redirect's query holds the authorization code."""


class RedirectListener:
    """Listens on ``127.0.0.1:port`` (0: a free port) for one redirect to ``/callback``.

    Raises ZoomConfigurationError when the port cannot be used (in use, or not allowed).
    """

    def __init__(self, port: int = 0) -> None:
        try:
            self._server: _Server | None = _Server((LOOPBACK_HOST, port), _Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ZoomConfigurationError(
                    f"Port {port} on {LOOPBACK_HOST} is in use, so Zoom's redirect cannot be "
                    "received there.",
                    suggestion="Stop the program that uses it, or pass another --port (0 for "
                    "a free one; Zoom ignores the port of a loopback redirect URI).",
                ) from None
            raise ZoomConfigurationError(
                f"Cannot listen on {LOOPBACK_HOST}:{port} for Zoom's redirect: "
                f"{exc.strerror or type(exc).__name__}.",
                suggestion="Pass another --port (0 for a free one).",
            ) from None
        self.port = int(self._server.server_address[1])

    @property
    def redirect_uri(self) -> str:
        """The redirect URI to send Zoom: ``http://127.0.0.1:<port>/callback``."""
        return f"http://{LOOPBACK_HOST}:{self.port}{REDIRECT_PATH}"

    def poll(self, seconds: float) -> str | None:
        """Wait up to ``seconds`` for a request; the redirect's full URL once it came."""
        server = self._server
        if server is None:
            return None
        if server.redirect is None:
            server.timeout = max(0.01, seconds)
            server.handle_request()
        if server.redirect is None:
            return None
        return f"http://{LOOPBACK_HOST}:{self.port}{server.redirect}"

    def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.server_close()
            self._server = None

    def __enter__(self) -> RedirectListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
