"""Meeting transcripts: cue timelines, and Zoom's TRANSCRIPT and CC files streamed from a recipe.

A recording file with a ``script`` (a small recipe: which conversation, how long the meeting
was) is never stored whole: its bytes are generated on the fly, chunk by chunk, so a long
meeting costs no memory. The same recipe gives the same bytes on every run.

Zoom's two flavours, as real files show them: the ``TRANSCRIPT`` file (``audio_transcript``)
has LF line endings, cues numbered 1..n, millisecond times and ``Name: text`` payloads (no name
where Zoom could not tell who spoke); the ``CC`` file (live captions) has CRLF line endings, no
cue numbers, no speaker names and whole-second times.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from zoom_agent_tools.sandbox.clock import format_utc, parse_utc
from zoom_agent_tools.sandbox.conversations import CONVERSATIONS, DEEP_DIVE_PHRASES, Person
from zoom_agent_tools.sandbox.errors import ZoomAPIError
from zoom_agent_tools.sandbox.store import Doc

__all__ = [
    "BATCH_SIZE",
    "NO_TRANSCRIPT_DATA",
    "UNSUPPORTED",
    "Cue",
    "attach_script",
    "cues",
    "downloadable",
    "iter_script",
    "missing",
    "recipe",
    "script_size",
    "transcript_answer",
]

#: Generated text is encoded and handed out in batches of about this many bytes.
BATCH_SIZE = 64 * 1024
#: Silence before the first words: people join and settle in.
LEAD_IN_MS = (20_000, 50_000)
#: Pauses between cues of one speaker, and when the speaker changes.
SAME_SPEAKER_GAP_MS = (150, 700)
SPEAKER_CHANGE_GAP_MS = (700, 3_000)
#: Speaking rate: about 2.5 words a second.
MS_PER_WORD = 400
MIN_CUE_MS = 900
#: Zoom creates the transcript a little after the meeting ends.
TRANSCRIPT_DELAY = timedelta(minutes=2)
#: One generated cue in this many has no speaker (Zoom could not tell who spoke).
UNIDENTIFIED_ONE_IN = 250
NO_TRANSCRIPT_DATA = "NO_TRANSCRIPT_DATA"
UNSUPPORTED = "UNSUPPORTED"
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    #: The speaker's display name; None where Zoom could not tell who spoke.
    speaker: str | None
    text: str


def _unit(*parts: object) -> float:
    """A deterministic number in [0, 1) for ``parts``."""
    digest = hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _draws(*parts: object) -> tuple[float, ...]:
    """Eight deterministic numbers in [0, 1) for ``parts``, from one hash."""
    digest = hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=32).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "big") / 2**32 for i in range(0, 32, 4))


def _between(bounds: tuple[int, int], *parts: object) -> int:
    low, high = bounds
    return low + int((high - low) * _unit(*parts))


def _scaled(bounds: tuple[int, int], draw: float) -> int:
    low, high = bounds
    return low + int((high - low) * draw)


def _speech_ms(text: str) -> int:
    return max(MIN_CUE_MS, len(text.split()) * MS_PER_WORD)


def recipe(conversation: str, seconds: int, *, generated: bool = False) -> Doc:
    """What a transcript file is made from: a conversation, and the meeting's length.

    ``generated`` makes up talk from the conversation's phrases instead of reading its
    lines, for meetings of any length.
    """
    if conversation not in CONVERSATIONS:
        raise ValueError(f"unknown conversation {conversation!r}")
    return {"conversation": conversation, "seconds": int(seconds), "generated": generated}


def _scripted(key: str, end_ms: int) -> Iterator[Cue]:
    lines = CONVERSATIONS[key].lines
    pieces = [(who, part) for who, text in lines for part in _SENTENCE_END.split(text)]
    at = _between(LEAD_IN_MS, key, "lead-in")
    previous: Person | None = None
    for n, (who, text) in enumerate(pieces):
        if n:
            gap = SAME_SPEAKER_GAP_MS if who == previous else SPEAKER_CHANGE_GAP_MS
            at += _between(gap, key, n)
        length = _speech_ms(text)
        if at + length > end_ms:
            raise ValueError(f"conversation {key!r} does not fit in {end_ms // 1000} seconds")
        yield Cue(at, at + length, who.name if who else None, text)
        at += length
        previous = who


def _generated(key: str, end_ms: int) -> Iterator[Cue]:
    phrases: Any = DEEP_DIVE_PHRASES
    speakers: tuple[Person, ...] = phrases["speakers"]
    parts: list[tuple[str, ...]] = [phrases[k] for k in ("openers", "subjects", "verbs", "tails")]
    at = _between(LEAD_IN_MS, key, "lead-in")
    speaker = speakers[0]
    n = 0
    while True:
        turn, who, unknown, gap, *words = _draws(key, n)
        if n and turn < 0.4:
            speaker = speakers[int(who * len(speakers))]
        text = " ".join(
            options[int(w * len(options))] for options, w in zip(parts, words, strict=True)
        )
        length = _speech_ms(text)
        if at + length > end_ms:
            return
        name = None if unknown * UNIDENTIFIED_ONE_IN < 1 else speaker.name
        yield Cue(at, at + length, name, text)
        at += length + _scaled(SPEAKER_CHANGE_GAP_MS, gap)
        n += 1


def cues(script: Doc) -> Iterator[Cue]:
    """The cues of a recipe, in order, generated lazily."""
    end_ms = int(script["seconds"]) * 1000
    key = str(script["conversation"])
    return _generated(key, end_ms) if script.get("generated") else _scripted(key, end_ms)


def _timestamp(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _transcript_text(script: Doc) -> Iterator[str]:
    yield "WEBVTT\n"
    for n, cue in enumerate(cues(script), start=1):
        payload = f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text
        yield f"\n{n}\n{_timestamp(cue.start_ms)} --> {_timestamp(cue.end_ms)}\n{payload}\n"


def _caption_text(script: Doc) -> Iterator[str]:
    yield "WEBVTT\r\n"
    shown_until = 0
    for cue in cues(script):
        # Whole seconds, in order, never overlapping the caption before.
        start = max(cue.start_ms - cue.start_ms % 1000, shown_until)
        end = max(-(-cue.end_ms // 1000) * 1000, start + 1000)
        shown_until = end
        yield f"\r\n{_timestamp(start)} --> {_timestamp(end)}\r\n{cue.text}\r\n"


def _chunks(file: Doc) -> Iterator[bytes]:
    return _render(file["script"], file["file_type"])


def _render(script: Doc, file_type: str) -> Iterator[bytes]:
    texts = _caption_text(script) if file_type == "CC" else _transcript_text(script)
    pending: list[bytes] = []
    size = 0
    for text in texts:
        data = text.encode("utf-8")
        pending.append(data)
        size += len(data)
        if size >= BATCH_SIZE:
            yield b"".join(pending)
            pending.clear()
            size = 0
    if pending:
        yield b"".join(pending)


def script_size(file: Doc) -> int:
    """The byte size of a scripted file (generated, never held whole)."""
    script = file["script"]
    return _size(
        str(script["conversation"]),
        int(script["seconds"]),
        bool(script.get("generated")),
        file["file_type"],
    )


# Every sandbox seeds the same recipes: their sizes are worked out once per process.
@lru_cache(maxsize=64)
def _size(conversation: str, seconds: int, generated: bool, file_type: str) -> int:
    script = recipe(conversation, seconds, generated=generated)
    return sum(len(chunk) for chunk in _render(script, file_type))


def iter_script(file: Doc, start: int, end: int) -> Iterator[bytes]:
    """Bytes ``start``..``end`` of a scripted file, in batches of about BATCH_SIZE."""
    pos = 0
    for chunk in _chunks(file):
        if pos >= end:
            return
        following = pos + len(chunk)
        if following > start:
            yield chunk[max(0, start - pos) : min(len(chunk), end - pos)]
        pos = following


def attach_script(recording: Doc, script: Doc) -> None:
    """Make the recording's TRANSCRIPT and CC files read from ``script`` (sizes included)."""
    for file in recording["files"]:
        if file["file_type"] in ("TRANSCRIPT", "CC"):
            file["script"] = script
            if not file.get("processing"):
                file["size"] = script_size(file)


def missing() -> ZoomAPIError:
    return ZoomAPIError(404, 3322, "This meeting transcript does not exist.")


def _transcript_file(recording: Doc | None) -> Doc | None:
    if recording is None:
        return None
    return next((f for f in recording["files"] if f["file_type"] == "TRANSCRIPT"), None)


def downloadable(recording: Doc, file: Doc) -> bool:
    """Whether the meeting-transcript download serves this file."""
    return (
        file["file_type"] == "TRANSCRIPT"
        and not file.get("processing")
        and recording["trashed_at"] is None
        and file["trashed_at"] is None
    )


def transcript_answer(
    instance: Doc, recording: Doc | None, account_id: str, base_url: str
) -> dict[str, Any]:
    """Zoom's Get a meeting transcript answer for a past instance, or its 404 code 3322.

    The transcript is the instance's cloud-recording transcript. ``instance["transcript"]``
    names the two states that have no file: NO_TRANSCRIPT_DATA and UNSUPPORTED.
    """
    file = _transcript_file(recording)
    fixed = instance.get("transcript")
    if file is None and fixed is None:
        raise missing()
    body: dict[str, Any] = {
        "meeting_id": instance["uuid"],
        "account_id": account_id,
        "meeting_topic": instance["topic"],
        "host_id": instance["host_id"],
    }
    reason: str | None = fixed
    if reason is None and file is not None and recording is not None:
        if recording["trashed_at"] is not None or file["trashed_at"] is not None:
            reason = "DELETED_OR_TRASHED"
        elif file.get("processing"):
            reason = "NOT_READY"
    if reason != "NOT_READY":
        created = parse_utc(instance["end_time"]) + TRANSCRIPT_DELAY
        body["transcript_created_time"] = format_utc(created)
    body["can_download"] = reason is None
    # The sandbox has no "delete cloud recordings after N days" policy.
    body["auto_delete"] = False
    if reason is None and file is not None:
        body["download_url"] = f"{base_url}/rec/meeting/transcript/download/{file['download_key']}"
    else:
        body["download_restriction_reason"] = reason
    return body
