"""Check sandbox (or any) HTTP exchanges against Zoom's OpenAPI spec in tests/data.

``check(response, template)`` validates the request and the response of a ``requests``
exchange with openapi-core against ``tests/data/zoom_meetings_openapi.json``. The spec is
loaded with exactly these documented allowances, where Zoom's real answers differ from its
own spec (see tests/data/SOURCE.md):

1. ``recording_files[].file_type`` also accepts ``TIMELINE`` (documented in the field's text,
   sent by Zoom, missing from the enum).
2. ``recurrence.weekly_days`` accepts a comma-separated list of days ``"1,3"`` (documented so,
   but the enum lists single digits only).
3. The recording-level meeting ``type`` also accepts the same values as JSON integers (Zoom
   sends numbers; the spec says strings).
4. A recording file Zoom is still processing may have ``status`` ``processing`` and an empty
   ``file_type`` (Zoom lists such files with placeholders; the enums allow neither).

Besides, two error answers apply to every operation although the spec lists them only on
some: 401 with code 124 (every operation is secured) and 400 with code 300 (invalid parameter
or expired ``next_page_token``, which the spec documents for List recordings without declaring
400 there) or code 4700 (token lacks scopes). Error bodies, which the spec leaves without a
schema, are checked against Zoom's documented error shape ``{code, message[, errors]}``.
"""

from __future__ import annotations

import copy
import json
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

__all__ = ["ConformanceError", "apply_allowances", "check", "load_spec", "openapi", "raw_spec"]

SPEC_PATH = Path(__file__).parent / "data" / "zoom_meetings_openapi.json"
ZOOM_HOST = "https://api.zoom.us"
_UNIVERSAL_ERRORS = {(401, 124), (400, 300), (400, 4700)}
_RECORDING_TYPES = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "99"]


class ConformanceError(AssertionError):
    """An exchange does not conform to the spec."""


@lru_cache(maxsize=1)
def raw_spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return data


def apply_allowances(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    """A copy of ``spec`` with the allowances, and how many schema nodes each touched."""
    patched = copy.deepcopy(spec)
    counts = {"timeline": 0, "weekly_days": 0, "recording_type": 0, "processing": 0}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                file_type = props.get("file_type")
                if (
                    isinstance(file_type, dict)
                    and "MP4" in file_type.get("enum", [])
                    and "TIMELINE" not in file_type["enum"]
                ):
                    file_type["enum"] = [*file_type["enum"], "TIMELINE"]
                    counts["timeline"] += 1
                    file_status = props.get("status")
                    if isinstance(file_status, dict) and file_status.get("enum") == ["completed"]:
                        file_type["enum"].append("")
                        file_status["enum"] = ["completed", "processing"]
                        counts["processing"] += 1
                weekly = props.get("weekly_days")
                if isinstance(weekly, dict) and "enum" in weekly:
                    del weekly["enum"]
                    weekly["pattern"] = "^[1-7](,[1-7])*$"
                    counts["weekly_days"] += 1
                kind = props.get("type")
                if isinstance(kind, dict) and kind.get("enum") == _RECORDING_TYPES:
                    props["type"] = {
                        "oneOf": [kind, {"type": "integer", "enum": [int(v) for v in kind["enum"]]}]
                    }
                    counts["recording_type"] += 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(patched)
    return patched, counts


@lru_cache(maxsize=1)
def load_spec() -> dict[str, Any]:
    return apply_allowances(raw_spec())[0]


@lru_cache(maxsize=1)
def openapi() -> OpenAPI:
    with warnings.catch_warnings():
        # openapi-core cannot check the spec's apiKey/oauth2 schemes; that is fine here.
        warnings.simplefilter("ignore", UserWarning)
        return OpenAPI.from_dict(load_spec())


def _check_error_body(response: requests.Response) -> None:
    try:
        body = response.json()
    except ValueError as exc:
        raise ConformanceError(f"{response.status_code} error without a JSON body") from exc
    if not isinstance(body, dict) or set(body) - {"code", "message", "errors"}:
        raise ConformanceError(f"error body has unexpected keys: {body!r}")
    if not isinstance(body.get("code"), int) or not isinstance(body.get("message"), str):
        raise ConformanceError(f"error body needs integer code and string message: {body!r}")
    errors = body.get("errors", [])
    if not isinstance(errors, list) or not all(
        isinstance(e, dict) and isinstance(e.get("field"), str) for e in errors
    ):
        raise ConformanceError(f"error body has malformed errors: {body!r}")


def _mock_request(
    prepared: requests.PreparedRequest, template: str, path_params: dict[str, str]
) -> MockRequest:
    url = urlsplit(str(prepared.url))
    body = prepared.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    return MockRequest(
        ZOOM_HOST,
        str(prepared.method),
        "/v2" + template,
        path_pattern="/v2" + template,
        args=dict(parse_qsl(url.query, keep_blank_values=True)),
        view_args=path_params,
        headers=dict(prepared.headers),
        data=body or b"",
        content_type=prepared.headers.get("Content-Type", "application/json"),
    )


def _path_params(prepared: requests.PreparedRequest, template: str) -> dict[str, str]:
    raw = urlsplit(str(prepared.url)).path
    segments = raw.split("/v2/", 1)[1].split("/")
    params: dict[str, str] = {}
    for part, value in zip(template.strip("/").split("/"), segments, strict=True):
        if part.startswith("{"):
            decoded = unquote(value)
            if "%" in decoded:
                decoded = unquote(decoded)
            params[part[1:-1]] = decoded
    return params


def check(response: requests.Response, template: str, *, check_request: bool = True) -> None:
    """Raise ConformanceError unless the exchange conforms (with the allowances above)."""
    prepared = response.request
    request = _mock_request(prepared, template, _path_params(prepared, template))
    if check_request:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            openapi().validate_request(request)
    if response.status_code >= 400:
        _check_error_body(response)
        operation = load_spec()["paths"][template][str(prepared.method).lower()]
        code = response.json().get("code")
        if (response.status_code, code) in _UNIVERSAL_ERRORS:
            return
        if str(response.status_code) not in operation["responses"]:
            raise ConformanceError(f"status {response.status_code} not declared for {template}")
    mock = MockResponse(
        response.content,
        status_code=response.status_code,
        headers=dict(response.headers),
        content_type=response.headers.get("Content-Type", "").split(";")[0] or "application/json",
    )
    openapi().validate_response(request, mock)
