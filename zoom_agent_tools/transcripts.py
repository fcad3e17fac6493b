"""Meeting transcripts as speaker turns, one page at a time, streamed from Zoom.

The text comes from the instance's cloud recording: its audio ``TRANSCRIPT`` file, else its
live captions (``CC``), else the transcript Zoom keeps apart from recordings (Get a meeting
transcript). Consecutive cues of one speaker are merged into turns. A page holds turns up to
a budget of characters (their JSON, as a model reads it) and ends with a cursor: the byte
offset where the next page begins, so the next page is read with an HTTP ``Range`` from there.
The file is streamed and reading stops once the page is full: a page never costs more memory
than itself, however long the meeting.

A search (``query``) gives only the turns that hold every word, each with the turn before and
after it as context, paged the same way.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import requests

from zoom_agent_tools._fields import MEETING_REF_PATTERN
from zoom_agent_tools._lazy import deferred
from zoom_agent_tools._search import matches, query_words
from zoom_agent_tools.downloads import not_ready, refuse_web_page
from zoom_agent_tools.errors import (
    FieldError,
    ZoomNotFoundError,
    ZoomUnavailableError,
    ZoomValidationError,
)
from zoom_agent_tools.past_meetings import exists, instance_get, resolve
from zoom_agent_tools.webvtt import Cue, parse_cues

if TYPE_CHECKING:
    from zoom_agent_tools import models as m
    from zoom_agent_tools.arguments import GetMeetingTranscriptArgs
    from zoom_agent_tools.client import ZoomClient
    from zoom_agent_tools.models import TranscriptSource
    from zoom_agent_tools.operations import AnyOperation
else:
    m = deferred("zoom_agent_tools.models")

__all__ = [
    "DEFAULT_MAX_CHARS",
    "MAX_TURN_CHARS",
    "Page",
    "TranscriptCursor",
    "decode_cursor",
    "encode_cursor",
    "get_transcript",
    "read_page",
]

#: Characters of turns on a page unless asked otherwise: about 5,000 tokens, a standup whole
#: and a two-hour meeting in about six pages.
DEFAULT_MAX_CHARS = 20_000
#: A turn longer than this is split (a monologue), so that any turn fits on any page.
MAX_TURN_CHARS = 1_200
#: Bytes read from the file at a time.
READ_CHUNK = 16 * 1024
#: JSON as a tool's output is written (``tools.to_json``), to size the turns.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

_SOURCES: dict[str, TranscriptSource] = {
    "t": "transcript",
    "c": "captions",
    "m": "meeting_transcript",
}
_CODES = {source: code for code, source in _SOURCES.items()}
#: The recording's files that hold what was said, the better first.
_RECORDING_FILES: tuple[tuple[TranscriptSource, str], ...] = (
    ("transcript", "TRANSCRIPT"),
    ("captions", "CC"),
)
_UUID = re.compile(MEETING_REF_PATTERN, re.ASCII)
_TRY_LATER = "Try again in a few minutes; Zoom finishes soon after the meeting ends."
_TELL_USER = "Tell the user; zoom_get_meeting_summary or zoom_get_meeting_attendance may help."


@dataclass(frozen=True)
class TranscriptCursor:
    """Where the next page begins: the instance, the file, its byte offset, and whether the
    turn there is the context after a match (searches)."""

    uuid: str
    source: TranscriptSource
    offset: int
    after_match: bool = False


def _check(data: bytes) -> bytes:
    # A few bytes of hash: a cursor cut short or edited by hand is refused, not misread.
    return hashlib.blake2b(data, digest_size=3, person=b"zoom-cursor").digest()


def encode_cursor(cursor: TranscriptCursor) -> str:
    """The cursor as the opaque text a page gives as ``nextCursor``."""
    raw = f"1.{_CODES[cursor.source]}.{cursor.offset}.{int(cursor.after_match)}.{cursor.uuid}"
    data = raw.encode("utf-8")
    return base64.urlsafe_b64encode(data + _check(data)).decode("ascii").rstrip("=")


def decode_cursor(text: str) -> TranscriptCursor:
    """The cursor ``encode_cursor`` wrote; ValueError for any other text."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        raw = data[:-3].decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise ValueError("not a transcript cursor") from None
    parts = raw.split(".", 4)
    if (
        len(data) < 4
        or _check(data[:-3]) != data[-3:]
        or len(parts) != 5
        or parts[0] != "1"
        or parts[1] not in _SOURCES
        or not parts[2].isdigit()
        or len(parts[2]) > 15
        or parts[3] not in ("0", "1")
        or parts[4].isdigit()
        or not _UUID.match(parts[4])
    ):
        raise ValueError("not a transcript cursor")
    return TranscriptCursor(parts[4], _SOURCES[parts[1]], int(parts[2]), parts[3] == "1")


# -- turns and pages -------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    """A turn being put together: where its first cue begins, who, when, what."""

    offset: int
    speaker: str | None
    start: float
    end: float
    text: str


def _turns(cues: Iterable[Cue]) -> Iterator[_Draft]:
    """Consecutive cues of one speaker merged, up to MAX_TURN_CHARS a turn."""
    current: _Draft | None = None
    for cue in cues:
        text = cue.text
        if len(text) > MAX_TURN_CHARS:
            text = text[: MAX_TURN_CHARS - 1] + "…"
        if (
            current is not None
            and cue.speaker == current.speaker
            and len(current.text) + 1 + len(text) <= MAX_TURN_CHARS
        ):
            current.text += " " + text
            current.end = max(current.end, cue.end)
            continue
        if current is not None:
            yield current
        current = _Draft(cue.offset, cue.speaker, cue.start, cue.end, text)
    if current is not None:
        yield current


def _around_matches(
    turns: Iterable[_Draft], words: list[str], after_match: bool
) -> Iterator[tuple[_Draft, bool, bool]]:
    """The turns that match with the turn before and after each: ``(turn, matched, after)``,
    where ``after`` says the turn is shown as the context after a match (a page that begins
    with it must know so)."""
    before: _Draft | None = None
    show_next = after_match
    for turn in turns:
        if matches(words, turn.speaker, turn.text):
            if before is not None:
                yield before, False, False
            yield turn, True, False
            before, show_next = None, True
        elif show_next:
            yield turn, False, True
            before, show_next = None, False
        else:
            before = turn


@dataclass(frozen=True)
class Page:
    """The turns of one page, and where the next begins (``(offset, after_match)``, None at
    the end)."""

    turns: list[m.Turn]
    resume: tuple[int, bool] | None


def read_page(
    cues: Iterable[Cue], *, budget: int, words: list[str] | None = None, after_match: bool = False
) -> Page:
    """Turns from ``cues`` until the next would take the page past ``budget`` characters of
    JSON (a page has one turn at least); cues after that are not read."""
    drafts = _turns(cues)
    items: Iterable[tuple[_Draft, bool, bool]] = (
        _around_matches(drafts, words, after_match)
        if words
        else ((d, False, False) for d in drafts)
    )
    turns: list[m.Turn] = []
    used = 0
    for draft, matched, after in items:
        # The values are made here and of the right types: no validation needed.
        turn = m.Turn.model_construct(
            speaker=draft.speaker,
            start=draft.start,
            end=draft.end,
            text=draft.text,
            match=True if matched else None,
        )
        size = len(_JSON.encode(turn.to_output())) + 1  # and a comma
        if turns and used + size > budget:
            return Page(turns, (draft.offset, after))
        turns.append(turn)
        used += size
    return Page(turns, None)


def _skip(chunks: Iterable[bytes], count: int) -> Iterator[bytes]:
    """``chunks`` without their first ``count`` bytes."""
    for chunk in chunks:
        if count >= len(chunk):
            count -= len(chunk)
            continue
        yield chunk[count:] if count else chunk
        count = 0


def _stream_page(
    client: ZoomClient,
    url: str,
    *,
    offset: int,
    speakers: bool,
    budget: int,
    words: list[str] | None,
    after_match: bool,
) -> Page:
    """One page of the WebVTT file at ``url``, read from byte ``offset`` on."""

    def read(response: requests.Response) -> Page:
        refuse_web_page(response)
        chunks: Iterable[bytes] = response.iter_content(chunk_size=READ_CHUNK)
        if offset and response.status_code != 206:
            chunks = _skip(chunks, offset)  # the server ignored the Range: skip to the cursor
        cues = parse_cues(chunks, offset=offset, speakers=speakers)
        return read_page(cues, budget=budget, words=words, after_match=after_match)

    headers: Callable[[], Mapping[str, str]] | None = None
    if offset:
        range_header = {"Range": f"bytes={offset}-"}
        headers = range_header.copy
    return client.stream(url, read, headers=headers)


# -- where the transcript comes from --------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    kind: TranscriptSource
    url: str


def _processing(instance: m.PastInstance) -> ZoomUnavailableError:
    return ZoomUnavailableError(
        "processing",
        "Zoom is still processing this instance's recording: its transcript is not ready yet.",
        suggestion=_TRY_LATER,
        instance=instance,
    )


def _from_recording(
    recording: m.Recording, instance: m.PastInstance, wanted: TranscriptSource | None
) -> _Source | None:
    """The recording's transcript, else its captions; None if it has neither."""
    files = recording.recording_files or []
    for kind, file_type in _RECORDING_FILES:
        if wanted not in (None, kind):
            continue
        for file in files:
            if file.file_type != file_type or not file.download_url:
                continue
            if not_ready(file) is None:
                return _Source(kind, file.download_url)
            raise _processing(instance)
    return None


def _recording(client: ZoomClient, uuid: str) -> m.Recording | None:
    """The instance's cloud recording, None if it has none (Zoom's code 3301)."""
    try:
        return client.get_meeting_recordings(meeting_id=uuid)
    except ZoomNotFoundError as missing:
        if missing.code == 3301:
            return None
        raise


_RESTRICTIONS = {
    "DELETED_OR_TRASHED": (
        "The transcript of this instance is in the trash or deleted.",
        "Tell the user; the host can restore it from the trash in Zoom's web portal "
        "within 30 days.",
    ),
    "NO_TRANSCRIPT_DATA": (
        "The transcript of this instance has no speech in it (nobody spoke, or Zoom "
        "recognised none).",
        _TELL_USER,
    ),
    "UNSUPPORTED": (
        "Zoom does not offer this instance's transcript for download (unsupported, e.g. its "
        "language).",
        _TELL_USER,
    ),
}


def _meeting_transcript(
    client: ZoomClient, op: AnyOperation, instance: m.PastInstance, *, recorded: bool
) -> tuple[_Source, m.TranscriptInfo]:
    """The transcript Zoom keeps apart from recordings, or the state that says why not."""
    action = f"get the transcript of meeting instance {instance.uuid}"
    parse = m.TranscriptInfo.model_validate_json
    try:
        info = instance_get(client, op, "GetMeetingTranscript", instance.uuid, parse, action)
    except ZoomNotFoundError as missing:
        if missing.code != 3322:
            raise
        if recorded:
            raise ZoomUnavailableError(
                "transcript_off",
                "This instance was recorded to the cloud without an audio transcript: the "
                "host's 'Create audio transcript' recording setting was off.",
                suggestion="Tell the user; turning the setting on gives transcripts of later "
                "recordings. zoom_get_meeting_summary may still help.",
                instance=instance,
            ) from None
        exists(client, op, instance)
        raise ZoomUnavailableError(
            "not_recorded",
            "This instance was not recorded to the cloud and has no transcript.",
            suggestion="Tell the user; zoom_get_meeting_summary or zoom_get_meeting_attendance "
            "may still help.",
            instance=instance,
        ) from None
    if info.can_download and info.download_url:
        return _Source("meeting_transcript", info.download_url), info
    reason = info.download_restriction_reason or "unknown"
    if reason == "NOT_READY":
        raise _processing(instance)
    message, next_step = _RESTRICTIONS.get(
        reason, (f"Zoom does not offer this transcript for download ({reason}).", _TELL_USER)
    )
    raise ZoomUnavailableError(
        "transcript_unavailable", message, suggestion=next_step, instance=instance
    )


def _stale(op: AnyOperation, why: str) -> ZoomValidationError:
    return ZoomValidationError(
        [FieldError("cursor", f"{why}; call again without cursor to start over")],
        operation=op.name,
    )


def _locate(
    client: ZoomClient,
    op: AnyOperation,
    args: GetMeetingTranscriptArgs,
    instance: m.PastInstance,
    wanted: TranscriptSource | None,
) -> tuple[_Source, m.PastInstance]:
    """Where the instance's transcript is, and the instance with what Zoom said of it."""
    recording = None
    if wanted != "meeting_transcript":
        recording = _recording(client, instance.uuid)
    if recording is not None:
        elsewhere = recording.id is not None and str(recording.id) != args.meeting_id
        if wanted is not None and args.meeting_id.isdigit() and elsewhere:
            raise _stale(op, f"the cursor belongs to meeting {recording.id}")
        instance = instance.model_copy(
            update={
                "meeting_id": instance.meeting_id or recording.id,
                "topic": instance.topic or recording.topic,
                "start_time": instance.start_time or recording.start_time,
            }
        )
        found = _from_recording(recording, instance, wanted)
        if found is not None:
            return found, instance
    if wanted not in (None, "meeting_transcript"):
        raise _stale(op, "the file the cursor reads is gone")
    source, info = _meeting_transcript(client, op, instance, recorded=recording is not None)
    if instance.topic is None and info.meeting_topic:
        instance = instance.model_copy(update={"topic": info.meeting_topic})
    return source, instance


def get_transcript(
    client: ZoomClient, op: AnyOperation, args: GetMeetingTranscriptArgs
) -> m.Transcript:
    """One page of the transcript ``args`` ask for (zoom_get_meeting_transcript).

    Raises ZoomUnavailableError when the instance has no transcript to give (yet).
    """
    if args.cursor is not None:
        cursor = decode_cursor(args.cursor)
        instance = m.PastInstance(uuid=cursor.uuid)
        wanted: TranscriptSource | None = cursor.source
        offset, after_match = cursor.offset, cursor.after_match
    else:
        instance = resolve(client, op, args).instance
        wanted, offset, after_match = None, 0, False
    source, instance = _locate(client, op, args, instance, wanted)
    page = _stream_page(
        client,
        source.url,
        offset=offset,
        speakers=source.kind != "captions",
        budget=args.max_chars or DEFAULT_MAX_CHARS,
        words=query_words(args.query) if args.query else None,
        after_match=after_match,
    )
    next_cursor = None
    if page.resume is not None:
        resume = TranscriptCursor(instance.uuid, source.kind, *page.resume)
        next_cursor = encode_cursor(resume)
    return m.Transcript(
        instance=instance,
        source=source.kind,
        turns=page.turns,
        next_cursor=next_cursor,
        query=args.query,
    )
