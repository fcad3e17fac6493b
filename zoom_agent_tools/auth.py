"""Connect and Disconnect: access tokens from a ready token, Server-to-Server OAuth or user OAuth.

Tokens live in memory; a token is fetched once however many threads need it at the same time,
renewed shortly before it expires, and can be revoked at Zoom ("Disconnect"). User OAuth uses
PKCE and saves each rotated refresh token (atomically) before the new access token is used.
Workers of a fleet share one token through ``SharedTokens`` (Redis, see ``fleet``): one
worker renews it under a lock across workers, the others wait and read the new one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlencode

import requests

from zoom_agent_tools._http import LOGGER_NAME, Outgoing, Timeout, decode_body, send
from zoom_agent_tools._origins import configured_origin
from zoom_agent_tools._private_files import read_private, write_private
from zoom_agent_tools._retry import NO_RETRIES, RetryPolicy
from zoom_agent_tools.errors import ZoomAuthenticationError, ZoomConfigurationError

if TYPE_CHECKING:
    from pydantic import SecretStr

__all__ = [
    "DEFAULT_OAUTH_BASE_URL",
    "AccessTokenAuth",
    "Auth",
    "FileTokenStore",
    "MemoryTokenStore",
    "ServerToServerAuth",
    "SharedToken",
    "SharedTokens",
    "StoredTokens",
    "TokenStatus",
    "TokenStore",
    "UserOAuth",
]

DEFAULT_OAUTH_BASE_URL = "https://zoom.us"
_OAUTH_SETTING = "oauth_base_url (ZOOM_OAUTH_BASE_URL)"
#: Renew a token this many seconds before Zoom says it expires.
REFRESH_MARGIN = 300.0


@runtime_checkable
class Auth(Protocol):
    """What ZoomClient needs from an authentication method."""

    def access_token(
        self, session: requests.Session, timeout: Timeout, *, stale: str | None = None
    ) -> str:
        """A valid access token; ``stale`` is a token Zoom refused, to be replaced."""
        ...

    def revoke(self, session: requests.Session, timeout: Timeout) -> None:
        """Revoke access at Zoom now, and forget every token held."""
        ...


def _secret(value: str | SecretStr) -> SecretStr:
    """``value`` as a SecretStr, which no repr or log shows."""
    # Imported here: pydantic's types module costs more to import than the rest of the client.
    from pydantic import SecretStr

    return value if isinstance(value, SecretStr) else SecretStr(value)


def _oauth_base(url: str) -> str:
    """``url`` without a trailing slash, once checked as a place to send the client secret.

    Raises ZoomConfigurationError otherwise (see ``_origins.configured_origin``).
    """
    configured_origin(url, _OAUTH_SETTING, example=DEFAULT_OAUTH_BASE_URL)
    return url.rstrip("/")


def _basic(client_id: str, client_secret: SecretStr) -> str:
    raw = f"{client_id}:{client_secret.get_secret_value()}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True)
class _OAuthConnection:
    """What the request loop sends an OAuth POST with."""

    session: requests.Session
    timeout: Timeout
    retry: RetryPolicy
    sleep: Callable[[float], None]
    logger: logging.Logger = field(default=logging.getLogger(LOGGER_NAME))


def _oauth_post(
    session: requests.Session,
    url: str,
    *,
    client_id: str,
    client_secret: SecretStr,
    form: Mapping[str, str],
    timeout: Timeout,
    action: str,
    retry: RetryPolicy = NO_RETRIES,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """POST a form to a Zoom OAuth endpoint with Basic client auth; the decoded JSON answer.

    Failures that ``retry`` allows are tried again: minting and revoking tokens are safe to
    repeat. (A lost answer to a refresh may already have rotated the refresh token; a retry
    then fails as the first call would have, so nothing is lost by it.)
    """
    url = _oauth_base(url)  # whoever built the URL, the secret goes only where it may
    request = Outgoing(
        "POST",
        url,
        action,
        data=dict(form),
        headers={"Authorization": _basic(client_id, client_secret), "Accept": "application/json"},
        resendable=True,
        server="Zoom's OAuth server",
        setting="ZOOM_OAUTH_BASE_URL",
        oauth_grant=form.get("grant_type", ""),
    )
    body = send(_OAuthConnection(session, timeout, retry, sleep), request, decode_body)
    if not isinstance(body, Mapping):
        raise ZoomAuthenticationError(
            f"Could not {action}: Zoom's OAuth server sent no JSON.", status=200
        )
    return dict(body)


@dataclass(frozen=True)
class TokenStatus:
    """What Zoom said of the access token held: the scopes it grants, and seconds to expiry."""

    scopes: tuple[str, ...]
    expires_in: float


@dataclass
class _Token:
    value: SecretStr
    issued_at: float
    lifetime: float
    #: The token answer's ``scope``: the scopes granted, separated by spaces.
    scopes: tuple[str, ...] = ()

    @classmethod
    def from_answer(cls, body: Mapping[str, Any], now: float) -> _Token | None:
        value = str(body.get("access_token") or "")
        if not value:
            return None
        try:
            lifetime = float(body.get("expires_in") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600.0
        scope = body.get("scope")
        scopes = tuple(scope.replace(",", " ").split()) if isinstance(scope, str) else ()
        return cls(_secret(value), now, max(lifetime, 1.0), scopes)

    def fresh(self, now: float) -> bool:
        # Renew 5 minutes early, or halfway through a token that lives less than 10 minutes.
        margin = min(REFRESH_MARGIN, self.lifetime / 2)
        return now < self.issued_at + self.lifetime - margin


@dataclass(frozen=True)
class SharedToken:
    """An access token as workers share it: ``expires_at`` in epoch seconds (clocks of the
    workers agree on that, not on their monotonic clocks)."""

    value: SecretStr
    expires_at: float
    lifetime: float

    def __repr__(self) -> str:
        return f"SharedToken(value='**redacted**', expires_at={self.expires_at!r})"


class SharedTokens(Protocol):
    """Where the workers of a fleet keep one access token (``fleet.Fleet`` on Redis)."""

    def get(self) -> SharedToken | None:
        """The shared token, or None."""
        ...

    def put(self, token: SharedToken) -> None:
        """Share ``token``, replacing what was there."""
        ...

    def clear(self) -> None:
        """Forget the shared token."""
        ...

    def renewing(self, ttl: float) -> AbstractContextManager[None]:
        """Hold the fleet's renewal lock (it expires after ``ttl`` seconds if never released);
        entered once another worker's renewal is done."""
        ...


def _renewal_ttl(timeout: Timeout, retry: RetryPolicy) -> float:
    """Seconds a token request may take with every retry: the renewal lock outlives it."""
    tries = retry.max_retries + 1
    waits = sum(retry.backoff(attempt) for attempt in range(retry.max_retries))
    return (timeout[0] + timeout[1]) * tries + waits + 5.0


class AccessTokenAuth:
    """A ready access token (``ZOOM_ACCESS_TOKEN``); it cannot renew itself.

    Give ``client_id`` and ``client_secret`` to let ``revoke()`` revoke the token at Zoom.
    """

    #: A refused token cannot be replaced by a new one.
    renewable = False

    def __init__(
        self,
        token: str | SecretStr,
        *,
        client_id: str | None = None,
        client_secret: str | SecretStr | None = None,
        oauth_base_url: str = DEFAULT_OAUTH_BASE_URL,
    ) -> None:
        self._token: SecretStr | None = _secret(token)
        if not self._token.get_secret_value().strip():
            raise ZoomConfigurationError("The access token is empty.")
        self._client_id = client_id
        self._client_secret = _secret(client_secret) if client_secret is not None else None
        self.oauth_base_url = _oauth_base(oauth_base_url)

    def __repr__(self) -> str:
        return f"AccessTokenAuth(token={'**redacted**' if self._token else None})"

    def access_token(
        self, session: requests.Session, timeout: Timeout, *, stale: str | None = None
    ) -> str:
        """The token given; raises if it was revoked or Zoom refused it."""
        if self._token is None:
            raise ZoomConfigurationError(
                "Disconnected: this client's access token was revoked.",
                suggestion="Create a client with a new token to connect again.",
            )
        value = self._token.get_secret_value()
        if stale is not None and stale == value:
            raise ZoomAuthenticationError(
                "Zoom refused the access token (expired or revoked) and a ready token cannot be "
                "renewed.",
                status=401,
                code=124,
                suggestion="Set a new ZOOM_ACCESS_TOKEN, or use Server-to-Server credentials.",
            )
        return value

    def revoke(self, session: requests.Session, timeout: Timeout) -> None:
        """Revoke the token at Zoom (needs the app's client id and secret), then forget it."""
        if self._token is None:
            return
        if not (self._client_id and self._client_secret):
            raise ZoomConfigurationError(
                "Cannot revoke a bare access token: Zoom's revoke endpoint needs the app's "
                "client id and secret.",
                suggestion="Pass client_id and client_secret to AccessTokenAuth, or revoke the "
                "app in Zoom's App Marketplace.",
            )
        _oauth_post(
            session,
            f"{self.oauth_base_url}/oauth/revoke",
            client_id=self._client_id,
            client_secret=self._client_secret,
            form={"token": self._token.get_secret_value()},
            timeout=timeout,
            action="revoke the access token",
        )
        self._token = None


class _RenewingAuth:
    """Shared machinery: one cached token, renewed under a lock, revocable."""

    #: A refused token is replaced by a freshly fetched one.
    renewable = True
    #: What to do after a disconnect to use Zoom again.
    reconnect_advice = "Call client.connect() to connect again."

    def __init__(
        self,
        client_id: str,
        client_secret: str | SecretStr,
        oauth_base_url: str,
        clock: Callable[[], float],
        retry: RetryPolicy | None,
        sleep: Callable[[float], None],
    ) -> None:
        if not client_id or not _secret(client_secret).get_secret_value():
            raise ZoomConfigurationError("The Zoom app's client id and client secret are required.")
        self.client_id = client_id
        self._client_secret = _secret(client_secret)
        self.oauth_base_url = _oauth_base(oauth_base_url)
        self._clock = clock
        self._retry = retry if retry is not None else RetryPolicy()
        self._sleep = sleep
        self._lock = threading.Lock()
        self._token: _Token | None = None
        self._revoked = False
        self._shared: SharedTokens | None = None
        #: How many tokens were fetched from Zoom (for tests and diagnostics).
        self.token_requests = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_id={self.client_id!r}, client_secret='**redacted**')"

    def _fetch(self, session: requests.Session, timeout: Timeout) -> dict[str, Any]:
        raise NotImplementedError

    def _post(
        self,
        session: requests.Session,
        endpoint: str,
        form: Mapping[str, str],
        timeout: Timeout,
        action: str,
    ) -> dict[str, Any]:
        """POST ``form`` to ``{oauth_base_url}/oauth/{endpoint}`` as this app, with retries."""
        return _oauth_post(
            session,
            f"{self.oauth_base_url}/oauth/{endpoint}",
            client_id=self.client_id,
            client_secret=self._client_secret,
            form=form,
            timeout=timeout,
            action=action,
            retry=self._retry,
            sleep=self._sleep,
        )

    def access_token(
        self, session: requests.Session, timeout: Timeout, *, stale: str | None = None
    ) -> str:
        """The cached token, or a new one when it is near expiry or equals ``stale``."""
        with self._lock:
            if self._revoked:
                raise ZoomConfigurationError(
                    "Disconnected: access to Zoom was revoked.",
                    suggestion=self.reconnect_advice,
                )
            if self._usable(self._token, stale):
                return self._current()
            shared = self._shared
            if shared is None:
                return self._renew(session, timeout)
            if self._adopt(shared.get(), stale):
                return self._current()
            with shared.renewing(_renewal_ttl(timeout, self._retry)):
                # Another worker may have renewed while this one waited for the lock.
                if self._adopt(shared.get(), stale):
                    return self._current()
                value = self._renew(session, timeout)
                self._share()
                return value

    def share(self, shared: SharedTokens) -> None:
        """Keep the access token in ``shared`` too, renewed by one worker at a time."""
        with self._lock:
            self._shared = shared

    def _usable(self, token: _Token | None, stale: str | None) -> bool:
        if token is None or not token.fresh(self._clock()):
            return False
        return stale is None or token.value.get_secret_value() != stale

    def _current(self) -> str:
        assert self._token is not None
        return self._token.value.get_secret_value()

    def _adopt(self, shared: SharedToken | None, stale: str | None) -> bool:
        """Take the fleet's token when it is fresh and not ``stale``."""
        if shared is None:
            return False
        age = time.time() - (shared.expires_at - shared.lifetime)
        token = _Token(shared.value, self._clock() - age, shared.lifetime)
        if not self._usable(token, stale):
            return False
        self._token = token
        return True

    def _share(self) -> None:
        """Share the token just fetched with the other workers."""
        token = self._token
        if self._shared is None or token is None:
            return
        expires_at = time.time() + token.lifetime - (self._clock() - token.issued_at)
        self._shared.put(SharedToken(token.value, expires_at, token.lifetime))

    def _renew(self, session: requests.Session, timeout: Timeout) -> str:
        """Fetch a new token from Zoom and keep it."""
        now = self._clock()
        body = self._fetch(session, timeout)
        self.token_requests += 1
        fetched = _Token.from_answer(body, now)
        if fetched is None:
            raise ZoomAuthenticationError("Zoom's token answer had no access_token.", status=200)
        self._token = fetched
        return fetched.value.get_secret_value()

    def token_status(self) -> TokenStatus | None:
        """The scopes and remaining lifetime of the token held; None before one is fetched."""
        with self._lock:
            token = self._token
            if token is None:
                return None
            return TokenStatus(token.scopes, token.issued_at + token.lifetime - self._clock())

    def revoke(self, session: requests.Session, timeout: Timeout) -> None:
        """Revoke access at Zoom, then refuse to fetch new tokens.

        If Zoom does not confirm, the error is raised and nothing is forgotten, so the
        disconnect can be retried.
        """
        with self._lock:
            token = (
                self._token if self._token is not None else self._token_to_revoke(session, timeout)
            )
            if token is not None:
                self._post(
                    session,
                    "revoke",
                    {"token": token.value.get_secret_value()},
                    timeout,
                    "revoke the access token",
                )
            self._token = None
            self._revoked = True
            if self._shared is not None:
                self._shared.clear()
            self._after_revoke()

    def _token_to_revoke(self, session: requests.Session, timeout: Timeout) -> _Token | None:
        """A token that stands for this connection at Zoom when none is cached."""
        return None

    def _after_revoke(self) -> None:
        """Forget whatever else lets this auth reconnect."""

    def reconnect(self) -> None:
        """Allow tokens to be fetched again after a revocation."""
        with self._lock:
            self._revoked = False


class ServerToServerAuth(_RenewingAuth):
    """Server-to-Server OAuth: account id, client id and secret; tokens last an hour."""

    def __init__(
        self,
        account_id: str,
        client_id: str,
        client_secret: str | SecretStr,
        *,
        oauth_base_url: str = DEFAULT_OAUTH_BASE_URL,
        clock: Callable[[], float] = time.monotonic,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not account_id:
            raise ZoomConfigurationError("The Zoom account id is required.")
        self.account_id = account_id
        super().__init__(client_id, client_secret, oauth_base_url, clock, retry, sleep)

    def __repr__(self) -> str:
        return (
            f"ServerToServerAuth(account_id={self.account_id!r}, client_id={self.client_id!r}, "
            "client_secret='**redacted**')"
        )

    def _fetch(self, session: requests.Session, timeout: Timeout) -> dict[str, Any]:
        return self._post(
            session,
            "token",
            {"grant_type": "account_credentials", "account_id": self.account_id},
            timeout,
            "get a Server-to-Server access token",
        )


@dataclass(frozen=True)
class StoredTokens:
    """What a user-OAuth connection must keep between runs."""

    refresh_token: SecretStr

    def __repr__(self) -> str:
        return "StoredTokens(refresh_token='**redacted**')"


class TokenStore(Protocol):
    """Where a user-OAuth refresh token is kept between runs."""

    def load(self) -> StoredTokens | None:
        """The saved tokens, or None."""
        ...

    def save(self, tokens: StoredTokens) -> None:
        """Save ``tokens``, replacing what was there, so that a crash keeps old or new whole."""
        ...

    def clear(self) -> None:
        """Forget the saved tokens."""
        ...


class MemoryTokenStore:
    """Keeps the refresh token in memory only."""

    def __init__(self, tokens: StoredTokens | None = None) -> None:
        self._tokens = tokens

    def load(self) -> StoredTokens | None:
        """The tokens held."""
        return self._tokens

    def save(self, tokens: StoredTokens) -> None:
        """Replace the tokens held."""
        self._tokens = tokens

    def clear(self) -> None:
        """Forget the tokens."""
        self._tokens = None


class FileTokenStore:
    """Keeps the refresh token in a JSON file readable by its owner only, replaced atomically."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()

    def __repr__(self) -> str:
        return f"FileTokenStore(path={str(self.path)!r})"

    def load(self) -> StoredTokens | None:
        """The saved tokens, or None when the file does not exist.

        A file that other users may read or change is refused (ZoomConfigurationError).
        """
        text = read_private(self.path, what="the token file", fix="sign in again")
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            raise ZoomConfigurationError(
                f"Cannot read the token file {self.path}: it is not JSON.",
                suggestion="Remove it, then sign in again.",
            ) from None
        token = data.get("refresh_token") if isinstance(data, dict) else None
        return StoredTokens(_secret(token)) if isinstance(token, str) and token else None

    def save(self, tokens: StoredTokens) -> None:
        """Write a temporary file beside the target, fsync it, then rename it into place."""
        text = json.dumps({"refresh_token": tokens.refresh_token.get_secret_value()})
        write_private(self.path, text, what="the token file")

    def clear(self) -> None:
        """Delete the token file."""
        self.path.unlink(missing_ok=True)


class UserOAuth(_RenewingAuth):
    """User OAuth (authorization code with PKCE); refresh tokens rotate on every renewal.

    Connect once with :meth:`authorization_url` and :meth:`exchange_code`; later runs renew
    from the refresh token in ``store``.
    """

    # A disconnect ended the grant at Zoom and forgot the refresh token: only the user can
    # grant access again.
    reconnect_advice = (
        "Sign the user in again: send them to auth.authorization_url(), then pass the code "
        "from the redirect to auth.exchange_code()."
    )

    def __init__(
        self,
        client_id: str,
        client_secret: str | SecretStr,
        *,
        redirect_uri: str,
        store: TokenStore | None = None,
        oauth_base_url: str = DEFAULT_OAUTH_BASE_URL,
        clock: Callable[[], float] = time.monotonic,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(client_id, client_secret, oauth_base_url, clock, retry, sleep)
        self.redirect_uri = redirect_uri
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        self._verifier: SecretStr | None = None
        self._state: str | None = None

    def authorization_url(self, *, state: str | None = None) -> str:
        """The URL where the user approves access; PKCE (S256) verifier and state kept here."""
        verifier = secrets.token_urlsafe(64)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest())
            .rstrip(b"=")
            .decode("ascii")
        )
        self._verifier = _secret(verifier)
        self._state = state or secrets.token_urlsafe(16)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "state": self._state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self.oauth_base_url}/oauth/authorize?{query}"

    def exchange_code(
        self,
        code: str,
        session: requests.Session,
        timeout: Timeout,
        *,
        state: str,
    ) -> None:
        """Trade the code from the redirect for tokens; ``state`` must be the one sent."""
        if self._verifier is None or self._state is None:
            raise ZoomConfigurationError("Call authorization_url() before exchange_code().")
        if not hmac.compare_digest(state.encode(), self._state.encode()):
            raise ZoomAuthenticationError(
                "The OAuth state does not match the one sent: the redirect may be forged.",
                status=400,
                suggestion="Start the sign-in again.",
            )
        self._state = None
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": self._verifier.get_secret_value(),
        }
        with self._lock:
            body = self._post(session, "token", form, timeout, "exchange the authorization code")
            self._verifier = None
            self._revoked = False
            self._keep(body)
            self._share()

    def _keep(self, body: Mapping[str, Any]) -> None:
        refresh = str(body.get("refresh_token") or "")
        if refresh:
            # Save the rotated refresh token before the access token is used: the old one is
            # already dead at Zoom, so losing the new one would force a new sign-in.
            self.store.save(StoredTokens(_secret(refresh)))
        self._token = _Token.from_answer(body, self._clock())
        self.token_requests += 1

    def _fetch(self, session: requests.Session, timeout: Timeout) -> dict[str, Any]:
        stored = self.store.load()
        if stored is None:
            raise ZoomConfigurationError(
                "Not connected: no refresh token is stored.",
                suggestion="Sign in with authorization_url() and exchange_code() first.",
            )
        try:
            body = self._post(
                session,
                "token",
                {
                    "grant_type": "refresh_token",
                    "refresh_token": stored.refresh_token.get_secret_value(),
                },
                timeout,
                "renew the access token",
            )
        except ZoomAuthenticationError as exc:
            if exc.status != 400:  # 401: the app's credentials, which signing in won't fix
                raise
            # The grant is gone (revoked, expired or used): only the user can grant it again.
            raise ZoomAuthenticationError(
                exc.message,
                status=exc.status,
                code=exc.code,
                zoom_message=exc.zoom_message,
                request_id=exc.request_id,
                suggestion=self.reconnect_advice,
            ) from None
        refresh = str(body.get("refresh_token") or "")
        if refresh:
            self.store.save(StoredTokens(_secret(refresh)))
        return body

    def _token_to_revoke(self, session: requests.Session, timeout: Timeout) -> _Token | None:
        # A new process holds no access token yet: renew one from the stored refresh token,
        # so that revoking it ends the authorization at Zoom, not only on this disk.
        if self.store.load() is None:
            return None
        return _Token.from_answer(self._fetch(session, timeout), self._clock())

    def _after_revoke(self) -> None:
        self.store.clear()
