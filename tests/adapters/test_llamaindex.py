"""The LlamaIndex adapter: tool spec options, FunctionTools, error outputs and raw outputs."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.tools import FunctionTool
from llama_index.core.tools.tool_spec.base import BaseToolSpec
from pytest_httpserver import HTTPServer

from zoom_agent_tools import OPERATIONS, ZoomClient
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.models import DownloadedFile

from .test_tools import MEETING


def _tool(spec: ZoomToolSpec, name: str) -> FunctionTool:
    return next(t for t in spec.to_tool_list() if t.metadata.name == name)


def test_spec_gives_ten_function_tools_with_schemas_and_async_fns(
    fake_client: ZoomClient,
) -> None:
    spec = ZoomToolSpec(fake_client)
    assert isinstance(spec, BaseToolSpec)
    tools = spec.to_tool_list()
    assert [t.metadata.name for t in tools] == [op.name for op in OPERATIONS]
    for tool, op in zip(tools, OPERATIONS, strict=True):
        assert isinstance(tool, FunctionTool)
        assert tool.metadata.fn_schema is op.args_model
        assert tool.metadata.description == op.description
        assert tool.async_fn is not tool.fn
        properties = tool.metadata.get_parameters_dict()["properties"]
        assert list(properties) == [f.alias or n for n, f in op.args_model.model_fields.items()]


def test_spec_options_select_tools(fake_client: ZoomClient) -> None:
    read_only = ZoomToolSpec(fake_client, read_only=True)
    assert read_only.spec_functions == [op.name for op in OPERATIONS if not op.writes]
    assert [t.metadata.name for t in read_only.to_tool_list()] == read_only.spec_functions
    spec = ZoomToolSpec(fake_client, exclude=["zoom_delete_meeting", "zoom_delete_recording"])
    assert [t.metadata.name for t in spec.to_tool_list(["zoom_get_meeting"])] == [
        "zoom_get_meeting"
    ]
    with pytest.raises(KeyError):
        spec.to_tool_list(["zoom_delete_meeting"])
    with pytest.raises(ValueError, match="zoom_nope"):
        ZoomToolSpec(fake_client, include=["zoom_nope"])


def test_spec_docstring_warns_what_the_tools_change() -> None:
    doc = ZoomToolSpec.__doc__ or ""
    for words in ("Warning", "delete", "trash", "approve", "start_url", "read_only"):
        assert words in doc


def test_success_output_is_compact_json_with_the_output_as_raw_output(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    output = _tool(ZoomToolSpec(fake_client), "zoom_get_meeting").call(meetingId="85746065432")
    assert not output.is_error
    assert json.loads(output.content) == output.raw_output
    assert "start_url" not in output.raw_output["meeting"]
    assert output.content.startswith('{"meeting":{"id":85746065432,')
    assert output.raw_input == {"args": (), "kwargs": {"meetingId": "85746065432"}}


def test_invalid_call_is_an_error_output_naming_the_parameter(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    output = _tool(ZoomToolSpec(fake_client), "zoom_list_meetings").call(
        userId="me", pageSize=500, colour="red"
    )
    assert output.is_error
    assert output.content == (
        "Invalid arguments for zoom_list_meetings: pageSize: Input should be less than or "
        "equal to 300 (got 500); colour: unknown parameter; allowed parameters are: userId, "
        "type, pageSize, nextPageToken."
    )
    assert httpserver.log == []


def test_zoom_error_is_an_error_output(fake_client: ZoomClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v2/meetings/123/invitation").respond_with_json(
        {"code": 3001, "message": "Meeting does not exist: 123."}, status=404
    )
    output = _tool(ZoomToolSpec(fake_client), "zoom_get_meeting_invitation").call(meetingId="123")
    assert output.is_error
    assert "Zoom error 3001" in output.content
    assert "Suggestion:" in output.content


def test_refused_approval_is_an_error_output_and_sends_nothing(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    seen: list[str] = []

    def approve(name: str, arguments: dict[str, Any]) -> bool:
        seen.append(name)
        return False

    tool = _tool(ZoomToolSpec(fake_client, approve=approve), "zoom_delete_meeting")
    output = tool.call(meetingId="85746065432")
    assert seen == ["zoom_delete_meeting"]
    assert output.is_error
    assert "nothing was sent to Zoom" in output.content
    assert httpserver.log == []


def test_programming_errors_raise(fake_client: ZoomClient) -> None:
    def approve(name: str, arguments: dict[str, Any]) -> bool:
        raise ZeroDivisionError("broken callback")

    tool = _tool(ZoomToolSpec(fake_client, approve=approve), "zoom_delete_meeting")
    with pytest.raises(ZeroDivisionError):
        tool.call(meetingId="1")


async def test_downloaded_files_are_the_raw_output(
    sandbox_client: ZoomClient, tmp_path: Path
) -> None:
    spec = ZoomToolSpec(sandbox_client)
    listed = await _tool(spec, "zoom_list_recordings").acall(userId="me")
    uuid = listed.raw_output["recordings"][0]["uuid"]
    output = await _tool(spec, "zoom_get_meeting_recordings").acall(
        meetingId=uuid, downloadFiles=True
    )
    assert not output.is_error, output.content
    files = output.raw_output
    assert files
    assert all(isinstance(f, DownloadedFile) for f in files)
    assert [f["name"] for f in json.loads(output.content)["files"]] == [f.name for f in files]
    for file in files:
        assert Path(file.path).parent == tmp_path / "downloads"
        assert Path(file.path).stat().st_size == file.size


async def test_acall_runs_the_client_in_a_worker_thread(
    fake_client: ZoomClient, httpserver: HTTPServer, zoom_threads: list[int]
) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    output = await _tool(ZoomToolSpec(fake_client), "zoom_get_meeting").acall(
        meetingId="85746065432"
    )
    assert output.raw_output["meeting"]["topic"] == "Plan — Q3"
    assert zoom_threads
    assert zoom_threads[0] != threading.get_ident()
