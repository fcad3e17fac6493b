"""``zoom-agent-tools mcp --http``: one server process for the module, against a sandbox the
tests serve (so they can look inside), reached with the SDK's streamable HTTP client. The
checks every transport must pass are in test_transports.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.sandboxes import Templates
from zoom_agent_tools import ZoomClient, ZoomNotFoundError
from zoom_agent_tools.models import Meeting
from zoom_agent_tools.sandbox import Sandbox, SandboxOptions

from .clients import (
    ACCEPT,
    DECLINE,
    TOKEN,
    WAIT,
    Confirmations,
    exchange,
    http_server,
    http_session,
    server_env,
    text_of,
)


@pytest.fixture(scope="module")
def served(sandbox_templates: Templates) -> Iterator[Sandbox]:
    options = SandboxOptions(rate_limits=False)
    with Sandbox(options, template=sandbox_templates.path_for(options)) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def zoom(served: Sandbox) -> Iterator[ZoomClient]:
    """The tests' own view of the sandbox."""
    with served.client() as client:
        yield client


@pytest.fixture(scope="module")
def url(served: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server: a bearer token required, destructive calls allowed for clients that cannot
    confirm (clients that can are still asked)."""
    env = server_env(served, tmp_path_factory.mktemp("mcp-http"), ZOOM_MCP_TOKEN=TOKEN)
    with http_server("--allow-destructive", env=env) as address:
        yield address


def _meeting(zoom: ZoomClient, topic: str) -> Meeting:
    return zoom.create_meeting(user_id="me", topic=topic, duration=30)


def test_requests_need_the_token_a_loopback_host_and_the_path(url: str) -> None:
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {"Accept": "application/json, text/event-stream"}
    for auth in (None, "Bearer wrong-token", TOKEN, f"Basic {TOKEN}"):
        sent = {**headers, **({"Authorization": auth} if auth else {})}
        refused = requests.post(url, json=initialize, headers=sent, timeout=WAIT)
        assert refused.status_code == 401, auth
        assert refused.headers["WWW-Authenticate"] == "Bearer"
    authorized = {**headers, "Authorization": f"Bearer {TOKEN}"}
    rebound = requests.post(
        url, json=initialize, headers={**authorized, "Host": "attacker.example"}, timeout=WAIT
    )
    assert rebound.status_code == 421
    elsewhere = requests.post(url + "/../other", json=initialize, headers=authorized, timeout=WAIT)
    assert elsewhere.status_code == 404
    # Past those checks, the SDK's transport answers (a ping before initialize).
    reached = requests.post(url, json=initialize, headers=authorized, timeout=WAIT)
    assert reached.status_code not in (401, 404, 421)


async def test_a_call_reads_what_zoom_holds(url: str, zoom: ZoomClient) -> None:
    """The listing, invalid calls and refusals are checked over both transports
    (test_transports.py); here, a call answers from the sandbox the tests look into."""
    meeting = _meeting(zoom, "Read over HTTP")
    async with http_session(url) as session:
        got = await session.call_tool("zoom_get_meeting", {"meetingId": str(meeting.id)})
        assert exchange("zoom_get_meeting", {}, got).data["meeting"]["topic"] == "Read over HTTP"


async def test_a_delete_runs_only_when_the_user_confirms(url: str, zoom: ZoomClient) -> None:
    kept, deleted = _meeting(zoom, "Keep me"), _meeting(zoom, "Delete me")
    confirm = Confirmations(DECLINE, ACCEPT)
    async with http_session(url, elicitation_callback=confirm) as session:
        refused = await session.call_tool("zoom_delete_meeting", {"meetingId": kept.id})
        done = await session.call_tool("zoom_delete_meeting", {"meetingId": deleted.id})
    assert refused.isError
    assert "the approval check refused it, so nothing was sent to Zoom" in text_of(refused)
    assert zoom.get_meeting(meeting_id=str(kept.id)).topic == "Keep me"
    assert not done.isError, text_of(done)
    assert done.structuredContent == {"success": True}
    with pytest.raises(ZoomNotFoundError):
        zoom.get_meeting(meeting_id=str(deleted.id))
    # --allow-destructive does not skip asking a client that can ask.
    assert len(confirm.asked) == 2


async def test_a_client_that_cannot_confirm_deletes_with_allow_destructive(
    url: str, zoom: ZoomClient
) -> None:
    meeting = _meeting(zoom, "No one to ask")
    async with http_session(url) as session:
        done = await session.call_tool("zoom_delete_meeting", {"meetingId": meeting.id})
    assert done.structuredContent == {"success": True}
    with pytest.raises(ZoomNotFoundError):
        zoom.get_meeting(meeting_id=str(meeting.id))
