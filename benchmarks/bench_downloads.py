"""Benchmark report: recording downloads through the client, against curl on the same URL and disk.

Run from the repository root: ``.venv/bin/python -m benchmarks.bench_downloads``. Needs
``curl``. The sandbox runs in its own process (the ``zoom-agent-tools sandbox`` command), as
Zoom would, so this process holds only the client. A script that prints a report, not a test.

* time: a 1 GiB MP4 through ``client.download_recording_files`` and through ``curl -o``, into
  the same folder, in alternating order (client first, then curl first), median of
  ``--rounds``; each run starts after ``os.sync()`` with the previous file deleted, so no run
  pays for another's writeback;
* memory: the peak resident set size of a fresh process that downloads a 256 MiB and a 1 GiB
  file through the client (the same peak: memory does not grow with the file);
* parallel: a meeting of six 100 MiB files, four at a time against one at a time, and against
  ``curl --parallel`` fetching the same six URLs four at a time (the floor the server and the
  disk allow).

The page cache's writeback makes single runs to a real disk vary by a factor of two or more;
``--dir`` picks the folder (default: the system's temporary folder). Large files are deleted
after each run, and the folder at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from zoom_agent_tools import ZoomClient
from zoom_agent_tools.models import Recording

MIB = 1024 * 1024
#: The client may take this share of curl's speed at least (curl's time / the client's).
SPEED_GOAL = 0.95
#: Peak resident memory of a process downloading a file of any size.
MEMORY_GOAL = 100 * MIB
#: "The same" peak at 256 MiB and 1 GiB: at most this much more for the larger file.
GROWTH_GOAL = 8 * MIB
#: Four workers against curl --parallel with four transfers, as for one file.
PARALLEL_GOAL = SPEED_GOAL
WORKERS = 4
STARTUP_WAIT = 30  # seconds

_PEAK_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys
    from zoom_agent_tools import ZoomClient
    env, uuid, folder = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
    with ZoomClient.from_env(env, download_dir=folder) as client:
        recording = client.get_meeting_recordings(meeting_id=uuid)
        [saved] = client.download_recording_files(recording, progress=False).saved
    print(saved.size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """
)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


@contextmanager
def _sandbox_process() -> Iterator[dict[str, str]]:
    """Run ``zoom-agent-tools sandbox`` without rate limits; yield the variables it exports."""
    command = ["zoom_agent_tools.cli", "sandbox", "--port", "0", "--no-rate-limits"]
    child = subprocess.Popen(
        [sys.executable, "-m", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert child.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        stdout = child.stdout

        def read() -> None:
            for line in stdout:
                lines.put(line)

        # A reader thread, so that waiting for the exports can time out.
        threading.Thread(target=read, daemon=True).start()
        env: dict[str, str] = {}
        while "ZOOM_CLIENT_SECRET" not in env:
            name, _, value = lines.get(timeout=STARTUP_WAIT).removeprefix("export ").partition("=")
            env[name] = value.strip().strip("'")
        yield env
    finally:
        child.terminate()  # SIGTERM: the command stops cleanly and removes its database
        try:
            child.wait(timeout=STARTUP_WAIT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _add_recording(env: dict[str, str], topic: str, size: int, files: int = 1) -> str:
    """A new recording of ``files`` MP4 files of ``size`` bytes each; its UUID."""
    made = requests.post(
        env["ZOOM_OAUTH_BASE_URL"] + "/_sandbox/recordings",
        auth=(env["ZOOM_CLIENT_ID"], env["ZOOM_CLIENT_SECRET"]),
        json={"topic": topic, "file_size": size, "file_types": ["MP4"] * files},
        timeout=30,
    )
    made.raise_for_status()
    return str(made.json()["uuid"])


def _timed(run: Callable[[], None]) -> float:
    os.sync()  # the previous run's writes are on disk, not waiting to be written during this one
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _clear(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()


class Contenders:
    """The client and curl, downloading into one folder."""

    def __init__(self, client: ZoomClient, token: str, folder: Path) -> None:
        self.client = client
        self.token = token
        self.folder = folder

    def by_client(self, recording: Recording, size: int, workers: int = WORKERS) -> None:
        result = self.client.download_recording_files(
            recording, self.folder, workers=workers, progress=False
        )
        if [f.size for f in result.saved] != [size] * len(recording.recording_files or []):
            raise RuntimeError(f"the client saved {result.summary()}")

    def by_curl(self, recording: Recording, size: int, parallel: int = 1) -> None:
        command = ["curl", "--silent", "--no-progress-meter", "--fail"]
        command += ["--header", f"Authorization: Bearer {self.token}"]
        if parallel > 1:
            command += ["--parallel", "--parallel-max", str(parallel)]
        for number, file in enumerate(recording.recording_files or []):
            target = self.folder / f"curl-{number}.mp4"
            command += ["--output", str(target), file.download_url or ""]
        subprocess.run(command, check=True, timeout=600, stdout=subprocess.DEVNULL)
        sizes = sorted(p.stat().st_size for p in self.folder.iterdir())
        if sizes != [size] * len(recording.recording_files or []):
            raise RuntimeError(f"curl wrote {sizes}")

    def race(self, runs: dict[str, Callable[[], None]], rounds: int) -> dict[str, list[float]]:
        """Each run ``rounds`` times, in turn, the order reversed every round; their times."""
        names = list(runs)
        times: dict[str, list[float]] = {name: [] for name in names}
        for number in range(rounds):
            for name in names if number % 2 == 0 else reversed(names):
                times[name].append(_timed(runs[name]))
                _clear(self.folder)
        return times


def _peak_rss(env: dict[str, str], uuid: str, folder: Path) -> int:
    """The peak resident set size, in bytes, of a fresh process that downloads ``uuid``."""
    run = subprocess.run(
        [sys.executable, "-c", _PEAK_SCRIPT, json.dumps(env), uuid, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    _, peak_kib = run.stdout.split()
    _clear(folder)
    return int(peak_kib) * 1024  # Linux reports KiB


def _speed_line(label: str, seconds: float, size: int) -> str:
    return f"  {label:<44} {seconds:6.2f} s  ({size / MIB / seconds:5.0f} MiB/s)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7, help="runs of each kind (7)")
    parser.add_argument("--size-mib", type=int, default=1024, help="the large file (1024)")
    parser.add_argument("--dir", type=Path, default=None, help="where files are written")
    options = parser.parse_args(argv)
    if shutil.which("curl") is None:
        print("bench_downloads needs curl (apt-get install curl)", file=sys.stderr)
        return 2
    size = options.size_mib * MIB
    small, part = 256 * MIB, 100 * MIB

    with (
        _sandbox_process() as env,
        tempfile.TemporaryDirectory(prefix="bench-dl-", dir=options.dir) as tmp,
        ZoomClient.from_env(env) as client,
    ):
        folder = Path(tmp)
        token = client.auth.access_token(client.session, client.timeout)
        large = _add_recording(env, "Benchmark 1 GiB", size)
        medium = _add_recording(env, "Benchmark 256 MiB", small)
        meeting = _add_recording(env, "Benchmark six files", part, files=6)
        contenders = Contenders(client, token, folder)

        one = client.get_meeting_recordings(meeting_id=large)
        single = contenders.race(
            {
                "client": lambda: contenders.by_client(one, size),
                "curl": lambda: contenders.by_curl(one, size),
            },
            options.rounds,
        )
        peaks = {small: _peak_rss(env, medium, folder), size: _peak_rss(env, large, folder)}
        six = client.get_meeting_recordings(meeting_id=meeting)
        parallel = contenders.race(
            {
                "parallel": lambda: contenders.by_client(six, part),
                "serial": lambda: contenders.by_client(six, part, workers=1),
                "curl": lambda: contenders.by_curl(six, part, parallel=WORKERS),
            },
            max(3, options.rounds // 2),
        )

    client_s, curl_s = statistics.median(single["client"]), statistics.median(single["curl"])
    speed = curl_s / client_s
    print(
        f"1. one {size / MIB:.0f} MiB MP4 from the sandbox in its own process, into one folder "
        f"({options.rounds} runs each, alternating, median)"
    )
    print(_speed_line("client.download_recording_files", client_s, size))
    print(_speed_line("curl -o", curl_s, size))
    print(
        f"  speed against curl {speed:.2f}x (curl's time / the client's; goal >= "
        f"{SPEED_GOAL:.2f})  {_verdict(speed >= SPEED_GOAL)}"
    )
    for name, times in single.items():
        print(f"    {name} runs: {' '.join(f'{t:.2f}' for t in times)} s")

    print("2. peak resident memory of a fresh process downloading one file through the client")
    for file_size, peak in peaks.items():
        print(
            f"  {file_size / MIB:5.0f} MiB file: {peak / MIB:5.1f} MiB "
            f"(goal < {MEMORY_GOAL / MIB:.0f} MiB)  {_verdict(peak < MEMORY_GOAL)}"
        )
    growth = peaks[size] - peaks[small]
    print(
        f"  growth from {small / MIB:.0f} MiB to {size / MIB:.0f} MiB: {growth / MIB:+.1f} MiB "
        f"(goal < {GROWTH_GOAL / MIB:.0f} MiB)  {_verdict(growth < GROWTH_GOAL)}"
    )

    rounds = len(parallel["parallel"])
    total = 6 * part
    together = statistics.median(parallel["parallel"])
    alone = statistics.median(parallel["serial"])
    floor = statistics.median(parallel["curl"])
    print(
        f"3. a meeting of six {part / MIB:.0f} MiB files ({rounds} runs each, alternating, median)"
    )
    print(_speed_line(f"client, {WORKERS} at a time (the default)", together, total))
    print(_speed_line("client, one at a time (workers=1)", alone, total))
    print(_speed_line(f"curl --parallel --parallel-max {WORKERS}", floor, total))
    print(f"  {WORKERS} at a time against one at a time: {alone / together:.2f}x faster")
    print(
        f"  against curl --parallel {floor / together:.2f}x (goal >= {PARALLEL_GOAL:.2f})  "
        f"{_verdict(floor / together >= PARALLEL_GOAL)}"
    )
    for name, times in parallel.items():
        print(f"    {name} runs: {' '.join(f'{t:.2f}' for t in times)} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
