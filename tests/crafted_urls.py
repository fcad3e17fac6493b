"""Crafted URLs and a fake Zoom for the token-host tests of the client and the adapters.

A pytest plugin (see tests/conftest.py): its fixtures ``zoom_transport`` and
``transported_client`` are shared by tests/core and tests/adapters.

``zoom_answers`` plays Zoom behind a RecordingTransport: the recording (whose files carry the
URLs below), redirects, and file bytes for any other URL, foreign hosts included, so that a
leaked token would look like a successful download.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.transport import Answer, RecordingTransport
from zoom_agent_tools import AccessTokenAuth, RetryPolicy, ZoomClient

API_TOKEN = "api-token-SECRET-0123456789"
DL_TOKEN = "dl-token-SECRET-abcdefghij"
BODY = b"DATA"
#: Hosts allowed to see a token in these tests: Zoom's own, over https on port 443.
ZOOM_ORIGINS = {
    "https://api.zoom.us:443",
    "https://zoom.us:443",
    "https://us02web.zoom.us:443",
    "https://ssrweb.zoom.us:443",
}

#: Download URLs that must be refused before any byte (or token) is sent.
CRAFTED = {
    "backslash": r"https://evil.example\.zoom.us/rec/download/a",
    "backslash-userinfo": r"https://evil.example\@zoom.us/rec/download/a",
    "userinfo-zoom-host": "https://evil.example@zoom.us/rec/download/a",
    "userinfo-foreign-host": "https://zoom.us@evil.example/rec/download/a",
    "userinfo-password": "https://zoom.us:443@evil.example/rec/download/a",
    "at-in-query": "https://evil.example?@zoom.us/rec/download/a",
    "at-in-fragment": "https://evil.example#@zoom.us/rec/download/a",
    "percent-encoded-host": "https://evil.example%2f.zoom.us/rec/download/a",
    "percent-encoded-letter": "https://%65vil.example/rec/download/a",
    "idna-lookalike": "https://zo\u043em.us/rec/download/a",
    "fullwidth-dot": "https://evil.example\u3002zoom.us/rec/download/a",
    "punycode-lookalike": "https://xn--zm-hdaa.us/rec/download/a",
    "plain-http-zoom": "http://zoom.us/rec/download/a",
    "suffix-trick": "https://zoom.us.evil.example/rec/download/a",
    "no-dot-suffix": "https://evilzoom.us/rec/download/a",
    "trailing-dot": "https://zoom.us./rec/download/a",
    "ipv6-literal": "https://[::1]/rec/download/a",
    "ip-literal": "https://127.0.0.1/rec/download/a",
    "odd-port": "https://zoom.us:8443/rec/download/a",
    "http-port-443": "http://zoom.us:443/rec/download/a",
    "tab-in-host": "https://evil.example\t.zoom.us/rec/download/a",
    "newline-in-host": "https://zoom.us\n.evil.example/rec/download/a",
    "leading-space": " https://evil.example/rec/download/a",
    "scheme-relative": "//evil.example/rec/download/a",
    "other-scheme": "ftp://zoom.us/rec/download/a",
    "empty-label": "https://evil..zoom.us/rec/download/a",
}
#: Download URLs on Zoom's hosts: fetched, with the token.
GOOD = {
    "zoom": "https://zoom.us/rec/download/good",
    "subdomain": "https://us02web.zoom.us/rec/download/good",
    "explicit-port": "https://zoom.us:443/rec/download/good",
    "upper-case": "HTTPS://ZOOM.US/rec/download/good",
    "at-in-path": "https://zoom.us/rec/download/x@evil.example",
    "redirect-within-zoom": "https://zoom.us/rec/download/to-ssrweb",
}
#: Zoom answers these with a redirect that must not be followed.
REDIRECTS = {
    "to-foreign": "https://evil.example/steal",
    "to-http": "http://zoom.us/rec/download/plain",
    "to-backslash": r"https://evil.example\.zoom.us/x",
    "to-scheme-relative": "//evil.example/steal",
    "to-userinfo": "https://zoom.us@evil.example/steal",
    "to-odd-port": "https://zoom.us:8080/steal",
    "two-hops-out": "https://ssrweb.zoom.us/rec/download/to-foreign",
    "loop": "https://zoom.us/rec/download/redirect-loop",
}


def zoom_answers(request: requests.PreparedRequest) -> Answer:
    """Zoom's side: the recording, redirects, and file bytes for anything else."""
    parts = urlsplit(request.url or "")
    if parts.path.endswith("/recordings"):
        return 200, {"Content-Type": "application/json"}, json.dumps(recording_body()).encode()
    name = parts.path.rsplit("/", 1)[-1]
    if name == "to-ssrweb":
        return 302, {"Location": "https://ssrweb.zoom.us/file/good?sig=1"}, b""
    if name == "redirect-loop":
        return 302, {"Location": "/rec/download/redirect-loop"}, b""
    if name.startswith("redirect-"):
        return 302, {"Location": REDIRECTS[name.removeprefix("redirect-")]}, b""
    if name == "to-foreign":
        return 302, {"Location": REDIRECTS["to-foreign"]}, b""
    # Foreign hosts answer too, so that a leak would look like a success.
    return 200, {"Content-Type": "application/octet-stream"}, BODY


def recording_body() -> dict[str, Any]:
    urls = {
        **{f"crafted-{k}": v for k, v in CRAFTED.items()},
        **{f"good-{k}": v for k, v in GOOD.items()},
        **{f"redirect-{k}": f"https://zoom.us/rec/download/redirect-{k}" for k in REDIRECTS},
    }
    return {
        "uuid": "Zt+6/pLr2Q8mUoVhBc4kXw==",
        "id": 85746065432,
        "topic": "Security review",
        "start_time": "2026-11-20T17:00:00Z",
        "download_access_token": DL_TOKEN,
        "recording_files": [
            {
                "id": file_id,
                "file_type": "MP4",
                "file_extension": "MP4",
                "file_size": len(BODY),
                "status": "completed",
                "recording_start": "2026-11-20T17:00:05Z",
                "recording_end": "2026-11-20T17:30:05Z",
                "download_url": url,
            }
            for file_id, url in urls.items()
        ],
    }


@pytest.fixture
def zoom_transport() -> RecordingTransport:
    """The fake Zoom behind a transport that records who received which credential."""
    return RecordingTransport(zoom_answers)


@pytest.fixture
def transported_client(zoom_transport: RecordingTransport, tmp_path: Path) -> Iterator[ZoomClient]:
    """A client of api.zoom.us whose every request goes to ``zoom_transport``."""
    with ZoomClient(
        AccessTokenAuth(API_TOKEN),
        session=zoom_transport.mount_on(requests.Session()),
        retry=RetryPolicy(max_retries=0),
        sleep=lambda _: None,
        download_dir=tmp_path / "downloads",
    ) as zoom:
        yield zoom


def assert_tokens_stayed_home(transport: RecordingTransport) -> None:
    assert transport.origins_given([API_TOKEN, DL_TOKEN]) <= ZOOM_ORIGINS
    # Refused URLs are not contacted at all: no foreign host saw even a bare request.
    assert transport.origins() <= ZOOM_ORIGINS


def assert_outcomes(statuses: dict[str, str], reasons: dict[str, str]) -> None:
    for key in CRAFTED:
        assert statuses[f"crafted-{key}"] == "failed", key
        assert "refused" in reasons[f"crafted-{key}"].lower(), (key, reasons[f"crafted-{key}"])
    for key in REDIRECTS:
        assert statuses[f"redirect-{key}"] == "failed", key
    for key in GOOD:
        assert statuses[f"good-{key}"] == "saved", (key, reasons.get(f"good-{key}"))
    for reason in reasons.values():
        assert API_TOKEN not in reason
        assert DL_TOKEN not in reason
