"""Checks of the sandbox's state after each step of the demo scenario, for the agent-loop tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from zoom_agent_tools import ZoomClient, ZoomNotFoundError
from zoom_agent_tools._demo import SCENARIO, TEAM_HOST_EMAIL
from zoom_agent_tools.sandbox import Sandbox
from zoom_agent_tools.scripted import Exchange, Step

RENAMED = "Weekly design sync (renamed)"


class ScenarioChecker:
    """Wraps the scenario's steps so that, before each step, the previous one is checked.

    The checks ask the sandbox itself (a separate client, or its store), not the agent's view.
    """

    def __init__(self, sandbox: Sandbox, client: ZoomClient, download_dir: Path) -> None:
        self.sandbox = sandbox
        self.client = client
        self.download_dir = download_dir
        self.checked: list[str] = []
        self._checks: list[Callable[[Exchange, Sequence[Exchange]], None]] = [
            self._created,
            self._refused_page_size,
            self._listed,
            self._invitation,
            self._renamed,
            self._recordings_listed,
            self._downloaded,
            self._participants,
            self._team_listed,
            self._instances,
            self._summary,
            self._decisions,
            self._attendance,
            self._trashed,
            self._deleted,
        ]
        assert len(self._checks) == len(SCENARIO)

    def steps(self) -> tuple[Step, ...]:
        return tuple(self._wrap(i, step) for i, step in enumerate(SCENARIO))

    def _wrap(self, index: int, step: Step) -> Step:
        def checked_step(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
            if index > 0:
                self.check(index - 1, history)
            return step(history)

        return checked_step

    def check(self, index: int, history: Sequence[Exchange]) -> None:
        exchange = history[index]
        if index != 1:
            assert not exchange.is_error, f"{exchange.name} failed: {exchange.text}"
        self._checks[index](exchange, history)
        self.checked.append(exchange.name)

    def finish(self, history: Sequence[Exchange]) -> None:
        assert len(history) == len(SCENARIO)
        self.check(len(SCENARIO) - 1, history)
        assert self.checked == [e.name for e in history]

    # -- one check per step --------------------------------------------------------------

    def _meeting_id(self, history: Sequence[Exchange]) -> int:
        return int(history[0].data["meeting"]["id"])

    def _created(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        shown = exchange.data["meeting"]
        assert "start_url" not in shown
        meeting = self.client.get_meeting(meeting_id=str(shown["id"]))
        assert meeting.topic == "Weekly design sync"
        assert meeting.type == 8
        assert meeting.recurrence is not None
        assert meeting.recurrence.weekly_days == "3"
        assert meeting.settings is not None
        assert meeting.settings.waiting_room is True
        assert len(meeting.occurrences or []) == 8

    def _refused_page_size(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        assert exchange.is_error
        assert exchange.text.startswith("Invalid arguments for zoom_list_meetings: pageSize")
        assert "300" in exchange.text

    def _listed(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        assert exchange.arguments["pageSize"] == 300
        listed = [m["id"] for m in exchange.data["meetings"]]
        assert self._meeting_id(history) in listed
        page = self.client.list_meetings(user_id="me", type="scheduled", page_size=300)
        assert listed == [m.id for m in page.items]

    def _invitation(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        text = exchange.data["invitation"]
        expected = self.client.get_meeting_invitation(meeting_id=str(self._meeting_id(history)))
        assert text == expected
        assert "Weekly design sync" in text

    def _renamed(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        assert exchange.data == {"success": True}
        meeting = self.client.get_meeting(meeting_id=str(self._meeting_id(history)))
        assert meeting.topic == RENAMED

    def _recordings_listed(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        args = exchange.arguments
        page = self.client.list_recordings(user_id="me", from_=args["from"], to=args["to"])
        listed = [r["uuid"] for r in exchange.data["recordings"]]
        assert listed
        assert listed == [r.uuid for r in page.items]

    def _downloaded(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        files = exchange.data["files"]
        recording = self.client.get_meeting_recordings(meeting_id=exchange.arguments["meetingId"])
        listed = recording.recording_files or []
        # Files Zoom is still processing are skipped, and the model is told which.
        busy = [f for f in listed if f.status == "processing" or f.file_size == 0]
        ready = [f for f in listed if f.download_url and f not in busy]
        assert busy, "the scenario should meet the seeded file still processing"
        assert len(files) == len(ready) > 0
        skipped = exchange.data.get("skippedFiles", [])
        assert [f["recording_id"] for f in skipped] == [f.id for f in busy]
        assert all("try again later" in f["reason"] for f in skipped)
        for file in files:
            path = Path(file["path"])
            assert path.parent == self.download_dir
            assert path.stat().st_size == file["size"]

    def _participants(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        page = self.client.list_past_participants(
            meeting_id=exchange.arguments["meetingId"], page_size=100
        )
        names = [p["name"] for p in exchange.data["participants"]]
        assert names
        assert names == [p.name for p in page.items]

    def _team_listed(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        assert exchange.arguments["userId"] == TEAM_HOST_EMAIL
        page = self.client.list_meetings(user_id=TEAM_HOST_EMAIL, type="scheduled", page_size=300)
        assert [m["id"] for m in exchange.data["meetings"]] == [m.id for m in page.items]

    def _last_week_uuid(self, history: Sequence[Exchange]) -> str:
        """The instance before the latest, from the sandbox's own records of the standup."""
        standup = int(history[9].arguments["meetingId"])
        return str(self.sandbox.store.instances_of_meeting(standup)[1]["uuid"])

    def _instances(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        standup = exchange.arguments["meetingId"]
        listed = [i["uuid"] for i in exchange.data["instances"]]
        assert len(listed) == 7
        assert listed[1] == self._last_week_uuid(history)
        page = self.client.list_past_meeting_instances(meeting_id=standup)
        assert listed == [i.uuid for i in page.items]

    def _summary(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        uuid = self._last_week_uuid(history)
        assert exchange.data["instance"]["uuid"] == uuid
        summary = self.client.get_meeting_summary(meeting_id=uuid)
        assert exchange.data["title"] == summary.summary_title
        assert summary.summary_title

    def _decisions(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        assert exchange.data["instance"]["uuid"] == self._last_week_uuid(history)
        matching = [t["text"] for t in exchange.data["turns"] if t.get("match")]
        assert matching
        assert all("decision" in text.lower() for text in matching)

    def _attendance(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        uuid = self._last_week_uuid(history)
        assert exchange.data["instance"]["uuid"] == uuid
        known = self.client.meeting_attendance(meeting_id=uuid)
        assert [a["name"] for a in exchange.data["attendees"]] == [a.name for a in known.attendees]
        absent = [a["name"] for a in exchange.data["absent"]]
        assert absent == [a.name for a in known.absent or []]
        assert absent

    def _trashed(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        uuid, file_id = exchange.arguments["meetingId"], exchange.arguments["recordingId"]
        assert exchange.arguments["action"] == "trash"
        recording = self.client.get_meeting_recordings(meeting_id=uuid)
        assert file_id not in [f.id for f in recording.recording_files or []]
        # The tool lists whole trashed meetings only (no trash_type): ask the store.
        stored = self.sandbox.store.get_recording(uuid)
        assert stored is not None
        trashed = [f["id"] for f in stored["files"] if f.get("trashed_at")]
        assert trashed == [file_id]

    def _deleted(self, exchange: Exchange, history: Sequence[Exchange]) -> None:
        assert exchange.data == {"success": True}
        with pytest.raises(ZoomNotFoundError):
            self.client.get_meeting(meeting_id=str(self._meeting_id(history)))
