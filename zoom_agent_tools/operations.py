"""The operations, each declared once: every layer (client, tools, adapters, docs) reads these.

An ``Endpoint`` holds what Zoom's spec says of one endpoint: method, path, operation id, rate
category and the scopes that grant it. An ``Operation`` holds the tool's name and description,
its argument model, the endpoints it calls and how its arguments become a request, whether it
changes or destroys data, how the answer is parsed and how it is shown to an agent. The
meeting-intelligence operations take several requests (an instance to find, pages to read, a
file to stream): they ``run`` with the client instead, calling only the endpoints they declare.

The argument and response models are imported on first use (``_lazy``): the declarations name
them in functions, so importing the client builds no pydantic model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from typing_extensions import ParamSpec

from zoom_agent_tools._lazy import deferred
from zoom_agent_tools.errors import ZoomUnavailableError

if TYPE_CHECKING:
    from zoom_agent_tools import arguments as a
    from zoom_agent_tools import attendance as _attendance
    from zoom_agent_tools import models as m
    from zoom_agent_tools import past_meetings as _past
    from zoom_agent_tools import summaries as _summaries
    from zoom_agent_tools import transcripts as _transcripts
    from zoom_agent_tools.client import ZoomClient
else:
    a = deferred("zoom_agent_tools.arguments")
    m = deferred("zoom_agent_tools.models")
    _attendance = deferred("zoom_agent_tools.attendance")
    _past = deferred("zoom_agent_tools.past_meetings")
    _summaries = deferred("zoom_agent_tools.summaries")
    _transcripts = deferred("zoom_agent_tools.transcripts")

__all__ = [
    "OPERATIONS",
    "AnyOperation",
    "Endpoint",
    "HttpRequest",
    "Operation",
    "RateCategory",
    "get_operation",
]

P = ParamSpec("P")
A = TypeVar("A", bound="a.ToolArgs")
R_co = TypeVar("R_co", covariant=True)
M = TypeVar("M", bound="m.ZoomObject")

#: Zoom's rate-limit categories ("Rate Limit Label" in its API reference).
RateCategory = Literal["light", "medium", "heavy", "resource-intensive"]
Query = dict[str, str | int | bool]
#: Methods whose request, sent twice, leaves Zoom as sending it once did. Zoom's PATCH sets the
#: fields given, so the same body again changes nothing more (see ``lost_writes``); POST creates.
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Endpoint:
    """One Zoom API endpoint as Zoom's spec declares it.

    ``scopes`` are the scopes that grant it, the granular one first; any one of them will do.
    """

    method: str
    path: str
    operation_id: str
    rate_category: RateCategory
    scopes: tuple[str, ...]

    def request(
        self,
        path_params: Mapping[str, str],
        query: Query | None = None,
        *,
        json: dict[str, Any] | None = None,
    ) -> HttpRequest:
        """A request to this endpoint; ``path_params`` fill the path's ``{names}``."""
        return HttpRequest(self, path_params, query or {}, json)

    @property
    def idempotent(self) -> bool:
        """Whether the same request sent again has no further effect."""
        return self.method in _IDEMPOTENT_METHODS

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def granted_by(self, granted: Iterable[str]) -> bool:
        """Whether a token with the ``granted`` scopes may call this endpoint.

        Each declared scope also counts in its account-wide forms (``:admin``, and
        ``:master`` for master accounts), which Zoom accepts wherever the scope is accepted.
        """
        have = set(granted)
        return any(
            scope in have or f"{scope}:admin" in have or f"{scope}:master" in have
            for scope in self.scopes
        )


@dataclass(frozen=True)
class HttpRequest:
    """One request to an endpoint: path values, query parameters and JSON body."""

    endpoint: Endpoint
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: Query = field(default_factory=dict)
    json: dict[str, Any] | None = None

    @property
    def method(self) -> str:
        """The endpoint's HTTP method."""
        return self.endpoint.method

    @property
    def path(self) -> str:
        """The endpoint's path template."""
        return self.endpoint.path


@dataclass(frozen=True)
class Operation(Generic[P, A, R_co]):
    """One Zoom operation, declared once.

    ``arguments`` returns the argument model (imported on first use; ``args_model`` is the
    model itself). ``request`` turns validated arguments into the HTTP request to one of
    ``endpoints``; ``parse`` turns the body of Zoom's answer (empty for 204) into the Python
    result. An operation of several requests has ``run`` instead: ``run(client, operation,
    arguments)`` gives the result, calling Zoom through the client. ``present`` turns the
    result into the tool's JSON output. ``action`` names what was attempted, for error
    messages. ``client_method`` names the ZoomClient method when it is not the tool's name
    without ``zoom_``; ``page_argument`` is the argument that asks a paginated operation for
    the next page; ``walk`` splits the arguments of a walk over every page.
    """

    name: str
    description: str
    arguments: Callable[[], Callable[P, A]]
    endpoints: tuple[Endpoint, ...]
    present: Callable[[R_co], dict[str, Any]]
    action: Callable[[A], str]
    request: Callable[[A], HttpRequest] | None = None
    parse: Callable[[bytes], R_co] | None = None
    run: Callable[[ZoomClient, AnyOperation, A], R_co] | None = None
    writes: bool = False
    destructive: bool = False
    not_found_hint: str | None = None
    paginated: bool = False
    page_argument: str = "next_page_token"
    #: For walking every page: the listings that together cover the arguments, newest
    #: first, when one listing cannot (Zoom lists recordings a month at a time).
    walk: Callable[[A], Iterable[A]] | None = None
    #: The tool can save files (its ``downloadFiles`` argument); they are its artifact.
    saves_files: bool = False
    client_method: str | None = None

    def __post_init__(self) -> None:
        if (self.run is None) == (self.request is None or self.parse is None):
            raise TypeError(f"{self.name}: declare request and parse, or run, not both")

    @cached_property
    def args_model(self) -> type[A]:
        """The argument model (a ``ToolArgs`` subclass)."""
        model: Any = self.arguments()
        return model  # type: ignore[no-any-return]

    @property
    def method_name(self) -> str:
        """The ZoomClient method: ``client_method``, or the tool name without ``zoom_``."""
        return self.client_method or self.name.removeprefix("zoom_")

    @property
    def title(self) -> str:
        """A short title for people, from the name: ``zoom_get_meeting`` is "Get meeting"."""
        return self.method_name.replace("_", " ").capitalize()

    @property
    def idempotent(self) -> bool:
        """Whether the same call made again has no further effect (every endpoint's is so)."""
        return all(e.idempotent for e in self.endpoints)

    @property
    def operation_ids(self) -> tuple[str, ...]:
        """Zoom's operation ids of the endpoints this operation calls."""
        return tuple(e.operation_id for e in self.endpoints)

    @property
    def required_scopes(self) -> tuple[str, ...]:
        """Every scope that grants one of the endpoints, without repeats."""
        return tuple(dict.fromkeys(s for e in self.endpoints for s in e.scopes))

    def endpoint(self, operation_id: str) -> Endpoint:
        """The declared endpoint with Zoom's ``operation_id`` (KeyError for one not declared:
        an operation calls only the endpoints it declares)."""
        for endpoint in self.endpoints:
            if endpoint.operation_id == operation_id:
                return endpoint
        raise KeyError(f"{self.name} does not declare the endpoint {operation_id}")


#: An operation of any arguments and result.
AnyOperation = Operation[..., Any, Any]


def _q(**values: Any) -> Query:
    """Query parameters that were given, booleans as Zoom writes them."""
    out: Query = {}
    for key, value in values.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return out


def _success(_: None) -> dict[str, Any]:
    return {"success": True}


def _none(_: bytes) -> None:
    return None


def _model(model: Callable[[], type[M]]) -> Callable[[bytes], M]:
    """Parses an answer into ``model``: JSON decoded and validated in one pass."""
    return lambda body: model().model_validate_json(body)


def _invitation(body: bytes) -> str:
    return str(json.loads(body or b"{}").get("invitation", ""))


#: Characters of a summary shown to a model; Zoom's are far shorter.
SUMMARY_SHOWN = 20_000


def _present_summary(summary: m.AISummary) -> dict[str, Any]:
    text = summary.to_text()
    if len(text) > SUMMARY_SHOWN:
        text = text[: SUMMARY_SHOWN - 1] + "…"
    shown: dict[str, Any] = {}
    if summary.instance is not None:
        shown["instance"] = summary.instance.to_output()
    if summary.summary_title:
        shown["title"] = summary.summary_title
    shown["summary"] = text
    if summary.edited:
        shown["edited"] = True
    if summary.summary_doc_url:
        shown["docUrl"] = summary.summary_doc_url
    return shown


def _present_created(meeting: m.Meeting) -> dict[str, Any]:
    shown: dict[str, Any] = {"meeting": meeting.to_output()}
    if meeting.recovery_note:
        shown["note"] = meeting.recovery_note
    return shown


_MEETING_HINT = "List the user's meetings (zoom_list_meetings) to find a valid meetingId."
_RECORDING_HINT = (
    "List recordings (zoom_list_recordings) to find the meeting's id or instance UUID; "
    "a meeting that was never recorded to the cloud has no recordings."
)
_PAST_HINT = "Use the id or UUID of a meeting that has ended (see zoom_list_meetings type "
_PAST_HINT += "'previous_meetings', or zoom_list_recordings)."
_USER_HINT = "Use userId 'me' or a valid user's email address."

MEETING_PAGE_INFO = ("pageCount", "pageNumber", "pageSize", "totalRecords", "nextPageToken")
RECORDING_PAGE_INFO = ("from", "to", "pageSize", "totalRecords", "nextPageToken")
PARTICIPANT_PAGE_INFO = ("pageSize", "totalRecords", "nextPageToken")

# -- Zoom's endpoints (Meetings API spec: operationId, "Rate Limit Label", granular and classic
# scopes without the ":admin" variants) -------------------------------------------------------

MEETING_CREATE = Endpoint(
    "POST",
    "/users/{userId}/meetings",
    "meetingCreate",
    "light",
    ("meeting:write:meeting", "meeting:write"),
)
MEETINGS = Endpoint(
    "GET",
    "/users/{userId}/meetings",
    "meetings",
    "medium",
    ("meeting:read:list_meetings", "meeting:read"),
)
MEETING = Endpoint(
    "GET", "/meetings/{meetingId}", "meeting", "light", ("meeting:read:meeting", "meeting:read")
)
MEETING_UPDATE = Endpoint(
    "PATCH",
    "/meetings/{meetingId}",
    "meetingUpdate",
    "light",
    ("meeting:update:meeting", "meeting:write"),
)
MEETING_DELETE = Endpoint(
    "DELETE",
    "/meetings/{meetingId}",
    "meetingDelete",
    "light",
    ("meeting:delete:meeting", "meeting:write"),
)
MEETING_INVITATION = Endpoint(
    "GET",
    "/meetings/{meetingId}/invitation",
    "meetingInvitation",
    "light",
    ("meeting:read:invitation", "meeting:read"),
)
RECORDINGS_LIST = Endpoint(
    "GET",
    "/users/{userId}/recordings",
    "recordingsList",
    "medium",
    ("cloud_recording:read:list_user_recordings", "recording:read"),
)
RECORDING_GET = Endpoint(
    "GET",
    "/meetings/{meetingId}/recordings",
    "recordingGet",
    "light",
    ("cloud_recording:read:list_recording_files", "recording:read"),
)
RECORDING_DELETE = Endpoint(
    "DELETE",
    "/meetings/{meetingId}/recordings",
    "recordingDelete",
    "light",
    ("cloud_recording:delete:meeting_recording", "recording:write"),
)
RECORDING_DELETE_ONE = Endpoint(
    "DELETE",
    "/meetings/{meetingId}/recordings/{recordingId}",
    "recordingDeleteOne",
    "light",
    ("cloud_recording:delete:recording_file", "recording:write"),
)
PAST_MEETING_PARTICIPANTS = Endpoint(
    "GET",
    "/past_meetings/{meetingId}/participants",
    "pastMeetingParticipants",
    "medium",
    ("meeting:read:list_past_participants", "meeting:read"),
)
#: Get a user (Zoom's Users API), for ``me``: who a connection is. Not a tool; ``connect`` and
#: ``status`` read it.
USER = Endpoint("GET", "/users/{userId}", "user", "light", ("user:read:user", "user:read"))

PAST_MEETING_INSTANCES = Endpoint(
    "GET",
    "/past_meetings/{meetingId}/instances",
    "pastMeetings",
    "medium",
    ("meeting:read:list_past_instances", "meeting:read"),
)
PAST_MEETING_DETAILS = Endpoint(
    "GET",
    "/past_meetings/{meetingId}",
    "pastMeetingDetails",
    "light",
    ("meeting:read:past_meeting", "meeting:read"),
)
MEETING_SUMMARY = Endpoint(
    "GET",
    "/meetings/{meetingId}/meeting_summary",
    "Getameetingsummary",
    "light",
    ("meeting:read:summary", "meeting_summary:read"),
)
MEETING_TRANSCRIPT = Endpoint(
    "GET",
    "/meetings/{meetingId}/transcript",
    "GetMeetingTranscript",
    "medium",
    ("cloud_recording:read:meeting_transcript", "recording:read"),
)

# -- the ten operations -----------------------------------------------------------------------

create_meeting = Operation(
    name="zoom_create_meeting",
    description=(
        "Create a Zoom meeting for a user: scheduled (type 2, the default; without startTime it "
        "starts now), instant (1) or recurring (8, needs startTime and recurrence). Returns the "
        "meeting with its id, join_url and passcode."
    ),
    arguments=lambda: a.CreateMeetingArgs,
    endpoints=(MEETING_CREATE,),
    request=lambda x: MEETING_CREATE.request({"userId": x.user_id}, json=x.zoom_body()),
    parse=_model(lambda: m.Meeting),
    present=_present_created,
    action=lambda x: f"create a meeting for user {x.user_id}",
    writes=True,
    not_found_hint=_USER_HINT,
)

list_meetings = Operation(
    name="zoom_list_meetings",
    description=(
        "List a user's scheduled meetings (one page), filtered by type; pass "
        "pageInfo.nextPageToken to get the next page."
    ),
    arguments=lambda: a.ListMeetingsArgs,
    endpoints=(MEETINGS,),
    request=lambda x: MEETINGS.request(
        {"userId": x.user_id},
        _q(type=x.type, page_size=x.page_size, next_page_token=x.next_page_token),
    ),
    parse=_model(lambda: m.MeetingPage),
    present=lambda r: {
        "meetings": [i.to_output() for i in r.items],
        "pageInfo": r.page_info(MEETING_PAGE_INFO),
    },
    action=lambda x: f"list meetings of user {x.user_id}",
    not_found_hint=_USER_HINT,
    paginated=True,
)

get_meeting = Operation(
    name="zoom_get_meeting",
    description=(
        "Get one meeting's details by its numeric meetingId: topic, time, settings, join_url, "
        "passcode, recurrence and occurrences."
    ),
    arguments=lambda: a.GetMeetingArgs,
    endpoints=(MEETING,),
    request=lambda x: MEETING.request(
        {"meetingId": x.meeting_id},
        _q(occurrence_id=x.occurrence_id, show_previous_occurrences=x.show_previous_occurrences),
    ),
    parse=_model(lambda: m.Meeting),
    present=lambda r: {"meeting": r.to_output()},
    action=lambda x: f"get meeting {x.meeting_id}",
    not_found_hint=_MEETING_HINT,
)

update_meeting = Operation(
    name="zoom_update_meeting",
    description=(
        "Change a meeting: only the fields given are changed. With occurrenceId only that "
        "occurrence changes (agenda, startTime, duration and settings). Returns success."
    ),
    arguments=lambda: a.UpdateMeetingArgs,
    endpoints=(MEETING_UPDATE,),
    request=lambda x: MEETING_UPDATE.request(
        {"meetingId": x.meeting_id}, _q(occurrence_id=x.occurrence_id), json=x.zoom_body()
    ),
    parse=_none,
    present=_success,
    action=lambda x: f"update meeting {x.meeting_id}",
    writes=True,
    not_found_hint=_MEETING_HINT,
)

delete_meeting = Operation(
    name="zoom_delete_meeting",
    description=(
        "Delete a meeting, or cancel one occurrence of a recurring meeting with occurrenceId. "
        "Without occurrenceId a recurring meeting's whole series is deleted. Cannot be undone."
    ),
    arguments=lambda: a.DeleteMeetingArgs,
    endpoints=(MEETING_DELETE,),
    request=lambda x: MEETING_DELETE.request(
        {"meetingId": x.meeting_id},
        _q(
            occurrence_id=x.occurrence_id,
            schedule_for_reminder=x.schedule_for_reminder,
            cancel_meeting_reminder=x.cancel_meeting_reminder,
        ),
    ),
    parse=_none,
    present=_success,
    action=lambda x: f"delete meeting {x.meeting_id}",
    writes=True,
    destructive=True,
    not_found_hint=_MEETING_HINT,
)

get_meeting_invitation = Operation(
    name="zoom_get_meeting_invitation",
    description=(
        "Get the invitation text of a meeting (join link, meeting ID, passcode, dial-in), "
        "ready to paste into an e-mail or chat."
    ),
    arguments=lambda: a.GetMeetingInvitationArgs,
    endpoints=(MEETING_INVITATION,),
    request=lambda x: MEETING_INVITATION.request({"meetingId": x.meeting_id}),
    parse=_invitation,
    present=lambda r: {"invitation": r},
    action=lambda x: f"get the invitation of meeting {x.meeting_id}",
    not_found_hint=_MEETING_HINT,
)

list_recordings = Operation(
    name="zoom_list_recordings",
    description=(
        "List a user's cloud recordings between two dates (yyyy-mm-dd, at most one month "
        "apart; default today only), or the trash with trash=true. One page; pass "
        "pageInfo.nextPageToken for the next."
    ),
    arguments=lambda: a.ListRecordingsArgs,
    endpoints=(RECORDINGS_LIST,),
    request=lambda x: RECORDINGS_LIST.request(
        {"userId": x.user_id},
        _q(
            **{"from": x.from_},
            to=x.to,
            page_size=x.page_size,
            next_page_token=x.next_page_token,
            trash=x.trash,
        ),
    ),
    parse=_model(lambda: m.RecordingPage),
    present=lambda r: {
        "recordings": [i.to_output() for i in r.items],
        "pageInfo": r.page_info(RECORDING_PAGE_INFO),
    },
    action=lambda x: f"list cloud recordings of user {x.user_id}",
    not_found_hint=_USER_HINT,
    paginated=True,
    walk=lambda x: x.month_windows(),
)


def _recordings_request(x: a.GetMeetingRecordingsArgs) -> HttpRequest:
    # A download token is asked for when files are to be downloaded or a ttl is given:
    # Zoom only honours ttl together with include_fields.
    wants_token = bool(x.download_files) or x.ttl is not None
    return RECORDING_GET.request(
        {"meetingId": x.meeting_id},
        _q(
            include_fields="download_access_token" if wants_token else None,
            ttl=x.ttl,
            # Not in Zoom's 2026 spec for this path, but part of the tool's contract: sent only
            # when asked for, and Zoom ignores query parameters it does not know.
            include_folder_items=x.include_folder_items,
        ),
    )


get_meeting_recordings = Operation(
    name="zoom_get_meeting_recordings",
    description=(
        "Get the cloud recording files of one meeting instance (by meeting id for the latest "
        "instance, or by UUID). With downloadFiles=true the files are also downloaded: 'files' "
        "lists those saved, 'skippedFiles' those Zoom is still processing (try again later) "
        "and 'failedFiles' those that failed, each with the reason."
    ),
    arguments=lambda: a.GetMeetingRecordingsArgs,
    endpoints=(RECORDING_GET,),
    request=_recordings_request,
    parse=_model(lambda: m.Recording),
    present=lambda r: {"recording": r.to_output()},
    action=lambda x: f"get the recordings of meeting {x.meeting_id}",
    not_found_hint=_RECORDING_HINT,
    saves_files=True,
)


def _delete_recording_request(x: a.DeleteRecordingArgs) -> HttpRequest:
    query = _q(action=x.action)
    if x.recording_id is None:
        return RECORDING_DELETE.request({"meetingId": x.meeting_id}, query)
    return RECORDING_DELETE_ONE.request(
        {"meetingId": x.meeting_id, "recordingId": x.recording_id}, query
    )


delete_recording = Operation(
    name="zoom_delete_recording",
    description=(
        "Delete a meeting's cloud recordings, or one file with recordingId. action 'trash' "
        "(default) moves them to the trash for 30 days; 'delete' removes them for good."
    ),
    arguments=lambda: a.DeleteRecordingArgs,
    endpoints=(RECORDING_DELETE, RECORDING_DELETE_ONE),
    request=_delete_recording_request,
    parse=_none,
    present=_success,
    action=lambda x: (
        f"delete recording {x.recording_id} of meeting {x.meeting_id}"
        if x.recording_id
        else f"delete the recordings of meeting {x.meeting_id}"
    ),
    writes=True,
    destructive=True,
    not_found_hint=_RECORDING_HINT,
)

list_past_participants = Operation(
    name="zoom_list_past_participants",
    description=(
        "List who attended a past meeting instance (by meeting id for the latest instance, or "
        "by UUID): name, e-mail, join and leave times, duration in seconds. A person who "
        "rejoined appears once per join."
    ),
    arguments=lambda: a.ListPastParticipantsArgs,
    endpoints=(PAST_MEETING_PARTICIPANTS,),
    request=lambda x: PAST_MEETING_PARTICIPANTS.request(
        {"meetingId": x.meeting_id},
        _q(page_size=x.page_size, next_page_token=x.next_page_token),
    ),
    parse=_model(lambda: m.ParticipantPage),
    present=lambda r: {
        "participants": [i.to_output() for i in r.items],
        "pageInfo": r.page_info(PARTICIPANT_PAGE_INFO),
    },
    action=lambda x: f"list the participants of past meeting {x.meeting_id}",
    not_found_hint=_PAST_HINT,
    paginated=True,
)

# -- meeting intelligence: past instances, transcripts, summaries, attendance ------------------

#: Instances shown to a model; older ones are still reached by ``occurrence``.
INSTANCES_SHOWN = 100


def _present_instances(r: m.PastInstances) -> dict[str, Any]:
    if not r.items:
        return ZoomUnavailableError(
            "not_ended",
            "This meeting has no ended instance yet: it is in progress now, or has not taken "
            "place.",
            suggestion="Check its status and time with zoom_get_meeting; call again after it ends.",
        ).to_output()
    shown: dict[str, Any] = {
        "meetingId": r.meeting_id,
        "instances": [
            {"uuid": i.uuid, "startTime": i.start_time} for i in r.items[:INSTANCES_SHOWN]
        ],
    }
    if len(r.items) > INSTANCES_SHOWN:
        shown["olderNotShown"] = len(r.items) - INSTANCES_SHOWN
    return shown


list_past_meeting_instances = Operation(
    name="zoom_list_past_meeting_instances",
    description=(
        "List a meeting's ended instances (UUID, start time), newest first; a recurring meeting "
        "has one per occurrence held. Transcripts, summaries and attendance are per instance."
    ),
    arguments=lambda: a.ListPastMeetingInstancesArgs,
    endpoints=(PAST_MEETING_INSTANCES, PAST_MEETING_DETAILS),
    run=lambda client, op, x: _past.list_instances(client, op, x),
    present=_present_instances,
    action=lambda x: f"list the past instances of meeting {x.meeting_id}",
    not_found_hint=_MEETING_HINT,
)

get_meeting_transcript = Operation(
    name="zoom_get_meeting_transcript",
    description=(
        "Get what was said in a past meeting as speaker turns, a page at a time (pass "
        "nextCursor for more). With query: only turns with those words, plus context."
    ),
    arguments=lambda: a.GetMeetingTranscriptArgs,
    endpoints=(PAST_MEETING_INSTANCES, RECORDING_GET, MEETING_TRANSCRIPT, PAST_MEETING_DETAILS),
    run=lambda client, op, x: _transcripts.get_transcript(client, op, x),
    present=lambda r: r.to_output(),
    action=lambda x: f"get the transcript of meeting {x.meeting_id}",
    not_found_hint=_PAST_HINT,
    paginated=True,
    page_argument="cursor",
)

get_meeting_summary = Operation(
    name="zoom_get_meeting_summary",
    description=(
        "Get the AI Companion summary of a past meeting: overview, topics, decisions, next steps."
    ),
    arguments=lambda: a.GetMeetingSummaryArgs,
    endpoints=(PAST_MEETING_INSTANCES, MEETING_SUMMARY, PAST_MEETING_DETAILS),
    run=lambda client, op, x: _summaries.get_summary(client, op, x),
    present=_present_summary,
    action=lambda x: f"get the AI Companion summary of meeting {x.meeting_id}",
    not_found_hint=_PAST_HINT,
)

get_meeting_attendance = Operation(
    name="zoom_get_meeting_attendance",
    description=(
        "Who attended a past meeting: per person (rejoins merged) first join, last leave, "
        "minutes, sessions; plus usual attendees who were absent."
    ),
    arguments=lambda: a.GetMeetingAttendanceArgs,
    endpoints=(PAST_MEETING_INSTANCES, PAST_MEETING_DETAILS, PAST_MEETING_PARTICIPANTS),
    run=lambda client, op, x: _attendance.get_attendance(client, op, x),
    present=lambda r: r.to_output(),
    action=lambda x: f"get the attendance of meeting {x.meeting_id}",
    not_found_hint=_PAST_HINT,
    client_method="meeting_attendance",
)

#: Every operation, in the order of the tool contract: the ten, then meeting intelligence.
OPERATIONS: tuple[AnyOperation, ...] = (
    create_meeting,
    list_meetings,
    get_meeting,
    update_meeting,
    delete_meeting,
    get_meeting_invitation,
    list_recordings,
    get_meeting_recordings,
    delete_recording,
    list_past_participants,
    list_past_meeting_instances,
    get_meeting_transcript,
    get_meeting_summary,
    get_meeting_attendance,
)

_BY_NAME = {op.name: op for op in OPERATIONS}


def get_operation(name: str) -> AnyOperation:
    """The operation whose tool name is ``name``."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(_BY_NAME)
        raise KeyError(f"unknown Zoom tool {name!r}; known tools: {known}") from None
