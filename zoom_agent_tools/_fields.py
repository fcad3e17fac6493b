"""The argument field types: the patterns and bounds of each kind of value, what each accepts
besides its canonical form, and the message that says why a value was refused.

Constraints come before the validators in each ``Annotated`` type: pydantic then checks them
itself and writes them into the JSON schema as ``minimum``/``maximum``/``maxLength``/``pattern``.
The patterns are compiled with ``re.ASCII``, so Python reads ``\\d`` and ``\\w`` as the
ECMA-262 patterns of a JSON schema do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

__all__ = [
    "CURSOR_PATTERN",
    "DATE_PATTERN",
    "DATE_TIME_PATTERN",
    "MEETING_NUMBER_PATTERN",
    "MEETING_REF_PATTERN",
    "OCCURRENCE_PATTERN",
    "PAGE_TOKEN_PATTERN",
    "PASSWORD_MAX",
    "PASSWORD_PATTERN",
    "PAST_OCCURRENCE_PATTERN",
    "RECORDING_ID_PATTERN",
    "REPEAT_MAX",
    "USER_ID_MAX",
    "USER_ID_PATTERN",
    "WEEKLY_DAYS_PATTERN",
    "format_start_time",
    "pattern_message",
]

PASSWORD_MAX = 10
_INT64_MAX = 2**63 - 1
#: The longest repeat interval for daily (1), weekly (2) and monthly (3) recurrence.
REPEAT_MAX = {1: 99, 2: 50, 3: 10}

# Zoom decodes path values twice, so no id may hold ``%``; and none may be ``.`` or ``..``.
#: Up to 18 digits, so every meeting number fits Zoom's int64 (real ones have 9-11).
MEETING_NUMBER_PATTERN = r"^[1-9]\d{0,17}$"  # see _MEETING_NUMBER_DIGITS
#: A meeting number, or an instance UUID: 16 bytes in standard base64, e.g.
#: "aDYlohsHRtCd4ii1uC2+hA==" (a little shorter or longer passes, as in older data; never all
#: digits, which is a meeting number).
MEETING_REF_PATTERN = r"^([1-9]\d{0,17}|(?!\d+$)[A-Za-z\d+/]{12,24}={0,2})$"
#: Epoch milliseconds, e.g. "1648194360000".
OCCURRENCE_PATTERN = r"^\d{1,18}$"
#: Which ended instance of a meeting: "latest", "previous", or how many back (0 = the latest).
PAST_OCCURRENCE_PATTERN = r"^(latest|previous|\d{1,3})$"
#: A transcript page's nextCursor: URL-safe base64 without padding.
CURSOR_PATTERN = r"^[\w-]{8,200}$"
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


#: The most digits a meeting number may have here (Zoom's have 9 to 11; int64 has 19).
_MEETING_NUMBER_DIGITS = 18


def _digit_count(value: str) -> int | None:
    """How many ASCII digits ``value`` is made of when it is too long to be a meeting number."""
    digits = value.strip()
    if digits.isascii() and digits.isdigit() and len(digits) > _MEETING_NUMBER_DIGITS:
        return len(digits)
    return None


def _meeting_number_message(value: str) -> str:
    count = _digit_count(value)
    if count is not None:
        return (
            f"must be a meeting ID of at most {_MEETING_NUMBER_DIGITS} digits, not {count} "
            "(Zoom's have 9 to 11, e.g. '85746065432'); list meetings to find it"
        )
    return (
        "must be the numeric meeting ID, digits only (e.g. '85746065432'); list meetings to find it"
    )


def _meeting_ref_message(value: str) -> str:
    count = _digit_count(value)
    number = (
        f"a numeric meeting ID of at most {_MEETING_NUMBER_DIGITS} digits, not {count} "
        "(Zoom's have 9 to 11, e.g. '85746065432')"
        if count is not None
        else "a numeric meeting ID (e.g. '85746065432')"
    )
    return (
        f"must be {number} or an instance UUID exactly as Zoom lists it "
        "(e.g. 'aDYlohsHRtCd4ii1uC2+hA=='), not URL-encoded"
    )


#: What each pattern means, for the agent reading a refusal (a function of the refused value
#: where one message cannot say it).
_PATTERN_MESSAGES: dict[str, str | Callable[[str], str]] = {
    MEETING_NUMBER_PATTERN: _meeting_number_message,
    MEETING_REF_PATTERN: _meeting_ref_message,
    OCCURRENCE_PATTERN: (
        "must be an occurrence id from the meeting's occurrences (digits, e.g. '1648194360000')"
    ),
    PAST_OCCURRENCE_PATTERN: (
        "must be 'latest', 'previous' or how many ended instances back (0 = the latest, 1 = "
        "the one before), e.g. '2'"
    ),
    CURSOR_PATTERN: "must be nextCursor exactly as the previous transcript page gave it",
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
    DATE_TIME_PATTERN: _date_time_message,
}


def pattern_message(pattern: str, value: str) -> str | None:
    """Why ``value`` does not match ``pattern``, or None for a pattern not declared here."""
    message = _PATTERN_MESSAGES.get(pattern)
    return message(value) if callable(message) else message


def parse_zoom_time(text: str | None) -> datetime | None:
    """An aware datetime from Zoom's ISO 8601 time (``Z`` or an offset; none means UTC)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def format_start_time(moment: datetime) -> str:
    """Zoom's form: UTC with ``Z`` for an aware time, local ``yyyy-MM-ddTHH:mm:ss`` otherwise."""
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


# -- what each kind of value accepts besides its canonical form ----------------------------


def _id_from_number(value: Any) -> Any:
    # Agents often send ids as numbers; a bool is never an id.
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > _INT64_MAX:
            raise ValueError("the number is too large: Zoom's numbers fit in 64 bits")
        return str(value)
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


def _number_not_bool(value: Any) -> Any:
    # JSON true is not the number 1 here: refuse it rather than create an instant meeting.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


def _bool_from_text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError("must be true or false")


def _iso_from_datetime(value: Any) -> Any:
    # Python callers may pass datetime objects; agents send ISO strings.
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")  # Zoom keeps no fractions
    return value


def _iso_from_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return value


# -- what the pattern cannot say --------------------------------------------------------------


def _visible_text(value: str) -> str:
    # Control and invisible format characters (zero-width spaces, bidi overrides) have no
    # place in a one-line title and can hide what an agent wrote.
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        raise ValueError("must be one line of visible text (no control or invisible characters)")
    return value


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


_NOT_ZONES = frozenset({"localtime", "Factory"})


def _known_timezone(value: str) -> str:
    if value not in _timezones() or value in _NOT_ZONES or value.startswith(("posix/", "right/")):
        raise ValueError(
            "must be an IANA time zone name such as 'America/Los_Angeles', 'Europe/Berlin' or 'UTC'"
        )
    return value


def _zoom_start_time(value: str) -> str:
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


def _calendar_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a real calendar date (yyyy-mm-dd)") from None
    return value


def _weekdays_without_spaces(value: str) -> str:
    # Zoom documents a comma list ("1,3") while its enum lists single digits; real Zoom takes
    # the list, so the pattern checks the documented form. Sent without spaces.
    return value.replace(" ", "")


def _text(pattern: str, max_length: int | None = None) -> StringConstraints:
    return StringConstraints(pattern=re.compile(pattern, re.ASCII), max_length=max_length)


UserId = Annotated[str, _text(USER_ID_PATTERN, USER_ID_MAX), BeforeValidator(_id_from_number)]
MeetingNumber = Annotated[str, _text(MEETING_NUMBER_PATTERN), BeforeValidator(_id_from_number)]
MeetingRef = Annotated[str, _text(MEETING_REF_PATTERN), BeforeValidator(_id_from_number)]
OccurrenceId = Annotated[str, _text(OCCURRENCE_PATTERN), BeforeValidator(_id_from_number)]
RecordingId = Annotated[str, _text(RECORDING_ID_PATTERN), BeforeValidator(_id_from_number)]
PageToken = Annotated[str, _text(PAGE_TOKEN_PATTERN), BeforeValidator(_id_from_number)]
PastOccurrence = Annotated[str, _text(PAST_OCCURRENCE_PATTERN), BeforeValidator(_id_from_number)]
Cursor = Annotated[str, _text(CURSOR_PATTERN)]
SearchText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Topic = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(_visible_text)
]
BoolOrText = Annotated[bool, BeforeValidator(_bool_from_text)]
Agenda = Annotated[str, StringConstraints(max_length=2000)]
StartTime = Annotated[
    str,
    _text(DATE_TIME_PATTERN),
    BeforeValidator(_iso_from_datetime),
    AfterValidator(_zoom_start_time),
]
Timezone = Annotated[str, AfterValidator(_known_timezone)]
Password = Annotated[str, _text(PASSWORD_PATTERN)]
WeeklyDays = Annotated[str, _text(WEEKLY_DAYS_PATTERN), AfterValidator(_weekdays_without_spaces)]
DateText = Annotated[
    str, _text(DATE_PATTERN), BeforeValidator(_iso_from_date), AfterValidator(_calendar_date)
]
Duration = Annotated[int, Field(ge=1, le=1440), BeforeValidator(_number_not_bool)]
PageSize = Annotated[int, Field(ge=1, le=300), BeforeValidator(_number_not_bool)]
RepeatInterval = Annotated[
    int, Field(ge=1, le=max(REPEAT_MAX.values())), BeforeValidator(_number_not_bool)
]
MonthDay = Annotated[int, Field(ge=1, le=31), BeforeValidator(_number_not_bool)]
WeekDay = Annotated[int, Field(ge=1, le=7), BeforeValidator(_number_not_bool)]
EndTimes = Annotated[int, Field(ge=1, le=60), BeforeValidator(_number_not_bool)]
Ttl = Annotated[int, Field(ge=0, le=604800), BeforeValidator(_number_not_bool)]
#: Characters of transcript turns on one page: from a few turns to a whole long meeting.
MaxChars = Annotated[int, Field(ge=2000, le=1_000_000), BeforeValidator(_number_not_bool)]
InstanceCount = Annotated[int, Field(ge=0, le=10), BeforeValidator(_number_not_bool)]
MeetingType = Annotated[Literal[1, 2, 3, 8], BeforeValidator(_number_not_bool)]
RecurrenceType = Annotated[Literal[1, 2, 3], BeforeValidator(_number_not_bool)]
MonthWeek = Annotated[Literal[-1, 1, 2, 3, 4], BeforeValidator(_number_not_bool)]
AutoRecording = Literal["local", "cloud", "none"]
