"""The same checks over stdio and streamable HTTP, each against a server process serving its
embedded sandbox, reached with the SDK's own client."""

from __future__ import annotations

from pathlib import Path

import pytest

from zoom_agent_tools import OPERATIONS

from .checks import (
    check_a_delete_is_refused_without_approval,
    check_invalid_calls_name_the_parameter,
    check_listing,
)
from .clients import server_env, session_over, text_of

pytestmark = pytest.mark.parametrize("transport", ["stdio", "http"])


async def test_tools_are_listed_checked_and_guarded_as_declared(
    transport: str, tmp_path: Path
) -> None:
    env = server_env(None, tmp_path)
    async with session_over(transport, "--sandbox", env=env, log=tmp_path / "log") as session:
        check_listing((await session.list_tools()).tools)
        await check_invalid_calls_name_the_parameter(session)
        await check_a_delete_is_refused_without_approval(session)


async def test_read_only_lists_no_tool_that_writes_to_zoom(transport: str, tmp_path: Path) -> None:
    """--read-only leaves out every tool that changes Zoom, and only those: a tool that saves
    files stays (annotated as not read-only)."""
    args = ("--sandbox", "--read-only", "--exclude", "zoom_list_past_participants")
    env = server_env(None, tmp_path)
    async with session_over(transport, *args, env=env, log=tmp_path / "log") as session:
        tools = (await session.list_tools()).tools
        served = [
            op for op in OPERATIONS if not op.writes and op.name != "zoom_list_past_participants"
        ]
        check_listing(tools, served)
        assert all(t.annotations and not t.annotations.destructiveHint for t in tools)
        refused = await session.call_tool("zoom_delete_meeting", {"meetingId": 85746065432})
        assert refused.isError
        assert text_of(refused).startswith("There is no tool 'zoom_delete_meeting' on this server")
