"""An agent answers "summarize last week's standup and list who missed it" with the meeting-
intelligence tools, in a real LangChain (create_agent) and LlamaIndex (FunctionAgent) loop
driven by a scripted model. Before each step the previous answer is checked against the
sandbox's own data; the final answer is written from what the tools said, and checked too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult

from tests.sandbox.conftest import NOW
from tests.sandboxes import NewSandbox
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.sandbox import INTELLIGENCE_UUIDS as UUIDS
from zoom_agent_tools.sandbox import TEAM_HOST_ID, Sandbox
from zoom_agent_tools.sandbox.clock import parse_utc
from zoom_agent_tools.sandbox.conversations import CONVERSATIONS
from zoom_agent_tools.sandbox.summaries import summary_markdown
from zoom_agent_tools.scripted import Exchange, Step
from zoom_agent_tools.scripted.langchain import ScriptedChatModel, exchanges_from_messages
from zoom_agent_tools.scripted.llamaindex import scripted_llm

PROMPT = "Summarize last week's platform standup and list who missed it."
STANDUP = "Platform team weekly standup"


def _standup_id(sandbox: Sandbox) -> str:
    return next(
        str(m["id"]) for m in sandbox.store.list_meetings(TEAM_HOST_ID) if m["topic"] == STANDUP
    )


def _last_week(history: Sequence[Exchange]) -> str:
    """The instance that started six to eight days before the newest one, as listed."""
    instances = history[0].data["instances"]
    newest = parse_utc(instances[0]["startTime"])
    return str(
        next(
            i["uuid"]
            for i in instances
            if timedelta(days=6) <= newest - parse_utc(i["startTime"]) <= timedelta(days=8)
        )
    )


def answer(history: Sequence[Exchange]) -> str:
    """The final answer, written from what the tools said (as a model would)."""
    summary = history[1].data
    decisions = [t["text"] for t in history[2].data["turns"] if t.get("match")]
    missed = [a["name"] for a in history[3].data["absent"]]
    return (
        f"{summary['title']} ({summary['instance']['startTime'][:10]}). "
        f"{len(decisions)} moments of decision. Missed it: {', '.join(missed)}."
    )


class Checker:
    """The scripted steps; before each, the previous step's answer is checked against the
    sandbox itself."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.standup = _standup_id(sandbox)
        self.checked: list[str] = []

    def steps(self) -> tuple[Step, ...]:
        calls: list[Step] = [
            lambda h: ("zoom_list_past_meeting_instances", {"meetingId": self.standup}),
            lambda h: ("zoom_get_meeting_summary", {"meetingId": _last_week(h)}),
            lambda h: (
                "zoom_get_meeting_transcript",
                {"meetingId": _last_week(h), "query": "decision"},
            ),
            lambda h: ("zoom_get_meeting_attendance", {"meetingId": _last_week(h)}),
        ]
        return tuple(self._checked(n, step) for n, step in enumerate(calls))

    def _checked(self, index: int, step: Step) -> Step:
        def checked_step(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
            if index:
                self.check(history, index - 1)
            return step(history)

        return checked_step

    def check(self, history: Sequence[Exchange], index: int) -> None:
        exchange = history[index]
        assert not exchange.is_error, exchange.text
        data = exchange.data
        store = self.sandbox.store
        if index == 0:
            stored = store.instances_of_meeting(int(self.standup))
            assert [i["uuid"] for i in data["instances"]] == [i["uuid"] for i in stored]
            assert _last_week(history) == UUIDS["standup_last_week"]
        elif index == 1:
            summary = CONVERSATIONS["standup-last-week"].summary
            assert summary is not None
            assert data["summary"] == summary_markdown(summary)
            assert data["instance"]["uuid"] == UUIDS["standup_last_week"]
        elif index == 2:
            assert data["source"] == "transcript"
            hits = [t for t in data["turns"] if t.get("match")]
            assert len(hits) == data["matches"] == 2
            assert all("decision" in t["text"].lower() for t in hits)
        else:
            present = {p["name"] for p in store.participants(UUIDS["standup_last_week"])}
            assert {a["name"] for a in data["attendees"]} == present
            # Who was at each of the four standups before, and not last week.
            earlier = [UUIDS[f"standup_{n}_weeks_ago"] for n in (2, 3, 4, 5)]
            counts: dict[str, int] = {}
            for uuid in earlier:
                for name in {p["name"] for p in store.participants(uuid)}:
                    counts[name] = counts.get(name, 0) + 1
            usual = {name for name, count in counts.items() if 2 * count >= len(earlier)}
            assert [a["name"] for a in data["absent"]] == sorted(usual - present)
            assert [a["name"] for a in data["absent"]] == ["Marcus Webb"]
        self.checked.append(exchange.name)

    def finish(self, history: Sequence[Exchange], final: str) -> None:
        assert len(history) == 4
        self.check(history, 3)
        assert self.checked == [
            "zoom_list_past_meeting_instances",
            "zoom_get_meeting_summary",
            "zoom_get_meeting_transcript",
            "zoom_get_meeting_attendance",
        ]
        summary = CONVERSATIONS["standup-last-week"].summary
        assert summary is not None
        instance = self.sandbox.store.get_instance(UUIDS["standup_last_week"])
        assert instance is not None
        assert final == (
            f"{summary.title} ({instance['start_time'][:10]}). 2 moments of decision. "
            "Missed it: Marcus Webb."
        )


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_langchain_agent_reports_last_weeks_standup(
    mode: str, new_sandbox: NewSandbox
) -> None:
    with new_sandbox(now=NOW, rate_limits=False) as sandbox, sandbox.client() as client:
        checker = Checker(sandbox)
        tools = ZoomToolkit(client=client, read_only=True).get_tools()
        agent = create_agent(ScriptedChatModel(steps=checker.steps(), answer=answer), tools)
        state = {"messages": [HumanMessage(PROMPT)]}
        if mode == "sync":
            result = agent.invoke(state)
        else:
            result = await agent.ainvoke(state)
        messages = result["messages"]
        checker.finish(exchanges_from_messages(messages), messages[-1].text)


# FunctionAgent's workflow machinery inspects its own pydantic attributes, which pydantic flags.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_llamaindex_agent_reports_last_weeks_standup(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW, rate_limits=False) as sandbox, sandbox.client() as client:
        checker = Checker(sandbox)
        tools = ZoomToolSpec(client, read_only=True).to_tool_list()
        agent = FunctionAgent(tools=tools, llm=scripted_llm(checker.steps(), answer=answer))
        handler = agent.run(user_msg=PROMPT, max_iterations=20)
        results: list[ToolCallResult] = []
        async for event in handler.stream_events():
            if isinstance(event, ToolCallResult):
                results.append(event)
        response = await handler
        assert not any(r.tool_output.is_error for r in results)
        history = [
            Exchange.from_text(r.tool_name, dict(r.tool_kwargs), r.tool_output.content, False)
            for r in results
        ]
        checker.finish(history, str(response))
