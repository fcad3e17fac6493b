"""ZoomClient: one session, timeouts, safe retries, error mapping, pagination, the operations."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import TracebackType
from typing import Any, TypeVar, cast

import requests
from pydantic import ValidationError

from zoom_agent_tools import __version__
from zoom_agent_tools import arguments as a
from zoom_agent_tools import models as m
from zoom_agent_tools import operations as ops
from zoom_agent_tools._http import (
    DEFAULT_TIMEOUT,
    IDEMPOTENT_METHODS,
    RETRYABLE_STATUSES,
    RetryPolicy,
    Timeout,
    decode_body,
    encode_segment,
    parse_retry_after,
)
from zoom_agent_tools._redact import redact_url
from zoom_agent_tools.auth import (
    DEFAULT_OAUTH_BASE_URL,
    AccessTokenAuth,
    Auth,
    ServerToServerAuth,
)
from zoom_agent_tools.downloads import DownloadPolicy, download_recording_files
from zoom_agent_tools.errors import (
    ZoomAPIError,
    ZoomConfigurationError,
    ZoomConnectionError,
    ZoomServerError,
    ZoomTimeoutError,
    error_from_response,
)
from zoom_agent_tools.lost_writes import explain_lost_update, settle_lost_create

__all__ = ["DEFAULT_API_BASE_URL", "ToolResult", "ZoomClient"]

DEFAULT_API_BASE_URL = "https://api.zoom.us/v2"
LOGGER_NAME = "zoom_agent_tools"

A = TypeVar("A", bound=a.ToolArgs)
R = TypeVar("R")


@dataclass(frozen=True)
class ToolResult:
    """A tool's answer: JSON-ready ``content`` for the model, and files it saved (``artifact``)."""

    content: dict[str, Any]
    files: list[m.DownloadedFile] = field(default_factory=list)


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection failed before any byte of the request could reach Zoom."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)
    return type(inner).__name__ in {"NewConnectionError", "NameResolutionError"}


def _arguments(op: ops.Operation[A, Any], args: Any, params: Mapping[str, Any]) -> A:
    """Validated arguments from a model, a mapping (or text, as an agent sends it) and/or
    keyword parameters."""
    if isinstance(args, a.ToolArgs):
        if params:
            raise TypeError("pass either an arguments model or keyword parameters, not both")
        return ops.parse_arguments(op, args)
    if not params:
        return ops.parse_arguments(op, args)
    return ops.parse_arguments(op, {**ops.arguments_from(op, args), **params})


class ZoomClient:
    """A client for the ten Zoom operations.

    Everything a test would swap is an argument: ``session``, ``auth``, ``base_url``,
    ``timeout``, ``retry``, ``logger`` and ``sleep``. The constructor does no network I/O.
    Recording files go to ``download_dir``; the token is sent for downloads only to Zoom's
    hosts, the API's origin and ``download_hosts`` (``host`` for https, or
    ``scheme://host[:port]``).
    """

    def __init__(
        self,
        auth: Auth,
        *,
        base_url: str = DEFAULT_API_BASE_URL,
        session: requests.Session | None = None,
        timeout: Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        logger: logging.Logger | None = None,
        sleep: Callable[[float], None] = time.sleep,
        download_dir: str | os.PathLike[str] | None = None,
        download_hosts: tuple[str, ...] = (),
    ) -> None:
        # Checks base_url too: the API's origin receives the token.
        self.downloads = DownloadPolicy.create(
            directory=download_dir, api_base_url=base_url, extra_hosts=download_hosts
        )
        self.auth = auth
        self.base_url = base_url.rstrip("/")
        self._owns_session = session is None
        self.session = session if session is not None else requests.Session()
        self.session.headers.setdefault("User-Agent", f"zoom-agent-tools/{__version__}")
        self.timeout: Timeout = (timeout, timeout) if isinstance(timeout, (int, float)) else timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.logger = logger if logger is not None else logging.getLogger(LOGGER_NAME)
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"ZoomClient(base_url={self.base_url!r}, auth={self.auth!r})"

    # -- construction and lifetime -------------------------------------------------------

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **kwargs: Any) -> ZoomClient:
        """A client configured from environment variables.

        ``ZOOM_ACCESS_TOKEN``, or ``ZOOM_ACCOUNT_ID`` + ``ZOOM_CLIENT_ID`` +
        ``ZOOM_CLIENT_SECRET``; optional ``ZOOM_API_BASE_URL``, ``ZOOM_OAUTH_BASE_URL`` and
        ``ZOOM_DOWNLOAD_DIR``. Other keyword arguments go to the constructor.
        """
        values = os.environ if env is None else env

        def get(name: str) -> str:
            return values.get(name, "").strip()

        api = get("ZOOM_API_BASE_URL") or DEFAULT_API_BASE_URL
        oauth = get("ZOOM_OAUTH_BASE_URL") or DEFAULT_OAUTH_BASE_URL
        if get("ZOOM_DOWNLOAD_DIR") and "download_dir" not in kwargs:
            kwargs["download_dir"] = get("ZOOM_DOWNLOAD_DIR")
        auth: Auth
        if get("ZOOM_ACCESS_TOKEN"):
            auth = AccessTokenAuth(
                get("ZOOM_ACCESS_TOKEN"),
                client_id=get("ZOOM_CLIENT_ID") or None,
                client_secret=get("ZOOM_CLIENT_SECRET") or None,
                oauth_base_url=oauth,
            )
        else:
            names = ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")
            missing = [n for n in names if not get(n)]
            if missing:
                raise ZoomConfigurationError(
                    f"Zoom credentials are not configured: {', '.join(missing)} "
                    f"{'is' if len(missing) == 1 else 'are'} not set.",
                    suggestion=(
                        "Set ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and "
                        "ZOOM_CLIENT_SECRET from a Server-to-Server OAuth app (e.g. "
                        f"`export {missing[0]}=...`). To try the tools offline, run "
                        "`zoom-agent-tools sandbox` and paste the export lines it prints."
                    ),
                )
            auth = ServerToServerAuth(
                get("ZOOM_ACCOUNT_ID"),
                get("ZOOM_CLIENT_ID"),
                get("ZOOM_CLIENT_SECRET"),
                oauth_base_url=oauth,
            )
        return cls(auth, base_url=api, **kwargs)

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> ZoomClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def connect(self) -> None:
        """Fetch an access token now (again, after a disconnect), so bad credentials fail here.

        A user-OAuth connection that was disconnected needs a new sign-in first.
        """
        reconnect = getattr(self.auth, "reconnect", None)
        if callable(reconnect):
            reconnect()
        self.auth.access_token(self.session, self.timeout)

    def disconnect(self) -> None:
        """Revoke access at Zoom at once; later calls on this client fail until reconnected."""
        self.auth.revoke(self.session, self.timeout)

    # -- the HTTP core -------------------------------------------------------------------

    def url_for(self, request: ops.HttpRequest) -> str:
        """The absolute URL of ``request``, each path value encoded as one segment."""
        path = request.path
        for name, value in request.path_params.items():
            path = path.replace("{" + name + "}", encode_segment(str(value)))
        return self.base_url + path

    def send(
        self,
        request: ops.HttpRequest,
        *,
        action: str,
        not_found_hint: str | None = None,
    ) -> Any:
        """Send ``request`` with auth, timeout and safe retries; Zoom's decoded answer.

        Raises a ZoomError subclass for every failure.
        """
        url = self.url_for(request)
        method = request.method.upper()
        attempt = 0
        stale: str | None = None
        renewed = False
        while True:
            token = self.auth.access_token(self.session, self.timeout, stale=stale)
            started = time.perf_counter()
            try:
                response = self.session.request(
                    method,
                    url,
                    params=request.query or None,
                    json=request.json,
                    headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                    timeout=self.timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                delay = self.retry.delay_for_failure(attempt, "GET" if _never_sent(exc) else method)
                self.logger.warning("%s %s failed: %s", method, redact_url(url), type(exc).__name__)
                if delay is None:
                    raise self._connection_error(
                        exc, action, _never_sent(exc) or (method in IDEMPOTENT_METHODS)
                    ) from None
                self.sleep(delay)
                attempt += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            status = response.status_code
            if self.logger.isEnabledFor(logging.DEBUG):  # skip the URL scrub when not logging
                self.logger.debug(
                    "%s %s -> %s (%.0f ms)", method, redact_url(response.url), status, elapsed
                )
            if status < 300:
                return decode_body(response)
            body = decode_body(response)
            if status == 404 and method == "DELETE" and attempt > 0:
                # An earlier try failed without an answer but went through: it is deleted.
                self.logger.info(
                    "%s %s: already deleted by an earlier try", method, redact_url(url)
                )
                return None
            code = body.get("code") if isinstance(body, Mapping) else None
            if (
                status == 401
                and not renewed
                and code in (124, None)
                and getattr(self.auth, "renewable", True)
            ):
                # The token expired or was rotated away: renew once and try again.
                renewed, stale = True, token
                continue
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            error = error_from_response(
                status,
                body,
                action=action,
                retry_after=retry_after,
                limit_type=response.headers.get("X-RateLimit-Type"),
                category=response.headers.get("X-RateLimit-Category"),
                request_id=response.headers.get("x-zm-trackingid"),
                not_found_hint=not_found_hint,
            )
            delay = None
            if status == 429:
                daily = getattr(error, "daily_create_update_cap", False) or (
                    (error.limit_type or "").lower() == "daily-limit"  # type: ignore[attr-defined]
                )
                if not daily:
                    delay = self.retry.delay_for_rate_limit(attempt, retry_after)
            elif status in RETRYABLE_STATUSES:
                delay = self.retry.delay_for_failure(attempt, method)
            if delay is None:
                raise error
            self.logger.info(
                "%s %s answered %s; retrying in %.1f s", method, redact_url(url), status, delay
            )
            self.sleep(delay)
            attempt += 1

    @staticmethod
    def _connection_error(
        exc: requests.RequestException, action: str, safe_to_repeat: bool
    ) -> ZoomConnectionError:
        # A create or update whose answer was lost may have happened: say so, or a retry
        # could create a second meeting.
        check = (
            ""
            if safe_to_repeat
            else ("It may have gone through: check (e.g. list the meetings) before trying again. ")
        )
        sent = not _never_sent(exc)
        if isinstance(exc, requests.Timeout):
            return ZoomTimeoutError(
                f"Could not {action}: Zoom did not answer in time.",
                suggestion=f"{check}Retry later, or raise the client's timeout.",
                request_sent=sent,
            )
        return ZoomConnectionError(
            f"Could not {action}: the connection to Zoom failed ({type(exc).__name__}).",
            suggestion=f"{check}Check the network and ZOOM_API_BASE_URL, then retry.",
            request_sent=sent,
        )

    # -- operations ----------------------------------------------------------------------

    def execute(
        self,
        op: ops.Operation[A, R],
        args: A | Mapping[str, Any] | str | None = None,
        /,
        **params: Any,
    ) -> R:
        """Validate arguments, call ``op`` and return its parsed result.

        ``args`` is read as ``operations.arguments_from`` says (a mapping, or text as agents
        send it); ``params`` are added to it.
        """
        parsed = _arguments(op, args, params)
        action = op.action(parsed)
        asked_at = datetime.now(timezone.utc)
        try:
            body = self.send(op.request(parsed), action=action, not_found_hint=op.not_found_hint)
        except (ZoomServerError, ZoomConnectionError) as failure:
            # The answer to a write was lost: Zoom may have acted. Never sent again (see
            # lost_writes): a create is looked up, an update says that resending is safe.
            if op is ops.create_meeting:
                created = settle_lost_create(
                    self, cast(a.CreateMeetingArgs, parsed), failure, asked_at
                )
                return cast(R, created)
            if op is ops.update_meeting and getattr(failure, "request_sent", True):
                raise explain_lost_update(failure) from None
            raise
        try:
            return op.parse(body)
        except (ValidationError, ValueError, TypeError, AttributeError):
            # The body is not echoed: it may hold passcodes or links that log in as host.
            raise ZoomAPIError(
                f"Could not {action}: Zoom's answer was not in the expected form.",
                status=200,
                suggestion="Retry; if it persists, check ZOOM_API_BASE_URL points at Zoom's API.",
            ) from None

    def run_tool(
        self, name: str, arguments: Mapping[str, Any] | a.ToolArgs | str | None = None
    ) -> ToolResult:
        """Run the tool ``name`` as an agent would: arguments in, JSON-ready output out.

        ``arguments`` is a mapping (camelCase or snake_case keys), the tool's argument model,
        or text: a JSON object, or the value of a tool's one required parameter.
        """
        op = ops.get_operation(name)
        parsed = ops.parse_arguments(op, arguments)
        result = self.execute(op, parsed)
        content = op.present(result)
        files: list[m.DownloadedFile] = []
        if op.saves_files:
            content["files"] = []
            if parsed.download_files:
                download = self.download_recording_files(result)
                content.update(download.to_output())
                files = download.saved
        return ToolResult(content, files)

    def iterate(
        self,
        op: ops.Operation[A, Any],
        args: A | Mapping[str, Any] | str | None = None,
        /,
        **params: Any,
    ) -> Iterator[Any]:
        """Every item of a paginated operation, page after page, with the same query each time."""
        if not op.paginated:
            raise TypeError(f"{op.name} is not paginated")
        parsed = _arguments(op, args, params)
        seen: set[str] = set()
        while True:
            page = self.execute(op, parsed)
            yield from page.items
            token = page.next_page_token
            if not token:
                return
            if token in seen:
                raise ZoomAPIError(
                    f"Could not {op.action(parsed)}: Zoom sent the same page token twice.",
                    status=200,
                    suggestion="Retry the listing later.",
                )
            seen.add(token)
            parsed = parsed.model_copy(update={"next_page_token": token})

    def download_recording_files(
        self,
        recording: m.Recording,
        directory: str | os.PathLike[str] | None = None,
        *,
        overwrite: bool = False,
    ) -> m.DownloadResult:
        """Download the files of ``recording`` into ``directory`` (default: the client's).

        Each file is saved, found already present (same name and the size Zoom reports: not
        downloaded again), skipped (not ready yet, or no download URL) or failed (with why and
        what to do); one file's failure does not stop the others. A different file already
        under the same name is replaced only with ``overwrite=True``.
        """
        token = (recording.model_extra or {}).get("download_access_token")
        policy = self.downloads if directory is None else self.downloads.with_directory(directory)
        return download_recording_files(
            self,
            recording,
            policy,
            token=token if isinstance(token, str) and token else None,
            overwrite=overwrite,
        )

    def create_meeting(
        self, args: a.CreateMeetingArgs | None = None, /, **params: Any
    ) -> m.Meeting:
        """Create a meeting; e.g. ``create_meeting(user_id="me", topic="Sync", type=1)``."""
        return self.execute(ops.create_meeting, args, **params)

    def list_meetings(
        self, args: a.ListMeetingsArgs | None = None, /, **params: Any
    ) -> m.MeetingPage:
        """One page of a user's meetings."""
        return self.execute(ops.list_meetings, args, **params)

    def iter_meetings(self, **params: Any) -> Iterator[m.MeetingSummary]:
        """Every meeting of a user, across pages."""
        return self.iterate(ops.list_meetings, None, **params)

    def get_meeting(self, args: a.GetMeetingArgs | None = None, /, **params: Any) -> m.Meeting:
        """One meeting's details."""
        return self.execute(ops.get_meeting, args, **params)

    def update_meeting(self, args: a.UpdateMeetingArgs | None = None, /, **params: Any) -> None:
        """Change the given fields of a meeting."""
        self.execute(ops.update_meeting, args, **params)

    def delete_meeting(self, args: a.DeleteMeetingArgs | None = None, /, **params: Any) -> None:
        """Delete a meeting, or one occurrence of it."""
        self.execute(ops.delete_meeting, args, **params)

    def get_meeting_invitation(
        self, args: a.GetMeetingInvitationArgs | None = None, /, **params: Any
    ) -> str:
        """A meeting's invitation text."""
        return self.execute(ops.get_meeting_invitation, args, **params)

    def list_recordings(
        self, args: a.ListRecordingsArgs | None = None, /, **params: Any
    ) -> m.RecordingPage:
        """One page of a user's cloud recordings (``from_`` and ``to`` are yyyy-mm-dd)."""
        return self.execute(ops.list_recordings, args, **params)

    def iter_recordings(self, **params: Any) -> Iterator[m.Recording]:
        """Every cloud recording of a user in the date range, across pages."""
        return self.iterate(ops.list_recordings, None, **params)

    def get_meeting_recordings(
        self, args: a.GetMeetingRecordingsArgs | None = None, /, **params: Any
    ) -> m.Recording:
        """One meeting instance's recordings; download_recording_files() saves the files."""
        return self.execute(ops.get_meeting_recordings, args, **params)

    def delete_recording(self, args: a.DeleteRecordingArgs | None = None, /, **params: Any) -> None:
        """Move a meeting's recordings (or one file) to the trash, or delete them for good."""
        self.execute(ops.delete_recording, args, **params)

    def list_past_participants(
        self, args: a.ListPastParticipantsArgs | None = None, /, **params: Any
    ) -> m.ParticipantPage:
        """One page of a past meeting's participants."""
        return self.execute(ops.list_past_participants, args, **params)

    def iter_past_participants(self, **params: Any) -> Iterator[m.Participant]:
        """Every participant of a past meeting, across pages."""
        return self.iterate(ops.list_past_participants, None, **params)
