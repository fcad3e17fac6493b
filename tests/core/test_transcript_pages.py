"""Transcript turns and pages: merging, the character budget, cursors, searches across pages,
and reading no further than a page needs."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from zoom_agent_tools.models import Turn
from zoom_agent_tools.transcripts import (
    MAX_TURN_CHARS,
    TranscriptCursor,
    decode_cursor,
    encode_cursor,
    read_page,
)
from zoom_agent_tools.webvtt import Cue, parse_cues

SPEAKERS = ["Priya Natarajan", "Kenji Watanabe", "Sofia Alvarez"]


def _vtt(count: int) -> bytes:
    """A Zoom-like transcript: runs of one to three cues per speaker, a rollback now and then."""
    lines = ["WEBVTT", ""]
    for n in range(count):
        speaker = SPEAKERS[(n // 3 + n // 7) % len(SPEAKERS)]
        word = "rollback" if n % 11 == 5 else "migration"
        at = f"00:{n * 4 // 60:02d}:{n * 4 % 60:02d}"
        lines += [
            str(n + 1),
            f"{at}.000 --> {at}.900",
            f"{speaker}: Cue {n} talks about the {word} plan.",
            "",
        ]
    return "\n".join(lines).encode("utf-8")


def _cues(data: bytes, offset: int = 0) -> Iterator[Cue]:
    return parse_cues((data[i : i + 512] for i in range(0, len(data), 512)), offset=offset)


def _size(turn: Turn) -> int:
    return len(json.dumps(turn.to_output(), ensure_ascii=False, separators=(",", ":"))) + 1


def _all_pages(data: bytes, budget: int, words: list[str] | None = None) -> list[list[Turn]]:
    pages: list[list[Turn]] = []
    offset, after = 0, False
    while True:
        page = read_page(
            _cues(data[offset:], offset), budget=budget, words=words, after_match=after
        )
        pages.append(page.turns)
        if page.resume is None:
            return pages
        assert page.resume[0] > offset
        offset, after = page.resume


def test_consecutive_cues_of_one_speaker_are_one_turn() -> None:
    page = read_page(_cues(_vtt(12)), budget=100_000)
    assert [t.speaker for t in page.turns] == [
        "Priya Natarajan",
        "Kenji Watanabe",
        "Sofia Alvarez",
        "Priya Natarajan",
        "Kenji Watanabe",
    ]
    first = page.turns[0]
    assert first.text == " ".join(f"Cue {n} talks about the migration plan." for n in range(3))
    assert (first.start, first.end) == (0.0, 8.9)
    assert page.resume is None


def test_a_monologue_is_split_and_an_overlong_cue_cut() -> None:
    long_cue = "word " * 400
    data = (
        "WEBVTT\n\n"
        + "".join(
            f"00:00:{n:02d}.000 --> 00:00:{n:02d}.500\nAda Host: {'x' * 200}\n\n" for n in range(20)
        )
        + f"00:01:00.000 --> 00:01:10.000\nAda Host: {long_cue}\n"
    ).encode()
    turns = read_page(_cues(data), budget=1_000_000).turns
    assert {t.speaker for t in turns} == {"Ada Host"}
    assert all(len(t.text) <= MAX_TURN_CHARS for t in turns)
    assert len(turns) > 4
    assert turns[-1].text.endswith("…")


@pytest.mark.parametrize("budget", [2000, 3000, 7000])
def test_pages_keep_to_the_budget_and_together_are_the_whole(budget: int) -> None:
    data = _vtt(300)
    whole = read_page(_cues(data), budget=10**9).turns
    pages = _all_pages(data, budget)
    assert len(pages) > 1
    for turns in pages:
        assert turns
        assert sum(_size(t) for t in turns) <= budget
    assert [t for turns in pages for t in turns] == whole


@pytest.mark.parametrize("budget", [2000, 2500, 4000, 10**9])
def test_a_search_across_pages_loses_and_repeats_nothing(budget: int) -> None:
    data = _vtt(300)
    words = ["rollback"]
    everything = read_page(_cues(data), budget=10**9).turns
    found = [t for turns in _all_pages(data, budget, words) for t in turns]
    hits = [i for i, t in enumerate(everything) if "rollback" in t.text]
    shown = sorted({j for i in hits for j in (i - 1, i, i + 1) if 0 <= j < len(everything)})
    assert [(t.start, t.text) for t in found] == [
        (everything[j].start, everything[j].text) for j in shown
    ]
    assert [t.match for t in found] == [True if j in hits else None for j in shown]


def test_a_page_reads_no_further_than_it_needs() -> None:
    data = _vtt(2000)
    handed_out = 0

    def chunks() -> Iterator[bytes]:
        nonlocal handed_out
        for i in range(0, len(data), 1024):
            handed_out += 1024
            yield data[i : i + 1024]

    page = read_page(parse_cues(chunks()), budget=2000)
    assert page.resume is not None
    # The page ends where the next turn begins; at most a turn and a chunk more were read.
    assert handed_out <= page.resume[0] + MAX_TURN_CHARS + 1024
    assert handed_out < len(data) / 20


def test_cursors_round_trip_and_refuse_anything_else() -> None:
    cursor = TranscriptCursor("/Hk2pX9wQ0aVt6mRzN4cLQ==", "captions", 123_456, True)
    text = encode_cursor(cursor)
    assert text.replace("-", "").replace("_", "").isalnum()
    assert decode_cursor(text) == cursor
    edited = encode_cursor(TranscriptCursor(cursor.uuid, "captions", 1, True))
    for bad in ("", "abc", text[:-3], text[:-6], text.upper(), edited[:20] + text[20:]):
        with pytest.raises(ValueError, match="not a transcript cursor"):
            decode_cursor(bad)
