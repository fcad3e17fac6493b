"""Adversarial inputs and failure paths: odd arguments, odd answers, failed disconnects."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
from pydantic import SecretStr
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.core.conftest import Sleeps
from zoom_agent_tools import (
    RetryPolicy,
    ServerToServerAuth,
    UserOAuth,
    ZoomAPIError,
    ZoomClient,
    ZoomRateLimitError,
    ZoomServerError,
    ZoomValidationError,
)
from zoom_agent_tools.auth import MemoryTokenStore, StoredTokens
from zoom_agent_tools.errors import error_from_response
from zoom_agent_tools.models import Meeting
from zoom_agent_tools.tools import ZoomTools


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        (
            "zoom_create_meeting",
            {"userId": "me", "topic": "t", "type": True},
            "type: must be a number, not true/false",
        ),
        ("zoom_list_meetings", {"userId": "me", "pageSize": True}, "pageSize: must be a number"),
        ("zoom_get_meeting_recordings", {"meetingId": "1", "ttl": False}, "ttl: must be a number"),
        ("zoom_list_recordings", {"userId": "me", "trash": "yes"}, "trash: must be true or false"),
        (
            "zoom_get_meeting",
            {"meetingId": "1", "showPreviousOccurrences": 1},
            "showPreviousOccurrences: must be true or false",
        ),
        ("zoom_get_meeting", {"meetingId": "١٢٣٤٥٦٧٨٩"}, "meetingId: must be the numeric"),
        ("zoom_get_meeting", {"meetingId": "0085746065432"}, "meetingId: must be the numeric"),
        (
            "zoom_get_meeting",
            {"meetingId": "1", "occurrenceId": "²"},
            "occurrenceId: must be an occurrence id",
        ),
        (
            "zoom_create_meeting",
            {"userId": "me", "topic": "t", "startTime": "9999-12-31T23:59:59-05:00"},
            "startTime: must be a date-time between the years 1970 and 2099",
        ),
        (
            "zoom_create_meeting",
            {"userId": "me", "topic": "t", "startTime": "0001-01-01T00:00:00+05:00"},
            "startTime: must be a date-time between the years 1970 and 2099",
        ),
        (
            "zoom_create_meeting",
            {
                "userId": "me",
                "topic": "t",
                "startTime": "2026-12-01T10:00:00Z",
                "recurrence": {"type": 1, "endTimes": 2},
            },
            "recurrence needs type 8",
        ),
        (
            "zoom_create_meeting",
            {
                "userId": "me",
                "topic": "t",
                "type": 8,
                "startTime": "2026-12-01T10:00:00Z",
                "recurrence": {"type": 1, "endDateTime": "2026-11-30T10:00:00Z"},
            },
            "recurrence.endDateTime must be after startTime",
        ),
        (
            "zoom_create_meeting",
            {
                "userId": "me",
                "topic": "t",
                "type": 8,
                "startTime": "2026-12-01T10:00:00Z",
                "recurrence": {"type": 1, "junk": 1},
            },
            "recurrence.junk: unknown parameter; allowed parameters are: type, repeatInterval",
        ),
        (
            "zoom_create_meeting",
            {"userId": "me", "topic": "a\u200bb", "type": 1},
            "topic: must be one line of visible text",
        ),
        (
            "zoom_create_meeting",
            {"userId": "me", "topic": "t", "type": 1, "timezone": "localtime"},
            "timezone: must be an IANA time zone name",
        ),
        ("zoom_update_meeting", {"meetingId": "85746065432", "topic": None}, "nothing to change"),
        (
            "zoom_get_meeting_recordings",
            {"meetingId": "x" * 201},
            "meetingId: must be a numeric meeting ID (e.g. '85746065432') or an instance UUID",
        ),
    ],
)
def test_adversarial_arguments_are_refused_before_any_request(
    httpserver: HTTPServer, client: ZoomClient, tool: str, args: dict[str, Any], message: str
) -> None:
    with pytest.raises(ZoomValidationError) as info:
        ZoomTools(client).call(tool, args)
    assert message in str(info.value)
    assert httpserver.log == []


def test_nulls_count_as_not_given_and_string_booleans_are_read(
    httpserver: HTTPServer, client: ZoomClient
) -> None:
    httpserver.expect_oneshot_request(
        "/v2/users/me/recordings", query_string={"trash": "true"}
    ).respond_with_json({"meetings": [], "next_page_token": ""})
    ZoomTools(client).call(
        "zoom_list_recordings", {"userId": "me", "trash": "true", "from": None, "pageSize": None}
    )
    httpserver.check_assertions()


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (302, "", "text/html"),
        (200, "<html>sign in</html>", "text/html"),
        (200, json.dumps(["not", "an", "object"]), "application/json"),
        (200, json.dumps({"meetings": "nope", "password": "s3cret-pass"}), "application/json"),
        # Too deep for Python's JSON decoder: a RecursionError must not leave the client.
        (200, '{"meetings": ' + "[" * 100_000 + "]" * 100_000 + "}", "application/json"),
    ],
)
def test_unexpected_answers_are_zoom_errors_without_the_body(
    httpserver: HTTPServer, client: ZoomClient, status: int, body: str, content_type: str
) -> None:
    httpserver.expect_request("/v2/users/me/meetings").respond_with_data(
        body,
        status=status,
        content_type=content_type,
        headers={"Location": "https://elsewhere.example/"} if status == 302 else None,
    )
    with pytest.raises(ZoomAPIError) as info:
        client.list_meetings(user_id="me")
    assert "s3cret-pass" not in str(info.value)
    assert "ZOOM_API_BASE_URL" in str(info.value)


def test_retried_delete_that_already_happened_is_a_success(
    httpserver: HTTPServer, client: ZoomClient, sleeps: Sleeps
) -> None:
    httpserver.expect_ordered_request("/v2/meetings/1", method="DELETE").respond_with_data(
        "", status=502
    )
    httpserver.expect_ordered_request("/v2/meetings/1", method="DELETE").respond_with_json(
        {"code": 3001, "message": "Meeting does not exist: 1."}, status=404
    )
    client.delete_meeting(meeting_id="1")
    assert sleeps == [0.25]


def test_repeated_page_token_stops_the_iterator(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_request("/v2/users/me/meetings").respond_with_json(
        {"meetings": [{"id": 1}], "next_page_token": "same"}
    )
    with pytest.raises(ZoomAPIError, match="same page token twice"):
        list(client.iter_meetings(user_id="me"))


def test_account_daily_limit_is_not_the_per_user_create_cap() -> None:
    error = error_from_response(
        429,
        {"code": 429, "message": "You have reached the maximum daily rate limit for this API."},
        action="list cloud recordings of user me",
        limit_type="Daily-limit",
    )
    assert isinstance(error, ZoomRateLimitError)
    assert not error.daily_create_update_cap
    assert "100 meeting create/update" not in str(error)
    assert "daily limit" in str(error)


class Tokens:
    """/oauth/token and /oauth/revoke with a switchable revoke failure."""

    def __init__(self, expires_in: int = 3600) -> None:
        self.issued: list[str] = []
        self.revoked: list[str] = []
        self.fail_revoke = 0
        self.expires_in = expires_in

    def token(self, request: Request) -> Response:
        value = f"tok-{len(self.issued) + 1}"
        self.issued.append(value)
        body = {"access_token": value, "expires_in": self.expires_in}
        if parse_qs(request.get_data(as_text=True)).get("grant_type") == ["refresh_token"]:
            body["refresh_token"] = f"refresh-{len(self.issued)}"
        return Response(json.dumps(body), content_type="application/json")

    def revoke(self, request: Request) -> Response:
        if self.fail_revoke:
            self.fail_revoke -= 1
            return Response(
                json.dumps({"code": 503, "message": "busy"}),
                status=503,
                content_type="application/json",
            )
        self.revoked.append(parse_qs(request.get_data(as_text=True))["token"][0])
        return Response(json.dumps({"status": "success"}), content_type="application/json")


def _serve(httpserver: HTTPServer, tokens: Tokens) -> None:
    httpserver.expect_request("/oauth/token").respond_with_handler(tokens.token)
    httpserver.expect_request("/oauth/revoke").respond_with_handler(tokens.revoke)
    httpserver.expect_request("/v2/meetings/1").respond_with_json({"id": 1})


#: The default policy without jitter, so that each wait can be checked.
EXACT = RetryPolicy(random=lambda: 0.0)


def test_failed_disconnect_keeps_state_and_can_be_retried(httpserver: HTTPServer) -> None:
    tokens = Tokens()
    _serve(httpserver, tokens)
    slept: list[float] = []
    auth = ServerToServerAuth(
        "a", "c", "s", oauth_base_url=httpserver.url_for(""), sleep=slept.append, retry=EXACT
    )
    zoom = ZoomClient(auth, base_url=httpserver.url_for("/v2"))
    zoom.get_meeting(meeting_id="1")
    tokens.fail_revoke = 4  # more than the default three retries
    with pytest.raises(ZoomServerError):
        zoom.disconnect()
    assert slept == [0.5, 1.0, 2.0]
    assert tokens.revoked == []
    assert zoom.get_meeting(meeting_id="1").id == 1  # still connected: nothing was pretended
    zoom.disconnect()
    assert tokens.revoked == ["tok-1"]


def test_oauth_endpoint_failures_are_retried(httpserver: HTTPServer) -> None:
    tokens = Tokens()
    _serve(httpserver, tokens)
    tokens.fail_revoke = 2
    slept: list[float] = []
    auth = ServerToServerAuth(
        "a", "c", "s", oauth_base_url=httpserver.url_for(""), sleep=slept.append, retry=EXACT
    )
    zoom = ZoomClient(auth, base_url=httpserver.url_for("/v2"))
    zoom.get_meeting(meeting_id="1")
    zoom.disconnect()
    assert tokens.revoked == ["tok-1"]
    assert slept == [0.5, 1.0]


def test_user_oauth_disconnect_in_a_new_process_revokes_at_zoom(httpserver: HTTPServer) -> None:
    tokens = Tokens()
    _serve(httpserver, tokens)
    store = MemoryTokenStore(StoredTokens(SecretStr("refresh-0")))
    auth = UserOAuth(
        "c",
        "s",
        redirect_uri="http://127.0.0.1/cb",
        store=store,
        oauth_base_url=httpserver.url_for(""),
    )
    zoom = ZoomClient(auth, base_url=httpserver.url_for("/v2"))
    zoom.disconnect()  # no access token cached yet
    assert tokens.revoked == ["tok-1"]
    assert store.load() is None


def test_short_lived_tokens_are_reused_until_half_their_life(httpserver: HTTPServer) -> None:
    tokens = Tokens(expires_in=200)
    _serve(httpserver, tokens)
    now = [0.0]
    auth = ServerToServerAuth(
        "a", "c", "s", oauth_base_url=httpserver.url_for(""), clock=lambda: now[0]
    )
    zoom = ZoomClient(auth, base_url=httpserver.url_for("/v2"))
    for _ in range(5):
        zoom.get_meeting(meeting_id="1")
    assert len(tokens.issued) == 1
    now[0] = 101
    zoom.get_meeting(meeting_id="1")
    assert len(tokens.issued) == 2


def test_model_repr_redacts_secrets_inside_extras() -> None:
    meeting = Meeting.model_validate(
        {
            "id": 1,
            "tracking_fields": [{"field": "x", "value": "v", "password": "inner-secret"}],
            "settings": {"host_video": True, "password": "setting-secret"},
        }
    )
    assert "inner-secret" not in repr(meeting)
    assert "setting-secret" not in repr(meeting)


def test_expired_page_token_says_to_start_again(httpserver: HTTPServer, client: ZoomClient) -> None:
    httpserver.expect_request("/v2/users/me/meetings").respond_with_json(
        {"code": 300, "message": "The next page token is either invalid or has expired."},
        status=400,
    )
    with pytest.raises(ZoomAPIError, match="Start the listing again without nextPageToken"):
        client.list_meetings(user_id="me", next_page_token="old")


def test_lost_answer_to_a_create_warns_it_may_have_happened(sleeps: Sleeps) -> None:
    from zoom_agent_tools import AccessTokenAuth, ZoomConnectionError

    class Dropped(requests.Session):
        def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
            raise requests.ConnectionError("Connection aborted: RemoteDisconnected")

    zoom = ZoomClient(
        AccessTokenAuth("t"), base_url="http://127.0.0.1:9/v2", session=Dropped(), sleep=sleeps
    )
    with pytest.raises(ZoomConnectionError) as create:
        zoom.create_meeting(user_id="me", topic="t", type=1)
    assert "may have gone through" in str(create.value)
    assert sleeps == []  # never retried
    with pytest.raises(ZoomConnectionError) as get:
        zoom.get_meeting(meeting_id="1")
    assert "may have gone through" not in str(get.value)


def test_to_without_from_is_refused(httpserver: HTTPServer, client: ZoomClient) -> None:
    with pytest.raises(ZoomValidationError, match="give from with to"):
        ZoomTools(client).call("zoom_list_recordings", {"userId": "me", "to": "2026-11-01"})
    assert httpserver.log == []
