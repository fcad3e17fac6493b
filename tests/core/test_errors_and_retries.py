"""Zoom's error answers mapped to the error tree, and which failures are retried."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.core.conftest import Sleeps, answer_host_lookup
from zoom_agent_tools import (
    AccessTokenAuth,
    RetryPolicy,
    ZoomAPIError,
    ZoomAuthenticationError,
    ZoomBadRequestError,
    ZoomClient,
    ZoomConflictError,
    ZoomConnectionError,
    ZoomNotFoundError,
    ZoomPermissionError,
    ZoomRateLimitError,
    ZoomServerError,
    ZoomTimeoutError,
)
from zoom_agent_tools._http import parse_retry_after
from zoom_agent_tools._retry import retry_delay
from zoom_agent_tools.tools import ZoomTools


@pytest.mark.parametrize(
    ("status", "body", "cls", "fragments"),
    [
        (
            404,
            {"code": 3001, "message": "Meeting does not exist: 85746065432."},
            ZoomNotFoundError,
            [
                "Could not get meeting 85746065432 (HTTP 404). Zoom error 3001: Meeting does not",
                "Suggestion: List the user's meetings (zoom_list_meetings)",
            ],
        ),
        (
            404,
            {"code": 1001, "message": "User does not exist: bob@example.com."},
            ZoomNotFoundError,
            ["Zoom error 1001"],
        ),
        (
            404,
            {"code": 3301, "message": "There is no recording for this meeting."},
            ZoomNotFoundError,
            ["Zoom error 3301"],
        ),
        (
            400,
            {
                "code": 300,
                "message": "Validation Failed.",
                "errors": [{"field": "start_time", "message": "Invalid field."}],
            },
            ZoomBadRequestError,
            [
                "Zoom error 300: Validation Failed.",
                "Fields: start_time: Invalid field.",
                "Suggestion: Correct the named fields",
            ],
        ),
        (
            401,
            {"code": 124, "message": "Invalid access token."},
            ZoomAuthenticationError,
            ["Zoom error 124", "Suggestion: Reconnect"],
        ),
        (
            400,
            {
                "code": 4700,
                "message": "Invalid access token, does not contain scopes:[meeting:read:meeting, "
                "meeting:read].",
            },
            ZoomPermissionError,
            ["Add the missing scopes (meeting:read:meeting, meeting:read)"],
        ),
        (
            403,
            {"code": 4711, "message": "Invalid access token, does not contain scopes:[x:y]."},
            ZoomPermissionError,
            ["(x:y)"],
        ),
        (409, {"code": 3000, "message": "Conflict."}, ZoomConflictError, ["HTTP 409"]),
        (
            500,
            {"code": 500, "message": "Internal error."},
            ZoomServerError,
            ["Zoom failed on its side"],
        ),
    ],
)
def test_error_mapping(
    httpserver: HTTPServer,
    client: ZoomClient,
    status: int,
    body: dict[str, object],
    cls: type[ZoomAPIError],
    fragments: list[str],
) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(body, status=status)
    with pytest.raises(cls) as info:
        client.get_meeting(meeting_id="85746065432")
    error = info.value
    assert error.status == status
    assert error.code == body["code"]
    assert error.zoom_message == body["message"]
    for fragment in fragments:
        assert fragment in str(error)
    assert "Bearer" not in repr(error)
    assert "headers" not in repr(error)
    if cls is ZoomPermissionError:
        assert isinstance(error, ZoomPermissionError)
        assert error.missing_scopes


def test_validation_errors_keep_zooms_field_list(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(
        {
            "code": 300,
            "message": "Validation Failed.",
            "errors": [{"field": "duration", "message": "Invalid field."}],
        },
        status=400,
    )
    with pytest.raises(ZoomBadRequestError) as info:
        client.get_meeting(meeting_id="85746065432")
    assert [(e.field, e.message) for e in info.value.field_errors] == [
        ("duration", "Invalid field.")
    ]


def test_429_with_retry_after_seconds_is_retried(
    httpserver: HTTPServer, client: ZoomClient, sleeps: Sleeps
) -> None:
    httpserver.expect_ordered_request("/v2/meetings/1").respond_with_json(
        {
            "code": 429,
            "message": "You have reached the maximum per-second rate limit for this "
            "API. Try again later.",
        },
        status=429,
        headers={"Retry-After": "1", "X-RateLimit-Type": "QPS"},
    )
    httpserver.expect_ordered_request("/v2/meetings/1").respond_with_json({"id": 1})
    assert client.get_meeting(meeting_id="1").id == 1
    assert sleeps == [1.0]


def test_429_on_create_is_retried_because_zoom_did_nothing(
    httpserver: HTTPServer, client: ZoomClient, sleeps: Sleeps
) -> None:
    httpserver.expect_ordered_request("/v2/users/me/meetings", method="POST").respond_with_json(
        {"code": 429, "message": "rate"}, status=429
    )
    httpserver.expect_ordered_request("/v2/users/me/meetings", method="POST").respond_with_json(
        {"id": 5}, status=201
    )
    assert client.create_meeting(user_id="me", topic="t", type=1).id == 5
    assert sleeps == [0.25]  # no Retry-After: the policy's backoff


def test_daily_create_cap_raises_at_once(
    httpserver: HTTPServer, client: ZoomClient, sleeps: Sleeps
) -> None:
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    httpserver.expect_request("/v2/users/me/meetings", method="POST").respond_with_json(
        {
            "code": 429,
            "message": "You have exceeded the daily rate limit (100) of Meeting "
            "Create/Update API requests permitted for this particular user. You may resume these "
            "requests at GMT 00:00:00.",
        },
        status=429,
        headers={
            "Retry-After": tomorrow.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "X-RateLimit-Type": "Daily-limit",
        },
    )
    with pytest.raises(ZoomRateLimitError) as info:
        client.create_meeting(user_id="me", topic="t", type=1)
    assert info.value.daily_create_update_cap
    assert info.value.limit_type == "Daily-limit"
    assert info.value.retry_after is not None
    assert info.value.retry_after > 0
    assert "resets at 00:00 UTC" in str(info.value)
    assert sleeps == []
    assert len(httpserver.log) == 1


def test_retry_after_beyond_cap_is_not_slept(
    httpserver: HTTPServer, client: ZoomClient, sleeps: Sleeps
) -> None:
    httpserver.expect_request("/v2/meetings/1").respond_with_json(
        {"code": 429, "message": "slow down"}, status=429, headers={"Retry-After": "3600"}
    )
    with pytest.raises(ZoomRateLimitError, match="Wait 3600 seconds"):
        client.get_meeting(meeting_id="1")
    assert sleeps == []


def test_rate_limit_gives_up_after_max_retries(
    httpserver: HTTPServer, client: ZoomClient, sleeps: Sleeps
) -> None:
    httpserver.expect_request("/v2/meetings/1").respond_with_json(
        {"code": 429, "message": "slow down"}, status=429, headers={"Retry-After": "2"}
    )
    with pytest.raises(ZoomRateLimitError):
        client.get_meeting(meeting_id="1")
    assert sleeps == [2.0, 2.0]
    assert len(httpserver.log) == 3


def test_5xx_is_retried_for_get(httpserver: HTTPServer, client: ZoomClient, sleeps: Sleeps) -> None:
    httpserver.expect_ordered_request("/v2/meetings/1").respond_with_data("", status=503)
    httpserver.expect_ordered_request("/v2/meetings/1").respond_with_data("", status=502)
    httpserver.expect_ordered_request("/v2/meetings/1").respond_with_json({"id": 1})
    assert client.get_meeting(meeting_id="1").id == 1
    assert sleeps == [0.25, 0.5]


@pytest.mark.parametrize(
    ("tool", "args", "path", "method"),
    [
        (
            "zoom_create_meeting",
            {"userId": "me", "topic": "t", "type": 1},
            "/v2/users/me/meetings",
            "POST",
        ),
        ("zoom_update_meeting", {"meetingId": "1", "topic": "t"}, "/v2/meetings/1", "PATCH"),
    ],
)
def test_5xx_is_not_retried_for_writes_that_may_have_happened(
    httpserver: HTTPServer,
    client: ZoomClient,
    sleeps: Sleeps,
    tool: str,
    args: dict[str, object],
    path: str,
    method: str,
) -> None:
    answer_host_lookup(httpserver, "1")
    httpserver.expect_request(path, method=method).respond_with_json(
        {"code": 500, "message": "oops"}, status=500
    )
    with pytest.raises(ZoomServerError):
        ZoomTools(client).call(tool, args)
    assert [r.method for r, _ in httpserver.log if r.method == method] == [method]
    assert sleeps == []


def test_timeout_on_get_is_retried_then_raised(httpserver: HTTPServer, sleeps: Sleeps) -> None:
    release = threading.Event()

    def slow(_: Request) -> Response:
        release.wait(2)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/v2/meetings/1").respond_with_handler(slow)
    zoom = ZoomClient(
        AccessTokenAuth("t"),
        base_url=httpserver.url_for("/v2"),
        timeout=(1.0, 0.2),
        sleep=sleeps,
        retry=RetryPolicy(max_retries=1, random=lambda: 0.0),
    )
    try:
        with pytest.raises(ZoomTimeoutError, match="did not answer in time"):
            zoom.get_meeting(meeting_id="1")
    finally:
        release.set()
    assert sleeps == [0.5]


def test_refused_connection_is_retried_even_for_post(sleeps: Sleeps) -> None:
    # Nothing listens on this port, so the request never left: safe to retry any method.
    zoom = ZoomClient(
        AccessTokenAuth("t"),
        base_url="http://127.0.0.1:9/v2",
        sleep=sleeps,
        retry=RetryPolicy(max_retries=2, initial_delay=0.1, random=lambda: 0.0),
    )
    with pytest.raises(ZoomConnectionError, match="connection to Zoom failed") as info:
        zoom.create_meeting(user_id="me", topic="t", type=1)
    assert not isinstance(info.value, ZoomTimeoutError)
    assert sleeps == [0.1, 0.2]


def test_every_request_has_a_timeout(httpserver: HTTPServer) -> None:
    seen: list[object] = []

    class Recording(requests.Session):
        def request(self, *args: object, **kwargs: object) -> requests.Response:  # type: ignore[override]
            seen.append(kwargs.get("timeout"))
            return super().request(*args, **kwargs)  # type: ignore[arg-type]

    httpserver.expect_request("/v2/meetings/1").respond_with_json({"id": 1})
    zoom = ZoomClient(
        AccessTokenAuth("t"), base_url=httpserver.url_for("/v2"), session=Recording(), timeout=7.5
    )
    zoom.get_meeting(meeting_id="1")
    assert seen == [(7.5, 7.5)]


def test_parse_retry_after_forms() -> None:
    now = datetime(2026, 11, 24, 23, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("3", now) == 3.0
    assert parse_retry_after("2026-11-25T00:00:00Z", now) == 3600.0
    assert parse_retry_after("Wed, 25 Nov 2026 00:00:00 GMT", now) == 3600.0
    assert parse_retry_after("2026-11-24T22:00:00Z", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(max_retries=10, initial_delay=1, max_delay=5, random=lambda: 0.0)
    assert [policy.backoff(i) for i in range(5)] == [1, 2, 4, 5, 5]
    failed = ZoomServerError("Could not do it (HTTP 503).", status=503)
    assert retry_delay(policy, 0, failed, resendable=False) is None  # a POST
    assert retry_delay(policy, 0, failed, resendable=True) == 1  # a DELETE
    limited = ZoomRateLimitError("Could not do it (HTTP 429).", status=429, retry_after=1)
    assert retry_delay(policy, 10, limited, resendable=True) is None


def test_logs_carry_no_secrets(
    httpserver: HTTPServer, client: ZoomClient, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/v2/meetings/1").respond_with_json({"id": 1})
    caplog.set_level("DEBUG", logger="zoom_agent_tools")
    client.get_meeting(meeting_id="1")
    assert any("GET" in r.getMessage() for r in caplog.records if r.name == "zoom_agent_tools")
    assert all("test-access-token" not in r.getMessage() for r in caplog.records)
    assert time.monotonic() > 0
