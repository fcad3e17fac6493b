"""Odd input on every entry point: plain text, JSON text, deep nesting, huge numbers.

Each case runs through LangChain (sync and async), LlamaIndex (sync and async), ZoomTools
(run, arun and call) and the client (the typed method, for keyword arguments, and execute):
the answer must be the same everywhere, no exception but the package's own may escape, and
refused input sends nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zoom_agent_tools import ZoomClient

from .entry_points import Answer, CountingSession, EntryPoints

NAMES = [
    "langchain",
    "langchain-async",
    "llamaindex",
    "llamaindex-async",
    "ZoomTools.run",
    "ZoomTools.arun",
    "ZoomTools.call",
    "client.<method>",
    "client.execute",
]
#: The typed methods take keyword arguments: text and other values are not theirs to read.
NOT_KEYWORDS = [name for name in NAMES if name != "client.<method>"]


async def _answers(
    counted: tuple[EntryPoints, CountingSession], tool: str, raw: Any
) -> dict[str, tuple[Answer, list[str]]]:
    """Each entry point's answer to ``raw`` and the URLs it requested."""
    entry_points, session = counted
    keywords = isinstance(raw, dict) and all(isinstance(k, str) for k in raw)
    assert list(entry_points.all(raw)) == (NAMES if keywords else NOT_KEYWORDS)
    answers: dict[str, tuple[Answer, list[str]]] = {}
    for name, call in entry_points.all(raw).items():
        session.sent.clear()
        answer = await call(tool, raw)
        answers[name] = (answer, [r.url or "" for r in session.sent])
    return answers


@pytest.mark.parametrize(
    "raw", ["85746065432", " 85746065432 ", '{"meetingId": "85746065432"}', 85746065432]
)
async def test_text_input_of_a_one_parameter_tool_is_that_parameter(
    counted: tuple[EntryPoints, CountingSession], raw: Any
) -> None:
    answers = await _answers(counted, "zoom_get_meeting", raw)
    for name, (answer, urls) in answers.items():
        # The counting transport answers 404: the call was made, with the id as given.
        assert urls == ["https://api.zoom.us/v2/meetings/85746065432"], name
        assert "Could not get meeting 85746065432" in answer.text, name
        assert answer.error


async def test_text_input_of_a_tool_with_several_required_parameters_says_what_to_send(
    counted: tuple[EntryPoints, CountingSession],
) -> None:
    answers = await _answers(counted, "zoom_create_meeting", "Team sync tomorrow")
    for name, (answer, urls) in answers.items():
        assert urls == [], name
        assert answer.error, name
        assert answer.text.startswith("Invalid arguments for zoom_create_meeting: "), name
        assert "JSON object of named parameters" in answer.text, name
        assert '{"userId": ..., "topic": ...}' in answer.text, name


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ('{"meetingId": ', "is not valid JSON"),
        ('{"meetingId": "1", "meetingId": }', "is not valid JSON"),
        ("[85746065432]", "meetingId: must be"),
        (["85746065432"], "arguments must be an object of named parameters, not list"),
        (True, "arguments must be an object of named parameters, not bool"),
        ('{"meetingId": "abc"}', "meetingId: must be"),
    ],
)
async def test_text_and_other_values_that_are_not_arguments_are_refused(
    counted: tuple[EntryPoints, CountingSession], raw: Any, says: str
) -> None:
    answers = await _answers(counted, "zoom_get_meeting", raw)
    for name, (answer, urls) in answers.items():
        assert urls == [], name
        assert answer.error, name
        assert says in answer.text, (name, answer.text)


def _deep_dict(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {}
    root = node
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    return root


def _deep_list(depth: int) -> list[Any]:
    node: list[Any] = []
    root = node
    for _ in range(depth):
        node.append([])
        node = node[0]
    return root


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ({"meetingId": "85746065432", "extra": _deep_dict(5000)}, "extra.a.a.a"),
        ({"meetingId": _deep_list(5000)}, "meetingId[0][0]"),
        (
            {"userId": "me", "topic": "t", "recurrence": {"type": 1, "endTimes": _deep_dict(3000)}},
            "recurrence.endTimes.a",
        ),
    ],
    ids=["unknown-key", "list", "nested"],
)
async def test_deeply_nested_input_is_refused_everywhere(
    counted: tuple[EntryPoints, CountingSession], raw: dict[str, Any], says: str
) -> None:
    tool = "zoom_create_meeting" if "userId" in raw else "zoom_get_meeting"
    answers = await _answers(counted, tool, raw)
    for name, (answer, urls) in answers.items():
        assert urls == [], name
        assert answer.error, name
        assert says in answer.text, (name, answer.text)
        assert "nested too deeply" in answer.text, (name, answer.text)


@pytest.mark.parametrize(
    "raw",
    [
        {"userId": "me", "pageSize": 10**5000},
        {"userId": 10**5000},
        {"userId": "me", "nextPageToken": -(10**5000)},
    ],
    ids=["pageSize", "userId", "nextPageToken"],
)
async def test_numbers_too_long_to_print_are_refused_everywhere(
    counted: tuple[EntryPoints, CountingSession], raw: dict[str, Any]
) -> None:
    answers = await _answers(counted, "zoom_list_meetings", raw)
    for name, (answer, urls) in answers.items():
        assert urls == [], name
        assert answer.error, name
        assert "the number is too large" in answer.text, (name, answer.text)


def test_langchain_invoke_with_plain_text_returns_the_tools_text(
    fake_client: ZoomClient, httpserver: Any, tmp_path: Path
) -> None:
    from zoom_agent_tools.langchain import ZoomToolkit

    from .test_tools import MEETING

    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    tool = next(
        t for t in ZoomToolkit(client=fake_client).get_tools() if t.name == "zoom_get_meeting"
    )
    assert tool.invoke("85746065432").startswith('{"meeting":{"id":85746065432,')
    assert tool.run("85746065432").startswith('{"meeting":{"id":85746065432,')


def test_llamaindex_single_argument_call_reaches_the_tool(
    fake_client: ZoomClient, httpserver: Any
) -> None:
    from llama_index.core.tools.calling import call_tool

    from zoom_agent_tools.llamaindex import ZoomToolSpec

    httpserver.expect_request("/v2/meetings/85746065432/invitation").respond_with_json(
        {"invitation": "Join Zoom Meeting"}
    )
    tool = next(
        t
        for t in ZoomToolSpec(fake_client).to_tool_list()
        if t.metadata.name == "zoom_get_meeting_invitation"
    )
    # LlamaIndex passes the only argument of a one-parameter tool positionally.
    output = call_tool(tool, {"meetingId": "85746065432"})
    assert not output.is_error, output.content
    assert output.content == '{"invitation":"Join Zoom Meeting"}'
    assert tool("85746065432").content == output.content


def test_create_with_only_user_and_topic_starts_now_in_the_sandbox(
    sandbox: Any, sandbox_client: ZoomClient
) -> None:
    import json
    from datetime import datetime, timedelta

    from zoom_agent_tools.langchain import ZoomToolkit

    tool = next(
        t for t in ZoomToolkit(client=sandbox_client).get_tools() if t.name == "zoom_create_meeting"
    )
    text = tool.invoke({"userId": "me", "topic": "Right now"})
    meeting = json.loads(text)["meeting"]
    assert meeting["type"] == 2
    started = datetime.fromisoformat(meeting["start_time"].replace("Z", "+00:00"))
    assert abs(started - sandbox.clock()) < timedelta(minutes=1)
