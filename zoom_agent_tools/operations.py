"""The ten operations, each declared once: every layer (client, LangChain, LlamaIndex) reads these.

A declaration holds the tool's name and description, its argument model, the HTTP request it
makes, Zoom's rate category and scopes, whether it changes or destroys data, how the answer is
parsed and how it is shown to an agent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from zoom_agent_tools import arguments as a
from zoom_agent_tools import models as m
from zoom_agent_tools._fields import pattern_message
from zoom_agent_tools._redact import SECRET_BODY_KEYS
from zoom_agent_tools.errors import FieldError, ZoomValidationError

__all__ = [
    "OPERATIONS",
    "HttpRequest",
    "Operation",
    "arguments_from",
    "bounded",
    "get_operation",
    "parse_arguments",
    "validation_error",
]

A = TypeVar("A", bound=a.ToolArgs)
R = TypeVar("R")

RateCategory = Literal["light", "medium", "heavy", "resource-intensive"]
Query = dict[str, str | int | bool]


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request: ``path`` is a template whose ``{names}`` come from ``path_params``."""

    method: str
    path: str
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: Query = field(default_factory=dict)
    json: dict[str, Any] | None = None


@dataclass(frozen=True)
class Operation(Generic[A, R]):
    """One Zoom operation, declared once.

    ``request`` turns validated arguments into the HTTP request; ``parse`` turns Zoom's decoded
    answer (``None`` for 204) into the Python result; ``present`` turns that result into the
    tool's JSON output. ``action`` names what was attempted, for error messages.
    """

    name: str
    description: str
    args_model: type[A]
    request: Callable[[A], HttpRequest]
    parse: Callable[[Any], R]
    present: Callable[[R], dict[str, Any]]
    action: Callable[[A], str]
    operation_id: str
    rate_category: RateCategory
    scopes: tuple[str, ...]
    writes: bool = False
    destructive: bool = False
    not_found_hint: str | None = None
    paginated: bool = False
    #: The tool can save files (its ``downloadFiles`` argument); they are its artifact.
    saves_files: bool = False

    @property
    def method_name(self) -> str:
        """The ZoomClient method: the tool name without its ``zoom_`` prefix."""
        return self.name.removeprefix("zoom_")


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


def _none(_: Any) -> None:
    return None


_MEETING_HINT = "List the user's meetings (zoom_list_meetings) to find a valid meetingId."
_RECORDING_HINT = (
    "List recordings (zoom_list_recordings) to find the meeting's id or instance UUID; "
    "a meeting that was never recorded to the cloud has no recordings."
)
_PAST_HINT = "Use the id or UUID of a meeting that has ended (see zoom_list_meetings type "
_PAST_HINT += "'previous_meetings', or zoom_list_recordings)."

MEETING_PAGE_INFO = ("pageCount", "pageNumber", "pageSize", "totalRecords", "nextPageToken")
RECORDING_PAGE_INFO = ("from", "to", "pageSize", "totalRecords", "nextPageToken")
PARTICIPANT_PAGE_INFO = ("pageSize", "totalRecords", "nextPageToken")


def _page_parser(model: type[m.Page], items_key: str) -> Callable[[Any], Any]:
    def parse(body: Any) -> Any:
        data = dict(body or {})
        data["items"] = data.pop(items_key, None) or []
        return model.model_validate(data)

    return parse


def _present_created(meeting: m.Meeting) -> dict[str, Any]:
    shown: dict[str, Any] = {"meeting": meeting.to_output()}
    if meeting.recovery_note:
        shown["note"] = meeting.recovery_note
    return shown


create_meeting: Operation[a.CreateMeetingArgs, m.Meeting] = Operation(
    name="zoom_create_meeting",
    description=(
        "Create a Zoom meeting for a user: scheduled (type 2, the default; without startTime it "
        "starts now), instant (1) or recurring (8, needs startTime and recurrence). Returns the "
        "meeting with its id, join_url and passcode."
    ),
    args_model=a.CreateMeetingArgs,
    request=lambda x: HttpRequest(
        "POST", "/users/{userId}/meetings", {"userId": x.user_id}, json=x.zoom_body()
    ),
    parse=m.Meeting.model_validate,
    present=_present_created,
    action=lambda x: f"create a meeting for user {x.user_id}",
    operation_id="meetingCreate",
    rate_category="light",
    scopes=("meeting:write:meeting", "meeting:write"),
    writes=True,
    not_found_hint="Use userId 'me' or a valid user's email address.",
)

list_meetings: Operation[a.ListMeetingsArgs, m.MeetingPage] = Operation(
    name="zoom_list_meetings",
    description=(
        "List a user's scheduled meetings (one page), filtered by type; pass "
        "pageInfo.nextPageToken to get the next page."
    ),
    args_model=a.ListMeetingsArgs,
    request=lambda x: HttpRequest(
        "GET",
        "/users/{userId}/meetings",
        {"userId": x.user_id},
        _q(type=x.type, page_size=x.page_size, next_page_token=x.next_page_token),
    ),
    parse=_page_parser(m.MeetingPage, "meetings"),
    present=lambda r: {
        "meetings": [i.to_output() for i in r.items],
        "pageInfo": r.page_info(MEETING_PAGE_INFO),
    },
    action=lambda x: f"list meetings of user {x.user_id}",
    operation_id="meetings",
    rate_category="medium",
    scopes=("meeting:read:list_meetings", "meeting:read"),
    not_found_hint="Use userId 'me' or a valid user's email address.",
    paginated=True,
)

get_meeting: Operation[a.GetMeetingArgs, m.Meeting] = Operation(
    name="zoom_get_meeting",
    description=(
        "Get one meeting's details by its numeric meetingId: topic, time, settings, join_url, "
        "passcode, recurrence and occurrences."
    ),
    args_model=a.GetMeetingArgs,
    request=lambda x: HttpRequest(
        "GET",
        "/meetings/{meetingId}",
        {"meetingId": x.meeting_id},
        _q(occurrence_id=x.occurrence_id, show_previous_occurrences=x.show_previous_occurrences),
    ),
    parse=m.Meeting.model_validate,
    present=lambda r: {"meeting": r.to_output()},
    action=lambda x: f"get meeting {x.meeting_id}",
    operation_id="meeting",
    rate_category="light",
    scopes=("meeting:read:meeting", "meeting:read"),
    not_found_hint=_MEETING_HINT,
)

update_meeting: Operation[a.UpdateMeetingArgs, None] = Operation(
    name="zoom_update_meeting",
    description=(
        "Change a meeting: only the fields given are changed. With occurrenceId only that "
        "occurrence changes (agenda, startTime, duration and settings). Returns success."
    ),
    args_model=a.UpdateMeetingArgs,
    request=lambda x: HttpRequest(
        "PATCH",
        "/meetings/{meetingId}",
        {"meetingId": x.meeting_id},
        _q(occurrence_id=x.occurrence_id),
        json=x.zoom_body(),
    ),
    parse=_none,
    present=_success,
    action=lambda x: f"update meeting {x.meeting_id}",
    operation_id="meetingUpdate",
    rate_category="light",
    scopes=("meeting:update:meeting", "meeting:write"),
    writes=True,
    not_found_hint=_MEETING_HINT,
)

delete_meeting: Operation[a.DeleteMeetingArgs, None] = Operation(
    name="zoom_delete_meeting",
    description=(
        "Delete a meeting, or cancel one occurrence of a recurring meeting with occurrenceId. "
        "Without occurrenceId a recurring meeting's whole series is deleted. Cannot be undone."
    ),
    args_model=a.DeleteMeetingArgs,
    request=lambda x: HttpRequest(
        "DELETE",
        "/meetings/{meetingId}",
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
    operation_id="meetingDelete",
    rate_category="light",
    scopes=("meeting:delete:meeting", "meeting:write"),
    writes=True,
    destructive=True,
    not_found_hint=_MEETING_HINT,
)

get_meeting_invitation: Operation[a.GetMeetingInvitationArgs, str] = Operation(
    name="zoom_get_meeting_invitation",
    description=(
        "Get the invitation text of a meeting (join link, meeting ID, passcode, dial-in), "
        "ready to paste into an e-mail or chat."
    ),
    args_model=a.GetMeetingInvitationArgs,
    request=lambda x: HttpRequest(
        "GET", "/meetings/{meetingId}/invitation", {"meetingId": x.meeting_id}
    ),
    parse=lambda body: str((body or {}).get("invitation", "")),
    present=lambda r: {"invitation": r},
    action=lambda x: f"get the invitation of meeting {x.meeting_id}",
    operation_id="meetingInvitation",
    rate_category="light",
    scopes=("meeting:read:invitation", "meeting:read"),
    not_found_hint=_MEETING_HINT,
)

list_recordings: Operation[a.ListRecordingsArgs, m.RecordingPage] = Operation(
    name="zoom_list_recordings",
    description=(
        "List a user's cloud recordings between two dates (yyyy-mm-dd, at most one month "
        "apart; default today only), or the trash with trash=true. One page; pass "
        "pageInfo.nextPageToken for the next."
    ),
    args_model=a.ListRecordingsArgs,
    request=lambda x: HttpRequest(
        "GET",
        "/users/{userId}/recordings",
        {"userId": x.user_id},
        _q(
            **{"from": x.from_},
            to=x.to,
            page_size=x.page_size,
            next_page_token=x.next_page_token,
            trash=x.trash,
        ),
    ),
    parse=_page_parser(m.RecordingPage, "meetings"),
    present=lambda r: {
        "recordings": [i.to_output() for i in r.items],
        "pageInfo": r.page_info(RECORDING_PAGE_INFO),
    },
    action=lambda x: f"list cloud recordings of user {x.user_id}",
    operation_id="recordingsList",
    rate_category="medium",
    scopes=("cloud_recording:read:list_user_recordings", "recording:read"),
    not_found_hint="Use userId 'me' or a valid user's email address.",
    paginated=True,
)


def _recordings_request(x: a.GetMeetingRecordingsArgs) -> HttpRequest:
    # A download token is asked for when files are to be downloaded or a ttl is given:
    # Zoom only honours ttl together with include_fields.
    wants_token = bool(x.download_files) or x.ttl is not None
    return HttpRequest(
        "GET",
        "/meetings/{meetingId}/recordings",
        {"meetingId": x.meeting_id},
        _q(
            include_fields="download_access_token" if wants_token else None,
            ttl=x.ttl,
            # Not in Zoom's 2026 spec for this path, but part of the tool's contract: sent only
            # when asked for, and Zoom ignores query parameters it does not know.
            include_folder_items=x.include_folder_items,
        ),
    )


get_meeting_recordings: Operation[a.GetMeetingRecordingsArgs, m.Recording] = Operation(
    name="zoom_get_meeting_recordings",
    description=(
        "Get the cloud recording files of one meeting instance (by meeting id for the latest "
        "instance, or by UUID). With downloadFiles=true the files are also downloaded: 'files' "
        "lists those saved, 'skippedFiles' those Zoom is still processing (try again later) "
        "and 'failedFiles' those that failed, each with the reason."
    ),
    args_model=a.GetMeetingRecordingsArgs,
    request=_recordings_request,
    parse=m.Recording.model_validate,
    present=lambda r: {"recording": r.to_output()},
    action=lambda x: f"get the recordings of meeting {x.meeting_id}",
    operation_id="recordingGet",
    rate_category="light",
    scopes=("cloud_recording:read:list_recording_files", "recording:read"),
    not_found_hint=_RECORDING_HINT,
    saves_files=True,
)


def _delete_recording_request(x: a.DeleteRecordingArgs) -> HttpRequest:
    query = _q(action=x.action)
    if x.recording_id is None:
        return HttpRequest(
            "DELETE", "/meetings/{meetingId}/recordings", {"meetingId": x.meeting_id}, query
        )
    return HttpRequest(
        "DELETE",
        "/meetings/{meetingId}/recordings/{recordingId}",
        {"meetingId": x.meeting_id, "recordingId": x.recording_id},
        query,
    )


delete_recording: Operation[a.DeleteRecordingArgs, None] = Operation(
    name="zoom_delete_recording",
    description=(
        "Delete a meeting's cloud recordings, or one file with recordingId. action 'trash' "
        "(default) moves them to the trash for 30 days; 'delete' removes them for good."
    ),
    args_model=a.DeleteRecordingArgs,
    request=_delete_recording_request,
    parse=_none,
    present=_success,
    action=lambda x: (
        f"delete recording {x.recording_id} of meeting {x.meeting_id}"
        if x.recording_id
        else f"delete the recordings of meeting {x.meeting_id}"
    ),
    operation_id="recordingDelete",
    rate_category="light",
    scopes=("cloud_recording:delete:meeting_recording", "recording:write"),
    writes=True,
    destructive=True,
    not_found_hint=_RECORDING_HINT,
)

list_past_participants: Operation[a.ListPastParticipantsArgs, m.ParticipantPage] = Operation(
    name="zoom_list_past_participants",
    description=(
        "List who attended a past meeting instance (by meeting id for the latest instance, or "
        "by UUID): name, e-mail, join and leave times, duration in seconds. A person who "
        "rejoined appears once per join."
    ),
    args_model=a.ListPastParticipantsArgs,
    request=lambda x: HttpRequest(
        "GET",
        "/past_meetings/{meetingId}/participants",
        {"meetingId": x.meeting_id},
        _q(page_size=x.page_size, next_page_token=x.next_page_token),
    ),
    parse=_page_parser(m.ParticipantPage, "participants"),
    present=lambda r: {
        "participants": [i.to_output() for i in r.items],
        "pageInfo": r.page_info(PARTICIPANT_PAGE_INFO),
    },
    action=lambda x: f"list the participants of past meeting {x.meeting_id}",
    operation_id="pastMeetingParticipants",
    rate_category="medium",
    scopes=("meeting:read:list_past_participants", "meeting:read"),
    not_found_hint=_PAST_HINT,
    paginated=True,
)

#: The ten operations, in the order of the tool contract.
OPERATIONS: tuple[Operation[Any, Any], ...] = (
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
)

_BY_NAME = {op.name: op for op in OPERATIONS}


def get_operation(name: str) -> Operation[Any, Any]:
    """The operation whose tool name is ``name``."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(_BY_NAME)
        raise KeyError(f"unknown Zoom tool {name!r}; known tools: {known}") from None


#: Deeper than any argument model nests (arguments, then recurrence): input nested deeper is
#: refused before it reaches a recursive helper, a validator or a framework's logging.
_MAX_DEPTH = 10
#: At most this many problems are listed in one refusal, so a huge input gives a short message.
_MAX_LISTED = 10


class _Unusable:
    """What ``bounded`` puts in place of a value no check could handle safely."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"<{self.reason}>"


_TOO_DEEP = _Unusable(
    "is nested too deeply: parameters are plain values, and recurrence one object of them"
)
_TOO_LARGE = _Unusable("the number is too large: Zoom's numbers fit in 64 bits")


def bounded(value: Any, depth: int = 0) -> Any:
    """A copy of ``value`` that is safe to print and to walk.

    ``null`` values are left out of objects (models often send null for "not given"); lists
    and objects nested deeper than any tool's arguments, and integers beyond 64 bits (no Zoom
    number is; the longest cannot even be printed), are replaced by markers the checks report.
    """
    if isinstance(value, Mapping):
        if depth >= _MAX_DEPTH:
            return _TOO_DEEP
        return {k: bounded(v, depth + 1) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        if depth >= _MAX_DEPTH:
            return _TOO_DEEP
        return [bounded(v, depth + 1) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 63:
        return _TOO_LARGE
    return value


def _nested_model(info: FieldInfo | None) -> type[BaseModel] | None:
    """The argument model a field holds (recurrence), if any."""
    if info is None:
        return None
    for t in getattr(info.annotation, "__args__", (info.annotation,)):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _problems(model: type[BaseModel] | None, value: Any, path: str) -> Iterator[FieldError]:
    """What the argument model cannot report well: markers, odd keys, names given twice."""
    if isinstance(value, _Unusable):
        yield FieldError(path, value.reason)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _problems(None, item, f"{path}[{i}]")
    elif isinstance(value, dict):
        fields = model.model_fields if model is not None else {}
        by_alias = {info.alias or name: name for name, info in fields.items()}
        for name, info in fields.items():
            alias = info.alias or name
            if alias != name and alias in value and name in value:
                yield FieldError(
                    _join(path, alias), f"given twice, as {alias} and {name}; give it once"
                )
        for key, item in value.items():
            if not isinstance(key, str):
                yield FieldError(path, f"parameter names must be text, not {type(key).__name__}")
                continue
            nested = _nested_model(fields.get(by_alias.get(key, key)))
            yield from _problems(nested, item, _join(path, key))


def _refusal(op: Operation[Any, Any], errors: list[FieldError]) -> ZoomValidationError:
    listed = errors[:_MAX_LISTED]
    if len(errors) > len(listed):
        listed.append(FieldError("", f"and {len(errors) - len(listed)} more problems"))
    return ZoomValidationError(listed, operation=op.name)


def _required(op: Operation[Any, Any]) -> list[str]:
    fields = op.args_model.model_fields
    return [info.alias or name for name, info in fields.items() if info.is_required()]


def _from_plain_value(op: Operation[Any, Any], value: Any, kind: str) -> dict[str, Any]:
    """Text (or a number) given instead of named arguments: the tool's one required parameter."""
    required = _required(op)
    if len(required) == 1:
        return {required[0]: value}
    example = "{" + ", ".join(f'"{name}": ...' for name in required) + "}"
    raise _refusal(
        op,
        [
            FieldError(
                "",
                f"give the arguments as a JSON object of named parameters, e.g. {example}, "
                f"not {kind}",
            )
        ],
    )


def _from_text(op: Operation[Any, Any], text: str) -> Any:
    """Arguments given as text: a JSON object is the arguments; other text is one value."""
    if not text.strip().startswith("{"):
        return _from_plain_value(op, text, "plain text")
    try:
        parsed = json.loads(text)
    except RecursionError:
        raise _refusal(op, [FieldError("", "the JSON arguments are nested too deeply")]) from None
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise _refusal(
            op,
            [FieldError("", f"the text looks like a JSON object but is not valid JSON ({reason})")],
        ) from None
    return parsed


def arguments_from(op: Operation[Any, Any], raw: Any) -> dict[str, Any]:
    """The named arguments in ``raw``, as every entry point accepts them.

    ``raw`` is a mapping (camelCase or snake_case keys; ``null`` means not given), ``None``,
    or what text-based agents send: a JSON object as text, or the bare value of a tool's one
    required parameter (``"85746065432"`` for zoom_get_meeting). Input nested too deeply,
    numbers beyond 64 bits and a parameter given under both spellings are refused here.
    Raises ZoomValidationError.
    """
    value = bounded(_from_text(op, raw) if isinstance(raw, str) else raw)
    if value is None:
        return {}
    if isinstance(value, _Unusable):
        raise _refusal(op, [FieldError("", f"the arguments: {value.reason}")])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _from_plain_value(op, value, "a plain value")
    if not isinstance(value, dict):
        kind = type(raw).__name__
        raise _refusal(
            op, [FieldError("", f"arguments must be an object of named parameters, not {kind}")]
        )
    problems = list(_problems(op.args_model, value, ""))
    if problems:
        raise _refusal(op, problems)
    return value


def _field_name(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """The camelCase parameter path of a pydantic error location."""
    parts: list[str] = []
    current: type[BaseModel] | None = model
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            continue
        name = item
        if current is not None and item in current.model_fields:
            info = current.model_fields[item]
            name = info.alias or item
            current = _nested_model(info)
        else:
            current = None
        parts.append(("." if parts else "") + name)
    return "".join(parts)


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel]:
    """The (nested) argument model that holds the field at ``loc``."""
    current = model
    for item in loc:
        nested = _nested_model(current.model_fields.get(str(item)))
        if nested is not None:
            current = nested
    return current


def _shown(value: Any) -> str | None:
    """The refused value as the message quotes it, or None when it is not quoted."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    if isinstance(value, int) and value.bit_length() > 63:
        return None
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _message(model: type[BaseModel], err: Mapping[str, Any]) -> FieldError:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    name = _field_name(model, loc) if loc else ""
    text = str(err.get("msg", "is invalid"))
    text = text.removeprefix("Value error, ")
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        allowed = ", ".join(f.alias or n for n, f in owner.model_fields.items())
        return FieldError(name, f"unknown parameter; allowed parameters are: {allowed}")
    if kind == "missing":
        return FieldError(name, "is required")
    value = err.get("input")
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        text = pattern_message(str(err.get("ctx", {}).get("pattern")), value) or text
    secret = any(str(p) in SECRET_BODY_KEYS for p in loc)
    shown = _shown(value)
    if loc and not secret and kind not in ("model_type",) and shown is not None:
        text = f"{text} (got {shown})"
    # Whole-model rules (empty name) name their own parameters.
    return FieldError(name, text)


def parse_arguments(op: Operation[A, Any], raw: Any) -> A:
    """Validate ``raw`` into ``op``'s argument model; ``raw`` is read as ``arguments_from`` says.

    Raises ZoomValidationError naming each bad parameter and what is allowed.
    """
    if isinstance(raw, op.args_model):
        return raw
    given = arguments_from(op, raw)
    try:
        return op.args_model.model_validate(given)
    except ValidationError as exc:
        raise validation_error(op, exc) from None


def validation_error(op: Operation[Any, Any], exc: ValidationError) -> ZoomValidationError:
    """The ZoomValidationError for ``exc``, raised by ``op``'s argument model elsewhere.

    Frameworks that validate with the argument model themselves (LangChain) use this to give
    the same message as parse_arguments.
    """
    return _refusal(op, [_message(op.args_model, e) for e in exc.errors()])
