"""Recording file contents: deterministic, generated on the fly and streamed in chunks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import lru_cache

from zoom_agent_tools.sandbox import transcripts
from zoom_agent_tools.sandbox.store import Doc

__all__ = [
    "CHUNK_SIZE",
    "CONTENT_TYPES",
    "RangeNotSatisfiable",
    "iter_content",
    "parse_range",
    "text_body",
]

#: Large chunks keep the server's share of a download small, so a benchmark measures the client.
CHUNK_SIZE = 1 << 20
_PATTERN_SIZE = CHUNK_SIZE
CONTENT_TYPES = {
    "MP4": "video/mp4",
    "M4A": "audio/mp4",
    "TRANSCRIPT": "text/vtt",
    "CC": "text/vtt",
    "CHAT": "text/plain",
    "TIMELINE": "application/json",
    "CSV": "text/csv",
    "SUMMARY": "application/json",
}
_BINARY = frozenset({"MP4", "M4A"})


class RangeNotSatisfiable(ValueError):
    """The Range header asks for bytes the file does not have."""


@lru_cache(maxsize=1)
def _pattern() -> bytes:
    return hashlib.shake_256(b"zoom-agent-tools sandbox recording").digest(_PATTERN_SIZE)


def _header(file: Doc) -> bytes:
    """A few leading bytes so players and sniffers see the right container type."""
    if file["file_type"] == "MP4":
        return b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    return b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom"


def text_body(recording: Doc, file: Doc) -> bytes | None:
    """The full content of a small text file (None for generated binary files)."""
    kind = file["file_type"]
    if kind in _BINARY:
        return None
    host = recording.get("host_name", "Ada Host")
    topic = recording["topic"]
    if kind in ("TRANSCRIPT", "CC"):
        cues = [
            f"{host}: Welcome everyone to {topic}.",
            f"{host}: Let's start with a quick round of updates.",
            "Guest Speaker: Thanks, happy to be here.",
            f"{host}: Great, that's all for today. Thank you!",
        ]
        parts = ["WEBVTT", ""]
        for n, text in enumerate(cues, start=1):
            start = (n - 1) * 5
            parts += [str(n), f"00:00:{start:02d}.000 --> 00:00:{start + 4:02d}.500", text, ""]
        return "\n".join(parts).encode("utf-8")
    if kind == "CHAT":
        lines = [
            f"00:00:12\t From  {host} to  Everyone:\n\tHello and welcome to {topic}!",
            "00:01:05\t From  Guest Speaker to  Everyone:\n\tThe agenda link works, thanks.",
        ]
        return ("\n".join(lines) + "\n").encode("utf-8")
    timeline = {
        "timeline": [
            {
                "ts": "00:00:00.000",
                "users": [{"username": host, "multiple_people": False, "user_id": "16778240"}],
            },
            {
                "ts": "00:00:10.000",
                "users": [
                    {"username": "Guest Speaker", "multiple_people": False, "user_id": "16779264"}
                ],
            },
        ],
        "recording_start": recording["start_time"],
    }
    return json.dumps(timeline, indent=1).encode("utf-8")


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The ``(start, end_exclusive)`` of a single-range ``Range`` header, or None for all.

    Several ranges are answered with the whole file (a server may ignore Range).
    """
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            length = int(last)
            if length <= 0:
                raise RangeNotSatisfiable(header)
            return max(0, size - length), size
        start = int(first)
        end = int(last) + 1 if last else size
    except ValueError:
        return None
    if start >= size or end <= start:
        raise RangeNotSatisfiable(header)
    return start, min(end, size)


def iter_content(recording: Doc, file: Doc, start: int, end: int) -> Iterator[bytes]:
    """Bytes ``start``..``end`` of the file, in chunks of at most CHUNK_SIZE; never the whole."""
    if "script" in file:
        yield from transcripts.iter_script(file, start, end)
        return
    body = text_body(recording, file)
    if body is not None:
        for pos in range(start, end, CHUNK_SIZE):
            yield body[pos : min(end, pos + CHUNK_SIZE)]
        return
    header = _header(file)
    pos = start
    if pos < len(header):
        yield header[pos : min(end, len(header))]
        pos = min(end, len(header))
    pattern = _pattern()
    while pos < end:
        offset = pos % _PATTERN_SIZE
        count = min(CHUNK_SIZE, end - pos, _PATTERN_SIZE - offset)
        yield pattern[offset : offset + count]
        pos += count
