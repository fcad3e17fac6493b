"""The streaming WebVTT reader: Zoom's two flavours, WebVTT's other forms, any chunking, and
resuming at a cue's byte offset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zoom_agent_tools.webvtt import MAX_LINE_BYTES, Cue, parse_cues

# Zoom's TRANSCRIPT file: LF, numbered cues, "Name: text", one cue without a speaker.
TRANSCRIPT = (
    "WEBVTT\n"
    "\n"
    "1\n"
    "00:00:00.050 --> 00:00:01.790\n"
    "Srijani Ghosh: Hi!\n"
    "\n"
    "2\n"
    "00:00:02.070 --> 00:00:04.050\n"
    "Dr. Melissa Ko: Get this party started: agenda first.\n"
    "\n"
    "3\n"
    "00:00:04.100 --> 00:00:05.000\n"
    "Hmm.\n"
    "\n"
    "4\n"
    "01:02:03.004 --> 01:02:05.500\n"
    "Jordan Lee (Contractor): Naïve café, ça va? 🎉\n"
)
# Zoom's CC file: CRLF, no numbers, no names, whole seconds.
CAPTIONS = (
    "WEBVTT\r\n\r\n"
    "00:01:08.000 --> 00:01:10.000\r\nNote: this is what was said.\r\n\r\n"
    "00:01:10.000 --> 00:01:12.000\r\nSecond caption.\r\n"
)


def _cues(text: str, *, speakers: bool = True, chunk: int = 7) -> list[Cue]:
    data = text.encode("utf-8")
    return list(
        parse_cues((data[i : i + chunk] for i in range(0, len(data), chunk)), speakers=speakers)
    )


def test_zoom_transcript_cues_with_speakers_times_and_offsets() -> None:
    cues = _cues(TRANSCRIPT)
    assert [(c.speaker, c.text) for c in cues] == [
        ("Srijani Ghosh", "Hi!"),
        ("Dr. Melissa Ko", "Get this party started: agenda first."),
        (None, "Hmm."),
        ("Jordan Lee (Contractor)", "Naïve café, ça va? 🎉"),
    ]
    assert cues[0].start == pytest.approx(0.05)
    assert cues[0].end == pytest.approx(1.79)
    assert cues[3].start == pytest.approx(3723.004)
    data = TRANSCRIPT.encode("utf-8")
    # Each offset is where the cue's block (its number) begins, in bytes.
    assert [data[c.offset : c.offset + 2] for c in cues] == [b"1\n", b"2\n", b"3\n", b"4\n"]


def test_zoom_captions_have_no_speakers_even_with_a_colon() -> None:
    cues = _cues(CAPTIONS, speakers=False)
    assert [(c.speaker, c.text, c.start, c.end) for c in cues] == [
        (None, "Note: this is what was said.", 68.0, 70.0),
        (None, "Second caption.", 70.0, 72.0),
    ]
    data = CAPTIONS.encode("utf-8")
    assert data[cues[1].offset :].startswith(b"00:01:10.000")


@pytest.mark.parametrize(
    ("payload", "speaker", "text"),
    [
        ("So the plan is: ship it on Friday", None, "So the plan is: ship it on Friday"),
        ("Ludwig van Beethoven: Da da da dum", "Ludwig van Beethoven", "Da da da dum"),
        ("+1 415: Calling in from the car", "+1 415", "Calling in from the car"),
        ("At 10:30 we start", None, "At 10:30 we start"),
        ("<v Roger Bingham>We are in New York City", "Roger Bingham", "We are in New York City"),
        ("<v.loud Esme>It's a <i>blue</i> apple tree!", "Esme", "It's a blue apple tree!"),
        ("Fish &amp; chips &lt;3", None, "Fish & chips <3"),
    ],
)
def test_who_spoke(payload: str, speaker: str | None, text: str) -> None:
    (cue,) = _cues(f"WEBVTT\n\n00:00.000 --> 00:01.000\n{payload}\n")
    assert (cue.speaker, cue.text) == (speaker, text)


def test_other_webvtt_forms() -> None:
    text = (
        "\ufeffWEBVTT - with a title\n"
        "Kind: captions\n"
        "\n"
        "NOTE a comment: that looks like a speaker\n"
        "\n"
        "STYLE\n"
        "::cue { color: red }\n"
        "\n"
        "intro\n"
        "00:01.000 --> 00:02,500 align:start position:10%\n"
        "Ada Host: first line\n"
        "second line\n"
        "\n"
        "\n"
        "\n"
        "00:03.000 --> 00:04.000\n"
        "\n"
        "broken --> timing\n"
        "Ada Host: not a cue\n"
        "\r"  # a lone CR ends a line, and this one is blank
        "00:05.000 --> 00:06.000\r"
        "Grace: last, without a final newline"
    )
    cues = _cues(text, chunk=3)
    assert [(c.start, c.end, c.speaker, c.text) for c in cues] == [
        (1.0, 2.5, "Ada Host", "first line second line"),
        (5.0, 6.0, "Grace", "last, without a final newline"),
    ]


def test_a_file_without_line_breaks_is_read_in_bounded_lines() -> None:
    chunks_read = 0

    def endless() -> Iterator[bytes]:
        nonlocal chunks_read
        for _ in range(40):
            chunks_read += 1
            yield b"x" * 10_000

    assert list(parse_cues(endless())) == []
    assert chunks_read == 40
    assert MAX_LINE_BYTES < 40 * 10_000


def test_reading_is_lazy() -> None:
    consumed = 0
    block = b"00:00.000 --> 00:01.000\nA B: words\n\n"

    def chunks() -> Iterator[bytes]:
        nonlocal consumed
        yield b"WEBVTT\n\n"
        for _ in range(1000):
            consumed += 1
            yield block

    cues = parse_cues(chunks())
    first = next(cues)
    assert first.text == "words"
    assert consumed <= 2


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(sizes=st.lists(st.integers(1, 40), min_size=1, max_size=30))
def test_any_chunking_gives_the_same_cues(sizes: list[int]) -> None:
    data = TRANSCRIPT.encode("utf-8") + CAPTIONS.encode("utf-8")[len(b"WEBVTT\r\n") :]
    chunks, at = [], 0
    for size in sizes * (len(data) // sum(sizes) + 1):
        chunks.append(data[at : at + size])
        at += size
    assert [c for c in chunks if c]
    assert list(parse_cues(c for c in chunks if c)) == list(parse_cues([data]))


@pytest.mark.parametrize("text", [TRANSCRIPT, CAPTIONS])
def test_resuming_at_a_cue_offset_gives_the_same_cues_from_there(text: str) -> None:
    data = text.encode("utf-8")
    whole = list(parse_cues([data]))
    for n, cue in enumerate(whole):
        resumed = list(parse_cues([data[cue.offset :]], offset=cue.offset))
        assert resumed == whole[n:]
