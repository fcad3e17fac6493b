"""Pydantic models of the Zoom objects the ten operations return.

Models accept fields they do not know (``extra="allow"``) and leave out fields Zoom did not
send. Their declared fields are the ones the tools show to a model; extras stay available to
Python callers. ``repr()`` never shows passcodes, the host's ``start_url`` or tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal, get_args

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from zoom_agent_tools._redact import REDACTED, SECRET_BODY_KEYS, redact_body, redact_url

__all__ = [
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
    "Recording",
    "RecordingFile",
    "RecordingPage",
    "Recurrence",
    "User",
    "ZoomObject",
]


class ZoomObject(BaseModel):
    """Base of every response model: tolerant of unknown fields, secret-free ``repr``."""

    # Built on first use, not at import: most programs touch only a few models.
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

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


class RecordingPage(Page):
    """A page of list recordings."""

    items: list[Recording] = Field(
        default_factory=list,
        validation_alias=AliasChoices("meetings", "items"),
        serialization_alias="meetings",
    )


class ParticipantPage(Page):
    """A page of past-meeting participants."""

    items: list[Participant] = Field(
        default_factory=list,
        validation_alias=AliasChoices("participants", "items"),
        serialization_alias="participants",
    )


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
