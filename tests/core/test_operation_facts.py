"""Every fact an operation declares (operation id, rate category, scopes, what it destroys)
agrees with Zoom's spec, with the sandbox's routes, and with what the docs say."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.sandboxes import NewSandbox
from zoom_agent_tools import OPERATIONS, ZoomUnavailableError
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.operations import USER, AnyOperation, Endpoint
from zoom_agent_tools.sandbox import INTELLIGENCE_UUIDS as UUIDS
from zoom_agent_tools.sandbox import TEAM_HOST_ID
from zoom_agent_tools.sandbox.api import ROUTES

ROOT = Path(__file__).parents[2]
SPEC = json.loads((ROOT / "tests/data/zoom_meetings_openapi.json").read_text(encoding="utf-8"))
# Get a user is no tool's, but `connect` and `status` call it: its facts are checked alike.
ENDPOINTS = [*(e for op in OPERATIONS for e in op.endpoints), USER]
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=timezone.utc)
RATE_LABEL = re.compile(r"Rate Limit Label\]\([^)]*\):\*\*\s*`([A-Z-]+)`")

#: Arguments that reach each endpoint of each operation.
SAMPLES: dict[str, list[dict[str, Any]]] = {
    "zoom_create_meeting": [{"userId": "me", "topic": "t"}],
    "zoom_list_meetings": [{"userId": "me"}],
    "zoom_get_meeting": [{"meetingId": "1"}],
    "zoom_update_meeting": [{"meetingId": "1", "topic": "t"}],
    "zoom_delete_meeting": [{"meetingId": "1"}],
    "zoom_get_meeting_invitation": [{"meetingId": "1"}],
    "zoom_list_recordings": [{"userId": "me"}],
    "zoom_get_meeting_recordings": [{"meetingId": "1"}],
    "zoom_delete_recording": [{"meetingId": "1"}, {"meetingId": "1", "recordingId": "f1"}],
    "zoom_list_past_participants": [{"meetingId": "1"}],
}
#: Operations of several requests (they ``run``): calls that reach, together, each endpoint
#: they declare, made against the seeded sandbox (see test_each_run_calls_what_it_declares).
RUNS: dict[str, list[dict[str, Any]]] = {
    "zoom_list_past_meeting_instances": [
        {"meetingId": UUIDS["standup_last_week"]},  # details (which meeting), then instances
    ],
    "zoom_get_meeting_transcript": [
        {"meetingId": "standup"},  # instances, then the recording (still processing)
        {"meetingId": UUIDS["standup_4_weeks_ago"]},  # no recording, no transcript: details
    ],
    "zoom_get_meeting_summary": [
        {"meetingId": "standup"},  # instances, summary (not ready), details
    ],
    "zoom_get_meeting_attendance": [
        {"meetingId": UUIDS["standup_last_week"]},  # participants, details, instances
    ],
}


def _spec_operation(endpoint: Endpoint) -> dict[str, Any]:
    return SPEC["paths"][endpoint.path][endpoint.method.lower()]  # type: ignore[no-any-return]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_endpoint_is_as_zooms_spec_declares_it(endpoint: Endpoint) -> None:
    declared = _spec_operation(endpoint)
    assert endpoint.operation_id == declared["operationId"]
    label = RATE_LABEL.search(declared["description"])
    assert label is not None
    assert endpoint.rate_category == label[1].lower()
    extensions = declared["x-extensions"]
    granular, classic = endpoint.scopes
    assert granular in extensions["x-granular-scopes"]
    assert classic in extensions["x-macro-scopes"]


def test_the_sandbox_serves_exactly_these_endpoints_with_the_same_facts() -> None:
    served = {(r.method, r.template): r for r in ROUTES}
    assert set(served) == {(e.method, e.path) for e in ENDPOINTS}
    for endpoint in ENDPOINTS:
        route = served[(endpoint.method, endpoint.path)]
        assert route.operation == endpoint.operation_id
        assert route.category.lower() == endpoint.rate_category
        assert set(endpoint.scopes) <= set(route.scopes)


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op.run is None], ids=lambda op: op.name)
def test_each_request_goes_to_an_endpoint_the_operation_declares(op: AnyOperation) -> None:
    assert op.request is not None
    reached = {op.request(op.args_model.model_validate(args)).endpoint for args in SAMPLES[op.name]}
    assert reached == set(op.endpoints)
    assert op.operation_ids == tuple(e.operation_id for e in op.endpoints)
    assert set(op.required_scopes) == {s for e in op.endpoints for s in e.scopes}
    # Only writes destroy, and every write changes something a read would show.
    assert op.writes or not op.destructive
    assert op.writes == any(e.method != "GET" for e in op.endpoints)


@pytest.mark.parametrize(
    "op", [op for op in OPERATIONS if op.run is not None], ids=lambda op: op.name
)
def test_each_run_calls_what_it_declares(op: AnyOperation, new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW, rate_limits=False) as sandbox, sandbox.client() as client:
        standup = next(
            str(m["id"])
            for m in sandbox.store.list_meetings(TEAM_HOST_ID)
            if m["topic"] == "Platform team weekly standup"
        )
        for args in RUNS[op.name]:
            arguments = {k: standup if v == "standup" else v for k, v in args.items()}
            with contextlib.suppress(ZoomUnavailableError):
                client.execute(op, arguments)
        called = set(sandbox.calls)
    assert called == {f"{e.method} {e.path}" for e in op.endpoints}
    assert not op.writes
    assert op.request is None
    assert op.parse is None


def test_the_readme_table_is_the_declarations() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `zoom_")]
    assert len(rows) == len(OPERATIONS)
    for row, op in zip(rows, OPERATIONS, strict=True):
        name, _, endpoints, scopes = (cell.strip() for cell in row.strip("|").split("|"))
        assert name == f"`{op.name}`"
        assert endpoints == "<br>".join(f"`{e}` ({e.rate_category})" for e in op.endpoints)
        assert scopes == "<br>".join(", ".join(f"`{s}`" for s in e.scopes) for e in op.endpoints)


def _destructive_named(text: str) -> set[str]:
    """The tools named in the sentence of ``text`` that speaks of destructive calls."""
    sentence = next(s for s in re.split(r"(?<=\.)\s", text) if "destructive call" in s)
    return set(re.findall(r"zoom_\w+", sentence))


@pytest.mark.parametrize(
    "text",
    [ZoomToolkit.__doc__ or "", ZoomToolSpec.__doc__ or ""],
    ids=["ZoomToolkit", "ZoomToolSpec"],
)
def test_docstrings_name_the_destructive_tools(text: str) -> None:
    assert _destructive_named(text) == {op.name for op in OPERATIONS if op.destructive}


def test_the_readme_names_the_tools_approve_guards() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `approve=callable`"))
    assert set(re.findall(r"zoom_\w+", row)) == {op.name for op in OPERATIONS if op.destructive}
