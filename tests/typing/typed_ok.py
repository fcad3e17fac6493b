"""Calls the client's typed methods as a program would; mypy must accept every line."""

from __future__ import annotations

from collections.abc import Iterator

from zoom_agent_tools import ZoomClient
from zoom_agent_tools.arguments import CreateMeetingArgs, RecurrenceArgs
from zoom_agent_tools.models import (
    AISummary,
    Attendance,
    Meeting,
    MeetingPage,
    MeetingSummary,
    PastInstances,
    Recording,
    Transcript,
    Turn,
)
from zoom_agent_tools.operations import create_meeting


def calls(client: ZoomClient) -> None:
    meeting: Meeting = client.create_meeting(user_id="me", topic="Sync")
    weekly = RecurrenceArgs(type=2, weekly_days="2,4", end_times=4)
    client.create_meeting(
        user_id="me", topic="Sync", type=8, start_time="2026-12-01T17:00:00Z", recurrence=weekly
    )
    page: MeetingPage = client.list_meetings(user_id="me", type="upcoming", page_size=30)
    every: Iterator[MeetingSummary] = client.iter_meetings(user_id="me")
    recordings: Iterator[Recording] = client.iter_recordings(
        user_id="me", from_="2026-11-01", to="2026-11-30"
    )
    client.update_meeting(meeting_id="85746065432", topic="Renamed")
    client.delete_recording(meeting_id="85746065432", action="trash")
    invitation: str = client.get_meeting_invitation(meeting_id="85746065432")
    created: Meeting = client.execute(create_meeting, CreateMeetingArgs(user_id="me", topic="t"))
    print(meeting, page, every, recordings, invitation, created)


def intelligence(client: ZoomClient) -> None:
    instances: PastInstances = client.list_past_meeting_instances(meeting_id="85746065432")
    transcript: Transcript = client.get_meeting_transcript(
        meeting_id="85746065432", occurrence="previous", query="rollback", max_chars=5000
    )
    text: str = transcript.to_text()
    turns: Iterator[Turn] = client.iter_transcript(meeting_id=instances.items[0].uuid)
    summary: AISummary = client.get_meeting_summary(meeting_id="85746065432", occurrence="2")
    attendance: Attendance = client.meeting_attendance(
        meeting_id="85746065432", compare_instances=2
    )
    print(text, turns, summary.to_text(), attendance.to_dataframe())
