"""Downloads never lie: files not ready are skipped, names never collide, nothing is overwritten
unless asked, and a file already on disk is recognised instead of fetched again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from zoom_agent_tools import ZoomClient, ZoomDownloadError
from zoom_agent_tools.models import Recording
from zoom_agent_tools.tools import ZoomTools

VIDEO = bytes(range(256)) * 8  # 2 048 bytes
TIMELINE = b'{"timeline": []}'
UUID_A = "4444AAAiAAAAAiAiAiiAii=="
UUID_B = "/ajXp112QmuoKj4854875=="


def _file(httpserver: HTTPServer, key: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": f"id-{key}",
        "file_type": "MP4",
        "file_extension": "MP4",
        "file_size": len(VIDEO),
        "status": "completed",
        "recording_start": "2026-11-20T17:00:05Z",
        "recording_end": "2026-11-20T17:30:05Z",
        "recording_type": "shared_screen_with_speaker_view",
        "download_url": httpserver.url_for(f"/rec/download/{key}"),
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def _recording(uuid: str, files: list[dict[str, Any]]) -> Recording:
    return Recording.model_validate(
        {
            "uuid": uuid,
            "id": 85746065432,
            "topic": "Weekly sync",
            "start_time": "2026-11-20T17:00:00Z",
            "recording_files": files,
        }
    )


def _timeline(httpserver: HTTPServer, key: str) -> dict[str, Any]:
    # Zoom's TIMELINE (and CC) files have no id, status, file_size or recording_type.
    return _file(
        httpserver,
        key,
        id=None,
        status=None,
        file_size=None,
        recording_type=None,
        file_type="TIMELINE",
        file_extension="JSON",
    )


def _downloads(httpserver: HTTPServer, key: str) -> int:
    return sum(1 for request, _ in httpserver.log if request.path == f"/rec/download/{key}")


NOT_READY = {
    "processing": {"status": "processing"},
    "no-file-type": {"file_type": ""},
    "zero-bytes": {"file_size": 0},
    "no-end": {"recording_end": ""},
    # What Zoom sends for a file it is still processing: all of the above at once.
    "all-placeholders": {
        "status": "processing",
        "file_type": "",
        "file_extension": None,
        "file_size": 0,
        "recording_end": "",
    },
}


def test_files_not_ready_are_skipped_with_the_reason(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    httpserver.expect_request("/rec/download/ready").respond_with_data(
        VIDEO, content_type="video/mp4"
    )
    # Were a not-ready file fetched, Zoom would send nothing (or a web page).
    httpserver.expect_request("/rec/download/not-ready").respond_with_data(b"")
    files = [_file(httpserver, "ready")]
    files += [_file(httpserver, "not-ready", id=f"id-{k}", **v) for k, v in NOT_READY.items()]
    files.append(_file(httpserver, "on-premise", id="id-on-premise", download_url=None))
    result = client.download_recording_files(_recording(UUID_A, files))
    statuses = {r.recording_id: r.status for r in result.files}
    assert statuses == {
        "id-ready": "saved",
        **{f"id-{k}": "skipped" for k in NOT_READY},
        "id-on-premise": "skipped",
    }
    for skipped in result.skipped:
        assert skipped.reason
        if skipped.recording_id != "id-on-premise":
            assert skipped.reason.endswith("try again later."), skipped.reason
    assert "no download URL" in (result.skipped[-1].reason or "")
    assert _downloads(httpserver, "not-ready") == 0
    # No empty file passes for a recording.
    assert [p.stat().st_size for p in (tmp_path / "downloads").iterdir()] == [len(VIDEO)]
    assert [f.recording_id for f in result.saved] == ["id-ready"]


def test_the_tool_tells_the_model_which_files_were_skipped(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    body = {
        "uuid": UUID_A,
        "id": 85746065432,
        "topic": "Weekly sync",
        "start_time": "2026-11-20T17:00:00Z",
        "recording_files": [
            _file(httpserver, "ready"),
            _file(httpserver, "busy", id="id-busy", **NOT_READY["all-placeholders"]),
        ],
    }
    httpserver.expect_request("/v2/meetings/85746065432/recordings").respond_with_json(body)
    httpserver.expect_request("/rec/download/ready").respond_with_data(
        VIDEO, content_type="video/mp4"
    )
    outcome = ZoomTools(client).run(
        "zoom_get_meeting_recordings", {"meetingId": "85746065432", "downloadFiles": True}
    )
    assert not outcome.is_error, outcome.text
    content = json.loads(outcome.text)
    assert [f["recording_id"] for f in content["files"]] == ["id-ready"]
    assert content["files"][0]["status"] == "saved"
    [skipped] = content["skippedFiles"]
    assert skipped["recording_id"] == "id-busy"
    assert "still processing" in skipped["reason"]
    assert "try again later" in skipped["reason"]
    assert "failedFiles" not in content
    assert content["downloadSummary"] == (
        "Of 2 recording files: 1 saved, 1 skipped (see skippedFiles for why)."
    )
    assert [f.recording_id for f in outcome.files] == ["id-ready"]


def test_files_without_id_of_two_instances_get_their_own_names(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    httpserver.expect_request("/rec/download/timeline-a").respond_with_data(b'{"a": 1}')
    httpserver.expect_request("/rec/download/timeline-b").respond_with_data(b'{"b": 22}')
    first = client.download_recording_files(
        _recording(UUID_A, [_timeline(httpserver, "timeline-a")])
    )
    second = client.download_recording_files(
        _recording(UUID_B, [_timeline(httpserver, "timeline-b")])
    )
    [a], [b] = first.saved, second.saved
    assert a.name != b.name
    assert Path(a.path).read_bytes() == b'{"a": 1}'
    assert Path(b.path).read_bytes() == b'{"b": 22}'
    assert a.name.startswith("2026-11-20_Weekly-sync_timeline_")
    # Stable: the same instance's file gets the same name on the next run.
    again = client.download_recording_files(
        _recording(UUID_A, [_timeline(httpserver, "timeline-a")])
    )
    assert again.files[0].name == a.name


def test_a_file_already_downloaded_is_recognised_not_fetched_again(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    httpserver.expect_request("/rec/download/video").respond_with_data(
        VIDEO, content_type="video/mp4"
    )
    recording = _recording(UUID_A, [_file(httpserver, "video")])
    first = client.download_recording_files(recording)
    second = client.download_recording_files(recording)
    assert [r.status for r in first.files] == ["saved"]
    assert [r.status for r in second.files] == ["already_present"]
    assert second.saved == first.saved
    assert _downloads(httpserver, "video") == 1
    assert "1 already present (not downloaded again)" in second.summary()


def test_a_file_without_reported_size_is_compared_after_download(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    httpserver.expect_request("/rec/download/timeline").respond_with_data(TIMELINE)
    recording = _recording(UUID_A, [_timeline(httpserver, "timeline")])
    first = client.download_recording_files(recording)
    second = client.download_recording_files(recording)
    assert [r.status for r in second.files] == ["already_present"]
    path = Path(first.saved[0].path)
    path.write_bytes(b'{"edited": "by the user"}')
    third = client.download_recording_files(recording)
    assert [r.status for r in third.files] == ["failed"]
    assert "was not replaced" in (third.files[0].reason or "")
    assert path.read_bytes() == b'{"edited": "by the user"}'
    assert len(list(path.parent.iterdir())) == 1  # no temporary file left


def test_an_existing_different_file_is_never_overwritten_unless_asked(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    httpserver.expect_request("/rec/download/video").respond_with_data(
        VIDEO, content_type="video/mp4"
    )
    httpserver.expect_request("/rec/download/other").respond_with_data(
        VIDEO, content_type="video/mp4"
    )
    recording = _recording(UUID_A, [_file(httpserver, "video"), _file(httpserver, "other")])
    names = [r.name for r in client.download_recording_files(recording).files]
    mine = tmp_path / "downloads" / names[0]
    mine.write_bytes(b"the user's own notes")
    kept = client.download_recording_files(recording)
    assert [r.status for r in kept.files] == ["failed", "already_present"]
    assert "already in the download folder" in (kept.files[0].reason or "")
    assert "overwrite=True" in (kept.files[0].reason or "")
    assert mine.read_bytes() == b"the user's own notes"
    replaced = client.download_recording_files(recording, overwrite=True)
    assert [r.status for r in replaced.files] == ["overwritten", "overwritten"]
    assert mine.read_bytes() == VIDEO
    assert "2 of them replaced an older file of that name" in replaced.summary()


def test_a_symlink_in_the_way_is_not_followed(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    httpserver.expect_request("/rec/download/video").respond_with_data(VIDEO)
    recording = _recording(UUID_A, [_file(httpserver, "video")])
    name = client.download_recording_files(recording, tmp_path / "probe").files[0].name
    elsewhere = tmp_path / "precious.bin"
    elsewhere.write_bytes(b"x" * len(VIDEO))  # same size as Zoom reports
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / name).symlink_to(elsewhere)
    result = client.download_recording_files(recording)
    assert [r.status for r in result.files] == ["failed"]
    assert elsewhere.read_bytes() == b"x" * len(VIDEO)


@pytest.mark.parametrize("status", [500, 401])
def test_one_failed_file_does_not_stop_the_others(
    httpserver: HTTPServer, client: ZoomClient, status: int
) -> None:
    httpserver.expect_request("/rec/download/broken").respond_with_json(
        {"code": 124 if status == 401 else 500, "message": "nope"}, status=status
    )
    httpserver.expect_request("/rec/download/video").respond_with_data(VIDEO)
    recording = _recording(
        UUID_A, [_file(httpserver, "broken", id="id-broken"), _file(httpserver, "video")]
    )
    result = client.download_recording_files(recording)
    assert [r.status for r in result.files] == ["failed", "saved"]
    assert result.failed[0].reason
    assert "failed (see failedFiles for why and what to do)" in result.summary()


def test_an_unusable_download_folder_is_one_clear_error(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    recording = _recording(UUID_A, [_file(httpserver, "video")])
    with pytest.raises(ZoomDownloadError, match="Cannot create the download folder 'sub'") as info:
        client.download_recording_files(recording, blocker / "sub")
    assert "writable download folder" in str(info.value)
    assert httpserver.log == []
