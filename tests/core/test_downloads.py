"""Recording downloads: streamed, verified, atomic, resumed, and only to Zoom's hosts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.core.conftest import TOKEN
from zoom_agent_tools import ZoomClient
from zoom_agent_tools._origins import TokenHosts
from zoom_agent_tools.downloads import safe_filename
from zoom_agent_tools.models import Recording, RecordingFile
from zoom_agent_tools.tools import ZoomTools

VIDEO = bytes(range(256)) * 40  # 10 240 bytes
TRANSCRIPT = b"WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nHello\n"


def recording(httpserver: HTTPServer, **overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "uuid": "/ajXp112QmuoKj4854875==",
        "id": 85746065432,
        "topic": "Design review: Q4/plan",
        "start_time": "2026-11-20T17:00:00Z",
        "download_access_token": "dl-token-abcdef123456",
        "recording_files": [
            {
                "id": "f-video",
                "file_type": "MP4",
                "file_extension": "MP4",
                "file_size": len(VIDEO),
                "recording_start": "2026-11-20T17:00:05Z",
                "recording_type": "shared_screen_with_speaker_view",
                "download_url": httpserver.url_for("/rec/download/video"),
            },
            {
                "id": "f-vtt",
                "file_type": "TRANSCRIPT",
                "file_extension": "VTT",
                "file_size": len(TRANSCRIPT),
                "recording_type": "audio_transcript",
                "download_url": httpserver.url_for("/rec/download/vtt"),
            },
            # No download URL (on-premise): skipped.
            {"id": "f-local", "file_type": "MP4", "file_path": "/var/rec/x.mp4"},
        ],
    }
    base.update(overrides)
    return base


def expect_recordings(httpserver: HTTPServer, body: dict[str, object]) -> None:
    httpserver.expect_request(
        "/v2/meetings/85746065432/recordings",
        query_string={"include_fields": "download_access_token"},
    ).respond_with_json(body)


def test_download_files_saves_verified_files(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    expect_recordings(httpserver, recording(httpserver))
    dl_auth = {"Authorization": "Bearer dl-token-abcdef123456"}
    httpserver.expect_request("/rec/download/video", headers=dl_auth).respond_with_data(
        VIDEO, content_type="video/mp4"
    )
    httpserver.expect_request("/rec/download/vtt", headers=dl_auth).respond_with_data(
        TRANSCRIPT, content_type="text/vtt"
    )
    result = ZoomTools(client).call(
        "zoom_get_meeting_recordings", {"meetingId": "85746065432", "downloadFiles": True}
    )
    files = result.content["files"]
    assert [(f["mime_type"], f["size"]) for f in files] == [
        ("video/mp4", len(VIDEO)),
        ("text/vtt", len(TRANSCRIPT)),
    ]
    assert files[0]["name"] == (
        "2026-11-20_Design-review-Q4-plan_shared_screen_with_speaker_view_f-video.mp4"
    )
    assert Path(files[0]["path"]).read_bytes() == VIDEO
    assert Path(files[1]["path"]).read_bytes() == TRANSCRIPT
    assert result.files[0].path == files[0]["path"]
    assert sorted(p.name for p in (tmp_path / "downloads").iterdir()) == sorted(
        f["name"] for f in files
    )
    assert "dl-token" not in str(result.content)


def _run_download(client: ZoomClient) -> dict[str, Any]:
    result = ZoomTools(client).call(
        "zoom_get_meeting_recordings", {"meetingId": "85746065432", "downloadFiles": True}
    )
    return result.content


def _serve_transcript(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/rec/download/vtt").respond_with_data(
        TRANSCRIPT, content_type="text/vtt"
    )


def test_html_answer_with_200_is_refused_and_nothing_is_kept(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    expect_recordings(httpserver, recording(httpserver))
    httpserver.expect_request("/rec/download/video").respond_with_data(
        "<html>Only the host can download this recording.</html>", content_type="text/html"
    )
    _serve_transcript(httpserver)
    content = _run_download(client)
    # The failed file is reported, and does not stop the meeting's other files.
    [failed] = content["failedFiles"]
    assert failed["recording_id"] == "f-video"
    assert "web page instead of the recording" in failed["reason"]
    assert [f["recording_id"] for f in content["files"]] == ["f-vtt"]
    assert [p.name for p in (tmp_path / "downloads").iterdir()] == [content["files"][0]["name"]]


def test_short_file_is_refused_and_nothing_is_kept(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    body = recording(httpserver)
    files = body["recording_files"]
    assert isinstance(files, list)
    files[0]["file_size"] = len(VIDEO) - 1  # the server sends one byte more than reported
    expect_recordings(httpserver, body)
    httpserver.expect_request("/rec/download/video").respond_with_data(
        VIDEO, content_type="video/mp4"
    )
    _serve_transcript(httpserver)
    content = _run_download(client)
    [failed] = content["failedFiles"]
    assert f"got {len(VIDEO)} of {len(VIDEO) - 1} bytes" in failed["reason"]
    assert [p.name for p in (tmp_path / "downloads").iterdir()] == [content["files"][0]["name"]]


def test_a_cut_download_resumes_with_a_range_request(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    ranges: list[str | None] = []

    def serve(request: Request) -> Response:
        wanted = request.headers.get("Range")
        ranges.append(wanted)
        if wanted is None:
            half = VIDEO[:4000]
            # Promise the whole file, send part of it: the connection ends early.
            return Response(
                iter([half]), headers={"Content-Length": str(len(VIDEO))}, content_type="video/mp4"
            )
        start = int(wanted.removeprefix("bytes=").rstrip("-"))
        return Response(
            VIDEO[start:],
            status=206,
            content_type="video/mp4",
            headers={"Content-Range": f"bytes {start}-{len(VIDEO) - 1}/{len(VIDEO)}"},
        )

    body = recording(httpserver)
    files = body["recording_files"]
    assert isinstance(files, list)
    body["recording_files"] = files[:1]
    expect_recordings(httpserver, body)
    httpserver.expect_request("/rec/download/video").respond_with_handler(serve)
    # A cut loses at most the chunk being read; small chunks keep the 4000 bytes received.
    client.downloads = replace(client.downloads, chunk_size=1000)
    result = ZoomTools(client).call(
        "zoom_get_meeting_recordings", {"meetingId": "85746065432", "downloadFiles": True}
    )
    assert ranges == [None, "bytes=4000-"]
    assert Path(result.files[0].path).read_bytes() == VIDEO


def test_download_error_status_is_mapped(httpserver: HTTPServer, client: ZoomClient) -> None:
    expect_recordings(httpserver, recording(httpserver))
    httpserver.expect_request("/rec/download/video").respond_with_json(
        {"code": 3301, "message": "There is no recording for this meeting."}, status=404
    )
    _serve_transcript(httpserver)
    [failed] = _run_download(client)["failedFiles"]
    assert "3301" in failed["reason"]
    assert "list it again" in failed["reason"]


def test_token_goes_only_to_zoom_hosts(httpserver: HTTPServer, client: ZoomClient) -> None:
    body = recording(httpserver)
    body["recording_files"] = [
        {
            "id": "x",
            "file_type": "MP4",
            "file_size": 3,
            "download_url": "https://zoom.us.evil.example/rec/x",
        }
    ]
    expect_recordings(httpserver, body)
    content = _run_download(client)
    [failed] = content["failedFiles"]
    assert "not one of Zoom's hosts" in failed["reason"]
    assert content["files"] == []


def test_download_falls_back_to_the_api_token(httpserver: HTTPServer, client: ZoomClient) -> None:
    body = recording(httpserver)
    del body["download_access_token"]
    files = body["recording_files"]
    assert isinstance(files, list)
    body["recording_files"] = files[1:2]
    expect_recordings(httpserver, body)
    httpserver.expect_request(
        "/rec/download/vtt", headers={"Authorization": f"Bearer {TOKEN}"}
    ).respond_with_data(TRANSCRIPT, content_type="text/vtt")
    result = ZoomTools(client).call(
        "zoom_get_meeting_recordings", {"meetingId": "85746065432", "downloadFiles": True}
    )
    assert Path(result.files[0].path).read_bytes() == TRANSCRIPT


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://zoom.us/rec/download/a", True),
        ("https://us02web.zoom.us/rec/download/a", True),
        ("http://zoom.us/rec/download/a", False),
        ("https://zoom.us.attacker.example/a", False),
        ("https://notzoom.us/a", False),
        ("http://127.0.0.1:8000/rec/download/a", True),  # the API host itself
        ("http://127.0.0.1:9999/rec/download/a", False),
    ],
)
def test_download_host_policy(url: str, allowed: bool) -> None:
    hosts = TokenHosts.configure("http://127.0.0.1:8000/v2")
    assert hosts.allows(url) is allowed


def test_safe_filenames_cannot_escape_or_hide() -> None:
    rec = Recording(topic="../../etc/passwd", start_time="2026-11-20T17:00:00Z")
    name = safe_filename(rec, RecordingFile(file_type="TIMELINE"), 3)
    assert name == "2026-11-20_etc-passwd_timeline_3.json"
    hidden = safe_filename(Recording(topic=".bashrc"), RecordingFile(file_type="CHAT"), 1)
    assert not hidden.startswith(".")
    assert "/" not in hidden
