"""Past meeting instances: a meeting's ended instances, and which one a call is about.

Recurring meetings share one ID across their instances, while recordings, participants and
summaries belong to one instance's UUID. Given a UUID the calls use it; given a meeting ID
they list the meeting's ended instances (newest first) and take the latest, or the one
``occurrence`` names, and say which they took.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from zoom_agent_tools._lazy import deferred
from zoom_agent_tools.errors import (
    FieldError,
    ZoomAPIError,
    ZoomBadRequestError,
    ZoomUnavailableError,
    ZoomValidationError,
)

if TYPE_CHECKING:
    from zoom_agent_tools import models as m
    from zoom_agent_tools.arguments import ListPastMeetingInstancesArgs, PastInstanceArgs
    from zoom_agent_tools.client import ZoomClient
    from zoom_agent_tools.operations import AnyOperation
else:
    m = deferred("zoom_agent_tools.models")

__all__ = [
    "PAID_ONLY",
    "Resolved",
    "details",
    "exists",
    "instance_get",
    "list_instances",
    "paid_plan_required",
    "resolve",
]

#: Zoom's code for "Only available for paid account".
PAID_ONLY = 200

_NOT_ENDED_NEXT = (
    "Check the meeting's status and time with zoom_get_meeting; call again after it ends."
)
_DETAILS = "pastMeetingDetails"
_UNKNOWN_INSTANCE = (
    "Use the UUID of an ended instance as zoom_list_past_meeting_instances lists it, or the "
    "meeting's ID."
)
T = TypeVar("T")


@dataclass(frozen=True)
class Resolved:
    """The instance to use; ``listed`` is the meeting's ended instances, newest first, when
    they were listed to find it (a meeting ID was given)."""

    instance: m.PastInstance
    listed: m.PastInstances | None = None


def _ordinal(index: int) -> str:
    if index == 0:
        return "the latest"
    if index == 1:
        return "the one before the latest"
    return f"{index} before the latest"


def resolve(client: ZoomClient, op: AnyOperation, args: PastInstanceArgs) -> Resolved:
    """The instance ``args`` name: their UUID, or one of their meeting ID's ended instances.

    Raises ZoomUnavailableError (``not_ended``) for a meeting without an ended instance, and
    ZoomValidationError for an ``occurrence`` beyond the ones there are.
    """
    if not args.meeting_id.isdigit():
        return Resolved(m.PastInstance(uuid=args.meeting_id))
    listed = client.list_past_meeting_instances(meeting_id=args.meeting_id)
    count = len(listed.items)
    if not count:
        raise ZoomUnavailableError(
            "not_ended",
            f"Meeting {args.meeting_id} has no ended instance yet: it is in progress now, or "
            "has not taken place.",
            suggestion=_NOT_ENDED_NEXT,
        )
    if args.index >= count:
        plural = "instance" if count == 1 else "instances"
        raise ZoomValidationError(
            [
                FieldError(
                    "occurrence",
                    f"meeting {args.meeting_id} has {count} ended {plural}: use 0 (the latest) "
                    f"to {count - 1}, or list them with zoom_list_past_meeting_instances",
                )
            ],
            operation=op.name,
        )
    chosen = listed.items[args.index].model_copy(
        update={
            "meeting_id": int(args.meeting_id),
            "chosen": f"{_ordinal(args.index)} of {count} ended instances",
        }
    )
    return Resolved(chosen, listed)


def instance_get(
    client: ZoomClient,
    op: AnyOperation,
    operation_id: str,
    uuid: str,
    parse: Callable[[bytes], T],
    action: str,
) -> T:
    """GET the endpoint ``op`` declares as ``operation_id`` for instance ``uuid``; ``parse``
    of Zoom's answer."""
    request = op.endpoint(operation_id).request({"meetingId": uuid})
    return client.request(request, parse, action=action, not_found_hint=_UNKNOWN_INSTANCE)


def list_instances(
    client: ZoomClient, op: AnyOperation, args: ListPastMeetingInstancesArgs
) -> m.PastInstances:
    """The ended instances of the meeting ``args`` name, by its ID or one instance's UUID
    (zoom_list_past_meeting_instances)."""
    meeting_id = args.meeting_id
    if not meeting_id.isdigit():
        instance = m.PastInstance(uuid=meeting_id)
        try:
            known = details(client, op, meeting_id)
        except ZoomBadRequestError as refused:
            if refused.code != PAID_ONLY:
                raise
            raise ZoomUnavailableError(
                "paid_plan_required",
                "Zoom tells which meeting an instance belongs to on paid accounts only.",
                suggestion="Call again with the meeting's numeric ID (see zoom_list_meetings).",
                instance=instance,
            ) from None
        if known.id is None:
            raise ZoomAPIError(
                f"Could not list the instances of the meeting of instance {meeting_id}: Zoom "
                "did not say which meeting it belongs to.",
                status=200,
                suggestion="Call again with the meeting's numeric ID (see zoom_list_meetings).",
            )
        meeting_id = str(known.id)
    listed = client.request(
        op.endpoint("pastMeetings").request({"meetingId": meeting_id}),
        m.PastInstances.model_validate_json,
        action=f"list the past instances of meeting {meeting_id}",
        not_found_hint=op.not_found_hint,
    )
    return listed.model_copy(update={"meeting_id": int(meeting_id)})


def details(client: ZoomClient, op: AnyOperation, uuid: str) -> m.PastMeetingDetails:
    """Past meeting details of instance ``uuid`` (``op`` declares the endpoint)."""
    action = f"get the details of past meeting instance {uuid}"
    return instance_get(
        client, op, _DETAILS, uuid, m.PastMeetingDetails.model_validate_json, action
    )


def exists(client: ZoomClient, op: AnyOperation, instance: m.PastInstance) -> None:
    """Raise ZoomNotFoundError unless Zoom knows the instance. One chosen from its meeting's
    list is known; a free account's refusal of past meeting details proves nothing."""
    if instance.chosen is not None:
        return
    try:
        details(client, op, instance.uuid)
    except ZoomBadRequestError as refused:
        if refused.code != PAID_ONLY:
            raise


def paid_plan_required(what: str, instance: m.PastInstance) -> ZoomUnavailableError:
    """The state of a free account asking for ``what`` (Zoom's code 200)."""
    return ZoomUnavailableError(
        "paid_plan_required",
        f"Zoom gives {what} to paid accounts only (Pro or higher), and this account is not one.",
        suggestion="Tell the user this needs a paid Zoom plan; do not retry.",
        instance=instance,
    )
