"""Writes whose answer was lost (5xx, timeout, dropped connection): what Zoom did, and what now.

A create that Zoom answered with a 5xx, or that timed out or lost its connection after it was
sent, may or may not have made the meeting. Sending it again could make a second one and
spends one of the user's 100 daily creates, so it is never sent again. Instead the client
looks once, in a bounded listing of the user's meetings, for a meeting with the same topic,
type and start that was created during the call: found, the meeting is returned as if the
create had answered (its ``recovery_note`` says so); not found in a complete listing, the
original error says it was not created and is safe to create again (``created is False``);
otherwise the error says that it is unknown and what to check (``created is None``). A
look-alike created within the same minutes (by another call, say) is taken for the meeting:
a second identical meeting at the same time is rarely what anyone wants.

An update (PATCH) is not sent again either: the same body sets the same values, so resending
it is safe, but each try counts toward the same daily cap, and moving an occurrence changes
its id. Its error says so, and the caller decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zoom_agent_tools import arguments as a
from zoom_agent_tools import models as m
from zoom_agent_tools._fields import parse_zoom_time
from zoom_agent_tools._redact import redact_text
from zoom_agent_tools.errors import (
    ZoomAPIError,
    ZoomConnectionError,
    ZoomError,
    ZoomTimeoutError,
)

if TYPE_CHECKING:
    from zoom_agent_tools.client import ZoomClient

__all__ = [
    "CLOCK_SKEW",
    "LOOKUP_PAGES",
    "LOOKUP_PAGE_SIZE",
    "explain_lost_update",
    "settle_lost_create",
]

#: At most this many pages of this size are read: one look, bounded.
LOOKUP_PAGES = 2
LOOKUP_PAGE_SIZE = 300
#: How far Zoom's clock may be from ours when ``created_at`` is compared with the call's time.
CLOCK_SKEW = timedelta(minutes=5)
#: How far a listed start may be from the one asked for (Zoom may drop the seconds).
START_TOLERANCE = timedelta(minutes=1)
#: "scheduled" lists previous (unexpired), live and upcoming meetings of types 2, 3 and 8;
#: no listing shows instant meetings (Zoom's spec of List meetings).
_LISTING: Final = "scheduled"


@dataclass(frozen=True)
class _Window:
    """When the meeting, if created, was created: the call's span widened by the clock skew."""

    start: datetime
    end: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment <= self.end


def _wanted_start(args: a.CreateMeetingArgs, zone: str | None) -> datetime | None:
    """The start asked for, in UTC; None when none was given or it cannot be read."""
    text = args.start_time
    if text is None:
        return None
    moment = parse_zoom_time(text)
    if moment is None or text.endswith("Z"):
        return moment
    # Without "Z" Zoom reads it in the meeting's time zone (the user's when none was given).
    try:
        local = ZoneInfo(args.timezone or zone or "")
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return moment.replace(tzinfo=None).replace(tzinfo=local).astimezone(timezone.utc)


def _same_meeting(
    item: m.MeetingSummary, args: a.CreateMeetingArgs, kind: int, window: _Window
) -> bool:
    """Whether ``item`` is what the create asked for (its creation time aside)."""
    if item.topic != args.topic or item.type != kind:
        return False
    if kind in (2, 8) and args.duration is not None and item.duration not in (None, args.duration):
        return False
    if kind != 2:
        # Type 3 has no start; for type 8 the listing shows the next occurrence, not the start.
        return True
    listed = parse_zoom_time(item.start_time)
    if listed is None:
        return True
    wanted = _wanted_start(args, item.timezone)
    if wanted is None and args.start_time is not None:
        return True  # a start that cannot be compared does not rule the meeting out
    if wanted is not None and abs(listed - wanted) <= START_TOLERANCE:
        return True
    # A missing or past start becomes "now" at Zoom: the start then lies in the call's window.
    return (wanted is None or wanted < window.end) and listed in window


@dataclass(frozen=True)
class _Finding:
    fresh: list[m.MeetingSummary]
    stale: list[m.MeetingSummary]
    complete: bool


def _look(client: ZoomClient, args: a.CreateMeetingArgs, kind: int, window: _Window) -> _Finding:
    items: list[m.MeetingSummary] = []
    token: str | None = None
    complete = False
    for _ in range(LOOKUP_PAGES):
        page = client.list_meetings(
            user_id=args.user_id,
            type=_LISTING,
            page_size=LOOKUP_PAGE_SIZE,
            next_page_token=token,
        )
        items.extend(page.items)
        token = page.next_page_token
        if not token:
            complete = True
            break
    fresh: list[m.MeetingSummary] = []
    stale: list[m.MeetingSummary] = []
    for item in items:
        if not _same_meeting(item, args, kind, window):
            continue
        created = parse_zoom_time(item.created_at)
        (fresh if created is not None and created in window else stale).append(item)
    return _Finding(fresh, stale, complete)


def _newest(items: Sequence[m.MeetingSummary]) -> m.MeetingSummary:
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    return max(items, key=lambda i: parse_zoom_time(i.created_at) or oldest)


def _what_failed(failure: ZoomError) -> str:
    if isinstance(failure, ZoomAPIError):
        return f"HTTP {failure.status}"
    if isinstance(failure, ZoomTimeoutError):
        return "no answer in time"
    return "the connection was lost"


def _restate(
    failure: ZoomError, *, created: bool | None, finding: str, suggestion: str
) -> ZoomError:
    """``failure`` with what is now known about the write added to its message."""
    failure.created = created
    failure.message = redact_text(f"{failure.message} {finding}")
    failure.suggestion = redact_text(suggestion)
    failure.args = (failure.message,)
    return failure


def _unknown(reason: str) -> str:
    return f"It may have gone through; whether the meeting was created is unknown: {reason}."


def _check_hint(args: a.CreateMeetingArgs) -> str:
    start = f" starting {args.start_time}" if args.start_time else ""
    return (
        "Do not create it again yet: list the user's meetings (zoom_list_meetings) and look "
        f"for the topic {args.topic!r}{start}; create it only if it is not there."
    )


def settle_lost_create(
    client: ZoomClient, args: a.CreateMeetingArgs, failure: ZoomError, asked_at: datetime
) -> m.Meeting:
    """The meeting a create made although its answer was lost, or ``failure`` restated.

    ``failure`` is the ZoomServerError or ZoomConnectionError the create ended with and
    ``asked_at`` (aware) when it was sent. Raises ``failure`` with ``created`` False (nothing
    was created: safe to create again) or None (unknown; the message says what to check).
    """
    if isinstance(failure, ZoomConnectionError) and not failure.request_sent:
        raise _restate(
            failure,
            created=False,
            finding="The request never reached Zoom, so the meeting was not created.",
            suggestion=(
                "It is safe to create it again once Zoom can be reached: check the network "
                "and ZOOM_API_BASE_URL."
            ),
        )
    kind = args.type if args.type is not None else 2
    if kind == 1:
        raise _restate(
            failure,
            created=None,
            finding=_unknown("Zoom does not list instant meetings, so it cannot be looked up"),
            suggestion=(
                "Create it again only if a second instant meeting does no harm: an unused one "
                "expires on its own, but each create counts toward the user's 100 a day."
            ),
        )
    what = _what_failed(failure)
    client.logger.warning("create meeting: the answer was lost (%s); looking for it", what)
    client.sleep(client.retry.lost_create_check_delay)
    window = _Window(asked_at - CLOCK_SKEW, datetime.now(timezone.utc) + CLOCK_SKEW)
    try:
        finding = _look(client, args, kind, window)
    except ZoomError as lookup:
        raise _restate(
            failure,
            created=None,
            finding=_unknown(f"looking for it failed too ({_what_failed(lookup)})"),
            suggestion=_check_hint(args),
        ) from None
    if finding.fresh:
        return _recovered(client, _newest(finding.fresh), what)
    if finding.stale:
        older = _newest(finding.stale)
        raise _restate(
            failure,
            created=None,
            finding=_unknown(
                f"a meeting with this topic exists (id {older.id}, created "
                f"{older.created_at}), but not during this call"
            ),
            suggestion=(
                f"Get meeting {older.id} (zoom_get_meeting) and check whether it is the one "
                "wanted before creating it again."
            ),
        )
    if not finding.complete:
        raise _restate(
            failure,
            created=None,
            finding=_unknown(
                f"the user has more than {LOOKUP_PAGES * LOOKUP_PAGE_SIZE} meetings, more "
                "than one look covers"
            ),
            suggestion=_check_hint(args),
        )
    client.logger.info("create meeting: not among the user's meetings, so not created")
    raise _restate(
        failure,
        created=False,
        finding="The meeting was not created: no meeting like it is among the user's meetings.",
        suggestion=(
            "Nothing was created, so it is safe to create it again (if Zoom keeps failing, "
            "wait a minute first)."
        ),
    )


def _recovered(client: ZoomClient, found: m.MeetingSummary, what: str) -> m.Meeting:
    note = (
        f"Zoom's answer to this create was lost ({what}); the meeting was found among the "
        "user's meetings afterwards, so it was created once: do not create it again."
    )
    client.logger.warning("create meeting: found meeting %s after the lost answer", found.id)
    if found.id is not None:
        try:
            return client.get_meeting(meeting_id=str(found.id)).as_recovered(note)
        except ZoomError as detail:
            note += (
                f" Its details could not be read ({_what_failed(detail)}): get them with "
                f"zoom_get_meeting (meetingId {found.id})."
            )
    summary = found.model_dump(exclude_unset=True, by_alias=True)
    return m.Meeting.model_validate(summary).as_recovered(note)


def explain_lost_update(failure: ZoomError) -> ZoomError:
    """``failure`` of an update whose answer was lost, saying what to do: resending is safe."""
    return _restate(
        failure,
        created=None,
        finding="The update may or may not have been applied.",
        suggestion=(
            "Sending the same update again is safe: it sets the same values (it counts once "
            "more toward the user's 100 daily create/update requests). If it moved an "
            "occurrence, get the meeting first: the occurrence's id changes with its start."
        ),
    )
