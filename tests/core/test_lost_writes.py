"""The look-up after a lost create answer: one bounded listing, and how a meeting is matched."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.core.conftest import Sleeps
from zoom_agent_tools import ZoomClient, ZoomServerError
from zoom_agent_tools.lost_writes import LOOKUP_PAGE_SIZE, LOOKUP_PAGES

CREATE = "/v2/users/me/meetings"
START = "2031-06-03T10:00:00Z"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _item(n: int, **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "uuid": f"uuid{n}==",
        "id": 81000000000 + n,
        "host_id": "h",
        "topic": f"Other {n}",
        "type": 2,
        "start_time": "2031-01-01T10:00:00Z",
        "duration": 60,
        "timezone": "America/Los_Angeles",
        "created_at": "2030-01-01T00:00:00Z",
        "join_url": f"https://zoom.us/j/{81000000000 + n}",
    }
    item.update(fields)
    return item


class Listing:
    """Answers List meetings with the given pages (token ``p2``, ``p3`` ... between them)."""

    def __init__(self, pages: list[list[dict[str, Any]]]) -> None:
        self.pages = pages
        self.queries: list[dict[str, str]] = []

    def __call__(self, request: Request) -> Response:
        self.queries.append(dict(request.args))
        token = request.args.get("next_page_token", "")
        index = int(token[1:]) - 1 if token else 0
        more = index + 1 < len(self.pages)
        body = {
            "page_size": LOOKUP_PAGE_SIZE,
            "total_records": sum(len(p) for p in self.pages),
            "next_page_token": f"p{index + 2}" if more else "",
            "meetings": self.pages[index],
        }
        return Response(json.dumps(body), content_type="application/json")


def _serve(httpserver: HTTPServer, listing: Listing) -> None:
    httpserver.expect_request(CREATE, method="POST").respond_with_json(
        {"code": 500, "message": "Internal Server Error."}, status=500
    )
    httpserver.expect_request(CREATE, method="GET").respond_with_handler(listing)


def _posts(httpserver: HTTPServer) -> int:
    return sum(1 for request, _ in httpserver.log if request.method == "POST")


def test_the_look_up_reads_at_most_two_full_pages_then_says_unknown(
    httpserver: HTTPServer, client: ZoomClient, sleeps: Sleeps
) -> None:
    pages = [[_item(p * 10 + i) for i in range(3)] for p in range(LOOKUP_PAGES + 1)]
    # The meeting would be on the page the look-up does not read.
    pages[-1].append(_item(99, topic="Planning", start_time=START, created_at=_now()))
    listing = Listing(pages)
    _serve(httpserver, listing)
    with pytest.raises(ZoomServerError) as info:
        client.create_meeting(user_id="me", topic="Planning", start_time=START)
    assert info.value.created is None
    assert "more than 600 meetings" in str(info.value)
    assert len(listing.queries) == LOOKUP_PAGES
    for query in listing.queries:
        assert query["type"] == "scheduled"
        assert query["page_size"] == str(LOOKUP_PAGE_SIZE)
    assert listing.queries[1]["next_page_token"] == "p2"
    assert _posts(httpserver) == 1
    assert sleeps == [5.0]  # the default lost_create_check_delay, before looking


def test_a_meeting_on_the_second_page_is_found_and_fetched_whole(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    found = _item(7, topic="Planning", start_time=START, created_at=_now())
    listing = Listing([[_item(1), _item(2)], [_item(3), found]])
    _serve(httpserver, listing)
    whole = {**found, "password": "abc123", "settings": {"waiting_room": True}}
    httpserver.expect_request(f"/v2/meetings/{found['id']}").respond_with_json(whole)
    meeting = client.create_meeting(user_id="me", topic="Planning", start_time=START)
    assert meeting.id == found["id"]
    assert meeting.password == "abc123"
    assert meeting.recovery_note is not None
    assert "HTTP 500" in meeting.recovery_note
    assert _posts(httpserver) == 1


def test_when_the_details_cannot_be_read_the_listed_meeting_is_returned_with_a_note(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    found = _item(7, topic="Planning", start_time=START, created_at=_now())
    _serve(httpserver, Listing([[found]]))
    httpserver.expect_request(f"/v2/meetings/{found['id']}").respond_with_json(
        {"code": 503, "message": "Service Unavailable."}, status=503
    )
    meeting = client.create_meeting(user_id="me", topic="Planning", start_time=START)
    assert meeting.id == found["id"]
    assert meeting.join_url == found["join_url"]
    assert meeting.recovery_note is not None
    assert "details could not be read (HTTP 503)" in meeting.recovery_note
    assert f"meetingId {found['id']}" in meeting.recovery_note


@pytest.mark.parametrize(
    ("listed", "matches"),
    [
        ({}, True),
        ({"start_time": "2031-06-03T10:00:40Z"}, True),  # Zoom may drop or round seconds
        ({"start_time": "2031-06-03T11:00:00Z"}, False),
        ({"topic": "Planning 2"}, False),
        ({"type": 8}, False),
        ({"duration": 45}, False),
        ({"created_at": "2030-01-01T00:00:00Z"}, None),  # same meeting, made long before
        ({"created_at": None}, None),
    ],
)
def test_what_counts_as_the_same_meeting(
    httpserver: HTTPServer, client: ZoomClient, listed: dict[str, Any], matches: bool | None
) -> None:
    fields: dict[str, Any] = {
        "topic": "Planning",
        "start_time": START,
        "duration": 30,
        "created_at": _now(),
    }
    fields.update(listed)
    item = _item(5, **{k: v for k, v in fields.items() if v is not None})
    if listed.get("created_at", "") is None:
        del item["created_at"]
    _serve(httpserver, Listing([[item]]))
    httpserver.expect_request(f"/v2/meetings/{item['id']}").respond_with_json(item)
    if matches:
        meeting = client.create_meeting(
            user_id="me", topic="Planning", start_time=START, duration=30
        )
        assert meeting.id == item["id"]
        return
    with pytest.raises(ZoomServerError) as info:
        client.create_meeting(user_id="me", topic="Planning", start_time=START, duration=30)
    assert info.value.created is (False if matches is False else None)
    if matches is None:
        assert str(item["id"]) in str(info.value)


def test_a_local_start_time_is_read_in_the_meetings_time_zone(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    # 10:00 in Los Angeles (the user's zone, as the listing shows) on 3 June is 17:00 UTC.
    item = _item(
        5,
        topic="Local",
        start_time="2031-06-03T17:00:00Z",
        timezone="America/Los_Angeles",
        created_at=_now(),
    )
    _serve(httpserver, Listing([[item]]))
    httpserver.expect_request(f"/v2/meetings/{item['id']}").respond_with_json(item)
    meeting = client.create_meeting(user_id="me", topic="Local", start_time="2031-06-03T10:00:00")
    assert meeting.id == item["id"]


def test_clock_skew_beyond_the_window_is_reported_not_guessed(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    late = datetime.now(timezone.utc) + timedelta(minutes=20)
    item = _item(
        5, topic="Planning", start_time=START, created_at=late.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    _serve(httpserver, Listing([[item]]))
    with pytest.raises(ZoomServerError) as info:
        client.create_meeting(user_id="me", topic="Planning", start_time=START)
    assert info.value.created is None
    assert f"Get meeting {item['id']}" in str(info.value)
