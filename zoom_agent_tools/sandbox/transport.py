"""A requests transport that hands each request to a WSGI application in this process.

Mount it on a ``requests.Session`` for an origin (``Sandbox.in_process_session()`` does) and
requests to that origin reach the application without a socket or a server thread: the
application runs in the calling thread, and its response body is read as the caller reads
it, so large downloads stream. The raw request path reaches the application unchanged
(``RAW_URI``, ``REQUEST_URI``), so double-encoded path segments survive. A connection the
application drops (it raises ``ConnectionError``) is ``requests.ConnectionError``; a body cut
short is ``requests.exceptions.ChunkedEncodingError``, as over a socket.

Timeouts are not enforced (nothing waits on a socket); test them against a served sandbox.
Exceptions the application raises otherwise reach the caller unchanged. Cookies are not kept.
"""

from __future__ import annotations

import io
import itertools
import sys
from collections.abc import Iterable, Iterator, Mapping
from http.client import RemoteDisconnected
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from urllib3 import HTTPResponse
from urllib3.exceptions import ProtocolError

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

__all__ = ["WSGITransport"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


class _Body(io.RawIOBase):
    """A WSGI response iterable as a readable stream, pulled only as far as it is read."""

    def __init__(self, result: Iterable[bytes], chunks: Iterator[bytes]) -> None:
        self._result = result
        self._chunks = chunks
        self._pending = memoryview(b"")  # a view: small reads of a large chunk copy nothing

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk).cast("B")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        if not self.closed:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()  # PEP 3333: the server calls close() on the iterable
        super().close()


def _environ(request: requests.PreparedRequest, body: bytes) -> WSGIEnvironment:
    url = urlsplit(request.url or "")
    scheme = url.scheme.lower()
    raw_path = request.path_url  # exactly what the request line would carry
    path = raw_path.split("?", 1)[0]
    environ: dict[str, Any] = {
        "REQUEST_METHOD": (request.method or "GET").upper(),
        "SCRIPT_NAME": "",
        # PEP 3333: the decoded path, its bytes as latin-1 characters.
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": url.query,
        "RAW_URI": raw_path,
        "REQUEST_URI": raw_path,
        "SERVER_NAME": url.hostname or "",
        "SERVER_PORT": str(url.port or _DEFAULT_PORTS.get(scheme, 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": url.netloc.rpartition("@")[2],
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in request.headers.items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
        elif key != "HOST":
            environ["HTTP_" + key] = value
    return environ


def _body_bytes(body: object) -> bytes:
    """The request body in full (request bodies to a sandbox are small)."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    read = getattr(body, "read", None)
    if read is not None:
        data = read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if isinstance(body, Iterable):
        return b"".join(c.encode("utf-8") if isinstance(c, str) else bytes(c) for c in body)
    raise TypeError(f"cannot send a request body of type {type(body).__name__}")


class WSGITransport(BaseAdapter):
    """Sends requests to ``app`` (a WSGI application) in this process; see the module text."""

    def __init__(self, app: WSGIApplication) -> None:
        super().__init__()
        self.app = app

    def mount_on(self, session: requests.Session, origin: str) -> requests.Session:
        """Route ``session``'s requests to ``origin`` (``http://host[:port]``) here."""
        session.mount(origin.rstrip("/") + "/", self)
        return session

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: object = None,
        verify: object = True,
        cert: object = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        started: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            if exc_info is not None and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started["status"], started["headers"] = status, headers
            return lambda data: None  # the legacy write() callable: nothing uses it here

        environ = _environ(request, _body_bytes(request.body))
        try:
            result = self.app(environ, start_response)
            first: list[bytes] = []
            rest = iter(result)
            while not started:  # PEP 3333 lets an application start on its first chunk
                first.append(next(rest))
        except StopIteration:
            raise RuntimeError("the WSGI application never called start_response") from None
        except ConnectionError as exc:  # the application dropped the connection
            disconnected = RemoteDisconnected("Remote end closed connection without response")
            error = ProtocolError("Connection aborted.", disconnected)
            raise requests.ConnectionError(error, request=request) from exc
        code, _, reason = str(started["status"]).partition(" ")
        raw = HTTPResponse(
            body=_Body(result, itertools.chain(first, rest)),
            headers=started["headers"],
            status=int(code),
            reason=reason,
            preload_content=False,
            decode_content=True,
            request_method=environ["REQUEST_METHOD"],
            request_url=request.url,
        )
        response = requests.Response()
        response.status_code = raw.status
        response.reason = reason
        response.headers = CaseInsensitiveDict(raw.headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = raw
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to release: no connections are pooled."""
