"""The error tree: every failure this package raises, and the one place HTTP answers become errors.

::

    ZoomError
    ├── ZoomValidationError        bad arguments, caught before any HTTP request
    ├── ZoomConfigurationError     missing or unusable configuration (environment, auth)
    ├── ZoomConnectionError        no answer: DNS, refused, reset, TLS
    │   └── ZoomTimeoutError       no answer in time
    ├── ZoomDownloadError          a recording file could not be saved safely
    ├── ZoomSignInError            a sign-in did not complete: declined, timed out, bad redirect
    ├── ZoomUnavailableError       a past meeting has no transcript, summary or attendance
    │                              to give (yet): ``state`` says why, ``suggestion`` what next
    └── ZoomAPIError               Zoom answered with an error (status, code, message)
        ├── ZoomBadRequestError        400, and Zoom code 300 validation errors
        ├── ZoomAuthenticationError    401 / code 124: token missing, expired or revoked
        ├── ZoomPermissionError        403, and missing scopes (4700, 4711)
        ├── ZoomNotFoundError          404 / codes 1001, 3001, 3301
        ├── ZoomConflictError          409
        ├── ZoomRateLimitError         429: per-second limit or the daily create/update cap
        └── ZoomServerError            5xx

Every error's ``str()`` is written for the reader who must act on it, an LLM included: what
failed, Zoom's code and text, and what to try next. No error ever carries a token, a client
secret, a ``start_url`` or a passcode: messages are scrubbed and ``repr()`` shows no body.

``error_from_response`` turns an HTTP answer (API or OAuth) into its error, and
``connection_error`` a failure to get one; nothing else decides a class, a 429's daily cap,
or whether a request may have reached Zoom.

The meeting-intelligence tools answer a ``ZoomUnavailableError`` with a tool result, not an
error: the call worked, and the state is what the agent reports or waits for.

A create whose answer was lost (5xx, timeout, dropped connection) says in ``created`` whether
the meeting exists: ``False`` when it certainly was not created (safe to create again),
``None`` when that is unknown (see ``zoom_agent_tools.lost_writes``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import requests

from zoom_agent_tools._redact import redact_text

if TYPE_CHECKING:
    from zoom_agent_tools.models import PastInstance

__all__ = [
    "FieldError",
    "UnavailableState",
    "ZoomAPIError",
    "ZoomAuthenticationError",
    "ZoomBadRequestError",
    "ZoomConfigurationError",
    "ZoomConflictError",
    "ZoomConnectionError",
    "ZoomDownloadError",
    "ZoomError",
    "ZoomNotFoundError",
    "ZoomPermissionError",
    "ZoomRateLimitError",
    "ZoomServerError",
    "ZoomSignInError",
    "ZoomTimeoutError",
    "ZoomUnavailableError",
    "ZoomValidationError",
    "connection_error",
    "error_from_response",
]


@dataclass(frozen=True)
class FieldError:
    """One invalid field: the parameter's name and what is wrong with it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ZoomError(Exception):
    """Root of every error raised by zoom_agent_tools.

    ``created`` is ``False`` on a failed create that certainly made no meeting (it is safe to
    create it again), and ``None`` everywhere else, including when that is unknown.
    """

    created: bool | None = None

    def __init__(self, message: str, *, suggestion: str | None = None) -> None:
        self.message = redact_text(message)
        self.suggestion = redact_text(suggestion) if suggestion else None
        super().__init__(self.message)

    def __str__(self) -> str:
        if self.suggestion:
            return f"{self.message} Suggestion: {self.suggestion}"
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ZoomConfigurationError(ZoomError):
    """Configuration is missing or unusable (an environment variable, credentials)."""


class ZoomValidationError(ZoomError, ValueError):
    """Arguments were refused before any request was sent; ``errors`` lists each field."""

    def __init__(
        self,
        errors: Sequence[FieldError],
        *,
        operation: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        self.operation = operation
        where = f"Invalid arguments for {operation}" if operation else "Invalid arguments"
        details = "; ".join(str(e) for e in self.errors)
        super().__init__(f"{where}: {details}.", suggestion=suggestion)


class ZoomConnectionError(ZoomError):
    """Zoom could not be reached (DNS, refused or reset connection, TLS).

    ``request_sent`` is False when the connection failed before any byte of the request left,
    so Zoom did nothing; True when the request may have reached Zoom.
    """

    def __init__(
        self, message: str, *, suggestion: str | None = None, request_sent: bool = True
    ) -> None:
        self.request_sent = request_sent
        super().__init__(message, suggestion=suggestion)


class ZoomTimeoutError(ZoomConnectionError):
    """Zoom did not answer within the timeout."""


class ZoomDownloadError(ZoomError):
    """A recording file could not be downloaded and verified; nothing partial was kept."""


class ZoomSignInError(ZoomError):
    """A user's sign-in did not complete: consent declined, no redirect in time, or a pasted
    address that is not the redirect. Nothing was stored."""


#: Why a past meeting instance has nothing of the kind asked for.
UnavailableState = Literal[
    "not_ended",  # no instance of the meeting has ended yet
    "not_recorded",  # never recorded to the cloud, and no meeting transcript
    "processing",  # Zoom is still processing the recording or transcript
    "transcript_off",  # recorded without an audio transcript (the host's setting is off)
    "transcript_unavailable",  # in the trash, no speech in it, or not offered for download
    "summary_off",  # AI Companion meeting summaries are turned off for the host or account
    "summary_not_ready",  # AI Companion is still writing the summary
    "no_summary",  # AI Companion did not summarise that meeting
    "summary_unavailable",  # in the trash, or withheld by the account's sharing rules
    "paid_plan_required",  # Zoom gives this to paid accounts only
]


class ZoomUnavailableError(ZoomError):
    """A past meeting instance has no transcript, summary or attendance to give (yet).

    ``state`` says why, the message what Zoom said, ``suggestion`` the next step; ``instance``
    is the instance that was looked at, when one was chosen.
    """

    def __init__(
        self,
        state: UnavailableState,
        message: str,
        *,
        suggestion: str,
        instance: PastInstance | None = None,
    ) -> None:
        self.state: UnavailableState = state
        self.instance = instance
        super().__init__(message, suggestion=suggestion)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(state={self.state!r}, message={self.message!r})"

    def to_output(self) -> dict[str, Any]:
        """The tool result that reports the state: ``state``, ``message``, ``nextStep`` and
        the ``instance`` looked at."""
        out: dict[str, Any] = {"state": self.state, "message": self.message}
        out["nextStep"] = self.suggestion
        if self.instance is not None:
            out["instance"] = self.instance.to_output()
        return out


class ZoomAPIError(ZoomError):
    """Zoom answered with an error: HTTP ``status``, Zoom's numeric ``code`` and ``message``."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: int | None = None,
        zoom_message: str | None = None,
        field_errors: Sequence[FieldError] = (),
        request_id: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.zoom_message = redact_text(zoom_message) if zoom_message else None
        self.field_errors: tuple[FieldError, ...] = tuple(field_errors)
        self.request_id = request_id
        super().__init__(message, suggestion=suggestion)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, code={self.code}, "
            f"message={self.zoom_message!r})"
        )


class ZoomBadRequestError(ZoomAPIError):
    """Zoom refused the request's data (HTTP 400, or code 300 with per-field errors)."""


class ZoomAuthenticationError(ZoomAPIError):
    """The access token is missing, invalid, expired or revoked (HTTP 401, code 124)."""


class ZoomPermissionError(ZoomAPIError):
    """The token lacks a permission or scope (HTTP 403, codes 4700/4711).

    ``missing_scopes`` are the scopes Zoom's message names; ``required_scopes`` those the
    operation declares (any one of them grants the call).
    """

    def __init__(
        self,
        message: str,
        *,
        missing_scopes: Sequence[str] = (),
        required_scopes: Sequence[str] = (),
        **kw: Any,
    ) -> None:
        self.missing_scopes: tuple[str, ...] = tuple(missing_scopes)
        self.required_scopes: tuple[str, ...] = tuple(required_scopes)
        super().__init__(message, **kw)


class ZoomNotFoundError(ZoomAPIError):
    """The user, meeting or recording does not exist (HTTP 404; codes 1001, 3001, 3301)."""


class ZoomConflictError(ZoomAPIError):
    """The request conflicts with the resource's state (HTTP 409)."""


class ZoomRateLimitError(ZoomAPIError):
    """A rate limit was hit (HTTP 429).

    ``limit_type`` is ``"QPS"`` for the per-second limit, ``"Daily-limit"`` for a daily cap;
    ``daily`` is true for any daily limit (waiting will not help before 00:00 UTC), and
    ``daily_create_update_cap`` for Zoom's 100 create/update requests per user per day.
    ``retry_after`` is the number of seconds to wait, when Zoom said (or it could be inferred).
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        limit_type: str | None = None,
        category: str | None = None,
        daily: bool = False,
        daily_create_update_cap: bool = False,
        **kw: Any,
    ) -> None:
        self.retry_after = retry_after
        self.limit_type = limit_type
        self.category = category
        self.daily = daily or daily_create_update_cap
        self.daily_create_update_cap = daily_create_update_cap
        super().__init__(message, **kw)


class ZoomServerError(ZoomAPIError):
    """Zoom failed on its side (HTTP 5xx)."""


_NOT_FOUND_CODES = frozenset({1001, 3001, 3301})
_SCOPE_CODES = frozenset({4700, 4711})
# Only Zoom's per-user cap on meeting creates/updates; other daily limits are the account's.
_DAILY_CAP_RE = re.compile(
    r"Meeting Create/Update API requests|maximum of \d+ meetings can be created", re.I
)
_PAGE_TOKEN_RE = re.compile(r"next page token", re.I)
_SCOPES_RE = re.compile(r"scopes?\s*:\s*\[([^\]]*)\]", re.I)


def _scopes_from_message(message: str) -> list[str]:
    match = _SCOPES_RE.search(message)
    if not match:
        return []
    return [s.strip() for s in match.group(1).split(",") if s.strip()]


def _field_errors(body: Mapping[str, Any]) -> list[FieldError]:
    raw = body.get("errors")
    if not isinstance(raw, list):
        return []
    out = []
    for item in raw:
        if isinstance(item, Mapping):
            out.append(FieldError(str(item.get("field", "?")), str(item.get("message", ""))))
    return out


_CLIENT_ADVICE = "Check the client id, client secret and account id, then connect again."
_SIGN_IN_AGAIN = "Sign in again: the grant is invalid, expired or was already used."
#: What to do when Zoom's OAuth server refuses a grant (400 or 401), by ``grant_type``.
_OAUTH_ADVICE = {"authorization_code": _SIGN_IN_AGAIN, "refresh_token": _SIGN_IN_AGAIN}
#: Zoom refused the app itself (RFC 6749's ``invalid_client``), whatever the grant.
_APP_ADVICE = (
    "Check the app's client id and client secret (App Credentials in Zoom's App Marketplace), "
    "then connect again."
)


def error_from_response(
    status: int,
    body: Any,
    *,
    action: str,
    retry_after: float | None = None,
    limit_type: str | None = None,
    category: str | None = None,
    request_id: str | None = None,
    not_found_hint: str | None = None,
    scopes: Sequence[str] = (),
    oauth_grant: str | None = None,
    setting: str = "ZOOM_API_BASE_URL",
) -> ZoomAPIError:
    """Build the error for one failed HTTP answer; the only place status and code pick a class.

    ``action`` says what was attempted ("get meeting 123"), ``body`` is the decoded JSON (or
    text) Zoom sent, ``not_found_hint`` is the operation's advice for a missing resource and
    ``scopes`` the scopes it declares. ``oauth_grant`` marks an answer of Zoom's OAuth server:
    the form's ``grant_type`` ("" for a revocation). ``setting`` names where the called
    server is configured.
    """
    data: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
    raw_code = data.get("code")
    code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
    zoom_message = str(data.get("message") or data.get("reason") or "").strip()
    if not zoom_message and isinstance(body, str):
        zoom_message = body.strip()[:200]
    fields = _field_errors(data)
    said = f"Zoom error {code}: {zoom_message}" if code is not None else zoom_message
    said = said or f"HTTP {status}"
    head = f"Could not {action} (HTTP {status}). {said}".rstrip()
    if fields:
        head += " Fields: " + "; ".join(str(f) for f in fields) + "."
    common: dict[str, Any] = {
        "status": status,
        "code": code,
        "zoom_message": zoom_message or None,
        "field_errors": fields,
        "request_id": request_id,
    }

    if oauth_grant is not None and status in (400, 401) and isinstance(body, Mapping):
        # Zoom's OAuth server names the refused grant in "reason" or "error".
        reason = str(data.get("reason") or data.get("error") or "")
        common["zoom_message"] = reason or common["zoom_message"]
        if oauth_grant in _OAUTH_ADVICE and "invalid_client" in (data.get("error"), reason):
            advice = _APP_ADVICE  # a wrong secret, not a bad grant: signing in again won't help
        else:
            advice = _OAUTH_ADVICE.get(oauth_grant, _CLIENT_ADVICE)
        return ZoomAuthenticationError(head, suggestion=advice, **common)
    if status == 429 or code == 429:
        cap = bool(_DAILY_CAP_RE.search(zoom_message))
        daily = (
            cap or (limit_type or "").lower() == "daily-limit" or "daily" in zoom_message.lower()
        )
        if cap:
            hint = (
                "Zoom allows 100 meeting create/update requests per user per day; "
                "the cap resets at 00:00 UTC. Do not retry today."
            )
        elif daily:
            hint = "The account's daily limit for this kind of call is used up until 00:00 UTC."
        elif retry_after is not None:
            hint = f"Wait {retry_after:.0f} seconds, then retry."
        else:
            hint = "Wait a few seconds, then retry with fewer requests per second."
        return ZoomRateLimitError(
            head,
            retry_after=retry_after,
            limit_type=limit_type or ("Daily-limit" if cap else None),
            category=category,
            daily=daily,
            daily_create_update_cap=cap,
            suggestion=hint,
            **common,
        )
    if code in _SCOPE_CODES or status == 403:
        missing = _scopes_from_message(zoom_message)
        if missing:
            hint = f"Add the missing scopes ({', '.join(missing)}) to the Zoom app, then reconnect."
        elif scopes:
            hint = (
                f"This call needs one of the scopes {', '.join(scopes)}: add it to the Zoom app, "
                "then reconnect; if the app has it, check the user's role permissions."
            )
        else:
            hint = "Check the Zoom app's scopes and the user's role permissions."
        return ZoomPermissionError(
            head, missing_scopes=missing, required_scopes=scopes, suggestion=hint, **common
        )
    if 300 <= status < 400:
        return ZoomAPIError(
            head,
            suggestion=f"Zoom redirected the call; check that {setting} is Zoom's address.",
            **common,
        )
    if status == 401 or code == 124:
        return ZoomAuthenticationError(
            head,
            suggestion="Reconnect: the access token is missing, expired or was revoked.",
            **common,
        )
    if status == 404 or code in _NOT_FOUND_CODES:
        return ZoomNotFoundError(head, suggestion=not_found_hint, **common)
    if status == 409:
        return ZoomConflictError(head, suggestion="Fetch the current state and retry.", **common)
    if status >= 500:
        return ZoomServerError(head, suggestion="Zoom failed on its side; retry later.", **common)
    if _PAGE_TOKEN_RE.search(zoom_message):
        hint = "Start the listing again without nextPageToken; page tokens expire after 15 minutes."
    elif fields:
        hint = "Correct the named fields and call again."
    else:
        hint = "Check the arguments against the tool's description, then call again."
    return ZoomBadRequestError(head, suggestion=hint, **common)


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection failed before any byte of the request could reach the server."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)
    return type(inner).__name__ in {"NewConnectionError", "NameResolutionError"}


def connection_error(
    exc: requests.RequestException,
    *,
    action: str,
    server: str = "Zoom",
    setting: str = "ZOOM_API_BASE_URL",
    resendable: bool = True,
) -> ZoomConnectionError:
    """The error for a request that got no answer from ``server`` (configured by ``setting``).

    A request that is not ``resendable`` (a create or update) and may have reached the server
    says so, or a retry by hand could create a second meeting.
    """
    sent = not _never_sent(exc)
    check = (
        "It may have gone through: check (e.g. list the meetings) before trying again. "
        if sent and not resendable
        else ""
    )
    if isinstance(exc, requests.Timeout):
        return ZoomTimeoutError(
            f"Could not {action}: {server} did not answer in time.",
            suggestion=f"{check}Retry later, or raise the client's timeout.",
            request_sent=sent,
        )
    return ZoomConnectionError(
        f"Could not {action}: the connection to {server} failed ({type(exc).__name__}).",
        suggestion=f"{check}Check the network and {setting}, then retry.",
        request_sent=sent,
    )
