"""The seeded team meetings hang together: attendance, transcripts, schedule, determinism."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.sandbox.conftest import NOW, ZoomHTTP, counting_ticker
from tests.sandbox.intelligence import (
    PARTICIPANTS,
    STANDUP_KEYS,
    SUMMARY,
    UUIDS,
    at,
    module_http,
    team_http,
    team_meeting,
    times,
)
from zoom_agent_tools.sandbox import Sandbox
from zoom_agent_tools.sandbox.clock import parse_utc
from zoom_agent_tools.sandbox.downloads import iter_content
from zoom_agent_tools.sandbox.seed import HOST_ID, TEAM_HOST_ID
from zoom_agent_tools.sandbox.transcripts import cues

TEAM = {"Priya Natarajan", "Marcus Webb", "Sofia Alvarez", "Kenji Watanabe", "Lin Cohost"}


@pytest.fixture(scope="module")
def http() -> Iterator[ZoomHTTP]:
    yield from module_http()


def _people(http: ZoomHTTP, key: str) -> list[dict[str, object]]:
    uuid = UUIDS[key]
    body = http.get(PARTICIPANTS, {"meetingId": uuid}, encode_times=times(uuid)).json()
    assert body["total_records"] == len(body["participants"])
    rows: list[dict[str, object]] = body["participants"]
    return rows


def test_uuids_look_like_zoom_instance_uuids() -> None:
    for uuid in UUIDS.values():
        assert len(base64.b64decode(uuid, validate=True)) == 16
    assert UUIDS["standup_last_week"].startswith("/")
    assert "//" in UUIDS["standup_2_weeks_ago"]
    assert "+" in UUIDS["standup_3_weeks_ago"]


@pytest.mark.parametrize(
    ("key", "absent"),
    [
        ("standup_today", {"Lin Cohost"}),
        ("standup_last_week", {"Marcus Webb"}),
        ("standup_2_weeks_ago", set()),
        ("standup_3_weeks_ago", {"Sofia Alvarez", "Lin Cohost"}),
        ("standup_4_weeks_ago", set()),
        ("standup_5_weeks_ago", {"Lin Cohost"}),
        ("standup_6_weeks_ago", set()),
    ],
)
def test_who_attended_each_standup(http: ZoomHTTP, key: str, absent: set[str]) -> None:
    names = {str(row["name"]) for row in _people(http, key)}
    assert TEAM - names == absent


def test_rejoins_and_people_without_ids(http: ZoomHTTP) -> None:
    rows = _people(http, "standup_last_week")
    kenji = [r for r in rows if r["name"] == "Kenji Watanabe"]
    assert len(kenji) == 2
    assert len({r["id"] for r in kenji}) == 1
    assert len({r["user_id"] for r in kenji}) == 2  # a new per-join id on rejoining
    assert kenji[0]["leave_time"] < kenji[1]["join_time"]  # type: ignore[operator]
    jordan = [r for r in rows if r["name"] == "Jordan Lee (Contractor)"]
    assert len(jordan) == 2
    # Not signed in: no user id, no e-mail; only the name ties the two joins together.
    assert all(r["id"] == "" and r["user_email"] == "" for r in jordan)
    assert all(r["internal_user"] is False for r in jordan)
    assert jordan[0]["join_time"] > rows[0]["join_time"]  # type: ignore[operator]
    two_weeks = _people(http, "standup_2_weeks_ago")
    assert len([r for r in two_weeks if r["name"] == "Marcus Webb"]) == 2
    lin = next(r for r in two_weeks if r["name"] == "Lin Cohost")
    host = next(r for r in two_weeks if r["name"] == "Priya Natarajan")
    assert lin["leave_time"] < host["leave_time"]  # type: ignore[operator]
    deep = _people(http, "deep_dive")
    elena = [r for r in deep if r["name"] == "Elena Petrova"]
    # Signed in to another account: a user id, but Zoom hides the e-mail.
    assert len(elena) == 2
    assert all(r["id"] and r["user_email"] == "" for r in elena)
    for row in rows + two_weeks + deep:
        joined = parse_utc(str(row["join_time"]))
        assert row["duration"] == (parse_utc(str(row["leave_time"])) - joined).total_seconds()


SCRIPTED = [
    "standup_last_week",
    "standup_2_weeks_ago",
    "standup_3_weeks_ago",
    "standup_5_weeks_ago",
    "standup_6_weeks_ago",
    "deep_dive",
]


@pytest.mark.parametrize("key", SCRIPTED)
def test_people_are_in_the_meeting_while_they_speak(http: ZoomHTTP, key: str) -> None:
    sandbox = http.sandbox
    uuid = UUIDS[key]
    instance = sandbox.store.get_instance(uuid)
    recording = sandbox.store.get_recording(uuid)
    assert instance is not None
    assert recording is not None
    script = next(f["script"] for f in recording["files"] if "script" in f)
    rows = _people(http, key)
    spoken = list(cues(script))
    assert spoken
    end = parse_utc(instance["end_time"])
    for cue in spoken:
        assert at(instance["start_time"], cue.end_ms / 1000) < end
        if cue.speaker is None:
            continue
        start = at(instance["start_time"], cue.start_ms / 1000)
        stop = at(instance["start_time"], cue.end_ms / 1000)
        sessions = [
            (parse_utc(str(r["join_time"])), parse_utc(str(r["leave_time"])))
            for r in rows
            if r["name"] == cue.speaker
        ]
        # Zoom's times are whole seconds: allow one.
        second = timedelta(seconds=1)
        assert any(a <= start and stop <= b + second for a, b in sessions), (key, cue)


def test_standups_start_at_their_weekly_occurrences(http: ZoomHTTP) -> None:
    sandbox = http.sandbox
    standup = team_meeting(sandbox, "Platform team weekly standup")
    meeting = http.get(
        "/meetings/{meetingId}",
        {"meetingId": standup},
        params={"show_previous_occurrences": "true"},
    ).json()
    occurrences = [parse_utc(o["start_time"]) for o in meeting["occurrences"]]
    assert meeting["recurrence"]["type"] == 2
    for key in STANDUP_KEYS:
        instance = sandbox.store.get_instance(UUIDS[key])
        assert instance is not None
        start = parse_utc(instance["start_time"])
        assert any(timedelta(0) <= start - o < timedelta(minutes=2) for o in occurrences), key
    # The series goes on: the next standup is upcoming.
    assert any(o > sandbox.clock() for o in occurrences)


def test_team_meetings_are_not_the_default_users(sandbox: Sandbox) -> None:
    topics = {m["topic"] for m in sandbox.store.list_meetings(HOST_ID)}
    team = {m["topic"] for m in sandbox.store.list_meetings(TEAM_HOST_ID)}
    assert "Platform team weekly standup" in team
    assert not topics & team
    assert all(r["host_id"] != TEAM_HOST_ID for r in sandbox.store.list_recordings(HOST_ID))


def _fingerprint(sb: Sandbox) -> tuple[object, ...]:
    http = team_http(sb)
    uuid = UUIDS["standup_last_week"]
    recording = sb.store.get_recording(uuid)
    assert recording is not None
    files = b"".join(
        b"".join(iter_content(recording, f, 0, f["size"])) for f in recording["files"][2:]
    )
    summary = http.get(SUMMARY, {"meetingId": uuid}, encode_times=2).json()
    summary.pop("summary_doc_url")  # holds the server's port
    people = http.get(PARTICIPANTS, {"meetingId": uuid}, encode_times=2).json()
    return files, summary, people


def test_seeded_content_is_deterministic() -> None:
    with Sandbox(now=NOW, rate_ticker=counting_ticker()) as one:
        first = _fingerprint(one)
        ids = [m["id"] for m in one.store.list_meetings(TEAM_HOST_ID)]
    with Sandbox(now=NOW, rate_ticker=counting_ticker()) as two:
        assert _fingerprint(two) == first
        assert [m["id"] for m in two.store.list_meetings(TEAM_HOST_ID)] == ids
    # Another seed changes generated ids, not what was said or who was there.
    with Sandbox(now=NOW, seed="another", rate_ticker=counting_ticker()) as other:
        assert _fingerprint(other)[0] == first[0]
        assert [m["id"] for m in other.store.list_meetings(TEAM_HOST_ID)] != ids
