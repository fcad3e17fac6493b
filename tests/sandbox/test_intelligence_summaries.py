"""AI Companion summaries: the ready ones, and every state in which there is none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.sandbox.conftest import ZoomHTTP
from tests.sandbox.intelligence import (
    DETAILS,
    PARTICIPANTS,
    SUMMARY,
    UUIDS,
    module_http,
    team_http,
    team_meeting,
    times,
)
from zoom_agent_tools.sandbox import Sandbox
from zoom_agent_tools.sandbox.clock import parse_utc

READY = ["standup_last_week", "standup_2_weeks_ago", "standup_3_weeks_ago", "standup_4_weeks_ago"]


@pytest.fixture(scope="module")
def http() -> Iterator[ZoomHTTP]:
    yield from module_http()


def _summary(http: ZoomHTTP, key: str) -> requests.Response:
    uuid = UUIDS[key]
    return http.get(SUMMARY, {"meetingId": uuid}, encode_times=times(uuid))


def test_last_weeks_summary_says_what_was_decided(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    response = _summary(http, "standup_last_week")
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Category"] == "Light"
    body = response.json()
    instance = sandbox.store.get_instance(UUIDS["standup_last_week"])
    assert instance is not None
    assert body["meeting_uuid"] == UUIDS["standup_last_week"]
    assert body["meeting_id"] == team_meeting(sandbox, "Platform team weekly standup")
    assert body["meeting_host_email"] == "priya.natarajan@example.com"
    assert body["meeting_start_time"] == instance["start_time"]
    assert body["meeting_end_time"] == instance["end_time"]
    start, end = parse_utc(instance["start_time"]), parse_utc(instance["end_time"])
    assert start <= parse_utc(body["summary_start_time"]) < parse_utc(body["summary_end_time"])
    assert parse_utc(body["summary_end_time"]) <= end < parse_utc(body["summary_created_time"])
    assert body["summary_last_modified_time"] == body["summary_created_time"]
    assert "summary_last_modified_user_id" not in body
    assert "edited_summary" not in body
    content = body["summary_content"]
    sections = [line for line in content.splitlines() if line.startswith("## ")]
    assert sections == [
        "## Key takeaways",
        "## Discussed topics",
        "## Challenges",
        "## Action items",
    ]
    for decision in (
        "Billing deploys are frozen from Thursday until the cutover is verified.",
        "A weekly on-call rotation with a Monday handoff starts next Monday.",
        "The v1 webhooks will be switched off at the end of next month.",
    ):
        assert f"- {decision}" in content
    assert "- **Kenji**\n  - Write the cutover runbook by Friday" in content
    # The deprecated fields are still returned and say the same.
    assert "Marcus was absent" in body["summary_overview"]
    assert [d["label"] for d in body["summary_details"]] == [
        "Cutover readiness",
        "On-call rotation",
        "v1 webhooks deprecation",
    ]
    assert "Kenji will write the cutover runbook by Friday." in body["next_steps"]
    assert body["summary_doc_url"].startswith(sandbox.oauth_base_url + "/doc/")
    page = http.session.get(body["summary_doc_url"], timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("key", READY)
def test_everyone_with_an_action_item_attended(http: ZoomHTTP, key: str) -> None:
    body = _summary(http, key).json()
    uuid = UUIDS[key]
    people = http.get(PARTICIPANTS, {"meetingId": uuid}, encode_times=times(uuid)).json()
    names = {p["name"] for p in people["participants"]}
    owners = {step.split(" will ")[0] for step in body["next_steps"]}
    assert owners <= {name.split()[0] for name in names}
    quoted = {
        line.strip()[2:].split(": ")[0]
        for line in body["summary_content"].splitlines()
        if line.startswith("    - ") and ": " in line
    }
    assert quoted
    assert quoted <= names
    details = http.get(DETAILS, {"meetingId": uuid}, encode_times=times(uuid)).json()
    assert details["has_meeting_summary"] is True


def test_an_edited_summary(http: ZoomHTTP) -> None:
    body = _summary(http, "standup_2_weeks_ago").json()
    assert body["summary_last_modified_time"] > body["summary_created_time"]
    assert body["summary_last_modified_user_email"] == "priya.natarajan@example.com"
    edited = body["edited_summary"]
    assert "Marcus will add an alert at 80% pool usage." in edited["next_steps"]
    assert "Marcus will add an alert at 80% pool usage." not in body["next_steps"]
    assert edited["summary_overview"].startswith(body["summary_overview"])
    assert isinstance(edited["summary_details"], str)
    # summary_content is the summary as it is now: with the host's edit.
    assert "  - Add an alert at 80% pool usage" in body["summary_content"]


def test_a_meeting_nobody_recorded_still_has_a_summary(http: ZoomHTTP) -> None:
    body = _summary(http, "standup_4_weeks_ago").json()
    assert body["summary_title"] == "Migration plan approved"
    recordings = http.get(
        "/meetings/{meetingId}/recordings", {"meetingId": UUIDS["standup_4_weeks_ago"]}
    )
    assert recordings.json()["code"] == 3301


def test_the_two_hour_meeting_has_a_summary(http: ZoomHTTP) -> None:
    body = _summary(http, "deep_dive").json()
    assert body["summary_title"] == "Billing architecture deep dive"
    assert "Elena" in body["summary_content"]


@pytest.mark.parametrize(
    "key",
    [
        # Just ended: AI Companion is still writing it (has_meeting_summary is true).
        "standup_today",
        # Nobody turned AI Companion on.
        "standup_5_weeks_ago",
        # End-to-end encrypted meetings have no summaries.
        "contract_review_e2ee",
        "design_critique_silent",
    ],
)
def test_no_summary_is_zooms_3001(http: ZoomHTTP, key: str) -> None:
    response = _summary(http, key)
    assert response.status_code == 404
    assert response.json() == {
        "code": 3001,
        "message": f"Meeting does not exist: {UUIDS[key]}.",
    }


def test_summary_in_the_trash(http: ZoomHTTP) -> None:
    response = _summary(http, "standup_6_weeks_ago")
    assert response.status_code == 403
    assert response.json() == {
        "code": 2305,
        "message": "The meeting summary has been moved to Trash and cannot be accessed.",
    }


def test_hosts_with_summaries_off(sandbox: Sandbox) -> None:
    http = team_http(sandbox)
    disabled = {
        "code": 3000,
        "message": "Meeting summary disabled. To enable this feature, enable the Meeting Summary"
        " with AI Companion setting in the Zoom web portal's Settings interface.",
    }
    sam = _summary(http, "vendor_sync")
    assert sam.status_code == 400
    assert sam.json() == disabled
    sandbox.set_user_setting("priya.natarajan@example.com", "meeting_summary", False)
    assert _summary(http, "standup_last_week").json() == disabled
    sandbox.set_user_setting("PnT4rQ8aSyeWd0LmZk3vXw", "meeting_summary", True)
    assert _summary(http, "standup_last_week").status_code == 200
    # Off for the account is off for every host.
    sandbox.set_account_setting("meeting_summary", False)
    assert _summary(http, "standup_last_week").json() == disabled
    sandbox.set_account_setting("meeting_summary", True)
    assert _summary(http, "standup_last_week").status_code == 200


def test_free_accounts_have_no_summaries(sandbox: Sandbox) -> None:
    http = team_http(sandbox)
    sandbox.set_account_setting("paid", False)
    response = _summary(http, "standup_last_week")
    assert response.status_code == 400
    assert response.json() == {"code": 200, "message": "Only available for Paid account."}


def test_settings_refuse_unknown_names(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown account setting"):
        sandbox.set_account_setting("ai", False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown user setting"):
        sandbox.set_user_setting(sandbox.user_id, "paid", False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown user"):
        sandbox.set_user_setting("nobody@example.com", "meeting_summary", False)


def test_meeting_number_unknown_uuid_and_misencoded_uuid(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    number = team_meeting(sandbox, "Platform team weekly standup")
    by_number = http.get(SUMMARY, {"meetingId": number})
    assert by_number.status_code == 400
    assert by_number.json() == {"code": 300, "message": "Invalid meeting ID."}
    unknown = http.get(SUMMARY, {"meetingId": "AAAAAAAAAAAAAAAAAAAAAA=="})
    assert unknown.status_code == 404
    assert unknown.json()["code"] == 3001
    single = http.get(SUMMARY, {"meetingId": UUIDS["standup_last_week"]})
    assert single.status_code == 404
    assert single.json()["code"] == 3001


def test_an_instance_whose_host_is_gone(sandbox: Sandbox) -> None:
    instance = sandbox.store.get_instance(UUIDS["standup_3_weeks_ago"])
    assert instance is not None
    orphan = dict(instance, uuid="Zm9yZ290dGVuaG9zdHMxMg==", host_id="GoneUserId000000000000")
    sandbox.store.put_instance(orphan)
    response = team_http(sandbox).get(SUMMARY, {"meetingId": orphan["uuid"]})
    assert response.status_code == 404
    assert response.json()["code"] == 3001
