"""The LangChain adapter: toolkit options, schemas, messages, artifacts and async calls."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool, BaseToolkit
from langchain_core.utils.function_calling import convert_to_openai_tool
from pytest_httpserver import HTTPServer

from zoom_agent_tools import OPERATIONS, ZoomClient, ZoomConfigurationError
from zoom_agent_tools.langchain import ZoomTool, ZoomToolkit
from zoom_agent_tools.models import DownloadedFile
from zoom_agent_tools.sandbox import Sandbox

from .test_tools import MEETING


def _call(tool: BaseTool, args: dict[str, Any]) -> ToolMessage:
    message = tool.invoke(ToolCall(name=tool.name, args=args, id="call-1", type="tool_call"))
    assert isinstance(message, ToolMessage)
    return message


def _tool(toolkit: ZoomToolkit, name: str) -> BaseTool:
    return next(t for t in toolkit.get_tools() if t.name == name)


def test_toolkit_gives_the_ten_tools_with_their_argument_models(fake_client: ZoomClient) -> None:
    toolkit = ZoomToolkit(client=fake_client)
    assert isinstance(toolkit, BaseToolkit)
    tools = toolkit.get_tools()
    assert [t.name for t in tools] == [op.name for op in OPERATIONS]
    for tool, op in zip(tools, OPERATIONS, strict=True):
        assert isinstance(tool, ZoomTool)
        # The argument model's JSON schema: validated once, by the tool layer, with the model.
        assert tool.args_schema == op.args_model.model_json_schema(by_alias=True)
        assert tool.description == op.description
        assert tool.handle_tool_error is True
    formats = {t.name: t.response_format for t in tools}
    assert formats.pop("zoom_get_meeting_recordings") == "content_and_artifact"
    assert set(formats.values()) == {"content"}


def test_models_see_camelcase_parameter_names(fake_client: ZoomClient) -> None:
    for tool in ZoomToolkit(client=fake_client).get_tools():
        op = next(o for o in OPERATIONS if o.name == tool.name)
        function = convert_to_openai_tool(tool)["function"]
        expected = [f.alias or n for n, f in op.args_model.model_fields.items()]
        assert list(function["parameters"]["properties"]) == expected
        assert list(tool.args) == expected
    create = convert_to_openai_tool(ZoomToolkit(client=fake_client).get_tools()[0])
    assert "weeklyDays" in json.dumps(create)


def test_toolkit_docstring_warns_what_the_tools_change() -> None:
    doc = ZoomToolkit.__doc__ or ""
    for words in ("Warning", "delete", "trash", "approve", "start_url", "read_only"):
        assert words in doc


def test_toolkit_options_select_tools(fake_client: ZoomClient) -> None:
    read_only = ZoomToolkit(client=fake_client, read_only=True).get_tools()
    assert [t.name for t in read_only] == [op.name for op in OPERATIONS if not op.writes]
    chosen = ZoomToolkit(
        client=fake_client,
        include=("zoom_get_meeting", "zoom_delete_meeting"),
        exclude=("zoom_delete_meeting",),
    )
    assert [t.name for t in chosen.get_tools()] == ["zoom_get_meeting"]
    with pytest.raises(ValueError, match="zoom_fly"):
        ZoomToolkit(client=fake_client, include=("zoom_fly",))


def test_toolkit_builds_its_client_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    with pytest.raises(ZoomConfigurationError):
        ZoomToolkit()
    monkeypatch.setenv("ZOOM_ACCESS_TOKEN", "env-token-123456")
    monkeypatch.setenv("ZOOM_API_BASE_URL", httpserver.url_for("/v2"))
    toolkit = ZoomToolkit()
    assert toolkit.client.base_url == httpserver.url_for("/v2")
    assert len(toolkit.get_tools()) == len(OPERATIONS)
    assert httpserver.log == []
    assert "env-token" not in repr(toolkit)


def test_content_is_compact_json_without_start_url(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    message = _call(
        _tool(ZoomToolkit(client=fake_client), "zoom_get_meeting"), {"meetingId": "85746065432"}
    )
    assert message.status == "success"
    assert isinstance(message.content, str)
    meeting = json.loads(message.content)["meeting"]
    assert meeting["id"] == 85746065432
    assert "start_url" not in meeting
    assert message.content == json.dumps(
        {"meeting": meeting}, separators=(",", ":"), ensure_ascii=False
    )


def test_invalid_call_comes_back_as_an_error_message(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    tool = _tool(ZoomToolkit(client=fake_client), "zoom_list_meetings")
    message = _call(tool, {"userId": "me", "pageSize": 500, "colour": "red"})
    assert message.status == "error"
    assert message.content == (
        "Invalid arguments for zoom_list_meetings: pageSize: Input should be less than or "
        "equal to 300 (got 500); colour: unknown parameter; allowed parameters are: userId, "
        "type, pageSize, nextPageToken."
    )
    assert httpserver.log == []


def test_zoom_error_comes_back_as_an_error_message(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v2/meetings/123", method="DELETE").respond_with_json(
        {"code": 3001, "message": "Meeting does not exist: 123."}, status=404
    )
    tool = _tool(ZoomToolkit(client=fake_client), "zoom_delete_meeting")
    message = _call(tool, {"meetingId": "123"})
    assert message.status == "error"
    assert "Could not delete meeting 123" in message.text
    assert "Suggestion:" in message.text
    # Without a ToolCall the same text is the result.
    assert tool.invoke({"meetingId": "123"}) == message.text


def test_update_with_nothing_to_change_is_refused(fake_client: ZoomClient) -> None:
    tool = _tool(ZoomToolkit(client=fake_client), "zoom_update_meeting")
    message = _call(tool, {"meetingId": "85746065432"})
    assert message.status == "error"
    assert "Invalid arguments for zoom_update_meeting" in message.text


def test_refused_approval_reaches_the_agent_and_sends_nothing(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def approve(name: str, arguments: dict[str, Any]) -> bool:
        seen.append((name, arguments))
        return False

    tool = _tool(ZoomToolkit(client=fake_client, approve=approve), "zoom_delete_recording")
    message = _call(tool, {"meetingId": "85746065432", "action": "delete"})
    assert seen == [("zoom_delete_recording", {"meetingId": "85746065432", "action": "delete"})]
    assert message.status == "error"
    assert "nothing was sent to Zoom" in message.text
    assert httpserver.log == []


def test_programming_errors_raise(fake_client: ZoomClient) -> None:
    def approve(name: str, arguments: dict[str, Any]) -> bool:
        raise ZeroDivisionError("broken callback")

    tool = _tool(ZoomToolkit(client=fake_client, approve=approve), "zoom_delete_meeting")
    with pytest.raises(ZeroDivisionError):
        _call(tool, {"meetingId": "1"})


def test_recordings_tool_returns_downloaded_files_as_artifact(
    sandbox_client: ZoomClient, tmp_path: Path
) -> None:
    toolkit = ZoomToolkit(client=sandbox_client)
    listed = json.loads(_call(_tool(toolkit, "zoom_list_recordings"), {"userId": "me"}).text)
    uuid = listed["recordings"][0]["uuid"]
    message = _call(
        _tool(toolkit, "zoom_get_meeting_recordings"), {"meetingId": uuid, "downloadFiles": True}
    )
    assert message.status == "success", message.text
    files = message.artifact
    assert files
    assert all(isinstance(f, DownloadedFile) for f in files)
    content = json.loads(message.text)
    assert [f["path"] for f in content["files"]] == [f.path for f in files]
    for file in files:
        saved = Path(file.path)
        assert saved.parent == tmp_path / "downloads"
        assert saved.stat().st_size == file.size
    # Without downloadFiles the artifact is an empty list, never None.
    plain = _call(_tool(toolkit, "zoom_get_meeting_recordings"), {"meetingId": uuid})
    assert plain.artifact == []
    assert json.loads(plain.text)["files"] == []


async def test_ainvoke_runs_the_client_in_a_worker_thread(
    fake_client: ZoomClient, httpserver: HTTPServer, zoom_threads: list[int]
) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    tool = _tool(ZoomToolkit(client=fake_client), "zoom_get_meeting")
    message = await tool.ainvoke(
        ToolCall(name=tool.name, args={"meetingId": "85746065432"}, id="c", type="tool_call")
    )
    assert json.loads(message.content)["meeting"]["topic"] == "Plan — Q3"
    assert zoom_threads
    assert zoom_threads[0] != threading.get_ident()
    error = await tool.ainvoke(
        ToolCall(name=tool.name, args={"meetingId": "abc"}, id="d", type="tool_call")
    )
    assert error.status == "error"
    assert "meetingId" in error.content


def test_tools_change_the_sandbox(sandbox: Sandbox, sandbox_client: ZoomClient) -> None:
    toolkit = ZoomToolkit(client=sandbox_client)
    created = _call(
        _tool(toolkit, "zoom_create_meeting"), {"userId": "me", "topic": "Adapter check", "type": 1}
    )
    meeting_id = json.loads(created.text)["meeting"]["id"]
    assert sandbox.store.get_meeting(meeting_id) is not None
    _call(_tool(toolkit, "zoom_delete_meeting"), {"meetingId": str(meeting_id)})
    assert sandbox.store.get_meeting(meeting_id) is None


class _Events(BaseCallbackHandler):
    """Records the tool events LangChain's callbacks report."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def on_tool_start(self, serialized: Any, input_str: str, **kwargs: Any) -> None:
        self.seen.append(("start", input_str))

    def on_tool_end(self, output: Any, **kwargs: Any) -> None:
        self.seen.append(("end", output.content if isinstance(output, ToolMessage) else output))

    def on_tool_error(self, error: BaseException, **kwargs: Any) -> None:
        self.seen.append(("error", type(error).__name__))


def test_callbacks_see_every_call_its_answer_and_its_failure(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    events = _Events()
    tool = _tool(ZoomToolkit(client=fake_client), "zoom_get_meeting")
    config = {"callbacks": [events]}
    good = ToolCall(name=tool.name, args={"meetingId": "85746065432"}, id="c1", type="tool_call")
    answer = tool.invoke(good, config=config)
    bad = ToolCall(name=tool.name, args={"meetingId": "abc"}, id="c2", type="tool_call")
    refusal = tool.invoke(bad, config=config)
    assert isinstance(answer, ToolMessage)
    assert isinstance(refusal, ToolMessage)
    assert (answer.status, refusal.status) == ("success", "error")
    assert events.seen == [
        ("start", "{'meetingId': '85746065432'}"),
        ("end", answer.content),
        ("start", "{'meetingId': 'abc'}"),
        ("end", refusal.content),  # a refusal is an answer the agent reads, not a crash
    ]
    assert refusal.content.startswith("Invalid arguments for zoom_get_meeting: meetingId:")

    def approve(name: str, arguments: dict[str, Any]) -> bool:
        raise ZeroDivisionError("broken callback")

    events.seen.clear()
    broken = _tool(ZoomToolkit(client=fake_client, approve=approve), "zoom_delete_meeting")
    with pytest.raises(ZeroDivisionError):
        broken.invoke({"meetingId": "1"}, config=config)
    assert events.seen == [("start", "{'meetingId': '1'}"), ("error", "ZeroDivisionError")]
