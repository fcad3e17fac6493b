"""Benchmark report: reading a two-hour meeting transcript, against reading the same bytes.

Run from the repository root: ``.venv/bin/python -m benchmarks.bench_transcripts [--runs N]``.
A script that prints a report, not a test. The transcript is the sandbox's two-hour meeting
(``Billing architecture deep dive``: Zoom's TRANSCRIPT WebVTT, about 120 KB), handed out in
the chunks the client reads from the network (16 KiB), each made when asked for. Every
figure is a ratio against a floor measured in the same run:

* time: the streaming WebVTT reader (cues, speakers, byte offsets), and every page at the
  default budget, against the fastest plain reader (the whole file decoded and split into
  blocks at once); touching the bytes and splitting them into lines are shown as well;
* peak memory (tracemalloc): the reader streaming the whole file against streaming the bytes
  without parsing; the reader on a file four times as long (the same peak: memory does not
  grow with the meeting); one page against the plain reader, which holds the whole file;
* the pages at the default budget, and through the client against the in-process sandbox
  (each page a Range request at its cursor);
* the size of the four meeting-intelligence tool schemas (and the ten's).
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

from benchmarks.bench_tools import INTELLIGENCE, INTELLIGENCE_GOAL, SCHEMA_GOAL, bench_schemas
from zoom_agent_tools.sandbox import INTELLIGENCE_UUIDS, Sandbox
from zoom_agent_tools.sandbox import transcripts as generated
from zoom_agent_tools.transcripts import DEFAULT_MAX_CHARS, READ_CHUNK, read_page
from zoom_agent_tools.webvtt import parse_cues

#: The streaming reader may cost this many times the plain reader, and every page (turns
#: merged, each sized as JSON) this many.
READER_TIME_GOAL = 4.0
PAGES_TIME_GOAL = 8.0
#: The reader may hold this many times what streaming the bytes holds; four times the file
#: may raise its peak by this factor at most; one page may hold this share of what the plain
#: reader holds.
MEMORY_GOAL = 4.0
GROWTH_GOAL = 1.2
PAGE_MEMORY_GOAL = 1.0
#: A two-hour meeting in at most this many pages at the default budget.
PAGES_GOAL = 8
NOW = datetime(2026, 3, 10, 18, 30, tzinfo=timezone.utc)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def two_hour_transcript(hours: int = 2) -> bytes:
    """The sandbox's two-hour TRANSCRIPT file (or one of ``hours``), as Zoom's bytes."""
    file = {
        "script": generated.recipe("deep-dive", hours * 3600, generated=True),
        "file_type": "TRANSCRIPT",
    }
    return b"".join(generated.iter_script(file, 0, generated.script_size(file)))


def _chunks(data: bytes, start: int = 0) -> Iterator[bytes]:
    """``data`` from ``start`` in READ_CHUNK pieces, each made when asked for (as a socket)."""
    for at in range(start, len(data), READ_CHUNK):
        yield data[at : at + READ_CHUNK]


def touch(data: bytes) -> int:
    return sum(len(chunk) for chunk in _chunks(data))


def lines(data: bytes) -> int:
    count, pending = 0, b""
    for chunk in _chunks(data):
        *complete, pending = (pending + chunk).split(b"\n")
        count += sum(1 for line in complete if line.decode("utf-8"))
    return count


_TIMING = re.compile(r"^(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})$")


def naive(data: bytes) -> int:
    """The least a WebVTT reader does, written for speed: the whole file decoded and split
    into blocks at once (no streaming, no offsets, no resuming), times by one regex, the
    speaker before the first ': '."""
    count = 0
    for block in data.decode("utf-8").split("\n\n")[1:]:
        lines = block.split("\n")
        timing = _TIMING.match(lines[1])
        if timing is None:
            continue
        hours, minutes, seconds, millis = timing.groups()[:4]
        start = int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000
        speaker, _, text = lines[2].partition(": ")
        count += start >= 0 and bool(speaker or text)
    return count


def cues(data: bytes) -> int:
    return sum(1 for _ in parse_cues(_chunks(data)))


def pages(data: bytes) -> int:
    """Every page at the default budget, each read from its cursor's offset."""
    count, offset, after = 0, 0, False
    while True:
        page = read_page(
            parse_cues(_chunks(data, offset), offset=offset),
            budget=DEFAULT_MAX_CHARS,
            after_match=after,
        )
        count += 1
        if page.resume is None:
            return count
        offset, after = page.resume


def first_page(data: bytes) -> int:
    return len(read_page(parse_cues(_chunks(data)), budget=DEFAULT_MAX_CHARS).turns)


def _median_seconds(
    fns: tuple[Callable[[bytes], Any], ...], data: bytes, runs: int
) -> dict[str, float]:
    """Median seconds of each function, interleaved after a warm-up, so that none always
    runs first or after another."""
    for fn in fns:
        fn(data)
    times: dict[str, list[float]] = {fn.__name__: [] for fn in fns}
    for i in range(runs):
        shift = i % len(fns)
        for fn in fns[shift:] + fns[:shift]:
            started = time.perf_counter()
            fn(data)
            times[fn.__name__].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def _peak_bytes(fn: Callable[[bytes], Any], data: bytes) -> int:
    fn(data)  # warm: the models are built on first use, and that is not the reading's cost
    gc.collect()
    tracemalloc.start()
    try:
        fn(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_client(runs: int) -> tuple[int, float, float]:
    """(pages, seconds for every page through the client, seconds for one raw download of
    the file) against the in-process sandbox."""
    sandbox = Sandbox(now=NOW, rate_limits=False)
    try:
        with sandbox.client() as client:
            uuid = INTELLIGENCE_UUIDS["deep_dive"]
            recording = client.get_meeting_recordings(meeting_id=uuid)
            url = next(
                f.download_url
                for f in recording.recording_files or []
                if f.file_type == "TRANSCRIPT"
            )
            assert url is not None
            token = client.auth.access_token(client.session, client.timeout)

            def walk() -> int:
                count, cursor = 0, None
                while True:
                    page = client.get_meeting_transcript(meeting_id=uuid, cursor=cursor)
                    count += 1
                    if page.next_cursor is None:
                        return count
                    cursor = page.next_cursor

            def raw() -> int:
                answer = client.session.get(url, headers={"Authorization": f"Bearer {token}"})
                return len(answer.content)

            count = walk()
            walk_times, raw_times = [], []
            for _ in range(runs):
                started = time.perf_counter()
                walk()
                walk_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                raw()
                raw_times.append(time.perf_counter() - started)
    finally:
        sandbox.stop()
    return count, statistics.median(walk_times), statistics.median(raw_times)


def _ratio(label: str, ours: float, floor: float, goal: float) -> None:
    ratio = ours / floor
    print(f"  {label} {ratio:.2f} (goal <= {goal:.1f})  {_verdict(ratio <= goal)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    options = parser.parse_args(argv)
    data = two_hour_transcript()
    print(f"two-hour transcript: {len(data):,} bytes, {cues(data)} cues, {lines(data)} lines")

    seconds = _median_seconds((touch, lines, naive, cues, pages), data, options.runs)
    print(f"time (median of {options.runs} runs)")
    print(f"  touch the bytes                     {seconds['touch'] * 1e3:8.2f} ms")
    print(f"  split them into decoded lines       {seconds['lines'] * 1e3:8.2f} ms")
    print(f"  plain reader, whole file (floor)    {seconds['naive'] * 1e3:8.2f} ms")
    print(f"  streaming reader: every cue         {seconds['cues'] * 1e3:8.2f} ms")
    print(f"  every page at the default budget    {seconds['pages'] * 1e3:8.2f} ms")
    _ratio("reader / plain reader", seconds["cues"], seconds["naive"], READER_TIME_GOAL)
    _ratio("pages / plain reader", seconds["pages"], seconds["naive"], PAGES_TIME_GOAL)

    longer = two_hour_transcript(hours=8)
    peaks = {fn.__name__: _peak_bytes(fn, data) for fn in (touch, naive, cues, first_page)}
    long_peak = _peak_bytes(cues, longer)
    print("peak memory (tracemalloc)")
    print(f"  stream the bytes (floor)            {peaks['touch'] / 1024:8.1f} KiB")
    print(f"  plain reader, whole file            {peaks['naive'] / 1024:8.1f} KiB")
    print(f"  streaming reader                    {peaks['cues'] / 1024:8.1f} KiB")
    print(f"  streaming reader, 8 hours ({len(longer) // 1024} KiB)  {long_peak / 1024:8.1f} KiB")
    print(f"  the first page                      {peaks['first_page'] / 1024:8.1f} KiB")
    _ratio("reader / floor", peaks["cues"], peaks["touch"], MEMORY_GOAL)
    _ratio("reader, 8 hours / 2 hours", long_peak, peaks["cues"], GROWTH_GOAL)
    _ratio("one page / plain reader", peaks["first_page"], peaks["naive"], PAGE_MEMORY_GOAL)

    count = pages(data)
    print(f"pages at the default budget ({DEFAULT_MAX_CHARS:,} characters of turns)")
    print(f"  {count} pages (goal <= {PAGES_GOAL})  {_verdict(count <= PAGES_GOAL)}")
    client_pages, walk, raw = bench_client(max(3, options.runs // 4))
    print(
        f"  through the client, in-process sandbox: {client_pages} pages in {walk * 1e3:.1f} ms; "
        f"one raw download of the file {raw * 1e3:.1f} ms ({walk / raw:.1f}x: each page also "
        "asks Zoom for the recording's download URL)"
    )

    sizes = dict(bench_schemas()[2])
    four = sum(size for name, size in sizes.items() if name in INTELLIGENCE)
    ten = sum(size for name, size in sizes.items() if name not in INTELLIGENCE)
    print("tool schemas, OpenAI function format (compact JSON)")
    for name in INTELLIGENCE:
        print(f"  {name:34s} {sizes[name]:6d} bytes")
    for label, size, goal in (("the four", four, INTELLIGENCE_GOAL), ("the ten", ten, SCHEMA_GOAL)):
        print(f"  {label} together {size} bytes (goal <= {goal})  {_verdict(size <= goal)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
