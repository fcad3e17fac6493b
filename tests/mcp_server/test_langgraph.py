"""The server's tools loaded through langchain-mcp-adapters into a LangChain agent (a scripted
model), as the README shows: one session, two steps, the sandbox checked after."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools

from tests.sandboxes import NewSandbox
from zoom_agent_tools import OPERATIONS
from zoom_agent_tools.scripted import Exchange
from zoom_agent_tools.scripted.langchain import ScriptedChatModel

from .clients import CLI, server_env

TOPIC = "Planned by an MCP agent"
FINAL = "Created the meeting; deleting it needs your confirmation."


def _create(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_create_meeting", {"userId": "me", "topic": TOPIC, "duration": 30}


def _delete(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_delete_meeting", {"meetingId": history[0].data["meeting"]["id"]}


@pytest.mark.served
async def test_a_langchain_agent_uses_the_tools_over_mcp(
    new_sandbox: NewSandbox, tmp_path: Path
) -> None:
    with new_sandbox(rate_limits=False) as sandbox, sandbox.client() as zoom:
        connection: Any = {
            "transport": "stdio",
            "command": sys.executable,
            "args": [*CLI],
            "env": server_env(sandbox, tmp_path),
        }
        client = MultiServerMCPClient({"zoom": connection})
        async with client.session("zoom") as session:
            tools = await load_mcp_tools(session)
            assert [t.name for t in tools] == [op.name for op in OPERATIONS]
            model = ScriptedChatModel(steps=(_create, _delete), final_text=FINAL)
            agent = create_agent(model, tools, system_prompt="You operate Zoom.")
            result = await agent.ainvoke({"messages": [HumanMessage("Plan a meeting.")]})

        messages = result["messages"]
        assert isinstance(messages[-1], AIMessage)
        assert messages[-1].text == FINAL
        created, refused = [m for m in messages if isinstance(m, ToolMessage)]
        assert created.status == "success"
        meeting = created.artifact["structured_content"]["meeting"]
        assert meeting["topic"] == TOPIC
        # The client cannot confirm (no elicitation callback): the refusal is an error message.
        assert refused.status == "error"
        assert "cannot ask the user to confirm" in refused.text
        assert zoom.get_meeting(meeting_id=str(meeting["id"])).topic == TOPIC
