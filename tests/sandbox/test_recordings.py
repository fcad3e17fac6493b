"""Cloud recordings in the sandbox: listing rules, trash, UUID encodings, deletion, tokens."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.conftest import ZoomHTTP
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, ManualClock, Sandbox

LIST = "/users/{userId}/recordings"
GET = "/meetings/{meetingId}/recordings"
ONE = "/meetings/{meetingId}/recordings/{recordingId}"
PARTICIPANTS = "/past_meetings/{meetingId}/participants"


def test_default_window_is_today(zoom_http: ZoomHTTP) -> None:
    body = zoom_http.get(LIST, {"userId": "me"}).json()
    assert body["from"] == "2026-03-10"
    assert body["to"] == "2026-03-11"
    # Today's standup and the short support call seeded for the real shapes.
    assert [m["start_time"][:10] for m in body["meetings"]] == ["2026-03-10"] * 2


def test_month_window_and_file_shapes(zoom_http: ZoomHTTP) -> None:
    body = zoom_http.get(
        LIST, {"userId": "me"}, params={"from": "2026-02-10", "to": "2026-03-10"}
    ).json()
    uuids = [m["uuid"] for m in body["meetings"]]
    assert len(uuids) == 6
    assert body["total_records"] == 6
    assert set(SPECIAL_UUIDS.values()) <= set(uuids)
    starts = [m["start_time"] for m in body["meetings"]]
    assert starts == sorted(starts, reverse=True)
    meeting = body["meetings"][1]
    assert isinstance(meeting["type"], int)  # Zoom sends a number although the spec says string
    kinds = {f["file_type"]: f for m in body["meetings"] for f in m["recording_files"]}
    assert {"MP4", "M4A", "TRANSCRIPT", "CHAT", "TIMELINE"} <= set(kinds)
    timeline = kinds["TIMELINE"]
    for absent in ("id", "file_size", "status", "play_url", "recording_type"):
        assert absent not in timeline
    assert timeline["download_url"].startswith(zoom_http.sandbox.oauth_base_url + "/rec/download/")
    for m in body["meetings"]:
        sized = [f["file_size"] for f in m["recording_files"] if "file_size" in f]
        assert m["total_size"] == sum(sized)
        assert m["recording_count"] == len(m["recording_files"])
        assert all(f["meeting_id"] == m["uuid"] for f in m["recording_files"])


def test_date_rules(zoom_http: ZoomHTTP) -> None:
    too_long = zoom_http.get(
        LIST, {"userId": "me"}, params={"from": "2026-02-01", "to": "2026-03-10"}
    )
    assert too_long.status_code == 400
    assert too_long.json()["code"] == 300
    backwards = zoom_http.get(
        LIST, {"userId": "me"}, params={"from": "2026-03-10", "to": "2026-03-01"}
    )
    assert backwards.status_code == 400
    bad = zoom_http.get(LIST, {"userId": "me"}, params={"from": "yesterday"}, check_request=False)
    assert bad.status_code == 400
    missing = zoom_http.get(LIST, {"userId": "ghost"})
    assert missing.status_code == 404
    assert missing.json()["code"] == 1001


def test_trash_listings_ignore_dates(zoom_http: ZoomHTTP) -> None:
    trash = zoom_http.get(LIST, {"userId": "me"}, params={"trash": "true"}).json()
    assert [m["topic"] for m in trash["meetings"]] == ["Sprint retro"]
    assert all("deleted_time" in f for f in trash["meetings"][0]["recording_files"])
    files = zoom_http.get(
        LIST, {"userId": "me"}, params={"trash": "true", "trash_type": "recording_file"}
    ).json()
    assert [[f["file_type"] for f in m["recording_files"]] for m in files["meetings"]] == [["M4A"]]
    normal = zoom_http.get(
        LIST, {"userId": "me"}, params={"from": "2026-02-10", "to": "2026-03-10"}
    ).json()
    partly = next(m for m in normal["meetings"] if m["start_time"].startswith("2026-02-18"))
    assert "M4A" not in [f["file_type"] for f in partly["recording_files"]]


NEEDS_DOUBLE = [SPECIAL_UUIDS["leading_slash"], SPECIAL_UUIDS["double_slash"]]
ALL_SPECIAL = [*NEEDS_DOUBLE, SPECIAL_UUIDS["plus_and_slash"]]


@pytest.mark.parametrize("uuid", ALL_SPECIAL)
def test_double_encoded_uuids_are_found(zoom_http: ZoomHTTP, sandbox: Sandbox, uuid: str) -> None:
    body = zoom_http.get(GET, {"meetingId": uuid}, encode_times=2).json()
    assert body["uuid"] == uuid
    people = zoom_http.get(PARTICIPANTS, {"meetingId": uuid}, encode_times=2)
    assert people.status_code == 200
    assert people.json()["total_records"] > 0
    assert zoom_http.delete(GET, {"meetingId": uuid}, encode_times=2).status_code == 204
    stored = sandbox.store.get_recording(uuid)
    assert stored is not None
    assert stored["trashed_at"] is not None


@pytest.mark.parametrize("uuid", NEEDS_DOUBLE)
def test_single_encoded_uuid_that_needs_double_is_unknown(
    zoom_http: ZoomHTTP, sandbox: Sandbox, uuid: str
) -> None:
    # Zoom does not find a UUID beginning with "/" or holding "//" unless double-encoded.
    unknown_recording = {"code": 3301, "message": "There is no recording for this meeting."}
    got = zoom_http.get(GET, {"meetingId": uuid})
    assert got.status_code == 404
    assert got.json() == unknown_recording
    people = zoom_http.get(PARTICIPANTS, {"meetingId": uuid})
    assert people.status_code == 404
    assert people.json()["code"] == 3001
    assert people.json()["message"].startswith("Meeting does not exist: ")
    deleted = zoom_http.delete(GET, {"meetingId": uuid})
    assert deleted.status_code == 404
    assert deleted.json() == unknown_recording
    before = sandbox.store.get_recording(uuid)
    assert before is not None
    one = zoom_http.delete(ONE, {"meetingId": uuid, "recordingId": before["files"][0]["id"]})
    assert one.status_code == 404
    assert one.json() == unknown_recording
    stored = sandbox.store.get_recording(uuid)
    assert stored is not None
    assert stored["trashed_at"] is None
    assert all(f["trashed_at"] is None for f in stored["files"])


@pytest.mark.parametrize("times", [1, 2])
def test_plus_and_inner_slash_work_single_or_double_encoded(
    zoom_http: ZoomHTTP, sandbox: Sandbox, times: int
) -> None:
    uuid = SPECIAL_UUIDS["plus_and_slash"]
    assert "+" in uuid
    assert "/" in uuid
    assert "//" not in uuid
    assert not uuid.startswith("/")
    assert zoom_http.get(GET, {"meetingId": uuid}, encode_times=times).json()["uuid"] == uuid
    people = zoom_http.get(PARTICIPANTS, {"meetingId": uuid}, encode_times=times)
    assert people.status_code == 200
    before = sandbox.store.get_recording(uuid)
    assert before is not None
    file_id = before["files"][0]["id"]
    one = zoom_http.delete(ONE, {"meetingId": uuid, "recordingId": file_id}, encode_times=times)
    assert one.status_code == 204
    assert zoom_http.delete(GET, {"meetingId": uuid}, encode_times=times).status_code == 204
    stored = sandbox.store.get_recording(uuid)
    assert stored is not None
    assert stored["trashed_at"] is not None


@pytest.mark.served
def test_unencoded_slash_does_not_reach_the_recording(zoom_http: ZoomHTTP) -> None:
    raw = requests.get(
        zoom_http.sandbox.api_base_url
        + "/meetings/"
        + SPECIAL_UUIDS["double_slash"]
        + "/recordings",
        headers={"Authorization": f"Bearer {zoom_http.token}"},
        timeout=10,
    )
    assert raw.status_code == 404


def test_numeric_id_means_latest_instance(zoom_http: ZoomHTTP) -> None:
    leading = zoom_http.get(
        GET, {"meetingId": SPECIAL_UUIDS["leading_slash"]}, encode_times=2
    ).json()
    latest = zoom_http.get(GET, {"meetingId": leading["id"]}).json()
    assert latest["uuid"] == SPECIAL_UUIDS["leading_slash"]
    assert "password" in latest
    assert "recording_play_passcode" in latest
    people = zoom_http.get(PARTICIPANTS, {"meetingId": leading["id"]}).json()
    assert people["total_records"] == 5
    missing = zoom_http.get(GET, {"meetingId": "nope=="})
    assert missing.status_code == 404
    assert missing.json() == {"code": 3301, "message": "There is no recording for this meeting."}


def test_participants_rows_and_pagination(zoom_http: ZoomHTTP) -> None:
    rows = zoom_http.get(
        PARTICIPANTS, {"meetingId": SPECIAL_UUIDS["leading_slash"]}, encode_times=2
    ).json()["participants"]
    lin = [r for r in rows if r["name"] == "Lin Cohost"]
    assert len(lin) == 2
    assert lin[0]["user_id"] != lin[1]["user_id"]
    guest = next(r for r in rows if r["name"] == "Guest Speaker")
    assert guest["user_email"] == ""
    assert guest["id"] == ""
    assert {r["status"] for r in rows} == {"in_meeting", "in_waiting_room"}
    assert rows[0]["duration"] == 45 * 60
    listed = zoom_http.get(LIST, {"userId": "me"}).json()["meetings"]
    today = next(m for m in listed if m["topic"] == "Daily standup")
    first = zoom_http.get(PARTICIPANTS, {"meetingId": today["uuid"]}).json()
    assert first["total_records"] == 45
    assert len(first["participants"]) == 30
    rest = zoom_http.get(
        PARTICIPANTS,
        {"meetingId": today["uuid"]},
        params={"next_page_token": first["next_page_token"]},
    ).json()
    assert len(rest["participants"]) == 15
    assert rest["next_page_token"] == ""
    missing = zoom_http.get(PARTICIPANTS, {"meetingId": 12345678901})
    assert missing.status_code == 404
    assert missing.json()["code"] == 3001


def test_trash_and_delete_whole_recording(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    uuid = SPECIAL_UUIDS["plus_and_slash"]
    assert zoom_http.delete(GET, {"meetingId": uuid}).status_code == 204
    assert zoom_http.get(GET, {"meetingId": uuid}).status_code == 404
    trash = zoom_http.get(LIST, {"userId": "me"}, params={"trash": "true"}).json()
    assert uuid in [m["uuid"] for m in trash["meetings"]]
    gone = zoom_http.delete(GET, {"meetingId": uuid}, params={"action": "delete"})
    assert gone.status_code == 204
    assert sandbox.store.get_recording(uuid) is None
    trash = zoom_http.get(LIST, {"userId": "me"}, params={"trash": "true"}).json()
    assert uuid not in [m["uuid"] for m in trash["meetings"]]


def test_trash_and_delete_one_file(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    uuid = SPECIAL_UUIDS["double_slash"]
    files = zoom_http.get(GET, {"meetingId": uuid}, encode_times=2).json()["recording_files"]
    chat = next(f for f in files if f["file_type"] == "CHAT")
    response = zoom_http.delete(ONE, {"meetingId": uuid, "recordingId": chat["id"]}, encode_times=2)
    assert response.status_code == 204
    after = zoom_http.get(GET, {"meetingId": uuid}, encode_times=2).json()
    assert "CHAT" not in [f["file_type"] for f in after["recording_files"]]
    trash = zoom_http.get(
        LIST, {"userId": "me"}, params={"trash": "true", "trash_type": "recording_file"}
    ).json()
    assert uuid in [m["uuid"] for m in trash["meetings"]]
    mp4 = next(f for f in files if f["file_type"] == "MP4")
    zoom_http.delete(
        ONE,
        {"meetingId": uuid, "recordingId": mp4["id"]},
        encode_times=2,
        params={"action": "delete"},
    )
    stored = sandbox.store.get_recording(uuid)
    assert stored is not None
    assert "MP4" not in [f["file_type"] for f in stored["files"]]
    unknown = zoom_http.delete(
        ONE, {"meetingId": uuid, "recordingId": "no-such-file"}, encode_times=2
    )
    assert unknown.status_code == 404
    bad_action = zoom_http.delete(
        GET, {"meetingId": uuid}, params={"action": "shred"}, check_request=False
    )
    assert bad_action.status_code == 400


@pytest.mark.served
def test_download_access_token_and_ttl(zoom_http: ZoomHTTP, clock: ManualClock) -> None:
    uuid = SPECIAL_UUIDS["leading_slash"]
    body = zoom_http.get(
        GET,
        {"meetingId": uuid},
        encode_times=2,
        params={"include_fields": "download_access_token", "ttl": 60},
    ).json()
    token = body["download_access_token"]
    assert token.count(".") == 2
    url = body["recording_files"][2]["download_url"]
    ok = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert ok.status_code == 200
    other = zoom_http.get(GET, {"meetingId": SPECIAL_UUIDS["plus_and_slash"]}).json()
    foreign = requests.get(
        other["recording_files"][0]["download_url"],
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert foreign.status_code == 401
    clock.advance(61)
    late = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert late.status_code == 401
    assert late.json()["code"] == 124
    too_long = zoom_http.get(
        GET,
        {"meetingId": uuid},
        encode_times=2,
        check_request=False,
        params={"include_fields": "download_access_token", "ttl": 604801},
    )
    assert too_long.status_code == 400
