"""Ids, tokens and dates that cannot reach Zoom, and the messages that say so."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest
from pytest_httpserver import HTTPServer

from zoom_agent_tools import ZoomClient, ZoomValidationError
from zoom_agent_tools._input import parse_arguments
from zoom_agent_tools.operations import RECORDING_GET, create_meeting
from zoom_agent_tools.tools import ZoomTools

# Real shapes: Zoom's spec examples and recorded answers.
UUIDS = [
    "aDYlohsHRtCd4ii1uC2+hA==",
    "/ajXp112QmuoKj4854875==",
    "Bznyg8KZTdCVbQxvS/oZ7w==",
    "ab//cdefghijklmnopqrsA==",
    "yO3dfhh3t467UkQ==",
    "4444AAAiAAAAAiAiAiiAii==",
]
REFUSED_MEETING_REFS = [
    "99999999999999999999",  # 20 digits: Zoom answers 500 to ids beyond int64
    "9223372036854775808",
    "0085746065432",
    "%2e%2e",
    "%2E%2E",
    "..",
    "a%2Fb",
    "../../users/me",
    "x?page_size=1#frag",
    "aDYlohsHRtCd4ii1uC2+hA==x",
    "aDYl ohsHRtCd4ii1uC2+hA==",
    "aDYlohsHRtCd4ii1uC2-hA==",  # base64url is not Zoom's alphabet
    "short==",
    "A" * 40,
    "١٢٣٤٥٦٧٨٩",
    "aDYlohsHRtCd4ii1uC2+hA=\u200b",
]


@pytest.mark.parametrize("tool", ["zoom_get_meeting_recordings", "zoom_list_past_participants"])
@pytest.mark.parametrize("value", REFUSED_MEETING_REFS)
def test_meeting_refs_outside_int64_and_zooms_uuid_alphabet_are_refused(
    httpserver: HTTPServer, client: ZoomClient, tool: str, value: str
) -> None:
    # Were it sent, Zoom's 500 would be retried and its HTML page shown to the agent.
    httpserver.expect_request(__import__("re").compile(".*")).respond_with_data(
        "<html>500</html>", status=500, content_type="text/html"
    )
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call(tool, {"meetingId": value})
    assert str(info.value).startswith(f"Invalid arguments for {tool}: meetingId: must be ")
    assert "UUID" in str(info.value)
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("tool", "value"),
    [
        ("zoom_get_meeting", "99999999999999999999"),
        ("zoom_get_meeting", "9223372036854775807"),
        ("zoom_get_meeting_recordings", "99999999999999999999"),
        ("zoom_get_meeting_attendance", "1234567890123456789"),
    ],
)
def test_an_all_digit_id_too_long_is_refused_for_its_length(
    httpserver: HTTPServer, client: ZoomClient, tool: str, value: str
) -> None:
    # Said as it is: the id is digits, only too many of them.
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call(tool, {"meetingId": value})
    message = str(info.value)
    assert (
        f"meetingId: must be a meeting ID of at most 18 digits, not {len(value)} " in message
        or (f"a numeric meeting ID of at most 18 digits, not {len(value)} " in message)
    )
    assert "digits only" not in message
    assert httpserver.log == []


@pytest.mark.parametrize("value", [*UUIDS, "85746065432", "1", "922337203685477580"])
def test_real_meeting_ids_and_uuids_are_accepted(value: str) -> None:
    from zoom_agent_tools.operations import get_meeting_recordings

    assert parse_arguments(get_meeting_recordings, {"meetingId": value}).meeting_id == value


@pytest.mark.parametrize(
    ("tool", "args", "says"),
    [
        ("zoom_get_meeting", {"meetingId": "99999999999999999999"}, "meetingId: must be"),
        ("zoom_get_meeting", {"meetingId": 2**63}, "meetingId: the number is too large"),
        ("zoom_get_meeting", {"meetingId": "1", "occurrenceId": "1" * 19}, "occurrenceId: must"),
        ("zoom_get_meeting", {"meetingId": "1", "occurrenceId": "-1"}, "occurrenceId: must"),
        ("zoom_delete_recording", {"meetingId": "1", "recordingId": "%2e%2e"}, "recordingId: must"),
        ("zoom_delete_recording", {"meetingId": "1", "recordingId": "../x"}, "recordingId: must"),
        ("zoom_delete_recording", {"meetingId": "1", "recordingId": "a b"}, "recordingId: must"),
        ("zoom_delete_recording", {"meetingId": "1", "recordingId": "x" * 65}, "recordingId: must"),
        ("zoom_delete_recording", {"meetingId": "1", "recordingId": "é1"}, "recordingId: must"),
        ("zoom_list_meetings", {"userId": "me", "nextPageToken": "a b"}, "nextPageToken: must"),
        ("zoom_list_meetings", {"userId": "me", "nextPageToken": "%2e%2e"}, "nextPageToken: must"),
        ("zoom_list_meetings", {"userId": "me", "nextPageToken": "x" * 257}, "nextPageToken: must"),
        ("zoom_list_meetings", {"userId": "a%40b.com"}, "userId: must be"),
        ("zoom_list_meetings", {"userId": "%2e%2e"}, "userId: must be"),
        ("zoom_list_meetings", {"userId": "ada@example"}, "userId: must be"),
        ("zoom_list_meetings", {"userId": "ädä@example.com"}, "userId: must be"),
        ("zoom_list_meetings", {"userId": "me\u200b"}, "userId: must be"),
        ("zoom_list_meetings", {"userId": "\ud800@example.com"}, "userId: Input should be a valid"),
        ("zoom_list_meetings", {"userId": "x" * 65}, "userId: must be"),
        (
            "zoom_list_meetings",
            {"userId": "a" * 120 + "@example.com"},
            "userId: String should have at most 128 characters",
        ),
    ],
)
def test_ids_and_tokens_have_their_own_charset_and_length(
    httpserver: HTTPServer, client: ZoomClient, tool: str, args: dict[str, Any], says: str
) -> None:
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call(tool, args)
    assert says in str(info.value)
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        (
            "zoom_delete_recording",
            {"meetingId": "1", "recordingId": "a2f19f96-9294-4f51-8134-6f0eea108eb2"},
        ),
        ("zoom_delete_recording", {"meetingId": "1", "recordingId": "pvKocCqVSMygaOcKus5Afw"}),
        (
            "zoom_list_meetings",
            {"userId": "me", "nextPageToken": "At6eWnFZ1FB3arCXnRxqHLXKhbDW18yz2i2"},
        ),
        ("zoom_list_meetings", {"userId": "o'brien+zoom@mail.example.co.uk"}),
        ("zoom_list_meetings", {"userId": "_0ctZtY0REqWalTmwvrdIw"}),
        ("zoom_list_meetings", {"userId": "27423744"}),
        ("zoom_list_meetings", {"userId": "Lin.Cohost@Example.COM"}),
        ("zoom_get_meeting", {"meetingId": "1", "occurrenceId": "1648194360000"}),
    ],
)
def test_real_ids_and_tokens_are_accepted(tool: str, args: dict[str, Any]) -> None:
    from zoom_agent_tools.operations import get_operation

    parse_arguments(get_operation(tool), args)


@pytest.mark.parametrize("value", ["%2E%2E", "%2e%2e", "a%2Fb", "%252E%252E", "/%2E%2E", "x%00y"])
def test_a_literal_percent_sequence_survives_zooms_double_decoding(
    client: ZoomClient, value: str
) -> None:
    # Zoom decodes a path value twice when it still holds escapes after the first decoding.
    url = client.url_for(RECORDING_GET.request({"meetingId": value}))
    segment = url.rsplit("/", 2)[-2]
    assert unquote(unquote(segment)) == value


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        (
            "zoom_get_meeting",
            {"meetingId": "85746065432", "meeting_id": "85746065433"},
            "meetingId: given twice, as meetingId and meeting_id; give it once",
        ),
        (
            "zoom_list_recordings",
            {"userId": "me", "from": "2026-01-01", "from_": "2026-01-02"},
            "from: given twice, as from and from_; give it once",
        ),
        (
            "zoom_create_meeting",
            {
                "userId": "me",
                "topic": "t",
                "type": 8,
                "startTime": "2026-12-01T10:00:00Z",
                "recurrence": {"type": 2, "weeklyDays": "2", "weekly_days": "3", "endTimes": 2},
            },
            "recurrence.weeklyDays: given twice, as weeklyDays and weekly_days; give it once",
        ),
    ],
)
def test_one_parameter_under_both_spellings_says_so(
    httpserver: HTTPServer, client: ZoomClient, tool: str, args: dict[str, Any], message: str
) -> None:
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call(tool, args)
    assert message in str(info.value)
    assert "unknown parameter" not in str(info.value)
    assert httpserver.log == []


def test_both_spellings_as_keywords_say_so(client: ZoomClient) -> None:
    with pytest.raises(ZoomValidationError, match="userId: given twice, as userId and user_id"):
        client.list_meetings(**{"userId": "me", "user_id": "me"})
    # The typed methods take keywords only; a mapping goes to execute.
    with pytest.raises(TypeError, match=r"keyword arguments only.*client\.execute"):
        client.list_meetings({"userId": "me"}, user_id="me")  # type: ignore[call-arg]


def test_a_null_spelling_does_not_count_as_given(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    httpserver.expect_oneshot_request("/v2/meetings/85746065432").respond_with_json({"id": 1})
    ZoomTools(client).call("zoom_get_meeting", {"meetingId": "85746065432", "meeting_id": None})
    httpserver.check_assertions()


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        (
            "zoom_list_recordings",
            {"userId": "me", "from": "9999-12-15", "to": "9999-12-31"},
            "from: must be a date in yyyy-mm-dd form between the years 1970 and 2099",
        ),
        (
            "zoom_list_recordings",
            {"userId": "me", "from": "2026-01-01", "to": "2100-01-01"},
            "to: must be a date in yyyy-mm-dd form between the years 1970 and 2099",
        ),
        (
            "zoom_list_recordings",
            {"userId": "me", "from": "0001-01-01"},
            "from: must be a date in yyyy-mm-dd form between the years 1970 and 2099",
        ),
        (
            "zoom_create_meeting",
            {"userId": "me", "topic": "t", "startTime": "2100-01-01T00:00:00Z"},
            "startTime: must be a date-time between the years 1970 and 2099",
        ),
        (
            "zoom_create_meeting",
            {
                "userId": "me",
                "topic": "t",
                "type": 8,
                "startTime": "2026-12-01T10:00:00Z",
                "recurrence": {"type": 1, "endDateTime": "9999-12-31T23:59:59Z"},
            },
            "recurrence.endDateTime: must be a date-time between the years 1970 and 2099",
        ),
    ],
)
def test_out_of_range_dates_name_the_parameter(
    httpserver: HTTPServer, client: ZoomClient, tool: str, args: dict[str, Any], message: str
) -> None:
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call(tool, args)
    assert message in str(info.value)
    assert "out of range" not in str(info.value)
    assert httpserver.log == []


def test_create_with_only_user_and_topic_schedules_the_meeting_for_now() -> None:
    args = parse_arguments(create_meeting, {"userId": "me", "topic": "Quick sync"})
    # Zoom's default type 2 with no start_time: Zoom (and the sandbox) start it now.
    assert create_meeting.request(args).json == {"topic": "Quick sync"}
    assert "now" in create_meeting.description
    start = create_meeting.args_model.model_json_schema(by_alias=True)["properties"]["startTime"]
    assert "now" in start["description"]


def test_a_huge_refusal_lists_ten_problems_and_counts_the_rest(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    junk = {f"junk{i}": i for i in range(5000)}
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call("zoom_get_meeting", {"meetingId": "85746065432", **junk})
    assert len(info.value.errors) == 11
    assert str(info.value).endswith("and 4990 more problems.")
    assert len(str(info.value)) < 3000
    assert httpserver.log == []
