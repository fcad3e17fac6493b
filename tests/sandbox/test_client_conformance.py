"""Every operation and its main errors, sent by the real client, checked against Zoom's spec."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests

from tests import conformance
from tests.sandbox.conftest import NOW
from tests.sandboxes import NewSandbox
from zoom_agent_tools import (
    AccessTokenAuth,
    RetryPolicy,
    ZoomAPIError,
    ZoomAuthenticationError,
    ZoomBadRequestError,
    ZoomClient,
    ZoomNotFoundError,
    ZoomPermissionError,
    ZoomRateLimitError,
    ZoomUnavailableError,
)
from zoom_agent_tools.sandbox import INTELLIGENCE_UUIDS as UUIDS
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, TEAM_HOST_ID, Sandbox
from zoom_agent_tools.sandbox.limits import PLANS

TEMPLATES = [
    "/users/{userId}/meetings",
    "/meetings/{meetingId}",
    "/meetings/{meetingId}/invitation",
    "/users/{userId}/recordings",
    "/meetings/{meetingId}/recordings",
    "/meetings/{meetingId}/recordings/{recordingId}",
    "/past_meetings/{meetingId}/participants",
    "/past_meetings/{meetingId}/instances",
    "/past_meetings/{meetingId}",
    "/meetings/{meetingId}/meeting_summary",
    "/meetings/{meetingId}/transcript",
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


def _documented_code(method: str, template: str, status: int, code: int) -> bool:
    """Whether Zoom's spec lists error ``code`` under ``status`` for this operation."""
    responses = conformance.raw_spec()["paths"][template][method.lower()]["responses"]
    description = str(responses.get(str(status), {}).get("description", ""))
    return f"**Error Code:** `{code}`" in description


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
    # Zoom answers a meeting without cloud recordings with 404, code 3301 "There is no
    # recording for this meeting".
    assert (
        _raises(
            ZoomNotFoundError, lambda: client.get_meeting_recordings(meeting_id="11111111111")
        ).code
        == 3301
    )
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


@pytest.mark.served
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


def test_not_found_errors_of_each_operation_conform(
    sandbox: Sandbox, client: ZoomClient, checked: Checked
) -> None:
    unknown_meeting = "11111111111"
    unknown_uuid = "Zm9yZ290dGVuIG1lZXRp=="
    recording = client.get_meeting_recordings(meeting_id=SPECIAL_UUIDS["plus_and_slash"])
    assert recording.uuid is not None
    expected = [
        (lambda: client.create_meeting(user_id="ghost@example.com", topic="x", type=1), 1001),
        (lambda: client.update_meeting(meeting_id=unknown_meeting, topic="x"), 3001),
        (lambda: client.get_meeting_invitation(meeting_id=unknown_meeting), 3001),
        (lambda: client.delete_recording(meeting_id=unknown_meeting), 3301),
        (lambda: client.delete_recording(meeting_id=unknown_uuid), 3301),
        (
            lambda: client.delete_recording(meeting_id=unknown_uuid, recording_id="no-such-file"),
            3301,
        ),
        # A recording that exists, but no file of it has this id.
        (
            lambda: client.delete_recording(
                meeting_id=str(recording.uuid), recording_id="no-such-file"
            ),
            3301,
        ),
        (lambda: client.list_past_participants(meeting_id=unknown_meeting), 3001),
        (lambda: client.list_past_participants(meeting_id=unknown_uuid), 3001),
        (lambda: client.list_recordings(user_id="ghost@example.com"), 1001),
        (lambda: client.get_meeting_recordings(meeting_id=unknown_uuid), 3301),
    ]
    for call, code in expected:
        assert _raises(ZoomNotFoundError, call).code == code
    # Nothing was deleted by the refused delete of an unknown file.
    after = client.get_meeting_recordings(meeting_id=SPECIAL_UUIDS["plus_and_slash"])
    assert len(after.recording_files or []) == len(recording.recording_files or [])

    errors = [r for r in checked.responses if r.status_code >= 400]
    seen = checked.verify()
    assert [(method, template) for method, template, status in seen if status == 404] == [
        ("POST", "/users/{userId}/meetings"),
        ("GET", "/meetings/{meetingId}"),  # the update's host, looked up first
        ("PATCH", "/meetings/{meetingId}"),
        ("GET", "/meetings/{meetingId}/invitation"),
        ("DELETE", "/meetings/{meetingId}/recordings"),
        ("DELETE", "/meetings/{meetingId}/recordings"),
        ("DELETE", "/meetings/{meetingId}/recordings/{recordingId}"),
        ("DELETE", "/meetings/{meetingId}/recordings/{recordingId}"),
        ("GET", "/past_meetings/{meetingId}/participants"),
        ("GET", "/past_meetings/{meetingId}/participants"),
        ("GET", "/users/{userId}/recordings"),
        ("GET", "/meetings/{meetingId}/recordings"),
    ]
    codes = [code for _, code in expected]
    codes.insert(1, 3001)  # the update's host lookup found no meeting either
    for response, code in zip(errors, codes, strict=True):
        method = str(response.request.method)
        template = _template_for(response.url)
        assert response.json()["code"] == code
        assert _documented_code(method, template, 404, code), (method, template, code)


def _checked_client(sandbox: Sandbox, checked: Checked) -> ZoomClient:
    session = requests.Session()
    session.hooks["response"].append(checked.hook)
    return sandbox.client(session=session, retry=RetryPolicy(max_retries=0))


# The single-request operations by Zoom's rate category (its rate-limit page); Free allows 4
# Light and 2 Medium requests a second, Pro 30 and 20.
LIGHT_CALLS: list[tuple[str, Callable[[ZoomClient, int], object]]] = [
    ("get_meeting", lambda c, m: c.get_meeting(meeting_id=str(m))),
    ("get_meeting_invitation", lambda c, m: c.get_meeting_invitation(meeting_id=str(m))),
    ("update_meeting", lambda c, m: c.update_meeting(meeting_id=str(m), agenda="x")),
    ("create_meeting", lambda c, m: c.create_meeting(user_id="me", topic="x", type=1)),
    (
        "get_meeting_recordings",
        lambda c, m: c.get_meeting_recordings(meeting_id=SPECIAL_UUIDS["plus_and_slash"]),
    ),
]
MEDIUM_CALLS: list[tuple[str, Callable[[ZoomClient, int], object]]] = [
    ("list_meetings", lambda c, m: c.list_meetings(user_id="me")),
    ("list_recordings", lambda c, m: c.list_recordings(user_id="me")),
    ("list_past_meeting_instances", lambda c, m: c.list_past_meeting_instances(meeting_id=m)),
]
#: Past participants are for paid accounts only: their Medium limit is Pro's.
PAID_MEDIUM_CALLS: list[tuple[str, Callable[[ZoomClient, int], object]]] = [
    (
        "list_past_participants",
        lambda c, m: c.list_past_participants(meeting_id=SPECIAL_UUIDS["plus_and_slash"]),
    ),
]


@pytest.mark.parametrize(
    ("category", "plan", "limit", "name", "call"),
    [("Light", "free", 4, name, call) for name, call in LIGHT_CALLS]
    + [("Medium", "free", 2, name, call) for name, call in MEDIUM_CALLS]
    + [("Medium", "pro", 20, name, call) for name, call in PAID_MEDIUM_CALLS],
    ids=lambda value: value if isinstance(value, str) and value not in PLANS else None,
)
def test_rate_limit_of_each_category_surfaces_through_the_client(
    category: str,
    plan: str,
    limit: int,
    name: str,
    call: Callable[[ZoomClient, int], object],
    checked: Checked,
    new_sandbox: NewSandbox,
) -> None:
    tick = [0.0]
    with new_sandbox(now=NOW, plan=plan, rate_ticker=lambda: tick[0]) as sb:
        meeting_id = sb.store.list_meetings(sb.user_id)[0]["id"]
        with _checked_client(sb, checked) as zoom:
            # In the second before: the client learns the host an update counts against.
            zoom.get_meeting(meeting_id=str(meeting_id))
            tick[0] += 1
            for _ in range(limit):
                call(zoom, meeting_id)
            error = _raises(ZoomRateLimitError, lambda: call(zoom, meeting_id))
    assert isinstance(error, ZoomRateLimitError)
    assert error.status == 429
    assert error.code == 429
    assert error.category == category
    assert error.limit_type == "QPS"
    seen = checked.verify()[1:]
    statuses = [status for _, _, status in seen]
    assert len(statuses) == limit + 1
    assert all(200 <= status < 300 for status in statuses[:-1]), statuses
    assert statuses[-1] == 429
    last = checked.responses[-1]
    assert last.headers["X-RateLimit-Category"] == category
    assert last.headers["X-RateLimit-Limit"] == str(limit)


def _standup_id(sandbox: Sandbox) -> str:
    return next(
        str(m["id"])
        for m in sandbox.store.list_meetings(TEAM_HOST_ID)
        if m["topic"] == "Platform team weekly standup"
    )


def test_meeting_intelligence_exchanges_conform(
    sandbox: Sandbox, client: ZoomClient, checked: Checked
) -> None:
    standup = _standup_id(sandbox)
    live = next(
        str(m["id"])
        for m in sandbox.store.list_meetings(TEAM_HOST_ID)
        if m["topic"] == "Incident bridge (live now)"
    )
    assert len(client.list_past_meeting_instances(meeting_id=standup).items) == 7
    assert client.list_past_meeting_instances(meeting_id=live).items == []
    assert (
        _raises(
            ZoomNotFoundError, lambda: client.list_past_meeting_instances(meeting_id="11111111111")
        ).code
        == 3001
    )
    # Every transcript source and state, and every summary state.
    transcripts = {
        "standup_last_week": "ready",
        "standup_today": "processing",
        "standup_4_weeks_ago": "not_recorded",
        "standup_5_weeks_ago": "ready",
        "vendor_sync": "transcript_off",
        "standup_6_weeks_ago": "transcript_unavailable",
        "design_critique_silent": "transcript_unavailable",
    }
    summaries = {
        "standup_last_week": "ready",
        "standup_today": "summary_not_ready",
        "vendor_sync": "summary_off",
        "standup_6_weeks_ago": "summary_unavailable",
        "contract_review_e2ee": "no_summary",
    }
    for calls, expected in (
        (client.get_meeting_transcript, transcripts),
        (client.get_meeting_summary, summaries),
    ):
        for key, state in expected.items():
            try:
                calls(meeting_id=UUIDS[key])
                met = "ready"
            except ZoomUnavailableError as unavailable:
                met = unavailable.state
            assert met == state, key
    client.get_meeting_transcript(meeting_id=standup, occurrence="previous", query="decision")
    attendance = client.meeting_attendance(meeting_id=UUIDS["standup_last_week"])
    assert [a.name for a in attendance.absent or []] == ["Marcus Webb"]
    ghost = "Zm9yZ290dGVuIG1lZXRp=="
    assert _raises(ZoomNotFoundError, lambda: client.get_meeting_summary(meeting_id=ghost)).code
    assert _raises(ZoomNotFoundError, lambda: client.meeting_attendance(meeting_id=ghost)).code

    seen = checked.verify()
    intelligence = {
        ("GET", "/past_meetings/{meetingId}/instances"),
        ("GET", "/past_meetings/{meetingId}"),
        ("GET", "/past_meetings/{meetingId}/participants"),
        ("GET", "/meetings/{meetingId}/meeting_summary"),
        ("GET", "/meetings/{meetingId}/transcript"),
        ("GET", "/meetings/{meetingId}/recordings"),
    }
    assert {(method, template) for method, template, _ in seen} == intelligence
    assert {status for _, _, status in seen} == {200, 400, 403, 404}
    # Each error is one Zoom's spec documents for the operation, but Get a meeting summary's
    # "summary disabled" (3000), which the spec documents for its sibling, List meeting
    # summaries (not in the trimmed copy; see sandbox/summaries.py).
    undocumented = set()
    for response in checked.responses:
        if response.status_code < 400:
            continue
        method, template = str(response.request.method), _template_for(response.url)
        code = response.json()["code"]
        if not _documented_code(method, template, response.status_code, code):
            undocumented.add((template, response.status_code, code))
    assert undocumented == {("/meetings/{meetingId}/meeting_summary", 400, 3000)}
