"""Benchmark report: the rate budget and the shared token, against the sandbox at Pro limits.

Run from the repository root: ``.venv/bin/python -m benchmarks.bench_fleet`` (needs
``redis-server`` on the PATH and the ``redis`` extra). 300 calls, 60% Light
(get_meeting, 30/s on Pro) and 40% Medium (list_meetings, 20/s), go to a sandbox in its
own process, first from 8 threads of one client, then from 4 processes of 2 threads sharing
Redis; each set-up also runs with the budget switched off, and every set-up is run
``--repeat`` times, interleaved, so that the medians are not one run's luck. Sandbox tokens live
``TOKEN_TTL`` seconds, so workers renew them during a run. Printed per run:

- 429s surfaced to callers (goal 0);
- the share of requests the sandbox answered 429 (goal at most 1%);
- the achieved rate as a share of the allowed rate: the least time Pro's limits allow for these
  calls (the first second's burst included) over the time taken (goal at least 90%);
- token requests per expiry: token requests at the sandbox over the number of token lifetimes
  a worker went through (goal 1).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tests.workers import broadcast
from zoom_agent_tools import ZoomClient, ZoomError, ZoomRateLimitError

CALLS = 300
#: Light and Medium in the ratio of their Pro limits (30:20), interleaved, so that a thread
#: waiting for one category does not leave the other's slots unused for long.
LIGHT_SHARE = 0.6
PRO = {"light": 30, "medium": 20}
TOKEN_TTL = 6
PROCESSES = 4
THREADS_PER_PROCESS = 2
THREADS = 8

_SERVER_CODE = f"""
import json, sys
from zoom_agent_tools.sandbox import Sandbox
with Sandbox(plan="pro", token_ttl={TOKEN_TTL}) as sb:
    meeting = sb.client().list_meetings(user_id="me").items[0].id
    print(json.dumps({{**sb.env(), "MEETING_ID": str(meeting)}}), flush=True)
    sys.stdin.read()
"""


@contextmanager
def _sandbox() -> Iterator[dict[str, str]]:
    """The environment of a served Pro sandbox in its own process (its own GIL, as Zoom)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _SERVER_CODE], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        yield json.loads(child.stdout.readline())
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


def _stats(env: dict[str, str]) -> dict[str, dict[str, int]]:
    answer = requests.get(
        env["ZOOM_OAUTH_BASE_URL"] + "/_sandbox/stats",
        auth=(env["ZOOM_CLIENT_ID"], env["ZOOM_CLIENT_SECRET"]),
        timeout=10,
    )
    answer.raise_for_status()
    stats: dict[str, dict[str, int]] = answer.json()
    return stats


def _calls(count: int, offset: int) -> list[str]:
    """Which operation each call makes: Light and Medium interleaved in the set share."""
    kinds = []
    for i in range(offset, offset + count):
        light = math.floor((i + 1) * LIGHT_SHARE) > math.floor(i * LIGHT_SHARE)
        kinds.append("light" if light else "medium")
    return kinds


def run_calls(
    client: ZoomClient, meeting_id: str, threads: int, kinds: list[str]
) -> dict[str, Any]:
    """Make ``kinds`` calls from ``threads`` threads of ``client``."""
    tokens: set[str] = set()
    surfaced = errors = 0

    def call(kind: str) -> None:
        nonlocal surfaced, errors
        try:
            if kind == "light":
                client.get_meeting(meeting_id=meeting_id)
            else:
                client.list_meetings(user_id="me")
        except ZoomRateLimitError:
            surfaced += 1
        except ZoomError:
            errors += 1
        # The token the call used (cached: no request); one per lifetime when shared.
        token = client.auth.access_token(client.session, client.timeout)
        tokens.add(hashlib.sha256(token.encode()).hexdigest())

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(call, kinds))
    return {"surfaced": surfaced, "errors": errors, "tokens": len(tokens), "end": time.time()}


def _warm(client: ZoomClient) -> None:
    """Load what a first call loads (argument and answer models, the budget's library, the
    Redis connection), so that a run measures the budget, not imports of a cold process."""
    from zoom_agent_tools import operations as ops
    from zoom_agent_tools._input import parse_arguments

    for module in ("limits.storage", "limits.strategies", "zoom_agent_tools.models"):
        importlib.import_module(module)
    parse_arguments(ops.get_meeting, {"meeting_id": "1"})
    parse_arguments(ops.list_meetings, {"user_id": "me"})
    if client.fleet is not None:
        client.fleet.check()


def _worker(threads: int, count: int, offset: int) -> None:
    """A worker process: make its client, wait for the go line, make its calls, report."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="worker: %(levelname)s %(message)s")
    client = ZoomClient.from_env()
    _warm(client)
    sys.stdin.readline()
    report = run_calls(client, os.environ["MEETING_ID"], threads, _calls(count, offset))
    print(json.dumps(report), flush=True)


@dataclass
class Result:
    name: str
    surfaced: int
    answered_429: int
    requests: int
    elapsed: float
    token_requests: int
    lifetimes: int

    @property
    def share_429(self) -> float:
        return self.answered_429 / max(1, self.requests)

    @property
    def rate_share(self) -> float:
        return _floor_seconds() / self.elapsed

    @property
    def tokens_per_expiry(self) -> float:
        return self.token_requests / max(1, self.lifetimes)


def _floor_seconds() -> float:
    """The least time Pro's limits allow for the calls: the slowest category's windows."""
    kinds = _calls(CALLS, 0)
    return float(max(math.ceil(kinds.count(c) / PRO[c]) - 1 for c in PRO))


def _measure(name: str, env: dict[str, str], run: Any) -> Result:
    before = _stats(env)
    started, reports = run()
    after = _stats(env)

    def grew(section: str) -> int:
        return sum(after[section].values()) - sum(before[section].values())

    return Result(
        name=name,
        surfaced=sum(r["surfaced"] + r["errors"] for r in reports),
        answered_429=grew("rate_limited"),
        requests=grew("calls"),
        elapsed=max(r["end"] for r in reports) - started,
        token_requests=grew("token_requests"),
        lifetimes=max(r["tokens"] for r in reports),
    )


def _threads(env: dict[str, str]) -> tuple[float, list[dict[str, Any]]]:
    """(start, reports) of the calls from threads of one client in this process."""
    client = ZoomClient.from_env(env)
    _warm(client)
    return time.time(), [run_calls(client, env["MEETING_ID"], THREADS, _calls(CALLS, 0))]


def _processes(env: dict[str, str]) -> tuple[float, list[dict[str, Any]]]:
    """(start, reports) of the calls from worker processes, started together."""
    share = CALLS // PROCESSES
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_fleet",
                "--worker",
                f"{THREADS_PER_PROCESS},{share},{i * share}",
            ],
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    time.sleep(4.0)  # every worker has its client and waits for the go line
    started = time.time()
    reports = broadcast(children, "go")
    for child in children:
        child.wait(timeout=30)
    return started, reports


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _report(runs: dict[str, list[Result]]) -> None:
    repeats = len(next(iter(runs.values())))
    print(
        f"{CALLS} calls ({round(100 * LIGHT_SHARE)}% Light, rest Medium), sandbox at Pro limits, "
        f"each set-up run {repeats} times (interleaved): medians, [lowest-highest]"
    )
    print(f"least time the limits allow: {_floor_seconds():.1f} s; token lifetime {TOKEN_TTL} s")
    print(
        f"{'set-up':<40} {'429s to callers':>15} {'429 share':>16} {'rate':>16} "
        f"{'seconds':>8} {'tokens/expiry':>16}"
    )
    for name, results in runs.items():
        surfaced = sum(r.surfaced for r in results)
        shares = [r.share_429 for r in results]
        rates = [r.rate_share for r in results]
        tokens = [r.tokens_per_expiry for r in results]
        print(
            f"{name:<40} {surfaced:>15} "
            f"{_median(shares):>5.1%} [{min(shares):.1%}-{max(shares):.1%}] "
            f"{_median(rates):>4.0%} [{min(rates):.0%}-{max(rates):.0%}] "
            f"{_median([r.elapsed for r in results]):>8.2f} "
            f"{_median(tokens):>4.2f} [{min(tokens):.2f}-{max(tokens):.2f}]"
        )
    print("\ngoals (medians; 429s to callers: the total of all runs)")
    for name, results in runs.items():
        surfaced = sum(r.surfaced for r in results)
        share = _median([r.share_429 for r in results])
        rate = _median([r.rate_share for r in results])
        tokens = _median([r.tokens_per_expiry for r in results])
        checks = [
            ("429s surfaced to callers", f"{surfaced}", "0", surfaced == 0),
            ("share answered 429", f"{share:.2%}", "<= 1%", share <= 0.01),
            ("rate / allowed rate", f"{rate:.0%}", ">= 90%", rate >= 0.9),
            ("token requests per expiry", f"{tokens:.2f}", "1", tokens == 1),
        ]
        print(f"  {name}")
        for label, value, goal, ok in checks:
            print(f"    {label:<28} {value:>8}  goal {goal:<7} {'PASS' if ok else 'MISS'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each set-up")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        threads, count, offset = (int(v) for v in args.worker.split(","))
        _worker(threads, count, offset)
        return

    from cryptography.fernet import Fernet

    from tests.redis_server import RedisServer

    with tempfile.TemporaryDirectory() as folder, _sandbox() as env:
        redis = RedisServer(Path(folder)).start()
        try:
            fleet = {"ZOOM_REDIS_URL": redis.url, "ZOOM_TOKEN_KEY": Fernet.generate_key().decode()}
            on, off = {"ZOOM_RATE_PLAN": "pro"}, {"ZOOM_RATE_PLAN": "off"}
            procs = f"{PROCESSES} processes x {THREADS_PER_PROCESS} threads"
            setups = {
                f"{THREADS} threads, budget on": lambda: _threads({**env, **on}),
                f"{THREADS} threads, budget off": lambda: _threads({**env, **off}),
                f"{procs}, Redis, budget on": lambda: _processes({**env, **on, **fleet}),
                f"{procs}, Redis, budget off": lambda: _processes({**env, **off, **fleet}),
                f"{procs}, no Redis, budget on": lambda: _processes({**env, **on}),
            }
            runs: dict[str, list[Result]] = {name: [] for name in setups}
            for _ in range(args.repeat):
                for name, run in setups.items():
                    runs[name].append(_measure(name, env, run))
                    time.sleep(1.0)  # the windows of one run do not reach into the next
        finally:
            redis.stop()
    _report(runs)


if __name__ == "__main__":
    main()
