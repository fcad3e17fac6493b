"""Zoom's limits, each named once: field bounds and choices, defaults, paging, lifetimes, rates.

The values are Zoom's, from its Meetings OpenAPI document (the schema's ``maxLength``,
``maximum``, ``minimum``, ``enum`` and ``default``, or the field's description) and from its
documentation pages named beside them. The sandbox reads them from here only; the test suite
checks every value the spec states against the spec.
"""

from __future__ import annotations

from datetime import timedelta

__all__ = [
    "ACCESS_TOKEN_TTL",
    "AGENDA_MAX_LENGTH",
    "AUTHORIZATION_CODE_TTL",
    "DAILY_MEETING_WRITES",
    "DEFAULT_DELETE_ACTION",
    "DEFAULT_DURATION",
    "DEFAULT_END_TIMES",
    "DEFAULT_LIST_TYPE",
    "DEFAULT_MEETING_TYPE",
    "DEFAULT_MONTHLY_DAY",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_TRASH_TYPE",
    "DEFAULT_WEEKLY_DAYS",
    "DELETE_ACTIONS",
    "DOWNLOAD_TOKEN_TTL",
    "DOWNLOAD_TOKEN_TTL_MAX",
    "DOWNLOAD_TOKEN_TTL_MIN",
    "DURATION_MAX",
    "DURATION_MIN",
    "END_TIMES_MAX",
    "END_TIMES_MIN",
    "HEAVY",
    "INSTANCES_WINDOW_MONTHS",
    "LIGHT",
    "LIST_AGENDA_LENGTH",
    "LIST_TYPES",
    "MAX_PAGE_SIZE",
    "MEDIUM",
    "MEETING_NUMBER_MAX_DIGITS",
    "MEETING_TYPES",
    "MONTHLY_DAY_MAX",
    "MONTHLY_DAY_MIN",
    "MONTHLY_WEEKS",
    "PAGE_TOKEN_TTL",
    "PASSWORD_MAX_LENGTH",
    "PAST_MEETING_MAX_AGE",
    "PLANS",
    "PREVIOUS_MEETINGS_WINDOW",
    "RECENT_MEETINGS_WINDOW",
    "RECURRENCE_TYPES",
    "REFRESH_TOKEN_TTL",
    "REPEAT_INTERVAL_MAX",
    "SETTING_CHOICES",
    "SETTING_MAX_LENGTHS",
    "TOPIC_MAX_LENGTH",
    "TRASH_TYPES",
    "WEEK_DAYS",
]

# -- meetings: the create and update bodies -------------------------------------------------
TOPIC_MAX_LENGTH = 200
AGENDA_MAX_LENGTH = 2000
PASSWORD_MAX_LENGTH = 10
#: Minutes.
DURATION_MIN, DURATION_MAX = 1, 1440
DEFAULT_DURATION = 60
#: 1 instant, 2 scheduled, 3 recurring without a fixed time, 8 recurring, 10 screen share only.
MEETING_TYPES = (1, 2, 3, 8, 10)
DEFAULT_MEETING_TYPE = 2
#: Settings with a fixed set of values.
SETTING_CHOICES: dict[str, tuple[object, ...]] = {
    "approval_type": (0, 1, 2),
    "registration_type": (1, 2, 3),
    "audio": ("both", "telephony", "voip", "thirdParty"),
    "auto_recording": ("local", "cloud", "none"),
    "jbh_time": (0, 5, 10, 15),
    "encryption_type": ("enhanced_encryption", "e2ee"),
    "calendar_type": (1, 2),
    "who_will_receive_summary": (1, 2, 3, 4),
    "who_can_ask_questions": (1, 2, 3, 4, 5),
}
SETTING_MAX_LENGTHS: dict[str, int] = {"audio_conference_info": 2048}
#: Meeting numbers are int64: at most 19 digits.
MEETING_NUMBER_MAX_DIGITS = 19

# -- recurrence -------------------------------------------------------------------------------
#: 1 daily, 2 weekly, 3 monthly.
RECURRENCE_TYPES = (1, 2, 3)
#: The longest repeat_interval per recurrence type: 99 days, 50 weeks, 10 months.
REPEAT_INTERVAL_MAX = {1: 99, 2: 50, 3: 10}
#: weekly_days and monthly_week_day: 1 = Sunday ... 7 = Saturday.
WEEK_DAYS = (1, 2, 3, 4, 5, 6, 7)
DEFAULT_WEEKLY_DAYS = "1"
#: -1 is the last week of the month.
MONTHLY_WEEKS = (-1, 1, 2, 3, 4)
MONTHLY_DAY_MIN, MONTHLY_DAY_MAX = 1, 31
DEFAULT_MONTHLY_DAY = 1
# The spec's text also says 0 means "no end"; the sandbox, like the tools, asks for an end.
END_TIMES_MIN = 1
#: The most occurrences a series has, also when it ends by end_date_time.
END_TIMES_MAX = 60
DEFAULT_END_TIMES = 1

# -- lists and paging -------------------------------------------------------------------------
LIST_TYPES = ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings")
DEFAULT_LIST_TYPE = "scheduled"
#: List meetings truncates each agenda to this many characters.
LIST_AGENDA_LENGTH = 250
#: previous_meetings reach back at most 6 months.
PREVIOUS_MEETINGS_WINDOW = timedelta(days=183)
# Zoom lists unexpired meetings only; a meeting number expires 30 days after its last use
# (https://support.zoom.us/hc/en-us/articles/201362373-Meeting-ID).
RECENT_MEETINGS_WINDOW = timedelta(days=30)
DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 300
#: A next_page_token expires after 15 minutes.
PAGE_TOKEN_TTL = 15 * 60.0
#: Past meeting details and participants: error 12702 for meetings more than a year ago.
PAST_MEETING_MAX_AGE = timedelta(days=365)
#: List past meeting instances shows no instance older than 15 months.
INSTANCES_WINDOW_MONTHS = 15

# -- cloud recordings -------------------------------------------------------------------------
TRASH_TYPES = ("meeting_recordings", "recording_file")
DEFAULT_TRASH_TYPE = "meeting_recordings"
DELETE_ACTIONS = ("trash", "delete")
DEFAULT_DELETE_ACTION = "trash"
#: Seconds a download_access_token lives (the ttl query parameter's range).
DOWNLOAD_TOKEN_TTL_MIN, DOWNLOAD_TOKEN_TTL_MAX = 0, 604800
# Zoom does not document the lifetime without ttl; the sandbox gives a day.
DOWNLOAD_TOKEN_TTL = 86400

# -- OAuth (https://developers.zoom.us/docs/integrations/oauth/) ------------------------------
#: Seconds an access token lives: one hour, for both kinds of app.
ACCESS_TOKEN_TTL = 3600
AUTHORIZATION_CODE_TTL = timedelta(minutes=5)
#: Zoom's support article on refresh tokens gives 15 years.
REFRESH_TOKEN_TTL = timedelta(days=15 * 365)

# -- rate limits (https://developers.zoom.us/docs/api/rate-limits/) ---------------------------
LIGHT, MEDIUM, HEAVY = "Light", "Medium", "Heavy"
#: Per account and category: (requests per second, requests per day or None).
PLANS: dict[str, dict[str, tuple[int, int | None]]] = {
    "free": {LIGHT: (4, 6000), MEDIUM: (2, 2000), HEAVY: (1, 1000)},
    "pro": {LIGHT: (30, None), MEDIUM: (20, None), HEAVY: (10, 30000)},
    "business": {LIGHT: (80, None), MEDIUM: (60, None), HEAVY: (40, 60000)},
}
#: Meeting create and update requests per host user per UTC day.
DAILY_MEETING_WRITES = 100
