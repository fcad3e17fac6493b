"""The bearer token goes to Zoom's hosts only: every crafted URL form, every redirect hop.

A transport mounted on the client's session answers every request in-process and records
the host requests would have connected to, so a leak shows up as a credential in a request
to a foreign host.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from pydantic import SecretStr

from tests.transport import Answer, RecordingTransport
from zoom_agent_tools import (
    AccessTokenAuth,
    RetryPolicy,
    ServerToServerAuth,
    UserOAuth,
    ZoomClient,
    ZoomConfigurationError,
)
from zoom_agent_tools.auth import _oauth_post
from zoom_agent_tools.downloads import DownloadPolicy
from zoom_agent_tools.models import Recording
from zoom_agent_tools.tooling import ZoomTools

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
def transport() -> RecordingTransport:
    return RecordingTransport(zoom_answers)


@pytest.fixture
def client(transport: RecordingTransport, tmp_path: Path) -> Iterator[ZoomClient]:
    with ZoomClient(
        AccessTokenAuth(API_TOKEN),
        session=transport.mount_on(requests.Session()),
        retry=RetryPolicy(max_retries=0),
        sleep=lambda _: None,
        download_dir=tmp_path / "downloads",
    ) as zoom:
        yield zoom


def _assert_tokens_stayed_home(transport: RecordingTransport) -> None:
    assert transport.origins_given([API_TOKEN, DL_TOKEN]) <= ZOOM_ORIGINS
    # Refused URLs are not contacted at all: no foreign host saw even a bare request.
    assert transport.origins() <= ZOOM_ORIGINS


def _assert_outcomes(statuses: dict[str, str], reasons: dict[str, str]) -> None:
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


def test_public_download_api_sends_tokens_to_zoom_hosts_only(
    client: ZoomClient, transport: RecordingTransport, tmp_path: Path
) -> None:
    result = client.download_recording_files(Recording.model_validate(recording_body()))
    _assert_tokens_stayed_home(transport)
    statuses = {f.recording_id or "": f.status for f in result.files}
    reasons = {f.recording_id or "": f.reason or "" for f in result.files}
    _assert_outcomes(statuses, reasons)
    assert sorted(f.recording_id or "" for f in result.saved) == sorted(f"good-{k}" for k in GOOD)
    for saved in result.saved:
        assert Path(saved.path).read_bytes() == BODY
    # The download token went to Zoom (the API token was never needed).
    assert transport.origins_given([DL_TOKEN]) == {
        "https://zoom.us:443",
        "https://us02web.zoom.us:443",
        "https://ssrweb.zoom.us:443",
    }


def test_api_token_fallback_also_stays_on_zoom_hosts(
    client: ZoomClient, transport: RecordingTransport
) -> None:
    body = recording_body()
    del body["download_access_token"]
    result = client.download_recording_files(Recording.model_validate(body))
    _assert_tokens_stayed_home(transport)
    assert API_TOKEN in "".join(
        r.headers.get("Authorization", "") for r in transport.received if r.host == "zoom.us"
    )
    assert len(result.saved) == len(GOOD)


def test_tool_with_download_files_sends_tokens_to_zoom_hosts_only(
    client: ZoomClient, transport: RecordingTransport
) -> None:
    outcome = ZoomTools(client).run(
        "zoom_get_meeting_recordings", {"meetingId": "85746065432", "downloadFiles": True}
    )
    assert not outcome.is_error, outcome.text
    _assert_tokens_stayed_home(transport)
    content = json.loads(outcome.text)
    saved = {f["recording_id"]: "saved" for f in content["files"]}
    failed = {f["recording_id"]: f["reason"] for f in content["failedFiles"]}
    _assert_outcomes({**saved, **dict.fromkeys(failed, "failed")}, failed)
    assert [f.recording_id for f in outcome.files] == [f["recording_id"] for f in content["files"]]
    assert API_TOKEN not in outcome.text
    assert DL_TOKEN not in outcome.text


@pytest.mark.parametrize("url", CRAFTED.values(), ids=CRAFTED.keys())
def test_policy_refuses_crafted_urls(url: str, tmp_path: Path) -> None:
    policy = DownloadPolicy.create(directory=tmp_path, api_base_url="https://api.zoom.us/v2")
    assert policy.allows(url) is False


@pytest.mark.parametrize("url", GOOD.values(), ids=GOOD.keys())
def test_policy_allows_zoom_urls(url: str, tmp_path: Path) -> None:
    policy = DownloadPolicy.create(directory=tmp_path, api_base_url="https://api.zoom.us/v2")
    assert policy.allows(url) is True


def test_extra_download_hosts_are_exact(tmp_path: Path) -> None:
    policy = DownloadPolicy.create(
        directory=tmp_path,
        api_base_url="https://api.zoom.us/v2",
        extra_hosts=("files.example.com", "http://127.0.0.1:9000"),
    )
    assert policy.allows("https://files.example.com/a")
    assert not policy.allows("http://files.example.com/a")
    assert not policy.allows("https://sub.files.example.com/a")
    assert not policy.allows("https://files.example.com:8443/a")
    assert policy.allows("http://127.0.0.1:9000/a")
    assert not policy.allows("http://127.0.0.1:9001/a")
    with pytest.raises(ZoomConfigurationError, match="download_hosts"):
        DownloadPolicy.create(
            directory=tmp_path, api_base_url="https://api.zoom.us/v2", extra_hosts=("a\\@b",)
        )


# -- where the client secret and the API token go ----------------------------------------------

#: Configured endpoints that must be refused: they would send a credential somewhere else than
#: the URL seems to say, or in clear text over the network.
BAD_ENDPOINTS = {
    "backslash": r"https://evil.example\.zoom.us",
    "backslash-userinfo": r"https://evil.example\@zoom.us",
    "userinfo": "https://zoom.us@evil.example",
    "percent-encoded-host": "https://evil.example%2f.zoom.us",
    "non-ascii": "https://zo\u043em.us",
    "plain-http-zoom": "http://zoom.us",
    "plain-http-remote": "http://oauth.example.com",
    "zoom-odd-port": "https://zoom.us:8443",
    "whitespace": "https://zoom.us\t",
    "not-http": "ftp://zoom.us",
    "no-host": "https://",
}
GOOD_ENDPOINTS = {
    "zoom": "https://zoom.us",
    "zoomgov": "https://zoomgov.com",
    "own-https": "https://oauth.example.com:8443",
    "loopback-http": "http://127.0.0.1:8000",
    "localhost-http": "http://localhost:8000",
    "ipv6-loopback-http": "http://[::1]:8000",
}


@pytest.mark.parametrize("url", BAD_ENDPOINTS.values(), ids=BAD_ENDPOINTS.keys())
def test_oauth_base_url_is_checked_before_the_secret_is_sent(url: str) -> None:
    with pytest.raises(ZoomConfigurationError, match="oauth_base_url"):
        ServerToServerAuth("acc", "cid", "csecret", oauth_base_url=url)
    with pytest.raises(ZoomConfigurationError, match="oauth_base_url"):
        AccessTokenAuth("tok", client_id="cid", client_secret="csecret", oauth_base_url=url)
    with pytest.raises(ZoomConfigurationError, match="oauth_base_url"):
        UserOAuth("cid", "csecret", redirect_uri="http://127.0.0.1/cb", oauth_base_url=url)


@pytest.mark.parametrize("url", BAD_ENDPOINTS.values(), ids=BAD_ENDPOINTS.keys())
def test_api_base_url_is_checked(url: str) -> None:
    with pytest.raises(ZoomConfigurationError, match="base_url"):
        ZoomClient(AccessTokenAuth("tok"), base_url=url + "/v2")


@pytest.mark.parametrize("url", GOOD_ENDPOINTS.values(), ids=GOOD_ENDPOINTS.keys())
def test_good_endpoints_are_accepted(url: str) -> None:
    ServerToServerAuth("acc", "cid", "csecret", oauth_base_url=url)
    ZoomClient(AccessTokenAuth("tok"), base_url=url + "/v2")


@pytest.mark.parametrize("url", BAD_ENDPOINTS.values(), ids=BAD_ENDPOINTS.keys())
def test_oauth_post_refuses_before_sending(url: str) -> None:
    # Whatever builds the URL, the one function that sends the client secret checks it.
    transport = RecordingTransport(lambda _: (200, {}, b"{}"))
    session = transport.mount_on(requests.Session())
    with pytest.raises(ZoomConfigurationError):
        _oauth_post(
            session,
            url + "/oauth/token",
            client_id="cid",
            client_secret=SecretStr("csecret"),
            form={"grant_type": "account_credentials"},
            timeout=(1.0, 1.0),
            action="get a token",
        )
    assert transport.received == []
