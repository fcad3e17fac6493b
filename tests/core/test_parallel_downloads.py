"""A recording's files download a few at a time, each still streamed, verified and put in place
atomically; progress is reported per file and in total, shown as bars only where someone
watches, and never to agents; an interrupt stops every download and leaves no partial file."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.core.test_imports import loaded_by
from tests.sandboxes import NewSandbox
from zoom_agent_tools import ZoomClient
from zoom_agent_tools.downloads import (
    CHUNK_SIZE,
    DEFAULT_WORKERS,
    MAX_WORKERS,
    DownloadPolicy,
    Planned,
    download_recording_files,
)
from zoom_agent_tools.errors import ZoomConfigurationError
from zoom_agent_tools.models import Recording

T = TypeVar("T")
SIZE = 50_000


def _body(number: int) -> bytes:
    return bytes((number + i) % 251 for i in range(SIZE))


def _recording(count: int, *, size: int | None = SIZE, base: str = "mem://") -> Recording:
    files = [
        {
            "id": f"f{n}",
            "file_type": "MP4",
            "file_extension": "MP4",
            "file_size": size,
            "status": "completed",
            "recording_type": "shared_screen_with_speaker_view",
            "download_url": f"{base}{n}",
        }
        for n in range(count)
    ]
    return Recording.model_validate(
        {"uuid": "4444AAAiAAAAAiAiAiiAii==", "topic": "Weekly sync", "recording_files": files}
    )


class _Endless(io.RawIOBase):
    """A body that never ends: a little, every few milliseconds."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        time.sleep(0.002)
        buffer[:1024] = b"x" * 1024
        return 1024


class MemoryStreams:
    """``downloads.Streams`` from memory, counting how many downloads run at once.

    The first ``gate.parties`` downloads wait for each other at ``gate`` before sending a
    byte: they must be running together, or the gate times out and the test fails.
    """

    def __init__(
        self,
        bodies: Mapping[str, bytes | Callable[[], io.RawIOBase]],
        gate: threading.Barrier | None = None,
    ) -> None:
        self.bodies = bodies
        self.gate = gate
        self.lock = threading.Lock()
        self.calls = 0
        self.running = 0
        self.most = 0
        self.headers: list[dict[str, str]] = []

    def stream(
        self,
        url: str,
        read: Callable[[requests.Response], T],
        *,
        token: str | None = None,
        headers: Callable[[], Mapping[str, str]] | None = None,
    ) -> T:
        with self.lock:
            self.calls += 1
            gated = self.gate is not None and self.calls <= self.gate.parties
            self.running += 1
            self.most = max(self.most, self.running)
            self.headers.append(dict(headers() if headers else {}))
        try:
            if gated and self.gate is not None:
                self.gate.wait()
            body = self.bodies[url]
            response = requests.Response()
            response.status_code = 200
            response.headers["Content-Type"] = "video/mp4"
            response.raw = io.BytesIO(body) if isinstance(body, bytes) else body()
            return read(response)
        finally:
            with self.lock:
                self.running -= 1


def _bodies(count: int) -> dict[str, bytes | Callable[[], io.RawIOBase]]:
    return {f"mem://{n}": _body(n) for n in range(count)}


def test_files_download_four_at_a_time_by_default(tmp_path: Path) -> None:
    streams = MemoryStreams(_bodies(6), gate=threading.Barrier(DEFAULT_WORKERS, timeout=10))
    result = download_recording_files(streams, _recording(6), DownloadPolicy(tmp_path), token=None)
    assert streams.most == DEFAULT_WORKERS == 4
    assert [r.status for r in result.files] == ["saved"] * 6
    # In Zoom's order whatever the order they finished in, each with its own bytes.
    assert [r.recording_id for r in result.files] == [f"f{n}" for n in range(6)]
    for n, saved in enumerate(result.saved):
        assert Path(saved.path).read_bytes() == _body(n)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.name for f in result.saved)
    # Every file is asked for as stored, so offsets and sizes mean the same on every hop.
    assert all(h == {"Accept-Encoding": "identity"} for h in streams.headers)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_pool_size_is_the_most_at_once(workers: int, tmp_path: Path) -> None:
    streams = MemoryStreams(_bodies(5), gate=threading.Barrier(workers, timeout=10))
    policy = DownloadPolicy(tmp_path, workers=workers)
    result = download_recording_files(streams, _recording(5), policy, token=None)
    assert streams.most == workers
    assert len(result.saved) == 5


def test_the_client_and_each_call_choose_the_pool_size(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    for n in range(3):
        httpserver.expect_request(f"/rec/{n}").respond_with_data(_body(n), content_type="video/mp4")
    recording = _recording(3, base=httpserver.url_for("/rec/"))
    with ZoomClient.from_env(
        {"ZOOM_ACCESS_TOKEN": "t0ken-0123456789", "ZOOM_API_BASE_URL": httpserver.url_for("/v2")},
        download_dir=tmp_path,
        download_workers=1,
    ) as client:
        assert client.downloads.workers == 1
        seen: list[int] = []

        def spy(*args: Any, **kwargs: Any) -> Any:
            seen.append(args[2].workers)
            return download_recording_files(*args, **kwargs)

        import zoom_agent_tools.downloads as downloads

        original = downloads.download_recording_files
        downloads.download_recording_files = spy
        try:
            client.download_recording_files(recording, progress=False)
            client.download_recording_files(recording, tmp_path / "b", workers=3, progress=False)
        finally:
            downloads.download_recording_files = original
    assert seen == [1, 3]
    assert len(list((tmp_path / "b").iterdir())) == 3


@pytest.mark.parametrize("workers", [0, MAX_WORKERS + 1, 2.5, True, "4"])
def test_a_bad_pool_size_is_refused_before_any_request(
    workers: Any, httpserver: HTTPServer, tmp_path: Path
) -> None:
    with pytest.raises(
        ZoomConfigurationError,
        match=f"^download_workers must be a whole number from 1 to {MAX_WORKERS}",
    ):
        ZoomClient.from_env({"ZOOM_ACCESS_TOKEN": "t0ken-0123456789"}, download_workers=workers)
    recording = _recording(2, base=httpserver.url_for("/rec/"))
    with (
        ZoomClient.from_env(
            {
                "ZOOM_ACCESS_TOKEN": "t0ken-0123456789",
                "ZOOM_API_BASE_URL": httpserver.url_for("/v2"),
            },
            download_dir=tmp_path,
        ) as client,
        pytest.raises(
            ZoomConfigurationError, match=f"^workers must be a whole number from 1 to {MAX_WORKERS}"
        ),
    ):
        client.download_recording_files(recording, workers=workers)
    assert httpserver.log == []


def test_an_interrupt_stops_every_download_and_leaves_no_partial_file(tmp_path: Path) -> None:
    """Ctrl-C (a kernel interrupt) while the files download: the interrupt is raised at once,
    the downloads still running stop at their next read, and their temporary files go."""
    lock = threading.Lock()
    running: list[int] = []
    others_running = threading.Event()

    def interrupted() -> io.RawIOBase:
        assert others_running.wait(timeout=10)  # the three others are downloading: now
        raise KeyboardInterrupt

    def endless() -> io.RawIOBase:
        with lock:
            running.append(1)
            if len(running) == 3:
                others_running.set()
        return _Endless()

    bodies: dict[str, bytes | Callable[[], io.RawIOBase]] = {"mem://0": interrupted}
    bodies.update({f"mem://{n}": endless for n in range(1, 6)})
    streams = MemoryStreams(bodies)
    with pytest.raises(KeyboardInterrupt):
        download_recording_files(
            streams, _recording(6, size=None), DownloadPolicy(tmp_path), token=None
        )
    for thread in threading.enumerate():
        if thread.name.startswith("zoom-download"):
            thread.join(timeout=10)
            assert not thread.is_alive()
    assert list(tmp_path.iterdir()) == []
    # The worker that was interrupted may start one more file before the interrupt is seen;
    # the last file never starts.
    assert streams.calls in (4, 5)


class Recorder:
    """A ``downloads.Progress`` that records what it is told."""

    def __init__(self, title: str, files: Sequence[Planned], workers: int) -> None:
        self.title = title
        self.files = list(files)
        self.workers = workers
        self.added: dict[str, list[int]] = defaultdict(list)
        self.closed_files: list[str] = []
        self.closed = 0
        self.lock = threading.Lock()

    def file(self, name: str) -> Any:
        recorder = self

        class Meter:
            def add(self, count: int) -> None:
                with recorder.lock:
                    recorder.added[name].append(count)

            def close(self) -> None:
                with recorder.lock:
                    recorder.closed_files.append(name)

        return Meter()

    def close(self) -> None:
        self.closed += 1


def _recorded() -> tuple[list[Recorder], Callable[[str, Sequence[Planned], int], Recorder]]:
    made: list[Recorder] = []

    def show(title: str, files: Sequence[Planned], workers: int) -> Recorder:
        made.append(Recorder(title, files, workers))
        return made[-1]

    return made, show


def test_progress_hears_every_byte_of_every_file(tmp_path: Path) -> None:
    recording = _recording(3)
    files = [*(recording.recording_files or [])]
    files.append(files[0].model_copy(update={"status": "processing", "id": "busy"}))
    recording = recording.model_copy(update={"recording_files": files})
    made, show = _recorded()
    result = download_recording_files(
        MemoryStreams(_bodies(3)), recording, DownloadPolicy(tmp_path), token=None, progress=show
    )
    [progress] = made
    assert progress.title == "Weekly sync"
    assert progress.workers == 3  # no more workers than files to fetch
    # The files to fetch, in Zoom's order (not the one still processing), named for people.
    assert [f.name for f in progress.files] == [f.name for f in result.saved]
    assert {f.label for f in progress.files} == {"MP4 shared_screen_with_speaker_view"}
    assert all(f.size == SIZE for f in progress.files)
    assert {name: sum(counts) for name, counts in progress.added.items()} == {
        f.name: SIZE for f in result.saved
    }
    assert sorted(progress.closed_files) == sorted(f.name for f in result.saved)
    assert progress.closed == 1
    # Already on disk: counted at once, not fetched.
    again = download_recording_files(
        MemoryStreams({}), recording, DownloadPolicy(tmp_path), token=None, progress=show
    )
    assert [r.status for r in again.files[:3]] == ["already_present"] * 3
    assert dict(made[1].added) == {f.name: [SIZE] for f in result.saved}


def test_a_restart_takes_back_the_bytes_counted(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    body = _body(0)
    served: list[str | None] = []

    def serve(request: Request) -> Response:
        served.append(request.headers.get("Range"))
        if len(served) == 1:  # promise the whole file, send part of it
            return Response(iter([body[:20_000]]), headers={"Content-Length": str(SIZE)})
        return Response(body, content_type="video/mp4")  # ignores the Range: from byte 0

    httpserver.expect_request("/rec/0").respond_with_handler(serve)
    made, show = _recorded()
    policy = DownloadPolicy(tmp_path, chunk_size=5_000)
    result = download_recording_files(
        client, _recording(1, base=httpserver.url_for("/rec/")), policy, token=None, progress=show
    )
    assert served == [None, "bytes=20000-"]
    assert Path(result.saved[0].path).read_bytes() == body
    [counts] = made[0].added.values()
    assert sum(counts) == SIZE
    assert -20_000 in counts


def test_an_encoded_answer_is_decoded_and_a_cut_starts_over(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path
) -> None:
    """Asked for the file as stored, a server that gzips it anyway is decoded; after a cut it
    is asked again from the start, as its offsets count encoded bytes."""
    body = b"WEBVTT\n\n" + b"1\n00:00:00.000 --> 00:00:01.000\nHello there\n\n" * 4000
    packed = gzip.compress(body)
    served: list[tuple[str | None, str | None]] = []

    def serve(request: Request) -> Response:
        served.append((request.headers.get("Accept-Encoding"), request.headers.get("Range")))
        headers = {"Content-Encoding": "gzip", "Content-Length": str(len(packed))}
        if len(served) == 1:
            return Response(iter([packed[: len(packed) // 2]]), headers=headers)
        return Response(packed, headers=headers, content_type="text/vtt")

    httpserver.expect_request("/rec/0").respond_with_handler(serve)
    recording = _recording(1, size=len(body), base=httpserver.url_for("/rec/"))
    result = download_recording_files(
        client, recording, DownloadPolicy(tmp_path, chunk_size=4096), token=None
    )
    assert [r.status for r in result.files] == ["saved"]
    assert Path(result.saved[0].path).read_bytes() == body
    assert served == [("identity", None), ("identity", None)]


def test_a_cut_in_one_file_is_resumed_while_the_others_download(
    new_sandbox: NewSandbox, tmp_path: Path
) -> None:
    with new_sandbox(rate_limits=False) as sandbox, sandbox.client(download_dir=tmp_path) as client:
        made = sandbox.add_recording(topic="Six files", file_size=3_000_000, file_types=["MP4"] * 6)
        # A cut loses the chunk being read, no more: the resume starts after the last whole one.
        sandbox.faults.inject(operation="recordingDownload", cut_after=2_500_000, times=2)
        resume_at = 2_500_000 // CHUNK_SIZE * CHUNK_SIZE
        ranges: list[str | None] = []

        def hook(response: requests.Response, *args: Any, **kwargs: Any) -> None:
            if "/rec/download/" in response.url:
                ranges.append(response.request.headers.get("Range"))

        client.session.hooks["response"].append(hook)
        recording = client.get_meeting_recordings(meeting_id=made["uuid"])
        result = client.download_recording_files(recording, progress=False)
        fresh = client.download_recording_files(
            recording, tmp_path / "again", workers=1, progress=False
        )
    assert [r.status for r in result.files] == ["saved"] * 6
    assert sorted(r for r in ranges if r) == [f"bytes={resume_at}-"] * 2
    for saved, alone in zip(result.saved, fresh.saved, strict=True):
        assert saved.size == 3_000_000
        assert Path(saved.path).read_bytes() == Path(alone.path).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["again", *(f.name for f in result.saved)]
    )


def test_memory_stays_flat_whatever_the_file_size(new_sandbox: NewSandbox, tmp_path: Path) -> None:
    """The client and the in-process sandbox together hold a few chunks, not the file."""
    with new_sandbox(rate_limits=False) as sandbox, sandbox.client(download_dir=tmp_path) as client:
        made = sandbox.add_recording(topic="Large", file_size=96 * 2**20, file_types=["MP4"])
        recording = client.get_meeting_recordings(meeting_id=made["uuid"])
        tracemalloc.start()
        try:
            result = client.download_recording_files(recording, progress=False)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.saved[0].size == 96 * 2**20
    assert peak < 16 * 2**20


# -- progress bars -----------------------------------------------------------------------------


def test_bars_go_to_stderr_when_asked_and_nowhere_by_default(
    httpserver: HTTPServer, client: ZoomClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(2):
        httpserver.expect_request(f"/rec/{n}").respond_with_data(_body(n), content_type="video/mp4")
    recording = _recording(2, base=httpserver.url_for("/rec/"))
    client.download_recording_files(recording, tmp_path / "a")  # not a terminal: no bars
    client.download_recording_files(recording, tmp_path / "b", progress=False)
    assert capsys.readouterr() == ("", "")
    client.download_recording_files(recording, tmp_path / "c", progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    final = err.replace("\r", "\n").splitlines()
    assert any(line.startswith("Weekly sync: 2 files: 100%") for line in final)
    # A file's bar is cleared when the file is done: a terminal keeps the total only.
    assert any(line.startswith("MP4 shared_screen_with_speaker_view:") for line in final)


def test_bars_are_drawn_on_a_terminal_and_never_for_agents(tmp_path: Path) -> None:
    """In a terminal (a pseudo-terminal here) a download draws bars on standard error by
    default; the same download through the tool layer, as an agent calls it, draws none."""
    import pty

    script = textwrap.dedent(
        f"""
        import sys
        from zoom_agent_tools.sandbox import Sandbox
        from zoom_agent_tools.tools import ZoomTools

        with Sandbox(rate_limits=False) as sandbox:
            client = sandbox.client(download_dir={str(tmp_path / "client")!r})
            recording = client.list_recordings(user_id="me").items[0]
            client.download_recording_files(recording)
            sys.stderr.write("\\n<tools>\\n")
            tools = ZoomTools(sandbox.client(download_dir={str(tmp_path / "tools")!r}))
            outcome = tools.call(
                "zoom_get_meeting_recordings",
                {{"meetingId": recording.uuid, "downloadFiles": True}},
            )
            sys.stderr.write(f"<saved {{len(outcome.files)}}>\\n")
        """
    )
    leader, follower = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    received = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        received.extend(chunk)
    os.close(leader)
    assert child.wait(timeout=60) == 0
    text = received.decode("utf-8", "replace")
    client, tools = text.split("<tools>")
    assert "Support escalation: 5 files: 100%" in client
    assert "MP4 shared_screen_with_speaker_view" in client
    assert "%|" not in tools
    assert "<saved 5>" in tools


def test_tqdm_is_loaded_only_to_draw_bars() -> None:
    setup = (
        "from zoom_agent_tools.sandbox import Sandbox\n"
        "import tempfile\n"
        "sandbox = Sandbox(rate_limits=False)\n"
        "client = sandbox.client(download_dir=tempfile.mkdtemp())\n"
        "recording = client.list_recordings(user_id='me').items[0]\n"
    )
    assert loaded_by("import zoom_agent_tools", ("tqdm",)) == []
    assert loaded_by(setup + "client.download_recording_files(recording)", ("tqdm",)) == []
    drawn = setup + "client.download_recording_files(recording, progress=True)"
    assert "tqdm" in loaded_by(drawn, ("tqdm",))
