"""Meeting operations of the sandbox: create, get, update, delete, invitation, list."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests

from tests.sandbox.conftest import NOW, ZoomHTTP, counting_ticker
from tests.sandboxes import NewSandbox
from zoom_agent_tools.sandbox import ManualClock, Sandbox
from zoom_agent_tools.sandbox.options import OptionKeywords

MEETINGS = "/users/{userId}/meetings"
MEETING = "/meetings/{meetingId}"


def create(zoom_http: ZoomHTTP, **body: object) -> dict[str, object]:
    response = zoom_http.post(MEETINGS, {"userId": "me"}, json=body)
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()
    return data


def test_create_returns_full_meeting_with_defaults(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    meeting = create(zoom_http, topic="Roadmap", start_time="2026-03-20T17:00:00Z", duration=45)
    assert len(str(meeting["id"])) == 11
    assert isinstance(meeting["id"], int)
    assert meeting["host_id"] == sandbox.user_id
    assert meeting["host_email"] == sandbox.user_email
    assert meeting["type"] == 2
    assert meeting["status"] == "waiting"
    assert meeting["start_time"] == "2026-03-20T17:00:00Z"
    assert meeting["timezone"] == "America/Los_Angeles"
    assert meeting["created_at"] == "2026-03-10T18:30:00Z"
    assert "zak=" in str(meeting["start_url"])
    assert f"pwd={meeting['encrypted_password']}" in str(meeting["join_url"])
    assert len(str(meeting["password"])) == 6
    assert str(meeting["h323_password"]).isdigit()
    assert meeting["pstn_password"]
    settings = meeting["settings"]
    assert isinstance(settings, dict)
    assert settings["auto_recording"] == "none"
    assert settings["approval_type"] == 2
    assert settings["audio"] == "both"
    assert settings["join_before_host"] is False
    stored = sandbox.store.get_meeting(int(str(meeting["id"])))
    assert stored is not None
    assert stored["topic"] == "Roadmap"


def test_create_for_user_by_email_and_id_and_unknown_user(
    zoom_http: ZoomHTTP, sandbox: Sandbox
) -> None:
    for ref in (sandbox.user_email, sandbox.user_id, "lin.cohost@example.com"):
        assert zoom_http.post(MEETINGS, {"userId": ref}, json={"topic": "x"}).status_code == 201
    missing = zoom_http.post(MEETINGS, {"userId": "nobody@example.com"}, json={"topic": "x"})
    assert missing.status_code == 404
    assert missing.json() == {"code": 1001, "message": "User does not exist: nobody@example.com."}


def test_create_local_start_time_uses_timezone_and_no_password(zoom_http: ZoomHTTP) -> None:
    # A start_time without "Z" is local time in `timezone` (Zoom's documented form, although
    # the spec's date-time format rejects it, so the request is not spec-checked).
    response = zoom_http.post(
        MEETINGS,
        {"userId": "me"},
        check_request=False,
        json={
            "topic": "Local",
            "start_time": "2026-04-01T09:00:00",
            "timezone": "Europe/Berlin",
            "default_password": False,
        },
    )
    meeting = response.json()
    assert meeting["start_time"] == "2026-04-01T07:00:00Z"
    assert "password" not in meeting
    assert "pwd=" not in meeting["join_url"]


@pytest.mark.served
def test_create_validation_errors(zoom_http: ZoomHTTP) -> None:
    cases = [
        ({"topic": "x" * 201}, "topic"),
        ({"type": 5}, "type"),
        ({"duration": 0}, "duration"),
        ({"password": "far-too-long-passcode"}, "password"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"type": 8, "start_time": "2026-04-01T10:00:00Z"}, "recurrence"),
        ({"type": 8, "recurrence": {"type": 1, "end_times": 61}}, "recurrence.end_times"),
        (
            {
                "type": 8,
                "recurrence": {"type": 1, "end_times": 2, "end_date_time": "2026-05-01T00:00:00Z"},
            },
            "recurrence.end_date_time",
        ),
    ]
    for body, field in cases:
        response = zoom_http.post(MEETINGS, {"userId": "me"}, json=body, check_request=False)
        assert response.status_code == 400, body
        assert response.json() == {
            "code": 300,
            "message": "Validation Failed.",
            "errors": [{"field": field, "message": "Invalid field."}],
        }
    broken = requests.post(
        zoom_http.sandbox.api_base_url + "/users/me/meetings",
        data=b"{not json",
        headers={"Authorization": f"Bearer {zoom_http.token}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert broken.status_code == 400
    assert broken.json()["code"] == 300


def test_weekly_recurrence_generates_occurrences(zoom_http: ZoomHTTP) -> None:
    meeting = create(
        zoom_http,
        topic="Twice weekly",
        type=8,
        start_time="2026-03-12T17:00:00Z",
        timezone="America/Los_Angeles",
        recurrence={"type": 2, "repeat_interval": 1, "weekly_days": "1,3", "end_times": 4},
    )
    occurrences = meeting["occurrences"]
    assert isinstance(occurrences, list)
    # 2026-03-12 is a Thursday: the next Sunday (1) and Tuesday (3), at 10:00 Los Angeles.
    assert [o["start_time"] for o in occurrences] == [
        "2026-03-15T17:00:00Z",
        "2026-03-17T17:00:00Z",
        "2026-03-22T17:00:00Z",
        "2026-03-24T17:00:00Z",
    ]
    first = datetime(2026, 3, 15, 17, tzinfo=timezone.utc)
    assert occurrences[0]["occurrence_id"] == str(int(first.timestamp() * 1000))
    assert all(o["status"] == "available" and o["duration"] == 60 for o in occurrences)
    assert meeting["start_time"] == "2026-03-15T17:00:00Z"
    assert meeting["recurrence"] == {
        "type": 2,
        "repeat_interval": 1,
        "weekly_days": "1,3",
        "end_times": 4,
    }


def test_other_recurrences(zoom_http: ZoomHTTP) -> None:
    daily = create(zoom_http, type=8, start_time="2026-03-11T16:00:00Z", recurrence={"type": 1})
    assert len(daily["occurrences"]) == 1  # type: ignore[arg-type]
    until = create(
        zoom_http,
        type=8,
        start_time="2026-03-11T16:00:00Z",
        recurrence={"type": 1, "repeat_interval": 2, "end_date_time": "2026-03-20T00:00:00Z"},
    )
    assert [o["start_time"][:10] for o in until["occurrences"]] == [  # type: ignore[attr-defined]
        "2026-03-11",
        "2026-03-13",
        "2026-03-15",
        "2026-03-17",
        "2026-03-19",
    ]
    monthly = create(
        zoom_http,
        type=8,
        start_time="2026-03-11T16:00:00Z",
        timezone="UTC",
        recurrence={"type": 3, "monthly_week": -1, "monthly_week_day": 6, "end_times": 3},
    )
    assert [o["start_time"] for o in monthly["occurrences"]] == [  # type: ignore[attr-defined]
        "2026-03-27T16:00:00Z",
        "2026-04-24T16:00:00Z",
        "2026-05-29T16:00:00Z",
    ]
    by_day = create(
        zoom_http,
        type=8,
        start_time="2026-03-11T16:00:00Z",
        timezone="UTC",
        recurrence={"type": 3, "monthly_day": 5, "end_times": 2},
    )
    assert [o["start_time"][:10] for o in by_day["occurrences"]] == [  # type: ignore[attr-defined]
        "2026-04-05",
        "2026-05-05",
    ]
    no_fixed_time = create(zoom_http, type=3, topic="Anytime")
    assert "occurrences" not in no_fixed_time
    assert "start_time" not in no_fixed_time


def test_get_meeting_occurrences_and_errors(zoom_http: ZoomHTTP, clock: ManualClock) -> None:
    meeting = create(
        zoom_http, type=8, start_time="2026-03-11T16:00:00Z", recurrence={"type": 1, "end_times": 3}
    )
    mid = meeting["id"]
    clock.advance(days=1, hours=1)  # the first occurrence is over
    upcoming = zoom_http.get(MEETING, {"meetingId": mid}).json()
    assert len(upcoming["occurrences"]) == 2
    assert upcoming["start_time"] == "2026-03-12T16:00:00Z"
    everything = zoom_http.get(
        MEETING, {"meetingId": mid}, params={"show_previous_occurrences": "true"}
    ).json()
    assert len(everything["occurrences"]) == 3
    third = everything["occurrences"][2]["occurrence_id"]
    one = zoom_http.get(MEETING, {"meetingId": mid}, params={"occurrence_id": third}).json()
    assert one["start_time"] == "2026-03-13T16:00:00Z"
    bad = zoom_http.get(MEETING, {"meetingId": mid}, params={"occurrence_id": "123"})
    assert bad.status_code == 400
    assert bad.json() == {"code": 300, "message": "Invalid parameter: occurrence_id."}
    missing = zoom_http.get(MEETING, {"meetingId": 12345678901})
    assert missing.status_code == 404
    assert missing.json() == {"code": 3001, "message": "Meeting does not exist: 12345678901."}
    malformed = zoom_http.get(MEETING, {"meetingId": "abc"}, check_request=False)
    assert malformed.status_code == 400
    assert malformed.json() == {"code": 300, "message": "Invalid meeting id."}


def test_update_is_partial_and_merges_settings(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    meeting = create(
        zoom_http,
        topic="Before",
        agenda="Keep me",
        settings={"host_video": True, "mute_upon_entry": True},
    )
    mid = meeting["id"]
    response = zoom_http.patch(
        MEETING,
        {"meetingId": mid},
        json={"topic": "After", "settings": {"waiting_room": True, "join_before_host": True}},
    )
    assert response.status_code == 204
    assert response.content == b""
    after = zoom_http.get(MEETING, {"meetingId": mid}).json()
    assert after["topic"] == "After"
    assert after["agenda"] == "Keep me"
    assert after["settings"]["host_video"] is True
    assert after["settings"]["mute_upon_entry"]
    assert after["settings"]["waiting_room"] is True
    assert after["settings"]["join_before_host"] is False  # the waiting room wins
    past = zoom_http.patch(MEETING, {"meetingId": mid}, json={"start_time": "2020-01-01T00:00:00Z"})
    assert past.status_code == 204
    assert zoom_http.get(MEETING, {"meetingId": mid}).json()["start_time"] == meeting["start_time"]
    invalid = zoom_http.patch(
        MEETING, {"meetingId": mid}, json={"duration": 5000}, check_request=False
    )
    assert invalid.status_code == 400
    assert invalid.json()["errors"][0]["field"] == "duration"
    assert zoom_http.patch(MEETING, {"meetingId": 11111111111}, json={}).status_code == 404


def test_update_occurrence_and_recurrence(zoom_http: ZoomHTTP) -> None:
    meeting = create(
        zoom_http,
        topic="Series",
        type=8,
        start_time="2026-03-11T16:00:00Z",
        recurrence={"type": 1, "end_times": 3},
    )
    mid = meeting["id"]
    second = meeting["occurrences"][1]["occurrence_id"]  # type: ignore[index]
    zoom_http.patch(
        MEETING,
        {"meetingId": mid},
        params={"occurrence_id": second},
        json={"topic": "Ignored", "agenda": "Only this one", "duration": 90},
    )
    one = zoom_http.get(MEETING, {"meetingId": mid}, params={"occurrence_id": second}).json()
    assert one["topic"] == "Series"
    assert one["agenda"] == "Only this one"
    assert one["duration"] == 90
    assert "agenda" not in zoom_http.get(MEETING, {"meetingId": mid}).json()
    zoom_http.patch(MEETING, {"meetingId": mid}, json={"recurrence": {"type": 1, "end_times": 5}})
    regenerated = zoom_http.get(MEETING, {"meetingId": mid}).json()
    assert len(regenerated["occurrences"]) == 5
    assert regenerated["recurrence"]["end_times"] == 5


def test_delete_occurrence_and_series(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    meeting = create(
        zoom_http, type=8, start_time="2026-03-11T16:00:00Z", recurrence={"type": 1, "end_times": 3}
    )
    mid = meeting["id"]
    first = meeting["occurrences"][0]["occurrence_id"]  # type: ignore[index]
    gone = zoom_http.delete(MEETING, {"meetingId": mid}, params={"occurrence_id": first})
    assert gone.status_code == 204
    statuses = [
        o["status"] for o in zoom_http.get(MEETING, {"meetingId": mid}).json()["occurrences"]
    ]
    assert statuses == ["deleted", "available", "available"]
    again = zoom_http.delete(MEETING, {"meetingId": mid}, params={"occurrence_id": first})
    assert again.status_code == 400
    assert again.json() == {"code": 300, "message": "Invalid parameter: occurrence_id."}
    assert zoom_http.delete(MEETING, {"meetingId": mid}).status_code == 204
    assert zoom_http.get(MEETING, {"meetingId": mid}).status_code == 404
    assert sandbox.store.get_meeting(int(str(mid))) is None
    assert zoom_http.delete(MEETING, {"meetingId": mid}).status_code == 404


def test_invitation(zoom_http: ZoomHTTP) -> None:
    meeting = create(zoom_http, topic="Invite me", start_time="2026-03-20T17:00:00Z")
    response = zoom_http.get("/meetings/{meetingId}/invitation", {"meetingId": meeting["id"]})
    body = response.json()
    digits = str(meeting["id"])
    assert f"Meeting ID: {digits[:3]} {digits[3:7]} {digits[7:]}" in body["invitation"]
    assert f"Passcode: {meeting['password']}" in body["invitation"]
    assert str(meeting["join_url"]) in body["invitation"]
    assert "Topic: Invite me" in body["invitation"]
    assert body["sip_links"] == [f"{digits}@zoomcrc.com"]
    missing = zoom_http.get("/meetings/{meetingId}/invitation", {"meetingId": 12345678901})
    assert missing.status_code == 404
    assert missing.json()["code"] == 3001


def _topics(zoom_http: ZoomHTTP, kind: str) -> list[str]:
    body = zoom_http.get(MEETINGS, {"userId": "me"}, params={"type": kind}).json()
    return [m["topic"] for m in body["meetings"]]


def test_list_filters(zoom_http: ZoomHTTP) -> None:
    scheduled = _topics(zoom_http, "scheduled")
    assert "Quick instant call" not in scheduled
    assert {
        "Weekly team sync",
        "Customer call",
        "Open office hours",
        "All hands (live now)",
    } <= set(scheduled)
    assert _topics(zoom_http, "live") == ["All hands (live now)"]
    upcoming = _topics(zoom_http, "upcoming")
    assert "Quarterly planning" in upcoming
    assert "Customer call" not in upcoming
    assert "All hands (live now)" in upcoming
    assert _topics(zoom_http, "upcoming_meetings") == upcoming
    assert "Customer call" in _topics(zoom_http, "previous_meetings")
    items = zoom_http.get(MEETINGS, {"userId": "me"}).json()["meetings"]
    assert all("settings" not in m and "password" not in m and "start_url" not in m for m in items)


def test_list_pagination_and_token_expiry(zoom_http: ZoomHTTP, clock: ManualClock) -> None:
    first = zoom_http.get(MEETINGS, {"userId": "me"}, params={"page_size": 3}).json()
    total = first["total_records"]
    assert first["page_size"] == 3
    assert len(first["meetings"]) == 3
    assert total > 6
    assert first["page_count"] == -(-total // 3)
    seen = [m["id"] for m in first["meetings"]]
    token = first["next_page_token"]
    while token:
        page = zoom_http.get(
            MEETINGS, {"userId": "me"}, params={"page_size": 3, "next_page_token": token}
        ).json()
        seen += [m["id"] for m in page["meetings"]]
        token = page["next_page_token"]
    assert len(seen) == total == len(set(seen))
    stale = zoom_http.get(MEETINGS, {"userId": "me"}, params={"page_size": 3}).json()
    clock.advance(15 * 60 + 1)
    expired = zoom_http.get(
        MEETINGS,
        {"userId": "me"},
        params={"page_size": 3, "next_page_token": stale["next_page_token"]},
    )
    assert expired.status_code == 400
    assert expired.json() == {
        "code": 300,
        "message": "The next page token is either invalid or has expired.",
    }
    bogus = zoom_http.get(MEETINGS, {"userId": "me"}, params={"next_page_token": "nope"})
    assert bogus.status_code == 400


@pytest.mark.parametrize(
    ("page_token_ttl", "still_valid_at", "expired_at"),
    [(60.0, 59, 61), (None, 899, 901)],
    ids=["custom-60s", "default-15min"],
)
def test_page_token_ttl(
    new_sandbox: NewSandbox, page_token_ttl: float | None, still_valid_at: int, expired_at: int
) -> None:
    options: OptionKeywords = {"now": NOW, "rate_ticker": counting_ticker()}
    if page_token_ttl is not None:
        options["page_token_ttl"] = page_token_ttl
    with new_sandbox(**options) as sb:
        assert isinstance(sb.clock, ManualClock)
        zoom_http = ZoomHTTP(sb, sb.issue_token(ttl=86400))
        first = zoom_http.get(MEETINGS, {"userId": "me"}, params={"page_size": 2}).json()
        token = first["next_page_token"]
        assert token
        params = {"page_size": 2, "next_page_token": token}
        sb.clock.advance(still_valid_at)
        second = zoom_http.get(MEETINGS, {"userId": "me"}, params=params)
        assert second.status_code == 200
        assert second.json()["meetings"][0]["id"] not in [m["id"] for m in first["meetings"]]
        sb.clock.advance(expired_at - still_valid_at)
        expired = zoom_http.get(MEETINGS, {"userId": "me"}, params=params)
        assert expired.status_code == 400
        assert expired.json()["code"] == 300


def test_page_size_over_300_is_clamped(zoom_http: ZoomHTTP) -> None:
    body = zoom_http.get(
        MEETINGS, {"userId": "me"}, params={"page_size": 500}, check_request=False
    ).json()
    assert body["page_size"] == 300
    assert body["next_page_token"] == ""


def test_same_clock_gives_identical_answers() -> None:
    answers = []
    for _ in range(2):
        with Sandbox(now=NOW, rate_ticker=counting_ticker(), rate_limits=False) as sb:
            token = sb.issue_token()
            headers = {"Authorization": f"Bearer {token}"}
            created = requests.post(
                sb.api_base_url + "/users/me/meetings",
                headers=headers,
                json={"topic": "Same"},
                timeout=10,
            )
            listed = requests.get(
                sb.api_base_url + "/users/me/recordings",
                headers=headers,
                params={"from": "2026-02-10", "to": "2026-03-10"},
                timeout=10,
            )
            port = str(sb.port)
            answers.append(
                (
                    token,
                    sb.client_secret,
                    created.content.replace(port.encode(), b"PORT"),
                    listed.content.replace(port.encode(), b"PORT"),
                    created.headers["Date"],
                )
            )
    assert answers[0] == answers[1]


def _invalid_field(response: requests.Response, name: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == 300
    assert [e["field"] for e in body["errors"]] == [name]


@pytest.mark.parametrize("name", ["schedule_for_reminder", "cancel_meeting_reminder"])
@pytest.mark.parametrize("value", ["maybe", "1", "0", "yes", ""])
def test_delete_with_a_junk_boolean_changes_nothing(
    zoom_http: ZoomHTTP, sandbox: Sandbox, name: str, value: str
) -> None:
    mid = create(zoom_http, topic="Keep me", start_time="2026-03-20T17:00:00Z")["id"]
    response = zoom_http.delete(
        MEETING, {"meetingId": mid}, params={name: value}, check_request=False
    )
    _invalid_field(response, name)
    assert sandbox.store.get_meeting(int(str(mid))) is not None


@pytest.mark.parametrize("value", ["true", "false", "TRUE", "False"])
def test_delete_accepts_true_and_false(zoom_http: ZoomHTTP, sandbox: Sandbox, value: str) -> None:
    mid = create(zoom_http, topic="Drop me", start_time="2026-03-20T17:00:00Z")["id"]
    params = {"schedule_for_reminder": value, "cancel_meeting_reminder": value}
    response = zoom_http.delete(MEETING, {"meetingId": mid}, params=params, check_request=False)
    assert response.status_code == 204
    assert sandbox.store.get_meeting(int(str(mid))) is None


@pytest.mark.parametrize(
    ("template", "path", "name"),
    [
        (MEETING, None, "show_previous_occurrences"),
        ("/users/{userId}/recordings", {"userId": "me"}, "trash"),
    ],
)
def test_junk_booleans_are_refused_on_reads(
    zoom_http: ZoomHTTP, template: str, path: dict[str, object] | None, name: str
) -> None:
    if path is None:
        path = {"meetingId": create(zoom_http, start_time="2026-03-20T17:00:00Z")["id"]}
    response = zoom_http.get(template, path, params={name: "maybe"}, check_request=False)
    _invalid_field(response, name)
    assert zoom_http.get(template, path, params={name: "true"}).status_code == 200
