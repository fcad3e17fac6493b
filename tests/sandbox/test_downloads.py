"""Recording downloads: auth, Range, content types, Zoom's HTML quirk, and constant memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.sandbox.conftest import NOW, ZoomHTTP, counting_ticker
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, Sandbox

# Downloads stream over a real socket here; tests/sandbox/test_transport.py streams in process.
pytestmark = pytest.mark.served

GET = "/meetings/{meetingId}/recordings"


def files_by_type(zoom_http: ZoomHTTP) -> dict[str, dict[str, Any]]:
    body = zoom_http.get(GET, {"meetingId": SPECIAL_UUIDS["leading_slash"]}, encode_times=2).json()
    return {f["file_type"]: f for f in body["recording_files"]}


def fetch(zoom_http: ZoomHTTP, url: str, **headers: str) -> requests.Response:
    return requests.get(
        url, headers={"Authorization": f"Bearer {zoom_http.token}", **headers}, timeout=30
    )


def test_full_download_matches_reported_size_and_type(zoom_http: ZoomHTTP) -> None:
    expected = {
        "MP4": "video/mp4",
        "M4A": "audio/mp4",
        "TRANSCRIPT": "text/vtt",
        "CHAT": "text/plain",
        "TIMELINE": "application/json",
    }
    for kind, file in files_by_type(zoom_http).items():
        response = fetch(zoom_http, file["download_url"])
        assert response.status_code == 200
        assert response.headers["Content-Type"] == expected[kind]
        assert response.headers["Content-Length"] == str(len(response.content))
        assert "attachment; filename=" in response.headers["Content-Disposition"]
        if "file_size" in file:
            assert len(response.content) == file["file_size"]
    transcript = fetch(zoom_http, files_by_type(zoom_http)["TRANSCRIPT"]["download_url"]).text
    assert transcript.startswith("WEBVTT")


def test_range_requests(zoom_http: ZoomHTTP) -> None:
    mp4 = files_by_type(zoom_http)["MP4"]
    whole = fetch(zoom_http, mp4["download_url"]).content
    size = mp4["file_size"]
    part = fetch(zoom_http, mp4["download_url"], Range="bytes=1000-299999")
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-299999/{size}"
    assert part.content == whole[1000:300000]
    tail = fetch(zoom_http, mp4["download_url"], Range="bytes=-500")
    assert tail.content == whole[-500:]
    open_end = fetch(zoom_http, mp4["download_url"], Range=f"bytes={size - 10}-")
    assert open_end.content == whole[-10:]
    beyond = fetch(zoom_http, mp4["download_url"], Range=f"bytes={size}-")
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{size}"
    assert fetch(zoom_http, mp4["download_url"]).content == whole  # deterministic content


def test_unauthorised_downloads(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    url = files_by_type(zoom_http)["MP4"]["download_url"]
    anonymous = requests.get(url, timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.json() == {"code": 124, "message": "Invalid access token."}
    query = requests.get(url, params={"access_token": zoom_http.token}, timeout=10)
    assert query.status_code == 401
    assert "query parameter" in query.json()["message"]
    meetings_only = sandbox.issue_token(["meeting:read:meeting:admin"])
    narrow = requests.get(url, headers={"Authorization": f"Bearer {meetings_only}"}, timeout=10)
    assert narrow.status_code == 401
    sandbox.html_download_errors = True
    quirk = requests.get(url, timeout=10)
    assert quirk.status_code == 200
    assert quirk.headers["Content-Type"].startswith("text/html")
    assert "Only the host can download this recording" in quirk.text


def test_trashed_file_cannot_be_downloaded(zoom_http: ZoomHTTP) -> None:
    chat = files_by_type(zoom_http)["CHAT"]
    zoom_http.delete(
        "/meetings/{meetingId}/recordings/{recordingId}",
        {"meetingId": SPECIAL_UUIDS["leading_slash"], "recordingId": chat["id"]},
        encode_times=2,
    )
    assert fetch(zoom_http, chat["download_url"]).status_code == 404


def test_large_file_streams_without_buffering() -> None:
    size = 256 * 1024 * 1024
    with Sandbox(now=NOW, rate_ticker=counting_ticker(), download_file_size=size) as sb:
        token = sb.issue_token()
        recording = sb.add_recording(topic="Big", file_size=2**30, file_types=("MP4",))
        listed = requests.get(
            sb.api_base_url + f"/meetings/{recording['id']}/recordings",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()
        assert listed["recording_files"][0]["file_size"] == 2**30
        seeded = requests.get(
            sb.api_base_url + "/meetings/" + "%252F9Fh2kQ0TsaPdKx7bq1Ylw%253D%253D" + "/recordings",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()
        url = next(f for f in seeded["recording_files"] if f["file_type"] == "MP4")["download_url"]
        tracemalloc.start()
        try:
            received = 0
            with requests.get(
                url, headers={"Authorization": f"Bearer {token}"}, stream=True, timeout=60
            ) as response:
                assert response.headers["Content-Length"] == str(size)
                for chunk in response.iter_content(chunk_size=1 << 20):
                    received += len(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert received == size
        # Server and client share this process: both together stay far below the file size.
        assert peak < 32 * 1024 * 1024


def test_a_file_still_processing_is_listed_with_placeholders(zoom_http: ZoomHTTP) -> None:
    # Checked against the spec (with its documented processing slip) by the zoom_http helper.
    todays = zoom_http.get("/users/{userId}/recordings", {"userId": "me"}).json()["meetings"]
    assert len(todays) == 2
    for today in todays:
        [busy] = [f for f in today["recording_files"] if f.get("status") == "processing"]
        assert busy["file_type"] == ""
        assert busy["file_size"] == 0
        assert busy["recording_end"] == ""
        assert "file_extension" not in busy
        assert busy["recording_type"] == "gallery_view"
        detail = zoom_http.get(GET, {"meetingId": today["uuid"]}, encode_times=2).json()
        assert busy in detail["recording_files"]
        # A careless client would save this as a 0-byte recording.
        assert fetch(zoom_http, busy["download_url"]).content == b""


def test_the_client_skips_the_file_still_processing(sandbox: Sandbox, tmp_path: Path) -> None:
    with sandbox.client(download_dir=tmp_path) as client:
        # The newest of today's recordings, as an agent reaches it first.
        today = client.list_recordings(user_id="me").items[0]
        assert today.uuid is not None
        result = client.download_recording_files(
            client.get_meeting_recordings(meeting_id=today.uuid)
        )
    [skipped] = result.skipped
    assert skipped.reason is not None
    assert "still processing" in skipped.reason
    assert result.failed == []
    assert len(result.saved) == len(result.files) - 1 > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.name for f in result.saved)
    assert all(f.size > 0 for f in result.saved)
