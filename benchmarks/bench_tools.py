"""Benchmark report: tool-call overhead, import time and schema size, against their goals.

Run from the repository root: ``.venv/bin/python -m benchmarks.bench_tools [--iterations N]``.
A script that prints a report, not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
from langchain_core.utils.function_calling import convert_to_openai_tool

from zoom_agent_tools import AccessTokenAuth, ZoomClient
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.sandbox import Sandbox

CALL_GOAL = 1.10
IMPORT_GOAL = 1.30
SCHEMA_GOAL = 12 * 1024


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
def _sandbox(out_of_process: bool) -> Iterator[tuple[str, str]]:
    """(API base URL, access token) of a sandbox without rate limits.

    Out of process, the server has its own interpreter and GIL, as Zoom would; in process,
    its thread competes with the client for the GIL, which inflates every per-call cost.
    """
    if not out_of_process:
        with Sandbox(rate_limits=False) as sb:
            yield sb.api_base_url, sb.issue_token()
        return
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


def bench_call(iterations: int, *, out_of_process: bool) -> tuple[float, float]:
    """Median seconds of ``tool.invoke`` (zoom_get_meeting) and of a raw GET of the same URL.

    Both use a keep-alive session to the same sandbox and the same access token, and run
    interleaved after a warm-up, so drift of the machine affects both alike.
    """
    with _sandbox(out_of_process) as (base_url, token):
        client = ZoomClient(AccessTokenAuth(token), base_url=base_url)
        tools = {t.name: t for t in ZoomToolkit(client=client).get_tools()}
        meeting = client.list_meetings(user_id="me", type="scheduled").items[0]
        args = {"meetingId": str(meeting.id)}
        tool = tools["zoom_get_meeting"]
        url = f"{base_url}/meetings/{meeting.id}"
        raw = requests.Session()
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

        def via_tool() -> None:
            text = tool.invoke(args)
            if not text.startswith('{"meeting"'):
                raise RuntimeError(text)

        def via_requests() -> None:
            response = raw.get(url, headers=headers, timeout=10)
            response.raise_for_status()
            response.json()

        for _ in range(50):
            via_tool()
            via_requests()
        tool_times: list[float] = []
        raw_times: list[float] = []
        runs: list[tuple[Callable[[], None], list[float]]] = [
            (via_tool, tool_times),
            (via_requests, raw_times),
        ]
        for i in range(iterations):
            # Alternate which goes first, so neither always follows the other.
            for fn, times in runs if i % 2 == 0 else runs[::-1]:
                started = time.perf_counter()
                fn()
                times.append(time.perf_counter() - started)
        raw.close()
        client.close()
    return statistics.median(tool_times), statistics.median(raw_times)


def _import_seconds(statement: str) -> float:
    code = f"import time\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)\n"
    out = subprocess.run(
        [sys.executable, "-X", "frozen_modules=on", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def bench_import(runs: int) -> tuple[float, float, float, float]:
    """Median seconds of four imports, each in a fresh interpreter.

    In order: ``import zoom_agent_tools``, ``import requests, pydantic``, ``import requests;
    from pydantic import BaseModel`` and ``from zoom_agent_tools import ZoomClient``.
    """
    ours: list[float] = []
    base: list[float] = []
    models: list[float] = []
    client: list[float] = []
    for _ in range(runs):
        ours.append(_import_seconds("import zoom_agent_tools"))
        base.append(_import_seconds("import requests, pydantic"))
        models.append(_import_seconds("import requests; from pydantic import BaseModel"))
        client.append(_import_seconds("from zoom_agent_tools import ZoomClient"))
    return (
        statistics.median(ours),
        statistics.median(base),
        statistics.median(models),
        statistics.median(client),
    )


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
    """Bytes of the ten tools in OpenAI format (compact and as json.dumps writes them)."""
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--import-runs", type=int, default=9)
    options = parser.parse_args(argv)

    print(f"zoom_get_meeting per call ({options.iterations} interleaved calls each, median)")
    for out_of_process in (True, False):
        tool_s, raw_s = bench_call(options.iterations, out_of_process=out_of_process)
        ratio = tool_s / raw_s
        where = "sandbox in its own process" if out_of_process else "sandbox in this process"
        print(f"  {where}:")
        print(f"    tool.invoke          {tool_s * 1e6:8.0f} us")
        print(f"    requests.Session.get {raw_s * 1e6:8.0f} us  (+ .json())")
        print(f"    ratio {ratio:.3f} (goal <= {CALL_GOAL:.2f})  {_verdict(ratio <= CALL_GOAL)}")

    ours, base, models, client_load = bench_import(options.import_runs)
    print(f"import time ({options.import_runs} fresh processes each, median)")
    # Both packages import lazily, so the bare imports load little; the second pair loads
    # what a program actually uses (the client and its models; pydantic's BaseModel).
    pairs = [
        ("bare package", "import zoom_agent_tools", ours, "import requests, pydantic", base),
        (
            "what a program uses",
            "from zoom_agent_tools import ZoomClient",
            client_load,
            "import requests; from pydantic import BaseModel",
            models,
        ),
    ]
    for label, our_stmt, our_s, base_stmt, base_s in pairs:
        ratio = our_s / base_s
        print(f"  {label}:")
        print(f"    {our_stmt:48s} {our_s * 1e3:7.1f} ms")
        print(f"    {base_stmt:48s} {base_s * 1e3:7.1f} ms")
        verdict = _verdict(ratio <= IMPORT_GOAL)
        print(f"    ratio {ratio:.3f} (goal <= {IMPORT_GOAL:.2f})  {verdict}")

    compact, spaced, per_tool, missing, described = bench_schemas()
    print("tool schemas, OpenAI function format (convert_to_openai_tool)")
    for name, size in per_tool:
        print(f"  {name:30s} {size:6d} bytes")
    print(f"  total compact JSON {compact} bytes; with json.dumps' default spacing {spaced} bytes")
    print(f"  {described} top-level parameters; undescribed: {', '.join(missing) or 'none'}")
    ok = compact <= SCHEMA_GOAL and not missing
    print(
        f"  {compact / 1024:.1f} KB (goal <= {SCHEMA_GOAL // 1024} KB, all described)  "
        f"{_verdict(ok)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
