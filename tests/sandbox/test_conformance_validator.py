"""The conformance validator itself: its allowances are exactly the documented ones."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import requests

from tests import conformance
from tests.sandbox.conftest import ZoomHTTP
from zoom_agent_tools.sandbox import SPECIAL_UUIDS

GET = "/meetings/{meetingId}/recordings"


def test_allowances_touch_only_the_documented_nodes() -> None:
    _, counts = conformance.apply_allowances(conformance.raw_spec())
    assert counts == {"timeline": 2, "weekly_days": 4, "recording_type": 2, "processing": 2}
    spec = conformance.raw_spec()
    assert spec["x-source"]["sha256"].startswith("b4541039")
    assert len([m for p in spec["paths"].values() for m in p if m != "parameters"]) == 16
    # Get a user comes from Zoom's Users document, named beside the Meetings one.
    [users] = spec["x-source"]["also"]
    assert users["sha256"].startswith("7840911a")
    assert users["operations"] == ["GET /users/{userId}"]


def _doctored(zoom_http: ZoomHTTP, change: Any) -> requests.Response:
    response = zoom_http.get(GET, {"meetingId": SPECIAL_UUIDS["leading_slash"]}, encode_times=2)
    body = json.loads(response.content)
    change(body)
    forged = copy.copy(response)
    forged._content = json.dumps(body).encode()
    return forged


def test_real_answer_passes_and_slips_outside_the_allowances_fail(zoom_http: ZoomHTTP) -> None:
    conformance.check(_doctored(zoom_http, lambda b: None), GET)

    def bad_file_type(body: dict[str, Any]) -> None:
        body["recording_files"][0]["file_type"] = "BOGUS"

    def bad_type(body: dict[str, Any]) -> None:
        body["type"] = 42

    def bad_size(body: dict[str, Any]) -> None:
        body["total_size"] = "big"

    for change in (bad_file_type, bad_type, bad_size):
        with pytest.raises(Exception):
            conformance.check(_doctored(zoom_http, change), GET)


def test_undeclared_error_status_is_rejected(zoom_http: ZoomHTTP) -> None:
    response = zoom_http.get("/meetings/{meetingId}", {"meetingId": 12345678901})
    forged = copy.copy(response)
    forged.status_code = 409
    with pytest.raises(conformance.ConformanceError):
        conformance.check(forged, "/meetings/{meetingId}")
