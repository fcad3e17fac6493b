"""An in-process requests transport that records which host receives which credential.

Mounted on a session for ``http://`` and ``https://``, it answers every request itself (nothing
reaches a socket) and notes, for each request, the host requests would have connected to: the
host of ``urlsplit(prepared.url)``, exactly as ``requests.adapters.HTTPAdapter`` picks its
connection pool.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

__all__ = ["Answer", "Received", "RecordingTransport"]

#: status, headers, body
Answer = tuple[int, Mapping[str, str], bytes]
Handler = Callable[[requests.PreparedRequest], Answer]
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Received:
    """One request as the transport saw it."""

    method: str
    scheme: str
    host: str
    port: int
    url: str
    headers: Mapping[str, str]

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def carries(self, secret: str) -> bool:
        """Whether ``secret`` is anywhere in the URL or a header of this request."""
        return secret in self.url or any(secret in v for v in self.headers.values())


class RecordingTransport(BaseAdapter):
    """Answers with ``handler`` and records every request in ``received``."""

    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.handler = handler
        self.received: list[Received] = []

    def mount_on(self, session: requests.Session) -> requests.Session:
        session.mount("http://", self)
        session.mount("https://", self)
        return session

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any
    ) -> requests.Response:
        url = request.url or ""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        self.received.append(
            Received(
                method=request.method or "",
                scheme=scheme,
                host=parts.hostname or "",
                port=parts.port or _DEFAULT_PORTS.get(scheme, 0),
                url=url,
                headers=dict(request.headers),
            )
        )
        status, headers, body = self.handler(request)
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response.raw = io.BytesIO(body)
        response.url = url
        response.request = request
        response.reason = "OK" if status < 400 else "Error"
        return response

    def close(self) -> None:
        pass

    def origins_given(self, secrets: Iterable[str]) -> set[str]:
        """The origins (scheme://host:port) that received any of ``secrets``."""
        wanted = [s for s in secrets if s]
        return {r.origin for r in self.received if any(r.carries(s) for s in wanted)}

    def origins(self) -> set[str]:
        """Every origin that received a request at all."""
        return {r.origin for r in self.received}
