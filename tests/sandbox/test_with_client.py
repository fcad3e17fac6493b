"""The toolkit's own client against the sandbox (``Sandbox.client()``)."""

from __future__ import annotations

from zoom_agent_tools.sandbox import Sandbox


def test_client_round_trip(sandbox: Sandbox) -> None:
    client = sandbox.client()
    try:
        created = client.create_meeting(
            userId="me", topic="From the client", startTime="2026-03-20T17:00:00Z"
        )
        fetched = client.get_meeting(meetingId=str(created.id))
        assert fetched.topic == "From the client"
        listed = client.list_recordings(userId="me")
        assert listed is not None
    finally:
        client.close()
