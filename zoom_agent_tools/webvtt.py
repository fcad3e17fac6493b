"""A streaming WebVTT reader: cues with their speaker, read from chunks of bytes as they arrive.

Zoom's ``TRANSCRIPT`` files number their cues and start each with ``Name: `` (no name where
Zoom could not tell who spoke), with LF line endings; its ``CC`` files (live captions) have
CRLF line endings and no names. The reader takes any WebVTT: LF, CRLF or CR line endings, a
byte order mark, cue identifiers or none, ``NOTE``/``STYLE``/``REGION`` blocks, times with
or without hours, ``<v Name>`` voice tags, other tags and character references.

Only one line (and one cue) is held at a time, so a file of any length costs the same memory.
Each cue knows the byte offset where its block begins: reading can resume there, e.g. with an
HTTP ``Range`` request, and give the same cues from that point on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["Cue", "parse_cues"]

#: A line longer than this is cut: no cue has one, and a file without line breaks must not
#: be held whole.
MAX_LINE_BYTES = 64 * 1024
#: Lines of one cue kept; a block without blank lines ends here (what follows is skipped).
MAX_CUE_LINES = 32
#: A speaker's name, as Zoom writes it before the first ": " of a cue.
MAX_NAME_LENGTH = 80

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s+-->\s+{_TIME}")
_NAME = re.compile(rf"^([^:<>]{{1,{MAX_NAME_LENGTH}}}?): (.*)$", re.DOTALL)
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]{1,80})>(.*)$", re.DOTALL)
_TAG = re.compile(r"</?[^>]*>")
# Lower-case words that appear inside names ("Ludwig van Beethoven", "Maria de la Cruz").
_NAME_PARTICLES = frozenset(
    {"al", "bin", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "el"}
    | {"la", "le", "los", "van", "von", "y"}
)


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue: where its block begins in the file (bytes), its times in seconds, who spoke
    (None if the file does not say) and the words, as one line."""

    offset: int
    start: float
    end: float
    speaker: str | None
    text: str


def _split_cr(offset: int, raw: bytes) -> Iterator[tuple[int, bytes]]:
    """``raw`` (a line without its LF) as lines: a final CR is a CRLF, a lone CR ends a line."""
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    if b"\r" not in raw:
        yield offset, raw
        return
    for part in raw.split(b"\r"):
        yield offset, part
        offset += len(part) + 1


def _lines(chunks: Iterable[bytes], offset: int) -> Iterator[tuple[int, str]]:
    """Each line of the stream with the byte offset where it begins, without its ending."""
    pending = b""
    at = offset
    for chunk in chunks:
        pending = pending + chunk if pending else chunk
        if b"\n" in pending:
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                for start, line in _split_cr(at, raw):
                    yield start, line.decode("utf-8", "replace")
                at += len(raw) + 1
        while len(pending) > MAX_LINE_BYTES:
            yield at, pending[:MAX_LINE_BYTES].decode("utf-8", "replace")
            at += MAX_LINE_BYTES
            pending = pending[MAX_LINE_BYTES:]
    if pending:
        for start, line in _split_cr(at, pending):
            yield start, line.decode("utf-8", "replace")


def _seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float:
    return (
        int(hours or 0) * 3600
        + int(minutes) * 60
        + int(seconds)
        + int(fraction.ljust(3, "0")) / 1000
    )


def _looks_like_a_name(name: str) -> bool:
    """Whether the text before a cue's first ": " is a name rather than words that were said.

    Every word of a name starts with a capital, a digit, ``(`` or ``+`` ("Jordan Lee
    (Contractor)", "+1 415"), or is a particle such as "van" or "de".
    """
    words = name.split()
    if not words or len(words) > 8 or name != name.strip():
        return False
    return all(w[0].isupper() or w[0] in "(+0123456789" or w in _NAME_PARTICLES for w in words)


def _payload(lines: list[str], speakers: bool) -> tuple[str | None, str]:
    """Who spoke and what, from a cue's text lines."""
    text = " ".join(line.strip() for line in lines).strip()
    speaker: str | None = None
    if "<" in text:
        voice = _VOICE.match(text)
        if voice is not None:
            speaker = (voice[1].strip() or None) if speakers else None
            text = voice[2]
        text = _TAG.sub("", text).strip()
    if "&" in text:
        text = html.unescape(text)
    if speakers and speaker is None:
        named = _NAME.match(text)
        if named is not None and _looks_like_a_name(named[1]):
            speaker, text = named[1], named[2].strip()
    return speaker, text


def _cue(block: list[tuple[int, str]], speakers: bool) -> Cue | None:
    """The cue of one block, or None for the header, a note, a style or a broken block."""
    for index in (0, 1):  # the timing line, after an optional identifier
        if index >= len(block):
            return None
        timing = _TIMING.match(block[index][1])
        if timing is not None:
            break
    else:
        return None
    start = _seconds(*timing.groups()[:4])
    end = _seconds(*timing.groups()[4:])
    speaker, text = _payload([line for _, line in block[index + 1 :]], speakers)
    if not text:
        return None
    return Cue(block[0][0], start, end, speaker, text)


def parse_cues(chunks: Iterable[bytes], *, offset: int = 0, speakers: bool = True) -> Iterator[Cue]:
    """The cues of a WebVTT file read from ``chunks``, lazily.

    ``offset`` is where in the file the first chunk begins (a resumed read begins at a cue's
    offset, without the ``WEBVTT`` header). With ``speakers`` False no name is read from the
    text (live captions have none, and a colon in what was said is not a speaker).
    """
    block: list[tuple[int, str]] = []
    for at, line in _lines(chunks, offset):
        if at == 0 and line.startswith("\ufeff"):
            line = line[1:]
        if line.strip():
            if len(block) < MAX_CUE_LINES:
                block.append((at, line))
            continue
        if block:
            cue = _cue(block, speakers)
            block = []
            if cue is not None:
                yield cue
    if block:
        cue = _cue(block, speakers)
        if cue is not None:
            yield cue
