"""Fleets: workers on one Zoom account that share their budget and their token through Redis.

``Fleet`` (``ZOOM_REDIS_URL``, or a ``redis.Redis`` passed in) shares per Zoom account, as
Zoom counts them for every app of the account: the rate budget's windows (limits' Redis
storage), the pause after a 429, the daily write budget and the hosts of meetings. Per
account and app it shares the access token: one worker mints or refreshes it under a Redis
lock, the others wait and read it; a rotated user-OAuth refresh token is saved
(``RedisTokenStore``) before the lock is released. Tokens are stored encrypted with
``token_key`` (``ZOOM_TOKEN_KEY``, a Fernet key); without a key the fleet refuses to store
them. Keys are derived from a hash of the account id (and client id), never from a token.

When Redis cannot be reached each worker goes on with its own state, warns once, and uses
Redis again when it answers (tried again at most every ``recheck_after`` seconds).

Needs the ``redis`` extra (``pip install 'zoom-agent-tools[redis]'``): redis-py, limits'
Redis storage and cryptography, all imported here only when a fleet is made.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from zoom_agent_tools._http import LOGGER_NAME
from zoom_agent_tools._redact import redact_url
from zoom_agent_tools.auth import SharedToken, StoredTokens, _secret
from zoom_agent_tools.budget import HOSTS_KEPT_FOR, LocalState, _limiter
from zoom_agent_tools.errors import ZoomConfigurationError

if TYPE_CHECKING:
    import redis
    from cryptography.fernet import Fernet
    from limits import RateLimitItem

__all__ = ["Fleet", "RedisTokenStore"]

T = TypeVar("T")

#: Seconds to wait for Redis to accept a connection and to answer a command.
REDIS_TIMEOUT = 1.0
#: While Redis is unreachable, try it again at most this often.
RECHECK_AFTER = 1.0
_KEY_ADVICE = (
    'Generate one with `python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"`, give every worker the same one as '
    "ZOOM_TOKEN_KEY (or token_key=), and keep it out of Redis."
)
_EXTRA_ADVICE = "Install the extra: pip install 'zoom-agent-tools[redis]'."
_URL_ADVICE = (
    "Use redis://host:6379/0 (rediss:// for TLS, unix:///path.sock?db=0), or unset "
    "ZOOM_REDIS_URL to keep the budget and the token in this process."
)

# Adds one create/update to a host's count unless the cap is reached (then counts nothing).
_RESERVE_WRITE = """
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIREAT', KEYS[1], ARGV[2]) end
if used > tonumber(ARGV[1]) then
    redis.call('DECR', KEYS[1])
    return 0
end
return 1
"""
# Pauses a category until ARGV[1] (epoch seconds; expiring at ARGV[2] ms), unless a longer
# pause is already set: the last writer must not cut another worker's pause short.
_PAUSE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
    redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
end
"""
# Gives back one create/update counted (never below zero).
_RELEASE_WRITE = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used > 0 then redis.call('DECR', KEYS[1]) end
return used
"""

# Maps a host's names (KEYS[1..ARGV[1]]) and meetings (the other KEYS) to one key: the one a
# name has, else ARGV[3]; a name keeps its first key, a meeting takes the latest. TTL ARGV[2].
_LEARN_HOST = """
local names = tonumber(ARGV[1])
local key = false
for i = 1, names do
    key = redis.call('GET', KEYS[i])
    if key then break end
end
if not key then key = ARGV[3] end
for i = 1, #KEYS do
    if i <= names then
        redis.call('SET', KEYS[i], key, 'NX')
        redis.call('EXPIRE', KEYS[i], ARGV[2])
    else
        redis.call('SET', KEYS[i], key, 'EX', ARGV[2])
    end
end
return key
"""


def _import_redis() -> Any:
    try:
        import redis
    except ImportError:
        raise ZoomConfigurationError(
            "Sharing through Redis needs the redis client, which is not installed.",
            suggestion=_EXTRA_ADVICE,
        ) from None
    return redis


def _fernet(key: str | bytes) -> Fernet:
    try:
        from cryptography.fernet import Fernet
    except ImportError:
        raise ZoomConfigurationError(
            "Encrypting tokens for Redis needs the cryptography package, which is not installed.",
            suggestion=_EXTRA_ADVICE,
        ) from None
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise ZoomConfigurationError(
            "ZOOM_TOKEN_KEY (token_key) is not a valid Fernet key: it must be 32 random bytes "
            "in URL-safe base64 (44 characters).",
            suggestion=_KEY_ADVICE,
        ) from None


def _unavailable(exc: Exception) -> bool:
    """Whether an error reply redis-py gives no class of its own says the server cannot
    serve for now: it cannot persist (MISCONF). The others have classes (``_unreachable``)."""
    return str(exc).startswith("MISCONF")


#: Marks a host's key as the hash of its name (see ``RedisState.learn_host``).
_HASHED = "sha256:"


def _hashed_name(host: str) -> str:
    """The hash a host's writes are counted under, from its name or its stored hash."""
    return host.removeprefix(_HASHED) if host.startswith(_HASHED) else _digest(host)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


class Fleet:
    """Workers that share one Zoom account's budget and token through Redis.

    ``redis`` is a URL (``redis://host:6379/0``; connected with 1-second timeouts and no
    retries, so an outage is noticed at once) or a ``redis.Redis`` client. ``token_key`` is
    a Fernet key that encrypts tokens in Redis; every worker needs the same one. Pass the
    fleet to ``ZoomClient(auth, fleet=...)``. The constructor does no network I/O;
    ``check()`` does.

    Workers share the rate budget per Zoom account (Zoom's limits are the account's, shared
    by all its apps) and the token per account and app. Server-to-Server credentials name
    their account; a ready access token and user OAuth do not: pass ``account=`` (the Zoom
    account id; ``ZOOM_ACCOUNT_ID`` for ``from_env``), else every such worker of the
    ``namespace`` shares one budget, whatever its account.
    """

    def __init__(
        self,
        redis: str | redis.Redis,
        *,
        token_key: str | bytes | None = None,
        namespace: str = "zoom-agent-tools",
        account: str | None = None,
        logger: logging.Logger | None = None,
        recheck_after: float = RECHECK_AFTER,
    ) -> None:
        module = _import_redis()
        if account is not None and (not isinstance(account, str) or not account.strip()):
            raise ZoomConfigurationError(
                f"The fleet's account must be a Zoom account id, not {account!r}.",
                suggestion="Pass account= the account id (ZOOM_ACCOUNT_ID), or leave it out.",
            )
        self.account = account.strip() if account is not None else None
        self._fernet = _fernet(token_key) if token_key is not None else None
        if isinstance(redis, str):
            self.url = redact_url(redis.strip())
            self.redis = self._connect(module, redis.strip())
        else:
            self.url = "the Redis client given"
            self.redis = redis
            _build_connection(module, redis, "The Redis client given")
        errors = module.exceptions
        self._errors: tuple[type[Exception], ...] = (errors.RedisError,)
        # Only these mean "unreachable" (a refused password is a ConnectionError in redis-py,
        # told apart below): no connection, or a server that cannot take writes for now (out
        # of memory, a replica during a failover, loading, failing to persist).
        self._unreachable: tuple[type[Exception], ...] = (
            errors.ConnectionError,
            errors.TimeoutError,
            errors.ReadOnlyError,
            errors.OutOfMemoryError,
            errors.TryAgainError,
            errors.MasterDownError,
        )
        self._response_error: type[Exception] = errors.ResponseError
        self._refused: tuple[type[Exception], ...] = (
            errors.AuthenticationError,
            errors.AuthorizationError,
        )
        self._lock_lost: type[Exception] = errors.LockNotOwnedError
        self.namespace = namespace
        self.logger = logger if logger is not None else logging.getLogger(LOGGER_NAME)
        self.recheck_after = recheck_after
        self._lock = threading.Lock()
        self._retry_at: float | None = None  # set while Redis is unreachable
        self._locals: dict[str, LocalState] = {}
        self._scripts: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Fleet(redis={self.url!r}, token_key={'set' if self._fernet else None})"

    def _connect(self, module: Any, url: str) -> Any:
        """A client for ``url``, its settings checked and a connection built, not opened."""
        shown = redact_url(url)
        if not url.lower().startswith(("redis://", "rediss://", "unix://")):
            raise ZoomConfigurationError(
                f"ZOOM_REDIS_URL is not a Redis URL: {shown!r}.", suggestion=_URL_ADVICE
            )
        parts = urlsplit(url)
        # redis-py reads a path that is not a number as database 0, without a word.
        if parts.scheme.lower() != "unix" and not re.fullmatch(r"/?\d*", parts.path):
            raise ZoomConfigurationError(
                f"ZOOM_REDIS_URL names the database {parts.path[1:]!r}, which is not a "
                f"number ({shown!r}).",
                suggestion=_URL_ADVICE,
            )
        try:
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            client = module.Redis.from_url(
                url,
                socket_connect_timeout=REDIS_TIMEOUT,
                socket_timeout=REDIS_TIMEOUT,
                retry=Retry(NoBackoff(), 0),
            )
        except (ValueError, TypeError, module.exceptions.RedisError) as exc:
            raise ZoomConfigurationError(
                f"ZOOM_REDIS_URL is not a usable Redis URL: {shown!r} ({_reason(exc)}).",
                suggestion=_URL_ADVICE,
            ) from None
        _build_connection(module, client, f"ZOOM_REDIS_URL {shown!r}")
        return client

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **kwargs: Any) -> Fleet | None:
        """The fleet ``ZOOM_REDIS_URL`` and ``ZOOM_TOKEN_KEY`` describe, for the account
        ``ZOOM_ACCOUNT_ID`` names (if set); None without a URL."""
        values = os.environ if env is None else env
        url = values.get("ZOOM_REDIS_URL", "").strip()
        if not url:
            return None
        key = values.get("ZOOM_TOKEN_KEY", "").strip() or None
        kwargs.setdefault("account", values.get("ZOOM_ACCOUNT_ID", "").strip() or None)
        return cls(url, token_key=key, **kwargs)

    def check(self) -> None:
        """Ask Redis to answer now; raises ZoomConfigurationError saying why it cannot."""
        try:
            self.redis.ping()
        except self._errors as exc:
            raise ZoomConfigurationError(
                f"Redis at {self.url} cannot be used: {type(exc).__name__}: {_reason(exc)}.",
                suggestion="Start Redis or correct ZOOM_REDIS_URL; unset it to keep the "
                "budget and the token in this process.",
            ) from None

    # -- reaching Redis, or going on without it ----------------------------------------------

    def _use(self, action: Callable[[], T], fallback: Callable[[], T]) -> T:
        """``action()`` on Redis; ``fallback()`` while Redis is unreachable."""
        retry_at = self._retry_at
        if retry_at is not None and time.monotonic() < retry_at:
            return fallback()
        try:
            result = action()
        except self._refused as exc:
            raise self._refusal(exc) from None
        except (*self._unreachable, self._response_error) as exc:
            if not isinstance(exc, self._unreachable) and not _unavailable(exc):
                raise self._refusal(exc) from None
            with self._lock:
                first = self._retry_at is None
                self._retry_at = time.monotonic() + self.recheck_after
            if first:
                self.logger.warning(
                    "Redis at %s is unreachable or cannot serve (%s); this worker goes on "
                    "with its own rate budget and token until Redis answers again.",
                    self.url,
                    type(exc).__name__,
                )
            return fallback()
        except self._errors as exc:
            raise self._refusal(exc) from None
        if retry_at is not None:
            with self._lock:
                if self._retry_at is not None:
                    self._retry_at = None
                    self.logger.warning("Redis at %s answers again; sharing resumed.", self.url)
        return result

    def _refusal(self, exc: Exception) -> ZoomConfigurationError:
        """Redis answered, but refused: a wrong database, password or server, not an outage."""
        return ZoomConfigurationError(
            f"Redis at {self.url} refused the fleet's command: {type(exc).__name__}: "
            f"{_reason(exc)}.",
            suggestion="Correct ZOOM_REDIS_URL (a database number the server has, the user "
            "and password, a primary rather than a read-only replica); unset it to keep the "
            "budget and the token in this process.",
        )

    @property
    def reachable(self) -> bool:
        """False while the fleet goes on without Redis."""
        return self._retry_at is None

    # -- what is shared ----------------------------------------------------------------------

    def account_of(self, auth: object) -> str:
        """The Zoom account ``auth`` acts for: the fleet's ``account``, else the one the
        credentials name (Server-to-Server); empty when neither says."""
        named = str(getattr(auth, "account_id", "") or "")
        if self.account is not None and named and named != self.account:
            raise ZoomConfigurationError(
                "The fleet is for another Zoom account than the client's Server-to-Server "
                "credentials (account= and the credentials' account id differ).",
                suggestion="Give the fleet the credentials' account id (ZOOM_ACCOUNT_ID), or "
                "leave account= out: Server-to-Server credentials name their account.",
            )
        return self.account or named

    def account_scope(self, auth: object) -> str:
        """The key part of ``auth``'s account, for what Zoom counts per account (the rate
        budget): a hash, never a credential."""
        return _digest(self.account_of(auth))

    def scope(self, auth: object) -> str:
        """The key part of ``auth``'s token: a hash, never a credential. A user-OAuth
        worker's is its refresh token store's (one per user, see ``token_store``); others'
        that of their account and app."""
        store = getattr(auth, "store", None)
        if isinstance(store, RedisTokenStore):
            return store.scope
        return _digest(self.account_of(auth), str(getattr(auth, "client_id", "") or ""))

    def _key(self, scope: str, *parts: str) -> str:
        return ":".join((self.namespace, scope, *parts))

    def join(self, auth: object) -> RedisState:
        """Share ``auth``'s token with the fleet (when it renews tokens); the rate budget's
        shared state for its account. No network I/O."""
        account = self.account_scope(auth)
        share = getattr(auth, "share", None)
        if callable(share):
            store = getattr(auth, "store", None)
            if store is not None and not isinstance(store, RedisTokenStore):
                # A store of its own (memory, a file, a stored profile) is one worker's: a
                # token rotated by one worker would be lost to the others, and the access
                # token shared under the app's name could be another user's.
                raise ZoomConfigurationError(
                    "A fleet's user-OAuth workers keep the user's refresh token in the fleet, "
                    f"not in {type(store).__name__}.",
                    suggestion="Pass store=fleet.token_store(client_id, user=<the user's "
                    "e-mail or id>) to UserOAuth; each user gets a store of their own.",
                )
            share(self.tokens(self.scope(auth)))
        return RedisState(self, account)

    def local(self, scope: str) -> LocalState:
        """This process's state for ``scope``, counted while Redis is unreachable."""
        with self._lock:
            return self._locals.setdefault(scope, LocalState())

    def _cipher(self, what: str) -> Fernet:
        if self._fernet is None:
            raise ZoomConfigurationError(
                f"Refusing to store {what} in Redis unencrypted: no token key is set.",
                suggestion=_KEY_ADVICE,
            )
        return self._fernet

    def tokens(self, scope: str) -> RedisTokens:
        """The shared access token of ``scope`` (raises without a token key)."""
        return RedisTokens(self, scope, self._cipher("access tokens"))

    def token_store(
        self, client_id: str, account_id: str = "", *, user: str = ""
    ) -> RedisTokenStore:
        """A TokenStore for a user-OAuth refresh token, shared by the fleet (encrypted).

        One per signed-in user: where several users connect the same app, ``user`` (their
        e-mail or Zoom user id) keeps each user's tokens apart, so that a worker never acts
        with another user's token.
        """
        cipher = self._cipher("refresh tokens")
        scope = _digest(account_id, client_id, user) if user else _digest(account_id, client_id)
        return RedisTokenStore(self, scope, cipher)

    def script(self, source: str) -> Any:
        """A Lua script registered once on this fleet's client."""
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self.redis.register_script(source)
        return script

    def decrypt(self, cipher: Fernet, raw: bytes | str, what: str) -> bytes:
        """``raw`` decrypted; a clear error when another key encrypted it."""
        from cryptography.fernet import InvalidToken

        try:
            return cipher.decrypt(raw if isinstance(raw, bytes) else raw.encode())
        except InvalidToken:
            raise ZoomConfigurationError(
                f"The {what} in Redis cannot be decrypted with this worker's token key.",
                suggestion="Give every worker of the fleet the same ZOOM_TOKEN_KEY.",
            ) from None


def _build_connection(module: Any, client: Any, what: str) -> None:
    """Build one of ``client``'s connections without opening it: a setting its connections
    do not take (``?timeout=5``) fails here, not on every call."""
    pool = getattr(client, "connection_pool", None)
    if pool is None:
        return
    try:
        pool.connection_class(**pool.connection_kwargs)
    except (ValueError, TypeError, module.exceptions.RedisError) as exc:
        raise ZoomConfigurationError(
            f"{what} cannot make Redis connections: {type(exc).__name__}: {_reason(exc)}.",
            suggestion=_URL_ADVICE,
        ) from None


def _reason(exc: BaseException) -> str:
    return redact_url(str(exc)) or "no answer"


def _text(raw: bytes | str) -> str:
    return raw.decode() if isinstance(raw, bytes) else raw


class RedisState:
    """One account's rate budget counted in Redis (``budget.SharedState``), the process's own
    state while Redis is unreachable."""

    def __init__(self, fleet: Fleet, scope: str) -> None:
        from limits.storage import RedisStorage

        self.fleet = fleet
        self.scope = scope
        self._local = fleet.local(scope)
        storage = RedisStorage(
            "redis://",
            connection_pool=fleet.redis.connection_pool,
            key_prefix=fleet._key(scope, "limits"),
        )
        self.limiter = _limiter(storage)

    def hit(self, item: RateLimitItem, *ids: str) -> bool:
        """Take a slot in ``item``'s shared window if one is free."""
        return self.fleet._use(
            lambda: self.limiter.hit(item, *ids), lambda: self._local.hit(item, *ids)
        )

    def next_slot(self, item: RateLimitItem, *ids: str) -> float:
        """When (epoch seconds) the oldest slot of the shared window frees."""
        return self.fleet._use(
            lambda: float(self.limiter.get_window_stats(item, *ids).reset_time),
            lambda: self._local.next_slot(item, *ids),
        )

    def paused_until(self, category: str) -> float:
        """When (epoch seconds) the fleet's pause of ``category`` ends; 0 when none."""
        key = self.fleet._key(self.scope, "pause", category)

        def read() -> float:
            raw = self.fleet.redis.get(key)
            return float(_text(raw)) if raw is not None else 0.0

        return self.fleet._use(read, lambda: self._local.paused_until(category))

    def pause(self, category: str, until: float) -> None:
        """Hold ``category`` back for every worker until ``until`` (epoch seconds)."""
        key = self.fleet._key(self.scope, "pause", category)
        self._local.pause(category, until)

        script = self.fleet.script(_PAUSE)

        def write() -> None:
            script(keys=[key], args=[repr(until), int(until * 1000) + 1])

        self.fleet._use(write, lambda: None)

    def _writes_key(self, host: str, day: str) -> str:
        return self.fleet._key(self.scope, "writes", day, _hashed_name(host))

    def reserve_write(self, host: str, day: str, cap: int, resets: float) -> bool:
        """Count one create/update for ``host`` across the fleet unless ``cap`` are counted."""
        key = self._writes_key(host, day)
        script = self.fleet.script(_RESERVE_WRITE)
        return self.fleet._use(
            lambda: bool(script(keys=[key], args=[cap, int(resets) + 3600])),
            lambda: self._local.reserve_write(host, day, cap, resets),
        )

    def release_write(self, host: str, day: str) -> None:
        """Give back one create/update counted for ``host`` (it was not sent)."""
        key = self._writes_key(host, day)
        script = self.fleet.script(_RELEASE_WRITE)
        self.fleet._use(lambda: script(keys=[key]), lambda: self._local.release_write(host, day))

    def spend_writes(self, host: str, day: str, cap: int, resets: float) -> None:
        """Zoom said ``host`` has no creates/updates left on ``day``: so for every worker."""
        key = self._writes_key(host, day)
        self._local.spend_writes(host, day, cap, resets)
        self.fleet._use(
            lambda: self.fleet.redis.set(key, cap, exat=int(resets) + 3600), lambda: None
        )

    def _host_key(self, alias: str) -> str:
        return self.fleet._key(self.scope, "host", _digest(alias))

    def host_key(self, alias: str) -> str | None:
        """The key the writes of ``alias`` count under, as the fleet learned it."""

        def read() -> str | None:
            raw = self.fleet.redis.get(self._host_key(alias))
            return _text(raw) if raw is not None else None

        return self.fleet._use(read, lambda: self._local.host_key(alias))

    def learn_host(self, names: Sequence[str], meetings: Sequence[str]) -> None:
        """Teach every worker that ``names`` and ``meetings`` count under one key (for
        ``HOSTS_KEPT_FOR`` seconds). A meeting fetched again costs no round trip: what this
        process taught already is not taught again."""
        if self._local.knows(names, meetings):
            return
        self._local.learn_host(names, meetings)
        keys = [self._host_key(alias) for alias in (*names, *meetings)]
        script = self.fleet.script(_LEARN_HOST)
        # Redis holds hashes of the names (e-mail addresses among them), never the names.
        args = [len(names), HOSTS_KEPT_FOR, _HASHED + _digest(names[0])]
        self.fleet._use(lambda: script(keys=keys, args=args), lambda: None)


class RedisTokens:
    """The fleet's access token (``auth.SharedTokens``), encrypted, renewed under a lock."""

    def __init__(self, fleet: Fleet, scope: str, cipher: Fernet) -> None:
        self.fleet = fleet
        self._cipher = cipher
        self._key = fleet._key(scope, "access-token")
        self._lock_key = fleet._key(scope, "renewal-lock")

    def get(self) -> SharedToken | None:
        """The shared token, or None (also while Redis is unreachable)."""
        raw = self.fleet._use(lambda: self.fleet.redis.get(self._key), lambda: None)
        if raw is None:
            return None
        data = json.loads(self.fleet.decrypt(self._cipher, raw, "access token"))
        return SharedToken(
            _secret(data["access_token"]), float(data["expires_at"]), float(data["lifetime"])
        )

    def put(self, token: SharedToken) -> None:
        """Share ``token`` until it expires."""
        data = {
            "access_token": token.value.get_secret_value(),
            "expires_at": token.expires_at,
            "lifetime": token.lifetime,
        }
        sealed = self._cipher.encrypt(json.dumps(data).encode())
        expires = max(int(token.expires_at) + 1, int(time.time()) + 1)
        self.fleet._use(lambda: self.fleet.redis.set(self._key, sealed, exat=expires), lambda: None)

    def clear(self) -> None:
        """Forget the shared token."""
        self.fleet._use(lambda: self.fleet.redis.delete(self._key), lambda: None)

    @contextmanager
    def renewing(self, ttl: float) -> Iterator[None]:
        """Hold the fleet's renewal lock; without Redis, renew alone."""
        lock = self.fleet.redis.lock(
            self._lock_key, timeout=ttl, sleep=0.02, blocking_timeout=ttl, thread_local=False
        )
        held = self.fleet._use(lambda: bool(lock.acquire()), lambda: False)
        try:
            yield
        finally:
            if held:
                self.fleet._use(lambda: self._release(lock), lambda: None)

    def _release(self, lock: Any) -> None:
        try:
            lock.release()
        except self.fleet._lock_lost:
            # The renewal outlasted the lock's TTL: it expired (another worker may hold it
            # now). Nothing to release, and Redis is fine.
            self.fleet.logger.info("The fleet's token renewal lock expired before its release.")


class RedisTokenStore:
    """A user-OAuth refresh token kept in Redis for the fleet (``auth.TokenStore``), encrypted.

    While Redis is unreachable it keeps the last token it saw in memory, and writes a token
    rotated meanwhile to Redis once Redis answers again (the one before it is dead at Zoom).
    """

    def __init__(self, fleet: Fleet, scope: str, cipher: Fernet) -> None:
        self.fleet = fleet
        #: The hash its keys, and the access token of the workers using it, are kept under.
        self.scope = scope
        self._cipher = cipher
        self._key = fleet._key(scope, "refresh-token")
        self._last: StoredTokens | None = None
        self._unsaved = False

    def __repr__(self) -> str:
        return f"RedisTokenStore(redis={self.fleet.url!r})"

    def load(self) -> StoredTokens | None:
        """The fleet's refresh token, or None."""
        if self._unsaved and self._last is not None:
            self.save(self._last)
        missing = object()
        raw = self.fleet._use(lambda: self.fleet.redis.get(self._key), lambda: missing)
        if raw is missing:
            return self._last
        if raw is None:
            return None
        token = self.fleet.decrypt(self._cipher, raw, "refresh token").decode()
        self._last = StoredTokens(_secret(token))
        return self._last

    def save(self, tokens: StoredTokens) -> None:
        """Replace the fleet's refresh token (one SET: old or new, never half)."""
        self._last = tokens
        sealed = self._cipher.encrypt(tokens.refresh_token.get_secret_value().encode())

        def write() -> bool:
            self.fleet.redis.set(self._key, sealed)
            return False

        self._unsaved = self.fleet._use(write, lambda: True)

    def clear(self) -> None:
        """Forget the refresh token."""
        self._last = None
        self._unsaved = False
        self.fleet._use(lambda: self.fleet.redis.delete(self._key), lambda: None)
