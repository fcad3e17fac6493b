"""Every validation rule: refused before any request, with the parameter and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from zoom_agent_tools import ZoomClient, ZoomValidationError
from zoom_agent_tools.tools import ZoomTools

FUTURE = "2026-12-01T10:00:00Z"
CASES: list[tuple[str, dict[str, Any], str]] = [
    # create
    ("zoom_create_meeting", {"topic": "x", "type": 1}, "userId: is required"),
    ("zoom_create_meeting", {"userId": "me", "type": 1}, "topic: is required"),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x" * 201, "type": 1},
        "topic: String should have at most 200 characters",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "   ", "type": 1},
        "topic: String should have at least 1 character",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "type": 5},
        "type: Input should be 1, 2, 3 or 8 (got 5)",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "type": 8, "recurrence": {"type": 1, "endTimes": 2}},
        "startTime is required for meeting type 8",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": "next tuesday"},
        "startTime: must be an ISO 8601 date-time",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": "2026-12-01"},
        "startTime: must include a time",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "duration": 0},
        "duration: Input should be greater than or equal to 1 (got 0)",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "duration": 1441},
        "duration: Input should be less than or equal to 1440",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "timezone": "Mars/Olympus"},
        "timezone: must be an IANA time zone name",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "password": "waytoolongpass"},
        "password: must be 1-10 characters: letters, digits and @ - _ * only",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "password": "a b"},
        "password: must be 1-10 characters",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "agenda": "a" * 2001},
        "agenda: String should have at most 2000 characters",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "autoRecording": "yes"},
        "autoRecording: Input should be 'local', 'cloud' or 'none'",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "type": 8},
        "recurrence is required for type 8",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "type": 1, "recurrence": {"type": 1}},
        "recurrence applies only to recurring meetings",
    ),
    (
        "zoom_create_meeting",
        {
            "userId": "me",
            "topic": "x",
            "startTime": FUTURE,
            "type": 8,
            "recurrence": {
                "type": 2,
                "weeklyDays": "1,3",
                "endTimes": 3,
                "endDateTime": "2027-01-01T00:00:00Z",
            },
        },
        "give endTimes or endDateTime, not both",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "type": 8, "recurrence": {"type": 2}},
        "weeklyDays is required for weekly recurrence",
    ),
    (
        "zoom_create_meeting",
        {
            "userId": "me",
            "topic": "x",
            "startTime": FUTURE,
            "type": 8,
            "recurrence": {"type": 2, "weeklyDays": "mon,wed"},
        },
        "recurrence.weeklyDays: must be distinct digits 1-7 separated by commas",
    ),
    (
        "zoom_create_meeting",
        {
            "userId": "me",
            "topic": "x",
            "startTime": FUTURE,
            "type": 8,
            "recurrence": {"type": 2, "weeklyDays": "1,8"},
        },
        "recurrence.weeklyDays: must be distinct digits 1-7",
    ),
    (
        "zoom_create_meeting",
        {
            "userId": "me",
            "topic": "x",
            "startTime": FUTURE,
            "type": 8,
            "recurrence": {"type": 1, "repeatInterval": 100},
        },
        "recurrence.repeatInterval: Input should be less than or equal to 99",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "startTime": FUTURE, "type": 8, "recurrence": {"type": 3}},
        "monthly recurrence (type 3) needs monthlyDay",
    ),
    (
        "zoom_create_meeting",
        {
            "userId": "me",
            "topic": "x",
            "startTime": FUTURE,
            "type": 8,
            "recurrence": {"type": 3, "monthlyWeek": 2},
        },
        "monthlyWeek and monthlyWeekDay go together",
    ),
    (
        "zoom_create_meeting",
        {
            "userId": "me",
            "topic": "x",
            "startTime": FUTURE,
            "type": 8,
            "recurrence": {"type": 1, "endTimes": 61},
        },
        "recurrence.endTimes: Input should be less than or equal to 60",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me", "topic": "x", "type": 1, "color": "blue"},
        "color: unknown parameter; allowed parameters are: userId, topic, type",
    ),
    (
        "zoom_create_meeting",
        {"userId": "me two", "topic": "x", "type": 1},
        "userId: must be 'me', the user's email address or Zoom user id",
    ),
    ("zoom_create_meeting", {"userId": "", "topic": "x", "type": 1}, "userId: must not be empty"),
    # list meetings
    (
        "zoom_list_meetings",
        {"userId": "me", "pageSize": 500},
        "pageSize: Input should be less than or equal to 300 (got 500)",
    ),
    (
        "zoom_list_meetings",
        {"userId": "me", "pageSize": 0},
        "pageSize: Input should be greater than or equal to 1",
    ),
    (
        "zoom_list_meetings",
        {"userId": "me", "type": "past"},
        "type: Input should be 'scheduled', 'live', 'upcoming', 'upcoming_meetings' or "
        "'previous_meetings'",
    ),
    # get / update / delete / invitation
    ("zoom_get_meeting", {"meetingId": "abc"}, "meetingId: must be the numeric meeting ID"),
    ("zoom_get_meeting", {"meetingId": "  "}, "meetingId: must not be empty"),
    (
        "zoom_get_meeting",
        {"meetingId": "99999999999999999999"},
        "meetingId: must be a meeting ID of at most 18 digits, not 20",
    ),
    (
        "zoom_get_meeting",
        {"meetingId": "85746065432", "occurrenceId": "first"},
        "occurrenceId: must be an occurrence id",
    ),
    ("zoom_update_meeting", {"meetingId": "85746065432"}, "nothing to change"),
    (
        "zoom_update_meeting",
        {"meetingId": "85746065432", "occurrenceId": "1", "topic": "x"},
        "with occurrenceId only agenda, startTime, duration",
    ),
    (
        "zoom_update_meeting",
        {"meetingId": "85746065432", "topic": ""},
        "topic: String should have at least 1 character",
    ),
    ("zoom_delete_meeting", {"meetingId": "1/2"}, "meetingId: must be the numeric meeting ID"),
    ("zoom_get_meeting_invitation", {}, "meetingId: is required"),
    # recordings
    (
        "zoom_list_recordings",
        {"userId": "me", "from": "2026/11/01"},
        "from: must be a date in yyyy-mm-dd form",
    ),
    (
        "zoom_list_recordings",
        {"userId": "me", "from": "2026-02-30"},
        "from: is not a real calendar date",
    ),
    (
        "zoom_list_recordings",
        {"userId": "me", "from": "2026-11-20", "to": "2026-11-01"},
        "from must be on or before to",
    ),
    (
        "zoom_list_recordings",
        {"userId": "me", "from": "2026-01-01", "to": "2026-02-02"},
        "from and to may be at most one month apart",
    ),
    (
        "zoom_list_recordings",
        {"userId": "me", "trash": True, "from": "2026-01-01"},
        "from/to cannot be used with trash=true",
    ),
    (
        "zoom_get_meeting_recordings",
        {"meetingId": "85746065432", "ttl": 604801},
        "ttl: Input should be less than or equal to 604800",
    ),
    (
        "zoom_delete_recording",
        {"meetingId": "85746065432", "action": "shred"},
        "action: Input should be 'trash' or 'delete'",
    ),
    (
        "zoom_list_past_participants",
        {"meetingId": "85746065432", "pageSize": 301},
        "pageSize: Input should be less than or equal to 300",
    ),
]


@pytest.mark.parametrize(("tool", "args", "message"), CASES)
def test_bad_input_is_refused_before_any_request(
    httpserver: HTTPServer, client: ZoomClient, tool: str, args: dict[str, Any], message: str
) -> None:
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call(tool, args)
    assert message in str(info.value)
    assert str(info.value).startswith(f"Invalid arguments for {tool}: ")
    assert httpserver.log == []


def test_all_field_errors_are_reported_at_once(client: ZoomClient) -> None:
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call("zoom_list_meetings", {"userId": "me", "pageSize": 0, "type": "x"})
    assert {e.field for e in info.value.errors} == {"pageSize", "type"}


def test_password_value_is_never_echoed(client: ZoomClient) -> None:
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call(
            "zoom_create_meeting",
            {"userId": "me", "topic": "x", "type": 1, "password": "hunter2!!!!!"},
        )
    assert "hunter2" not in str(info.value)
    assert "hunter2" not in repr(info.value)


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z"),
        ("2026-12-01T10:00:00+02:00", "2026-12-01T08:00:00Z"),
        ("2026-12-01T10:00", "2026-12-01T10:00:00"),  # local time in `timezone`
    ],
)
def test_start_time_is_sent_in_zooms_form(given: str, sent: str) -> None:
    from zoom_agent_tools._input import parse_arguments
    from zoom_agent_tools.operations import create_meeting

    args = parse_arguments(create_meeting, {"userId": "me", "topic": "t", "startTime": given})
    assert create_meeting.request(args).json == {"topic": "t", "start_time": sent}


def test_one_month_range_is_allowed_and_ids_are_trimmed() -> None:
    from zoom_agent_tools._input import parse_arguments
    from zoom_agent_tools.operations import get_meeting, list_recordings

    args = parse_arguments(
        list_recordings, {"userId": "me", "from": "2026-01-31", "to": "2026-02-28"}
    )
    assert args.from_ == "2026-01-31"
    assert parse_arguments(get_meeting, {"meetingId": 85746065432}).meeting_id == "85746065432"


def test_non_mapping_arguments_are_refused(client: ZoomClient) -> None:
    with pytest.raises(ZoomValidationError, match="arguments must be an object"):
        ZoomTools(client).call("zoom_get_meeting", ["85746065432"])  # type: ignore[arg-type]


def test_python_callers_may_pass_datetime_and_date_objects() -> None:
    from datetime import date, datetime, timedelta, timezone

    from zoom_agent_tools._input import parse_arguments
    from zoom_agent_tools.operations import create_meeting, list_recordings

    when = datetime(2026, 12, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    args = parse_arguments(create_meeting, {"user_id": "me", "topic": "t", "start_time": when})
    assert args.start_time == "2026-12-01T09:00:00Z"
    local = parse_arguments(
        create_meeting, {"user_id": "me", "topic": "t", "start_time": datetime(2026, 12, 1, 10)}
    )
    assert local.start_time == "2026-12-01T10:00:00"
    days = parse_arguments(
        list_recordings, {"user_id": "me", "from": date(2026, 11, 1), "to": date(2026, 11, 30)}
    )
    assert (days.from_, days.to) == ("2026-11-01", "2026-11-30")
