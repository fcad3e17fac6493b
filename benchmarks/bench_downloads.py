"""Benchmark report: downloading a large recording through the client vs a raw requests loop.

Run from the repository root: ``.venv/bin/python -m benchmarks.bench_downloads [--size-mib N]``.
The sandbox runs in its own process (the ``zoom-agent-tools sandbox`` command), as Zoom would,
so this process holds only the client. A script that prints a report, not a test.
"""

from __future__ import annotations

import argparse
import os
import queue
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from zoom_agent_tools import ZoomClient

TIME_GOAL = 1.10
MEMORY_GOAL = 64 * 1024 * 1024
RAW_CHUNK = 1 << 20  # the client's download chunk size too
STARTUP_WAIT = 30  # seconds


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _peak_rss() -> int:
    """This process's peak resident set size so far, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB


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


def _raw_download(url: str, token: str, target: Path) -> int:
    """A plain streaming download with requests, for comparison; returns the bytes written."""
    written = 0
    headers = {"Authorization": f"Bearer {token}"}
    with (
        requests.get(url, headers=headers, stream=True, timeout=60) as response,
        target.open("wb") as out,
    ):
        response.raise_for_status()
        for chunk in response.iter_content(chunk_size=RAW_CHUNK):
            out.write(chunk)
            written += len(chunk)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mib", type=int, default=1024, help="recording size (1024)")
    parser.add_argument("--rounds", type=int, default=5, help="downloads of each kind (5)")
    options = parser.parse_args(argv)
    size = options.size_mib * 1024 * 1024

    with _sandbox_process() as env, tempfile.TemporaryDirectory(prefix="bench-dl-") as tmp:
        admin = (env["ZOOM_CLIENT_ID"], env["ZOOM_CLIENT_SECRET"])
        made = requests.post(
            env["ZOOM_OAUTH_BASE_URL"] + "/_sandbox/recordings",
            auth=admin,
            json={"topic": "Benchmark", "file_size": size, "file_types": ["MP4"]},
            timeout=30,
        )
        made.raise_for_status()
        uuid = made.json()["uuid"]
        folder = Path(tmp)
        with ZoomClient.from_env(env, download_dir=folder / "client") as client:
            recording = client.get_meeting_recordings(meeting_id=uuid)
            [file] = recording.recording_files or []
            if file.download_url is None or file.file_size != size:
                raise RuntimeError(f"unexpected recording file: {file!r}")
            token = client.auth.access_token(client.session, client.timeout)
            raw_target = folder / "raw.mp4"

            client_times: list[float] = []
            raw_times: list[float] = []
            growth = 0
            for round_ in range(options.rounds):
                # The client goes first in round one, so the memory peak it sets is its own.
                for kind in ("client", "raw") if round_ % 2 == 0 else ("raw", "client"):
                    started = time.perf_counter()
                    if kind == "client":
                        before = _peak_rss()
                        [saved] = client.download_recording_files(recording).saved
                        elapsed = time.perf_counter() - started
                        if round_ == 0:
                            growth = _peak_rss() - before
                        if saved.size != size:
                            raise RuntimeError(f"client saved {saved.size} bytes of {size}")
                        Path(saved.path).unlink()
                        client_times.append(elapsed)
                    else:
                        got = _raw_download(file.download_url, token, raw_target)
                        if got != size:
                            raise RuntimeError(f"raw loop wrote {got} bytes of {size}")
                        raw_times.append(time.perf_counter() - started)
                        raw_target.unlink()

    client_s = statistics.median(client_times)
    raw_s = statistics.median(raw_times)
    ratio = client_s / raw_s
    mib = 1024 * 1024
    print(
        f"recording download, {size / mib:.0f} MiB MP4 from the sandbox in its own process "
        f"({options.rounds} downloads each, alternating, median)"
    )
    print(
        f"  client.download_recording_files {client_s:7.2f} s  ({size / mib / client_s:6.0f} MiB/s)"
    )
    print(f"  requests streaming loop         {raw_s:7.2f} s  ({size / mib / raw_s:6.0f} MiB/s)")
    print(f"  ratio {ratio:.3f} (goal <= {TIME_GOAL:.2f})  {_verdict(ratio <= TIME_GOAL)}")
    print("client process peak memory (ru_maxrss), first client download")
    print(
        f"  growth {growth / mib:.1f} MiB for a {size / mib:.0f} MiB file "
        f"(goal < {MEMORY_GOAL // mib} MiB)  {_verdict(growth < MEMORY_GOAL)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
