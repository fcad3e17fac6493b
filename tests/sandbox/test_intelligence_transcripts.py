"""Meeting transcripts: metadata in every state, the download, Zoom's WebVTT and CC formats."""

from __future__ import annotations

import itertools
import threading
import time
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from werkzeug.test import EnvironBuilder

from tests.sandbox.conftest import ZoomHTTP
from tests.sandbox.intelligence import (
    RECORDINGS,
    TRANSCRIPT,
    UUIDS,
    download,
    module_http,
    parse_vtt,
    team_http,
    team_meeting,
    times,
)
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, Sandbox
from zoom_agent_tools.sandbox.clock import parse_utc
from zoom_agent_tools.sandbox.seed import HOST_ID

SPEAKERS = {"Priya Natarajan", "Kenji Watanabe", "Sofia Alvarez", "Lin Cohost"}


@pytest.fixture(scope="module")
def http() -> Iterator[ZoomHTTP]:
    yield from module_http()


def _meta(http: ZoomHTTP, key_or_uuid: str) -> requests.Response:
    uuid = UUIDS.get(key_or_uuid, key_or_uuid)
    return http.get(TRANSCRIPT, {"meetingId": uuid}, encode_times=times(uuid))


def _files(http: ZoomHTTP, key: str) -> dict[str, dict[str, Any]]:
    uuid = UUIDS[key]
    body = http.get(RECORDINGS, {"meetingId": uuid}, encode_times=times(uuid)).json()
    return {f["file_type"]: f for f in body["recording_files"]}


def test_a_ready_transcript(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    response = _meta(http, "standup_last_week")
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Category"] == "Medium"
    body = response.json()
    instance = sandbox.store.get_instance(UUIDS["standup_last_week"])
    assert instance is not None
    url = body.pop("download_url")
    created = parse_utc(instance["end_time"]) + timedelta(minutes=2)
    assert body == {
        "meeting_id": UUIDS["standup_last_week"],
        "account_id": sandbox.account_id,
        "meeting_topic": "Platform team weekly standup",
        "host_id": "PnT4rQ8aSyeWd0LmZk3vXw",
        "transcript_created_time": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "can_download": True,
        "auto_delete": False,
    }
    assert url.startswith(sandbox.oauth_base_url + "/rec/meeting/transcript/download/")
    got = download(http, url)
    assert got.status_code == 200
    assert got.headers["Content-Type"] == "text/vtt"
    assert got.headers["Content-Length"] == str(len(got.content))
    assert got.headers["Content-Disposition"].endswith('_Recording.transcript.vtt"')
    # The same text as the recording's TRANSCRIPT file.
    recorded = _files(http, "standup_last_week")["TRANSCRIPT"]
    assert download(http, recorded["download_url"]).content == got.content
    assert recorded["file_size"] == len(got.content)


def test_by_meeting_id_the_latest_instance_is_still_processing(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    standup = team_meeting(sandbox, "Platform team weekly standup")
    body = http.get(TRANSCRIPT, {"meetingId": standup}).json()
    assert body["meeting_id"] == UUIDS["standup_today"]
    assert body["can_download"] is False
    assert body["download_restriction_reason"] == "NOT_READY"
    assert "download_url" not in body
    assert "transcript_created_time" not in body
    # The recording lists the transcript with Zoom's placeholders while it is processed.
    listed = http.get(RECORDINGS, {"meetingId": standup}).json()
    assert listed["uuid"] == UUIDS["standup_today"]
    assert {f["status"] for f in listed["recording_files"]} == {"processing"}
    assert {f["file_type"] for f in listed["recording_files"]} == {""}


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("standup_today", "NOT_READY"),
        ("standup_6_weeks_ago", "DELETED_OR_TRASHED"),
        ("design_critique_silent", "NO_TRANSCRIPT_DATA"),
        ("design_critique_unsupported", "UNSUPPORTED"),
    ],
)
def test_transcripts_that_cannot_be_downloaded(http: ZoomHTTP, key: str, reason: str) -> None:
    body = _meta(http, key).json()
    assert body["can_download"] is False
    assert body["download_restriction_reason"] == reason
    assert "download_url" not in body


def test_a_trashed_recording_seeded_before_is_deleted_or_trashed(sandbox: Sandbox) -> None:
    http = team_http(sandbox)
    [retro] = [r for r in sandbox.store.list_recordings(HOST_ID) if r["trashed_at"]]
    body = _meta(http, retro["uuid"]).json()
    assert body["download_restriction_reason"] == "DELETED_OR_TRASHED"
    restored = dict(retro, trashed_at=None)
    sandbox.store.put_recording(restored)
    assert _meta(http, retro["uuid"]).json()["can_download"] is True


@pytest.mark.parametrize(
    "key",
    [
        # Never recorded.
        "standup_4_weeks_ago",
        # Only live captions: the CC file is the fallback, there is no transcript.
        "standup_5_weeks_ago",
        # The host's "Create audio transcript" setting is off.
        "vendor_sync",
        # End-to-end encrypted: no cloud recording at all.
        "contract_review_e2ee",
    ],
)
def test_no_transcript_is_zooms_3322(http: ZoomHTTP, key: str) -> None:
    response = _meta(http, key)
    assert response.status_code == 404
    assert response.json() == {"code": 3322, "message": "This meeting transcript does not exist."}


def test_unknown_and_misencoded_meetings(http: ZoomHTTP) -> None:
    for ref, encode_times in (
        ("12345678901", 1),
        ("AAAAAAAAAAAAAAAAAAAAAA==", 1),
        (UUIDS["standup_last_week"], 1),  # needs double encoding
        (UUIDS["standup_2_weeks_ago"], 1),
    ):
        response = http.get(TRANSCRIPT, {"meetingId": ref}, encode_times=encode_times)
        assert response.status_code == 404
        assert response.json()["code"] == 3322


def test_transcripts_of_recordings_seeded_before(http: ZoomHTTP) -> None:
    body = _meta(http, SPECIAL_UUIDS["leading_slash"]).json()
    assert body["can_download"] is True
    assert download(http, body["download_url"]).text.startswith("WEBVTT\n")


def test_the_download_needs_a_bearer_token_with_transcript_scopes(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    url = _meta(http, "standup_3_weeks_ago").json()["download_url"]
    anonymous = http.session.get(url, timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.json() == {"code": 124, "message": "Invalid access token."}
    query = http.session.get(url, params={"access_token": http.token}, timeout=10)
    assert query.status_code == 401
    assert "query parameter" in query.json()["message"]
    meetings_only = sandbox.issue_token(["meeting:read:meeting:admin"])
    assert download(http, url, meetings_only).status_code == 401
    # A user-level app's granular scope, or a classic recording scope, is enough.
    for scope in ("cloud_recording:read:meeting_transcript", "recording:read"):
        assert download(http, url, sandbox.issue_token([scope])).status_code == 200
    # The download token of Get meeting recordings opens recording files, not this route.
    uuid = UUIDS["standup_3_weeks_ago"]
    recordings = http.get(
        RECORDINGS, {"meetingId": uuid}, params={"include_fields": "download_access_token"}
    ).json()
    assert download(http, url, recordings["download_access_token"]).status_code == 401


def test_the_download_supports_ranges_and_head(http: ZoomHTTP) -> None:
    url = _meta(http, "standup_3_weeks_ago").json()["download_url"]
    whole = download(http, url).content
    part = download(http, url, Range="bytes=10-99")
    assert part.status_code == 206
    assert part.content == whole[10:100]
    assert part.headers["Content-Range"] == f"bytes 10-99/{len(whole)}"
    head = requests.head(url, headers={"Authorization": f"Bearer {http.token}"}, timeout=10)
    assert head.status_code == 200
    assert head.headers["Content-Length"] == str(len(whole))


def test_files_not_ready_or_trashed_are_not_served_as_transcripts(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    base = sandbox.oauth_base_url + "/rec/meeting/transcript/download/"
    for key in ("standup_today", "standup_6_weeks_ago"):
        recording = sandbox.store.get_recording(UUIDS[key])
        assert recording is not None
        [file] = [f for f in recording["files"] if f["file_type"] == "TRANSCRIPT"]
        refused = download(http, base + file["download_key"])
        assert refused.status_code == 404
        assert refused.json()["code"] == 3322
    # Other files of a recording are not transcripts.
    mp4 = _files(http, "standup_3_weeks_ago")["MP4"]["download_url"].rsplit("/", 1)[1]
    assert download(http, base + mp4).status_code == 404
    assert download(http, base + "no-such-key").status_code == 404


def test_zooms_transcript_format(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    url = _meta(http, "standup_last_week").json()["download_url"]
    text = download(http, url).content.decode("utf-8")
    assert not text.startswith("\ufeff")
    cues = parse_vtt(text, "\n")
    assert [c.number for c in cues] == list(range(1, len(cues) + 1))
    instance = sandbox.store.get_instance(UUIDS["standup_last_week"])
    assert instance is not None
    length = (parse_utc(instance["end_time"]) - parse_utc(instance["start_time"])).total_seconds()
    previous_end = 0.0
    speakers = set()
    for cue in cues:
        assert previous_end <= cue.start < cue.end <= length
        previous_end = cue.end
        name, sep, _ = cue.payload.partition(": ")
        if sep and name in SPEAKERS | {"Jordan Lee (Contractor)"}:
            speakers.add(name)
    assert speakers == SPEAKERS | {"Jordan Lee (Contractor)"}
    # One cue Zoom could not attribute, and text holding ": " after the speaker's name.
    assert [c.payload for c in cues if ": " not in c.payload] == [
        "Sorry, is someone sharing?",
        "I only see a black screen.",
    ]
    assert any(c.payload.count(": ") == 2 for c in cues)
    # Consecutive cues of one speaker are separate cues.
    names = [c.payload.split(": ")[0] for c in cues]
    assert any(a == b for a, b in itertools.pairwise(names))
    decided = "Priya Natarajan: Decided: the v1 webhooks are switched off at the end of next month."
    assert decided in [c.payload for c in cues]


def test_zooms_caption_format(http: ZoomHTTP) -> None:
    files = _files(http, "standup_last_week")
    caption = files["CC"]
    # Zoom lists CC files without id, size, status, play_url or recording_type.
    for absent in ("id", "file_size", "status", "play_url", "recording_type"):
        assert absent not in caption
    assert caption["file_extension"] == "VTT"
    raw = download(http, caption["download_url"])
    assert raw.headers["Content-Type"] == "text/vtt"
    cc = parse_vtt(raw.content.decode("utf-8"), "\r\n")
    transcript = parse_vtt(download(http, files["TRANSCRIPT"]["download_url"]).text, "\n")
    assert all(c.number is None for c in cc)
    assert all(c.start == int(c.start) and c.end == int(c.end) for c in cc)
    assert all(a.end <= b.start for a, b in itertools.pairwise(cc))
    # The same words, without the speakers' names.
    assert [c.payload for c in cc] == [t.payload.split(": ", 1)[-1] for t in transcript]
    assert not any(c.payload.startswith("Priya Natarajan") for c in cc)


def test_the_two_hour_meeting(http: ZoomHTTP) -> None:
    body = _meta(http, "deep_dive").json()
    text = download(http, body["download_url"]).text
    cues = parse_vtt(text, "\n")
    assert len(cues) > 700
    assert len(text) > 100_000
    assert timedelta(hours=1, minutes=58) < timedelta(seconds=cues[-1].end) <= timedelta(hours=2)
    named = {c.payload.split(": ")[0] for c in cues if c.payload.count(": ") >= 1}
    assert {
        "Priya Natarajan",
        "Marcus Webb",
        "Kenji Watanabe",
        "Sofia Alvarez",
        "Elena Petrova",
    } <= named
    assert any(": " not in c.payload for c in cues)  # a few unattributed cues
    assert len({c.payload.split(": ", 1)[-1] for c in cues}) > len(cues) * 0.8
    caption = _files(http, "deep_dive")["CC"]
    assert len(parse_vtt(download(http, caption["download_url"]).content.decode(), "\r\n")) == len(
        cues
    )


def _server_idle() -> None:
    """Wait until no request thread of the loopback server is running."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
        t.name.endswith("(process_request_thread)") for t in threading.enumerate()
    ):
        time.sleep(0.005)


def _streamed_peak(http: ZoomHTTP, sandbox: Sandbox, minutes: int) -> tuple[int, int]:
    """Bytes and peak traced memory of a transcript download through the sandbox's WSGI app.

    In process and once the server is idle: werkzeug's dev server ends each request by
    draining the socket into a transient 10 MB buffer, which would blur the measurement.
    """
    recording = sandbox.add_long_meeting(minutes=minutes, user_id="PnT4rQ8aSyeWd0LmZk3vXw")
    url = urlsplit(_meta(http, recording["uuid"]).json()["download_url"])
    environ = EnvironBuilder(
        path=url.path,
        base_url=f"{url.scheme}://{url.netloc}",
        headers={"Authorization": f"Bearer {http.token}"},
    ).get_environ()
    headers: list[tuple[str, str]] = []

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        assert status == "200 OK"
        headers.extend(response_headers)

    received = 0
    _server_idle()
    tracemalloc.start()
    try:
        body = sandbox(environ, start_response)
        for chunk in body:
            received += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == int(dict(headers)["Content-Length"])
    return received, peak


def test_the_download_streams_in_constant_memory(sandbox: Sandbox) -> None:
    http = team_http(sandbox)
    small, small_peak = _streamed_peak(http, sandbox, 30)
    large, large_peak = _streamed_peak(http, sandbox, 900)
    assert large > 850_000
    assert large > 25 * small
    # The sandbox never holds the file: a few batches at a time, whatever the length.
    assert large_peak < 500_000
    assert large_peak < small_peak + 300_000


def test_long_meetings_added_from_python(sandbox: Sandbox) -> None:
    recording = sandbox.add_long_meeting(minutes=30, topic="Long one")
    http = team_http(sandbox)
    listed = http.get(RECORDINGS, {"meetingId": recording["uuid"]}, encode_times=2).json()
    assert listed["topic"] == "Long one"
    assert {f["file_type"] for f in listed["recording_files"]} == {"MP4", "M4A", "TRANSCRIPT", "CC"}
    body = _meta(http, recording["uuid"]).json()
    cues = parse_vtt(download(http, body["download_url"]).text, "\n")
    assert timedelta(minutes=28) < timedelta(seconds=cues[-1].end) <= timedelta(minutes=30)


@pytest.mark.parametrize("level", ["user", "account"])
def test_without_audio_transcripts_new_recordings_have_captions_only(
    sandbox: Sandbox, level: str
) -> None:
    if level == "user":
        sandbox.set_user_setting(sandbox.user_email, "audio_transcript", False)
    else:
        sandbox.set_account_setting("audio_transcript", False)
    recording = sandbox.add_long_meeting(minutes=10)
    http = team_http(sandbox)
    listed = http.get(RECORDINGS, {"meetingId": recording["uuid"]}, encode_times=2).json()
    assert {f["file_type"] for f in listed["recording_files"]} == {"MP4", "M4A", "CC"}
    assert _meta(http, recording["uuid"]).json()["code"] == 3322
