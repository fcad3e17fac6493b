"""Deterministic identifiers, passwords and tokens derived from the sandbox seed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping

__all__ = ["IdFactory", "b64url", "digest_hex", "token_hash"]

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def digest_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def token_hash(token: str) -> str:
    """What the store keeps instead of a bearer secret."""
    return digest_hex("token:" + token)


class IdFactory:
    """Derives every generated value from ``seed`` and a persisted counter.

    ``counter(kind)`` must return a fresh number for ``kind`` on every call (the store keeps
    the counters, so ids never repeat across restarts with the same database).
    """

    def __init__(self, seed: str, counter: Callable[[str], int]) -> None:
        self._seed = seed.encode("utf-8")
        self._counter = counter

    def raw(self, kind: str, n: int | None = None, size: int = 32) -> bytes:
        if n is None:
            n = self._counter(kind)
        out = b""
        block = 0
        while len(out) < size:
            out += hmac.new(self._seed, f"{kind}:{n}:{block}".encode(), hashlib.sha256).digest()
            block += 1
        return out[:size]

    def meeting_id(self) -> int:
        """An 11-digit meeting number."""
        return 10_000_000_000 + int.from_bytes(self.raw("meeting-id", size=8), "big") % (
            89_999_999_999
        )

    def uuid(self) -> str:
        """A meeting-instance UUID: 16 bytes in standard base64 (may hold ``/``, ``+``, ``=``)."""
        return base64.b64encode(self.raw("meeting-uuid", size=16)).decode("ascii")

    def file_id(self) -> str:
        """A recording file id shaped like a UUID."""
        h = self.raw("file-id", size=16).hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def opaque(self, kind: str, size: int = 24) -> str:
        return b64url(self.raw(kind, size=size))

    def text(self, kind: str, length: int, alphabet: str = _ALNUM) -> str:
        data = self.raw(kind, size=length)
        return "".join(alphabet[b % len(alphabet)] for b in data)

    def jwt(self, kind: str, claims: Mapping[str, object]) -> str:
        """A JWT-shaped token (HS512 over the claims); opaque to clients, like Zoom's."""
        header = b64url(json.dumps({"alg": "HS512", "v": "2.0", "kid": kind}).encode())
        n = self._counter(kind)
        body = dict(claims)
        body["jti"] = b64url(self.raw(kind + "-jti", n, size=12))
        payload = b64url(json.dumps(body, separators=(",", ":")).encode())
        signing = f"{header}.{payload}".encode("ascii")
        signature = hmac.new(self._seed, signing, hashlib.sha512).digest()
        return f"{header}.{payload}.{b64url(signature)}"
