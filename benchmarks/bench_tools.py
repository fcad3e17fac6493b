"""Benchmark report: per-call overhead, import time and schema size, against their goals.

Run from the repository root: ``.venv/bin/python -m benchmarks.bench_tools [--iterations N]``.
A script that prints a report, not a test: timings depend on the machine. Every ratio is
against the true floor measured in the same run: a raw ``requests`` call to the same sandbox,
and a bare import of ``requests`` and pydantic's ``BaseModel``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from zoom_agent_tools import AccessTokenAuth, RateBudget, ZoomClient
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.operations import get_meeting

CLIENT_GOAL = 1.05
TOOL_GOAL = 1.10
IMPORT_GOAL = 1.30
#: Bytes of the ten meeting and recording tools' schemas, and of the four meeting-
#: intelligence tools' together.
SCHEMA_GOAL = 12 * 1024
INTELLIGENCE_GOAL = 3 * 1024
INTELLIGENCE = (
    "zoom_list_past_meeting_instances",
    "zoom_get_meeting_transcript",
    "zoom_get_meeting_summary",
    "zoom_get_meeting_attendance",
)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


_SERVER_CODE = """
import sys
from zoom_agent_tools.sandbox import Sandbox
with Sandbox(rate_limits=False) as sb:
    print(sb.api_base_url, sb.issue_token(), flush=True)
    sys.stdin.read()
"""


@contextmanager
def _sandbox() -> Iterator[tuple[str, str]]:
    """(API base URL, access token) of a sandbox without rate limits, in its own process.

    Its own interpreter and GIL, as Zoom would be: in this process its thread would compete
    with the client for the GIL and inflate every per-call cost.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", _SERVER_CODE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        url, token = child.stdout.readline().split()
        yield url, token
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


class _NoOp(BaseTool):
    """A tool built as ZoomTool is, that does nothing: LangChain's own cost of a call."""

    # No annotations, as on ZoomTool._run: LangChain reads them on every call.
    def _run(self, **kwargs):  # type: ignore[no-untyped-def]
        return "{}"


def _noop(name: str, schema: Any) -> BaseTool:
    """A no-op tool whose ``args_schema`` is ``schema``."""
    return _NoOp(name=name, description="no-op", args_schema=schema)


def bench_calls(iterations: int) -> dict[str, float]:
    """Median seconds per call of each way to get one meeting, interleaved after a warm-up.

    All HTTP calls use a keep-alive session to the same sandbox with the same token; the
    no-op tools send nothing.
    """
    with _sandbox() as (base_url, token):
        # The budget stays in the path (its cost is measured) with room for every call: the
        # sandbox here has no limits, and waiting for slots is bench_fleet's subject.
        room = RateBudget(limits={"light": 1_000_000, "medium": 1_000_000})
        client = ZoomClient(AccessTokenAuth(token), base_url=base_url, rate_budget=room)
        tool = next(t for t in ZoomToolkit(client=client).get_tools() if t.name == get_meeting.name)
        meeting_id = str(client.list_meetings(user_id="me", type="scheduled").items[0].id)
        args = {"meetingId": meeting_id}
        url = f"{base_url}/meetings/{meeting_id}"
        raw = requests.Session()
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        noop_json = _noop("noop_json_schema", tool.args_schema)
        noop_model = _noop("noop_model_schema", get_meeting.args_model)

        def raw_get() -> None:
            response = raw.get(url, headers=headers, timeout=10)
            response.raise_for_status()
            response.json()

        def client_call() -> None:
            client.get_meeting(meeting_id=meeting_id)

        def tool_invoke() -> None:
            if not tool.invoke(args).startswith('{"meeting"'):
                raise RuntimeError("the tool failed")

        runs: dict[str, Callable[[], None]] = {
            "requests.Session.get + .json()": raw_get,
            "client.get_meeting(...)": client_call,
            "LangChain tool.invoke(...)": tool_invoke,
            "no-op tool, same JSON schema": lambda: noop_json.invoke(args),
            "no-op tool, pydantic model schema": lambda: noop_model.invoke(args),
        }
        for _ in range(50):
            for fn in runs.values():
                fn()
        times: dict[str, list[float]] = {name: [] for name in runs}
        order = list(runs.items())
        for i in range(iterations):
            # Rotate which goes first, so that none always follows another.
            shift = i % len(order)
            for name, fn in order[shift:] + order[:shift]:
                started = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - started)
        raw.close()
        client.close()
    return {name: statistics.median(values) for name, values in times.items()}


def _import_seconds(statement: str, env: dict[str, str]) -> float:
    code = f"import time\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)\n"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.strip())


def bench_import(runs: int) -> dict[str, float]:
    """Median seconds of each import in a fresh interpreter, with bytecode cached.

    An installed package has its bytecode compiled, as requests and pydantic do here; so the
    runs may write it (``PYTHONDONTWRITEBYTECODE`` unset), and a first run writes it.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    statements = [
        "import zoom_agent_tools",
        "import requests, pydantic",
        "from zoom_agent_tools import ZoomClient",
        "import requests; from pydantic import BaseModel",
    ]
    for statement in statements:
        _import_seconds(statement, env)
    samples: dict[str, list[float]] = {s: [] for s in statements}
    for _ in range(runs):
        for statement in statements:
            samples[statement].append(_import_seconds(statement, env))
    return {s: statistics.median(v) for s, v in samples.items()}


def _undescribed(schema: dict[str, Any], where: str) -> list[str]:
    missing: list[str] = []
    for name, prop in schema.get("properties", {}).items():
        if not prop.get("description"):
            missing.append(f"{where}.{name}")
        for choice in [prop, *prop.get("anyOf", [])]:
            if "properties" in choice:
                missing += _undescribed(choice, f"{where}.{name}")
    return missing


def bench_schemas() -> tuple[int, int, list[tuple[str, int]], list[str], int]:
    """Bytes of the tools in OpenAI format (compact and as json.dumps writes them)."""
    client = ZoomClient(AccessTokenAuth("benchmark-token"), base_url="http://127.0.0.1:9/v2")
    tools = [convert_to_openai_tool(t) for t in ZoomToolkit(client=client).get_tools()]
    compact = len(json.dumps(tools, separators=(",", ":"), ensure_ascii=False).encode())
    spaced = len(json.dumps(tools).encode())
    per_tool = [
        (t["function"]["name"], len(json.dumps(t, separators=(",", ":")).encode())) for t in tools
    ]
    missing: list[str] = []
    described = 0
    for tool in tools:
        params = tool["function"]["parameters"]
        missing += _undescribed(params, tool["function"]["name"])
        described += len(params.get("properties", {}))
    return compact, spaced, per_tool, missing, described


def _report_calls(medians: dict[str, float], iterations: int) -> None:
    raw, client, tool, noop, noop_model = medians.values()
    print(f"zoom_get_meeting, sandbox in its own process ({iterations} calls each, median)")
    for name, seconds in medians.items():
        print(f"  {name:36s} {seconds * 1e6:8.0f} us")
    for label, ours, goal in (("client", client, CLIENT_GOAL), ("tool", tool, TOOL_GOAL)):
        ratio = ours / raw
        print(f"  {label} / raw ratio {ratio:.3f} (goal <= {goal:.2f})  {_verdict(ratio <= goal)}")
    print(
        f"  LangChain's own floor (a no-op tool): {noop * 1e6:.0f} us a call, so no LangChain "
        f"tool doing this call can beat {(raw + noop) / raw:.3f}x raw; with the pydantic model "
        f"as args_schema the floor is {noop_model * 1e6:.0f} us"
    )
    print(
        f"  the tool's own cost beyond LangChain's floor and the client: "
        f"{(tool - client - noop) * 1e6:.0f} us"
    )


def _report_import(medians: dict[str, float]) -> None:
    print("import time (fresh interpreters, bytecode cached, median)")
    pairs = [
        ("bare package", "import zoom_agent_tools", "import requests, pydantic"),
        (
            "what a program uses",
            "from zoom_agent_tools import ZoomClient",
            "import requests; from pydantic import BaseModel",
        ),
    ]
    for label, ours, base in pairs:
        ratio = medians[ours] / medians[base]
        print(f"  {label}:")
        print(f"    {ours:48s} {medians[ours] * 1e3:7.1f} ms")
        print(f"    {base:48s} {medians[base] * 1e3:7.1f} ms")
        verdict = _verdict(ratio <= IMPORT_GOAL)
        print(f"    ratio {ratio:.3f} (goal <= {IMPORT_GOAL:.2f})  {verdict}")


def _report_schemas() -> None:
    compact, spaced, per_tool, missing, described = bench_schemas()
    print("tool schemas, OpenAI function format (convert_to_openai_tool)")
    for name, size in per_tool:
        print(f"  {name:30s} {size:6d} bytes")
    print(f"  total compact JSON {compact} bytes; with json.dumps' default spacing {spaced} bytes")
    print(f"  {described} top-level parameters; undescribed: {', '.join(missing) or 'none'}")
    four = sum(size for name, size in per_tool if name in INTELLIGENCE)
    ten = sum(size for name, size in per_tool if name not in INTELLIGENCE)
    for label, size, goal in (
        ("the ten meeting and recording tools", ten, SCHEMA_GOAL),
        ("the four meeting-intelligence tools", four, INTELLIGENCE_GOAL),
    ):
        ok = size <= goal and not missing
        print(
            f"  {label}: {size} bytes, {size / 1024:.2f} KB (goal <= {goal // 1024} KB, all "
            f"described)  {_verdict(ok)}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--import-runs", type=int, default=11)
    options = parser.parse_args(argv)
    _report_calls(bench_calls(options.iterations), options.iterations)
    _report_import(bench_import(options.import_runs))
    _report_schemas()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
