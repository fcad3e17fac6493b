"""How results look in Jupyter and IPython: tables of pages, instances, transcripts, attendance,
a recording's files and download outcomes.

A model that names one of the functions below (``ZoomObject._shown_as``) is shown as its
tables: HTML in a notebook (``_repr_html_``), aligned text in IPython (``_repr_pretty_``).
Only the columns named here are shown, and none of them holds a secret (no join or start
URLs, passcodes, download URLs or tokens); every value is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoom_agent_tools import models as m

__all__ = [
    "Table",
    "Tables",
    "attendance",
    "download_result",
    "meetings",
    "participants",
    "past_instances",
    "recording",
    "recordings",
    "transcript",
]

#: Rows shown at most: HTML in a notebook, text in IPython. The rest are counted.
HTML_ROWS = 100
TEXT_ROWS = 20
#: Widest text cell in IPython; longer values end in "…".
TEXT_WIDTH = 60
_STYLE = "text-align:left;vertical-align:top"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class Table:
    """A titled table: rows of values under named columns, and notes below it."""

    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[object, ...]]
    notes: tuple[str, ...] = ()
    empty: str = "(none)"

    def html(self) -> str:
        head = "".join(f'<th style="{_STYLE}">{html.escape(c)}</th>' for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(f'<td style="{_STYLE}">{html.escape(_text(v))}</td>' for v in row)
            + "</tr>"
            for row in self.rows[:HTML_ROWS]
        )
        notes = [*self._more(HTML_ROWS), *self.notes]
        parts = [f"<p><strong>{html.escape(self.title)}</strong></p>"]
        if self.rows:
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        else:
            parts.append(f"<p>{html.escape(self.empty)}</p>")
        parts.extend(f"<p><em>{html.escape(note)}</em></p>" for note in notes)
        return "".join(parts)

    def text(self) -> str:
        cells = [
            [self._cut(_text(v)) for v in row] for row in [self.columns, *self.rows[:TEXT_ROWS]]
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.columns))]
        lines = [self.title]
        if self.rows:
            lines += [
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                for row in cells
            ]
        else:
            lines.append(self.empty)
        lines += [*self._more(TEXT_ROWS), *self.notes]
        return "\n".join(lines)

    def _more(self, shown: int) -> list[str]:
        hidden = len(self.rows) - shown
        return [f"… and {hidden} more rows"] if hidden > 0 else []

    @staticmethod
    def _cut(value: str) -> str:
        value = " ".join(value.split())
        return value if len(value) <= TEXT_WIDTH else value[: TEXT_WIDTH - 1] + "…"


@dataclass(frozen=True)
class Tables:
    """What a model shows: one or more tables."""

    tables: tuple[Table, ...] = field(default_factory=tuple)

    def html(self) -> str:
        inner = "".join(t.html() for t in self.tables)
        return f'<div class="zoom-agent-tools">{inner}</div>'

    def text(self) -> str:
        return "\n\n".join(t.text() for t in self.tables)


def _size(count: int | None) -> str:
    if count is None:
        return ""
    amount = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if amount < 1024 or unit == "GiB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return ""  # unreachable: GiB ends the loop


def _page_notes(page: m.Page, shown: int) -> tuple[str, ...]:
    if page.next_page_token:
        total = f" of {page.total_records}" if page.total_records is not None else ""
        return (f"{shown}{total} on this page; more on the next (next_page_token).",)
    return ()


def _one(rows: Sequence[object], what: str) -> str:
    return f"{len(rows)} {what}{'' if len(rows) == 1 else 's'}"


def meetings(page: m.MeetingPage) -> Tables:
    rows = [(x.id, x.topic, x.type, x.start_time, x.duration, x.timezone) for x in page.items]
    columns = ("id", "topic", "type", "start_time", "duration", "timezone")
    title = f"Meetings: {_one(page.items, 'meeting')}"
    return Tables((Table(title, columns, rows, _page_notes(page, len(rows))),))


def _file_types(rec: m.Recording) -> str:
    return ", ".join(f.file_type or "(processing)" for f in rec.recording_files or [])


def recordings(page: m.RecordingPage) -> Tables:
    rows = [
        (r.start_time, r.topic, r.duration, _file_types(r), _size(r.total_size)) for r in page.items
    ]
    columns = ("start_time", "topic", "duration", "files", "size")
    title = f"Cloud recordings: {_one(page.items, 'meeting')}"
    return Tables((Table(title, columns, rows, _page_notes(page, len(rows))),))


def recording(rec: m.Recording) -> Tables:
    rows = [
        (f.file_type, f.recording_type, _size(f.file_size), f.status, f.recording_start)
        for f in rec.recording_files or []
    ]
    columns = ("file_type", "recording_type", "size", "status", "recording_start")
    title = f"Recording: {rec.topic or '(no topic)'}, {rec.start_time or 'start unknown'}"
    return Tables((Table(title, columns, rows, empty="(no files)"),))


def participants(page: m.ParticipantPage) -> Tables:
    rows = [
        (p.name, p.user_email, p.join_time, p.leave_time, p.duration, p.status) for p in page.items
    ]
    columns = ("name", "email", "join_time", "leave_time", "seconds", "status")
    title = f"Participants: {_one(page.items, 'join')} (a rejoin is a row of its own)"
    return Tables((Table(title, columns, rows, _page_notes(page, len(rows))),))


def past_instances(listed: m.PastInstances) -> Tables:
    rows = [(i.start_time, i.uuid) for i in listed.items]
    of = f" of meeting {listed.meeting_id}" if listed.meeting_id is not None else ""
    title = f"Ended instances{of}, newest first: {len(rows)}"
    return Tables((Table(title, ("start_time", "uuid"), rows),))


def _instance(instance: m.PastInstance) -> str:
    parts = [instance.topic or "", instance.start_time or "", f"({instance.uuid})"]
    return " ".join(p for p in parts if p)


def transcript(page: m.Transcript) -> Tables:
    searched = page.query is not None
    columns = ("start", "speaker", "text", *(("match",) if searched else ()))
    rows = [
        (
            t.to_output()["start"],
            t.speaker or "",
            t.text,
            *(("✓" if t.match else "",) if searched else ()),
        )
        for t in page.turns
    ]
    notes: list[str] = []
    if page.source == "captions":
        notes.append("Live captions: speakers are not named.")
    if page.next_cursor:
        notes.append("More on the next page (next_cursor).")
    title = f"Transcript ({page.source}) of {_instance(page.instance)}"
    if searched:
        title += f": turns holding {page.query!r} (✓) and around them"
    return Tables((Table(title, columns, rows, tuple(notes), empty="(no speech)"),))


def attendance(att: m.Attendance) -> Tables:
    rows = [
        (a.name, a.email, a.first_join, a.last_leave, a.minutes, a.sessions) for a in att.attendees
    ]
    columns = ("name", "email", "first_join", "last_leave", "minutes", "sessions")
    title = f"Attendance of {_instance(att.instance)}"
    if att.absent is None:
        note = "Absent: unknown (no other instance of this meeting was compared)."
        return Tables((Table(title, columns, rows, (note,)),))
    present = Table(title, columns, rows)
    compared = att.compared_instances
    missed = Table(
        f"Usually there, absent this time (compared with {compared} other instances)",
        ("name", "email", "seen_in"),
        [(a.name, a.email, f"{a.seen_in} of {compared}") for a in att.absent],
    )
    return Tables((present, missed))


def download_result(result: m.DownloadResult) -> Tables:
    rows = [
        (
            r.status,
            r.name,
            r.file_type,
            _size(r.file.size) if r.file is not None else "",
            r.reason or "",
        )
        for r in result.files
    ]
    columns = ("status", "name", "file_type", "size", "reason")
    return Tables((Table(result.summary(), columns, rows, empty=""),))
