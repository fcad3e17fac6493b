"""Meeting objects: validating create/update bodies, storing them, rendering Zoom's JSON."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zoom_agent_tools.sandbox import limits, recurrence
from zoom_agent_tools.sandbox.clock import format_utc, parse_utc
from zoom_agent_tools.sandbox.errors import ZoomAPIError
from zoom_agent_tools.sandbox.fields import InvalidField, choice, text, whole_number
from zoom_agent_tools.sandbox.ids import IdFactory, b64url
from zoom_agent_tools.sandbox.store import Doc

__all__ = [
    "OCCURRENCE_FIELDS",
    "apply_update",
    "build_meeting",
    "invitation",
    "list_item",
    "listed_under",
    "registration_url",
    "render_meeting",
]

OCCURRENCE_FIELDS = ("agenda", "start_time", "duration")
OCCURRENCE_SETTINGS = (
    "host_video",
    "participant_video",
    "join_before_host",
    "mute_upon_entry",
    "waiting_room",
    "watermark",
    "auto_recording",
)
_PASSWORD_CHARACTERS = re.compile(r"^[A-Za-z0-9!@#$%^&*_\-]*$")

SETTINGS_DEFAULTS: dict[str, Any] = {
    "host_video": False,
    "participant_video": False,
    "cn_meeting": False,
    "in_meeting": False,
    "join_before_host": False,
    "jbh_time": 0,
    "mute_upon_entry": False,
    "watermark": False,
    "use_pmi": False,
    "approval_type": 2,
    "audio": "both",
    "auto_recording": "none",
    "enforce_login": False,
    "enforce_login_domains": "",
    "alternative_hosts": "",
    "alternative_hosts_email_notification": True,
    "close_registration": False,
    "show_share_button": False,
    "allow_multiple_devices": False,
    "registrants_confirmation_email": True,
    "waiting_room": False,
    "request_permission_to_unmute_participants": False,
    "global_dial_in_countries": ["US"],
    "global_dial_in_numbers": [
        {
            "country_name": "US",
            "city": "San Jose",
            "number": "+1 555 0100 101",
            "type": "toll",
            "country": "US",
        },
        {
            "country_name": "US",
            "city": "New York",
            "number": "+1 555 0100 202",
            "type": "toll",
            "country": "US",
        },
    ],
    "registrants_email_notification": True,
    "meeting_authentication": False,
    "encryption_type": "enhanced_encryption",
    "approved_or_denied_countries_or_regions": {"enable": False},
    "breakout_room": {"enable": False},
    "internal_meeting": False,
    "continuous_meeting_chat": {"enable": False, "auto_add_invited_external_users": False},
    "participant_focused_meeting": False,
    "push_change_to_calendar": False,
    "resources": [],
    "auto_start_meeting_summary": False,
    "auto_start_ai_companion_questions": False,
    "device_testing": False,
    "email_notification": True,
    "focus_mode": False,
    "private_meeting": False,
    "host_save_video_order": False,
    "sign_language_interpretation": {"enable": False},
    "email_in_attendee_report": False,
}
_BOOL_SETTINGS = frozenset(
    [k for k, v in SETTINGS_DEFAULTS.items() if isinstance(v, bool)]
    + ["disable_participant_video", "show_join_info", "alternative_host_update_polls"]
)
_STR_SETTINGS = frozenset(
    {
        "alternative_hosts",
        "enforce_login_domains",
        "authentication_option",
        "authentication_domains",
        "authentication_name",
        "contact_name",
        "contact_email",
        "audio_conference_info",
        "summary_template_id",
    }
)
# Objects and lists the sandbox keeps as given: it does not model what is inside them.
_DICT_SETTINGS = frozenset(
    {
        "waiting_room_options",
        "continuous_meeting_chat",
        "approved_or_denied_countries_or_regions",
        "breakout_room",
        "language_interpretation",
        "sign_language_interpretation",
        "question_and_answer",
        "auto_add_recording_to_video_management",
    }
)
_LIST_SETTINGS = frozenset(
    {
        "meeting_invitees",
        "global_dial_in_countries",
        "custom_keys",
        "authentication_exception",
        "resources",
    }
)

_KNOWN_SETTINGS = (
    _BOOL_SETTINGS
    | _STR_SETTINGS
    | _DICT_SETTINGS
    | _LIST_SETTINGS
    | frozenset(limits.SETTING_CHOICES)
)


def _setting(key: str, value: Any) -> Any:
    """The checked value of a setting the sandbox knows (raises InvalidField)."""
    field = f"settings.{key}"
    if key in limits.SETTING_CHOICES:
        return choice(value, field, limits.SETTING_CHOICES[key])
    if key in _STR_SETTINGS:
        return text(value, field, limits.SETTING_MAX_LENGTHS.get(key))
    kind = bool if key in _BOOL_SETTINGS else dict if key in _DICT_SETTINGS else list
    if not isinstance(value, kind):
        raise InvalidField(field)
    return value


def _check_settings(raw: Any, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Validated settings the client sent; unknown keys are dropped, as Zoom ignores them."""
    if not isinstance(raw, dict):
        raise InvalidField("settings")
    return {
        key: _setting(key, value)
        for key, value in raw.items()
        if key in _KNOWN_SETTINGS and (allowed is None or key in allowed)
    }


def _merge_settings(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(current)
    merged.update(changes)
    if merged.get("waiting_room"):
        # Zoom turns join-before-host off whenever the waiting room is on.
        merged["join_before_host"] = False
    return merged


def _zone(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise InvalidField("timezone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidField("timezone") from None
    return name


def _start(raw: Any, zone: str, now: datetime) -> datetime:
    """Zoom's rule: ``...Z`` is UTC, no offset means local time in ``zone``; past means now."""
    if not isinstance(raw, str):
        raise InvalidField("start_time")
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField("start_time") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    value = value.astimezone(timezone.utc).replace(microsecond=0)
    return max(value, now.replace(microsecond=0))


def _duration(body: dict[str, Any]) -> int:
    return whole_number(body["duration"], "duration", limits.DURATION_MIN, limits.DURATION_MAX)


def _password(body: dict[str, Any]) -> str:
    """The passcode a body sets; an empty one removes the passcode."""
    password = text(body["password"], "password", limits.PASSWORD_MAX_LENGTH)
    if not _PASSWORD_CHARACTERS.match(password):
        raise InvalidField("password")
    return password


def _set_password(meeting: Doc, password: str, ids: IdFactory) -> None:
    if not password:
        for key in ("password", "h323_password", "pstn_password", "encrypted_password"):
            meeting.pop(key, None)
        return
    meeting["password"] = password
    numeric = "".join(str(ord(ch) % 10) for ch in password)
    meeting["h323_password"] = numeric
    meeting["pstn_password"] = numeric
    meeting["encrypted_password"] = ids.opaque("encrypted-password", 24)


def _regenerate_occurrences(meeting: Doc) -> None:
    if meeting["type"] != 8 or "recurrence" not in meeting:
        meeting.pop("occurrences", None)
        return
    starts = recurrence.generate(
        parse_utc(meeting["start_time"]), meeting["timezone"], meeting["recurrence"]
    )
    meeting["occurrences"] = [
        {
            "occurrence_id": str(int(start.timestamp() * 1000)),
            "start_time": format_utc(start),
            "duration": meeting["duration"],
            "status": "available",
        }
        for start in starts
    ]
    if starts:
        meeting["start_time"] = format_utc(starts[0])


def build_meeting(body: Any, host: Doc, ids: IdFactory, now: datetime) -> Doc:
    """A new stored meeting from a create request body (raises InvalidField/ZoomAPIError)."""
    if not isinstance(body, dict):
        raise ZoomAPIError(400, 300, "Request Body should be a valid JSON object.")
    kind = choice(body.get("type", limits.DEFAULT_MEETING_TYPE), "type", limits.MEETING_TYPES)
    schedule_for = body.get("schedule_for")
    if schedule_for not in (None, "", host["id"], host["email"]):
        if kind == 1:
            raise ZoomAPIError(
                400, 3000, "Instant meetings do not support the schedule_for parameter."
            )
        raise ZoomAPIError(400, 3000, f"You cannot schedule a meeting for {schedule_for}")
    zone = _zone(body["timezone"]) if "timezone" in body else host["timezone"]
    meeting: Doc = {
        "uuid": ids.uuid(),
        "id": ids.meeting_id(),
        "host_id": host["id"],
        "host_email": host["email"],
        "topic": text(body["topic"], "topic", limits.TOPIC_MAX_LENGTH)
        if "topic" in body
        else "Zoom Meeting",
        "type": kind,
        "status": "waiting",
        "duration": _duration(body) if "duration" in body else limits.DEFAULT_DURATION,
        "timezone": zone,
        "created_at": format_utc(now),
        "zak": ids.jwt("zak", {"aud": "clientsm", "uid": host["id"], "iat": int(now.timestamp())}),
        "pre_schedule": bool(body.get("pre_schedule", False)) if kind in (2, 3) else False,
        "creation_source": "open_api",
    }
    if kind in (2, 8, 10):
        raw_start = body.get("start_time")
        meeting["start_time"] = format_utc(
            _start(raw_start, zone, now) if raw_start is not None else now
        )
    elif kind == 1:
        meeting["start_time"] = format_utc(now)
    if "agenda" in body:
        meeting["agenda"] = text(body["agenda"], "agenda", limits.AGENDA_MAX_LENGTH)
    if "password" in body:
        password = _password(body)
    elif body.get("default_password", True) is False or not host.get("require_passcode", True):
        # Zoom generates a passcode only under the user's "Require a passcode" setting.
        password = ""
    else:
        password = ids.text("password", 6)
    _set_password(meeting, password, ids)
    settings = _check_settings(body.get("settings", {}))
    meeting["settings"] = _merge_settings(SETTINGS_DEFAULTS, settings)
    if "tracking_fields" in body:
        fields = body["tracking_fields"]
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("field"), str) for f in fields
        ):
            raise InvalidField("tracking_fields")
        meeting["tracking_fields"] = [
            {"field": f["field"], "value": str(f.get("value", "")), "visible": True} for f in fields
        ]
    if kind == 8:
        if "recurrence" not in body:
            raise InvalidField("recurrence")
        meeting["recurrence"] = recurrence.normalize(body["recurrence"])
        _regenerate_occurrences(meeting)
    elif kind == 3 and "recurrence" in body:
        meeting["recurrence"] = recurrence.normalize(body["recurrence"])
    return meeting


def _find_occurrence(meeting: Doc, occurrence_id: str) -> Doc:
    for occurrence in meeting.get("occurrences", []):
        if occurrence["occurrence_id"] == occurrence_id:
            found: Doc = occurrence
            return found
    raise ZoomAPIError(400, 300, "Invalid parameter: occurrence_id.")


def apply_update(
    meeting: Doc, body: Any, occurrence_id: str | None, ids: IdFactory, now: datetime
) -> Doc:
    """Apply a PATCH body to a stored meeting and return the new document."""
    if not isinstance(body, dict):
        raise ZoomAPIError(400, 300, "Request Body should be a valid JSON object.")
    updated: Doc = dict(meeting)
    if occurrence_id is not None:
        occurrence = _find_occurrence(updated, occurrence_id)
        # With occurrence_id Zoom only changes agenda, start_time, duration and a few settings.
        if "agenda" in body:
            occurrence["agenda"] = text(body["agenda"], "agenda", limits.AGENDA_MAX_LENGTH)
        if "duration" in body:
            occurrence["duration"] = _duration(body)
        if "start_time" in body:
            start = _start(body["start_time"], updated["timezone"], now)
            if start > now:
                occurrence["start_time"] = format_utc(start)
                occurrence["occurrence_id"] = str(int(start.timestamp() * 1000))
        if "settings" in body:
            changes = _check_settings(body["settings"], OCCURRENCE_SETTINGS)
            occurrence["settings"] = {**occurrence.get("settings", {}), **changes}
        return updated

    kind = choice(body.get("type", updated["type"]), "type", limits.MEETING_TYPES)
    if "timezone" in body:
        updated["timezone"] = _zone(body["timezone"])
    if "topic" in body:
        updated["topic"] = text(body["topic"], "topic", limits.TOPIC_MAX_LENGTH)
    if "agenda" in body:
        updated["agenda"] = text(body["agenda"], "agenda", limits.AGENDA_MAX_LENGTH)
    if "duration" in body:
        updated["duration"] = _duration(body)
    if "password" in body:
        _set_password(updated, _password(body), ids)
    if "settings" in body:
        updated["settings"] = _merge_settings(
            updated["settings"], _check_settings(body["settings"])
        )
    if "pre_schedule" in body and isinstance(body["pre_schedule"], bool):
        if body["pre_schedule"] and kind not in (2, 3):
            raise ZoomAPIError(
                400,
                3000,
                "Prescheduling is only available for scheduled meetings (type 2) and "
                "recurring meetings with no fixed time (type 3).",
            )
        updated["pre_schedule"] = body["pre_schedule"]
    reschedule = False
    if "start_time" in body and kind in (2, 8, 10):
        start = _start(body["start_time"], updated["timezone"], now)
        # Zoom ignores a start_time that is not in the future.
        if start > now:
            updated["start_time"] = format_utc(start)
            reschedule = True
    if kind != updated["type"]:
        reschedule = True
        if kind in (2, 8, 10) and "start_time" not in updated:
            updated["start_time"] = format_utc(now)
        if kind == 3:
            updated.pop("start_time", None)
        updated["type"] = kind
    if "recurrence" in body and kind in (3, 8):
        updated["recurrence"] = recurrence.normalize(body["recurrence"])
        reschedule = True
    if kind == 8 and "recurrence" not in updated:
        raise InvalidField("recurrence")
    if kind not in (3, 8):
        updated.pop("recurrence", None)
    if reschedule or "duration" in body or "timezone" in body:
        if kind == 8:
            _regenerate_occurrences(updated)
        else:
            updated.pop("occurrences", None)
    return updated


def _visible_occurrences(meeting: Doc, now: datetime, show_previous: bool) -> list[Doc]:
    out = []
    for occurrence in meeting.get("occurrences", []):
        end = parse_utc(occurrence["start_time"]) + timedelta(minutes=occurrence["duration"])
        if show_previous or end >= now:
            out.append(
                {
                    "occurrence_id": occurrence["occurrence_id"],
                    "start_time": occurrence["start_time"],
                    "duration": occurrence["duration"],
                    "status": occurrence["status"],
                }
            )
    return out


def _next_start(meeting: Doc, now: datetime) -> str | None:
    """For a recurring meeting, the next available occurrence (else the last one)."""
    occurrences = [o for o in meeting.get("occurrences", []) if o["status"] == "available"]
    for occurrence in occurrences:
        end = parse_utc(occurrence["start_time"]) + timedelta(minutes=occurrence["duration"])
        if end >= now:
            return str(occurrence["start_time"])
    if occurrences:
        return str(occurrences[-1]["start_time"])
    start = meeting.get("start_time")
    return str(start) if start else None


def registration_url(meeting: Doc, base_url: str) -> str | None:
    """Where people register, for a meeting with registration (approval_type 0 or 1)."""
    if meeting["settings"].get("approval_type") not in (0, 1):
        return None
    key = b64url(hashlib.sha256(f"register:{meeting['uuid']}".encode()).digest()[:27])
    return f"{base_url}/meeting/register/{key}"


def join_url(meeting: Doc, base_url: str) -> str:
    url = f"{base_url}/j/{meeting['id']}"
    if meeting.get("encrypted_password"):
        url += f"?pwd={meeting['encrypted_password']}"
    return url


def render_meeting(
    meeting: Doc,
    base_url: str,
    now: datetime,
    *,
    occurrence_id: str | None = None,
    show_previous: bool = False,
    for_get: bool = True,
) -> dict[str, Any]:
    """Zoom's meeting object (create response when ``for_get`` is False, else Get meeting)."""
    out: dict[str, Any] = {
        "uuid": meeting["uuid"],
        "id": meeting["id"],
        "host_id": meeting["host_id"],
        "host_email": meeting["host_email"],
        "topic": meeting["topic"],
        "type": meeting["type"],
        "status": meeting["status"],
    }
    settings = dict(meeting["settings"])
    agenda = meeting.get("agenda")
    if meeting["type"] == 8:
        out["start_time"] = _next_start(meeting, now)
        out["duration"] = meeting["duration"]
    elif meeting["type"] != 1 or not for_get:
        if "start_time" in meeting:
            out["start_time"] = meeting["start_time"]
        out["duration"] = meeting["duration"]
    if occurrence_id is not None:
        occurrence = _find_occurrence(meeting, occurrence_id)
        out["start_time"] = occurrence["start_time"]
        out["duration"] = occurrence["duration"]
        agenda = occurrence.get("agenda", agenda)
        settings.update(occurrence.get("settings", {}))
    if out.get("start_time") is None:
        out.pop("start_time", None)
    out["timezone"] = meeting["timezone"]
    if agenda:
        out["agenda"] = agenda
    out["created_at"] = meeting["created_at"]
    out["start_url"] = f"{base_url}/s/{meeting['id']}?zak={meeting['zak']}"
    out["join_url"] = join_url(meeting, base_url)
    registration = registration_url(meeting, base_url)
    if registration is not None:
        out["registration_url"] = registration
    for key in ("password", "h323_password", "pstn_password", "encrypted_password"):
        if key in meeting:
            out[key] = meeting[key]
    if meeting["type"] == 8:
        out["occurrences"] = _visible_occurrences(
            meeting, now, show_previous or occurrence_id is not None
        )
    if "recurrence" in meeting:
        out["recurrence"] = dict(meeting["recurrence"])
    out["settings"] = settings
    out["pre_schedule"] = meeting.get("pre_schedule", False)
    if meeting.get("tracking_fields"):
        out["tracking_fields"] = meeting["tracking_fields"]
    out["creation_source"] = meeting.get("creation_source", "open_api")
    return out


def _end(meeting: Doc) -> datetime | None:
    """When the meeting (series) ends; None when it never does (type 3)."""
    if meeting["type"] == 8:
        available = [o for o in meeting.get("occurrences", []) if o["status"] == "available"]
        if not available:
            return None
        last = available[-1]
        return parse_utc(last["start_time"]) + timedelta(minutes=last["duration"])
    if meeting["type"] == 3 or "start_time" not in meeting:
        return None
    return parse_utc(meeting["start_time"]) + timedelta(minutes=meeting["duration"])


def listed_under(meeting: Doc, kind: str, now: datetime) -> bool:
    """Whether List meetings with ``type=kind`` shows this meeting (instant ones never)."""
    if meeting["type"] == 1:
        return False
    live: bool = meeting["status"] == "started"
    end = _end(meeting)
    if kind == "live":
        return bool(live)
    if kind in ("upcoming", "upcoming_meetings"):
        return live or end is None or end >= now
    if kind == "previous_meetings":
        return not live and end is not None and now - limits.PREVIOUS_MEETINGS_WINDOW <= end < now
    return end is None or end >= now - limits.RECENT_MEETINGS_WINDOW


def list_item(meeting: Doc, base_url: str, now: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uuid": meeting["uuid"],
        "id": meeting["id"],
        "host_id": meeting["host_id"],
        "topic": meeting["topic"],
        "type": meeting["type"],
    }
    start = _next_start(meeting, now) if meeting["type"] == 8 else meeting.get("start_time")
    if start and meeting["type"] != 3:
        out["start_time"] = start
    out["duration"] = meeting["duration"]
    out["timezone"] = meeting["timezone"]
    if meeting.get("agenda"):
        out["agenda"] = meeting["agenda"][: limits.LIST_AGENDA_LENGTH]
    out["created_at"] = meeting["created_at"]
    out["join_url"] = join_url(meeting, base_url)
    return out


def list_sort_key(meeting: Doc, now: datetime) -> tuple[str, int]:
    start = _next_start(meeting, now) if meeting["type"] == 8 else meeting.get("start_time")
    return (start or meeting["created_at"], int(meeting["id"]))


def format_meeting_number(meeting_id: int) -> str:
    """``812 3456 7890`` style, as Zoom prints meeting numbers."""
    digits = str(meeting_id)
    if len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if len(digits) >= 10:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def invitation(meeting: Doc, host: Doc, base_url: str, now: datetime) -> dict[str, Any]:
    """The Get meeting invitation answer: plain-text invite plus SIP links."""
    number = format_meeting_number(int(meeting["id"]))
    lines = [f"{host['display_name']} is inviting you to a scheduled Zoom meeting.", ""]
    lines.append(f"Topic: {meeting['topic']}")
    start = _next_start(meeting, now) if meeting["type"] == 8 else meeting.get("start_time")
    if start and meeting["type"] != 3:
        local = parse_utc(start).astimezone(ZoneInfo(meeting["timezone"]))
        lines.append(f"Time: {local.strftime('%b %d, %Y %I:%M %p')} {meeting['timezone']}")
    if meeting["type"] == 8 and "recurrence" in meeting:
        every = {1: "day", 2: "week", 3: "month"}[meeting["recurrence"]["type"]]
        count = len([o for o in meeting.get("occurrences", []) if o["status"] == "available"])
        lines.append(f"        Every {every}, {count} occurrence(s)")
    elif meeting["type"] == 3:
        lines.append("Time: This is a recurring meeting Meet anytime")
    registration = registration_url(meeting, base_url)
    if registration is not None:
        # Registrants get their own join link by e-mail: the invitation links the form only.
        lines += ["", "Register in advance for this meeting:", registration, ""]
        lines.append(
            "After registering, you will receive a confirmation email containing information "
            "about joining the meeting."
        )
        return {"invitation": "\r\n".join(lines), "sip_links": [f"{meeting['id']}@zoomcrc.com"]}
    lines += ["", "Join Zoom Meeting", join_url(meeting, base_url), "", f"Meeting ID: {number}"]
    if meeting.get("password"):
        lines.append(f"Passcode: {meeting['password']}")
    lines += ["", "---", "", "One tap mobile"]
    tail = f",,{meeting['id']}#"
    if meeting.get("pstn_password"):
        tail += f",,,,*{meeting['pstn_password']}#"
    lines.append(f"+15550100101{tail} US (San Jose)")
    lines.append(f"+15550100202{tail} US (New York)")
    lines += [
        "",
        "---",
        "",
        "Dial by your location",
        "• +1 555 0100 101 US (San Jose)",
        "• +1 555 0100 202 US (New York)",
        "",
        f"Meeting ID: {number}",
    ]
    if meeting.get("pstn_password"):
        lines.append(f"Passcode: {meeting['pstn_password']}")
    lines += ["", "Join by SIP", f"• {meeting['id']}@zoomcrc.com", ""]
    return {"invitation": "\r\n".join(lines), "sip_links": [f"{meeting['id']}@zoomcrc.com"]}
