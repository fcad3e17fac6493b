"""Past meeting instances and past meeting details over HTTP, each exchange checked by the spec."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.sandbox.conftest import NOW, ZoomHTTP
from tests.sandbox.intelligence import (
    DETAILS,
    INSTANCES,
    PARTICIPANTS,
    STANDUP_KEYS,
    SUMMARY,
    UUIDS,
    module_http,
    team_http,
    team_meeting,
    times,
)
from tests.sandboxes import NewSandbox
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, ManualClock, Sandbox
from zoom_agent_tools.sandbox.clock import parse_utc
from zoom_agent_tools.sandbox.seed import HOST_ID

STANDUP = "Platform team weekly standup"


@pytest.fixture(scope="module")
def http() -> Iterator[ZoomHTTP]:
    yield from module_http()


def test_instances_of_the_weekly_standup(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    response = http.get(INSTANCES, {"meetingId": team_meeting(sandbox, STANDUP)})
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Category"] == "Medium"
    listed = response.json()["meetings"]
    assert {m["uuid"] for m in listed} == {UUIDS[key] for key in STANDUP_KEYS}
    for item in listed:
        stored = sandbox.store.get_instance(item["uuid"])
        assert stored is not None
        assert item == {"uuid": stored["uuid"], "start_time": stored["start_time"]}
    # Zoom documents no order: the sandbox answers in UUID order, so a client must sort.
    assert [m["uuid"] for m in listed] == sorted(m["uuid"] for m in listed)
    newest_first = sorted(listed, key=lambda m: m["start_time"], reverse=True)
    assert listed != newest_first
    assert newest_first[0]["uuid"] == UUIDS["standup_today"]
    assert newest_first[1]["uuid"] == UUIDS["standup_last_week"]
    # Weekly: each instance started within minutes of the same weekly slot.
    starts = [parse_utc(m["start_time"]) for m in newest_first]
    for later, earlier in itertools.pairwise(starts):
        assert timedelta(days=7, hours=-2) < later - earlier < timedelta(days=7, hours=2)


def test_instances_of_a_meeting_seeded_before_hold_both_double_encoding_uuids(
    http: ZoomHTTP,
) -> None:
    sandbox = http.sandbox
    weekly = next(
        m for m in sandbox.store.list_meetings(HOST_ID) if m["topic"] == "Weekly team sync"
    )
    listed = http.get(INSTANCES, {"meetingId": weekly["id"]}).json()["meetings"]
    uuids = {m["uuid"] for m in listed}
    assert {SPECIAL_UUIDS["leading_slash"], SPECIAL_UUIDS["double_slash"]} <= uuids
    assert len(uuids) == 4


def test_a_meeting_that_has_not_ended_has_no_instances(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    live = team_meeting(sandbox, "Incident bridge (live now)")
    assert sandbox.store.get_meeting(live)["status"] == "started"  # type: ignore[index]
    assert http.get(INSTANCES, {"meetingId": live}).json() == {"meetings": []}
    upcoming = next(
        m for m in sandbox.store.list_meetings(HOST_ID) if m["topic"] == "Quarterly planning"
    )
    assert http.get(INSTANCES, {"meetingId": upcoming["id"]}).json() == {"meetings": []}
    details = http.get(DETAILS, {"meetingId": live})
    assert details.status_code == 404
    assert details.json() == {"code": 3001, "message": f"Meeting does not exist: {live}."}


def test_unknown_meeting_and_uuid_refused(http: ZoomHTTP) -> None:
    unknown = http.get(INSTANCES, {"meetingId": 12345678901})
    assert unknown.status_code == 404
    assert unknown.json() == {"code": 3001, "message": "Meeting does not exist: 12345678901."}
    # The spec types this meetingId as an integer: instances are listed by meeting number only.
    by_uuid = http.get(INSTANCES, {"meetingId": UUIDS["standup_3_weeks_ago"]}, check_request=False)
    assert by_uuid.status_code == 400
    assert by_uuid.json()["code"] == 300


def test_instances_older_than_15_months_are_not_listed(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    standup = team_meeting(sandbox, STANDUP)
    # 15 months after the sixth-latest standup, but not after the fifth.
    oldest = parse_utc(sandbox.store.get_instance(UUIDS["standup_6_weeks_ago"])["start_time"])  # type: ignore[index]
    clock.set(oldest.replace(year=oldest.year + 1, month=oldest.month + 3) + timedelta(days=3))
    http = team_http(sandbox)
    listed = {m["uuid"] for m in http.get(INSTANCES, {"meetingId": standup}).json()["meetings"]}
    assert UUIDS["standup_6_weeks_ago"] not in listed
    assert {UUIDS[k] for k in STANDUP_KEYS} - listed == {UUIDS["standup_6_weeks_ago"]}


def test_details_by_meeting_id_are_the_latest_instance(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    standup = team_meeting(sandbox, STANDUP)
    response = http.get(DETAILS, {"meetingId": standup})
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Category"] == "Light"
    body = response.json()
    instance = sandbox.store.get_instance(UUIDS["standup_today"])
    assert instance is not None
    rows = sandbox.store.participants(instance["uuid"])
    assert body == {
        "id": standup,
        "uuid": UUIDS["standup_today"],
        "duration": 11,
        "start_time": instance["start_time"],
        "end_time": instance["end_time"],
        "host_id": "PnT4rQ8aSyeWd0LmZk3vXw",
        "dept": "Engineering",
        "participants_count": 4,
        "source": "Zoom",
        "topic": STANDUP,
        "total_minutes": round(sum(r["duration"] for r in rows) / 60),
        "type": 8,
        "user_email": "priya.natarajan@example.com",
        "user_name": "Priya Natarajan",
        # The summary is still being written, but AI Companion was on.
        "has_meeting_summary": True,
    }
    # It ended about 40 minutes before "now": Zoom is still processing it.
    ended = sandbox.clock() - parse_utc(body["end_time"])
    assert timedelta(minutes=35) < ended < timedelta(minutes=50)


@pytest.mark.parametrize(
    ("key", "joins", "has_summary"),
    [
        ("standup_last_week", 7, True),
        ("standup_2_weeks_ago", 7, True),
        ("standup_3_weeks_ago", 4, True),
        ("standup_4_weeks_ago", 6, True),
        ("standup_5_weeks_ago", 4, False),
        ("standup_6_weeks_ago", 5, True),
        ("contract_review_e2ee", 3, False),
        ("vendor_sync", 2, False),
    ],
)
def test_details_by_uuid(http: ZoomHTTP, key: str, joins: int, has_summary: bool) -> None:
    uuid = UUIDS[key]
    body = http.get(DETAILS, {"meetingId": uuid}, encode_times=times(uuid)).json()
    assert body["uuid"] == uuid
    # Zoom counts joins: someone who rejoined counts twice.
    assert body["participants_count"] == joins
    assert body["has_meeting_summary"] is has_summary
    assert body["duration"] == round(
        (parse_utc(body["end_time"]) - parse_utc(body["start_time"])).total_seconds() / 60
    )


@pytest.mark.parametrize("key", ["standup_last_week", "standup_2_weeks_ago"])
def test_single_encoding_where_double_is_needed_finds_nothing(http: ZoomHTTP, key: str) -> None:
    uuid = UUIDS[key]
    for template in (DETAILS, PARTICIPANTS):
        response = http.get(template, {"meetingId": uuid})
        assert response.status_code == 404
        assert response.json() == {"code": 3001, "message": f"Meeting does not exist: {uuid}."}
        assert http.get(template, {"meetingId": uuid}, encode_times=2).status_code == 200


def test_free_account_gets_code_200(sandbox: Sandbox) -> None:
    http = team_http(sandbox)
    sandbox.set_account_setting("paid", False)
    uuid = UUIDS["standup_3_weeks_ago"]
    details = http.get(DETAILS, {"meetingId": uuid})
    assert details.status_code == 400
    assert details.json() == {
        "code": 200,
        "message": f"Only available for paid account: {sandbox.account_id}.",
    }
    participants = http.get(PARTICIPANTS, {"meetingId": uuid})
    assert participants.status_code == 400
    assert participants.json()["code"] == 200
    # Listing instances needs no paid plan.
    assert http.get(INSTANCES, {"meetingId": team_meeting(sandbox, STANDUP)}).status_code == 200
    sandbox.set_account_setting("paid", True)
    assert http.get(DETAILS, {"meetingId": uuid}).status_code == 200


@pytest.mark.parametrize(("plan", "paid"), [("free", False), ("pro", True), ("business", True)])
def test_the_free_plan_is_not_a_paid_account(
    new_sandbox: NewSandbox, plan: str, paid: bool
) -> None:
    with new_sandbox(now=NOW, plan=plan, rate_limits=False) as sandbox:
        http = team_http(sandbox)
        uuid = UUIDS["standup_3_weeks_ago"]
        for template in (DETAILS, PARTICIPANTS, SUMMARY):
            response = http.get(template, {"meetingId": uuid})
            assert response.status_code == (200 if paid else 400), template
            if not paid:
                assert response.json()["code"] == 200
        listed = http.get(INSTANCES, {"meetingId": team_meeting(sandbox, STANDUP)})
        assert listed.status_code == 200
        # Set explicitly, the setting wins over the plan.
        sandbox.set_account_setting("paid", not paid)
        assert http.get(DETAILS, {"meetingId": uuid}).status_code == (400 if paid else 200)


def test_meetings_over_a_year_old_are_refused(sandbox: Sandbox, clock: ManualClock) -> None:
    http = team_http(sandbox)
    clock.advance(days=340)
    old = http.get(DETAILS, {"meetingId": UUIDS["standup_6_weeks_ago"]})
    assert old.status_code == 400
    assert old.json() == {"code": 12702, "message": "Cannot access a meeting a year ago."}
    people = http.get(PARTICIPANTS, {"meetingId": UUIDS["standup_6_weeks_ago"]})
    assert people.json() == {"code": 12702, "message": "Can not access a meeting a year ago."}
    assert http.get(DETAILS, {"meetingId": UUIDS["standup_today"]}).status_code == 200


def test_unknown_uuid(http: ZoomHTTP) -> None:
    response = http.get(DETAILS, {"meetingId": "AAAAAAAAAAAAAAAAAAAAAA=="})
    assert response.status_code == 404
    assert response.json()["code"] == 3001
