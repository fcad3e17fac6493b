"""A create whose answer is lost (5xx, dropped connection, timeout) is looked up, never resent."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.core.conftest import Sleeps
from tests.sandbox.conftest import counting_ticker
from zoom_agent_tools import (
    AccessTokenAuth,
    RetryPolicy,
    ZoomClient,
    ZoomConnectionError,
    ZoomError,
    ZoomServerError,
    ZoomTimeoutError,
)
from zoom_agent_tools._retry import IDEMPOTENT_METHODS, retry_delay
from zoom_agent_tools.sandbox import Sandbox
from zoom_agent_tools.tools import ZoomTools

CREATE = "/users/{userId}/meetings"
POST = f"POST {CREATE}"
LIST = f"GET {CREATE}"
READ_TIMEOUT = 0.4
CHECK_DELAY = 0.75


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    # The real clock: the client compares created_at with its own clock.
    with Sandbox(rate_ticker=counting_ticker()) as sb:
        yield sb


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def _client(sandbox: Sandbox, sleep: Callable[[float], None], **retry: Any) -> ZoomClient:
    policy = RetryPolicy(
        max_retries=2, initial_delay=0.01, lost_create_check_delay=CHECK_DELAY, **retry
    )
    return sandbox.client(timeout=(5.0, READ_TIMEOUT), retry=policy, sleep=sleep)


@pytest.fixture
def client(sandbox: Sandbox, sleeps: Sleeps) -> Iterator[ZoomClient]:
    with _client(sandbox, sleeps) as zoom:
        yield zoom


def _future(days: int = 3) -> str:
    moment = datetime.now(timezone.utc) + timedelta(days=days)
    return moment.replace(hour=16, minute=0, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


#: Meetings of each kind Zoom lists, as create arguments.
KINDS: dict[str, dict[str, Any]] = {
    "scheduled": {"type": 2, "start_time": _future(), "duration": 30},
    "scheduled-local-time": {
        "type": 2,
        "start_time": _future(4).replace("Z", ""),
        "timezone": "Asia/Tokyo",
    },
    # Zoom starts a meeting whose start is past (or missing) now: its start_time is "now".
    "scheduled-past-start": {"type": 2, "start_time": "2021-05-04T09:00:00Z"},
    "recurring": {
        "type": 8,
        "start_time": _future(),
        "recurrence": {"type": 2, "weekly_days": "2,5", "end_times": 4},
    },
    "no-fixed-time": {"type": 3},
}

#: Faults that fail the answer after Zoom created the meeting.
AFTER_WRITE: dict[str, dict[str, Any]] = {
    "500": {"status": 500},
    "502": {"status": 502},
    "dropped": {"drop": True},
    "timeout": {"delay": 3 * READ_TIMEOUT},
}
#: The same failures before Zoom acted (a timeout that never writes ends in a drop).
BEFORE_WRITE: dict[str, dict[str, Any]] = {
    "500": {"status": 500},
    "503": {"status": 503},
    "dropped": {"drop": True},
    "timeout": {"delay": 3 * READ_TIMEOUT, "drop": True},
}
ERROR_CLASS: dict[str, type[ZoomError]] = {
    "500": ZoomServerError,
    "502": ZoomServerError,
    "503": ZoomServerError,
    "dropped": ZoomConnectionError,
    "timeout": ZoomTimeoutError,
}


def _stored(sandbox: Sandbox, topic: str) -> list[dict[str, Any]]:
    return [m for m in sandbox.store.list_meetings(sandbox.user_id) if m["topic"] == topic]


def test_the_retry_policy_never_resends_a_create_or_an_update() -> None:
    assert "POST" not in IDEMPOTENT_METHODS
    assert "PATCH" not in IDEMPOTENT_METHODS
    policy = RetryPolicy(max_retries=5)
    lost = ZoomServerError("Could not create a meeting (HTTP 500).", status=500)
    for method in ("POST", "PATCH"):
        assert retry_delay(policy, 0, lost, resendable=method in IDEMPOTENT_METHODS) is None


@pytest.mark.parametrize("fault", list(AFTER_WRITE))
@pytest.mark.parametrize("kind", ["scheduled", "recurring"])
def test_answer_lost_after_the_write_returns_the_created_meeting(
    sandbox: Sandbox, client: ZoomClient, sleeps: Sleeps, fault: str, kind: str
) -> None:
    topic = f"Lost answer {fault} {kind}"
    sandbox.faults.inject(method="POST", path=CREATE, after_write=True, **AFTER_WRITE[fault])
    meeting = client.create_meeting(user_id="me", topic=topic, **KINDS[kind])
    [stored] = _stored(sandbox, topic)
    assert meeting.id == stored["id"]
    assert meeting.topic == topic
    # The full meeting, as the create would have answered, not a list summary.
    assert meeting.join_url
    assert meeting.settings is not None
    assert meeting.recovery_note is not None
    assert "found among the user's meetings" in meeting.recovery_note
    assert sandbox.calls[POST] == 1
    assert 1 <= sandbox.calls[LIST] <= 2
    assert sleeps[0] == CHECK_DELAY


@pytest.mark.parametrize("kind", ["scheduled-local-time", "scheduled-past-start", "no-fixed-time"])
def test_every_listed_kind_of_meeting_is_found(
    sandbox: Sandbox, client: ZoomClient, kind: str
) -> None:
    topic = f"Lost answer {kind}"
    sandbox.faults.inject(method="POST", path=CREATE, after_write=True, status=500)
    meeting = client.create_meeting(user_id="me", topic=topic, **KINDS[kind])
    [stored] = _stored(sandbox, topic)
    assert meeting.id == stored["id"]
    assert meeting.recovery_note is not None
    assert sandbox.calls[POST] == 1


@pytest.mark.parametrize("fault", list(BEFORE_WRITE))
def test_failure_before_the_write_says_not_created_and_safe_to_retry(
    sandbox: Sandbox, client: ZoomClient, fault: str
) -> None:
    topic = f"Never created {fault}"
    sandbox.faults.inject(method="POST", path=CREATE, **BEFORE_WRITE[fault])
    with pytest.raises(ERROR_CLASS[fault]) as info:
        client.create_meeting(user_id="me", topic=topic, **KINDS["scheduled"])
    error = info.value
    assert error.created is False
    assert "was not created" in str(error)
    assert "safe to create it again" in str(error)
    assert _stored(sandbox, topic) == []
    assert sandbox.calls[POST] == 1
    # ...and the advice holds: the same call now creates exactly one meeting.
    client.create_meeting(user_id="me", topic=topic, **KINDS["scheduled"])
    assert len(_stored(sandbox, topic)) == 1


def test_the_tool_tells_the_agent_it_was_created(sandbox: Sandbox, client: ZoomClient) -> None:
    sandbox.faults.inject(method="POST", path=CREATE, after_write=True, status=500)
    result = ZoomTools(client).call(
        "zoom_create_meeting", {"userId": "me", "topic": "Tool view", "startTime": _future()}
    )
    [stored] = _stored(sandbox, "Tool view")
    assert result.content["meeting"]["id"] == stored["id"]
    assert "do not create it again" in result.content["note"]
    assert sandbox.calls[POST] == 1


def test_the_tool_tells_the_agent_it_was_not_created(sandbox: Sandbox) -> None:
    with _client(sandbox, Sleeps()) as zoom:
        sandbox.faults.inject(method="POST", path=CREATE, status=503)
        outcome = ZoomTools(zoom).run(
            "zoom_create_meeting", {"userId": "me", "topic": "Tool view", "startTime": _future()}
        )
    assert outcome.is_error
    assert "was not created" in outcome.text
    assert "safe to create it again" in outcome.text
    assert sandbox.calls[POST] == 1


def test_a_failed_look_up_says_unknown_and_what_to_check(
    sandbox: Sandbox, client: ZoomClient
) -> None:
    sandbox.faults.inject(method="POST", path=CREATE, after_write=True, status=500)
    sandbox.faults.inject(method="GET", path=CREATE, status=503, times=None)
    with pytest.raises(ZoomServerError) as info:
        client.create_meeting(user_id="me", topic="Unknown fate", **KINDS["scheduled"])
    error = info.value
    assert error.created is None
    text = str(error)
    assert "unknown" in text
    assert "HTTP 503" in text
    assert "zoom_list_meetings" in text
    assert "'Unknown fate'" in text
    assert sandbox.calls[POST] == 1
    assert len(_stored(sandbox, "Unknown fate")) == 1


@pytest.mark.parametrize("after_write", [True, False])
def test_an_instant_meeting_cannot_be_looked_up(
    sandbox: Sandbox, client: ZoomClient, sleeps: Sleeps, after_write: bool
) -> None:
    sandbox.faults.inject(method="POST", path=CREATE, after_write=after_write, status=500)
    with pytest.raises(ZoomServerError) as info:
        client.create_meeting(user_id="me", topic="Instant", type=1)
    assert info.value.created is None
    assert "does not list instant meetings" in str(info.value)
    assert sandbox.calls[POST] == 1
    assert sandbox.calls[LIST] == 0
    assert sleeps == []


def test_a_request_that_never_left_was_not_created_without_a_look_up(sleeps: Sleeps) -> None:
    # Nothing listens on port 9: the POST never left, so it is retried and nothing is looked up.
    zoom = ZoomClient(
        AccessTokenAuth("t"),
        base_url="http://127.0.0.1:9/v2",
        sleep=sleeps,
        retry=RetryPolicy(max_retries=1, initial_delay=0.1, random=lambda: 0.0),
    )
    with pytest.raises(ZoomConnectionError) as info:
        zoom.create_meeting(user_id="me", topic="t", type=2, start_time=_future())
    assert info.value.created is False
    assert "never reached Zoom" in str(info.value)
    assert sleeps == [0.1]


@pytest.mark.parametrize("skew_minutes", [-3, 3])
def test_a_few_minutes_of_clock_skew_still_find_the_meeting(skew_minutes: int) -> None:
    skew = timedelta(minutes=skew_minutes)
    with Sandbox(clock=lambda: datetime.now(timezone.utc) + skew) as sandbox:
        sandbox.faults.inject(method="POST", path=CREATE, after_write=True, status=500)
        with _client(sandbox, Sleeps()) as zoom:
            meeting = zoom.create_meeting(user_id="me", topic="Skewed", **KINDS["scheduled"])
        assert meeting.recovery_note is not None
        assert sandbox.calls[POST] == 1


def test_an_older_meeting_with_the_same_topic_is_named_not_claimed() -> None:
    offset = [timedelta(minutes=-30)]
    with (
        Sandbox(clock=lambda: datetime.now(timezone.utc) + offset[0]) as sandbox,
        _client(sandbox, Sleeps()) as zoom,
    ):
        older = zoom.create_meeting(user_id="me", topic="Twice", **KINDS["scheduled"])
        offset[0] = timedelta(0)
        sandbox.faults.inject(method="POST", path=CREATE, status=500)
        with pytest.raises(ZoomServerError) as info:
            zoom.create_meeting(user_id="me", topic="Twice", **KINDS["scheduled"])
    assert info.value.created is None
    assert str(older.id) in str(info.value)
    assert "zoom_get_meeting" in str(info.value)
    assert sandbox.calls[POST] == 2  # the first create, and the failed one: never resent


def test_a_create_still_under_way_is_found_after_the_check_delay(sandbox: Sandbox) -> None:
    # Zoom answers late (the client gives up first) and creates the meeting afterwards: the
    # look-up waits lost_create_check_delay before looking, so it finds the meeting.
    sandbox.faults.inject(method="POST", path=CREATE, delay=2 * READ_TIMEOUT)
    with _client(sandbox, time.sleep) as zoom:
        meeting = zoom.create_meeting(user_id="me", topic="Late write", **KINDS["scheduled"])
    assert meeting.recovery_note is not None
    assert len(_stored(sandbox, "Late write")) == 1
    assert sandbox.calls[POST] == 1


@pytest.mark.parametrize(("fault", "applied"), [({"status": 500}, False), ({"drop": True}, True)])
def test_an_update_whose_answer_is_lost_is_not_resent_and_says_resending_is_safe(
    sandbox: Sandbox, client: ZoomClient, sleeps: Sleeps, fault: dict[str, Any], applied: bool
) -> None:
    meeting_id = sandbox.store.list_meetings(sandbox.user_id)[1]["id"]
    sandbox.faults.inject(
        method="PATCH", path="/meetings/{meetingId}", after_write=applied, **fault
    )
    with pytest.raises((ZoomServerError, ZoomConnectionError)) as info:
        client.update_meeting(meeting_id=meeting_id, topic="Renamed once")
    text = str(info.value)
    assert "may or may not have been applied" in text
    assert "same update again is safe" in text
    assert sandbox.calls["PATCH /meetings/{meetingId}"] == 1
    stored = sandbox.store.get_meeting(meeting_id)
    assert stored is not None
    assert (stored["topic"] == "Renamed once") is applied
    assert sleeps == []
