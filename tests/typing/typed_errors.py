"""Mistakes the client's typed methods catch before anything runs: mypy must report an error
on every line whose comment says "error:" and words of mypy's message, and on no other line."""

from __future__ import annotations

from zoom_agent_tools import ZoomClient
from zoom_agent_tools.models import Meeting


def mistakes(client: ZoomClient) -> None:
    client.create_meeting(user_id="me", topik="Sync")  # error: Unexpected keyword argument "topik"
    client.create_meeting(user_id="me")  # error: Missing named argument "topic"
    client.create_meeting(user_id="me", topic=42)  # error: has incompatible type "int"
    client.get_meeting("85746065432")  # error: Too many positional arguments
    client.list_meetings(user_id="me", type="everything")  # error: incompatible type
    client.delete_recording(meeting_id="1", action="shred")  # error: incompatible type
    meeting: Meeting = client.list_meetings(user_id="me")  # error: Incompatible types
    client.iter_meetings(user_id="me", page_size="30")  # error: incompatible type "str"
    print(meeting)
