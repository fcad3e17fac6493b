"""The server's answers, through the SDK's client over its in-memory transport: failures as the
adapters word them, bugs hidden from the client, confirmations that fail or say no."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import mcp.types as types
import pytest
from langchain_core.messages import ToolMessage
from mcp import ClientSession
from mcp.client.session import ElicitationFnT
from mcp.shared.memory import create_connected_server_and_client_session

from tests.sandboxes import NewSandbox
from zoom_agent_tools import AccessTokenAuth, RetryPolicy, ZoomClient
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.mcp import ZoomMCPServer
from zoom_agent_tools.sandbox import Sandbox

from .clients import ACCEPT, Confirmations, text_of

SECRET = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXZhbHVl"


@pytest.fixture
def sandbox(new_sandbox: NewSandbox) -> Iterator[Sandbox]:
    with new_sandbox(rate_limits=False) as sb:
        yield sb


@pytest.fixture
def zoom(sandbox: Sandbox) -> Iterator[ZoomClient]:
    with sandbox.client() as client:
        yield client


def _connect(server: ZoomMCPServer, elicitation_callback: ElicitationFnT | None = None) -> Any:
    return create_connected_server_and_client_session(
        server.server, elicitation_callback=elicitation_callback
    )


async def _call(
    server: ZoomMCPServer,
    name: str,
    arguments: dict[str, Any],
    elicitation_callback: ElicitationFnT | None = None,
) -> types.CallToolResult:
    session: ClientSession
    async with _connect(server, elicitation_callback) as session:
        return await session.call_tool(name, arguments)


def _langchain_text(client: ZoomClient, name: str, arguments: dict[str, Any]) -> str:
    (tool,) = ZoomToolkit(client=client, include=[name]).get_tools()
    message = tool.invoke({"name": name, "args": arguments, "id": "call_1", "type": "tool_call"})
    assert isinstance(message, ToolMessage)
    assert message.status == "error"
    return message.text


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("failure", "name", "arguments", "says"),
    [
        ("validation", "zoom_list_meetings", {"userId": "me", "pageSize": 500}, "pageSize: "),
        ("zoom", "zoom_get_meeting", {"meetingId": "12345678901"}, "(HTTP 404)"),
        (
            "connection",
            "zoom_get_meeting",
            {"meetingId": "12345678901"},
            "connection to Zoom failed",
        ),
    ],
)
async def test_failures_read_as_the_adapters_word_them(
    zoom: ZoomClient, failure: str, name: str, arguments: dict[str, Any], says: str
) -> None:
    client = zoom
    if failure == "connection":
        client = ZoomClient(
            AccessTokenAuth("mcp-connection-token-0123456789"),
            base_url=f"http://127.0.0.1:{_closed_port()}/v2",
            retry=RetryPolicy(max_retries=0),
            sleep=lambda _: None,
        )
    result = await _call(ZoomMCPServer(client), name, arguments)
    assert result.isError
    assert result.structuredContent is None
    assert text_of(result) == _langchain_text(client, name, arguments)
    assert says in text_of(result)


async def test_a_bug_is_logged_redacted_and_answered_without_details(
    zoom: ZoomClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(op: Any, arguments: Any = None) -> Any:
        raise RuntimeError(f"boom: Authorization: Bearer {SECRET}")

    zoom.execute = broken  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, logger="zoom_agent_tools.mcp"):
        result = await _call(ZoomMCPServer(zoom), "zoom_get_meeting", {"meetingId": "85746065432"})
    assert result.isError
    text = text_of(result)
    assert text.startswith("zoom_get_meeting failed with an internal error")
    assert "boom" not in text
    assert "Traceback" not in text
    (record,) = [r for r in caplog.records if r.name == "zoom_agent_tools.mcp"]
    logged = record.getMessage()
    assert "Traceback" in logged
    assert "RuntimeError: boom" in logged
    assert SECRET not in logged


async def test_an_unknown_tool_is_an_error_naming_the_tools(zoom: ZoomClient) -> None:
    server = ZoomMCPServer(zoom, include=["zoom_get_meeting", "zoom_list_meetings"])
    result = await _call(server, "zoom_delete_meeting", {"meetingId": 1})
    assert result.isError
    assert text_of(result) == (
        "There is no tool 'zoom_delete_meeting' on this server; use one of: "
        "zoom_list_meetings, zoom_get_meeting."
    )


async def _failing_confirmation(context: Any, params: types.ElicitRequestParams) -> Any:
    return types.ErrorData(code=types.INTERNAL_ERROR, message="the dialog could not be shown")


@pytest.mark.parametrize(
    "confirmation",
    [
        pytest.param(_failing_confirmation, id="elicitation-failed"),
        pytest.param(
            Confirmations(types.ElicitResult(action="accept", content={"confirm": False})),
            id="accepted-unticked",
        ),
        pytest.param(Confirmations(types.ElicitResult(action="cancel")), id="cancelled"),
    ],
)
async def test_a_delete_without_a_clear_yes_is_refused(
    zoom: ZoomClient, confirmation: ElicitationFnT
) -> None:
    meeting = zoom.create_meeting(user_id="me", topic="Still here", duration=30)
    server = ZoomMCPServer(zoom, allow_destructive=True)
    result = await _call(server, "zoom_delete_meeting", {"meetingId": meeting.id}, confirmation)
    assert result.isError
    assert text_of(result).startswith(
        "zoom_delete_meeting was not run: the approval check refused it, so nothing was sent"
    )
    assert zoom.get_meeting(meeting_id=str(meeting.id)).topic == "Still here"


async def test_the_confirmation_names_the_call_and_what_it_does(zoom: ZoomClient) -> None:
    meeting = zoom.create_meeting(user_id="me", topic="Recording kept", duration=30)
    confirm = Confirmations(ACCEPT)
    arguments = {"meetingId": meeting.id, "action": "delete"}
    result = await _call(ZoomMCPServer(zoom), "zoom_delete_recording", arguments, confirm)
    # The meeting was never recorded: confirmed, sent, and Zoom's 404 explained.
    assert result.isError
    assert "HTTP 404" in text_of(result)
    (asked,) = confirm.asked
    assert asked.startswith(
        f'Allow zoom_delete_recording with {{"meetingId":"{meeting.id}","action":"delete"}}? '
    )
    assert "'delete' removes them for good" in asked


@pytest.mark.parametrize("show", [False, True])
async def test_the_hosts_start_url_is_shown_only_when_asked(zoom: ZoomClient, show: bool) -> None:
    server = ZoomMCPServer(zoom, show_start_url=show)
    result = await _call(server, "zoom_create_meeting", {"userId": "me", "topic": "Host link"})
    assert result.structuredContent is not None
    assert ("start_url" in result.structuredContent["meeting"]) is show
    assert ("start_url" in text_of(result)) is show


def test_the_server_takes_no_approve_callback(zoom: ZoomClient) -> None:
    with pytest.raises(TypeError, match="takes no approve callback"):
        ZoomMCPServer(zoom, approve=lambda name, arguments: True)
    assert repr(ZoomMCPServer(zoom, include=["zoom_get_meeting"])) == (
        f"ZoomMCPServer(ZoomTools(client={zoom!r}, tools=[zoom_get_meeting]))"
    )
