"""AI Companion meeting summaries: Zoom's Get a meeting summary answer and its refusals.

A past instance holds ``summary`` = ``{"state": ..., "conversation": key}``: ``ready``,
``generating`` (the meeting just ended) or ``trashed`` (the host moved it to the trash); no
``summary`` means nobody turned AI Companion on in that meeting. The text comes from
:mod:`conversations`, so a summary agrees with its transcript.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from zoom_agent_tools.sandbox.clock import format_utc, parse_utc
from zoom_agent_tools.sandbox.conversations import CONVERSATIONS, Summary
from zoom_agent_tools.sandbox.errors import ZoomAPIError
from zoom_agent_tools.sandbox.ids import b64url
from zoom_agent_tools.sandbox.settings import account_setting, enabled_for
from zoom_agent_tools.sandbox.store import Doc, Store

__all__ = ["has_summary", "summary_answer", "summary_markdown"]

#: AI Companion starts listening shortly after the meeting starts...
SUMMARY_START_DELAY = timedelta(seconds=30)
#: ...and writes the summary shortly after it ends.
SUMMARY_CREATE_DELAY = timedelta(seconds=90)
#: When the host edited a summary, after it was created.
SUMMARY_EDIT_DELAY = timedelta(hours=2, minutes=30)
# Zoom documents this refusal for List meeting summaries; Get a meeting summary has the same
# prerequisite ("the host's Meeting Summary with AI Companion setting must be enabled") but
# its spec lists no code for it, so the sandbox answers with the documented sibling.
DISABLED_MESSAGE = (
    "Meeting summary disabled. To enable this feature, enable the Meeting Summary with AI"
    " Companion setting in the Zoom web portal's Settings interface."
)
TRASHED_MESSAGE = "The meeting summary has been moved to Trash and cannot be accessed."


def has_summary(instance: Doc) -> bool:
    """Past meeting details' ``has_meeting_summary``: AI Companion summarised the meeting."""
    return "summary" in instance


def _details(summary: Summary) -> list[dict[str, str]]:
    out = []
    for topic in summary.topics:
        said = " ".join(f"{who.name}: {point}." for who, point in topic.details)
        decided = "; ".join(topic.conclusions)
        out.append({"label": topic.title, "summary": f"{topic.about}. {said} Outcome: {decided}."})
    return out


def _next_steps(summary: Summary) -> list[str]:
    return [f"{who.first_name} will {task}." for who, tasks in summary.actions for task in tasks]


def summary_markdown(summary: Summary) -> str:
    """``summary_content``: the whole summary as Markdown, laid out like Zoom's example."""
    parts = ["## Key takeaways", *(f"- {line}" for line in summary.takeaways), ""]
    parts.append("## Discussed topics")
    for topic in summary.topics:
        parts += [f"### {topic.title}", topic.about, "- **Details**"]
        parts += [f"    - {who.name}: {point}" for who, point in topic.details]
        parts += ["- **Conclusion**", *(f"    - {line}" for line in topic.conclusions), ""]
    if summary.challenges:
        parts += ["## Challenges", *(f"* {line}" for line in summary.challenges), ""]
    parts.append("## Action items")
    for who, tasks in summary.actions:
        parts.append(f"- **{who.first_name}**")
        parts += [f"  - {task[0].upper()}{task[1:]}" for task in tasks]
    return "\n".join(parts)


def _render(instance: Doc, host: Doc, base_url: str) -> dict[str, Any]:
    conversation = CONVERSATIONS[instance["summary"]["conversation"]]
    summary = conversation.summary
    if summary is None:
        raise ValueError(f"conversation {instance['summary']['conversation']!r} has no summary")
    start, end = parse_utc(instance["start_time"]), parse_utc(instance["end_time"])
    created = end + SUMMARY_CREATE_DELAY
    body: dict[str, Any] = {
        "meeting_host_id": host["id"],
        "meeting_host_email": host["email"],
        "meeting_uuid": instance["uuid"],
        "meeting_id": instance["id"],
        "meeting_topic": instance["topic"],
        "meeting_start_time": instance["start_time"],
        "meeting_end_time": instance["end_time"],
        "summary_start_time": format_utc(start + SUMMARY_START_DELAY),
        "summary_end_time": format_utc(end),
        "summary_created_time": format_utc(created),
        "summary_last_modified_time": format_utc(created),
    }
    edited = conversation.edited
    if edited is not None:
        body["summary_last_modified_time"] = format_utc(created + SUMMARY_EDIT_DELAY)
        body["summary_last_modified_user_id"] = host["id"]
        body["summary_last_modified_user_email"] = host["email"]
    current = edited or summary
    body["summary_title"] = current.title
    # The deprecated fields keep the generated summary; an edit shows in edited_summary.
    body["summary_overview"] = summary.overview
    body["summary_details"] = _details(summary)
    body["next_steps"] = _next_steps(summary)
    if edited is not None:
        body["edited_summary"] = {
            "summary_overview": edited.overview,
            "summary_details": "\n".join(d["summary"] for d in _details(edited)),
            "next_steps": _next_steps(edited),
        }
    body["summary_content"] = summary_markdown(current)
    doc_key = b64url(hashlib.sha256(f"summary-doc:{instance['uuid']}".encode()).digest()[:16])
    body["summary_doc_url"] = f"{base_url}/doc/{doc_key}"
    return body


def summary_answer(store: Store, ref: str, found: bool, base_url: str) -> dict[str, Any]:
    """The Get a meeting summary answer for instance UUID ``ref``, or Zoom's refusal.

    ``found`` is False for a UUID sent without the double encoding it needs.
    """
    if not account_setting(store, "paid"):
        raise ZoomAPIError(400, 200, "Only available for Paid account.")
    if ref.isdigit():
        # The spec names only a UUID here; a meeting number is refused with code 300.
        raise ZoomAPIError(400, 300, "Invalid meeting ID.")
    instance = store.get_instance(ref) if found else None
    if instance is None:
        raise ZoomAPIError(404, 3001, f"Meeting does not exist: {ref}.")
    host = store.find_user(instance["host_id"])
    if host is None:
        raise ZoomAPIError(404, 3001, f"Meeting does not exist: {ref}.")
    if not enabled_for(store, host, "meeting_summary"):
        raise ZoomAPIError(400, 3000, DISABLED_MESSAGE)
    state = instance.get("summary", {}).get("state")
    if state == "trashed":
        raise ZoomAPIError(403, 2305, TRASHED_MESSAGE)
    if state != "ready":
        # Not generated yet, never generated, or an end-to-end encrypted meeting: Zoom has no
        # summary for the UUID, and its spec lists only 3001 under 404.
        raise ZoomAPIError(404, 3001, f"Meeting does not exist: {ref}.")
    return _render(instance, host, base_url)
