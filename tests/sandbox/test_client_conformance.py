"""Every operation and its main errors, sent by the real client, checked against Zoom's spec."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests

from tests import conformance
from zoom_agent_tools import (
    AccessTokenAuth,
    RetryPolicy,
    ZoomAPIError,
    ZoomAuthenticationError,
    ZoomBadRequestError,
    ZoomClient,
    ZoomNotFoundError,
    ZoomPermissionError,
)
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, Sandbox

TEMPLATES = [
    "/users/{userId}/meetings",
    "/meetings/{meetingId}",
    "/meetings/{meetingId}/invitation",
    "/users/{userId}/recordings",
    "/meetings/{meetingId}/recordings",
    "/meetings/{meetingId}/recordings/{recordingId}",
    "/past_meetings/{meetingId}/participants",
]


def _template_for(url: str) -> str:
    path = url.split("/v2", 1)[1].split("?", 1)[0]
    for template in TEMPLATES:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"no spec path for {path}")


class Checked:
    """Collects every API exchange a client makes, to check each one against the spec."""

    def __init__(self) -> None:
        self.responses: list[requests.Response] = []

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if "/v2/" in response.url:
            response.content  # noqa: B018 - read the body before the connection is reused
            self.responses.append(response)

    def verify(self) -> list[tuple[str, str, int]]:
        seen = []
        for response in self.responses:
            template = _template_for(response.url)
            conformance.check(response, template)
            seen.append((str(response.request.method), template, response.status_code))
        return seen


@pytest.fixture
def checked() -> Checked:
    return Checked()


@pytest.fixture
def client(sandbox: Sandbox, checked: Checked) -> Iterator[ZoomClient]:
    session = requests.Session()
    session.hooks["response"].append(checked.hook)
    with sandbox.client(session=session, retry=RetryPolicy(max_retries=0)) as zoom:
        yield zoom


def _raises(kind: type[ZoomAPIError], call: Callable[[], object]) -> ZoomAPIError:
    with pytest.raises(kind) as info:
        call()
    return info.value


def test_every_operation_and_its_errors_conform(
    sandbox: Sandbox, client: ZoomClient, checked: Checked
) -> None:
    start = (sandbox.clock() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    meeting = client.create_meeting(
        user_id="me",
        topic="Conformance",
        type=8,
        start_time=start,
        duration=30,
        timezone="America/Los_Angeles",
        password="ab@12",
        agenda="Spec check",
        host_video=True,
        waiting_room=True,
        auto_recording="cloud",
        recurrence={"type": 2, "weekly_days": "2,4", "end_times": 4},
    )
    assert meeting.id is not None
    assert meeting.occurrences is not None
    client.create_meeting(user_id=sandbox.user_email, topic="Instant", type=1)
    client.create_meeting(
        user_id="me",
        topic="Monthly",
        type=8,
        start_time=start,
        recurrence={"type": 3, "monthly_week": -1, "monthly_week_day": 6, "end_times": 2},
    )
    for kind in ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings"):
        client.list_meetings(user_id="me", type=kind, page_size=5)
    assert len(list(client.iter_meetings(user_id="me", page_size=2))) >= 3
    client.get_meeting(meeting_id=meeting.id, show_previous_occurrences=True)
    occurrence = meeting.occurrences[1].occurrence_id
    client.get_meeting(meeting_id=meeting.id, occurrence_id=occurrence)
    client.update_meeting(meeting_id=meeting.id, topic="Conformance 2", mute_upon_entry=True)
    client.update_meeting(meeting_id=meeting.id, occurrence_id=occurrence, duration=45)
    client.get_meeting_invitation(meeting_id=meeting.id)
    client.delete_meeting(meeting_id=meeting.id, occurrence_id=occurrence)

    recordings = client.list_recordings(
        user_id="me",
        from_=(sandbox.clock() - timedelta(days=28)).strftime("%Y-%m-%d"),
        to=sandbox.clock().strftime("%Y-%m-%d"),
    )
    assert recordings.items
    client.list_recordings(user_id="me")
    client.list_recordings(user_id="me", trash=True)
    for uuid in SPECIAL_UUIDS.values():
        detail = client.get_meeting_recordings(meeting_id=uuid, ttl=300)
        assert detail.uuid == uuid
        client.list_past_participants(meeting_id=uuid, page_size=2)
    target = recordings.items[0]
    assert target.uuid is not None
    files = [f for f in target.recording_files or [] if f.id]
    client.delete_recording(meeting_id=target.uuid, recording_id=files[0].id, action="trash")
    client.delete_recording(meeting_id=target.uuid, action="delete")

    # Main errors: unknown meeting, user, recording, occurrence; expired page token.
    assert (
        _raises(ZoomNotFoundError, lambda: client.get_meeting(meeting_id="11111111111")).code
        == 3001
    )
    assert (
        _raises(ZoomNotFoundError, lambda: client.list_meetings(user_id="ghost@example.com")).code
        == 1001
    )
    assert _raises(
        ZoomNotFoundError, lambda: client.get_meeting_recordings(meeting_id="11111111111")
    ).code in (3301, 3001)
    assert (
        _raises(
            ZoomBadRequestError,
            lambda: client.delete_meeting(meeting_id=meeting.id, occurrence_id="1"),
        ).code
        == 300
    )
    page = client.list_past_participants(meeting_id=SPECIAL_UUIDS["leading_slash"], page_size=1)
    assert page.next_page_token
    sandbox.clock.advance(minutes=16)  # type: ignore[attr-defined]
    assert (
        _raises(
            ZoomBadRequestError,
            lambda: client.list_past_participants(
                meeting_id=SPECIAL_UUIDS["leading_slash"],
                page_size=1,
                next_page_token=page.next_page_token,
            ),
        ).code
        == 300
    )
    client.delete_meeting(meeting_id=meeting.id)

    seen = checked.verify()
    covered = {(method, template) for method, template, _ in seen}
    assert covered == {
        ("POST", "/users/{userId}/meetings"),
        ("GET", "/users/{userId}/meetings"),
        ("GET", "/meetings/{meetingId}"),
        ("PATCH", "/meetings/{meetingId}"),
        ("DELETE", "/meetings/{meetingId}"),
        ("GET", "/meetings/{meetingId}/invitation"),
        ("GET", "/users/{userId}/recordings"),
        ("GET", "/meetings/{meetingId}/recordings"),
        ("DELETE", "/meetings/{meetingId}/recordings"),
        ("DELETE", "/meetings/{meetingId}/recordings/{recordingId}"),
        ("GET", "/past_meetings/{meetingId}/participants"),
    }
    assert {status for _, _, status in seen} >= {200, 201, 204, 400, 404}


def test_auth_and_scope_errors_conform(sandbox: Sandbox, checked: Checked) -> None:
    session = requests.Session()
    session.hooks["response"].append(checked.hook)
    limited = sandbox.issue_token(scopes=["meeting:read:meeting"])
    with ZoomClient(
        AccessTokenAuth(limited), base_url=sandbox.api_base_url, session=session
    ) as zoom:
        error = _raises(ZoomPermissionError, lambda: zoom.list_recordings(user_id="me"))
        assert error.code == 4700
        assert error.missing_scopes
    revoked = sandbox.issue_token()
    sandbox.revoke_token(revoked)
    with ZoomClient(
        AccessTokenAuth(revoked), base_url=sandbox.api_base_url, session=session
    ) as zoom:
        error = _raises(ZoomAuthenticationError, lambda: zoom.get_meeting(meeting_id="11111111111"))
        assert error.code == 124
    assert {status for _, _, status in checked.verify()} == {400, 401}
