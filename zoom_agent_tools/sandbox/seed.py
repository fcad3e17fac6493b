"""Deterministic seed data: the account, its users, meetings, past meetings and recordings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from zoom_agent_tools.sandbox import meetings as meeting_objects
from zoom_agent_tools.sandbox import transcripts
from zoom_agent_tools.sandbox.clock import format_utc, parse_utc
from zoom_agent_tools.sandbox.conversations import (
    ELENA,
    JORDAN,
    KENJI,
    LIN,
    MARCUS,
    PRIYA,
    SAM,
    SOFIA,
    Person,
)
from zoom_agent_tools.sandbox.ids import IdFactory
from zoom_agent_tools.sandbox.recordings import add_processing_file, make_recording
from zoom_agent_tools.sandbox.store import Doc, Store

__all__ = [
    "DEFAULT_SCOPES",
    "HOST_EMAIL",
    "HOST_ID",
    "INTELLIGENCE_UUIDS",
    "SPECIAL_UUIDS",
    "TEAM_HOST_EMAIL",
    "TEAM_HOST_ID",
    "USER_SCOPES",
    "seed_store",
]

HOST_ID = "KDcuGIm1QgePTO8WbOqwIQ"
HOST_EMAIL = "ada.host@example.com"
# Past-instance UUIDs that need double encoding in a path (leading "/", "//") or hold "+".
SPECIAL_UUIDS = {
    "leading_slash": "/9Fh2kQ0TsaPdKx7bq1Ylw==",
    "double_slash": "wQ8k//3nRYuP2cXbTz5JmA==",
    "plus_and_slash": "Zt+6/pLr2Q8mUoVhBc4kXw==",
    "slash_and_double_slash": "/Zq//8kLmR3yTn0pWcXbVw==",
}
# Server-to-Server apps hold admin-level granular scopes; user-level apps the plain ones.
DEFAULT_SCOPES = (
    "meeting:write:meeting:admin",
    "meeting:read:list_meetings:admin",
    "meeting:read:meeting:admin",
    "meeting:update:meeting:admin",
    "meeting:delete:meeting:admin",
    "meeting:read:invitation:admin",
    "cloud_recording:read:list_user_recordings:admin",
    "cloud_recording:read:list_recording_files:admin",
    "cloud_recording:delete:meeting_recording:admin",
    "cloud_recording:delete:recording_file:admin",
    "meeting:read:list_past_participants:admin",
    "meeting:read:list_past_instances:admin",
    "meeting:read:past_meeting:admin",
    "meeting:read:summary:admin",
    "cloud_recording:read:meeting_transcript:admin",
    "user:read:user:admin",
)
USER_SCOPES = tuple(scope.removesuffix(":admin") for scope in DEFAULT_SCOPES)


def _meeting(
    store: Store,
    ids: IdFactory,
    host: Doc,
    now: datetime,
    body: dict[str, Any],
    created: datetime,
    status: str = "waiting",
) -> Doc:
    # Seeded meetings may start in the past, so build them "as of" their creation time.
    meeting = meeting_objects.build_meeting(body, host, ids, created)
    meeting["status"] = status
    store.put_meeting(meeting)
    return meeting


def _participants(host: Doc, start: datetime, minutes: int, crowd: int) -> list[Doc]:
    end = start + timedelta(minutes=minutes)
    rows: list[Doc] = [
        {
            "id": host["id"],
            "name": host["display_name"],
            "user_id": "16778240",
            "user_email": host["email"],
            "join_time": format_utc(start),
            "leave_time": format_utc(end),
            "duration": minutes * 60,
            "failover": False,
            "status": "in_meeting",
            "internal_user": True,
        },
        {
            "id": "Lc7PwQ1ZRmS0Tz4nYk2aHg",
            "name": "Lin Cohost",
            "user_id": "16779264",
            "user_email": "lin.cohost@example.com",
            "join_time": format_utc(start),
            "leave_time": format_utc(start + timedelta(minutes=10)),
            "duration": 600,
            "failover": False,
            "status": "in_meeting",
            "internal_user": True,
        },
        # The same person again after rejoining: a new per-join user_id.
        {
            "id": "Lc7PwQ1ZRmS0Tz4nYk2aHg",
            "name": "Lin Cohost",
            "user_id": "16780288",
            "user_email": "lin.cohost@example.com",
            "join_time": format_utc(start + timedelta(minutes=12)),
            "leave_time": format_utc(end),
            "duration": (minutes - 12) * 60,
            "failover": True,
            "status": "in_meeting",
            "internal_user": True,
        },
        # Someone outside the account: no Zoom user id and an empty e-mail.
        {
            "id": "",
            "name": "Guest Speaker",
            "user_id": "16781312",
            "user_email": "",
            "join_time": format_utc(start + timedelta(minutes=2)),
            "leave_time": format_utc(end - timedelta(minutes=5)),
            "duration": (minutes - 7) * 60,
            "failover": False,
            "status": "in_meeting",
            "internal_user": False,
        },
        {
            "id": "",
            "name": "Late Visitor",
            "user_id": "16782336",
            "user_email": "",
            "join_time": format_utc(end - timedelta(minutes=1)),
            "leave_time": format_utc(end - timedelta(minutes=1)),
            "duration": 0,
            "failover": False,
            "status": "in_waiting_room",
            "internal_user": False,
        },
    ]
    for n in range(1, crowd + 1):
        # Joins spread over the first half of the meeting, so every duration is positive.
        joined = start + timedelta(seconds=(minutes * 30 * n) // (crowd + 1))
        rows.append(
            {
                "id": "",
                "name": f"Attendee {n:02d}",
                "user_id": str(16790000 + n),
                "user_email": f"attendee{n:02d}@example.org",
                "join_time": format_utc(joined),
                "leave_time": format_utc(end),
                "duration": int((end - joined).total_seconds()),
                "failover": False,
                "status": "in_meeting",
                "internal_user": False,
            }
        )
    return rows


def _past(
    store: Store,
    ids: IdFactory,
    account_id: str,
    host: Doc,
    meeting: Doc,
    *,
    uuid: str | None,
    start: datetime,
    minutes: int,
    crowd: int = 0,
    file_types: tuple[str, ...] | None = None,
    sizes: dict[str, int] | None = None,
) -> Doc:
    instance_uuid = uuid or ids.uuid()
    end = start + timedelta(minutes=minutes)
    store.put_instance(
        {
            "uuid": instance_uuid,
            "id": meeting["id"],
            "host_id": host["id"],
            "topic": meeting["topic"],
            "type": meeting["type"],
            "start_time": format_utc(start),
            "end_time": format_utc(end),
            "duration": minutes,
        }
    )
    store.put_participants(instance_uuid, _participants(host, start, minutes, crowd))
    kwargs: dict[str, Any] = {}
    if file_types is not None:
        kwargs["file_types"] = file_types
    recording = make_recording(
        ids,
        account_id=account_id,
        host=host,
        meeting_id=meeting["id"],
        uuid=instance_uuid,
        topic=meeting["topic"],
        meeting_type=meeting["type"],
        start=start,
        duration=minutes,
        sizes=sizes,
        **kwargs,
    )
    store.put_recording(recording)
    return recording


def seed_store(
    store: Store,
    ids: IdFactory,
    now: datetime,
    *,
    account_id: str,
    video_size: int | None = None,
) -> None:
    """Fill an empty store; the same ``now`` and seed give the same data."""
    now = now.astimezone(timezone.utc).replace(microsecond=0)
    day = now.replace(hour=0, minute=0, second=0)
    host: Doc = {
        "id": HOST_ID,
        "email": HOST_EMAIL,
        "first_name": "Ada",
        "last_name": "Host",
        "display_name": "Ada Host",
        "timezone": "America/Los_Angeles",
        "account_id": account_id,
        "type": 2,
    }
    store.put_user(host)
    store.put_user(
        {
            "id": "Lc7PwQ1ZRmS0Tz4nYk2aHg",
            "email": "lin.cohost@example.com",
            "first_name": "Lin",
            "last_name": "Cohost",
            "display_name": "Lin Cohost",
            "timezone": "Europe/Berlin",
            "account_id": account_id,
            "type": 2,
            # Her "Require a passcode when scheduling new meetings" setting is off.
            "require_passcode": False,
        }
    )
    month_ago = now - timedelta(days=30)
    weekly = _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Weekly team sync",
            "type": 8,
            "start_time": format_utc(day - timedelta(days=50)),
            "duration": 45,
            "agenda": "Status, blockers, next steps.",
            "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "2,4", "end_times": 30},
        },
        now - timedelta(days=60),
    )
    _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Quarterly planning",
            "type": 2,
            "start_time": format_utc(day + timedelta(days=1, hours=17)),
            "duration": 90,
            "agenda": "Goals for the next quarter.",
            "settings": {"waiting_room": True},
        },
        month_ago,
    )
    _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Design review",
            "type": 2,
            "start_time": format_utc(day + timedelta(days=3, hours=16)),
            "duration": 60,
            "settings": {"host_video": True, "participant_video": True, "auto_recording": "cloud"},
        },
        month_ago,
    )
    customer = _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Customer call",
            "type": 2,
            "start_time": format_utc(day - timedelta(days=2) + timedelta(hours=15)),
            "duration": 30,
        },
        month_ago,
    )
    _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Open office hours",
            "type": 3,
            "agenda": "Drop in any time.",
        },
        month_ago,
    )
    standup = _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Daily standup",
            "type": 8,
            "start_time": format_utc(day - timedelta(days=5) + timedelta(hours=16)),
            "duration": 15,
            "recurrence": {"type": 1, "repeat_interval": 1, "end_times": 20},
        },
        month_ago,
    )
    _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "All hands (live now)",
            "type": 2,
            "start_time": format_utc(now - timedelta(minutes=10)),
            "duration": 60,
        },
        now - timedelta(minutes=20),
        status="started",
    )
    _meeting(
        store,
        ids,
        host,
        now,
        {"topic": "Quick instant call", "type": 1},
        now - timedelta(minutes=5),
    )
    _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Monthly business review",
            "type": 8,
            "start_time": format_utc(day + timedelta(days=2, hours=18)),
            "duration": 60,
            "recurrence": {
                "type": 3,
                "repeat_interval": 1,
                "monthly_week": -1,
                "monthly_week_day": 6,
                "end_times": 6,
            },
        },
        month_ago,
    )
    retro = meeting_objects.build_meeting(
        {"topic": "Sprint retro", "type": 2, "duration": 40}, host, ids, now - timedelta(days=13)
    )

    sizes = {"MP4": video_size} if video_size is not None else None
    # One recording dated today (UTC), so the default recordings window is never empty.
    today_start = day + (now - day) / 2
    today_minutes = max(1, min(15, int((now - today_start).total_seconds() // 60)))
    today = _past(
        store,
        ids,
        account_id,
        host,
        standup,
        uuid=None,
        start=today_start,
        minutes=today_minutes,
        crowd=40,
        sizes=sizes,
    )
    _past(
        store,
        ids,
        account_id,
        host,
        weekly,
        uuid=SPECIAL_UUIDS["leading_slash"],
        start=day - timedelta(days=3, hours=-16),
        minutes=45,
        sizes=sizes,
    )
    _past(
        store,
        ids,
        account_id,
        host,
        customer,
        uuid=SPECIAL_UUIDS["plus_and_slash"],
        start=day - timedelta(days=2, hours=-15),
        minutes=30,
        file_types=("MP4", "CHAT"),
        sizes=sizes,
    )
    _past(
        store,
        ids,
        account_id,
        host,
        weekly,
        uuid=SPECIAL_UUIDS["double_slash"],
        start=day - timedelta(days=7, hours=-16),
        minutes=44,
        sizes=sizes,
    )
    trashed = _past(
        store,
        ids,
        account_id,
        host,
        retro,
        uuid=None,
        start=day - timedelta(days=12, hours=-17),
        minutes=40,
        file_types=("MP4", "TRANSCRIPT"),
        sizes=sizes,
    )
    trashed["trashed_at"] = format_utc(now - timedelta(days=5))
    store.put_recording(trashed)
    partly = _past(
        store,
        ids,
        account_id,
        host,
        weekly,
        uuid=None,
        start=day - timedelta(days=20, hours=-16),
        minutes=43,
        sizes=sizes,
    )
    for file in partly["files"]:
        if file["file_type"] == "M4A":
            file["trashed_at"] = format_utc(now - timedelta(days=1))
    store.put_recording(partly)
    _past(
        store,
        ids,
        account_id,
        host,
        weekly,
        uuid=None,
        start=day - timedelta(days=45, hours=-16),
        minutes=41,
        sizes=sizes,
    )
    # Zoom lists files it has not finished processing: today's meeting has a second video view
    # still being processed.
    add_processing_file(ids, today, "MP4", "gallery_view")
    store.put_recording(today)
    _seed_real_world_shapes(store, ids, account_id, host, now, day, sizes)
    _seed_meeting_intelligence(store, ids, account_id, now, day, sizes)


def _seed_real_world_shapes(
    store: Store,
    ids: IdFactory,
    account_id: str,
    host: Doc,
    now: datetime,
    day: datetime,
    sizes: dict[str, int] | None,
) -> None:
    """Shapes of real Zoom answers that the spec's examples lack.

    UUIDs that need double encoding on meetings (not only on past instances), a meeting
    without passcode keys, meetings with registration, and today's newest recording: a meeting
    that lasted under a minute, so its ``duration`` is 0.
    """
    escalation = _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Support escalation",
            "type": 2,
            "start_time": format_utc(now - timedelta(seconds=50)),
            "duration": 15,
            "default_password": False,
        },
        now - timedelta(hours=2),
    )
    # A one-off meeting's instance keeps the meeting's UUID.
    escalation["uuid"] = SPECIAL_UUIDS["slash_and_double_slash"]
    store.put_meeting(escalation)
    _held_under_a_minute(store, ids, account_id, host, escalation, seconds=40, sizes=sizes)

    onboarding = _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Customer onboarding (registration)",
            "type": 2,
            "start_time": format_utc(day + timedelta(days=4, hours=16)),
            "duration": 45,
            "settings": {"approval_type": 0, "registration_type": 1},
        },
        now - timedelta(days=3),
    )
    onboarding["uuid"] = "Kd9//t2HQ0yVbNcW1xRmPg=="
    store.put_meeting(onboarding)
    training = _meeting(
        store,
        ids,
        host,
        now,
        {
            "topic": "Partner training series (registration)",
            "type": 8,
            "start_time": format_utc(day + timedelta(days=6, hours=15)),
            "duration": 60,
            "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "5", "end_times": 4},
            "settings": {"approval_type": 1, "registration_type": 2},
        },
        now - timedelta(days=3),
    )
    training["uuid"] = "/wB7sR0dQeKx2m9TzYhLcA=="
    store.put_meeting(training)


def _held_under_a_minute(
    store: Store,
    ids: IdFactory,
    account_id: str,
    host: Doc,
    meeting: Doc,
    *,
    seconds: int,
    sizes: dict[str, int] | None,
) -> None:
    """A past instance of ``meeting`` that ended after ``seconds``, with its recording."""
    start = parse_utc(meeting["start_time"])
    # Zoom counts whole minutes, so the meeting lasted 0; its times keep the seconds.
    recording = _past(
        store,
        ids,
        account_id,
        host,
        meeting,
        uuid=meeting["uuid"],
        start=start,
        minutes=0,
        sizes=sizes,
    )
    end = format_utc(start + timedelta(seconds=seconds))
    instance = store.get_instance(meeting["uuid"])
    assert instance is not None
    store.put_instance({**instance, "end_time": end})
    only_host = {
        "id": host["id"],
        "name": host["display_name"],
        "user_id": "16783360",
        "user_email": host["email"],
        "join_time": instance["start_time"],
        "leave_time": end,
        "duration": seconds,
        "failover": False,
        "status": "in_meeting",
        "internal_user": True,
    }
    store.put_participants(meeting["uuid"], [only_host])
    for file in recording["files"]:
        file["recording_end"] = end
    # The newest recording, the one agents reach first, also has a view Zoom is still processing.
    add_processing_file(ids, recording, "MP4", "gallery_view")
    store.put_recording(recording)


# Meeting intelligence: a platform team's weekly standup, hosted by Priya, and the meetings
# around it. Each past instance shows one state the intelligence endpoints answer for.
INTELLIGENCE_UUIDS = {
    # Ended 40 minutes ago: recording and transcript still processing, summary not ready.
    "standup_today": "qR7c9TnVQ2m3xKp4Lw8ZbA==",
    # Everything ready; begins with "/", so it needs double encoding. Marcus was absent.
    "standup_last_week": "/Hk2pX9wQ0aVt6mRzN4cLQ==",
    # Everything ready; holds "//" (double encoding); the host edited the summary.
    "standup_2_weeks_ago": "Tz4m//Q8vRkC1pW7nXy3Jg==",
    # Everything ready; holds "+"; Sofia and Lin were absent.
    "standup_3_weeks_ago": "Bq9+Lw2mTnS6kYd0Vx5rEw==",
    # Never recorded (no recording, no transcript), but AI Companion summarised it.
    "standup_4_weeks_ago": "Nf3kR8sZQuG1bWm5Pq7yTA==",
    # Live captions (CC) only, no transcript; nobody turned the summary on.
    "standup_5_weeks_ago": "Jd6tY1nKRc+8vLq2Zs0wHg==",
    # Recording in the trash (transcript DELETED_OR_TRASHED), summary in the trash (2305).
    "standup_6_weeks_ago": "Ux8wC5hMTe2jPr9Kb3nDfQ==",
    # A two-hour meeting with a long generated transcript and a summary.
    "deep_dive": "Ga1sV7kPRy4dNt0Xc6mBqw==",
    # Hosted by Sam, whose audio transcripts and AI summaries are off.
    "vendor_sync": "Wm2hE9rLQx5fJk3Tn8vCzg==",
    # End-to-end encrypted: no cloud recording, no summary.
    "contract_review_e2ee": "Ck5nQ3wXSb7gHt1Vy9pLmA==",
    # Recorded, but the transcript has no data (nobody spoke).
    "design_critique_silent": "Pe0vT6jNRq3wLc8Xm2kYsA==",
    # Recorded, with a transcript Zoom does not offer for download.
    "design_critique_unsupported": "Yh4bM1cWTf9sKp6Rz0nGeQ==",
}
TEAM_HOST_ID = PRIYA.id
TEAM_HOST_EMAIL = PRIYA.email
TEAM_TIMEZONE = "America/New_York"
_VENDOR = Person("", "Alex Romero (Acme)", "Alex", "", False)
#: The latest standup ended about this long ago, so Zoom is still processing it.
_PROCESSING_FOR = timedelta(minutes=40)
#: Silence after the last words, before the host ends the meeting.
_TAIL = timedelta(seconds=45)
# Per-join participant ids, numbered as Zoom does: a base plus steps of 1024.
_JOIN_ID_BASE = 16_800_000
_JOIN_ID_STEP = 1024


def _user_doc(person: Person, account_id: str, timezone_name: str, **extra: Any) -> Doc:
    first, _, last = person.name.partition(" ")
    return {
        "id": person.id,
        "email": person.email,
        "first_name": first,
        "last_name": last,
        "display_name": person.name,
        "timezone": timezone_name,
        "account_id": account_id,
        "type": 2,
        **extra,
    }


class _Sessions:
    """Participant rows of one instance: who was there, from when to when."""

    def __init__(self, start: datetime, minutes: int) -> None:
        self.start = start
        self.end = start + timedelta(minutes=minutes)
        self.rows: list[Doc] = []

    def add(self, person: Person, joined: timedelta, left: timedelta | None = None) -> None:
        # Zoom reports whole seconds, and the duration between them.
        join = (self.start + joined).replace(microsecond=0)
        leave = (self.end if left is None else self.start + left).replace(microsecond=0)
        self.rows.append(
            {
                "id": person.id,
                "name": person.name,
                # Each join gets a new per-meeting id, also when the same person rejoins.
                "user_id": str(_JOIN_ID_BASE + _JOIN_ID_STEP * len(self.rows)),
                "user_email": person.email,
                "join_time": format_utc(join),
                "leave_time": format_utc(leave),
                "duration": int((leave - join).total_seconds()),
                "failover": False,
                "status": "in_meeting",
                "internal_user": person.internal,
            }
        )

    def arrive(self, *people: Person) -> None:
        """People who join a few seconds apart at the start and stay to the end."""
        for n, person in enumerate(people, start=len(self.rows)):
            self.add(person, timedelta(seconds=4 * n))

    def ordered(self) -> list[Doc]:
        return sorted(self.rows, key=lambda row: (row["join_time"], row["user_id"]))


@lru_cache(maxsize=16)
def _spoken(
    key: str, *, seconds: int = 3600, generated: bool = False
) -> tuple[transcripts.Cue, ...]:
    """The cues of a seeded conversation (the same in every sandbox, so kept once)."""
    return tuple(transcripts.cues(transcripts.recipe(key, seconds, generated=generated)))


def _minutes_for(talk: tuple[transcripts.Cue, ...]) -> int:
    """Whole minutes from the start to the last words plus a short tail."""
    spoken = timedelta(milliseconds=talk[-1].end_ms) + _TAIL
    return int(-(-spoken.total_seconds() // 60))


def _between_cues(
    talk: tuple[transcripts.Cue, ...], after: str, before: str
) -> tuple[timedelta, timedelta]:
    """A gap in the talk: from just after the cue holding ``after`` to just before ``before``."""
    first = next(c for c in talk if after in c.text)
    second = next(c for c in talk if before in c.text and c.start_ms > first.end_ms)
    return timedelta(milliseconds=first.end_ms + 500), timedelta(milliseconds=second.start_ms - 500)


def _quiet_stretch(
    talk: tuple[transcripts.Cue, ...], person: Person
) -> tuple[timedelta, timedelta]:
    """The middle third of the longest silence between two cues of ``person``."""
    said = [c for c in talk if c.speaker == person.name]
    before, after = max(pairwise(said), key=lambda pair: pair[1].start_ms - pair[0].end_ms)
    third = (after.start_ms - before.end_ms) // 3
    return (
        timedelta(milliseconds=before.end_ms + third),
        timedelta(milliseconds=after.start_ms - third),
    )


def _first_words(talk: tuple[transcripts.Cue, ...], person: Person) -> timedelta:
    return timedelta(milliseconds=next(c for c in talk if c.speaker == person.name).start_ms)


def _last_words(talk: tuple[transcripts.Cue, ...], person: Person) -> timedelta:
    said = [c for c in talk if c.speaker == person.name]
    return timedelta(milliseconds=said[-1].end_ms)


class _TeamSeeder:
    """Stores past instances (participants, recording, transcript, summary) of team meetings."""

    def __init__(
        self, store: Store, ids: IdFactory, account_id: str, sizes: dict[str, int] | None
    ) -> None:
        self.store, self.ids, self.account_id, self.sizes = store, ids, account_id, sizes

    def instance(
        self,
        host: Doc,
        meeting: Doc,
        key: str,
        sessions: _Sessions,
        *,
        file_types: tuple[str, ...] = (),
        processing: tuple[tuple[str, str], ...] = (),
        script: Doc | None = None,
        extra: Doc | None = None,
    ) -> Doc | None:
        """The instance named ``INTELLIGENCE_UUIDS[key]``; recorded if it has ``file_types``
        or ``processing`` files ((file type, recording type) pairs Zoom is still processing)."""
        uuid = INTELLIGENCE_UUIDS[key]
        minutes = int((sessions.end - sessions.start).total_seconds() // 60)
        self.store.put_instance(
            {
                "uuid": uuid,
                "id": meeting["id"],
                "host_id": host["id"],
                "topic": meeting["topic"],
                "type": meeting["type"],
                "start_time": format_utc(sessions.start),
                "end_time": format_utc(sessions.end),
                "duration": minutes,
                **(extra or {}),
            }
        )
        self.store.put_participants(uuid, sessions.ordered())
        if not file_types and not processing:
            return None
        recording = make_recording(
            self.ids,
            account_id=self.account_id,
            host=host,
            meeting_id=meeting["id"],
            uuid=uuid,
            topic=meeting["topic"],
            meeting_type=meeting["type"],
            start=sessions.start,
            duration=minutes,
            file_types=file_types,
            sizes=self.sizes,
        )
        for kind, recording_type in processing:
            add_processing_file(self.ids, recording, kind, recording_type)
        if script is not None:
            transcripts.attach_script(recording, script)
        self.store.put_recording(recording)
        return recording


def _ready(conversation: str) -> Doc:
    return {"summary": {"state": "ready", "conversation": conversation}}


def _seed_meeting_intelligence(
    store: Store,
    ids: IdFactory,
    account_id: str,
    now: datetime,
    day: datetime,
    sizes: dict[str, int] | None,
) -> None:
    """Past instances, transcripts, AI summaries and attendance for the intelligence tools."""
    priya = _user_doc(PRIYA, account_id, TEAM_TIMEZONE, dept="Engineering")
    store.put_user(priya)
    for person in (MARCUS, SOFIA, KENJI):
        store.put_user(_user_doc(person, account_id, TEAM_TIMEZONE, dept="Engineering"))
    sam = _user_doc(SAM, account_id, "Europe/London", dept="Procurement")
    sam["settings"] = {"audio_transcript": False, "meeting_summary": False}
    store.put_user(sam)
    seeder = _TeamSeeder(store, ids, account_id, sizes)

    # The weekly standup. Its latest instance ended about 40 minutes ago; the series goes on.
    zone = ZoneInfo(TEAM_TIMEZONE)
    latest = (now - _PROCESSING_FOR - timedelta(minutes=15)).astimezone(zone)
    latest = latest.replace(minute=latest.minute - latest.minute % 5, second=0)
    first = datetime.combine(latest.date() - timedelta(weeks=6), latest.timetz())
    standup = _meeting(
        store,
        ids,
        priya,
        now,
        {
            "topic": "Platform team weekly standup",
            "type": 8,
            "start_time": format_utc(first),
            "duration": 15,
            "timezone": TEAM_TIMEZONE,
            "agenda": "Updates, blockers, decisions.",
            "recurrence": {
                "type": 2,
                "repeat_interval": 1,
                "weekly_days": str((first.weekday() + 1) % 7 + 1),
                "end_times": 20,
            },
        },
        first - timedelta(days=3),
    )
    scheduled = [parse_utc(o["start_time"]) for o in standup["occurrences"][:7]]

    def week(weeks_ago: int, minutes: int, late_seconds: int) -> _Sessions:
        return _Sessions(scheduled[6 - weeks_ago] + timedelta(seconds=late_seconds), minutes)

    # Today: it just ended; Zoom is still processing the recording and writing the summary.
    people = week(0, 11, 50)
    people.arrive(PRIYA, SOFIA, KENJI, MARCUS)
    seeder.instance(
        priya,
        standup,
        "standup_today",
        people,
        processing=(
            ("MP4", "shared_screen_with_speaker_view"),
            ("M4A", "audio_only"),
            ("TRANSCRIPT", "audio_transcript"),
        ),
        extra={"summary": {"state": "generating"}},
    )

    # Last week: Marcus was out sick, Kenji's network dropped once, Jordan came late and rejoined.
    talk = _spoken("standup-last-week")
    minutes = _minutes_for(talk)
    people = week(1, minutes, 35)
    kenji_away = _between_cues(talk, "reopen writes", "I'd say yes")
    jordan_away = _between_cues(talk, "Sounds reasonable", "Jordan, please send")
    people.arrive(PRIYA)
    people.add(KENJI, timedelta(seconds=4), kenji_away[0])
    people.arrive(SOFIA, LIN)
    people.add(KENJI, kenji_away[1])
    people.add(JORDAN, _first_words(talk, JORDAN) - timedelta(seconds=20), jordan_away[0])
    people.add(JORDAN, jordan_away[1])
    seeder.instance(
        priya,
        standup,
        "standup_last_week",
        people,
        file_types=("MP4", "M4A", "TRANSCRIPT", "CC"),
        script=transcripts.recipe("standup-last-week", minutes * 60),
        extra=_ready("standup-last-week"),
    )

    # Two weeks ago: Marcus's VPN dropped him for a moment; Lin left early.
    talk = _spoken("standup-2-weeks-ago")
    minutes = _minutes_for(talk)
    people = week(2, minutes, 20)
    marcus_away = _between_cues(talk, "Works for me", "Sorry, my VPN")
    people.arrive(PRIYA)
    people.add(MARCUS, timedelta(seconds=4), marcus_away[0])
    people.arrive(JORDAN, KENJI, SOFIA)
    people.add(LIN, timedelta(seconds=20), _last_words(talk, LIN) + timedelta(seconds=10))
    people.add(MARCUS, marcus_away[1])
    seeder.instance(
        priya,
        standup,
        "standup_2_weeks_ago",
        people,
        file_types=("MP4", "M4A", "TRANSCRIPT"),
        script=transcripts.recipe("standup-2-weeks-ago", minutes * 60),
        extra=_ready("standup-2-weeks-ago"),
    )

    # Three weeks ago: Sofia on vacation, Lin at a conference.
    talk = _spoken("standup-3-weeks-ago")
    minutes = _minutes_for(talk)
    people = week(3, minutes, 65)
    people.arrive(PRIYA, JORDAN, MARCUS, KENJI)
    seeder.instance(
        priya,
        standup,
        "standup_3_weeks_ago",
        people,
        file_types=("MP4", "M4A", "TRANSCRIPT", "CC"),
        script=transcripts.recipe("standup-3-weeks-ago", minutes * 60),
        extra=_ready("standup-3-weeks-ago"),
    )

    # Four weeks ago: nobody recorded; AI Companion still wrote a summary.
    people = week(4, 9, 40)
    people.arrive(PRIYA, MARCUS, KENJI, SOFIA, LIN, JORDAN)
    seeder.instance(
        priya, standup, "standup_4_weeks_ago", people, extra=_ready("standup-4-weeks-ago")
    )

    # Five weeks ago: only live captions were saved; no summary.
    talk = _spoken("standup-5-weeks-ago")
    minutes = _minutes_for(talk)
    people = week(5, minutes, 15)
    people.arrive(PRIYA, SOFIA, KENJI, MARCUS)
    seeder.instance(
        priya,
        standup,
        "standup_5_weeks_ago",
        people,
        file_types=("MP4", "M4A", "CC"),
        script=transcripts.recipe("standup-5-weeks-ago", minutes * 60),
    )

    # Six weeks ago: the host moved the recording and the summary to the trash.
    talk = _spoken("standup-6-weeks-ago")
    minutes = _minutes_for(talk)
    people = week(6, minutes, 30)
    people.arrive(PRIYA, MARCUS, KENJI, SOFIA, LIN)
    trashed = seeder.instance(
        priya,
        standup,
        "standup_6_weeks_ago",
        people,
        file_types=("MP4", "M4A", "TRANSCRIPT"),
        script=transcripts.recipe("standup-6-weeks-ago", minutes * 60),
        extra={"summary": {"state": "trashed"}},
    )
    assert trashed is not None
    trashed["trashed_at"] = format_utc(now - timedelta(days=2))
    store.put_recording(trashed)

    _seed_other_team_meetings(store, ids, seeder, priya, sam, now, day)


def _seed_other_team_meetings(
    store: Store,
    ids: IdFactory,
    seeder: _TeamSeeder,
    priya: Doc,
    sam: Doc,
    now: datetime,
    day: datetime,
) -> None:
    """A two-hour deep dive, Sam's vendor call, an E2EE meeting, design critiques, a live call."""
    minutes = 120
    start = day - timedelta(days=6) + timedelta(hours=15, seconds=95)
    deep_dive = _meeting(
        store,
        ids,
        priya,
        now,
        {
            "topic": "Billing architecture deep dive",
            "type": 2,
            "start_time": format_utc(start),
            "duration": minutes,
            "timezone": TEAM_TIMEZONE,
        },
        start - timedelta(days=10),
    )
    talk = _spoken("deep-dive", seconds=minutes * 60, generated=True)
    elena_away = _quiet_stretch(talk, ELENA)
    people = _Sessions(start, minutes)
    people.arrive(PRIYA, MARCUS, KENJI, SOFIA)
    people.add(ELENA, timedelta(seconds=30), elena_away[0])
    people.add(ELENA, elena_away[1])
    seeder.instance(
        priya,
        deep_dive,
        "deep_dive",
        people,
        file_types=("MP4", "M4A", "TRANSCRIPT", "CC"),
        script=transcripts.recipe("deep-dive", minutes * 60, generated=True),
        extra=_ready("deep-dive"),
    )

    start = day - timedelta(days=2) + timedelta(hours=14, seconds=12)
    vendor = _meeting(
        store,
        ids,
        sam,
        now,
        {"topic": "Acme vendor sync", "type": 2, "start_time": format_utc(start), "duration": 30},
        start - timedelta(days=5),
    )
    people = _Sessions(start, 27)
    people.arrive(SAM, _VENDOR)
    # Sam's "Create audio transcript" setting is off: the recording has no transcript.
    seeder.instance(sam, vendor, "vendor_sync", people, file_types=("MP4", "M4A"))

    start = day - timedelta(days=9) + timedelta(hours=18, seconds=40)
    contract = _meeting(
        store,
        ids,
        priya,
        now,
        {
            "topic": "Contract review (end-to-end encrypted)",
            "type": 2,
            "start_time": format_utc(start),
            "duration": 45,
            "settings": {"encryption_type": "e2ee"},
        },
        start - timedelta(days=4),
    )
    people = _Sessions(start, 41)
    people.arrive(PRIYA, KENJI, LIN)
    # End-to-end encryption rules out cloud recording and AI Companion summaries.
    seeder.instance(priya, contract, "contract_review_e2ee", people)

    critique = _meeting(
        store,
        ids,
        priya,
        now,
        {"topic": "Design critique", "type": 3, "agenda": "Walkthroughs of design work."},
        day - timedelta(days=40),
    )
    people = _Sessions(day - timedelta(days=4) + timedelta(hours=19, seconds=25), 12)
    people.arrive(PRIYA, SOFIA)
    seeder.instance(
        priya,
        critique,
        "design_critique_silent",
        people,
        file_types=("MP4", "M4A"),
        extra={"transcript": transcripts.NO_TRANSCRIPT_DATA},
    )
    people = _Sessions(day - timedelta(days=18) + timedelta(hours=19, seconds=5), 34)
    people.arrive(PRIYA, SOFIA, MARCUS)
    seeder.instance(
        priya,
        critique,
        "design_critique_unsupported",
        people,
        file_types=("MP4", "M4A"),
        extra={"transcript": transcripts.UNSUPPORTED},
    )

    # Live right now: no ended instance yet.
    _meeting(
        store,
        ids,
        priya,
        now,
        {
            "topic": "Incident bridge (live now)",
            "type": 2,
            "start_time": format_utc(now - timedelta(minutes=25)),
            "duration": 60,
        },
        now - timedelta(minutes=30),
        status="started",
    )
