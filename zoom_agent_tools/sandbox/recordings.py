"""Cloud recordings: building stored recordings and rendering Zoom's recording objects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from zoom_agent_tools.sandbox.clock import format_utc
from zoom_agent_tools.sandbox.downloads import text_body
from zoom_agent_tools.sandbox.ids import IdFactory
from zoom_agent_tools.sandbox.store import Doc

__all__ = [
    "DEFAULT_FILE_TYPES",
    "DEFAULT_SIZES",
    "add_processing_file",
    "file_view",
    "make_recording",
    "recording_view",
    "visible_files",
]

DEFAULT_FILE_TYPES = ("MP4", "M4A", "TRANSCRIPT", "CHAT", "TIMELINE")
DEFAULT_SIZES = {"MP4": 2_345_678, "M4A": 345_678}
_EXTENSIONS = {
    "MP4": "MP4",
    "M4A": "M4A",
    "TRANSCRIPT": "VTT",
    "CC": "VTT",
    "CHAT": "TXT",
    "TIMELINE": "JSON",
    "CSV": "CSV",
    "SUMMARY": "JSON",
}
_RECORDING_TYPES = {
    "MP4": "shared_screen_with_speaker_view",
    "M4A": "audio_only",
    "TRANSCRIPT": "audio_transcript",
    "CHAT": "chat_file",
    "CSV": "poll",
    "SUMMARY": "summary",
}
_NAMES = {
    "MP4": "Recording_1920x1080.mp4",
    "M4A": "Recording.m4a",
    "TRANSCRIPT": "Recording.transcript.vtt",
    "CC": "Recording.cc.vtt",
    "CHAT": "RecordingnewChat.txt",
    "TIMELINE": "Recording.timeline.json",
    "CSV": "Recording.poll.csv",
    "SUMMARY": "Recording.summary.json",
}
# Zoom documents that CC and TIMELINE files carry no id, status, file_size, play_url or
# recording_type; real responses confirm it.
_BARE_TYPES = frozenset({"CC", "TIMELINE"})


def make_recording(
    ids: IdFactory,
    *,
    account_id: str,
    host: Doc,
    meeting_id: int,
    uuid: str,
    topic: str,
    meeting_type: int,
    start: datetime,
    duration: int,
    file_types: Sequence[str] = DEFAULT_FILE_TYPES,
    sizes: dict[str, int] | None = None,
) -> Doc:
    """A stored recording of one meeting instance with generated files."""
    sizes = {**DEFAULT_SIZES, **(sizes or {})}
    stamp = start.strftime("GMT%Y%m%d-%H%M%S")
    recording: Doc = {
        "uuid": uuid,
        "id": meeting_id,
        "account_id": account_id,
        "host_id": host["id"],
        "host_name": host["display_name"],
        "topic": topic,
        "type": meeting_type,
        "start_time": format_utc(start),
        "timezone": host["timezone"],
        "duration": duration,
        "share_key": ids.opaque("share-key", 30),
        "play_passcode": ids.opaque("play-passcode", 24),
        "password": ids.text("recording-password", 8),
        "trashed_at": None,
        "files": [],
    }
    end = start + timedelta(minutes=duration)
    for kind in file_types:
        key = ids.opaque("file-key", 12)
        file: Doc = {
            "key": key,
            "file_type": kind,
            "file_extension": _EXTENSIONS[kind],
            "recording_start": format_utc(start),
            "recording_end": format_utc(end),
            "name": f"{stamp}_{_NAMES[kind]}",
            "download_key": ids.opaque("download-key", 30),
            "trashed_at": None,
        }
        if kind not in _BARE_TYPES:
            file["id"] = ids.file_id()
            file["play_key"] = ids.opaque("play-key", 30)
            file["recording_type"] = _RECORDING_TYPES[kind]
        body = text_body(recording, file)
        file["size"] = len(body) if body is not None else int(sizes[kind])
        recording["files"].append(file)
    return recording


def add_processing_file(ids: IdFactory, recording: Doc, kind: str, recording_type: str) -> Doc:
    """Add a file of ``kind`` that Zoom is still processing (no content yet) to ``recording``."""
    file: Doc = {
        "key": ids.opaque("file-key", 12),
        "id": ids.file_id(),
        "file_type": kind,
        "file_extension": _EXTENSIONS[kind],
        "recording_start": recording["start_time"],
        "recording_end": "",
        "name": f"{_NAMES[kind]}.processing",
        "download_key": ids.opaque("download-key", 30),
        "play_key": ids.opaque("play-key", 30),
        "recording_type": recording_type,
        "trashed_at": None,
        # Zoom's answer to downloading such a file is undocumented; an empty body is what a
        # careless client would save as a 0-byte "recording".
        "size": 0,
        "processing": True,
    }
    recording["files"].append(file)
    return file


def visible_files(recording: Doc, trash: bool) -> list[Doc]:
    """Files shown in the normal view (``trash`` False) or in the trash view."""
    if recording["trashed_at"] is not None:
        return list(recording["files"]) if trash else []
    return [f for f in recording["files"] if (f["trashed_at"] is not None) == trash]


def file_view(recording: Doc, file: Doc, base_url: str) -> dict[str, Any]:
    processing = bool(file.get("processing"))
    out: dict[str, Any] = {}
    if "id" in file:
        out["id"] = file["id"]
    out["meeting_id"] = recording["uuid"]
    out["recording_start"] = file["recording_start"]
    out["recording_end"] = file["recording_end"]
    # Zoom lists a file it is still processing with placeholders: an empty file_type (and no
    # file_extension), file_size 0, an empty recording_end and status "processing", although
    # the spec's enums allow neither "" nor "processing".
    out["file_type"] = "" if processing else file["file_type"]
    if not processing:
        out["file_extension"] = file["file_extension"]
    if "id" in file:
        out["file_size"] = file["size"]
        out["play_url"] = f"{base_url}/rec/play/{file['play_key']}"
    out["download_url"] = f"{base_url}/rec/download/{file['download_key']}"
    if "id" in file:
        out["status"] = "processing" if processing else "completed"
        out["recording_type"] = file["recording_type"]
    deleted = file["trashed_at"] or recording["trashed_at"]
    if deleted:
        out["deleted_time"] = deleted
    return out


def recording_view(
    recording: Doc, files: list[Doc], base_url: str, *, detail: bool = False
) -> dict[str, Any]:
    """Zoom's recording meeting object (list item, or Get meeting recordings when ``detail``)."""
    shown = [file_view(recording, f, base_url) for f in files]
    out: dict[str, Any] = {
        "uuid": recording["uuid"],
        "id": recording["id"],
        "account_id": recording["account_id"],
        "host_id": recording["host_id"],
        "topic": recording["topic"],
        # The spec types this as a string enum, but Zoom sends a JSON number; we do as Zoom.
        "type": recording["type"],
        "start_time": recording["start_time"],
    }
    if "timezone" in recording:
        # Not in Zoom's 2026 spec, but real list and get answers carry the meeting's zone.
        out["timezone"] = recording["timezone"]
    out |= {
        "duration": recording["duration"],
        "total_size": sum(f["size"] for f in files if "id" in f),
        "recording_count": len(shown),
        "share_url": f"{base_url}/rec/share/{recording['share_key']}",
        "recording_files": shown,
    }
    if detail:
        out["password"] = recording["password"]
        out["recording_play_passcode"] = recording["play_passcode"]
    return out
