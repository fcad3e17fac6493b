"""VCR settings that scrub every Zoom secret from recorded cassettes, from the one shared list.

``vcr_config()`` returns plain keyword arguments for ``vcr.VCR(...)`` (or pytest-recording's
``vcr_config`` fixture), so this module needs no VCR import.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from zoom_agent_tools._redact import (
    REDACTED,
    SECRET_BODY_KEYS,
    SECRET_HEADERS,
    SECRET_QUERY_PARAMS,
    redact_body,
    redact_text,
    redact_url,
)

__all__ = ["scrub_request", "scrub_response", "vcr_config"]

_SCRUBBED_RESPONSE_HEADERS = SECRET_HEADERS | {"x-zm-trackingid"}
_FORM_SECRETS = SECRET_BODY_KEYS | SECRET_QUERY_PARAMS


def _scrub_body_bytes(raw: bytes | str | None, content_type: str) -> bytes | str | None:
    if raw in (None, b"", ""):
        return raw
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if "json" in content_type or text.lstrip().startswith(("{", "[")):
        try:
            cleaned = json.dumps(redact_body(json.loads(text)), separators=(",", ":"))
        except ValueError:
            cleaned = redact_text(text)
    elif "x-www-form-urlencoded" in content_type or ("=" in text and " " not in text):
        pairs = parse_qsl(text, keep_blank_values=True)
        cleaned = urlencode([(k, REDACTED if k.lower() in _FORM_SECRETS else v) for k, v in pairs])
    else:
        cleaned = redact_text(text)
    return cleaned.encode("utf-8") if isinstance(raw, bytes) else cleaned


def scrub_request(request: Any) -> Any:
    """Scrub a vcrpy request in place: credential headers, token query values, secret body keys."""
    for name in list(request.headers):
        if name.lower() in SECRET_HEADERS:
            request.headers[name] = REDACTED
    request.uri = redact_url(request.uri)
    content_type = str(request.headers.get("Content-Type", ""))
    request.body = _scrub_body_bytes(request.body, content_type)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Scrub a vcrpy response dict: cookies, tracking ids and secret body keys."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _SCRUBBED_RESPONSE_HEADERS:
            headers[name] = [REDACTED]
    content_type = " ".join(
        v for k, vs in headers.items() if k.lower() == "content-type" for v in vs
    )
    body = response.get("body", {})
    if isinstance(body, dict) and "string" in body:
        body["string"] = _scrub_body_bytes(body["string"], content_type)
    return response


def vcr_config(*, record_mode: str = "none") -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR``: replay-only by default, secrets scrubbed on record.

    Requests match on method, path, query and body, not on host, so cassettes recorded against
    the sandbox or Zoom replay against any base URL.
    """
    before_request: Callable[[Any], Any] = scrub_request
    before_response: Callable[[dict[str, Any]], dict[str, Any]] = scrub_response
    return {
        "record_mode": record_mode,
        "match_on": ("method", "path", "query", "body"),
        "filter_headers": sorted(SECRET_HEADERS),
        "filter_query_parameters": sorted(SECRET_QUERY_PARAMS),
        "before_record_request": before_request,
        "before_record_response": before_response,
        "decode_compressed_response": True,
    }
