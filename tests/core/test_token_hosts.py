"""The bearer token goes to Zoom's hosts only: every crafted URL form, every redirect hop.

A transport mounted on the client's session answers every request in-process and records
the host requests would have connected to, so a leak shows up as a credential in a request
to a foreign host.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from pydantic import SecretStr

from tests.crafted_urls import (
    API_TOKEN,
    BODY,
    CRAFTED,
    DL_TOKEN,
    GOOD,
    assert_outcomes,
    assert_tokens_stayed_home,
    recording_body,
)
from tests.transport import RecordingTransport
from zoom_agent_tools import (
    AccessTokenAuth,
    ServerToServerAuth,
    UserOAuth,
    ZoomClient,
    ZoomConfigurationError,
)
from zoom_agent_tools._origins import TokenHosts
from zoom_agent_tools.auth import _oauth_post
from zoom_agent_tools.models import Recording
from zoom_agent_tools.tools import ZoomTools


def test_public_download_api_sends_tokens_to_zoom_hosts_only(
    transported_client: ZoomClient, zoom_transport: RecordingTransport, tmp_path: Path
) -> None:
    result = transported_client.download_recording_files(Recording.model_validate(recording_body()))
    assert_tokens_stayed_home(zoom_transport)
    statuses = {f.recording_id or "": f.status for f in result.files}
    reasons = {f.recording_id or "": f.reason or "" for f in result.files}
    assert_outcomes(statuses, reasons)
    assert sorted(f.recording_id or "" for f in result.saved) == sorted(f"good-{k}" for k in GOOD)
    for saved in result.saved:
        assert Path(saved.path).read_bytes() == BODY
    # The download token went to Zoom (the API token was never needed).
    assert zoom_transport.origins_given([DL_TOKEN]) == {
        "https://zoom.us:443",
        "https://us02web.zoom.us:443",
        "https://ssrweb.zoom.us:443",
    }


def test_api_token_fallback_also_stays_on_zoom_hosts(
    transported_client: ZoomClient, zoom_transport: RecordingTransport
) -> None:
    body = recording_body()
    del body["download_access_token"]
    result = transported_client.download_recording_files(Recording.model_validate(body))
    assert_tokens_stayed_home(zoom_transport)
    assert API_TOKEN in "".join(
        r.headers.get("Authorization", "") for r in zoom_transport.received if r.host == "zoom.us"
    )
    assert len(result.saved) == len(GOOD)


def test_tool_with_download_files_sends_tokens_to_zoom_hosts_only(
    transported_client: ZoomClient, zoom_transport: RecordingTransport
) -> None:
    outcome = ZoomTools(transported_client).run(
        "zoom_get_meeting_recordings", {"meetingId": "85746065432", "downloadFiles": True}
    )
    assert not outcome.is_error, outcome.text
    assert_tokens_stayed_home(zoom_transport)
    content = json.loads(outcome.text)
    saved = {f["recording_id"]: "saved" for f in content["files"]}
    failed = {f["recording_id"]: f["reason"] for f in content["failedFiles"]}
    assert_outcomes({**saved, **dict.fromkeys(failed, "failed")}, failed)
    assert [f.recording_id for f in outcome.files] == [f["recording_id"] for f in content["files"]]
    assert API_TOKEN not in outcome.text
    assert DL_TOKEN not in outcome.text


@pytest.mark.parametrize("url", CRAFTED.values(), ids=CRAFTED.keys())
def test_policy_refuses_crafted_urls(url: str) -> None:
    assert TokenHosts.configure("https://api.zoom.us/v2").allows(url) is False


@pytest.mark.parametrize("url", GOOD.values(), ids=GOOD.keys())
def test_policy_allows_zoom_urls(url: str) -> None:
    assert TokenHosts.configure("https://api.zoom.us/v2").allows(url) is True


def test_extra_download_hosts_are_exact() -> None:
    policy = TokenHosts.configure(
        "https://api.zoom.us/v2", ("files.example.com", "http://127.0.0.1:9000")
    )
    assert policy.allows("https://files.example.com/a")
    assert not policy.allows("http://files.example.com/a")
    assert not policy.allows("https://sub.files.example.com/a")
    assert not policy.allows("https://files.example.com:8443/a")
    assert policy.allows("http://127.0.0.1:9000/a")
    assert not policy.allows("http://127.0.0.1:9001/a")
    with pytest.raises(ZoomConfigurationError, match="download_hosts"):
        TokenHosts.configure("https://api.zoom.us/v2", ("a\\@b",))


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
