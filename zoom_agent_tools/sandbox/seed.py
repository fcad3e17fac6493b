"""Deterministic seed data: the account, its users, meetings, past meetings and recordings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from zoom_agent_tools.sandbox import meetings as meeting_objects
from zoom_agent_tools.sandbox.clock import format_utc, parse_utc
from zoom_agent_tools.sandbox.ids import IdFactory
from zoom_agent_tools.sandbox.recordings import add_processing_file, make_recording
from zoom_agent_tools.sandbox.store import Doc, Store

__all__ = [
    "DEFAULT_SCOPES",
    "HOST_EMAIL",
    "HOST_ID",
    "SPECIAL_UUIDS",
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
