"""``zoom-agent-tools mcp`` on stdio, driven by the SDK's own client as a desktop app would."""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import mcp.types as types
import pytest

from tests.adapters.scenario_checks import ScenarioChecker
from tests.sandboxes import NewSandbox
from zoom_agent_tools import OPERATIONS
from zoom_agent_tools.sandbox import INTELLIGENCE_UUIDS, TEAM_HOST_ID
from zoom_agent_tools.tools import ZoomTools

from .checks import check_a_delete_is_refused_without_approval
from .clients import (
    ACCEPT,
    DECLINE,
    Confirmations,
    app_directory,
    exchange,
    play,
    server_env,
    server_process,
    stdio_session,
    stop,
    text_of,
)

README = Path(__file__).parents[2] / "README.md"


@pytest.mark.served
async def test_every_tool_over_stdio_acts_on_zoom_as_declared(
    new_sandbox: NewSandbox, tmp_path: Path
) -> None:
    """Credentials from the environment (a sandbox this test serves, so it can look inside):
    the scenario's nine tools checked against the sandbox after each step, the rest after."""
    confirm = Confirmations(ACCEPT, ACCEPT, DECLINE)
    downloads = tmp_path / "downloads"
    with new_sandbox(rate_limits=False) as sandbox, sandbox.client() as zoom:
        env = server_env(sandbox, tmp_path)
        log = tmp_path / "server.log"
        async with stdio_session(env=env, log=log, elicitation_callback=confirm) as session:
            checker = ScenarioChecker(sandbox, zoom, downloads)
            history = await play(session, checker.steps())
            checker.finish(history)
            called = {e.name for e in history}

            seeded = zoom.list_meetings(user_id="me", type="scheduled").items[0]
            got = await session.call_tool("zoom_get_meeting", {"meetingId": str(seeded.id)})
            shown = exchange("zoom_get_meeting", {}, got).data["meeting"]
            assert shown["id"] == seeded.id
            assert shown["topic"] == zoom.get_meeting(meeting_id=str(seeded.id)).topic
            called.add("zoom_get_meeting")

            declined = await session.call_tool("zoom_delete_meeting", {"meetingId": seeded.id})
            assert declined.isError
            assert "refused it, so nothing was sent to Zoom" in text_of(declined)
            assert zoom.get_meeting(meeting_id=str(seeded.id)).id == seeded.id

            # Meeting intelligence: the same answers as the tool layer in this process gives,
            # and what the sandbox holds.
            tools = ZoomTools(zoom)
            standup = next(
                m["id"]
                for m in sandbox.store.list_meetings(TEAM_HOST_ID)
                if m["topic"] == "Platform team weekly standup"
            )
            last_week = INTELLIGENCE_UUIDS["standup_last_week"]
            asks = {
                "zoom_list_past_meeting_instances": {"meetingId": str(standup)},
                "zoom_get_meeting_summary": {"meetingId": last_week},
                "zoom_get_meeting_transcript": {"meetingId": last_week, "query": "decision"},
                "zoom_get_meeting_attendance": {"meetingId": last_week},
            }
            for name, args in asks.items():
                answer = exchange(name, args, await session.call_tool(name, args)).data
                assert answer == tools.run(name, args).content, name
                called.add(name)
                if name == "zoom_list_past_meeting_instances":
                    stored = sandbox.store.instances_of_meeting(int(standup))
                    assert [i["uuid"] for i in answer["instances"]] == [i["uuid"] for i in stored]
                if name == "zoom_get_meeting_attendance":
                    assert [a["name"] for a in answer["absent"]] == ["Marcus Webb"]

    assert called == {op.name for op in OPERATIONS}, "add a checked call for each new tool"
    # Asked before each delete, with the tool and its arguments; the third was declined.
    assert [m.split(" with ")[0] for m in confirm.asked] == [
        "Allow zoom_delete_recording",
        "Allow zoom_delete_meeting",
        "Allow zoom_delete_meeting",
    ]
    assert f'"meetingId":"{seeded.id}"' in confirm.asked[2]
    # The download result links each saved file.
    fetched = next(e for e in history if e.name == "zoom_get_meeting_recordings")
    assert all(Path(f["path"]).parent == downloads for f in fetched.data["files"])
    assert "start_url" not in log.read_text(encoding="utf-8")


def _readme_server() -> dict[str, Any]:
    """The Claude Desktop / Cursor configuration the README shows."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    configs = [json.loads(b) for b in blocks if '"mcpServers"' in b]
    assert configs, "the README shows no mcpServers configuration"
    server: dict[str, Any] = configs[0]["mcpServers"]["zoom"]
    return server


async def test_the_readmes_configuration_serves_the_sandbox_to_a_new_user(tmp_path: Path) -> None:
    """As Claude Desktop runs it: the console script, the README's arguments and environment,
    started in a directory of the app's (not writable), a client that cannot ask the user to
    confirm (no elicitation), and no Zoom account."""
    config = _readme_server()
    assert config["command"] == "zoom-agent-tools"
    command = shutil.which(config["command"], path=str(Path(sys.executable).parent))
    assert command is not None
    env = server_env(None, tmp_path, **config.get("env", {}))
    home = Path(env["HOME"])
    (home / "Downloads").mkdir()
    app = app_directory(tmp_path)
    log = tmp_path / "server.log"
    async with stdio_session(
        *config["args"], env=env, log=log, command=command, cwd=app
    ) as session:
        assert len((await session.list_tools()).tools) == len(OPERATIONS)
        created = await session.call_tool(
            "zoom_create_meeting", {"userId": "me", "topic": "Tried over MCP", "duration": 30}
        )
        meeting = exchange("zoom_create_meeting", {}, created).data["meeting"]
        assert "start_url" not in meeting

        await check_a_delete_is_refused_without_approval(session)

        # A message far longer than one read of the pipe arrives whole (a part would not
        # parse, and go unanswered); the error names the parameter.
        too_long = await session.call_tool(
            "zoom_update_meeting", {"meetingId": meeting["id"], "topic": "x" * 300_000}
        )
        assert too_long.isError
        assert text_of(too_long).startswith("Invalid arguments for zoom_update_meeting: topic: ")
        assert "at most 200 characters" in text_of(too_long)

        got = await session.call_tool("zoom_get_meeting", {"meetingId": meeting["id"]})
        assert exchange("zoom_get_meeting", {}, got).data["meeting"]["topic"] == "Tried over MCP"

        today = meeting["created_at"][:10]
        listed = await session.call_tool(
            "zoom_list_recordings",
            {"userId": "me", "from": _days_before(today, 27), "to": today},
        )
        recording = exchange("zoom_list_recordings", {}, listed).data["recordings"][0]
        fetched = await session.call_tool(
            "zoom_get_meeting_recordings", {"meetingId": recording["uuid"], "downloadFiles": True}
        )
        files = exchange("zoom_get_meeting_recordings", {}, fetched).data["files"]
        links = [b for b in fetched.content if isinstance(b, types.ResourceLink)]
        assert files
        assert [str(link.uri) for link in links] == [Path(f["path"]).as_uri() for f in files]
        for link, file in zip(links, files, strict=True):
            assert Path(file["path"]).parent == home / "Downloads" / "zoom-recordings"
            assert Path(file["path"]).stat().st_size == file["size"] == link.size
            assert link.mimeType == file["mime_type"]
    assert list(app.iterdir()) == []
    # The client closed stdin: the server stopped and removed the sandbox's database.
    assert not list(tmp_path.glob("zoom-sandbox-*"))
    assert (
        f"# serving {len(OPERATIONS)} Zoom tools on stdio against the embedded sandbox; "
        f"recording files are saved to {home / 'Downloads' / 'zoom-recordings'}\n"
        in log.read_text(encoding="utf-8")
    )


def _days_before(day: str, days: int) -> str:
    return (date.fromisoformat(day) - timedelta(days=days)).isoformat()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_stops_the_server_and_removes_the_sandboxs_database(tmp_path: Path) -> None:
    """As a desktop app quits: the server, still serving, ends cleanly on SIGTERM. Started in
    the app's directory, with neither --download-dir nor $ZOOM_DOWNLOAD_DIR, it saves files
    in the user's home folder (which has no Downloads folder here)."""
    env = server_env(None, tmp_path)
    with server_process("--sandbox", env=env, cwd=app_directory(tmp_path)) as process:
        assert process.stderr is not None
        assert process.stderr.readline() == (
            f"# serving {len(OPERATIONS)} Zoom tools on stdio against the embedded sandbox; "
            f"recording files are saved to {Path(env['HOME']) / 'zoom-recordings'}\n"
        )
        assert list(tmp_path.glob("zoom-sandbox-*"))
        stdout, stderr = stop(process)
    assert process.returncode == 0, stderr
    assert stdout == ""
    assert not list(tmp_path.glob("zoom-sandbox-*"))
