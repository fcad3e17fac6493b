"""Through the LangChain and LlamaIndex tools: tokens reach Zoom's hosts only, and every
refused or failed file is reported to the model by name, with why."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.tools.base import ToolCall

from tests.crafted_urls import (
    API_TOKEN,
    DL_TOKEN,
    GOOD,
    assert_outcomes,
    assert_tokens_stayed_home,
)
from tests.transport import RecordingTransport
from zoom_agent_tools import ZoomClient
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.models import DownloadedFile

ARGS = {"meetingId": "85746065432", "downloadFiles": True}


def _check_content(text: str) -> dict[str, Any]:
    assert API_TOKEN not in text
    assert DL_TOKEN not in text
    content: dict[str, Any] = json.loads(text)
    saved = dict.fromkeys((f["recording_id"] for f in content["files"]), "saved")
    failed = {f["recording_id"]: f["reason"] for f in content["failedFiles"]}
    assert_outcomes({**saved, **dict.fromkeys(failed, "failed")}, failed)
    assert "failed" in content["downloadSummary"]
    return content


def test_langchain_tool_sends_tokens_to_zoom_hosts_only(
    transported_client: ZoomClient, zoom_transport: RecordingTransport
) -> None:
    tool: BaseTool = next(
        t
        for t in ZoomToolkit(client=transported_client).get_tools()
        if t.name == "zoom_get_meeting_recordings"
    )
    message = tool.invoke(ToolCall(name=tool.name, args=ARGS, id="call-1", type="tool_call"))
    assert isinstance(message, ToolMessage)
    assert message.status == "success", message.text
    assert_tokens_stayed_home(zoom_transport)
    content = _check_content(message.text)
    # The artifact is the saved files, as before.
    assert all(isinstance(f, DownloadedFile) for f in message.artifact)
    assert [f.path for f in message.artifact] == [f["path"] for f in content["files"]]
    assert len(message.artifact) == len(GOOD)


async def test_llamaindex_tool_sends_tokens_to_zoom_hosts_only(
    transported_client: ZoomClient, zoom_transport: RecordingTransport
) -> None:
    tool = next(
        t
        for t in ZoomToolSpec(transported_client).to_tool_list()
        if t.metadata.name == "zoom_get_meeting_recordings"
    )
    output = await tool.acall(**ARGS)
    assert not output.is_error, output.content
    assert_tokens_stayed_home(zoom_transport)
    content = _check_content(output.content)
    assert [f.path for f in output.raw_output] == [f["path"] for f in content["files"]]
    assert len(output.raw_output) == len(GOOD)
