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
from functools import lru_cache

__all__ = ["Cue", "parse_cues"]

#: A line longer than this is cut: no cue has one, and a file without line breaks must not
#: be held whole.
MAX_LINE_BYTES = 64 * 1024
#: Lines of one cue kept; a block without blank lines ends here (what follows is skipped).
MAX_CUE_LINES = 32
#: A speaker's name, as Zoom writes it before the first ": " of a cue.
MAX_NAME_LENGTH = 80

_TIME = rb"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rb"^\s*" + _TIME + rb"\s+-->\s+" + _TIME)
_BOM = "\ufeff".encode()
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


def _lines(chunks: Iterable[bytes], offset: int) -> Iterator[tuple[int, bytes]]:
    """Each line of the stream with the byte offset where it begins, without its ending (LF,
    CRLF, or a lone CR)."""
    pending = b""
    at = offset  # where pending begins
    for chunk in chunks:
        data = pending + chunk if pending else chunk
        pieces = data.split(b"\n")
        pending = pieces.pop()
        if b"\r" in data:
            for raw in pieces:
                yield from _split_cr(at, raw)
                at += len(raw) + 1
        else:
            for raw in pieces:
                yield at, raw
                at += len(raw) + 1
        while len(pending) > MAX_LINE_BYTES:
            yield at, pending[:MAX_LINE_BYTES]
            at += MAX_LINE_BYTES
            pending = pending[MAX_LINE_BYTES:]
    if pending:
        yield from _split_cr(at, pending)


def _split_cr(offset: int, raw: bytes) -> list[tuple[int, bytes]]:
    """``raw`` (a line without its LF) as lines: a final CR is a CRLF, a lone CR ends a line."""
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    if b"\r" not in raw:
        return [(offset, raw)]
    lines = []
    for part in raw.split(b"\r"):
        lines.append((offset, part))
        offset += len(part) + 1
    return lines


def _seconds(hours: bytes | None, minutes: bytes, seconds: bytes, fraction: bytes) -> float:
    whole = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return whole + int(fraction) / 10.0 ** len(fraction)


@lru_cache(maxsize=1024)  # a meeting has few speakers, each named in cue after cue
def _looks_like_a_name(name: str) -> bool:
    """Whether the text before a cue's first ": " is a name rather than words that were said.

    Every word of a name starts with a capital, a digit, ``(`` or ``+`` ("Jordan Lee
    (Contractor)", "+1 415"), or is a particle such as "van" or "de".
    """
    words = name.split()
    if not words or len(words) > 8 or name != name.strip():
        return False
    return all(w[0].isupper() or w[0] in "(+0123456789" or w in _NAME_PARTICLES for w in words)


def _payload(lines: list[bytes], speakers: bool) -> tuple[str | None, str]:
    """Who spoke and what, from a cue's text lines."""
    raw = lines[0] if len(lines) == 1 else b" ".join(line.strip() for line in lines)
    text = raw.decode("utf-8", "replace").strip()
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


def _cue(at: int, block: list[bytes], speakers: bool) -> Cue | None:
    """The cue of one block, or None for the header, a note, a style or a broken block."""
    timing = _TIMING.match(block[0])
    index = 0
    if timing is None and len(block) > 1:
        timing = _TIMING.match(block[1])  # after the cue's identifier
        index = 1
    if timing is None or len(block) <= index + 1:
        return None
    groups = timing.groups()
    speaker, text = _payload(block[index + 1 :], speakers)
    if not text:
        return None
    return Cue(at, _seconds(*groups[:4]), _seconds(*groups[4:]), speaker, text)


def parse_cues(chunks: Iterable[bytes], *, offset: int = 0, speakers: bool = True) -> Iterator[Cue]:
    """The cues of a WebVTT file read from ``chunks``, lazily.

    ``offset`` is where in the file the first chunk begins (a resumed read begins at a cue's
    offset, without the ``WEBVTT`` header). With ``speakers`` False no name is read from the
    text (live captions have none, and a colon in what was said is not a speaker). Blocks are
    separated by empty lines, as WebVTT says.
    """
    block: list[bytes] = []
    block_at = offset
    for at, line in _lines(chunks, offset):
        if line:
            if not block:
                block_at = at
                if at == 0 and line.startswith(_BOM):
                    line = line[len(_BOM) :]
            if len(block) < MAX_CUE_LINES:
                block.append(line)
        elif block:
            cue = _cue(block_at, block, speakers)
            block = []
            if cue is not None:
                yield cue
    if block:
        cue = _cue(block_at, block, speakers)
        if cue is not None:
            yield cue
