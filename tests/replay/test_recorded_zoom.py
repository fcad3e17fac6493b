"""The client against recorded Zoom answers: deterministic, offline, no server needed."""

from __future__ import annotations

import pytest

from zoom_agent_tools import ZoomClient, ZoomNotFoundError, ZoomValidationError


def test_create_get_update_delete_meeting(client: ZoomClient) -> None:
    created = client.create_meeting(
        user_id="me",
        topic="Cassette weekly sync",
        type=8,
        start_time="2026-12-02T17:00:00Z",
        duration=30,
        timezone="Europe/Berlin",
        recurrence={"type": 2, "weekly_days": "4", "end_times": 3},
    )
    assert created.id is not None
    assert created.topic == "Cassette weekly sync"
    assert created.occurrences is not None
    assert len(created.occurrences) == 3
    client.update_meeting(meeting_id=created.id, topic="Cassette weekly sync (moved)")
    fetched = client.get_meeting(meeting_id=created.id)
    assert fetched.topic == "Cassette weekly sync (moved)"
    assert fetched.recurrence is not None
    assert fetched.recurrence.weekly_days == "4"
    invitation = client.get_meeting_invitation(meeting_id=created.id)
    assert str(created.id)[:3] in invitation
    client.delete_meeting(meeting_id=created.id)
    with pytest.raises(ZoomNotFoundError) as info:
        client.get_meeting(meeting_id=created.id)
    assert info.value.code == 3001


def test_list_meetings_pages(client: ZoomClient) -> None:
    first = client.list_meetings(user_id="me", page_size=1)
    assert len(first.items) == 1
    assert first.next_page_token
    everything = list(client.iter_meetings(user_id="me", page_size=2))
    assert len(everything) == first.total_records
    assert len({m.id for m in everything}) == len(everything)


def test_recordings_and_participants(client: ZoomClient) -> None:
    page = client.list_recordings(user_id="me", from_="2026-11-01", to="2026-11-24")
    assert page.items
    kinds = {f.file_type for r in page.items for f in r.recording_files or []}
    assert {"MP4", "TIMELINE"} <= kinds
    recording = page.items[0]
    assert recording.uuid is not None
    detail = client.get_meeting_recordings(meeting_id=recording.uuid)
    assert detail.uuid == recording.uuid
    people = list(client.iter_past_participants(meeting_id=recording.uuid, page_size=2))
    assert people
    assert all(p.duration is not None and p.duration >= 0 for p in people)


def test_trash_a_recording(client: ZoomClient) -> None:
    page = client.list_recordings(user_id="me", from_="2026-11-01", to="2026-11-24")
    target = page.items[-1]
    assert target.uuid is not None
    client.delete_recording(meeting_id=target.uuid)
    trash = client.list_recordings(user_id="me", trash=True)
    assert target.uuid in {r.uuid for r in trash.items}


def test_unknown_meeting_and_bad_input(client: ZoomClient) -> None:
    with pytest.raises(ZoomNotFoundError, match="zoom_list_meetings"):
        client.get_meeting(meeting_id="11111111111")
    with pytest.raises(ZoomValidationError):
        client.list_meetings(user_id="me", page_size=301)
