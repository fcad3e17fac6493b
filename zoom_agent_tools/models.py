"""Pydantic models of the Zoom objects the operations return, and of what the meeting-
intelligence operations make of them (transcripts, attendance).

Models accept fields they do not know (``extra="allow"``) and leave out fields Zoom did not
send. Their declared fields are the ones the tools show to a model; extras stay available to
Python callers. ``repr()`` never shows passcodes, the host's ``start_url`` or tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PrivateAttr, field_validator
from pydantic.alias_generators import to_camel

from zoom_agent_tools import _display
from zoom_agent_tools._redact import REDACTED, SECRET_BODY_KEYS, redact_body, redact_url
from zoom_agent_tools._search import matches, query_words

if TYPE_CHECKING:
    import pandas

__all__ = [
    "AISummary",
    "Absentee",
    "Attendance",
    "Attendee",
    "DownloadResult",
    "DownloadedFile",
    "FileResult",
    "Meeting",
    "MeetingPage",
    "MeetingSettings",
    "MeetingSummary",
    "Occurrence",
    "Page",
    "Participant",
    "ParticipantPage",
    "PastInstance",
    "PastInstances",
    "PastMeetingDetails",
    "Recording",
    "RecordingFile",
    "RecordingPage",
    "Recurrence",
    "Span",
    "SummaryDetail",
    "Transcript",
    "TranscriptInfo",
    "Turn",
    "User",
    "ZoomObject",
]


class ZoomObject(BaseModel):
    """Base of every response model: tolerant of unknown fields, secret-free ``repr``; shown
    as tables in Jupyter and IPython when it declares how (``_shown_as``)."""

    # Built on first use, not at import: most programs touch only a few models.
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)
    #: The tables Jupyter (HTML) and IPython (text) show for the object; None: its repr.
    _shown_as: ClassVar[Callable[[Any], _display.Tables] | None] = None

    def _repr_html_(self) -> str | None:
        shown = type(self)._shown_as
        return None if shown is None else shown(self).html()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        shown = type(self)._shown_as
        printer.text(repr(self) if shown is None or cycle else shown(self).text())

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for key, value in super().__repr_args__():
            if key is not None and key.lower() in SECRET_BODY_KEYS and value:
                yield key, REDACTED
            elif isinstance(value, str) and value.startswith(("http://", "https://")):
                yield key, redact_url(value)
            elif isinstance(value, (dict, list, str)):
                yield key, redact_body(value)  # extras Zoom sent may nest secrets too
            else:
                yield key, value

    def to_output(self) -> dict[str, Any]:
        """The declared fields Zoom sent, as JSON-ready data (extras and absent fields left out)."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            if name not in self.model_fields_set:
                continue
            out[name] = _output_value(getattr(self, name))
        return out


def _output_value(value: Any) -> Any:
    if isinstance(value, ZoomObject):
        return value.to_output()
    if isinstance(value, list):
        return [_output_value(v) for v in value]
    return value


class MeetingSettings(ZoomObject):
    """The meeting settings the tools read and write."""

    host_video: bool | None = None
    participant_video: bool | None = None
    join_before_host: bool | None = None
    mute_upon_entry: bool | None = None
    watermark: bool | None = None
    audio: str | None = None
    auto_recording: str | None = None
    waiting_room: bool | None = None
    meeting_authentication: bool | None = None
    approval_type: int | None = None


class Recurrence(ZoomObject):
    """How a recurring meeting repeats (Zoom's ``recurrence`` object)."""

    type: int | None = None
    repeat_interval: int | None = None
    weekly_days: str | None = None
    monthly_day: int | None = None
    monthly_week: int | None = None
    monthly_week_day: int | None = None
    end_times: int | None = None
    end_date_time: str | None = None


class Occurrence(ZoomObject):
    """One occurrence of a recurring meeting."""

    occurrence_id: str | None = None
    start_time: str | None = None
    duration: int | None = None
    status: str | None = None


class Meeting(ZoomObject):
    """A meeting as create and get return it."""

    id: int | None = None
    uuid: str | None = None
    host_id: str | None = None
    host_email: str | None = None
    topic: str | None = None
    type: int | None = None
    status: str | None = None
    start_time: str | None = None
    duration: int | None = None
    timezone: str | None = None
    agenda: str | None = None
    created_at: str | None = None
    start_url: str | None = None
    join_url: str | None = None
    #: Only for meetings with registration (settings.approval_type 0 or 1).
    registration_url: str | None = None
    password: str | None = None
    h323_password: str | None = None
    pstn_password: str | None = None
    encrypted_password: str | None = None
    settings: MeetingSettings | None = None
    recurrence: Recurrence | None = None
    occurrences: list[Occurrence] | None = None

    _recovery_note: str | None = PrivateAttr(default=None)

    @property
    def recovery_note(self) -> str | None:
        """Set when Zoom's answer to this meeting's create was lost and the meeting was found
        among the user's meetings afterwards: says so. None for an ordinary answer."""
        return self._recovery_note

    def as_recovered(self, note: str) -> Meeting:
        """A copy of this meeting whose ``recovery_note`` is ``note``."""
        copy = self.model_copy()
        copy._recovery_note = note
        return copy


class MeetingSummary(ZoomObject):
    """A meeting as list meetings returns it (no settings, passcodes or start URL)."""

    id: int | None = None
    uuid: str | None = None
    host_id: str | None = None
    topic: str | None = None
    type: int | None = None
    start_time: str | None = None
    duration: int | None = None
    timezone: str | None = None
    agenda: str | None = None
    created_at: str | None = None
    join_url: str | None = None


class User(ZoomObject):
    """A Zoom user as Get a user (Users API) returns it: who a connection acts as."""

    id: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    account_id: str | None = None
    type: int | None = None
    role_name: str | None = None
    timezone: str | None = None
    status: str | None = None

    @property
    def name(self) -> str:
        """The name to show: display name, else first and last name, else e-mail or id."""
        full = " ".join(p for p in (self.first_name, self.last_name) if p)
        return self.display_name or full or self.email or self.id or "(unknown user)"


class RecordingFile(ZoomObject):
    """One cloud recording file; TIMELINE and CC files come without id, size or status."""

    id: str | None = None
    meeting_id: str | None = None
    recording_start: str | None = None
    recording_end: str | None = None
    # Zoom's enum omits TIMELINE although real responses (and its own docs) have it: keep str.
    file_type: str | None = None
    file_extension: str | None = None
    file_size: int | None = None
    play_url: str | None = None
    download_url: str | None = None
    status: str | None = None
    recording_type: str | None = None


class Recording(ZoomObject):
    """One meeting instance's cloud recordings."""

    uuid: str | None = None
    id: int | None = None
    account_id: str | None = None
    host_id: str | None = None
    topic: str | None = None
    type: int | str | None = None
    start_time: str | None = None
    duration: int | None = None
    total_size: int | None = None
    recording_count: int | None = None
    share_url: str | None = None
    recording_files: list[RecordingFile] | None = None

    _shown_as = _display.recording

    @field_validator("duration", mode="before")
    @classmethod
    def _empty_duration(cls, value: Any) -> Any:
        # The spec types this as an integer. Real answers send 0 for a meeting shorter than a
        # minute (kept: it is a length) and "" in the same answers' empty fields, which we read
        # as "not known", like null or a missing key.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("type", mode="before")
    @classmethod
    def _numeric_type(cls, value: Any) -> Any:
        # The spec types this as a string enum ("1".."9", "99"); real responses send a number.
        # Accept both and present a number, as the meeting objects do.
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return value


class Participant(ZoomObject):
    """One join of a past meeting: a person who rejoined appears once per join."""

    id: str | None = None
    user_id: str | None = None
    name: str | None = None
    user_email: str | None = None
    join_time: str | None = None
    leave_time: str | None = None
    duration: int | None = None
    attentiveness_score: str | None = None
    failover: bool | None = None
    status: str | None = None


class Page(ZoomObject):
    """One page of a list answer; ``next_page_token`` is empty on the last page.

    Each kind of page declares its ``items``, read from the key Zoom lists them under. (Not a
    generic model: parametrizing one builds it at import, and the package builds its models
    on first use.)
    """

    page_count: int | None = None
    page_number: int | None = None
    page_size: int | None = None
    total_records: int | None = None
    next_page_token: str | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None

    @field_validator("items", mode="before", check_fields=False)
    @classmethod
    def _no_items(cls, value: Any) -> Any:
        # Zoom sends null, or leaves the list out, on an empty page.
        return [] if value is None else value

    def page_info(self, keys: tuple[str, ...]) -> dict[str, Any]:
        """The ``pageInfo`` object of a tool's output: the listed camelCase keys Zoom sent."""
        source = {
            "pageCount": self.page_count,
            "pageNumber": self.page_number,
            "pageSize": self.page_size,
            "totalRecords": self.total_records,
            "nextPageToken": self.next_page_token,
            "from": self.from_,
            "to": self.to,
        }
        return {k: source[k] for k in keys if source[k] is not None}


class MeetingPage(Page):
    """A page of list meetings."""

    items: list[MeetingSummary] = Field(
        default_factory=list,
        validation_alias=AliasChoices("meetings", "items"),
        serialization_alias="meetings",
    )
    _shown_as = _display.meetings


class RecordingPage(Page):
    """A page of list recordings."""

    items: list[Recording] = Field(
        default_factory=list,
        validation_alias=AliasChoices("meetings", "items"),
        serialization_alias="meetings",
    )
    _shown_as = _display.recordings


class ParticipantPage(Page):
    """A page of past-meeting participants."""

    items: list[Participant] = Field(
        default_factory=list,
        validation_alias=AliasChoices("participants", "items"),
        serialization_alias="participants",
    )
    _shown_as = _display.participants


class DownloadedFile(ZoomObject):
    """A recording file saved to disk, verified against the size Zoom reported."""

    name: str
    path: str
    mime_type: str
    size: int
    file_type: str | None = None
    recording_id: str | None = None


#: What happened to one recording file when its recording was downloaded.
FileStatus = Literal["saved", "already_present", "overwritten", "skipped", "failed"]


class FileResult(ZoomObject):
    """One recording file's outcome; ``file`` is set when it is on disk, ``reason`` says why
    a file was skipped or failed (and what to do)."""

    status: FileStatus
    name: str
    file_type: str | None = None
    recording_id: str | None = None
    reason: str | None = None
    file: DownloadedFile | None = None


class DownloadResult(ZoomObject):
    """The outcome of downloading a recording's files, one entry per file in Zoom's order."""

    files: list[FileResult] = Field(default_factory=list)

    _shown_as = _display.download_result

    @property
    def saved(self) -> list[DownloadedFile]:
        """The files on disk: saved now, already present, or saved over an older file."""
        return [r.file for r in self.files if r.file is not None]

    @property
    def skipped(self) -> list[FileResult]:
        """Files not downloaded because they are not ready (or cannot be downloaded)."""
        return [r for r in self.files if r.status == "skipped"]

    @property
    def failed(self) -> list[FileResult]:
        """Files whose download failed; nothing partial was kept."""
        return [r for r in self.files if r.status == "failed"]

    def summary(self) -> str:
        """One sentence for the model: how many files were saved, skipped or failed."""
        if not self.files:
            return "The recording has no files to download."
        count = {s: sum(r.status == s for r in self.files) for s in get_args(FileStatus)}
        parts = [f"{count['saved'] + count['overwritten']} saved"]
        if count["overwritten"]:
            parts.append(f"{count['overwritten']} of them replaced an older file of that name")
        if count["already_present"]:
            parts.append(f"{count['already_present']} already present (not downloaded again)")
        if count["skipped"]:
            parts.append(f"{count['skipped']} skipped (see skippedFiles for why)")
        if count["failed"]:
            parts.append(f"{count['failed']} failed (see failedFiles for why and what to do)")
        return f"Of {len(self.files)} recording files: {', '.join(parts)}."

    def to_output(self) -> dict[str, Any]:
        """The tool output's download part: ``files`` on disk, ``skippedFiles``, ``failedFiles``
        and a ``downloadSummary`` sentence."""
        out: dict[str, Any] = {
            "files": [
                {**r.file.to_output(), "status": r.status} for r in self.files if r.file is not None
            ]
        }
        for key, results in (("skippedFiles", self.skipped), ("failedFiles", self.failed)):
            if results:
                out[key] = [
                    {k: v for k, v in r.to_output().items() if k != "status"} for r in results
                ]
        out["downloadSummary"] = self.summary()
        return out


# -- meeting intelligence ----------------------------------------------------------------------


class _Shown(ZoomObject):
    """A model the tools show as it is: camelCase keys, fields that are None left out."""

    model_config = ConfigDict(alias_generator=to_camel)

    def to_output(self) -> dict[str, Any]:
        shown: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return shown


class PastInstance(_Shown):
    """One ended instance of a meeting; the meeting-intelligence results say which they used
    (``chosen``: how it was picked from the meeting's instances, None for a UUID given)."""

    uuid: str
    start_time: str | None = None
    meeting_id: int | None = None
    topic: str | None = None
    chosen: str | None = None


class PastInstances(ZoomObject):
    """A meeting's ended instances, newest first (Zoom lists them in no documented order),
    and the meeting's ID."""

    meeting_id: int | None = None
    items: list[PastInstance] = Field(
        default_factory=list, validation_alias=AliasChoices("meetings", "items")
    )

    _shown_as = _display.past_instances

    @field_validator("items", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        return [] if value is None else value

    @field_validator("items")
    @classmethod
    def _newest_first(cls, value: list[PastInstance]) -> list[PastInstance]:
        # ISO 8601 UTC times of one form sort as text; the UUID breaks ties reproducibly.
        return sorted(value, key=lambda i: (i.start_time or "", i.uuid), reverse=True)


class PastMeetingDetails(ZoomObject):
    """A past meeting instance's details (only the fields the tools read are declared)."""

    id: int | None = None
    uuid: str | None = None
    topic: str | None = None
    type: int | None = None
    start_time: str | None = None
    end_time: str | None = None
    has_meeting_summary: bool | None = None


class TranscriptInfo(ZoomObject):
    """Zoom's Get a meeting transcript answer: where to download it, or why it cannot be."""

    meeting_topic: str | None = None
    can_download: bool | None = None
    download_url: str | None = None
    download_restriction_reason: str | None = None


class Turn(ZoomObject):
    """What one speaker said without interruption: consecutive cues of one speaker merged.

    ``start`` and ``end`` are seconds from the start of the recording; ``speaker`` is None
    where Zoom could not tell (and always in live captions); ``match`` is True for a turn
    that holds the words searched for (the turns around it are context).
    """

    speaker: str | None = None
    start: float
    end: float
    text: str
    match: bool | None = None

    def to_output(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "speaker": self.speaker,
            "start": clock_time(self.start),
            "end": clock_time(self.end),
            "text": self.text,
        }
        if self.match:
            shown["match"] = True
        return shown


def clock_time(seconds: float) -> str:
    """``H:MM:SS`` of a time into a recording, as a model reads it."""
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


TranscriptSource = Literal["transcript", "captions", "meeting_transcript"]


class Transcript(_Shown):
    """One page of a meeting transcript, as speaker turns.

    ``source`` is the recording's audio transcript, its live ``captions`` (no speaker names)
    or the ``meeting_transcript`` Zoom keeps apart from recordings. ``next_cursor`` continues
    with the next page; ``query`` is the search the page answers (matches and context only).
    """

    instance: PastInstance
    source: TranscriptSource
    turns: list[Turn] = Field(default_factory=list)
    next_cursor: str | None = None
    query: str | None = None

    _shown_as = _display.transcript

    @property
    def items(self) -> list[Turn]:
        """The turns (what ``client.iter_transcript`` walks)."""
        return self.turns

    @property
    def next_page_token(self) -> str | None:
        """``next_cursor``, under the name the client's page walking reads."""
        return self.next_cursor

    def to_text(self) -> str:
        """The turns as plain text, one ``[H:MM:SS] Speaker: text`` line each."""
        lines = []
        for turn in self.turns:
            who = f"{turn.speaker}: " if turn.speaker else ""
            lines.append(f"[{clock_time(turn.start)}] {who}{turn.text}")
        return "\n".join(lines)

    def search(self, query: str) -> list[Turn]:
        """The turns of this page that hold every word of ``query`` (any case)."""
        words = query_words(query)
        return [t for t in self.turns if words and matches(words, t.speaker, t.text)]

    def to_output(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"instance": self.instance.to_output(), "source": self.source}
        if self.source == "captions":
            shown["note"] = "Live captions: speakers are not named."
        shown["turns"] = [t.to_output() for t in self.turns]
        if self.query is not None:
            found = sum(bool(t.match) for t in self.turns)
            shown["matches"] = found
            if not self.turns:
                shown["note"] = f"No turn on this page holds every word of {self.query!r}."
        elif not self.turns:
            shown["note"] = "The transcript has no speech."
        if self.next_cursor:
            shown["nextCursor"] = self.next_cursor
        return shown


class SummaryDetail(ZoomObject):
    """One section of the (deprecated) structured summary: a topic and what was said."""

    label: str | None = None
    summary: str | None = None


class EditedSummary(ZoomObject):
    """The host's edit of the (deprecated) structured summary."""

    summary_overview: str | None = None
    summary_details: str | None = None
    next_steps: list[str] | None = None


class AISummary(ZoomObject):
    """An AI Companion meeting summary, as Zoom answers Get a meeting summary.

    ``summary_content`` is the whole summary in Markdown; the older structured fields
    (overview, details, next steps, the host's edit) are deprecated but still sent.
    ``to_text()`` is the summary as the tools show it. ``instance`` is the instance used.
    """

    meeting_uuid: str | None = None
    meeting_id: int | None = None
    meeting_topic: str | None = None
    meeting_start_time: str | None = None
    meeting_end_time: str | None = None
    summary_title: str | None = None
    summary_content: str | None = None
    summary_overview: str | None = None
    summary_details: list[SummaryDetail] | None = None
    next_steps: list[str] | None = None
    edited_summary: EditedSummary | None = None
    summary_created_time: str | None = None
    summary_last_modified_time: str | None = None
    summary_last_modified_user_id: str | None = None
    summary_doc_url: str | None = None
    instance: PastInstance | None = None

    @property
    def edited(self) -> bool:
        """Whether someone edited the summary after AI Companion wrote it."""
        return bool(self.summary_last_modified_user_id or self.edited_summary)

    def to_text(self) -> str:
        """The summary as text: ``summary_content``, else built from the structured fields
        (the host's edit first): overview, one section per topic, next steps."""
        if self.summary_content and self.summary_content.strip():
            return self.summary_content.strip()
        edit = self.edited_summary
        overview = (edit.summary_overview if edit else None) or self.summary_overview
        steps = (edit.next_steps if edit else None) or self.next_steps or []
        parts = [overview.strip()] if overview else []
        if edit is not None and edit.summary_details:
            parts.append(edit.summary_details.strip())
        else:
            for detail in self.summary_details or []:
                if detail.summary:
                    parts.append(f"## {detail.label or 'Topic'}\n{detail.summary.strip()}")
        if steps:
            parts.append("## Next steps\n" + "\n".join(f"- {step}" for step in steps))
        return "\n\n".join(parts)


class Span(ZoomObject):
    """A stretch of time someone was in a meeting (Zoom's UTC ``yyyy-MM-ddTHH:mm:ssZ``)."""

    start: str
    end: str


class Attendee(_Shown):
    """One person at a meeting instance: every join of theirs merged (rejoins, reconnects).

    ``minutes`` counts the time they were in, overlapping sessions once; ``sessions`` how
    often they joined; ``spans`` when they were in (sessions that overlap or touch merged;
    for Python callers, not in the tool's output). Times are Zoom's UTC
    ``yyyy-MM-ddTHH:mm:ssZ``.
    """

    name: str
    email: str | None = None
    user_id: str | None = None
    first_join: str | None = None
    last_leave: str | None = None
    minutes: float = 0.0
    sessions: int = 0
    spans: list[Span] = Field(default_factory=list, exclude=True)


class Absentee(_Shown):
    """Someone usually at the meeting who missed this instance: present in ``seen_in`` of the
    other instances compared."""

    name: str
    email: str | None = None
    user_id: str | None = None
    seen_in: int


class Attendance(_Shown):
    """Who attended a meeting instance, and who usually attends but was absent.

    ``absent`` is None when no other instance could be compared (a one-off meeting, or
    ``compared_instances`` 0); otherwise it lists those present in at least half of the
    ``compared_instances`` other instances who missed this one.
    """

    instance: PastInstance
    attendees: list[Attendee] = Field(default_factory=list)
    absent: list[Absentee] | None = None
    compared_instances: int = 0

    _shown_as = _display.attendance

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per person: the attendees, then the usual attendees who were absent
        (``present`` False). Needs pandas (``pip install 'zoom-agent-tools[pandas]'``)."""
        pd = _pandas("Attendance.to_dataframe()")
        rows = [{**a.model_dump(), "present": True, "seen_in": None} for a in self.attendees]
        for absentee in self.absent or []:
            rows.append({**absentee.model_dump(), "present": False, "minutes": 0.0, "sessions": 0})
        frame: pandas.DataFrame = pd.DataFrame(rows, columns=_ATTENDANCE_COLUMNS)
        for column in ("first_join", "last_leave"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        frame["seen_in"] = frame["seen_in"].astype("Int64")  # whole numbers, empty if present
        return frame

    def timeline(self) -> pandas.DataFrame:
        """When each attendee was in: one row per span (``name``, ``start``, ``end``,
        ``minutes``), attendees in the order of their first join, a rejoin after a gap a
        row of its own. Needs pandas."""
        pd = _pandas("Attendance.timeline()")
        rows = [(a.name, s.start, s.end) for a in self.attendees for s in a.spans]
        frame: pandas.DataFrame = pd.DataFrame(rows, columns=["name", "start", "end"])
        for column in ("start", "end"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        frame["minutes"] = (frame["end"] - frame["start"]).dt.total_seconds() / 60
        return frame

    def to_output(self) -> dict[str, Any]:
        shown = super().to_output()
        if self.absent is None:
            shown["absent"] = None
            shown["absentNote"] = "Unknown: no other instance of this meeting was compared."
        return shown


def _pandas(needed_by: str) -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            f"{needed_by} needs pandas: pip install 'zoom-agent-tools[pandas]'"
        ) from None
    return pandas


_ATTENDANCE_COLUMNS = [
    "name",
    "email",
    "user_id",
    "present",
    "first_join",
    "last_leave",
    "minutes",
    "sessions",
    "seen_in",
]
