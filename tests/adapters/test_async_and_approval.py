"""Async tool calls leave the event loop free; approval lets a destructive call run only on True."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from zoom_agent_tools import ZoomClient
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.sandbox import Sandbox

SLOW = 0.5  # seconds the sandbox holds the answer


async def _ticks_while(call: Awaitable[Any]) -> tuple[int, Any]:
    """Count 10 ms ticks of another coroutine while ``call`` is awaited."""
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        result = await call
    finally:
        done.set()
        await task
    return ticks, result


def _slow_meeting(sandbox: Sandbox, client: ZoomClient) -> str:
    meeting_id = str(client.list_meetings(user_id="me").items[0].id)
    sandbox.faults.inject(operation="meeting", delay=SLOW, times=None)
    return meeting_id


async def test_langchain_ainvoke_never_blocks_the_loop(
    sandbox: Sandbox, sandbox_client: ZoomClient
) -> None:
    meeting_id = _slow_meeting(sandbox, sandbox_client)
    tool = {t.name: t for t in ZoomToolkit(client=sandbox_client).get_tools()}["zoom_get_meeting"]
    ticks, text = await _ticks_while(tool.ainvoke({"meetingId": meeting_id}))
    assert meeting_id in text
    # A blocked loop would tick once at most; 50 ticks fit in the delay.
    assert ticks >= 10


async def test_llamaindex_acall_never_blocks_the_loop(
    sandbox: Sandbox, sandbox_client: ZoomClient
) -> None:
    meeting_id = _slow_meeting(sandbox, sandbox_client)
    tool = {t.metadata.name: t for t in ZoomToolSpec(client=sandbox_client).to_tool_list()}[
        "zoom_get_meeting"
    ]
    ticks, output = await _ticks_while(tool.acall(meetingId=meeting_id))
    assert not output.is_error
    assert ticks >= 10


async def _deny_async(name: str, arguments: dict[str, Any]) -> bool:
    await asyncio.sleep(0)
    return False


async def _allow_async(name: str, arguments: dict[str, Any]) -> bool:
    return True


@pytest.mark.parametrize(
    ("approve", "deleted"),
    [
        (_deny_async, False),
        (_allow_async, True),
        (lambda name, arguments: "no", False),  # anything but True refuses
        (lambda name, arguments: 1, False),
        (lambda name, arguments: True, True),
    ],
)
async def test_async_delete_runs_only_when_approval_says_true(
    sandbox: Sandbox,
    sandbox_client: ZoomClient,
    approve: Callable[[str, dict[str, Any]], Any],
    deleted: bool,
) -> None:
    meeting = sandbox_client.create_meeting(user_id="me", topic="Doomed", type=1)
    tools = ZoomToolkit(client=sandbox_client, approve=approve).get_tools()
    tool = {t.name: t for t in tools}["zoom_delete_meeting"]
    message = await tool.ainvoke(
        {"name": tool.name, "args": {"meetingId": str(meeting.id)}, "id": "c1", "type": "tool_call"}
    )
    assert (sandbox.store.get_meeting(meeting.id) is None) is deleted
    if not deleted:
        assert message.status == "error"
        assert "approval check refused it" in message.content


async def test_llamaindex_async_approval_is_awaited(
    sandbox: Sandbox, sandbox_client: ZoomClient
) -> None:
    meeting = sandbox_client.create_meeting(user_id="me", topic="Kept", type=1)
    tools = ZoomToolSpec(client=sandbox_client, approve=_deny_async).to_tool_list()
    tool = {t.metadata.name: t for t in tools}["zoom_delete_meeting"]
    output = await tool.acall(meetingId=str(meeting.id))
    assert output.is_error
    assert sandbox.store.get_meeting(meeting.id) is not None


def test_async_approval_in_a_sync_call_is_a_programming_error(
    sandbox: Sandbox, sandbox_client: ZoomClient
) -> None:
    meeting = sandbox_client.create_meeting(user_id="me", topic="Kept", type=1)
    tools = ZoomToolkit(client=sandbox_client, approve=_deny_async).get_tools()
    tool = {t.name: t for t in tools}["zoom_delete_meeting"]
    with pytest.raises(TypeError, match="approve callback is async"):
        tool.invoke({"meetingId": str(meeting.id)})
    assert sandbox.store.get_meeting(meeting.id) is not None
