"""Real agent loops (LangChain create_agent, LlamaIndex FunctionAgent) run the demo scenario
against the sandbox, driven by scripted models; the sandbox is checked after every step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult

from zoom_agent_tools import ZoomClient
from zoom_agent_tools._demo import SCENARIO_PROMPT
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.models import DownloadedFile
from zoom_agent_tools.sandbox import Sandbox
from zoom_agent_tools.scripted import Exchange
from zoom_agent_tools.scripted.langchain import ScriptedChatModel, exchanges_from_messages
from zoom_agent_tools.scripted.llamaindex import scripted_llm

from .scenario_checks import ScenarioChecker

FINAL = "Done: the scenario ran every step."


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    return tmp_path / "downloads"


@pytest.fixture
def agent_client(sandbox: Sandbox, downloads: Path) -> Iterator[ZoomClient]:
    with sandbox.client(download_dir=downloads) as zoom:
        yield zoom


@pytest.fixture
def checker(sandbox: Sandbox, downloads: Path) -> Iterator[ScenarioChecker]:
    # A client of its own: the checks must not share the agent's session or token.
    with sandbox.client() as zoom:
        yield ScenarioChecker(sandbox, zoom, downloads)


@pytest.fixture
def approvals() -> list[str]:
    return []


def _approver(approvals: list[str]) -> Any:
    def approve(name: str, arguments: dict[str, Any]) -> bool:
        approvals.append(name)
        return True

    return approve


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_langchain_agent_runs_the_scenario(
    mode: str,
    agent_client: ZoomClient,
    checker: ScenarioChecker,
    approvals: list[str],
) -> None:
    tools = ZoomToolkit(client=agent_client, approve=_approver(approvals)).get_tools()
    model = ScriptedChatModel(steps=checker.steps(), final_text=FINAL)
    agent = create_agent(model, tools, system_prompt="You operate Zoom with the tools given.")
    state = {"messages": [HumanMessage(SCENARIO_PROMPT)]}
    config = {"recursion_limit": 60}
    if mode == "sync":
        result = agent.invoke(state, config)
    else:
        result = await agent.ainvoke(state, config)
    messages = result["messages"]
    history = exchanges_from_messages(messages)
    checker.finish(history)
    assert approvals == ["zoom_delete_recording", "zoom_delete_meeting"]
    assert isinstance(messages[-1], AIMessage)
    assert messages[-1].text == FINAL
    # The agent saw the invalid call as an error message and its correction succeed.
    tool_messages = [m for m in messages if isinstance(m, ToolMessage)]
    assert [m.status for m in tool_messages[:3]] == ["success", "error", "success"]
    recordings = next(m for m in tool_messages if m.name == "zoom_get_meeting_recordings")
    assert recordings.artifact
    assert all(isinstance(f, DownloadedFile) for f in recordings.artifact)
    assert all("start_url" not in m.text for m in tool_messages)


# FunctionAgent's workflow machinery inspects its own pydantic attributes, which pydantic flags.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_llamaindex_agent_runs_the_scenario(
    agent_client: ZoomClient, checker: ScenarioChecker, approvals: list[str]
) -> None:
    tools = ZoomToolSpec(agent_client, approve=_approver(approvals)).to_tool_list()
    agent = FunctionAgent(tools=tools, llm=scripted_llm(checker.steps(), final_text=FINAL))
    handler = agent.run(user_msg=SCENARIO_PROMPT, max_iterations=40)
    results: list[ToolCallResult] = []
    async for event in handler.stream_events():
        if isinstance(event, ToolCallResult):
            results.append(event)
    response = await handler
    history = [
        Exchange.from_text(r.tool_name, dict(r.tool_kwargs), r.tool_output.content, None)
        for r in results
    ]
    checker.finish(history)
    assert approvals == ["zoom_delete_recording", "zoom_delete_meeting"]
    assert str(response) == FINAL
    assert [r.tool_output.is_error for r in results[:3]] == [False, True, False]
    recordings = next(r for r in results if r.tool_name == "zoom_get_meeting_recordings")
    files = recordings.tool_output.raw_output
    assert files
    assert all(isinstance(f, DownloadedFile) for f in files)
