"""Each operation's HTTP request (method, path, query, body) and its shaped tool output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.core.conftest import TOKEN, answer_host_lookup
from zoom_agent_tools import OPERATIONS, ZoomClient
from zoom_agent_tools.models import Meeting
from zoom_agent_tools.operations import PAST_MEETING_PARTICIPANTS
from zoom_agent_tools.tools import ZoomTools

AUTH = {"Authorization": f"Bearer {TOKEN}"}

MEETING = {
    "id": 85746065432,
    "uuid": "aDYlohsHRtCd4ii1uC2+hA==",
    "host_id": "KDcuGIm1QgePTO8WbOqwIQ",
    "host_email": "ada.host@example.com",
    "topic": "Weekly sync",
    "type": 8,
    "status": "waiting",
    "start_time": "2026-12-01T17:00:00Z",
    "duration": 30,
    "timezone": "America/Los_Angeles",
    "agenda": "Roadmap",
    "created_at": "2026-11-24T10:00:00Z",
    "start_url": "https://zoom.us/s/85746065432?zak=eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.secret",
    "join_url": "https://zoom.us/j/85746065432?pwd=Zm9vYmFy",
    "password": "a1B2c3",
    "h323_password": "123456",
    "pstn_password": "123456",
    "encrypted_password": "Zm9vYmFy",
    "pre_schedule": False,
    "settings": {
        "host_video": True,
        "waiting_room": False,
        "auto_recording": "cloud",
        "use_pmi": False,
    },
    "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "3", "end_times": 4},
    "occurrences": [
        {
            "occurrence_id": "1796230800000",
            "start_time": "2026-12-01T17:00:00Z",
            "duration": 30,
            "status": "available",
        }
    ],
}


def test_create_meeting_sends_zoom_body_and_returns_meeting(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    httpserver.expect_oneshot_request(
        "/v2/users/me/meetings",
        method="POST",
        headers=AUTH,
        json={
            "topic": "Weekly sync",
            "type": 8,
            "start_time": "2026-12-01T17:00:00Z",
            "duration": 30,
            "timezone": "America/Los_Angeles",
            "agenda": "Roadmap",
            "settings": {"host_video": True, "waiting_room": False, "auto_recording": "cloud"},
            "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "3", "end_times": 4},
        },
    ).respond_with_json(MEETING, status=201)

    result = ZoomTools(client).call(
        "zoom_create_meeting",
        {
            "userId": "me",
            "topic": "Weekly sync",
            "type": 8,
            "startTime": "2026-12-01T09:00:00-08:00",
            "duration": 30,
            "timezone": "America/Los_Angeles",
            "agenda": "Roadmap",
            "hostVideo": True,
            "waitingRoom": False,
            "autoRecording": "cloud",
            "recurrence": {"type": 2, "repeatInterval": 1, "weeklyDays": "3", "endTimes": 4},
        },
    )
    httpserver.check_assertions()
    meeting = result.content["meeting"]
    assert meeting["id"] == 85746065432
    assert meeting["settings"] == {
        "host_video": True,
        "waiting_room": False,
        "auto_recording": "cloud",
    }
    assert "use_pmi" not in meeting["settings"]  # not one of the tool's fields
    assert "pre_schedule" not in meeting
    assert meeting["occurrences"][0]["occurrence_id"] == "1796230800000"
    assert "watermark" not in meeting["settings"]  # absent in the answer: not invented


def test_python_api_keeps_unknown_fields(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_oneshot_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    meeting = client.get_meeting(meeting_id=85746065432)
    assert isinstance(meeting, Meeting)
    assert meeting.model_extra == {"pre_schedule": False}
    assert meeting.settings is not None
    assert meeting.settings.model_extra == {"use_pmi": False}


def test_list_meetings_query_and_page_info(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_oneshot_request(
        "/v2/users/ada@example.com/meetings",  # matched decoded
        method="GET",
        query_string={"type": "upcoming", "page_size": "2", "next_page_token": "tok1"},
    ).respond_with_json(
        {
            "page_size": 2,
            "total_records": 3,
            "next_page_token": "tok2",
            "meetings": [
                {"id": 81234567890, "uuid": "u1==", "topic": "A", "type": 2, "pmi": "1"},
                {"id": 81234567891, "uuid": "u2==", "topic": "B", "type": 8},
            ],
        }
    )
    out = (
        ZoomTools(client)
        .call(
            "zoom_list_meetings",
            {
                "userId": "ada@example.com",
                "type": "upcoming",
                "pageSize": 2,
                "nextPageToken": "tok1",
            },
        )
        .content
    )
    assert [m["id"] for m in out["meetings"]] == [81234567890, 81234567891]
    assert "pmi" not in out["meetings"][0]
    assert out["pageInfo"] == {"pageSize": 2, "totalRecords": 3, "nextPageToken": "tok2"}


def test_get_meeting_query(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_oneshot_request(
        "/v2/meetings/85746065432",
        method="GET",
        query_string={"occurrence_id": "1796230800000", "show_previous_occurrences": "true"},
    ).respond_with_json(MEETING)
    out = (
        ZoomTools(client)
        .call(
            "zoom_get_meeting",
            {
                "meetingId": " 85746065432 ",
                "occurrenceId": "1796230800000",
                "showPreviousOccurrences": True,
            },
        )
        .content
    )
    assert out["meeting"]["topic"] == "Weekly sync"


def test_update_meeting_sends_only_given_fields(httpserver: HTTPServer, client: ZoomClient) -> None:
    answer_host_lookup(httpserver, "85746065432")
    httpserver.expect_oneshot_request(
        "/v2/meetings/85746065432",
        method="PATCH",
        json={"topic": "Renamed", "settings": {"mute_upon_entry": True}},
    ).respond_with_data("", status=204)
    out = (
        ZoomTools(client)
        .call(
            "zoom_update_meeting",
            {"meetingId": "85746065432", "topic": "Renamed", "muteUponEntry": True},
        )
        .content
    )
    httpserver.check_assertions()
    assert out == {"success": True}


def test_update_one_occurrence(httpserver: HTTPServer, client: ZoomClient) -> None:
    answer_host_lookup(httpserver, "85746065432")
    httpserver.expect_oneshot_request(
        "/v2/meetings/85746065432",
        method="PATCH",
        query_string={"occurrence_id": "1796230800000"},
        json={"duration": 45},
    ).respond_with_data("", status=204)
    client.update_meeting(meeting_id="85746065432", occurrence_id="1796230800000", duration=45)
    httpserver.check_assertions()


def test_delete_meeting_query(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_oneshot_request(
        "/v2/meetings/85746065432",
        method="DELETE",
        query_string={
            "occurrence_id": "1796230800000",
            "schedule_for_reminder": "false",
            "cancel_meeting_reminder": "true",
        },
    ).respond_with_data("", status=204)
    out = (
        ZoomTools(client)
        .call(
            "zoom_delete_meeting",
            {
                "meetingId": "85746065432",
                "occurrenceId": "1796230800000",
                "scheduleForReminder": False,
                "cancelMeetingReminder": True,
            },
        )
        .content
    )
    assert out == {"success": True}


def test_invitation(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_oneshot_request(
        "/v2/meetings/85746065432/invitation", method="GET"
    ).respond_with_json(
        {"invitation": "Join Zoom Meeting\nhttps://zoom.us/j/85746065432", "sip_links": []}
    )
    out = (
        ZoomTools(client).call("zoom_get_meeting_invitation", {"meetingId": "85746065432"}).content
    )
    assert out == {"invitation": "Join Zoom Meeting\nhttps://zoom.us/j/85746065432"}


RECORDING = {
    "uuid": "/ajXp112QmuoKj4854875==",
    "id": 85746065432,
    "account_id": "acc",
    "host_id": "KDcuGIm1QgePTO8WbOqwIQ",
    "topic": "Weekly sync",
    "type": 8,
    "start_time": "2026-11-20T17:00:00Z",
    "duration": 31,
    "total_size": 300,
    "recording_count": 2,
    "share_url": "https://zoom.us/rec/share/abc",
    "recording_files": [
        {
            "id": "f1",
            "meeting_id": "/ajXp112QmuoKj4854875==",
            "file_type": "MP4",
            "file_extension": "MP4",
            "file_size": 200,
            "status": "completed",
            "recording_type": "shared_screen_with_speaker_view",
            "download_url": "https://zoom.us/rec/download/f1",
        },
        # Real TIMELINE files have no id, size, status or recording type.
        {
            "meeting_id": "/ajXp112QmuoKj4854875==",
            "file_type": "TIMELINE",
            "file_extension": "JSON",
            "download_url": "https://zoom.us/rec/download/t",
        },
    ],
}


def test_list_recordings_query_and_tolerant_parsing(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    httpserver.expect_oneshot_request(
        "/v2/users/me/recordings",
        query_string={"from": "2026-11-01", "to": "2026-11-24", "page_size": "300"},
    ).respond_with_json(
        {
            "from": "2026-11-01",
            "to": "2026-11-24",
            "page_size": 300,
            "total_records": 2,
            "next_page_token": "",
            "meetings": [RECORDING, {**RECORDING, "uuid": "x==", "type": "2"}],
        }
    )
    out = (
        ZoomTools(client)
        .call(
            "zoom_list_recordings",
            {"userId": "me", "from": "2026-11-01", "to": "2026-11-24", "pageSize": 300},
        )
        .content
    )
    assert out["pageInfo"] == {
        "from": "2026-11-01",
        "to": "2026-11-24",
        "pageSize": 300,
        "totalRecords": 2,
        "nextPageToken": "",
    }
    first, second = out["recordings"]
    assert first["type"] == 8
    assert second["type"] == 2
    timeline = first["recording_files"][1]
    assert timeline == {
        "meeting_id": "/ajXp112QmuoKj4854875==",
        "file_type": "TIMELINE",
        "file_extension": "JSON",
        "download_url": "https://zoom.us/rec/download/t",
    }


def test_list_trash(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_oneshot_request(
        "/v2/users/me/recordings", query_string={"trash": "true"}
    ).respond_with_json({"meetings": [], "next_page_token": ""})
    out = ZoomTools(client).call("zoom_list_recordings", {"userId": "me", "trash": True}).content
    assert out["recordings"] == []


def _raw_uri_handler(seen: list[str], body: dict[str, Any] | None, status: int = 200):
    def handler(request: Request) -> Response:
        seen.append(request.environ.get("REQUEST_URI") or request.environ["RAW_URI"])
        if body is None:
            return Response("", status=status)
        return Response(json.dumps(body), status=status, content_type="application/json")

    return handler


@pytest.mark.parametrize(
    ("uuid", "encoded"),
    [
        ("/ajXp112QmuoKj4854875==", "%252FajXp112QmuoKj4854875%253D%253D"),
        ("ab//cXp112QmuoKj48548==", "ab%252F%252FcXp112QmuoKj48548%253D%253D"),
        ("a+b/cXp112QmuoKj48548==", "a%2Bb%2FcXp112QmuoKj48548%3D%3D"),
        ("85746065432", "85746065432"),
    ],
)
def test_meeting_uuid_encoding(
    httpserver: HTTPServer, client: ZoomClient, uuid: str, encoded: str
) -> None:
    seen: list[str] = []
    httpserver.expect_request(
        # werkzeug decodes the path once before matching; the raw URI is checked below.
        __import__("re").compile(r"^/v2/meetings/.*/recordings$")
    ).respond_with_handler(_raw_uri_handler(seen, {**RECORDING, "uuid": uuid}))
    out = ZoomTools(client).call("zoom_get_meeting_recordings", {"meetingId": uuid}).content
    assert seen == [f"/v2/meetings/{encoded}/recordings"]
    assert out["recording"]["uuid"] == uuid
    assert out["files"] == []


@pytest.mark.parametrize(
    ("value", "raw_path"),
    [
        ("../../users/me", "/v2/past_meetings/..%2F..%2Fusers%2Fme/participants"),
        ("x?page_size=1#frag", "/v2/past_meetings/x%3Fpage_size%3D1%23frag/participants"),
        # Zoom decodes a value twice when escapes remain: a literal %2F is encoded twice.
        ("a%2Fb", "/v2/past_meetings/a%25252Fb/participants"),
        ("..", "/v2/past_meetings/%2E%2E/participants"),
    ],
)
def test_no_input_changes_path_or_query(
    httpserver: HTTPServer, client: ZoomClient, value: str, raw_path: str
) -> None:
    seen: list[str] = []
    httpserver.expect_request(__import__("re").compile(r"^/v2/.*")).respond_with_handler(
        _raw_uri_handler(seen, {"participants": [], "next_page_token": ""})
    )
    # None of these is a meeting id or UUID: refused before any request...
    with pytest.raises(ValueError, match="meetingId: must be a numeric meeting ID"):
        ZoomTools(client).call("zoom_list_past_participants", {"meetingId": value})
    assert seen == []
    # ...and even sent, each would stay one path segment.
    request = PAST_MEETING_PARTICIPANTS.request({"meetingId": value})
    assert client.url_for(request).endswith(raw_path)


def test_recordings_ttl_asks_for_download_token(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_oneshot_request(
        "/v2/meetings/85746065432/recordings",
        query_string={
            "include_fields": "download_access_token",
            "ttl": "600",
            "include_folder_items": "true",
        },
    ).respond_with_json({**RECORDING, "download_access_token": "eyJhbGciOi.download.token"})
    result = ZoomTools(client).call(
        "zoom_get_meeting_recordings",
        {"meetingId": "85746065432", "ttl": 600, "includeFolderItems": True},
    )
    assert "download_access_token" not in json.dumps(result.content)


@pytest.mark.parametrize(
    ("args", "path", "query"),
    [
        ({"meetingId": "85746065432"}, "/v2/meetings/85746065432/recordings", {}),
        (
            {"meetingId": "85746065432", "action": "delete"},
            "/v2/meetings/85746065432/recordings",
            {"action": "delete"},
        ),
        (
            {"meetingId": "85746065432", "recordingId": "f1", "action": "trash"},
            "/v2/meetings/85746065432/recordings/f1",
            {"action": "trash"},
        ),
    ],
)
def test_delete_recording_paths(
    httpserver: HTTPServer,
    client: ZoomClient,
    args: dict[str, Any],
    path: str,
    query: dict[str, str],
) -> None:
    httpserver.expect_oneshot_request(path, method="DELETE", query_string=query).respond_with_data(
        "", status=204
    )
    assert ZoomTools(client).call("zoom_delete_recording", args).content == {"success": True}
    httpserver.check_assertions()


def test_past_participants_output(httpserver: HTTPServer, client: ZoomClient) -> None:
    rows = [
        {
            "id": "u1",
            "user_id": "16778240",
            "name": "Ada",
            "user_email": "ada@example.com",
            "join_time": "2026-11-20T17:00:00Z",
            "leave_time": "2026-11-20T17:10:00Z",
            "duration": 600,
            "failover": False,
            "status": "in_meeting",
            "internal_user": True,
        },
        {
            "id": "",
            "user_id": "16778241",
            "name": "Guest",
            "user_email": "",
            "join_time": "2026-11-20T17:01:00Z",
            "leave_time": "2026-11-20T17:30:00Z",
            "duration": 1740,
            "failover": False,
            "status": "in_meeting",
        },
    ]
    httpserver.expect_oneshot_request(
        "/v2/past_meetings/85746065432/participants", query_string={"page_size": "50"}
    ).respond_with_json(
        {"page_size": 50, "total_records": 2, "next_page_token": "", "participants": rows}
    )
    out = (
        ZoomTools(client)
        .call("zoom_list_past_participants", {"meetingId": "85746065432", "pageSize": 50})
        .content
    )
    assert out["participants"][1]["user_email"] == ""
    assert "internal_user" not in out["participants"][0]
    assert out["pageInfo"] == {"pageSize": 50, "totalRecords": 2, "nextPageToken": ""}


def test_iterator_keeps_query_on_every_page(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_ordered_request(
        "/v2/users/me/recordings",
        query_string={"from": "2026-11-01", "to": "2026-11-20", "page_size": "1"},
    ).respond_with_json({"meetings": [{**RECORDING, "uuid": "p1"}], "next_page_token": "n1"})
    httpserver.expect_ordered_request(
        "/v2/users/me/recordings",
        query_string={
            "from": "2026-11-01",
            "to": "2026-11-20",
            "page_size": "1",
            "next_page_token": "n1",
        },
    ).respond_with_json({"meetings": [{**RECORDING, "uuid": "p2"}], "next_page_token": ""})
    uuids = [
        r.uuid
        for r in client.iter_recordings(
            user_id="me", from_="2026-11-01", to="2026-11-20", page_size=1
        )
    ]
    assert uuids == ["p1", "p2"]
    httpserver.check_assertions()


def test_every_operation_is_declared_once_with_its_spec_identity() -> None:
    names = [op.name for op in OPERATIONS]
    assert names == [
        "zoom_create_meeting",
        "zoom_list_meetings",
        "zoom_get_meeting",
        "zoom_update_meeting",
        "zoom_delete_meeting",
        "zoom_get_meeting_invitation",
        "zoom_list_recordings",
        "zoom_get_meeting_recordings",
        "zoom_delete_recording",
        "zoom_list_past_participants",
        "zoom_list_past_meeting_instances",
        "zoom_get_meeting_transcript",
        "zoom_get_meeting_summary",
        "zoom_get_meeting_attendance",
    ]
    for op in OPERATIONS:
        assert callable(getattr(ZoomClient, op.method_name)), op.name
    destructive = {op.name for op in OPERATIONS if op.destructive}
    assert destructive == {"zoom_delete_meeting", "zoom_delete_recording"}
    writes = {op.name for op in OPERATIONS if op.writes}
    assert writes == destructive | {"zoom_create_meeting", "zoom_update_meeting"}
