"""Results in Jupyter and IPython: tables of what a person reads, every value escaped, no
secret shown; other models keep their (redacted) repr."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.lib.pretty import pretty

from zoom_agent_tools import _display
from zoom_agent_tools.attendance import attendance
from zoom_agent_tools.models import (
    Attendance,
    DownloadResult,
    Meeting,
    MeetingPage,
    Participant,
    ParticipantPage,
    PastInstance,
    PastInstances,
    Recording,
    RecordingPage,
    Transcript,
    Turn,
    ZoomObject,
)

EVIL = "<script>alert('x')</script> & \"quotes\""
ZAK = "eyJzaGFyZWQiOiJ6YWstc2VjcmV0In0"
PASSCODE = "Pa55c0de"
DOWNLOAD_TOKEN = "dl-token-abcdef123456"
SECRETS = (ZAK, PASSCODE, DOWNLOAD_TOKEN, "pl4y-passcode")


def _meeting(**extra: Any) -> dict[str, Any]:
    return {
        "id": 85746065432,
        "uuid": "/ajXp112QmuoKj4854875==",
        "topic": EVIL,
        "type": 2,
        "start_time": "2026-11-20T17:00:00Z",
        "duration": 45,
        "timezone": "Europe/Berlin",
        "join_url": f"https://zoom.us/j/85746065432?pwd={PASSCODE}",
        "start_url": f"https://zoom.us/s/85746065432?zak={ZAK}",
        "password": PASSCODE,
        **extra,
    }


def _recording() -> dict[str, Any]:
    return {
        "uuid": "/ajXp112QmuoKj4854875==",
        "topic": EVIL,
        "start_time": "2026-11-20T17:00:00Z",
        "duration": 45,
        "total_size": 3 * 1024 * 1024,
        "password": PASSCODE,
        "download_access_token": DOWNLOAD_TOKEN,
        "share_url": f"https://zoom.us/rec/share/x?pwd={PASSCODE}",
        "recording_files": [
            {
                "id": "f-1",
                "file_type": "MP4",
                "file_size": 3 * 1024 * 1024,
                "status": "completed",
                "recording_type": "shared_screen_with_speaker_view",
                "download_url": f"https://zoom.us/rec/download/a?access_token={DOWNLOAD_TOKEN}",
                "play_url": "https://zoom.us/rec/play/a?pwd=pl4y-passcode",
            },
            {"file_type": "", "file_size": 0, "status": "processing"},
        ],
    }


def _instance() -> PastInstance:
    return PastInstance(
        uuid="/Hk2pX9wQ0aVt6mRzN4cLQ==", start_time="2026-11-23T13:35:35Z", topic=EVIL
    )


def _shown() -> dict[str, ZoomObject]:
    rows = [
        Participant(
            id="u-1",
            name=EVIL,
            user_email="a@example.com",
            join_time="2026-11-23T13:35:35Z",
            leave_time="2026-11-23T13:40:35Z",
            duration=300,
        )
    ]
    earlier = [Participant(id="u-2", name="Marcus Webb", join_time="2026-11-16T13:35:35Z")]
    return {
        "meetings": MeetingPage.model_validate(
            {"meetings": [_meeting()], "total_records": 2, "next_page_token": "tok"}
        ),
        "recordings": RecordingPage.model_validate({"meetings": [_recording()]}),
        "recording": Recording.model_validate(_recording()),
        "participants": ParticipantPage(items=rows),
        "instances": PastInstances(meeting_id=85746065432, items=[_instance()]),
        "transcript": Transcript(
            instance=_instance(),
            source="transcript",
            query="decision",
            turns=[Turn(speaker=EVIL, start=35.6, end=46.9, text=f"A decision {EVIL}", match=True)],
            next_cursor="c2",
        ),
        "attendance": attendance(_instance(), rows, [earlier, earlier]),
        "download": DownloadResult.model_validate(
            {
                "files": [
                    {"status": "failed", "name": "x.mp4", "reason": f"Refused: {EVIL}"},
                    {
                        "status": "saved",
                        "name": "y.vtt",
                        "file": {
                            "name": "y.vtt",
                            "path": "/d/y.vtt",
                            "mime_type": "text/vtt",
                            "size": 2048,
                        },
                    },
                ]
            }
        ),
    }


@pytest.mark.parametrize("kind", list(_shown()))
def test_html_is_escaped_and_shows_no_secret(kind: str) -> None:
    model = _shown()[kind]
    html = model._repr_html_()
    assert html is not None
    assert html.startswith('<div class="zoom-agent-tools">')
    assert "<table>" in html or kind == "instances"
    assert "<script>" not in html
    assert "&lt;script&gt;" in html or kind == "instances"
    for secret in SECRETS:
        assert secret not in html
    assert "zoom.us" not in html  # no link of any kind (join, start, play, download, share)


@pytest.mark.parametrize("kind", list(_shown()))
def test_ipython_shows_the_same_as_aligned_text(kind: str) -> None:
    text = pretty(_shown()[kind])
    lines = text.splitlines()
    assert len(lines) >= 3
    for secret in SECRETS:
        assert secret not in text
    assert "zoom.us" not in text
    assert text != repr(_shown()[kind])


def test_each_table_has_the_columns_a_person_reads() -> None:
    shown = _shown()
    title, header, row = pretty(shown["meetings"]).splitlines()[:3]
    assert title == "Meetings: 1 meeting"
    assert header.split() == ["id", "topic", "type", "start_time", "duration", "timezone"]
    assert row.startswith("85746065432  <script>alert('x')</script>")
    assert "more on the next (next_page_token)" in pretty(shown["meetings"])
    recordings = pretty(shown["recordings"])
    assert "MP4, (processing)" in recordings
    assert "3.0 MiB" in recordings
    recording = pretty(shown["recording"]).splitlines()
    assert recording[1].split() == [
        "file_type",
        "recording_type",
        "size",
        "status",
        "recording_start",
    ]
    transcript = pretty(shown["transcript"])
    assert "0:00:35" in transcript
    assert "✓" in transcript
    assert "More on the next page (next_cursor)." in transcript
    attended = pretty(shown["attendance"])
    assert "Usually there, absent this time (compared with 2 other instances)" in attended
    assert "Marcus Webb" in attended
    assert "2 of 2" in attended
    download = pretty(shown["download"])
    assert (
        download.splitlines()[0]
        == "Of 2 recording files: 1 saved, 1 failed (see failedFiles for why and what to do)."
    )
    assert "2.0 KiB" in download


def test_attendance_without_comparison_says_absent_is_unknown() -> None:
    text = pretty(Attendance(instance=_instance()))
    assert "(none)" in text
    assert "Absent: unknown" in text


def test_long_tables_are_cut_and_counted() -> None:
    page = ParticipantPage(items=[Participant(name=f"P{n}") for n in range(130)])
    html = page._repr_html_()
    assert html is not None
    assert html.count("<tr>") == _display.HTML_ROWS + 1  # and the header
    assert "… and 30 more rows" in html
    text = pretty(page)
    assert f"… and {130 - _display.TEXT_ROWS} more rows" in text
    long = Transcript(
        instance=_instance(), source="captions", turns=[Turn(start=0, end=1, text="w " * 100)]
    )
    widest = max(len(line) for line in pretty(long).splitlines()[1:-1])
    assert widest <= 2 * _display.TEXT_WIDTH


def test_other_models_keep_their_redacted_repr() -> None:
    meeting = Meeting.model_validate(_meeting())
    assert meeting._repr_html_() is None
    assert pretty(meeting) == repr(meeting)
    assert ZAK not in repr(meeting)
    assert PASSCODE not in repr(meeting)
