"""The one request loop: every request this package sends goes through ``send``.

API calls, recording downloads and OAuth token requests differ only in what ``Outgoing``
says about them: where the bearer token comes from, whether redirects are followed (each hop
checked before the token goes there), whether the request may be sent again, and how its body
is read. The loop sends, maps a failed answer or a lost connection to its ZoomError
(``errors``), renews a refused token once and retries as ``_retry`` decides. A body that breaks
off while it is read counts as a lost connection, so a download resumes through the same loop.
A request with a ``pace`` (the client's rate budget, see ``budget``) waits for its turn before
each try, and a 429 answer pauses every request of its rate category.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol, TypeVar
from urllib.parse import quote, urljoin

import requests

from zoom_agent_tools._redact import redact_url
from zoom_agent_tools._retry import (
    IDEMPOTENT_METHODS,
    RetryPolicy,
    already_done,
    retry_delay,
    should_renew,
)
from zoom_agent_tools.errors import (
    ZoomDownloadError,
    ZoomError,
    ZoomRateLimitError,
    connection_error,
    error_from_response,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "LOGGER_NAME",
    "MAX_REDIRECTS",
    "Bearer",
    "Connection",
    "Outgoing",
    "Pace",
    "Timeout",
    "decode_body",
    "encode_segment",
    "parse_retry_after",
    "send",
]

#: (connect, read) seconds.
Timeout = tuple[float, float]
DEFAULT_TIMEOUT: Timeout = (10.0, 30.0)
#: Zoom's download URL "may be a redirect"; a longer chain than this is refused.
MAX_REDIRECTS = 10
#: The package's logger (with a NullHandler, see __init__).
LOGGER_NAME = "zoom_agent_tools"

T = TypeVar("T")


class Connection(Protocol):
    """What the loop sends with: a ZoomClient, or what an auth method assembles for itself."""

    @property
    def session(self) -> requests.Session: ...

    @property
    def timeout(self) -> Timeout: ...

    @property
    def retry(self) -> RetryPolicy: ...

    @property
    def logger(self) -> logging.Logger: ...

    def sleep(self, seconds: float, /) -> None: ...


class Pace(Protocol):
    """A request's place in the client's rate budget (see ``budget``)."""

    def wait(self, *, mind_pause: bool = True) -> None:
        """Block until the request may be sent; ``mind_pause=False`` skips a pause (the
        request that caused it has waited it out already)."""
        ...

    def pause(self, seconds: float) -> None:
        """Zoom answered 429: hold back every request of this kind for ``seconds``."""
        ...


@dataclass(frozen=True)
class Bearer:
    """Where a request's bearer token comes from.

    ``token(stale)`` gives a token; after Zoom refused one it is called again with that token
    as ``stale``, once, if the source is ``renewable``.
    """

    token: Callable[[str | None], str]
    renewable: bool = True


@dataclass(frozen=True)
class Outgoing:
    """One request as the loop sends it, and what its failures mean.

    ``resendable`` says whether it may be sent again although it may have reached the server
    (default: for idempotent methods). ``follow`` checks each URL of a redirect chain before
    anything is sent there, raising a ZoomError to refuse it; without it a redirect is an
    answer like any other. ``server`` and ``setting`` name the peer in connection errors;
    ``not_found_hint``, ``scopes`` and ``oauth_grant`` go to ``errors.error_from_response``.
    ``pace`` is the request's place in the rate budget; None sends at once. ``unsent`` is
    called when the request fails (or is refused by its ``pace``) without any try that may
    have reached the server.
    """

    method: str
    url: str
    action: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    data: Mapping[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    bearer: Bearer | None = None
    resendable: bool | None = None
    follow: Callable[[str, int], None] | None = None
    server: str = "Zoom"
    setting: str = "ZOOM_API_BASE_URL"
    not_found_hint: str | None = None
    scopes: tuple[str, ...] = ()
    oauth_grant: str | None = None
    pace: Pace | None = None
    unsent: Callable[[], None] | None = None

    @property
    def may_resend(self) -> bool:
        """Whether the request may be sent again after it may have reached the server."""
        if self.resendable is not None:
            return self.resendable
        return self.method.upper() in IDEMPOTENT_METHODS


def send(
    via: Connection,
    request: Outgoing,
    read: Callable[[requests.Response], T],
    *,
    headers: Callable[[], Mapping[str, str]] | None = None,
) -> T:
    """Send ``request`` until it succeeds or may not be tried again; ``read`` of the answer.

    ``read`` (``decode_body`` for JSON) runs while the answer is open, for a streamed body
    while it streams; a body that breaks off is retried like a lost connection. ``headers``
    gives each try's extra headers (a ``Range`` to resume). Raises the last failure's error.
    """
    reached = [False]  # whether a try may have reached the server
    try:
        return _send(via, request, read, headers, reached)
    except BaseException:
        if request.unsent is not None and not reached[0]:
            request.unsent()
        raise


def _send(
    via: Connection,
    request: Outgoing,
    read: Callable[[requests.Response], T],
    headers: Callable[[], Mapping[str, str]] | None,
    reached: list[bool],
) -> T:
    method = request.method.upper()
    resendable = request.may_resend
    attempt = 0
    stale: str | None = None
    renewed = False
    pace = request.pace
    paused = False
    while True:
        token = request.bearer.token(stale) if request.bearer is not None else None
        if pace is not None:
            # After the token: a renewal does not stand between the turn and the send.
            pace.wait(mind_pause=not paused)
        before, reached[0] = reached[0], True
        try:
            with _open(via, request, token, headers() if headers is not None else {}) as answer:
                failure = _failure(request, answer)
                if failure is None or already_done(method, failure, attempt):
                    return read(answer)
        except requests.RequestException as exc:
            via.logger.warning(
                "%s %s failed: %s", method, redact_url(request.url), type(exc).__name__
            )
            failure = connection_error(
                exc,
                action=request.action,
                server=request.server,
                setting=request.setting,
                resendable=resendable,
            )
            reached[0] = before or failure.request_sent
        renewable = request.bearer is not None and request.bearer.renewable
        if token is not None and should_renew(failure, renewed=renewed, renewable=renewable):
            renewed, stale = True, token
            continue
        if pace is not None and isinstance(failure, ZoomRateLimitError) and not failure.daily:
            # Other apps on the account share Zoom's limits: hold this category back for all.
            hold = failure.retry_after
            pace.pause(hold if hold is not None else via.retry.backoff(attempt))
            paused = True  # this request waits out the pause in its retry delay
        delay = retry_delay(via.retry, attempt, failure, resendable=resendable)
        if delay is None:
            raise failure
        via.logger.info(
            "%s %s: %s; retrying in %.1f s",
            method,
            redact_url(request.url),
            type(failure).__name__,
            delay,
        )
        via.sleep(delay)
        attempt += 1


def _open(
    via: Connection, request: Outgoing, token: str | None, extra: Mapping[str, str]
) -> requests.Response:
    """The answer to one try, redirects followed hop by hop when ``request.follow`` allows."""
    headers = {**request.headers, **extra}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    url = request.url
    hops = MAX_REDIRECTS if request.follow is not None else 0
    for hop in range(hops + 1):
        if request.follow is not None:
            request.follow(url, hop)
        started = time.perf_counter()
        answer = via.session.request(
            request.method,
            url,
            params=request.params or None,
            json=request.json,
            data=request.data,
            headers=headers,
            timeout=via.timeout,
            allow_redirects=False,
            stream=request.follow is not None,
        )
        if via.logger.isEnabledFor(logging.DEBUG):  # skip the URL scrub when not logging
            elapsed = (time.perf_counter() - started) * 1000
            via.logger.debug(
                "%s %s -> %s (%.0f ms)",
                request.method,
                redact_url(answer.url or url),
                answer.status_code,
                elapsed,
            )
        if request.follow is None or not answer.is_redirect:
            return answer
        location = answer.headers["Location"]
        answer.close()
        try:
            url = urljoin(url, location)
        except ValueError:
            url = location  # refused by ``follow`` on the next turn
    # Only recording downloads follow redirects.
    raise ZoomDownloadError(
        f"Refused to follow more than {MAX_REDIRECTS} redirects for one file.",
        suggestion="Retry later; if it persists, the file cannot be downloaded now.",
    )


def _failure(request: Outgoing, answer: requests.Response) -> ZoomError | None:
    """The error an answer stands for, or None when it succeeded."""
    status = answer.status_code
    if status < 300 or (status < 400 and request.follow is not None):
        return None
    headers = answer.headers
    return error_from_response(
        status,
        decode_body(answer),
        action=request.action,
        retry_after=parse_retry_after(headers.get("Retry-After")),
        limit_type=headers.get("X-RateLimit-Type"),
        category=headers.get("X-RateLimit-Category"),
        request_id=headers.get("x-zm-trackingid"),
        not_found_hint=request.not_found_hint,
        scopes=request.scopes,
        oauth_grant=request.oauth_grant,
        setting=request.setting,
    )


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value: delta-seconds, an HTTP date or an ISO date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    moment: datetime | None = None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (moment - current).total_seconds())


def encode_segment(value: str) -> str:
    """Encode one path value so it stays one segment whatever it holds.

    Zoom requires a meeting UUID that begins with ``/`` or contains ``//`` to be encoded twice.
    Zoom decodes a value that still holds escapes a second time, so a literal ``%`` sequence
    is encoded twice as well: encoded once, ``%2E%2E`` would reach Zoom as ``..``. Dots are
    encoded too, so ``..`` cannot climb out of the path.
    """
    once = quote(value, safe="")
    if value.startswith("/") or "//" in value or "%" in value:
        once = quote(once, safe="")
    if value in {".", ".."}:
        once = once.replace(".", "%2E")
    return once


def decode_body(response: requests.Response) -> Any:
    """The response's JSON, its text when it is not JSON, or None when empty."""
    if not response.content:
        return None
    try:
        return response.json()
    except (ValueError, RecursionError):  # nested too deeply to decode: no Zoom answer
        return response.text
