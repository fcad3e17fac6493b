"""Zoom-shaped API errors raised inside the sandbox and turned into JSON responses."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from werkzeug.wrappers import Response

__all__ = ["ZoomAPIError", "json_response", "validation_failed"]


class ZoomAPIError(Exception):
    """An error answer: HTTP status plus Zoom's ``{code, message[, errors]}`` body."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: Sequence[Mapping[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = list(errors) if errors else None
        self.headers = dict(headers or {})

    def body(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "message": self.message}
        if self.errors:
            out["errors"] = self.errors
        return out

    def to_response(self) -> Response:
        return json_response(self.body(), self.status, self.headers)


def json_response(
    payload: object, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A compact JSON response, like Zoom's (no spaces, UTF-8)."""
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    response = Response(data, status=status, content_type="application/json;charset=UTF-8")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def validation_failed(*fields: str) -> ZoomAPIError:
    """Zoom's code-300 validation error naming the offending fields."""
    return ZoomAPIError(
        400,
        300,
        "Validation Failed.",
        errors=[{"field": name, "message": "Invalid field."} for name in fields],
    )
