"""Argument models of the ten tools: parameter names, descriptions and every validation rule.

Fields are snake_case for Python callers, with the tools' camelCase names as aliases; JSON
schemas use the camelCase names. Unknown arguments are refused. Each rule answers with the
parameter's name and what is allowed, before any request is made.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic.json_schema import (
    GenerateJsonSchema,
    JsonSchemaMode,
    JsonSchemaValue,
)
from pydantic_core import core_schema

__all__ = [
    "CompactJsonSchema",
    "CreateMeetingArgs",
    "DeleteMeetingArgs",
    "DeleteRecordingArgs",
    "GetMeetingArgs",
    "GetMeetingInvitationArgs",
    "GetMeetingRecordingsArgs",
    "ListMeetingsArgs",
    "ListPastParticipantsArgs",
    "ListRecordingsArgs",
    "RecurrenceArgs",
    "ToolArgs",
    "UpdateMeetingArgs",
    "format_start_time",
]

PASSWORD_MAX = 10
_INT64_MAX = 2**63 - 1
_REPEAT_MAX = {1: 99, 2: 50, 3: 10}

# The patterns below are enforced by pydantic and shown to the model as JSON Schema
# ``pattern``s. Compiled with re.ASCII, Python reads ``\d`` and ``\w`` as ECMA-262 does.
# Zoom decodes path values twice, so no id may hold ``%``; and none may be ``.`` or ``..``.
#: Up to 18 digits, so every meeting number fits Zoom's int64 (real ones have 9-11).
MEETING_NUMBER_PATTERN = r"^[1-9]\d{0,17}$"
#: A meeting number, or an instance UUID: 16 bytes in standard base64, e.g.
#: "aDYlohsHRtCd4ii1uC2+hA==" (a little shorter or longer passes, as in older data; never all
#: digits, which is a meeting number).
MEETING_REF_PATTERN = r"^([1-9]\d{0,17}|(?!\d+$)[A-Za-z\d+/]{12,24}={0,2})$"
#: Epoch milliseconds, e.g. "1648194360000".
OCCURRENCE_PATTERN = r"^\d{1,18}$"
#: Recording file ids are UUIDs ("a2f19f96-9294-...") or base64url ("pvKocCqVSMygaOcKus5Afw").
RECORDING_ID_PATTERN = r"^[\w-]{1,64}$"
#: Zoom's page tokens are letters and digits ("At6eWnFZ1FB3arCXnRxqHLXKhbDW18yz2i2").
PAGE_TOKEN_PATTERN = r"^[\w-]{1,256}$"
#: "me", a user id ("_0ctZtY0REqWalTmwvrdIw", "27423744") or an ASCII e-mail address.
USER_ID_PATTERN = r"^([\w-]{1,64}|[\w.+'-]+@[\w-]+(\.[\w-]+)+)$"
USER_ID_MAX = 128  # Zoom's limit on e-mail addresses
# Zoom's update schema allows letters, digits and only "@ - _ *"; its create schema's wording is
# looser. We accept the set both schemas allow, so a passcode valid at create stays valid later.
PASSWORD_PATTERN = rf"^[\w@*-]{{1,{PASSWORD_MAX}}}$"
WEEKLY_DAYS_PATTERN = r"^[1-7]( ?, ?[1-7]){0,6}$"
#: yyyy-mm-dd in the years 1970-2099 (the calendar is checked apart).
DATE_PATTERN = r"^(19[7-9]|20\d)\d-\d\d-\d\d$"
#: ISO 8601 in the forms every supported Python reads alike: seconds and milliseconds
#: optional; "Z", an offset or nothing (local time in ``timezone``).
DATE_TIME_PATTERN = r"^(19[7-9]|20\d)\d-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{3})?)?(Z|[+-]\d\d:\d\d)?$"

#: What each pattern means, for the agent reading a refusal (a function of the refused value
#: where one message cannot say it).
_PATTERN_MESSAGES: dict[str, str | Callable[[str], str]] = {
    MEETING_NUMBER_PATTERN: (
        "must be the numeric meeting ID, digits only (e.g. '85746065432'); list meetings to find it"
    ),
    MEETING_REF_PATTERN: (
        "must be a numeric meeting ID (e.g. '85746065432') or an instance UUID exactly as Zoom "
        "lists it (e.g. 'aDYlohsHRtCd4ii1uC2+hA=='), not URL-encoded"
    ),
    OCCURRENCE_PATTERN: (
        "must be an occurrence id from the meeting's occurrences (digits, e.g. '1648194360000')"
    ),
    RECORDING_ID_PATTERN: (
        "must be the id of one file in recording_files (letters, digits, - and _), e.g. "
        "'a2f19f96-9294-4f51-8134-6f0eea108eb2'"
    ),
    PAGE_TOKEN_PATTERN: (
        "must be pageInfo.nextPageToken exactly as the previous page gave it (letters, digits, "
        "- and _)"
    ),
    USER_ID_PATTERN: (
        "must be 'me', the user's email address or Zoom user id (letters, digits, - and _)"
    ),
    PASSWORD_PATTERN: f"must be 1-{PASSWORD_MAX} characters: letters, digits and @ - _ * only",
    WEEKLY_DAYS_PATTERN: "must be distinct digits 1-7 separated by commas, e.g. '2,4'",
    DATE_PATTERN: (
        "must be a date in yyyy-mm-dd form between the years 1970 and 2099, e.g. '2026-06-03'"
    ),
}


def pattern_message(pattern: str, value: str) -> str | None:
    """Why ``value`` does not match ``pattern``, or None for a pattern not declared here."""
    message = _PATTERN_MESSAGES.get(pattern)
    return message(value) if callable(message) else message


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = definitions[ref.rsplit("/", 1)[-1]]
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return {**_inline_refs(target, definitions), **_inline_refs(siblings, definitions)}
        return {k: _inline_refs(v, definitions) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, definitions) for v in node]
    return node


class CompactJsonSchema(GenerateJsonSchema):
    """JSON schemas sized for a model's context: no titles, null branches, null defaults or refs.

    An optional argument is simply left out of ``required``; spelling out ``anyOf [..., null]``
    and ``"default": null`` for each of ~60 parameters costs tokens on every agent turn.
    """

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        result = super().default_schema(schema)
        if result.get("default", ...) is None:
            result.pop("default")
        return result

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def generate(self, schema: Any, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        result = super().generate(schema, mode=mode)
        definitions = result.pop("$defs", {})
        # The tool's description says what the call does; a model's docstring would repeat it.
        for node in (result, *definitions.values()):
            node.pop("title", None)
            node.pop("description", None)
        # Nested models are written in place: "$ref" with sibling keys is read differently by
        # different tool-calling layers, and there are no recursive argument models.
        inlined: JsonSchemaValue = _inline_refs(result, definitions)
        return inlined


class ToolArgs(BaseModel):
    """Base of the argument models: camelCase aliases, unknown arguments refused."""

    model_config = ConfigDict(
        defer_build=True,  # built on first use, keeping the import cheap
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
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
        kwargs.setdefault("schema_generator", CompactJsonSchema)
        return super().model_json_schema(*args, **kwargs)


def _as_text(value: Any) -> Any:
    # Agents often send ids as numbers; a bool is never an id.
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > _INT64_MAX:
            raise ValueError("the number is too large: Zoom's numbers fit in 64 bits")
        return str(value)
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


def _check_plain_text(value: str) -> str:
    # Control and invisible format characters (zero-width spaces, bidi overrides) have no
    # place in a one-line title and can hide what an agent wrote.
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        raise ValueError("must be one line of visible text (no control or invisible characters)")
    return value


def _not_bool(value: Any) -> Any:
    # JSON true is not the number 1 here: refuse it rather than create an instant meeting.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


def _as_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError("must be true or false")


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


_NOT_ZONES = frozenset({"localtime", "Factory"})


def _check_timezone(value: str) -> str:
    if value not in _timezones() or value in _NOT_ZONES or value.startswith(("posix/", "right/")):
        raise ValueError(
            "must be an IANA time zone name such as 'America/Los_Angeles', 'Europe/Berlin' or 'UTC'"
        )
    return value


_ISO_MESSAGE = (
    "must be an ISO 8601 date-time such as '2026-06-03T10:00:00Z' (UTC) or "
    "'2026-06-03T10:00:00' (local time in `timezone`)"
)
_YEARS_MESSAGE = "must be a date-time between the years 1970 and 2099"
_DAY_PREFIX_RE = re.compile(r"^(\d{4})-\d\d-\d\d", re.ASCII)


def _date_time_message(value: str) -> str:
    """Why ``value`` does not match DATE_TIME_PATTERN, as precisely as can be said."""
    day = _DAY_PREFIX_RE.match(value)
    if day is not None and not 1970 <= int(day[1]) <= 2099:
        return _YEARS_MESSAGE
    if day is not None and len(value) == day.end():
        return "must include a time, e.g. '2026-06-03T10:00:00Z'"
    return _ISO_MESSAGE


_PATTERN_MESSAGES[DATE_TIME_PATTERN] = _date_time_message


def _from_python_time(value: Any) -> Any:
    # Python callers may pass datetime objects; agents send ISO strings.
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")  # Zoom keeps no fractions
    return value


def _from_python_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return value


def _check_datetime(value: str) -> str:
    # The pattern fixed the form; what is left is the calendar (no 30 February, no hour 25).
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_ISO_MESSAGE) from None
    try:
        return format_start_time(parsed)
    except OverflowError:
        raise ValueError(_YEARS_MESSAGE) from None


def format_start_time(moment: datetime) -> str:
    """Zoom's form: UTC with ``Z`` for an aware time, local ``yyyy-MM-ddTHH:mm:ss`` otherwise."""
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _check_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a real calendar date (yyyy-mm-dd)") from None
    return value


def _add_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


# Constraints come before the validators in each Annotated type: pydantic then checks them
# itself and writes them into the JSON schema as minimum/maximum/maxLength/pattern.
def _text(pattern: str, max_length: int | None = None) -> StringConstraints:
    return StringConstraints(pattern=re.compile(pattern, re.ASCII), max_length=max_length)


UserId = Annotated[str, _text(USER_ID_PATTERN, USER_ID_MAX), BeforeValidator(_as_text)]
MeetingNumber = Annotated[str, _text(MEETING_NUMBER_PATTERN), BeforeValidator(_as_text)]
MeetingRef = Annotated[str, _text(MEETING_REF_PATTERN), BeforeValidator(_as_text)]
OccurrenceId = Annotated[str, _text(OCCURRENCE_PATTERN), BeforeValidator(_as_text)]
RecordingId = Annotated[str, _text(RECORDING_ID_PATTERN), BeforeValidator(_as_text)]
PageToken = Annotated[str, _text(PAGE_TOKEN_PATTERN), BeforeValidator(_as_text)]
Topic = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(_check_plain_text)
]
Bool = Annotated[bool, BeforeValidator(_as_bool)]
Agenda = Annotated[str, StringConstraints(max_length=2000)]
StartTime = Annotated[
    str,
    _text(DATE_TIME_PATTERN),
    BeforeValidator(_from_python_time),
    AfterValidator(_check_datetime),
]
Timezone = Annotated[str, AfterValidator(_check_timezone)]
Password = Annotated[str, _text(PASSWORD_PATTERN)]
WeeklyDays = Annotated[str, _text(WEEKLY_DAYS_PATTERN)]
DateText = Annotated[
    str, _text(DATE_PATTERN), BeforeValidator(_from_python_date), AfterValidator(_check_date)
]
Duration = Annotated[int, Field(ge=1, le=1440), BeforeValidator(_not_bool)]
PageSize = Annotated[int, Field(ge=1, le=300), BeforeValidator(_not_bool)]
RepeatInterval = Annotated[
    int, Field(ge=1, le=max(_REPEAT_MAX.values())), BeforeValidator(_not_bool)
]
MonthDay = Annotated[int, Field(ge=1, le=31), BeforeValidator(_not_bool)]
WeekDay = Annotated[int, Field(ge=1, le=7), BeforeValidator(_not_bool)]
EndTimes = Annotated[int, Field(ge=1, le=60), BeforeValidator(_not_bool)]
Ttl = Annotated[int, Field(ge=0, le=604800), BeforeValidator(_not_bool)]
MeetingType = Annotated[Literal[1, 2, 3, 8], BeforeValidator(_not_bool)]
AutoRecording = Literal["local", "cloud", "none"]

_USER_ID_DOC = "'me', an email address or a Zoom user id."
_MEETING_NUMBER_DOC = "Meeting ID, e.g. '85746065432'."
_MEETING_REF_DOC = "Meeting ID or instance UUID."
_PAGE_SIZE_DOC = "Records per page (default 30)."
_NEXT_PAGE_DOC = "pageInfo.nextPageToken of the previous page."


class RecurrenceArgs(ToolArgs):
    """How a recurring meeting repeats."""

    type: Annotated[Literal[1, 2, 3], BeforeValidator(_not_bool)] = Field(
        description="1 daily, 2 weekly, 3 monthly."
    )
    repeat_interval: RepeatInterval | None = Field(
        default=None,
        description=(
            f"Every N days/weeks/months (at most {_REPEAT_MAX[1]}/{_REPEAT_MAX[2]}/"
            f"{_REPEAT_MAX[3]})."
        ),
    )
    weekly_days: WeeklyDays | None = Field(
        default=None, description="Weekly: distinct days, 1=Sunday..7=Saturday, e.g. '2,4'."
    )
    monthly_day: MonthDay | None = Field(default=None, description="Monthly: day of the month.")
    monthly_week: Annotated[Literal[-1, 1, 2, 3, 4], BeforeValidator(_not_bool)] | None = Field(
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
        if self.repeat_interval is not None and self.repeat_interval > _REPEAT_MAX[self.type]:
            raise ValueError(
                f"repeatInterval must be at most {_REPEAT_MAX[self.type]} for recurrence type "
                f"{self.type}"
            )
        if self.type == 2:
            if self.weekly_days is None:
                raise ValueError(
                    "weeklyDays is required for weekly recurrence (type 2), e.g. '2,4'"
                )
            # Zoom documents a comma list ("1,3") while its enum lists single digits; real Zoom
            # takes the list, so the pattern checks the documented form.
            days = self.weekly_days.replace(" ", "").split(",")
            if len(set(days)) != len(days):
                raise ValueError(
                    "weeklyDays must be distinct digits 1-7 separated by commas, e.g. '2,4'"
                )
            object.__setattr__(self, "weekly_days", ",".join(days))
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
    host_video: Bool | None = Field(default=None, description="Start with the host's video on.")
    participant_video: Bool | None = Field(
        default=None, description="Start with participants' video on."
    )
    join_before_host: Bool | None = Field(
        default=None, description="Let participants join before the host."
    )
    mute_upon_entry: Bool | None = Field(default=None, description="Mute participants on entry.")
    waiting_room: Bool | None = Field(default=None, description="Enable the waiting room.")
    auto_recording: AutoRecording | None = Field(default=None, description="Record automatically.")
    recurrence: RecurrenceArgs | None = Field(
        default=None,
        description="How a recurring meeting repeats; type 8 needs it.",
    )

    def zoom_body(self) -> dict[str, Any]:
        """The JSON body Zoom expects, with only the fields the caller gave."""
        body: dict[str, Any] = {}
        for name in ("topic", "type", "start_time", "duration", "timezone", "password", "agenda"):
            if name in self.model_fields_set and getattr(self, name, None) is not None:
                body[name] = getattr(self, name)
        settings = {
            name: getattr(self, name)
            for name in _SETTING_FIELDS
            if name in self.model_fields_set and getattr(self, name) is not None
        }
        if settings:
            body["settings"] = settings
        if self.recurrence is not None:
            body["recurrence"] = self.recurrence.to_zoom()
        return body

    def _check_recurrence_type(self) -> None:
        """Recurrence only with a recurring type."""
        if self.recurrence is not None and self.type is not None and self.type not in (3, 8):
            raise ValueError(
                "recurrence applies only to recurring meetings: set type 8 (fixed time) or 3"
            )


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
    show_previous_occurrences: Bool | None = Field(
        default=None, description="Include past occurrences."
    )


class DeleteMeetingArgs(ToolArgs):
    """Arguments of zoom_delete_meeting."""

    meeting_id: MeetingNumber = Field(description=_MEETING_NUMBER_DOC)
    occurrence_id: OccurrenceId | None = Field(
        default=None,
        description="Delete only this occurrence.",
    )
    schedule_for_reminder: Bool | None = Field(
        default=None, description="E-mail the host and alternative hosts about it."
    )
    cancel_meeting_reminder: Bool | None = Field(
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
        alias="from",
        description="First day (UTC); default today. At most a month before `to`.",
    )
    to: DateText | None = Field(
        default=None, description="Last day (UTC); default the day after `from`."
    )
    page_size: PageSize | None = Field(default=None, description=_PAGE_SIZE_DOC)
    next_page_token: PageToken | None = Field(default=None, description=_NEXT_PAGE_DOC)
    trash: Bool | None = Field(default=None, description="List the trash instead (no dates then).")

    @model_validator(mode="after")
    def _rules(self) -> ListRecordingsArgs:
        if self.trash and (self.from_ is not None or self.to is not None):
            raise ValueError("from/to cannot be used with trash=true: Zoom lists all of the trash")
        if self.to is not None and self.from_ is None:
            raise ValueError("give from with to: without it Zoom starts from today (UTC)")
        if self.from_ is not None and self.to is not None:
            start, end = date.fromisoformat(self.from_), date.fromisoformat(self.to)
            if start > end:
                raise ValueError("from must be on or before to")
            if end > _add_month(start):
                raise ValueError(
                    "from and to may be at most one month apart; walk longer periods month by month"
                )
        return self


class GetMeetingRecordingsArgs(ToolArgs):
    """Arguments of zoom_get_meeting_recordings."""

    meeting_id: MeetingRef = Field(description=_MEETING_REF_DOC)
    include_folder_items: Bool | None = Field(
        default=None, description="Include items within a recording folder."
    )
    ttl: Ttl | None = Field(default=None, description="Lifetime of the download token, in seconds.")
    download_files: Bool | None = Field(
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
