"""The sandbox WSGI application: routing on the raw path, auth, limits, faults, downloads."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import socket
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn
from urllib.parse import quote, unquote, urlsplit

from typing_extensions import Self, Unpack
from werkzeug.http import http_date
from werkzeug.wrappers import Request, Response

from zoom_agent_tools.sandbox import downloads, settings, transcripts
from zoom_agent_tools.sandbox.api import (
    RECORDING_DOWNLOAD_SCOPES,
    ROUTES,
    TRANSCRIPT_DOWNLOAD_SCOPES,
    Api,
    Call,
    Route,
    check_booleans,
)
from zoom_agent_tools.sandbox.clock import Clock, ManualClock, format_utc, system_clock
from zoom_agent_tools.sandbox.errors import ZoomAPIError, json_response
from zoom_agent_tools.sandbox.faults import Fault, FaultInjector
from zoom_agent_tools.sandbox.ids import IdFactory
from zoom_agent_tools.sandbox.oauth import USER_APP_REDIRECT_URI, OAuthApp, OAuthService
from zoom_agent_tools.sandbox.options import OptionKeywords, SandboxOptions
from zoom_agent_tools.sandbox.paging import Pager
from zoom_agent_tools.sandbox.ratelimit import QPS_MESSAGE, RateLimiter
from zoom_agent_tools.sandbox.recordings import DEFAULT_FILE_TYPES, make_recording
from zoom_agent_tools.sandbox.seed import (
    DEFAULT_SCOPES,
    HOST_EMAIL,
    HOST_ID,
    USER_SCOPES,
    seed_store,
)
from zoom_agent_tools.sandbox.store import Doc, Store

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["SandboxApp"]

_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
#: The WSGI environ key of the rate ticker's reading when the request arrived.
_RECEIVED = "zoom_agent_tools.sandbox.received"
_WEB_PAGES = (
    "/j/{id}",
    "/s/{id}",
    "/rec/play/{key}",
    "/rec/share/{key}",
    "/meeting/register/{key}",
    "/doc/{key}",
)
_TRANSCRIPT_DOWNLOAD = "/rec/meeting/transcript/download/{key}"
_HTML_DOWNLOAD_ERROR = (
    "<!DOCTYPE html><html><head><title>Error - Zoom</title></head><body>"
    '<div class="error-message">Only the host can download this recording. Please contact'
    " the host to request access.</div></body></html>"
)


def _reason(status: int) -> str:
    """A Zoom-style message for an injected status: ``Service Unavailable.``."""
    try:
        return HTTPStatus(status).phrase + "."
    except ValueError:
        return "Unexpected error."


def _decode_segment(segment: str) -> tuple[str, bool]:
    """Decode a raw path segment as Zoom does; the flag is False if Zoom would not find it.

    A value that still holds escapes after one decoding was double-encoded and is decoded
    again. A once-decoded value that begins with ``/`` or contains ``//`` needed double
    encoding (Zoom's UUID rule), so it names no meeting.
    """
    value = unquote(segment)
    if _ESCAPE.search(value):
        return unquote(value), True
    return value, not (value.startswith("/") or "//" in value)


def _raw_path(environ: WSGIEnvironment) -> str:
    """The undecoded request path: PATH_INFO is already decoded and loses ``%2F``."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        path = str(raw)
        if "://" in path:
            path = urlsplit(path).path
        return path.split("?", 1)[0]
    script = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
    return quote(script.encode("latin-1"), safe="/:@!$&'()*+,;=")


class _Match(NamedTuple):
    params: dict[str, str]
    misencoded: frozenset[str]


def _match(template: str, segments: Sequence[str]) -> _Match | None:
    parts = template.strip("/").split("/")
    if len(parts) != len(segments):
        return None
    params: dict[str, str] = {}
    misencoded: set[str] = set()
    for part, raw in zip(parts, segments, strict=True):
        if part.startswith("{"):
            value, found = _decode_segment(raw)
            if not value:
                return None
            params[part[1:-1]] = value
            if not found:
                misencoded.add(part[1:-1])
        elif part != raw:
            return None
    return _Match(params, frozenset(misencoded))


def _drop_connection(environ: WSGIEnvironment, why: str) -> NoReturn:
    """End the exchange without (the rest of) an answer.

    The socket is shut down so the server's keep-alive loop cannot wait for another request
    on it; raising a ConnectionError makes werkzeug's server skip its 500 page.
    """
    connection = environ.get("werkzeug.socket")
    if isinstance(connection, socket.socket):
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)
    raise ConnectionAbortedError(f"sandbox fault: {why}")


class _Cut:
    """A response body that stops after ``limit`` bytes and drops the connection."""

    def __init__(self, body: Iterable[bytes], limit: int, environ: WSGIEnvironment) -> None:
        self.body = body
        self.limit = limit
        self.environ = environ

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self.body:
            if sent + len(chunk) >= self.limit:
                yield chunk[: self.limit - sent]
                break
            sent += len(chunk)
            yield chunk
        _drop_connection(self.environ, "response cut off")

    def close(self) -> None:
        close = getattr(self.body, "close", None)
        if close is not None:
            close()


class SandboxApp:
    """All sandbox state plus the WSGI callable; usable without a socket.

    Takes a SandboxOptions, or its fields as keyword arguments (``SandboxApp(now=...)``), or
    both (the keywords change the given options). ``close()`` (or a ``with`` block) releases
    the database; a temporary one is deleted.
    """

    def __init__(
        self, options: SandboxOptions | None = None, /, **changes: Unpack[OptionKeywords]
    ) -> None:
        options = replace(options, **changes) if options is not None else SandboxOptions(**changes)
        self.options = options
        self.clock: Clock = options.clock or (
            ManualClock(options.now) if options.now is not None else system_clock
        )
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        db_path = options.db_path
        if db_path is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="zoom-sandbox-")
            db_path = os.path.join(self._tempdir.name, "sandbox.sqlite3")
        try:
            self.store = Store(db_path, template=options.template)
        except BaseException:
            self._remove_tempdir()
            raise
        stored_seed = self.store.get_meta("seed")
        self.seed = stored_seed or options.seed
        self.ids = IdFactory(self.seed, self.store.next_counter)
        self.html_download_errors = options.html_download_errors
        self.faults = FaultInjector()
        #: API requests received, by ``"METHOD /template"`` (faulted ones included).
        self.calls: Counter[str] = Counter()
        self._calls_lock = threading.Lock()
        #: OAuth token requests received, by grant type (refused ones included).
        self.token_requests: Counter[str] = Counter()
        self.limiter = RateLimiter(
            plan=options.plan,
            enabled=options.rate_limits,
            clock=self.clock,
            ticker=options.rate_ticker,
            daily_meeting_writes=options.daily_meeting_writes,
        )
        with self.store.transaction():
            if stored_seed is None:
                self.store.set_meta("seed", self.seed)
                self.store.set_meta("account_id", self.ids.text("account-id", 22))
            self.account_id = str(self.store.get_meta("account_id"))
            settings.set_plan(self.store, options.plan)
            self.oauth = OAuthService(
                self.store,
                self.ids,
                self.clock,
                account_id=self.account_id,
                token_ttl=options.token_ttl,
            )
            if stored_seed is None:
                self._seed(options.download_file_size)
            if self.store.get_meta("user_client_id") is None:
                # After the seed (also in a database saved before this app existed): the
                # Server-to-Server app and the seed data keep their generated ids.
                app = self.oauth.register_client(
                    kind="user", scopes=USER_SCOPES, redirect_uri=USER_APP_REDIRECT_URI
                )
                self.store.set_meta("user_client_id", app["client_id"])
        self.client_id = str(self.store.get_meta("client_id"))
        self.pager = Pager(self.store, self.ids, self.clock, options.page_token_ttl)
        self.api = Api(self.store, self.ids, self.clock, self.oauth, self.limiter, self.pager)

    def _seed(self, video_size: int | None) -> None:
        client = self.oauth.register_client(kind="s2s", scopes=DEFAULT_SCOPES)
        self.store.set_meta("client_id", client["client_id"])
        now = self.clock()
        seed_store(self.store, self.ids, now, account_id=self.account_id, video_size=video_size)
        self.store.set_meta("seeded_at", format_utc(now))

    @property
    def client_secret(self) -> str:
        client = self.store.get_client(self.client_id)
        assert client is not None
        return str(client["client_secret"])

    @property
    def user_app(self) -> OAuthApp:
        """The account's user-level OAuth app (as in Zoom's Marketplace), for trying
        ``zoom-agent-tools connect``: it may redirect to ``http://127.0.0.1/callback`` on any
        port, and signs the user in as the seeded host."""
        client = self.store.get_client(str(self.store.get_meta("user_client_id")))
        assert client is not None
        return OAuthApp(client["client_id"], client["client_secret"], client["redirect_uri"])

    @property
    def user_id(self) -> str:
        """The seeded host user, whom ``me`` means for the default app."""
        return HOST_ID

    @property
    def user_email(self) -> str:
        return HOST_EMAIL

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write a copy of the current state to ``path``, e.g. for ``template=`` or ``db_path=``."""
        self.store.save(os.fspath(path))

    def close(self) -> None:
        self.store.close()
        self._remove_tempdir()

    def _remove_tempdir(self) -> None:
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Python API used by Sandbox and tests
    def register_oauth_app(
        self, *, redirect_uri: str, scopes: Sequence[str] = USER_SCOPES
    ) -> tuple[str, str]:
        client = self.oauth.register_client(kind="user", scopes=scopes, redirect_uri=redirect_uri)
        return str(client["client_id"]), str(client["client_secret"])

    def register_client(self, *, scopes: Sequence[str]) -> tuple[str, str]:
        """Another Server-to-Server app on the account, with the given scopes."""
        client = self.oauth.register_client(kind="s2s", scopes=scopes)
        return str(client["client_id"]), str(client["client_secret"])

    def issue_token(
        self,
        scopes: Sequence[str] | None = None,
        *,
        ttl: int | None = None,
        user_id: str = HOST_ID,
    ) -> str:
        token, _ = self.oauth.issue_access(
            self.client_id, user_id, DEFAULT_SCOPES if scopes is None else scopes, ttl=ttl
        )
        return token

    def revoke_token(self, token: str) -> None:
        """Revoke a token (and its grant), as the revoke endpoint would."""
        self.oauth.revoke(token)

    def add_recording(
        self,
        *,
        meeting_id: int | None = None,
        uuid: str | None = None,
        topic: str = "Sandbox recording",
        start_time: datetime | None = None,
        duration: int = 30,
        file_size: int | None = None,
        file_types: Sequence[str] = DEFAULT_FILE_TYPES,
        user_id: str = HOST_ID,
    ) -> Doc:
        """Store a new past instance with a cloud recording; ``file_size`` sizes the MP4."""
        host = self.store.find_user(user_id)
        if host is None:
            raise ValueError(f"unknown user {user_id}")
        start = start_time or (self.clock() - timedelta(minutes=duration))
        number = meeting_id or self.ids.meeting_id()
        instance = uuid or self.ids.uuid()
        self.store.put_instance(
            {
                "uuid": instance,
                "id": number,
                "host_id": host["id"],
                "topic": topic,
                "type": 2,
                "start_time": format_utc(start),
                "end_time": format_utc(start + timedelta(minutes=duration)),
                "duration": duration,
            }
        )
        sizes = {"MP4": file_size} if file_size is not None else None
        recording = make_recording(
            self.ids,
            account_id=self.account_id,
            host=host,
            meeting_id=number,
            uuid=instance,
            topic=topic,
            meeting_type=2,
            start=start,
            duration=duration,
            file_types=file_types,
            sizes=sizes,
        )
        self.store.put_recording(recording)
        return recording

    def add_long_meeting(
        self,
        *,
        minutes: int = 120,
        topic: str = "Architecture deep dive (sandbox)",
        start_time: datetime | None = None,
        user_id: str = HOST_ID,
    ) -> Doc:
        """A past meeting of ``minutes`` with a recording whose TRANSCRIPT and CC files hold
        generated talk of that length, streamed on download (never stored whole).

        Without the host's ``audio_transcript`` setting the recording has captions only.
        """
        transcribed = settings.enabled_for(
            self.store, self.store.find_user(user_id), "audio_transcript"
        )
        recording = self.add_recording(
            topic=topic,
            start_time=start_time,
            duration=minutes,
            file_types=("MP4", "M4A", "TRANSCRIPT", "CC") if transcribed else ("MP4", "M4A", "CC"),
            user_id=user_id,
        )
        transcripts.attach_script(
            recording, transcripts.recipe("deep-dive", minutes * 60, generated=True)
        )
        self.store.put_recording(recording)
        return recording

    def set_account_setting(self, name: settings.AccountSetting, enabled: bool) -> None:
        """Turn an account setting on or off: ``paid`` (a paid plan, by default unless the
        sandbox's plan is ``free``; off, Zoom refuses past meeting details, participants and
        summaries with code 200), ``meeting_summary`` or
        ``audio_transcript`` (off for the account is off for every user)."""
        settings.set_account_setting(self.store, name, enabled)

    def set_user_setting(self, user: str, name: settings.UserSetting, enabled: bool) -> None:
        """Turn a user's ``meeting_summary`` (AI Companion summaries of the meetings they
        host) or ``audio_transcript`` (transcripts of recordings made from now on) on or off;
        ``user`` is an id or e-mail address."""
        settings.set_user_setting(self.store, user, name, enabled)

    # WSGI
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        # Zoom counts a request against the per-second limit when it arrives, not after the
        # work (token look-up, routing) the sandbox does before it knows the account.
        environ[_RECEIVED] = self.limiter.ticker()
        request = Request(environ)
        try:
            response = self.dispatch(request, _raw_path(environ))
        except ZoomAPIError as error:
            response = error.to_response()
        # The Date follows the sandbox clock, so a fixed clock gives identical answers.
        response.headers.setdefault("Date", http_date(self.clock()))
        return response(environ, start_response)

    def dispatch(self, request: Request, path: str) -> Response:
        segments = path.split("/")[1:]
        base_url = request.host_url.rstrip("/")
        if segments[:1] == ["v2"]:
            return self._api(request, segments[1:], base_url)
        route_path = "/" + "/".join(segments)
        if route_path in ("/oauth/token", "/oauth/revoke", "/oauth/authorize"):
            fault = self.faults.take(request.method, route_path, route_path)
            return self._with_fault(
                request, fault, lambda: self._oauth(request, route_path, base_url)
            )
        download = _match("/rec/download/{key}", segments)
        if download is not None and request.method in ("GET", "HEAD"):
            key = download.params["key"]
            fault = self.faults.take(request.method, "/rec/download/{key}", "recordingDownload")
            return self._with_fault(request, fault, lambda: self._download(request, key))
        transcript = _match(_TRANSCRIPT_DOWNLOAD, segments)
        if transcript is not None and request.method in ("GET", "HEAD"):
            key = transcript.params["key"]
            fault = self.faults.take(request.method, _TRANSCRIPT_DOWNLOAD, "transcriptDownload")
            return self._with_fault(
                request, fault, lambda: self._download(request, key, transcript=True)
            )
        if segments[:1] == ["_sandbox"]:
            return self._admin(request, segments[1:])
        for template in _WEB_PAGES:
            page = _match(template, segments)
            if page is not None and request.method == "GET":
                return self._web_page(template, page.params)
        return json_response({"code": 404, "message": "Not Found."}, 404)

    def _api(self, request: Request, segments: Sequence[str], base_url: str) -> Response:
        matched: list[tuple[Route, _Match]] = []
        for route in ROUTES:
            found = _match(route.template, segments)
            if found is not None:
                matched.append((route, found))
        if not matched:
            return json_response({"code": 404, "message": "Not Found."}, 404)
        for route, found in matched:
            if route.method == request.method:
                return self._route(request, route, found, base_url)
        return json_response({"code": 405, "message": "Method Not Allowed."}, 405)

    def _route(self, request: Request, route: Route, found: _Match, base_url: str) -> Response:
        with self._calls_lock:
            self.calls[f"{route.method} {route.template}"] += 1
        fault = self.faults.take(request.method, route.template, route.operation)
        return self._with_fault(request, fault, lambda: self._call(request, route, found, base_url))

    def _call(self, request: Request, route: Route, found: _Match, base_url: str) -> Response:
        token = self.oauth.authenticate(request)
        self.oauth.require_scopes(token, route.scopes)
        received = request.environ.get(_RECEIVED)
        headers = self.limiter.check(token["account_id"], route.category, received)
        try:
            # Before the handler, so a refused request changes nothing.
            check_booleans(request, route)
            call = Call(request, found.params, token, base_url, found.misencoded)
            response = self.api.handlers[route.operation](call)
        except ZoomAPIError as error:
            response = error.to_response()
        for key, value in headers.items():
            response.headers.setdefault(key, value)
        return response

    def _with_fault(
        self, request: Request, fault: Fault | None, respond: Callable[[], Response]
    ) -> Response:
        if fault is None:
            return respond()

        def carried_out() -> Response:
            try:
                return respond()
            except ZoomAPIError as error:
                return error.to_response()

        written = carried_out() if fault.after_write else None
        if fault.delay > 0:
            time.sleep(fault.delay)
        if fault.drop:
            _drop_connection(request.environ, "connection dropped")
        if fault.status is not None:
            response = self._fault_response(fault)
        else:
            response = written if written is not None else carried_out()
        if fault.cut_after is not None:
            length = response.calculate_content_length()
            if length is not None:
                response.headers["Content-Length"] = str(length)
            response.response = _Cut(response.iter_encoded(), fault.cut_after, request.environ)
            response.direct_passthrough = True
        return response

    @staticmethod
    def _fault_response(fault: Fault) -> Response:
        status = int(fault.status or 500)
        headers = dict(fault.headers)
        if fault.retry_after is not None:
            headers["Retry-After"] = fault.retry_after
        if fault.body is not None:
            response = Response(fault.body, status=status, content_type=fault.content_type)
        elif status == 429:
            headers.setdefault("X-RateLimit-Type", "QPS")
            response = json_response({"code": 429, "message": QPS_MESSAGE}, 429)
        else:
            response = json_response({"code": status, "message": _reason(status)}, status)
        for key, value in headers.items():
            response.headers[key] = value
        return response

    def _oauth(self, request: Request, path: str, base_url: str) -> Response:
        if path == "/oauth/authorize":
            if request.method not in ("GET", "POST"):
                return json_response({"code": 405, "message": "Method Not Allowed."}, 405)
            return self.oauth.authorize_endpoint(request)
        if request.method != "POST":
            return json_response({"code": 405, "message": "Method Not Allowed."}, 405)
        if path == "/oauth/token":
            with self._calls_lock:
                self.token_requests[request.form.get("grant_type", "")] += 1
            return self.oauth.token_endpoint(request, base_url)
        return self.oauth.revoke_endpoint(request)

    def _download(self, request: Request, key: str, *, transcript: bool = False) -> Response:
        """A recording file, or (``transcript``) the meeting-transcript download."""
        try:
            self._authorize_download(request, key, transcript=transcript)
        except ZoomAPIError as error:
            if self.html_download_errors:
                # Zoom's quirk: a refused download can be HTTP 200 with an HTML page.
                return Response(_HTML_DOWNLOAD_ERROR, 200, content_type="text/html;charset=utf-8")
            raise error from None
        found = self.store.find_download(key)
        if transcript and (found is None or not transcripts.downloadable(*found)):
            raise transcripts.missing()
        if found is None:
            raise ZoomAPIError(404, 3301, "There is no recording for this meeting.")
        recording, file = found
        if recording["trashed_at"] is not None or file["trashed_at"] is not None:
            raise ZoomAPIError(404, 3301, "There is no recording for this meeting.")
        size = int(file["size"])
        try:
            window = downloads.parse_range(request.headers.get("Range"), size)
        except downloads.RangeNotSatisfiable:
            return Response(status=416, headers={"Content-Range": f"bytes */{size}"})
        start, end = window if window is not None else (0, size)
        headers = {
            "Content-Type": downloads.CONTENT_TYPES.get(
                file["file_type"], "application/octet-stream"
            ),
            "Content-Length": str(end - start),
            "Content-Disposition": f'attachment; filename="{file["name"]}"',
            "Accept-Ranges": "bytes",
        }
        status = 200
        if window is not None:
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
        body: Iterable[bytes] = (
            [] if request.method == "HEAD" else downloads.iter_content(recording, file, start, end)
        )
        return Response(body, status=status, headers=headers, direct_passthrough=True)

    def _authorize_download(self, request: Request, key: str, *, transcript: bool) -> None:
        token = self.oauth.bearer(request)
        doc = self.oauth.lookup(token) if token else None
        if doc is None:
            raise ZoomAPIError(401, 124, "Invalid access token.")
        scopes = TRANSCRIPT_DOWNLOAD_SCOPES if transcript else RECORDING_DOWNLOAD_SCOPES
        if doc["kind"] == "access" and set(doc["scopes"]) & set(scopes):
            return
        # Download tokens from recordings' include_fields open recording files only.
        if doc["kind"] == "download" and not transcript:
            found = self.store.find_download(key)
            if found is not None and found[0]["uuid"] == doc["recording_uuid"]:
                return
        raise ZoomAPIError(401, 124, "Invalid access token.")

    def stats(self) -> dict[str, dict[str, int]]:
        """What the sandbox received: API calls by route, token requests by grant type, and
        the 429s it answered by category and limit type."""
        with self._calls_lock:
            return {
                "calls": dict(self.calls),
                "token_requests": dict(self.token_requests),
                "rate_limited": dict(self.limiter.refused),
            }

    def _admin(self, request: Request, segments: Sequence[str]) -> Response:
        if list(segments) == ["health"]:
            return json_response({"status": "ok"})
        if request.authorization is None or (
            request.authorization.username != self.client_id
            or request.authorization.password != self.client_secret
        ):
            return json_response({"code": 124, "message": "Invalid credentials."}, 401)
        try:
            payload: Any = json.loads(request.get_data() or b"{}")
            if not isinstance(payload, dict):
                raise ValueError("expected a JSON object")
            if list(segments) == ["faults"]:
                if request.method == "GET":
                    return json_response({"faults": [f.to_dict() for f in self.faults.active()]})
                if request.method == "DELETE":
                    self.faults.clear()
                    return Response(status=204)
                if request.method == "POST":
                    return json_response(self.faults.inject_from_json(payload).to_dict(), 201)
            if list(segments) == ["stats"] and request.method == "GET":
                return json_response(self.stats())
            if list(segments) == ["recordings"] and request.method == "POST":
                if "start_time" in payload:
                    payload["start_time"] = datetime.fromisoformat(
                        str(payload["start_time"]).replace("Z", "+00:00")
                    )
                recording = self.add_recording(**payload)
                return json_response({"uuid": recording["uuid"], "id": recording["id"]}, 201)
            if list(segments) == ["clock"] and request.method == "POST":
                if not isinstance(self.clock, ManualClock):
                    return json_response({"code": 409, "message": "The clock is not manual."}, 409)
                now = self.clock.advance(float(payload.get("advance_seconds", 0)))
                return json_response({"now": format_utc(now)})
        except (TypeError, ValueError) as error:
            return json_response({"code": 300, "message": f"Invalid request: {error}"}, 400)
        return json_response({"code": 404, "message": "Not Found."}, 404)

    @staticmethod
    def _web_page(template: str, params: dict[str, str]) -> Response:
        what = {
            "/j/{id}": "Join meeting",
            "/s/{id}": "Start meeting",
            "/rec/play/{key}": "Play recording",
            "/rec/share/{key}": "Shared recording",
            "/meeting/register/{key}": "Register for a meeting",
            "/doc/{key}": "Meeting summary document",
        }[template]
        value = html.escape(next(iter(params.values())))
        page = (
            f"<!doctype html><title>{what} - Zoom sandbox</title>"
            f"<h1>{what}</h1><p>This is the Zoom sandbox; nothing to join here ({value}).</p>"
        )
        return Response(page, 200, content_type="text/html; charset=utf-8")
