"""``iter_recordings`` over more than Zoom's one-month window walks the windows itself, newest
first, each recording once; the zoom_list_recordings tool keeps the one-month rule."""

from __future__ import annotations

import calendar
import json
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.sandbox.conftest import NOW
from tests.sandboxes import NewSandbox
from zoom_agent_tools import ZoomClient, ZoomValidationError
from zoom_agent_tools.arguments import ListRecordingsArgs
from zoom_agent_tools.operations import list_recordings
from zoom_agent_tools.sandbox.clock import parse_utc


def _one_month_later(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    first=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    days=st.integers(0, 800),
)
def test_windows_cover_the_range_newest_first_without_overlap(first: date, days: int) -> None:
    last = first + timedelta(days=days)
    args = ListRecordingsArgs.model_validate(
        {"userId": "me", "from": first.isoformat(), "to": last.isoformat()},
        context={"walking": True},
    )
    windows = [
        (date.fromisoformat(w.from_ or ""), date.fromisoformat(w.to or ""))
        for w in args.month_windows()
    ]
    assert windows[0][1] == last
    assert windows[-1][0] == first
    for start, end in windows:
        assert start <= end <= _one_month_later(start)  # each one Zoom takes
    for newer, older in pairwise(windows):
        assert older[1] == newer[0] - timedelta(days=1)  # no day twice, no day missed
        # Each window but the oldest is as long as Zoom allows.
        assert _one_month_later(newer[0] - timedelta(days=1)) < newer[1]


def _recording(uuid: str, day: str) -> dict[str, Any]:
    return {"uuid": uuid, "id": 85746065432, "topic": uuid, "start_time": f"{day}T10:00:00Z"}


def test_the_walk_asks_zoom_window_by_window(httpserver: HTTPServer, client: ZoomClient) -> None:
    pages: dict[tuple[str, str, str], dict[str, Any]] = {
        ("2026-03-15", "2026-04-15", ""): {
            "meetings": [_recording("apr-10", "2026-04-10")],
            "next_page_token": "more",
        },
        ("2026-03-15", "2026-04-15", "more"): {
            "meetings": [_recording("mar-15", "2026-03-15")],
            "next_page_token": "",
        },
        ("2026-02-14", "2026-03-14", ""): {
            # Zoom's window edges follow its own clock: the seam's recording comes again.
            "meetings": [_recording("mar-15", "2026-03-15"), _recording("feb-20", "2026-02-20")],
            "next_page_token": "",
        },
        ("2026-01-20", "2026-02-13", ""): {"meetings": [], "next_page_token": ""},
    }
    asked: list[tuple[str, str, str]] = []

    def answer(request: Request) -> Response:
        key = (request.args["from"], request.args["to"], request.args.get("next_page_token", ""))
        asked.append(key)
        assert request.args["page_size"] == "300"
        return Response(json.dumps(pages[key]), content_type="application/json")

    httpserver.expect_request("/v2/users/me/recordings").respond_with_handler(answer)
    found = client.iter_recordings(user_id="me", from_="2026-01-20", to="2026-04-15", page_size=300)
    assert [r.uuid for r in found] == ["apr-10", "mar-15", "feb-20"]
    assert asked == list(pages)


def test_the_tool_and_one_listing_keep_the_one_month_rule(client: ZoomClient) -> None:
    for call in (
        lambda: client.list_recordings(user_id="me", from_="2026-01-01", to="2026-03-01"),
        lambda: client.execute(
            list_recordings, {"userId": "me", "from": "2026-01-01", "to": "2026-03-01"}
        ),
    ):
        with pytest.raises(ZoomValidationError, match="at most one month apart"):
            call()
    with pytest.raises(ZoomValidationError, match="from must be on or before to"):
        list(client.iter_recordings(user_id="me", from_="2026-03-01", to="2026-01-01"))


def test_every_seeded_recording_of_a_quarter(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW, rate_limits=False) as sandbox, sandbox.client() as client:
        first, last = (NOW - timedelta(days=100)).date(), NOW.date()
        walked = list(
            client.iter_recordings(user_id=sandbox.user_email, from_=first, to=last, page_size=2)
        )
        stored = [
            r
            for r in sandbox.store.list_recordings(sandbox.user_id)
            if first <= parse_utc(r["start_time"]).date() <= last and r["trashed_at"] is None
        ]
    assert len(stored) > 4
    assert {r.uuid for r in walked} == {r["uuid"] for r in stored}
    assert len(walked) == len(stored)
    starts = [r.start_time or "" for r in walked]
    assert starts == sorted(starts, reverse=True)
    months = {s[:7] for s in starts}
    assert len(months) >= 2  # the walk crossed Zoom's one-month window
