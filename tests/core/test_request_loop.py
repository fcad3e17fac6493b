"""The one request loop's decisions: retries with jitter, the daily cap, token renewal, and
the scopes an operation declares in a permission error; downloads retried like any GET."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.core.conftest import Sleeps
from zoom_agent_tools import (
    AccessTokenAuth,
    RetryPolicy,
    ZoomAuthenticationError,
    ZoomClient,
    ZoomConnectionError,
    ZoomNotFoundError,
    ZoomPermissionError,
    ZoomRateLimitError,
    ZoomServerError,
)
from zoom_agent_tools._retry import already_done, retry_delay, should_renew
from zoom_agent_tools.errors import error_from_response
from zoom_agent_tools.models import Recording
from zoom_agent_tools.operations import delete_recording, get_meeting

QPS = {"code": 429, "message": "You have reached the maximum per-second rate limit."}


def _limited(retry_after: float | None = None) -> ZoomRateLimitError:
    error = error_from_response(429, QPS, action="get meeting 1", retry_after=retry_after)
    assert isinstance(error, ZoomRateLimitError)
    return error


def test_backoff_waits_are_spread_between_half_and_all_of_the_backoff() -> None:
    policy = RetryPolicy(random=random.Random(8).random)
    waits = [retry_delay(policy, 2, _limited(), resendable=True) for _ in range(8)]
    assert all(w is not None and 1.0 <= w <= 2.0 for w in waits)  # backoff(2) is 2 s
    assert len(set(waits)) == 8


def test_retry_after_is_waited_out_and_then_spread() -> None:
    policy = RetryPolicy(random=random.Random(8).random)
    waits = [retry_delay(policy, 0, _limited(retry_after=1), resendable=False) for _ in range(8)]
    assert all(w is not None and 1.0 <= w <= 1.25 for w in waits)  # + up to half of 0.5 s
    assert len(set(waits)) == 8
    exact = RetryPolicy(random=lambda: 0.0)
    assert retry_delay(exact, 0, _limited(retry_after=1), resendable=False) == 1.0


@pytest.mark.parametrize(
    ("message", "limit_type"),
    [
        (
            "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests.",
            None,
        ),
        ("You have reached the maximum daily rate limit for this API.", None),
        ("Too many requests.", "Daily-limit"),
    ],
)
def test_a_daily_limit_is_never_waited_for(message: str, limit_type: str | None) -> None:
    error = error_from_response(
        429, {"code": 429, "message": message}, action="x", retry_after=5, limit_type=limit_type
    )
    assert isinstance(error, ZoomRateLimitError)
    assert error.daily
    assert retry_delay(RetryPolicy(), 0, error, resendable=True) is None


def test_a_token_is_renewed_once_and_only_when_it_can_be() -> None:
    refused = error_from_response(401, {"code": 124, "message": "Invalid token."}, action="x")
    assert isinstance(refused, ZoomAuthenticationError)
    assert should_renew(refused, renewed=False, renewable=True)
    assert not should_renew(refused, renewed=True, renewable=True)
    assert not should_renew(refused, renewed=False, renewable=False)
    other = error_from_response(401, {"code": 4700, "message": "No scopes."}, action="x")
    assert not should_renew(other, renewed=False, renewable=True)


def test_only_a_retried_delete_that_finds_nothing_is_done() -> None:
    gone = error_from_response(404, {"code": 3001, "message": "No meeting."}, action="x")
    assert isinstance(gone, ZoomNotFoundError)
    assert already_done("DELETE", gone, attempt=1)
    assert not already_done("DELETE", gone, attempt=0)
    assert not already_done("GET", gone, attempt=1)


def test_a_connection_that_never_opened_may_be_resent_for_any_method() -> None:
    never = ZoomConnectionError("Could not x.", request_sent=False)
    maybe = ZoomConnectionError("Could not x.", request_sent=True)
    exact = RetryPolicy(random=lambda: 0.0)
    assert retry_delay(exact, 0, never, resendable=False) == 0.5
    assert retry_delay(exact, 0, maybe, resendable=False) is None
    assert retry_delay(exact, 0, maybe, resendable=True) == 0.5
    failed = ZoomServerError("Could not x (HTTP 501).", status=501)
    assert retry_delay(exact, 0, failed, resendable=True) is None  # not a passing failure


def test_threads_that_meet_a_429_retry_at_different_times(httpserver: HTTPServer) -> None:
    answered: set[str] = set()
    lock = threading.Lock()

    def handler(request: Request) -> Response:
        caller = request.headers["X-Caller"]
        with lock:
            first = caller not in answered
            answered.add(caller)
        if first:
            return Response('{"code": 429, "message": "slow down"}', status=429)
        return Response('{"id": 1}', content_type="application/json")

    httpserver.expect_request("/v2/meetings/1").respond_with_handler(handler)
    waits: dict[str, float] = {}
    barrier = threading.Barrier(8)

    def call(name: str) -> None:
        # Each worker has its own client, as each process of a fleet would.
        with ZoomClient(
            AccessTokenAuth("t"),
            base_url=httpserver.url_for("/v2"),
            sleep=lambda seconds: waits.__setitem__(name, seconds),
        ) as worker:
            worker.session.headers["X-Caller"] = name
            barrier.wait()
            assert worker.get_meeting(meeting_id="1").id == 1

    threads = [threading.Thread(target=call, args=(f"worker-{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(waits) == 8
    assert len(set(waits.values())) == 8
    assert all(0.25 <= w <= 0.5 for w in waits.values())


def test_a_permission_error_names_the_scopes_the_call_needs(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    # Zoom's message does not always list the missing scopes.
    refusal = {"code": 4711, "message": "Invalid access token, does not contain scopes."}
    httpserver.expect_request("/v2/meetings/1").respond_with_json(refusal, status=400)
    httpserver.expect_request("/v2/meetings/1/recordings/f1", method="DELETE").respond_with_json(
        refusal, status=400
    )
    with pytest.raises(ZoomPermissionError) as info:
        client.get_meeting(meeting_id="1")
    assert info.value.missing_scopes == ()
    assert info.value.required_scopes == get_meeting.required_scopes
    assert "needs one of the scopes meeting:read:meeting, meeting:read" in str(info.value)
    with pytest.raises(ZoomPermissionError) as info:
        client.delete_recording(meeting_id="1", recording_id="f1")
    # The one-file endpoint has its own scope.
    assert info.value.required_scopes == (
        "cloud_recording:delete:recording_file",
        "recording:write",
    )
    assert set(info.value.required_scopes) <= set(delete_recording.required_scopes)


def test_a_download_answered_503_is_tried_again(
    httpserver: HTTPServer, client: ZoomClient, sleeps: Sleeps, tmp_path: Path
) -> None:
    httpserver.expect_ordered_request("/rec/a.vtt").respond_with_data("", status=503)
    httpserver.expect_ordered_request("/rec/a.vtt").respond_with_data(
        b"WEBVTT\n", content_type="text/vtt"
    )
    recording = Recording.model_validate(
        {
            "uuid": "aDYlohsHRtCd4ii1uC2+hA==",
            "recording_files": [
                {
                    "id": "a",
                    "file_type": "TRANSCRIPT",
                    "file_extension": "VTT",
                    "file_size": 7,
                    "download_url": httpserver.url_for("/rec/a.vtt"),
                }
            ],
        }
    )
    result = client.download_recording_files(recording, tmp_path)
    assert [f.status for f in result.files] == ["saved"]
    assert sleeps == [0.25]
