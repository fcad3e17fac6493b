"""What every transport must show a client: the tools as declared, invalid calls and unapproved
deletes answered as tool errors. Each check takes what an SDK ``ClientSession`` returns."""

from __future__ import annotations

from collections.abc import Sequence

import mcp.types as types
from mcp import ClientSession

from zoom_agent_tools import OPERATIONS
from zoom_agent_tools.operations import AnyOperation

from .clients import exchange, text_of


def check_listing(tools: list[types.Tool], operations: Sequence[AnyOperation] = OPERATIONS) -> None:
    """Names, descriptions, schemas and annotations of ``operations``, as declared."""
    assert [t.name for t in tools] == [op.name for op in operations]
    for tool, op in zip(tools, operations, strict=True):
        assert tool.description == op.description
        assert tool.inputSchema == op.args_model.model_json_schema(by_alias=True)
        assert tool.title == op.title
        hints = tool.annotations
        assert hints is not None
        assert hints.title == op.title
        # Read-only is "does not modify its environment": neither Zoom nor this machine's
        # disk (a tool that can save files is not read-only).
        assert hints.readOnlyHint is not (op.writes or op.saves_files)
        # Only a create (POST) purely adds; updates overwrite and deletes destroy. Saving
        # files destroys nothing: a file already there is kept.
        adds_only = all(e.method == "POST" for e in op.endpoints)
        assert hints.destructiveHint is (op.writes and not adds_only)
        assert hints.idempotentHint is (not any(e.method == "POST" for e in op.endpoints))
        assert hints.openWorldHint is True
    by_name = {t.name: t.annotations for t in tools}
    saving = [op for op in operations if op.saves_files and not op.writes]
    assert saving, "no tool here saves files: the rule above is not exercised"
    for op in saving:
        assert by_name[op.name] == types.ToolAnnotations(
            title=op.title,
            readOnlyHint=False,
            destructiveHint=False,
            idempotentHint=True,
            openWorldHint=True,
        )
    expected = {
        "zoom_create_meeting": (False, False, False),
        "zoom_update_meeting": (False, True, True),
        "zoom_delete_meeting": (False, True, True),
    }
    for name, (read_only, destructive, idempotent) in expected.items():
        if name in by_name:
            hints = by_name[name]
            assert hints is not None
            assert (hints.readOnlyHint, hints.destructiveHint, hints.idempotentHint) == (
                read_only,
                destructive,
                idempotent,
            ), name


async def check_invalid_calls_name_the_parameter(session: ClientSession) -> None:
    """Calls the tool layer refuses come back as tool errors naming the parameter."""
    for name, arguments, says in (
        ("zoom_get_meeting", {"meetingId": "not-a-number"}, "meetingId"),
        ("zoom_list_meetings", {"userId": "me", "pageSize": 500}, "pageSize"),
    ):
        result = await session.call_tool(name, arguments)
        assert result.isError, name
        assert result.structuredContent is None
        assert text_of(result).startswith(f"Invalid arguments for {name}: {says}: ")


async def check_a_delete_is_refused_without_approval(session: ClientSession) -> None:
    """A client that cannot ask the user (no elicitation), a server without
    --allow-destructive: the delete is a tool error saying why, and nothing is deleted."""
    arguments = {"userId": "me", "topic": "Not to be deleted", "duration": 30}
    created = await session.call_tool("zoom_create_meeting", arguments)
    meeting = exchange("zoom_create_meeting", arguments, created).data["meeting"]
    refused = await session.call_tool("zoom_delete_meeting", {"meetingId": meeting["id"]})
    assert refused.isError
    assert text_of(refused).startswith(
        "zoom_delete_meeting was not run: it deletes data, and this MCP client cannot ask "
        "the user to confirm (it does not support elicitation), so nothing was sent to Zoom."
    )
    assert "--allow-destructive" in text_of(refused)
    got = await session.call_tool("zoom_get_meeting", {"meetingId": str(meeting["id"])})
    kept = exchange("zoom_get_meeting", {}, got).data["meeting"]
    assert kept["topic"] == "Not to be deleted"
