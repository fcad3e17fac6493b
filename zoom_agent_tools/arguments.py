"""Argument models of the tools: parameter names, descriptions and the rules between them.

Fields are snake_case for Python callers, with the tools' camelCase names as aliases; JSON
schemas use the camelCase names. Unknown arguments are refused. Each rule answers with the
parameter's name and what is allowed, before any request is made. What each kind of value
accepts is in ``_fields``; the compact JSON schema in ``_schema``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic.alias_generators import to_camel

from zoom_agent_tools._fields import (
    REPEAT_MAX,
    Agenda,
    AutoRecording,
    BoolOrText,
    Cursor,
    DateText,
    Duration,
    EndTimes,
    InstanceCount,
    MaxChars,
    MeetingNumber,
    MeetingRef,
    MeetingType,
    MonthDay,
    MonthWeek,
    OccurrenceId,
    PageSize,
    PageToken,
    Password,
    PastOccurrence,
    RecordingId,
    RecurrenceType,
    RepeatInterval,
    SearchText,
    StartTime,
    Timezone,
    Topic,
    Ttl,
    UserId,
    WeekDay,
    WeeklyDays,
)
from zoom_agent_tools._input import WALKING

__all__ = [
    "CreateMeetingArgs",
    "DeleteMeetingArgs",
    "DeleteRecordingArgs",
    "GetMeetingArgs",
    "GetMeetingAttendanceArgs",
    "GetMeetingInvitationArgs",
    "GetMeetingRecordingsArgs",
    "GetMeetingSummaryArgs",
    "GetMeetingTranscriptArgs",
    "ListMeetingsArgs",
    "ListPastMeetingInstancesArgs",
    "ListPastParticipantsArgs",
    "ListRecordingsArgs",
    "PastInstanceArgs",
    "RecurrenceArgs",
    "ToolArgs",
    "UpdateMeetingArgs",
]


def _alias(name: str) -> str:
    """The tool's camelCase name of a field; a trailing ``_`` only escapes a Python keyword."""
    return to_camel(name.removesuffix("_"))


class ToolArgs(BaseModel):
    """Base of the argument models: camelCase aliases, unknown arguments refused."""

    model_config = ConfigDict(
        defer_build=True,  # built on first use, keeping the import cheap
        extra="forbid",
        alias_generator=_alias,
        # Python callers use the field names. (``validate_by_name``, not ``populate_by_name``:
        # with it the pydantic mypy plugin keeps required fields required in typed signatures.)
        validate_by_name=True,
        str_strip_whitespace=True,
        frozen=True,
        # The meeting-ref pattern needs a lookahead, which pydantic's default engine lacks.
        regex_engine="python-re",
    )

    def given(self) -> set[str]:
        """Names of the fields the caller passed."""
        return set(self.model_fields_set)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The arguments' JSON schema, compact unless another ``schema_generator`` is given."""
        from zoom_agent_tools._schema import CompactJsonSchema

        kwargs.setdefault("schema_generator", CompactJsonSchema)
        return super().model_json_schema(*args, **kwargs)


def _add_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


_USER_ID_DOC = "'me', an email address or a Zoom user id."
_MEETING_NUMBER_DOC = "Meeting ID, e.g. '85746065432'."
_MEETING_REF_DOC = "Meeting ID or instance UUID."
_PAGE_SIZE_DOC = "Records per page (default 30)."
_NEXT_PAGE_DOC = "pageInfo.nextPageToken of the previous page."


class RecurrenceArgs(ToolArgs):
    """How a recurring meeting repeats."""

    type: RecurrenceType = Field(description="1 daily, 2 weekly, 3 monthly.")
    repeat_interval: RepeatInterval | None = Field(
        default=None,
        description=(
            f"Every N days/weeks/months (at most {REPEAT_MAX[1]}/{REPEAT_MAX[2]}/{REPEAT_MAX[3]})."
        ),
    )
    weekly_days: WeeklyDays | None = Field(
        default=None, description="Weekly: distinct days, 1=Sunday..7=Saturday, e.g. '2,4'."
    )
    monthly_day: MonthDay | None = Field(default=None, description="Monthly: day of the month.")
    monthly_week: MonthWeek | None = Field(
        default=None, description="Monthly: week of the month, -1 for the last."
    )
    monthly_week_day: WeekDay | None = Field(
        default=None, description="Monthly: weekday, 1=Sunday..7=Saturday."
    )
    end_times: EndTimes | None = Field(default=None, description="End after N occurrences.")
    end_date_time: StartTime | None = Field(
        default=None,
        description="End on this date-time, e.g. '2026-12-31T23:59:00Z'.",
    )

    @model_validator(mode="after")
    def _rules(self) -> RecurrenceArgs:
        if self.end_times is not None and self.end_date_time is not None:
            raise ValueError("give endTimes or endDateTime, not both")
        if self.repeat_interval is not None and self.repeat_interval > REPEAT_MAX[self.type]:
            raise ValueError(
                f"repeatInterval must be at most {REPEAT_MAX[self.type]} for recurrence type "
                f"{self.type}"
            )
        if self.type == 2:
            if self.weekly_days is None:
                raise ValueError(
                    "weeklyDays is required for weekly recurrence (type 2), e.g. '2,4'"
                )
            days = self.weekly_days.split(",")
            if len(set(days)) != len(days):
                raise ValueError(
                    "weeklyDays must be distinct digits 1-7 separated by commas, e.g. '2,4'"
                )
        elif self.weekly_days is not None:
            raise ValueError("weeklyDays applies only to weekly recurrence (type 2)")
        if self.type == 3:
            by_week = self.monthly_week is not None or self.monthly_week_day is not None
            if self.monthly_day is not None and by_week:
                raise ValueError("give monthlyDay, or monthlyWeek with monthlyWeekDay, not both")
            if by_week and (self.monthly_week is None or self.monthly_week_day is None):
                raise ValueError("monthlyWeek and monthlyWeekDay go together")
            if self.monthly_day is None and not by_week:
                raise ValueError(
                    "monthly recurrence (type 3) needs monthlyDay, or monthlyWeek with "
                    "monthlyWeekDay"
                )
        elif any(
            v is not None for v in (self.monthly_day, self.monthly_week, self.monthly_week_day)
        ):
            raise ValueError("monthlyDay/monthlyWeek/monthlyWeekDay apply only to type 3")
        return self

    def to_zoom(self) -> dict[str, Any]:
        """The ``recurrence`` object Zoom expects."""
        return self.model_dump(exclude_none=True, by_alias=False)


class _MeetingFields(ToolArgs):
    """Fields shared by create and update."""

    type: MeetingType | None = Field(
        default=None,
        description=(
            "1 instant, 2 scheduled (default), 3 recurring without fixed time, 8 recurring."
        ),
    )
    start_time: StartTime | None = Field(
        default=None,
        description=(
            "'2026-06-03T10:00:00Z' is UTC; without Z, local time in `timezone`. Omit to start "
            "now; type 8 needs it."
        ),
    )
    duration: Duration | None = Field(default=None, description="Length in minutes.")
    timezone: Timezone | None = Field(
        default=None, description="IANA time zone, e.g. 'America/Los_Angeles'."
    )
    password: Password | None = Field(
        default=None,
        description="Passcode; omit to let Zoom generate one.",
    )
    agenda: Agenda | None = Field(default=None, description="Description.")
    host_video: BoolOrText | None = Field(
        default=None, description="Start with the host's video on."
    )
    participant_video: BoolOrText | None = Field(
        default=None, description="Start with participants' video on."
    )
    join_before_host: BoolOrText | None = Field(
        default=None, description="Let participants join before the host."
    )
    mute_upon_entry: BoolOrText | None = Field(
        default=None, description="Mute participants on entry."
    )
    waiting_room: BoolOrText | None = Field(default=None, description="Enable the waiting room.")
    auto_recording: AutoRecording | None = Field(default=None, description="Record automatically.")
    recurrence: RecurrenceArgs | None = Field(
        default=None,
        description="How a recurring meeting repeats; type 8 needs it.",
    )

    def zoom_body(self) -> dict[str, Any]:
        """The JSON body Zoom expects, with only the fields the caller gave."""
        body = self._given(_BODY_FIELDS)
        settings = self._given(_SETTING_FIELDS)
        if settings:
            body["settings"] = settings
        if self.recurrence is not None:
            body["recurrence"] = self.recurrence.to_zoom()
        return body

    def _given(self, names: Iterable[str]) -> dict[str, Any]:
        """The fields among ``names`` that the caller gave (and not as null), by name."""
        return {
            name: value
            for name in names
            if name in self.model_fields_set and (value := getattr(self, name, None)) is not None
        }

    def _check_recurrence_type(self) -> None:
        """Recurrence only with a recurring type."""
        if self.recurrence is not None and self.type is not None and self.type not in (3, 8):
            raise ValueError(
                "recurrence applies only to recurring meetings: set type 8 (fixed time) or 3"
            )


#: Fields sent at the top of Zoom's meeting body.
_BODY_FIELDS = ("topic", "type", "start_time", "duration", "timezone", "password", "agenda")
#: Fields sent inside the body's ``settings``.
_SETTING_FIELDS = (
    "host_video",
    "participant_video",
    "join_before_host",
    "mute_upon_entry",
    "waiting_room",
    "auto_recording",
)
#: What Zoom lets a single occurrence change (the rest belongs to the whole series).
_OCCURRENCE_FIELDS = ("agenda", "start_time", "duration", *_SETTING_FIELDS)


class _CreateHead(ToolArgs):
    user_id: UserId = Field(description=_USER_ID_DOC)
    topic: Topic = Field(description="Meeting topic.")


class CreateMeetingArgs(_MeetingFields, _CreateHead):
    """Arguments of zoom_create_meeting."""

    @model_validator(mode="after")
    def _rules(self) -> CreateMeetingArgs:
        self._check_recurrence_type()
        if self.recurrence is not None and self.type is None:
            # Without a type Zoom schedules a one-off meeting and silently drops recurrence.
            raise ValueError("recurrence needs type 8 (recurring, fixed time) or 3")
        end = self.recurrence.end_date_time if self.recurrence is not None else None
        # Both are UTC "...Z" strings of one fixed width here, so they compare as times.
        start = self.start_time
        if end is not None and start is not None and start.endswith("Z") and end <= start:
            raise ValueError("recurrence.endDateTime must be after startTime")
        # Without startTime a scheduled meeting (type 2) starts now, as Zoom does.
        if self.type == 8 and self.start_time is None:
            raise ValueError(
                "startTime is required for meeting type 8 (e.g. '2026-06-03T10:00:00Z')"
            )
        if self.type == 8 and self.recurrence is None:
            raise ValueError(
                "recurrence is required for type 8, e.g. {'type': 2, 'weeklyDays': '2', "
                "'endTimes': 4}"
            )
        return self


class _UpdateHead(ToolArgs):
    meeting_id: MeetingNumber = Field(description=_MEETING_NUMBER_DOC)
    occurrence_id: OccurrenceId | None = Field(
        default=None,
        description="Change only this occurrence.",
    )
    topic: Topic | None = Field(default=None, description="New topic.")


class UpdateMeetingArgs(_MeetingFields, _UpdateHead):
    """Arguments of zoom_update_meeting."""

    @model_validator(mode="after")
    def _rules(self) -> UpdateMeetingArgs:
        self._check_recurrence_type()
        target = {"meeting_id", "occurrence_id"}
        changes = self.given() - target
        if not changes:
            changeable = [n for n in type(self).model_fields if n not in target]
            raise ValueError(f"nothing to change: give at least one of {_camel_list(changeable)}")
        if self.occurrence_id is not None:
            not_allowed = [
                n for n in type(self).model_fields if n in changes and n not in _OCCURRENCE_FIELDS
            ]
            if not_allowed:
                raise ValueError(
                    f"with occurrenceId only {_camel_list(_OCCURRENCE_FIELDS)} can change, "
                    f"not {_camel_list(not_allowed)}"
                )
        return self


def _camel_list(names: Iterable[str]) -> str:
    return ", ".join(to_camel(n) for n in names)


class ListMeetingsArgs(ToolArgs):
    """Arguments of zoom_list_meetings."""

    user_id: UserId = Field(description=_USER_ID_DOC)
    type: (
        Literal["scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings"] | None
    ) = Field(default=None, description="Which meetings (default 'scheduled').")
    page_size: PageSize | None = Field(default=None, description=_PAGE_SIZE_DOC)
    next_page_token: PageToken | None = Field(default=None, description=_NEXT_PAGE_DOC)


class GetMeetingArgs(ToolArgs):
    """Arguments of zoom_get_meeting."""

    meeting_id: MeetingNumber = Field(description=_MEETING_NUMBER_DOC)
    occurrence_id: OccurrenceId | None = Field(default=None, description="Get this occurrence.")
    show_previous_occurrences: BoolOrText | None = Field(
        default=None, description="Include past occurrences."
    )


class DeleteMeetingArgs(ToolArgs):
    """Arguments of zoom_delete_meeting."""

    meeting_id: MeetingNumber = Field(description=_MEETING_NUMBER_DOC)
    occurrence_id: OccurrenceId | None = Field(
        default=None,
        description="Delete only this occurrence.",
    )
    schedule_for_reminder: BoolOrText | None = Field(
        default=None, description="E-mail the host and alternative hosts about it."
    )
    cancel_meeting_reminder: BoolOrText | None = Field(
        default=None, description="E-mail registrants about it."
    )


class GetMeetingInvitationArgs(ToolArgs):
    """Arguments of zoom_get_meeting_invitation."""

    meeting_id: MeetingNumber = Field(description=_MEETING_NUMBER_DOC)


class ListRecordingsArgs(ToolArgs):
    """Arguments of zoom_list_recordings."""

    user_id: UserId = Field(description=_USER_ID_DOC)
    from_: DateText | None = Field(
        default=None,
        description="First day (UTC); default today. At most a month before `to`.",
    )
    to: DateText | None = Field(
        default=None, description="Last day (UTC); default the day after `from`."
    )
    page_size: PageSize | None = Field(default=None, description=_PAGE_SIZE_DOC)
    next_page_token: PageToken | None = Field(default=None, description=_NEXT_PAGE_DOC)
    trash: BoolOrText | None = Field(
        default=None, description="List the trash instead (no dates then)."
    )

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> ListRecordingsArgs:
        if self.trash and (self.from_ is not None or self.to is not None):
            raise ValueError("from/to cannot be used with trash=true: Zoom lists all of the trash")
        if self.to is not None and self.from_ is None:
            raise ValueError("give from with to: without it Zoom starts from today (UTC)")
        if self.from_ is not None and self.to is not None:
            start, end = date.fromisoformat(self.from_), date.fromisoformat(self.to)
            if start > end:
                raise ValueError("from must be on or before to")
            # Iterating every recording walks Zoom's windows itself (see ``month_windows``).
            walks = bool(info.context and info.context.get(WALKING))
            if end > _add_month(start) and not walks:
                raise ValueError(
                    "from and to may be at most one month apart; walk longer periods month by month"
                )
        return self

    def month_windows(self) -> list[ListRecordingsArgs]:
        """These arguments as Zoom's one-month windows, newest first, that together cover
        ``from``..``to`` day by day without overlapping (themselves when one window does)."""
        if self.from_ is None or self.to is None:
            return [self]
        first, day = date.fromisoformat(self.from_), date.fromisoformat(self.to)
        windows: list[ListRecordingsArgs] = []
        while day >= first:
            start = max(first, _month_before(day))
            dates = {"from_": start.isoformat(), "to": day.isoformat()}
            windows.append(self.model_copy(update=dates))
            day = start - timedelta(days=1)
        return windows


def _month_before(day: date) -> date:
    """The earliest day from which ``day`` is at most one month later (Zoom's window)."""
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    last = calendar.monthrange(year, month)[1]
    start = day.replace(year=year, month=month, day=min(day.day, last))
    while _add_month(start) < day:
        start += timedelta(days=1)
    while _add_month(start - timedelta(days=1)) >= day:
        start -= timedelta(days=1)
    return start


class GetMeetingRecordingsArgs(ToolArgs):
    """Arguments of zoom_get_meeting_recordings."""

    meeting_id: MeetingRef = Field(description=_MEETING_REF_DOC)
    include_folder_items: BoolOrText | None = Field(
        default=None, description="Include items within a recording folder."
    )
    ttl: Ttl | None = Field(default=None, description="Lifetime of the download token, in seconds.")
    download_files: BoolOrText | None = Field(
        default=None,
        description="Also download every file.",
    )


class DeleteRecordingArgs(ToolArgs):
    """Arguments of zoom_delete_recording."""

    meeting_id: MeetingRef = Field(description=_MEETING_REF_DOC)
    recording_id: RecordingId | None = Field(
        default=None,
        description="One file's id; omit to delete all of the meeting's files.",
    )
    action: Literal["trash", "delete"] | None = Field(
        default=None,
        description="Default 'trash'; 'delete' is permanent.",
    )


class ListPastParticipantsArgs(ToolArgs):
    """Arguments of zoom_list_past_participants."""

    meeting_id: MeetingRef = Field(description=_MEETING_REF_DOC)
    page_size: PageSize | None = Field(default=None, description=_PAGE_SIZE_DOC)
    next_page_token: PageToken | None = Field(default=None, description=_NEXT_PAGE_DOC)


# -- meeting intelligence: past instances, transcripts, summaries and attendance --------------

_PAST_REF_DOC = "Meeting ID (its latest ended instance) or instance UUID."
_CURSOR_DOC = "nextCursor of the previous page."


class ListPastMeetingInstancesArgs(ToolArgs):
    """Arguments of zoom_list_past_meeting_instances."""

    meeting_id: MeetingRef = Field(description="Meeting ID, or the UUID of one instance.")


class PastInstanceArgs(ToolArgs):
    """A past meeting instance: a UUID, or a meeting ID and which of its ended instances."""

    meeting_id: MeetingRef = Field(description=_PAST_REF_DOC)
    occurrence: PastOccurrence | None = Field(
        default=None, description="With a meeting ID: 'previous' or instances back (0 = latest)."
    )

    @model_validator(mode="after")
    def _occurrence_needs_an_id(self) -> PastInstanceArgs:
        if self.occurrence is not None and not self.meeting_id.isdigit():
            raise ValueError(
                "occurrence picks one of a meeting ID's instances, but meetingId is already an "
                "instance UUID: leave occurrence out"
            )
        return self

    @property
    def index(self) -> int:
        """Which ended instance, counted back from the latest (0)."""
        if self.occurrence in (None, "latest"):
            return 0
        if self.occurrence == "previous":
            return 1
        return int(self.occurrence)


class GetMeetingTranscriptArgs(PastInstanceArgs):
    """Arguments of zoom_get_meeting_transcript."""

    query: SearchText | None = Field(
        default=None, description="Only turns with all these words, and those around them."
    )
    max_chars: MaxChars | None = Field(
        default=None, description="Characters of turns per page (default 20000)."
    )
    cursor: Cursor | None = Field(default=None, description=_CURSOR_DOC)

    @model_validator(mode="after")
    def _cursor_of_this_instance(self) -> GetMeetingTranscriptArgs:
        if self.cursor is None:
            return self
        from zoom_agent_tools.transcripts import decode_cursor

        try:
            cursor = decode_cursor(self.cursor)
        except ValueError:
            raise ValueError(
                "cursor must be nextCursor exactly as the previous transcript page gave it"
            ) from None
        if not self.meeting_id.isdigit() and cursor.uuid != self.meeting_id:
            raise ValueError(
                f"cursor continues the transcript of instance {cursor.uuid}, not of meetingId "
                f"{self.meeting_id}: call again with that meetingId, or without cursor"
            )
        return self


class GetMeetingSummaryArgs(PastInstanceArgs):
    """Arguments of zoom_get_meeting_summary."""


class GetMeetingAttendanceArgs(PastInstanceArgs):
    """Arguments of zoom_get_meeting_attendance."""

    compare_instances: InstanceCount | None = Field(
        default=None,
        description="Other instances compared to find usual attendees (default 4).",
    )
