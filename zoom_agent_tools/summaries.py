"""AI Companion meeting summaries of past instances, and the states that say why there is none.

Zoom answers a summary that does not exist yet, one that never will and an unknown instance
alike (404, code 3001); the instance's past meeting details (``has_meeting_summary``) tell
them apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zoom_agent_tools._lazy import deferred
from zoom_agent_tools.errors import (
    ZoomBadRequestError,
    ZoomNotFoundError,
    ZoomPermissionError,
    ZoomUnavailableError,
)
from zoom_agent_tools.past_meetings import (
    PAID_ONLY,
    details,
    instance_get,
    paid_plan_required,
    resolve,
)

if TYPE_CHECKING:
    from zoom_agent_tools import models as m
    from zoom_agent_tools.arguments import GetMeetingSummaryArgs
    from zoom_agent_tools.client import ZoomClient
    from zoom_agent_tools.operations import AnyOperation
else:
    m = deferred("zoom_agent_tools.models")

__all__ = ["get_summary"]

#: Zoom's codes: "Meeting summary disabled", and a summary that is restricted or in the trash.
SUMMARY_DISABLED = 3000
SUMMARY_WITHHELD = 2305
_OTHER_TOOLS = "zoom_get_meeting_transcript may still help."


def _missing(
    client: ZoomClient, op: AnyOperation, instance: m.PastInstance, missing: ZoomNotFoundError
) -> ZoomUnavailableError:
    """Why Zoom has no summary of a known instance; ``missing`` is raised for an unknown one."""
    try:
        known = details(client, op, instance.uuid)
    except ZoomNotFoundError:
        raise missing from None
    if known.has_meeting_summary:
        return ZoomUnavailableError(
            "summary_not_ready",
            "AI Companion is still writing this instance's summary.",
            suggestion="Try again in a few minutes.",
            instance=instance,
        )
    return ZoomUnavailableError(
        "no_summary",
        "AI Companion did not summarise this instance (it was not on in the meeting; "
        "end-to-end encrypted meetings have no summaries).",
        suggestion=f"Tell the user there is no summary; {_OTHER_TOOLS}",
        instance=instance,
    )


def get_summary(client: ZoomClient, op: AnyOperation, args: GetMeetingSummaryArgs) -> m.AISummary:
    """The AI Companion summary of the instance ``args`` name (zoom_get_meeting_summary).

    Raises ZoomUnavailableError when there is none to give (yet).
    """
    instance = resolve(client, op, args).instance
    action = f"get the AI Companion summary of meeting instance {instance.uuid}"
    try:
        summary = instance_get(
            client, op, "Getameetingsummary", instance.uuid, m.AISummary.model_validate_json, action
        )
    except ZoomBadRequestError as refused:
        if refused.code == PAID_ONLY:
            raise paid_plan_required("AI Companion summaries", instance) from None
        if refused.code == SUMMARY_DISABLED:
            raise ZoomUnavailableError(
                "summary_off",
                "AI Companion meeting summaries are turned off for this meeting's host or "
                "account ('Meeting Summary with AI Companion').",
                suggestion=f"Tell the user an admin or the host can turn it on; {_OTHER_TOOLS}",
                instance=instance,
            ) from None
        raise
    except ZoomPermissionError as refused:
        if refused.code != SUMMARY_WITHHELD:
            raise
        raise ZoomUnavailableError(
            "summary_unavailable",
            f"Zoom withholds this summary: {refused.zoom_message or 'restricted'}",
            suggestion=f"Tell the user; the host can restore or share it. {_OTHER_TOOLS}",
            instance=instance,
        ) from None
    except ZoomNotFoundError as missing:
        raise _missing(client, op, instance, missing) from None
    shown = instance.model_copy(
        update={
            "meeting_id": instance.meeting_id or summary.meeting_id,
            "topic": summary.meeting_topic,
            "start_time": instance.start_time or summary.meeting_start_time,
        }
    )
    return summary.model_copy(update={"instance": shown})
