"""Past meeting instances: resolving an ID or UUID, listing instances, past meeting details."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from zoom_agent_tools.sandbox.clock import parse_utc
from zoom_agent_tools.sandbox.errors import ZoomAPIError
from zoom_agent_tools.sandbox.limits import INSTANCES_WINDOW_MONTHS, PAST_MEETING_MAX_AGE
from zoom_agent_tools.sandbox.settings import account_setting
from zoom_agent_tools.sandbox.store import Doc, Store
from zoom_agent_tools.sandbox.summaries import has_summary

__all__ = [
    "details_answer",
    "instances_answer",
    "past_instance",
    "require_paid",
    "resolve_instance",
]


def _months_before(now: datetime, months: int) -> datetime:
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    for day in (now.day, 30, 29, 28):
        try:
            return datetime.combine(date(year, month + 1, day), now.timetz())
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def require_paid(store: Store, message: str) -> None:
    """Zoom's code 200 on accounts without a paid plan."""
    if not account_setting(store, "paid"):
        raise ZoomAPIError(400, 200, message)


def resolve_instance(store: Store, ref: str, found: bool) -> Doc | None:
    """The instance an ID (its latest ended instance) or a UUID names.

    ``found`` is False for a UUID sent without the double encoding it needs.
    """
    if ref.isdigit():
        return store.latest_instance(int(ref))
    return store.get_instance(ref) if found else None


def past_instance(store: Store, ref: str, found: bool, now: datetime, too_old: str) -> Doc:
    """The instance ``ref`` names, or Zoom's 404 code 3001, or 400 code 12702 if too old."""
    instance = resolve_instance(store, ref, found)
    if instance is None:
        raise ZoomAPIError(404, 3001, f"Meeting does not exist: {ref}.")
    if parse_utc(instance["start_time"]) < now - PAST_MEETING_MAX_AGE:
        raise ZoomAPIError(400, 12702, too_old)
    return instance


def instances_answer(store: Store, meeting_id: int, now: datetime) -> dict[str, Any]:
    """List past meeting instances: ``{"meetings": [{"uuid", "start_time"}]}``.

    A meeting that exists but has not ended yet has no instances: an empty list. Zoom
    documents no order; this answer is in UUID order, not by time, so clients that want
    newest first must sort (as the public clients of this endpoint do).
    """
    instances = store.instances_of_meeting(meeting_id)
    if not instances and store.get_meeting(meeting_id) is None:
        raise ZoomAPIError(404, 3001, f"Meeting does not exist: {meeting_id}.")
    oldest = _months_before(now.astimezone(timezone.utc), INSTANCES_WINDOW_MONTHS)
    shown = [i for i in instances if parse_utc(i["start_time"]) >= oldest]
    shown.sort(key=lambda i: str(i["uuid"]))
    return {"meetings": [{"uuid": i["uuid"], "start_time": i["start_time"]} for i in shown]}


def details_answer(store: Store, instance: Doc) -> dict[str, Any]:
    """Get past meeting details for a resolved instance."""
    host = store.find_user(instance["host_id"]) or {}
    rows = [p for p in store.participants(instance["uuid"]) if p["status"] == "in_meeting"]
    # Zoom counts joins, not people: someone who rejoined counts twice, as in its reports.
    seconds = sum(int(p["duration"]) for p in rows)
    body: dict[str, Any] = {
        "id": instance["id"],
        "uuid": instance["uuid"],
        "duration": instance["duration"],
        "start_time": instance["start_time"],
        "end_time": instance["end_time"],
        "host_id": instance["host_id"],
    }
    if host.get("dept"):
        body["dept"] = host["dept"]
    body |= {
        "participants_count": len(rows),
        "source": "Zoom",
        "topic": instance["topic"],
        "total_minutes": round(seconds / 60),
        "type": instance["type"],
    }
    if host:
        body["user_email"] = host["email"]
        body["user_name"] = host["display_name"]
    body["has_meeting_summary"] = has_summary(instance)
    return body
