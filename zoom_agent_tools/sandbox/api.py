"""The Zoom operations the sandbox serves under ``/v2``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Request, Response

from zoom_agent_tools.sandbox import limits, past_meetings, summaries, transcripts, users
from zoom_agent_tools.sandbox import meetings as meeting_objects
from zoom_agent_tools.sandbox.clock import format_utc, parse_utc
from zoom_agent_tools.sandbox.errors import ZoomAPIError, json_response, validation_failed
from zoom_agent_tools.sandbox.fields import InvalidField
from zoom_agent_tools.sandbox.ids import IdFactory
from zoom_agent_tools.sandbox.limits import LIGHT, MEDIUM
from zoom_agent_tools.sandbox.oauth import OAuthService
from zoom_agent_tools.sandbox.paging import Pager
from zoom_agent_tools.sandbox.ratelimit import RateLimiter
from zoom_agent_tools.sandbox.recordings import recording_view, visible_files
from zoom_agent_tools.sandbox.store import Doc, Store

__all__ = ["ROUTES", "Api", "Call", "Route", "check_booleans"]

MAX_BODY = 1 << 20


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    operation: str
    category: str
    scopes: tuple[str, ...]
    #: Query parameters the spec types boolean.
    booleans: tuple[str, ...] = ()


@dataclass
class Call:
    """One API request after routing and authentication."""

    request: Request
    params: dict[str, str]
    token: Doc
    base_url: str
    #: Path parameters sent single-encoded although Zoom's UUID rule needs double encoding.
    misencoded: frozenset[str] = frozenset()


_MEETING_WRITE = ("meeting:write", "meeting:write:admin")
_RECORDING_READ = ("recording:read", "recording:read:admin")
ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/users/{userId}/meetings",
        "meetingCreate",
        LIGHT,
        (*_MEETING_WRITE, "meeting:write:meeting", "meeting:write:meeting:admin"),
    ),
    Route(
        "GET",
        "/users/{userId}/meetings",
        "meetings",
        MEDIUM,
        (
            "meeting:read",
            "meeting:read:admin",
            "meeting:read:list_meetings",
            "meeting:read:list_meetings:admin",
        ),
    ),
    Route(
        "GET",
        "/meetings/{meetingId}",
        "meeting",
        LIGHT,
        (
            "meeting:read",
            "meeting:read:admin",
            "meeting:read:meeting",
            "meeting:read:meeting:admin",
        ),
        ("show_previous_occurrences",),
    ),
    Route(
        "PATCH",
        "/meetings/{meetingId}",
        "meetingUpdate",
        LIGHT,
        (*_MEETING_WRITE, "meeting:update:meeting", "meeting:update:meeting:admin"),
    ),
    Route(
        "DELETE",
        "/meetings/{meetingId}",
        "meetingDelete",
        LIGHT,
        (*_MEETING_WRITE, "meeting:delete:meeting", "meeting:delete:meeting:admin"),
        ("schedule_for_reminder", "cancel_meeting_reminder"),
    ),
    Route(
        "GET",
        "/meetings/{meetingId}/invitation",
        "meetingInvitation",
        LIGHT,
        (
            "meeting:read",
            "meeting:read:admin",
            "meeting:read:invitation",
            "meeting:read:invitation:admin",
        ),
    ),
    Route(
        "GET",
        "/users/{userId}/recordings",
        "recordingsList",
        MEDIUM,
        (
            *_RECORDING_READ,
            "cloud_recording:read:list_user_recordings",
            "cloud_recording:read:list_user_recordings:admin",
            "cloud_recording:read:list_user_recordings:master",
        ),
        ("trash",),
    ),
    Route(
        "GET",
        "/meetings/{meetingId}/recordings",
        "recordingGet",
        LIGHT,
        (
            *_RECORDING_READ,
            "cloud_recording:read:list_recording_files",
            "cloud_recording:read:list_recording_files:admin",
            "cloud_recording:read:list_recording_files:master",
        ),
    ),
    Route(
        "DELETE",
        "/meetings/{meetingId}/recordings",
        "recordingDelete",
        LIGHT,
        (
            "recording:write",
            "recording:write:admin",
            "cloud_recording:delete:meeting_recording",
            "cloud_recording:delete:meeting_recording:admin",
            "cloud_recording:delete:meeting_recording:master",
        ),
    ),
    Route(
        "DELETE",
        "/meetings/{meetingId}/recordings/{recordingId}",
        "recordingDeleteOne",
        LIGHT,
        (
            "recording:write",
            "recording:write:admin",
            "cloud_recording:delete:recording_file",
            "cloud_recording:delete:recording_file:admin",
            "cloud_recording:delete:recording_file:master",
        ),
    ),
    Route(
        "GET",
        "/past_meetings/{meetingId}/participants",
        "pastMeetingParticipants",
        MEDIUM,
        (
            "meeting:read",
            "meeting:read:admin",
            "meeting:read:list_past_participants",
            "meeting:read:list_past_participants:admin",
        ),
    ),
    Route(
        "GET",
        "/past_meetings/{meetingId}/instances",
        "pastMeetings",
        MEDIUM,
        (
            "meeting:read",
            "meeting:read:admin",
            "meeting:read:list_past_instances",
            "meeting:read:list_past_instances:admin",
        ),
    ),
    Route(
        "GET",
        "/past_meetings/{meetingId}",
        "pastMeetingDetails",
        LIGHT,
        (
            "meeting:read",
            "meeting:read:admin",
            "meeting:read:past_meeting",
            "meeting:read:past_meeting:admin",
        ),
    ),
    Route(
        "GET",
        "/meetings/{meetingId}/meeting_summary",
        "Getameetingsummary",
        LIGHT,
        (
            "meeting_summary:read",
            "meeting_summary:read:admin",
            "meeting:read:summary",
            "meeting:read:summary:admin",
        ),
    ),
    Route("GET", "/users/{userId}", "user", LIGHT, users.GET_USER_SCOPES),
    Route(
        "GET",
        "/meetings/{meetingId}/transcript",
        "GetMeetingTranscript",
        MEDIUM,
        (
            "recording:read",
            "recording:write",
            "recording:read:admin",
            "recording:write:admin",
            "cloud_recording:read:meeting_transcript",
            "cloud_recording:read:meeting_transcript:admin",
        ),
    ),
)


def _scopes_of(*operations: str) -> tuple[str, ...]:
    return tuple(
        scope for route in ROUTES if route.operation in operations for scope in route.scopes
    )


RECORDING_DOWNLOAD_SCOPES = _scopes_of("recordingGet", "recordingsList")
#: The meeting-transcript download takes the user's access token with transcript scopes.
TRANSCRIPT_DOWNLOAD_SCOPES = _scopes_of("GetMeetingTranscript")


def _bool_arg(request: Request, name: str, default: bool = False) -> bool:
    """A boolean query parameter (``true``/``false``, any case); ``default`` when absent."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.lower() == "true":
        return True
    if raw.lower() == "false":
        return False
    raise validation_failed(name)


def check_booleans(request: Request, route: Route) -> None:
    """Refuse a request whose boolean query parameters are not ``true``/``false``."""
    bad = [
        name
        for name in route.booleans
        if any(value.lower() not in ("true", "false") for value in request.args.getlist(name))
    ]
    if bad:
        raise validation_failed(*bad)


def _json_body(request: Request) -> Any:
    data = request.get_data(cache=False)
    if len(data) > MAX_BODY:
        raise ZoomAPIError(400, 300, "Request Body is too large.")
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ZoomAPIError(400, 300, "Request Body should be a valid JSON object.") from None


def _meeting_number(raw: str) -> int:
    if not raw.isdigit() or len(raw) > limits.MEETING_NUMBER_MAX_DIGITS:
        raise ZoomAPIError(400, 300, "Invalid meeting id.")
    return int(raw)


class Api:
    """Handlers of the operations; each returns a response or raises ZoomAPIError."""

    def __init__(
        self,
        store: Store,
        ids: IdFactory,
        clock: Callable[[], datetime],
        oauth: OAuthService,
        limiter: RateLimiter,
        pager: Pager,
    ) -> None:
        self.store = store
        self.ids = ids
        self.clock = clock
        self.oauth = oauth
        self.limiter = limiter
        self.pager = pager
        self.handlers: dict[str, Callable[[Call], Response]] = {
            "meetingCreate": self.create_meeting,
            "meetings": self.list_meetings,
            "meeting": self.get_meeting,
            "meetingUpdate": self.update_meeting,
            "meetingDelete": self.delete_meeting,
            "meetingInvitation": self.invitation,
            "recordingsList": self.list_recordings,
            "recordingGet": self.get_recordings,
            "recordingDelete": self.delete_recordings,
            "recordingDeleteOne": self.delete_recording_file,
            "pastMeetingParticipants": self.past_participants,
            "pastMeetings": self.past_instances,
            "pastMeetingDetails": self.past_meeting,
            "Getameetingsummary": self.meeting_summary,
            "GetMeetingTranscript": self.meeting_transcript,
            "user": self.get_user,
        }

    # lookups
    def user(self, call: Call) -> Doc:
        ref = call.params["userId"]
        user = self.store.find_user(call.token["user_id"] if ref == "me" else ref)
        if user is None or user["account_id"] != call.token["account_id"]:
            raise ZoomAPIError(404, 1001, f"User does not exist: {ref}.")
        return user

    def meeting(self, call: Call) -> Doc:
        number = _meeting_number(call.params["meetingId"])
        meeting = self.store.get_meeting(number)
        if meeting is None:
            raise ZoomAPIError(404, 3001, f"Meeting does not exist: {number}.")
        return meeting

    def recording(self, call: Call, *, include_trash: bool = False) -> Doc:
        """The recording an ID (latest instance) or UUID names, or Zoom's 3301."""
        ref = call.params["meetingId"]
        candidates: list[Doc] = []
        if ref.isdigit():
            candidates = self.store.recordings_of_meeting(int(ref))
        elif "meetingId" not in call.misencoded:
            candidates = [r for r in [self.store.get_recording(ref)] if r is not None]
        for recording in candidates:
            if recording["account_id"] != call.token["account_id"]:
                continue
            if visible_files(recording, trash=False) or (
                include_trash and visible_files(recording, trash=True)
            ):
                return recording
        raise ZoomAPIError(404, 3301, "There is no recording for this meeting.")

    # users
    def get_user(self, call: Call) -> Response:
        granted = set(call.token["scopes"]) & set(users.GET_USER_SCOPES)
        if call.params["userId"] != "me" and granted == {users.ONLY_FOR_ME}:
            raise ZoomAPIError(
                400, 4700, "Invalid access token, does not contain scopes:[user:read:user]."
            )
        user = self.user(call)
        created = str(self.store.get_meta("seeded_at") or format_utc(self.clock()))
        return json_response(users.render_user(user, call.base_url, created))

    # meetings
    def create_meeting(self, call: Call) -> Response:
        host = self.user(call)
        self.limiter.check_meeting_writes(host["id"])
        body = _json_body(call.request)
        try:
            meeting = meeting_objects.build_meeting(body, host, self.ids, self.clock())
        except InvalidField as bad:
            raise validation_failed(bad.field) from None
        self.store.put_meeting(meeting)
        rendered = meeting_objects.render_meeting(
            meeting, call.base_url, self.clock(), for_get=False
        )
        return json_response(rendered, 201)

    def list_meetings(self, call: Call) -> Response:
        user = self.user(call)
        kind = call.request.args.get("type") or limits.DEFAULT_LIST_TYPE
        if kind not in limits.LIST_TYPES:
            raise ZoomAPIError(400, 300, "Invalid parameter: type.")
        now = self.clock()
        found = [
            m
            for m in self.store.list_meetings(user["id"])
            if meeting_objects.listed_under(m, kind, now)
        ]
        found = self._date_filter(call.request, found, now, user)
        found.sort(key=lambda m: meeting_objects.list_sort_key(m, now))
        scope = f"meetings|{user['id']}|{kind}|{call.request.args.get('from', '')}|" + (
            call.request.args.get("to", "")
        )
        chunk, meta = self.pager.page(found, call.request, scope, allow_page_number=True)
        body: dict[str, Any] = {"page_size": meta["page_size"]}
        if not call.request.args.get("next_page_token"):
            # Zoom is retiring page_number/page_count ("use next_page_token"): pages reached
            # by token come without them, as real answers do.
            body["page_number"] = meta["page_number"]
            body["page_count"] = meta["page_count"]
        body["total_records"] = meta["total_records"]
        body["next_page_token"] = meta["next_page_token"]
        body["meetings"] = [meeting_objects.list_item(m, call.base_url, now) for m in chunk]
        return json_response(body)

    @staticmethod
    def _date_filter(request: Request, found: list[Doc], now: datetime, user: Doc) -> list[Doc]:
        first, last = request.args.get("from"), request.args.get("to")
        if not first and not last:
            return found
        zone = ZoneInfo(user["timezone"])
        try:
            if request.args.get("timezone"):
                zone = ZoneInfo(request.args["timezone"])
            low = date.fromisoformat(first) if first else date.min
            high = date.fromisoformat(last) if last else date.max
        except (ValueError, KeyError):
            raise ZoomAPIError(400, 300, "Invalid parameter: from or to.") from None
        out = []
        for meeting in found:
            start = meeting.get("start_time")
            if start is None:
                continue
            if low <= parse_utc(start).astimezone(zone).date() <= high:
                out.append(meeting)
        return out

    def get_meeting(self, call: Call) -> Response:
        meeting = self.meeting(call)
        rendered = meeting_objects.render_meeting(
            meeting,
            call.base_url,
            self.clock(),
            occurrence_id=call.request.args.get("occurrence_id") or None,
            show_previous=_bool_arg(call.request, "show_previous_occurrences"),
        )
        return json_response(rendered)

    def update_meeting(self, call: Call) -> Response:
        meeting = self.meeting(call)
        self.limiter.check_meeting_writes(meeting["host_id"])
        body = _json_body(call.request)
        try:
            updated = meeting_objects.apply_update(
                meeting,
                body,
                call.request.args.get("occurrence_id") or None,
                self.ids,
                self.clock(),
            )
        except InvalidField as bad:
            raise validation_failed(bad.field) from None
        self.store.put_meeting(updated)
        return Response(status=204)

    def delete_meeting(self, call: Call) -> Response:
        meeting = self.meeting(call)
        occurrence_id = call.request.args.get("occurrence_id")
        if occurrence_id is not None:
            for occurrence in meeting.get("occurrences", []):
                if occurrence["occurrence_id"] == occurrence_id and (
                    occurrence["status"] == "available"
                ):
                    occurrence["status"] = "deleted"
                    self.store.put_meeting(meeting)
                    return Response(status=204)
            raise ZoomAPIError(400, 300, "Invalid parameter: occurrence_id.")
        if meeting["status"] == "started":
            raise ZoomAPIError(
                400, 3002, "Sorry, you cannot delete this meeting since it is in progress."
            )
        self.store.delete_meeting(meeting["id"])
        return Response(status=204)

    def invitation(self, call: Call) -> Response:
        meeting = self.meeting(call)
        host = self.store.find_user(meeting["host_id"]) or {"display_name": "Zoom user"}
        return json_response(meeting_objects.invitation(meeting, host, call.base_url, self.clock()))

    # recordings
    def list_recordings(self, call: Call) -> Response:
        user = self.user(call)
        args = call.request.args
        trash = _bool_arg(call.request, "trash")
        trash_type = args.get("trash_type") or limits.DEFAULT_TRASH_TYPE
        if trash_type not in limits.TRASH_TYPES:
            raise ZoomAPIError(400, 300, "Invalid parameter: trash_type.")
        today = self.clock().astimezone(timezone.utc).date()
        try:
            first = date.fromisoformat(args["from"]) if args.get("from") else today
        except ValueError:
            raise ZoomAPIError(400, 300, "Invalid parameter: from.") from None
        try:
            last = date.fromisoformat(args["to"]) if args.get("to") else today + timedelta(1)
        except ValueError:
            raise ZoomAPIError(400, 300, "Invalid parameter: to.") from None
        if not trash:
            if last < first:
                raise ZoomAPIError(400, 300, "Invalid parameter: to. It must not be before from.")
            if last > _plus_one_month(first):
                raise ZoomAPIError(
                    400, 300, "The date range between from and to must not exceed one month."
                )
        meeting_filter = args.get("meeting_id")
        shown: list[tuple[Doc, list[Doc]]] = []
        for recording in self.store.list_recordings(user["id"]):
            if meeting_filter and str(recording["id"]) != meeting_filter:
                continue
            if trash:
                whole = recording["trashed_at"] is not None
                if whole != (trash_type == "meeting_recordings"):
                    continue
                files = visible_files(recording, trash=True)
            else:
                # Trash listings ignore from/to; normal listings filter by UTC start date.
                started = parse_utc(recording["start_time"]).date()
                if not first <= started <= last:
                    continue
                files = visible_files(recording, trash=False)
            if files:
                shown.append((recording, files))
        scope = f"recordings|{user['id']}|{first}|{last}|{trash}|{trash_type}|{meeting_filter}"
        chunk, meta = self.pager.page(shown, call.request, scope)
        body = {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "page_count": meta["page_count"],
            "page_size": meta["page_size"],
            "total_records": meta["total_records"],
            "next_page_token": meta["next_page_token"],
            "meetings": [recording_view(r, files, call.base_url) for r, files in chunk],
        }
        return json_response(body)

    def get_recordings(self, call: Call) -> Response:
        recording = self.recording(call)
        args = call.request.args
        body = recording_view(
            recording, visible_files(recording, trash=False), call.base_url, detail=True
        )
        include = args.get("include_fields")
        if include:
            if include != "download_access_token":
                raise ZoomAPIError(400, 300, "Invalid parameter: include_fields.")
            ttl = limits.DOWNLOAD_TOKEN_TTL
            if args.get("ttl"):
                try:
                    ttl = int(args["ttl"])
                except ValueError:
                    ttl = -1
                if not limits.DOWNLOAD_TOKEN_TTL_MIN <= ttl <= limits.DOWNLOAD_TOKEN_TTL_MAX:
                    raise ZoomAPIError(400, 300, "Invalid parameter: ttl.")
            body["download_access_token"] = self.oauth.issue_download_token(
                call.token["user_id"], recording["uuid"], ttl
            )
        return json_response(body)

    @staticmethod
    def _action(call: Call) -> str:
        action = call.request.args.get("action") or limits.DEFAULT_DELETE_ACTION
        if action not in limits.DELETE_ACTIONS:
            raise ZoomAPIError(400, 300, "Invalid parameter: action.")
        return action

    def delete_recordings(self, call: Call) -> Response:
        action = self._action(call)
        recording = self.recording(call, include_trash=action == "delete")
        if action == "delete":
            self.store.delete_recording(recording["uuid"])
        else:
            recording["trashed_at"] = format_utc(self.clock())
            self.store.put_recording(recording)
        return Response(status=204)

    def delete_recording_file(self, call: Call) -> Response:
        action = self._action(call)
        recording = self.recording(call, include_trash=action == "delete")
        wanted = call.params["recordingId"]
        for file in recording["files"]:
            if file.get("id") != wanted:
                continue
            if action == "delete":
                recording["files"].remove(file)
                if not any("id" in f for f in recording["files"]):
                    self.store.delete_recording(recording["uuid"])
                    return Response(status=204)
            elif file["trashed_at"] is None and recording["trashed_at"] is None:
                file["trashed_at"] = format_utc(self.clock())
            else:
                break
            self.store.put_recording(recording)
            return Response(status=204)
        raise ZoomAPIError(404, 3301, "There is no recording for this meeting.")

    # past meetings
    def past_participants(self, call: Call) -> Response:
        past_meetings.require_paid(
            self.store, f"Only available for paid account: {call.token['account_id']}"
        )
        instance = self._past_instance(call, "Can not access a meeting a year ago.")
        rows = self.store.participants(instance["uuid"])
        chunk, meta = self.pager.page(rows, call.request, f"participants|{instance['uuid']}")
        body = {
            "page_count": meta["page_count"],
            "page_size": meta["page_size"],
            "total_records": meta["total_records"],
            "next_page_token": meta["next_page_token"],
            "participants": chunk,
        }
        return json_response(body)

    def _past_instance(self, call: Call, too_old: str) -> Doc:
        found = "meetingId" not in call.misencoded
        return past_meetings.past_instance(
            self.store, call.params["meetingId"], found, self.clock(), too_old
        )

    def past_instances(self, call: Call) -> Response:
        number = _meeting_number(call.params["meetingId"])
        return json_response(past_meetings.instances_answer(self.store, number, self.clock()))

    def past_meeting(self, call: Call) -> Response:
        past_meetings.require_paid(
            self.store, f"Only available for paid account: {call.token['account_id']}."
        )
        instance = self._past_instance(call, "Cannot access a meeting a year ago.")
        return json_response(past_meetings.details_answer(self.store, instance))

    # meeting intelligence
    def meeting_summary(self, call: Call) -> Response:
        found = "meetingId" not in call.misencoded
        return json_response(
            summaries.summary_answer(self.store, call.params["meetingId"], found, call.base_url)
        )

    def meeting_transcript(self, call: Call) -> Response:
        found = "meetingId" not in call.misencoded
        instance = past_meetings.resolve_instance(self.store, call.params["meetingId"], found)
        if instance is None:
            raise transcripts.missing()
        recording = self.store.get_recording(instance["uuid"])
        body = transcripts.transcript_answer(
            instance, recording, call.token["account_id"], call.base_url
        )
        return json_response(body)


def _plus_one_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, 28)
