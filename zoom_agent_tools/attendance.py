"""Attendance of a past meeting instance: one row per person, and the usual attendees absent.

Zoom lists one participant row per join, so a person who rejoined, or whose connection was
taken over by another (a failover), has several. Rows are one person's when they share the
person's Zoom user id, else their e-mail address; rows with neither (guests) go by name to
the only person of that name. A person's minutes count the time they were in at least once,
so overlapping sessions are not counted twice. The usual attendees are those present in at
least half of the other instances compared (the nearest earlier ones, then later ones).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from zoom_agent_tools._fields import parse_zoom_time
from zoom_agent_tools._lazy import deferred
from zoom_agent_tools.errors import ZoomBadRequestError, ZoomNotFoundError
from zoom_agent_tools.past_meetings import PAID_ONLY, details, paid_plan_required, resolve

if TYPE_CHECKING:
    from zoom_agent_tools import models as m
    from zoom_agent_tools.arguments import GetMeetingAttendanceArgs
    from zoom_agent_tools.client import ZoomClient
    from zoom_agent_tools.operations import AnyOperation
else:
    m = deferred("zoom_agent_tools.models")

__all__ = ["DEFAULT_COMPARED", "attendance", "get_attendance", "people"]

#: Other instances looked at for usual attendees unless asked otherwise.
DEFAULT_COMPARED = 4
#: Rows asked for per page of participants (Zoom's maximum).
_PAGE_SIZE = 300


def _name_key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _zoom_time(moment: datetime) -> str:
    """``moment`` as Zoom writes times: UTC ``yyyy-MM-ddTHH:mm:ssZ``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Person:
    """The participant rows of one person, and what identifies them."""

    def __init__(self, rows: Sequence[m.Participant]) -> None:
        self.rows = list(rows)
        self.user_ids = frozenset(r.id for r in self.rows if r.id)
        self.emails = frozenset(r.user_email.casefold() for r in self.rows if r.user_email)
        self.names = frozenset(n for r in self.rows if (n := _name_key(r.name)))

    def identities(self) -> Iterator[tuple[str, str]]:
        """What another instance's rows of this person may share with these."""
        yield from (("id", i) for i in self.user_ids)
        yield from (("email", e) for e in self.emails)
        yield from (("name", n) for n in self.names)

    def same_as(self, other: Person) -> bool:
        """Whether ``other`` (from another instance) is this person: by user id when both
        have one, else by e-mail when both have one, else by name."""
        if self.user_ids and other.user_ids:
            return bool(self.user_ids & other.user_ids)
        if self.emails and other.emails:
            return bool(self.emails & other.emails)
        return bool(self.names & other.names)

    def shown_name(self) -> str:
        names = Counter(r.name.strip() for r in self.rows if r.name and r.name.strip())
        return names.most_common(1)[0][0] if names else "(no name)"

    def first(self, attribute: str) -> str | None:
        """The smallest value of ``attribute`` among the rows (the earliest, for times)."""
        values = sorted(str(v) for r in self.rows if (v := getattr(r, attribute)))
        return values[0] if values else None

    def last_leave(self) -> str | None:
        return max((r.leave_time for r in self.rows if r.leave_time), default=None)

    def spans(self) -> list[tuple[datetime, datetime]]:
        """When they were in, in order: their sessions, overlapping or touching ones merged
        (rows without both times left out)."""
        merged: list[tuple[datetime, datetime]] = []
        for start, end in sorted(span for row in self.rows if (span := _span(row)) is not None):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def seconds(self) -> float:
        """Seconds present: the merged sessions, so overlapping ones count once; a row
        without times adds its duration."""
        untimed = sum(float(row.duration or 0) for row in self.rows if _span(row) is None)
        return untimed + sum((end - start).total_seconds() for start, end in self.spans())


def _span(row: m.Participant) -> tuple[datetime, datetime] | None:
    start, end = parse_zoom_time(row.join_time), parse_zoom_time(row.leave_time)
    if start is None or end is None or end < start:
        return None
    return start, end


def people(rows: Iterable[m.Participant]) -> list[Person]:
    """The rows grouped by person, in order of their first row: rows that share a Zoom user
    id or e-mail are one person's; a row with neither (a guest) joins the one identified
    person of that name, or the other rows of that name without either."""
    kept = [r for r in rows if r.status != "in_waiting_room"]  # never let in
    parent = list(range(len(kept)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    first_with: dict[tuple[str, str], int] = {}
    anonymous: list[int] = []
    for i, row in enumerate(kept):
        keys = [("id", row.id)] if row.id else []
        if row.user_email:
            keys.append(("email", row.user_email.casefold()))
        if not keys:
            anonymous.append(i)
        for key in keys:
            if key in first_with:
                join(i, first_with[key])
            else:
                first_with[key] = i
    owners: dict[str, set[int]] = {}
    for i, row in enumerate(kept):
        if i not in anonymous and (name := _name_key(row.name)):
            owners.setdefault(name, set()).add(root(i))
    guests: dict[str, int] = {}
    for i in anonymous:
        name = _name_key(kept[i].name)
        named = owners.get(name, set()) if name else set()
        if len(named) == 1:
            join(i, next(iter(named)))
        elif not named and name:
            if name in guests:
                join(i, guests[name])
            else:
                guests[name] = i
    groups: dict[int, list[m.Participant]] = {}
    for i, row in enumerate(kept):
        groups.setdefault(root(i), []).append(row)
    return [Person(group) for group in groups.values()]


def _absentees(present: Sequence[Person], history: Sequence[Sequence[Person]]) -> list[m.Absentee]:
    """Those in at least half of ``history`` (the people of each other instance compared)
    who are not ``present``."""
    seen: list[tuple[Person, set[int]]] = []  # each person, and the instances they were in
    index: dict[tuple[str, str], list[int]] = {}
    for number, instance in enumerate(history):
        for person in instance:
            candidates = sorted({n for key in person.identities() for n in index.get(key, [])})
            match = next((n for n in candidates if seen[n][0].same_as(person)), None)
            if match is None:
                match = len(seen)
                seen.append((person, {number}))
            else:
                known, instances = seen[match]
                seen[match] = (Person([*known.rows, *person.rows]), instances | {number})
            for key in seen[match][0].identities():
                index.setdefault(key, []).append(match)
    here: dict[tuple[str, str], list[Person]] = {}
    for person in present:
        for key in person.identities():
            here.setdefault(key, []).append(person)
    absent = [
        m.Absentee(
            name=person.shown_name(),
            email=person.first("user_email"),
            user_id=person.first("id"),
            seen_in=len(instances),
        )
        for person, instances in seen
        if 2 * len(instances) >= len(history)
        and not any(p.same_as(person) for key in person.identities() for p in here.get(key, []))
    ]
    return sorted(absent, key=lambda a: (-a.seen_in, a.name.casefold()))


def attendance(
    instance: m.PastInstance,
    rows: Iterable[m.Participant],
    history: Sequence[Iterable[m.Participant]] = (),
) -> m.Attendance:
    """The attendance of ``instance`` from its participant rows, compared with the rows of
    other instances (``history``; none: absentees unknown)."""
    present = people(rows)
    attendees = [
        m.Attendee(
            name=person.shown_name(),
            email=person.first("user_email"),
            user_id=person.first("id"),
            first_join=person.first("join_time"),
            last_leave=person.last_leave(),
            minutes=round(person.seconds() / 60, 1),
            sessions=len(person.rows),
            spans=[m.Span(start=_zoom_time(a), end=_zoom_time(b)) for a, b in person.spans()],
        )
        for person in present
    ]
    attendees.sort(key=lambda a: (a.first_join or "", a.name.casefold()))
    absent = _absentees(present, [people(r) for r in history]) if history else None
    return m.Attendance(
        instance=instance, attendees=attendees, absent=absent, compared_instances=len(history)
    )


def _rows(client: ZoomClient, uuid: str) -> list[m.Participant]:
    return list(client.iter_past_participants(meeting_id=uuid, page_size=_PAGE_SIZE))


def _neighbours(listed: Sequence[m.PastInstance], uuid: str, count: int) -> list[m.PastInstance]:
    """Up to ``count`` instances other than ``uuid``: the nearest earlier ones, then the
    nearest later ones (``listed`` is newest first)."""
    at = next((i for i, item in enumerate(listed) if item.uuid == uuid), -1)
    if at < 0:
        return list(listed[:count])
    earlier = list(listed[at + 1 : at + 1 + count])
    later = list(reversed(listed[max(0, at - (count - len(earlier))) : at]))
    return earlier + later


def get_attendance(
    client: ZoomClient, op: AnyOperation, args: GetMeetingAttendanceArgs
) -> m.Attendance:
    """The attendance of the instance ``args`` name (zoom_get_meeting_attendance).

    Raises ZoomUnavailableError (``paid_plan_required``) on accounts that Zoom gives no
    participant lists.
    """
    resolved = resolve(client, op, args)
    instance, listed = resolved.instance, resolved.listed
    try:
        rows = _rows(client, instance.uuid)
    except ZoomBadRequestError as refused:
        if refused.code == PAID_ONLY:
            raise paid_plan_required("past meeting participants", instance) from None
        raise
    wanted = DEFAULT_COMPARED if args.compare_instances is None else args.compare_instances
    history: list[list[m.Participant]] = []
    if wanted:
        if listed is None:
            known = details(client, op, instance.uuid)
            instance = instance.model_copy(
                update={
                    "meeting_id": known.id,
                    "topic": known.topic,
                    "start_time": instance.start_time or known.start_time,
                }
            )
            if known.id is not None:
                listed = client.list_past_meeting_instances(meeting_id=str(known.id))
        for other in _neighbours(listed.items if listed else [], instance.uuid, wanted):
            try:
                history.append(_rows(client, other.uuid))
            except (ZoomNotFoundError, ZoomBadRequestError):
                continue  # gone, or more than a year old: compare with the others
    return attendance(instance, rows, history)
