"""ZoomClient: a REST client of the operations, with typed keyword-only methods.

Each method's signature is the operation's argument model (``operations``): one declaration,
no parameter list written twice. Requests go through the one request loop (``_http``).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import requests
from pydantic import ValidationError

from zoom_agent_tools import operations as ops
from zoom_agent_tools._http import (
    DEFAULT_TIMEOUT,
    LOGGER_NAME,
    Bearer,
    Outgoing,
    Timeout,
    encode_segment,
    send,
)
from zoom_agent_tools._input import parse_arguments
from zoom_agent_tools._methods import Listing, every_item, method
from zoom_agent_tools._origins import RefusedURL, TokenHosts, shown_url
from zoom_agent_tools._redact import redact_url
from zoom_agent_tools._retry import RetryPolicy
from zoom_agent_tools.auth import (
    DEFAULT_OAUTH_BASE_URL,
    AccessTokenAuth,
    Auth,
    ServerToServerAuth,
)
from zoom_agent_tools.budget import Pacing, RateBudget
from zoom_agent_tools.downloads import DEFAULT_WORKERS, DownloadPolicy
from zoom_agent_tools.errors import (
    ZoomAPIError,
    ZoomConfigurationError,
    ZoomConnectionError,
    ZoomDownloadError,
    ZoomRateLimitError,
    ZoomServerError,
)

if TYPE_CHECKING:
    from zoom_agent_tools import arguments as a
    from zoom_agent_tools import models as m
    from zoom_agent_tools.fleet import Fleet

__all__ = ["CREDENTIAL_VARIABLES", "DEFAULT_API_BASE_URL", "ZoomClient"]

DEFAULT_API_BASE_URL = "https://api.zoom.us/v2"
#: When one of these is set, ``from_env`` takes the credentials from the environment; else it
#: uses the stored connection. (``ZOOM_CLIENT_ID`` and ``ZOOM_CLIENT_SECRET`` alone may name
#: the user-OAuth app ``zoom-agent-tools connect`` signs in with.)
CREDENTIAL_VARIABLES = ("ZOOM_ACCESS_TOKEN", "ZOOM_ACCOUNT_ID")
_DOWNLOAD_NOT_FOUND = "The recording may have been deleted; list it again."

A = TypeVar("A", bound="a.ToolArgs")
R = TypeVar("R")
T = TypeVar("T")


def _body(response: requests.Response) -> bytes:
    return response.content


def _parsed(parse: Callable[[bytes], T], body: bytes, action: str) -> T:
    try:
        return parse(body)
    except (ValidationError, ValueError, TypeError, AttributeError):
        # The body is not echoed: it may hold passcodes or links that log in as host.
        raise ZoomAPIError(
            f"Could not {action}: Zoom's answer was not in the expected form.",
            status=200,
            suggestion="Retry; if it persists, check ZOOM_API_BASE_URL points at Zoom's API.",
        ) from None


def _user_agent() -> str:
    from zoom_agent_tools import __version__

    return f"zoom-agent-tools/{__version__}"


class ZoomClient:
    """A client for the Zoom operations.

    Each operation is a method that takes keyword arguments, typed from its argument model
    (``client.get_meeting(meeting_id="85746065432")``) and returns Zoom's answer as a model;
    ``iter_meetings``, ``iter_recordings`` (any range of dates), ``iter_past_participants``
    and ``iter_transcript`` walk every page. The meeting-intelligence methods
    (``get_meeting_transcript``, ``get_meeting_summary``, ``meeting_attendance``) raise
    ZoomUnavailableError when the meeting has nothing of the kind to give (yet).
    ``execute(operation, args)`` takes an argument model, a mapping or text instead.

    Everything a test would swap is an argument: ``session``, ``auth``, ``base_url``,
    ``timeout``, ``retry``, ``logger`` and ``sleep``. The constructor does no network I/O.
    Requests keep to ``rate_budget`` (Zoom's Pro limits by default; see ``budget``), shared
    by all the client's threads, and with a ``fleet`` by every worker on the same Redis,
    which then also share one access token (see ``fleet``).
    Recording files go to ``download_dir``; the token is sent for downloads only to Zoom's
    hosts, the API's origin and ``download_hosts`` (``host`` for https, or
    ``scheme://host[:port]``); a recording's files download ``download_workers`` at a time.
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
        download_workers: int = DEFAULT_WORKERS,
        rate_budget: RateBudget | None = None,
        fleet: Fleet | None = None,
    ) -> None:
        # Checks base_url too: the API's origin receives the token.
        self.token_hosts = TokenHosts.configure(base_url, download_hosts)
        self.downloads = DownloadPolicy(
            Path(download_dir) if download_dir is not None else Path.cwd() / "zoom-recordings",
            workers=download_workers,
        )
        self.auth = auth
        self.base_url = base_url.rstrip("/")
        self._owns_session = session is None
        self.session = session if session is not None else requests.Session()
        self.session.headers.setdefault("User-Agent", _user_agent())
        self.timeout: Timeout = (timeout, timeout) if isinstance(timeout, (int, float)) else timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.logger = logger if logger is not None else logging.getLogger(LOGGER_NAME)
        self.sleep = sleep
        self.rate_budget = rate_budget if rate_budget is not None else RateBudget()
        self.fleet = fleet
        self._pacing = (
            Pacing(self.rate_budget)
            if fleet is None
            else Pacing(self.rate_budget, state=fleet.join(auth), me=fleet.scope(auth))
        )

    def __repr__(self) -> str:
        return f"ZoomClient(base_url={self.base_url!r}, auth={self.auth!r})"

    # -- construction and lifetime -------------------------------------------------------

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        profile: str | None = None,
        **kwargs: Any,
    ) -> ZoomClient:
        """A client configured from environment variables, else from the stored connection.

        ``ZOOM_ACCESS_TOKEN``, or ``ZOOM_ACCOUNT_ID`` + ``ZOOM_CLIENT_ID`` +
        ``ZOOM_CLIENT_SECRET``; optional ``ZOOM_API_BASE_URL``, ``ZOOM_OAUTH_BASE_URL``,
        ``ZOOM_DOWNLOAD_DIR``, ``ZOOM_RATE_PLAN`` and ``ZOOM_RATE_LIMITS`` (see
        ``RateBudget.from_env``), and ``ZOOM_REDIS_URL`` with ``ZOOM_TOKEN_KEY`` for a fleet
        (see ``Fleet.from_env``). When neither ``ZOOM_ACCESS_TOKEN`` nor ``ZOOM_ACCOUNT_ID`` is
        set, the connection that ``zoom-agent-tools connect`` stored for ``profile`` (default
        ``$ZOOM_PROFILE``, else ``default``) is used (see ``from_profile``). Other keyword
        arguments go to the constructor.
        """
        values = os.environ if env is None else env

        def get(name: str) -> str:
            return values.get(name, "").strip()

        if get("ZOOM_DOWNLOAD_DIR") and "download_dir" not in kwargs:
            # Configuration files (an MCP client's, a service's) are read by no shell: expand ~.
            kwargs["download_dir"] = Path(get("ZOOM_DOWNLOAD_DIR") or "").expanduser()
        if "rate_budget" not in kwargs:
            kwargs["rate_budget"] = RateBudget.from_env(values)
        if get("ZOOM_REDIS_URL") and "fleet" not in kwargs:
            from zoom_agent_tools.fleet import Fleet

            kwargs["fleet"] = Fleet.from_env(values)
        if not any(get(name) for name in CREDENTIAL_VARIABLES):
            partial = [n for n in ("ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET") if get(n)]
            return cls._from_stored(profile, values, partial, kwargs)
        api = get("ZOOM_API_BASE_URL") or DEFAULT_API_BASE_URL
        oauth = get("ZOOM_OAUTH_BASE_URL") or DEFAULT_OAUTH_BASE_URL
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

    @classmethod
    def from_profile(
        cls, profile: str | None = None, *, env: Mapping[str, str] | None = None, **kwargs: Any
    ) -> ZoomClient:
        """A client of the connection ``zoom-agent-tools connect`` stored for ``profile``
        (default ``$ZOOM_PROFILE``, else ``default``), whatever the environment's credentials.

        A user-OAuth connection keeps each rotated refresh token there. Raises
        ZoomConfigurationError when the profile is not connected or cannot be read.
        """
        return cls._from_stored(profile, os.environ if env is None else env, None, kwargs)

    @classmethod
    def _from_stored(
        cls,
        profile: str | None,
        values: Mapping[str, str],
        env_given: list[str] | None,
        kwargs: dict[str, Any],
    ) -> ZoomClient:
        """The client of a stored connection. ``env_given`` is None for ``from_profile``; for
        ``from_env`` the credential variables that are set (errors name the others, and the
        base URLs in the environment must agree with the stored ones)."""
        from zoom_agent_tools.connections import ConnectionStore

        store = ConnectionStore(profile, env=values)
        connection = store.load()
        for_env = env_given is not None
        if connection is None and not for_env:
            raise ZoomConfigurationError(
                f"Not connected: profile {store.profile!r} has no stored connection.",
                suggestion=f"Run {store.connect_command} to connect.",
            )
        if connection is None:
            names = ["ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"]
            missing = ", ".join(n for n in names if n not in (env_given or ()))
            raise ZoomConfigurationError(
                f"Zoom credentials are not configured: ZOOM_ACCESS_TOKEN is not set, nor "
                f"{missing}, and profile {store.profile!r} has no stored connection.",
                suggestion=(
                    f"Run {store.connect_command} to sign in once, or set ZOOM_ACCESS_TOKEN, "
                    "or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET from a "
                    "Server-to-Server OAuth app (e.g. `export ZOOM_ACCOUNT_ID=...`). To try "
                    "the tools offline, run `zoom-agent-tools sandbox` and paste the export "
                    "lines it prints."
                ),
            )
        for name, stored in (
            ("ZOOM_API_BASE_URL", connection.api_base_url),
            ("ZOOM_OAUTH_BASE_URL", connection.oauth_base_url),
        ):
            given = values.get(name, "").strip() if for_env else ""
            if given and given.rstrip("/") != stored.rstrip("/"):
                # The stored tokens are valid at the stored addresses only; sending them
                # elsewhere would leak them or fail.
                raise ZoomConfigurationError(
                    f"{name} is {given!r}, but profile {store.profile!r} is connected to "
                    f"{stored!r}.",
                    suggestion=f"Unset {name} to use the stored connection, or connect a "
                    "profile for that address (--profile).",
                )
        return cls(store.auth(connection), base_url=connection.api_base_url, **kwargs)

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
        if self.fleet is not None:
            self.fleet.check()
        reconnect = getattr(self.auth, "reconnect", None)
        if callable(reconnect):
            reconnect()
        self.auth.access_token(self.session, self.timeout)

    def disconnect(self) -> None:
        """Revoke access at Zoom at once; later calls on this client fail until reconnected."""
        self.auth.revoke(self.session, self.timeout)

    # -- HTTP ------------------------------------------------------------------------------

    def _bearer(self, token: str | None = None) -> Bearer:
        """``token`` (it cannot be renewed), or the auth's token, renewed when refused."""
        if token is not None:
            return Bearer(lambda stale: token, renewable=False)
        auth, session, timeout = self.auth, self.session, self.timeout
        return Bearer(
            lambda stale: auth.access_token(session, timeout, stale=stale),
            renewable=getattr(auth, "renewable", True),
        )

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
        unsent: Callable[[], None] | None = None,
    ) -> bytes:
        """Send ``request`` with auth, timeout and safe retries; the body of Zoom's answer.

        Raises a ZoomError subclass for every failure; calls ``unsent`` first when the
        request certainly did not reach Zoom.
        """
        outgoing = Outgoing(
            request.method,
            self.url_for(request),
            action,
            params=request.query,
            json=request.json,
            headers={"Accept": "application/json"},
            bearer=self._bearer(),
            not_found_hint=not_found_hint,
            scopes=request.endpoint.scopes,
            pace=self._pacing.turn(request.endpoint.rate_category),
            unsent=unsent,
        )
        return send(self, outgoing, _body)

    def stream(
        self,
        url: str,
        read: Callable[[requests.Response], T],
        *,
        token: str | None = None,
        headers: Callable[[], Mapping[str, str]] | None = None,
    ) -> T:
        """GET the file at ``url`` and ``read`` its answer as it streams.

        ``token`` (a download token; else the client's, renewed once if Zoom refuses it) is
        sent only to the token hosts, checked on the URL and on every redirect hop before it
        is sent. Failures are retried as for any GET, a body cut off included; ``headers``
        gives each try's extra headers (a ``Range`` to resume). Raises a ZoomError.
        """
        outgoing = Outgoing(
            "GET",
            url,
            f"download {redact_url(url)}",
            bearer=self._bearer(token),
            follow=self._check_download_hop,
            not_found_hint=_DOWNLOAD_NOT_FOUND,
        )
        return send(self, outgoing, read, headers=headers)

    def _check_download_hop(self, url: str, hop: int) -> None:
        try:
            self.token_hosts.check(url)
        except RefusedURL as exc:
            what = "follow Zoom's redirect to" if hop else "download from"
            raise ZoomDownloadError(
                f"Refused to {what} {shown_url(url)}: {exc}; the token was not sent.",
                suggestion="Recording files are fetched from Zoom's own hosts only: do not "
                "retry, tell the user the file's address is not Zoom's.",
            ) from None

    # -- operations ----------------------------------------------------------------------

    def execute(
        self,
        op: ops.Operation[..., A, R],
        args: A | Mapping[str, Any] | str | None = None,
        /,
    ) -> R:
        """Validate arguments, call ``op`` and return its parsed result.

        ``args`` is the operation's argument model, a mapping (camelCase or snake_case keys)
        or text as agents send it (see ``_input.arguments_from``).
        """
        parsed = parse_arguments(op, args)
        if op.run is not None:
            return op.run(self, op, parsed)
        build, parse = op.request, op.parse
        if build is None or parse is None:
            raise TypeError(f"{op.name} declares neither run nor request and parse")
        action = op.action(parsed)
        request = build(parsed)
        self._learn_write_host(request)
        # Given back if the write certainly did not reach Zoom; kept if it may have (a lost
        # write counts at Zoom, and a write is never sent twice).
        give_back = self._pacing.reserve_write(request, action)
        asked_at = datetime.now(timezone.utc)
        try:
            body = self.send(
                request, action=action, not_found_hint=op.not_found_hint, unsent=give_back
            )
        except ZoomRateLimitError as failure:
            if failure.daily_create_update_cap:
                self._learn_write_host(request)
                self._pacing.writes_spent(request)
            raise
        except (ZoomServerError, ZoomConnectionError) as failure:
            # The answer to a write was lost: Zoom may have acted. Never sent again (see
            # lost_writes): a create is looked up, an update says that resending is safe.
            if op is ops.create_meeting:
                from zoom_agent_tools.lost_writes import settle_lost_create

                created = settle_lost_create(
                    self, cast("a.CreateMeetingArgs", parsed), failure, asked_at
                )
                return cast("R", created)
            if op is ops.update_meeting and getattr(failure, "request_sent", True):
                from zoom_agent_tools.lost_writes import explain_lost_update

                raise explain_lost_update(failure) from None
            raise
        result = _parsed(parse, body, action)
        self._pacing.learn_host(request, result)
        return result

    def _learn_write_host(self, request: ops.HttpRequest) -> None:
        """Before an update is counted against its host's daily budget, learn who the host
        is (``get_meeting``, a Light call; ``execute`` remembers the answer)."""
        meeting = self._pacing.unknown_host(request)
        if meeting is None:
            return
        try:
            self.execute(ops.get_meeting, {"meeting_id": meeting})
        except (ZoomAPIError, ZoomConnectionError):
            # Counted under the meeting then; the update's own answer says what is wrong.
            return

    def request(
        self,
        request: ops.HttpRequest,
        parse: Callable[[bytes], T],
        *,
        action: str,
        not_found_hint: str | None = None,
    ) -> T:
        """Send ``request`` (as ``send`` does) and ``parse`` the body of Zoom's answer.

        Raises a ZoomError subclass for every failure, an answer not in the expected form
        included.
        """
        body = self.send(request, action=action, not_found_hint=not_found_hint)
        return _parsed(parse, body, action)

    def iterate(
        self,
        op: ops.Operation[..., A, Listing[T]],
        args: A | Mapping[str, Any] | str | None = None,
        /,
    ) -> Iterator[T]:
        """Every item of a paginated operation, page after page, with the same query each time.

        A listing of recordings over more than Zoom's one-month window walks the windows,
        newest first; a recording found in two windows is given once.
        """
        if not op.paginated:
            raise TypeError(f"{op.name} is not paginated")
        parsed = parse_arguments(op, args, walking=op.walk is not None)
        previous: set[str] = set()
        for window in op.walk(parsed) if op.walk is not None else [parsed]:
            given: set[str] = set()
            for item in self._pages(op, window):
                uuid = getattr(item, "uuid", None)
                if uuid in previous:
                    continue  # already given with the newer window, at the seam
                if isinstance(uuid, str):
                    given.add(uuid)
                yield item
            previous = given

    def _pages(self, op: ops.Operation[..., A, Listing[T]], parsed: A) -> Iterator[T]:
        """The items of every page of one listing."""
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
            parsed = parsed.model_copy(update={op.page_argument: token})

    def download_recording_files(
        self,
        recording: m.Recording,
        directory: str | os.PathLike[str] | None = None,
        *,
        overwrite: bool = False,
        workers: int | None = None,
        progress: bool | None = None,
    ) -> m.DownloadResult:
        """Download the files of ``recording`` into ``directory`` (default: the client's).

        Each file is saved, found already present (same name and the size Zoom reports: not
        downloaded again), skipped (not ready yet, or no download URL) or failed (with why and
        what to do); one file's failure does not stop the others. A different file already
        under the same name is replaced only with ``overwrite=True``. ``workers`` files
        download at once (default: the client's ``download_workers``, 4; at most 10).

        ``progress`` shows progress bars, one per file and a total (tqdm: a widget in a
        notebook with ipywidgets, else text on standard error): by default (None) only in a
        Jupyter kernel or when standard error is a terminal; True always, False never.
        """
        from dataclasses import replace

        from zoom_agent_tools.downloads import check_workers, download_recording_files

        token = (recording.model_extra or {}).get("download_access_token")
        policy = self.downloads if directory is None else self.downloads.with_directory(directory)
        if workers is not None:
            policy = replace(policy, workers=check_workers(workers, "workers"))
        show = None
        if progress is not False:
            from zoom_agent_tools._progress import DownloadBars, watched

            show = DownloadBars if progress or watched() else None
        return download_recording_files(
            self,
            recording,
            policy,
            token=token if isinstance(token, str) and token else None,
            overwrite=overwrite,
            progress=show,
        )

    # -- the operations as methods: keyword arguments typed from each argument model --------

    create_meeting = method(ops.create_meeting)
    list_meetings = method(ops.list_meetings)
    iter_meetings = every_item(ops.list_meetings)
    get_meeting = method(ops.get_meeting)
    update_meeting = method(ops.update_meeting)
    delete_meeting = method(ops.delete_meeting)
    get_meeting_invitation = method(ops.get_meeting_invitation)
    list_recordings = method(ops.list_recordings)
    iter_recordings = every_item(ops.list_recordings)
    get_meeting_recordings = method(ops.get_meeting_recordings)
    delete_recording = method(ops.delete_recording)
    list_past_participants = method(ops.list_past_participants)
    iter_past_participants = every_item(ops.list_past_participants)
    list_past_meeting_instances = method(ops.list_past_meeting_instances)
    get_meeting_transcript = method(ops.get_meeting_transcript)
    iter_transcript = every_item(ops.get_meeting_transcript, "iter_transcript")
    get_meeting_summary = method(ops.get_meeting_summary)
    meeting_attendance = method(ops.get_meeting_attendance)
