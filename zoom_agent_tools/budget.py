"""The client's rate budget: Zoom's rate limits, kept on this side so requests wait their turn.

Zoom limits each account per rate category (Pro: Light 30/s, Medium 20/s, Heavy 10/s,
Resource-intensive 10/min) and each host user to 100 meeting creates/updates per UTC day.
``RateBudget`` says which limits a client keeps (the plan, per-category overrides, on or
off); ``Pacing`` keeps them at run time: every request waits for a free slot in its
category's moving window (``limits``, one window per category shared by all the client's
threads), a 429 that still arrives pauses the whole category for its Retry-After, and a
create or update whose host has spent the day's budget is refused before it is sent. An
update names a meeting, not its host: the client learns the host first (``get_meeting``, a
Light call, remembered in the state, so shared by a fleet).

State lives in this process (``LocalState``), or in Redis for a fleet of workers
(``zoom_agent_tools.fleet``), which falls back to the process's own state while Redis is
unreachable. ``limits`` is imported on the first request, not with the package.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Protocol, get_args

from zoom_agent_tools.errors import ZoomConfigurationError, ZoomRateLimitError
from zoom_agent_tools.operations import RateCategory

if TYPE_CHECKING:
    from limits import RateLimitItem
    from limits.strategies import MovingWindowRateLimiter

    from zoom_agent_tools.operations import HttpRequest

__all__ = [
    "CATEGORIES",
    "DAILY_MEETING_WRITES",
    "PLANS",
    "LocalState",
    "Pacing",
    "RateBudget",
    "SharedState",
    "next_utc_midnight",
]

CATEGORIES: tuple[RateCategory, ...] = get_args(RateCategory)
#: Requests per window and the window in seconds, per plan and category
#: (https://developers.zoom.us/docs/api/rate-limits/). Business covers Business+, Education,
#: Enterprise and Partners.
PLANS: dict[str, dict[RateCategory, tuple[int, int]]] = {
    "free": {"light": (4, 1), "medium": (2, 1), "heavy": (1, 1), "resource-intensive": (10, 60)},
    "pro": {"light": (30, 1), "medium": (20, 1), "heavy": (10, 1), "resource-intensive": (10, 60)},
    "business": {
        "light": (80, 1),
        "medium": (60, 1),
        "heavy": (40, 1),
        "resource-intensive": (20, 60),
    },
}
#: Meeting creates and updates per host user per UTC day (Zoom's Create/Update meeting docs).
DAILY_MEETING_WRITES = 100
#: The operations that count against the per-user daily cap.
_CAPPED_OPERATIONS = frozenset({"meetingCreate", "meetingUpdate"})
#: Hosts remembered for meetings (to count updates against their host), most recent kept.
_MEETING_HOSTS_KEPT = 10_000
#: Seconds a fleet remembers a meeting's host and a host's names (a meeting can change hosts).
HOSTS_KEPT_FOR = 24 * 3600
#: The longest a request waits for its turn; a longer wait raises ZoomRateLimitError.
MAX_WAIT = 120.0
#: Zoom's per-second windows and this client's clock are not aligned: each slot is taken
#: this much later than the window allows, so requests spread by network jitter still fit.
#: (limits' windows are whole seconds, so the margin is added to the wait, not the window.)
SLOT_MARGIN = 0.02
_LIMIT_RE = re.compile(r"^\s*([a-z-]+)\s*=\s*(\d+)\s*$")


def next_utc_midnight(now: datetime | None = None) -> datetime:
    """The next 00:00 UTC, when Zoom's daily limits reset."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


@dataclass(frozen=True)
class RateBudget:
    """Which of Zoom's limits a client keeps: a plan's rates, overrides, the daily write cap.

    ``plan`` is ``"free"``, ``"pro"`` (the default) or ``"business"`` (Business and up).
    ``limits`` overrides a category's number of requests per its window (per second; per
    minute for ``"resource-intensive"``), e.g. ``{"light": 20}`` to leave room for other apps
    on the account. ``daily_meeting_writes`` is the creates/updates per host user per UTC
    day. ``RateBudget(enabled=False)`` turns the budget off: requests then learn the limits
    from Zoom's 429 answers only.
    """

    plan: str = "pro"
    limits: Mapping[str, int] = field(default_factory=dict)
    daily_meeting_writes: int = DAILY_MEETING_WRITES
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.plan not in PLANS:
            raise ZoomConfigurationError(
                f"Unknown Zoom plan {self.plan!r} for the rate budget.",
                suggestion=f"Use one of {', '.join(PLANS)} (ZOOM_RATE_PLAN), or 'off'.",
            )
        for category, amount in self.limits.items():
            if category not in CATEGORIES:
                raise ZoomConfigurationError(
                    f"Unknown rate category {category!r} in the rate budget's limits.",
                    suggestion=f"Use one of {', '.join(CATEGORIES)}.",
                )
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
                raise ZoomConfigurationError(
                    f"The rate budget's limit for {category!r} must be a whole number of "
                    f"requests of at least 1, not {amount!r}."
                )
        cap = self.daily_meeting_writes
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 1:
            raise ZoomConfigurationError(
                f"daily_meeting_writes must be a whole number of at least 1, not {cap!r}."
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RateBudget:
        """The budget ``ZOOM_RATE_PLAN`` (a plan, or ``off``) and ``ZOOM_RATE_LIMITS``
        (``light=20,medium=10``) describe; Pro when neither is set."""
        plan = env.get("ZOOM_RATE_PLAN", "").strip().lower() or "pro"
        if plan == "off":
            return cls(enabled=False)
        limits: dict[str, int] = {}
        text = env.get("ZOOM_RATE_LIMITS", "").strip()
        for part in filter(None, (p.strip() for p in text.split(","))):
            match = _LIMIT_RE.match(part)
            if match is None:
                raise ZoomConfigurationError(
                    f"ZOOM_RATE_LIMITS has an entry that is not category=number: {part!r}.",
                    suggestion="Write it as e.g. ZOOM_RATE_LIMITS=light=20,medium=10.",
                )
            limits[match.group(1)] = int(match.group(2))
        return cls(plan, limits=limits)

    def rate(self, category: RateCategory) -> tuple[int, int]:
        """Requests per window and the window in seconds for ``category``."""
        amount, window = PLANS[self.plan][category]
        return self.limits.get(category, amount), window


class SharedState(Protocol):
    """Where a client's budget is counted: this process, or Redis shared by a fleet."""

    def hit(self, item: RateLimitItem, *ids: str) -> bool:
        """Take a slot in ``item``'s window if one is free."""
        ...

    def next_slot(self, item: RateLimitItem, *ids: str) -> float:
        """When (epoch seconds) the oldest slot of a full window frees."""
        ...

    def paused_until(self, category: str) -> float:
        """When (epoch seconds) a pause of ``category`` ends; 0 when none."""
        ...

    def pause(self, category: str, until: float) -> None:
        """Hold ``category`` back until ``until`` (epoch seconds)."""
        ...

    def reserve_write(self, host: str, day: str, cap: int, resets: float) -> bool:
        """Count one create/update for ``host`` on ``day``; False (nothing counted) when
        ``cap`` are already counted. The count is forgotten at ``resets``."""
        ...

    def spend_writes(self, host: str, day: str, cap: int, resets: float) -> None:
        """Zoom said ``host`` has no creates/updates left on ``day``."""
        ...

    def release_write(self, host: str, day: str) -> None:
        """Give back one create/update counted for ``host`` on ``day`` (it was not sent)."""
        ...

    def host_key(self, alias: str) -> str | None:
        """The key the writes of ``alias`` (a host's name, ``meeting <id>``) count under;
        None when unknown."""
        ...

    def learn_host(self, names: Sequence[str], meetings: Sequence[str]) -> None:
        """Count the writes of a host's ``names`` and of its ``meetings`` (aliases) under one
        key: the one a name already has, else the first name."""
        ...


def _limiter(storage: Any) -> MovingWindowRateLimiter:
    from limits.strategies import MovingWindowRateLimiter

    return MovingWindowRateLimiter(storage)


def _memory_storage() -> Any:
    """limits' memory storage, its moving windows trimmed when written, as its Redis storage
    trims them (LTRIM), instead of by a timer thread.

    The stock storage starts a new ``threading.Timer`` on a write after every idle gap of
    10 ms: for an agent's spaced-out calls, a thread start (hundreds of microseconds) per
    request. A moving window needs only its newest ``limit`` entries.
    """
    from limits.storage import MemoryStorage

    class TrimmedMemoryStorage(MemoryStorage):
        def __init__(self) -> None:
            super().__init__()
            self.timer.cancel()

        def _MemoryStorage__schedule_expiry(self) -> None:
            """Never: windows are trimmed in ``acquire_entry``."""

        def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
            acquired = bool(super().acquire_entry(key, limit, expiry, amount))
            with self.locks[key]:
                del self.events[key][limit:]
            return acquired

    return TrimmedMemoryStorage()


class LocalState:
    """The budget counted in this process: limits' memory storage, pauses and write counts."""

    def __init__(self) -> None:
        self.limiter = _limiter(_memory_storage())
        self._lock = threading.Lock()
        self._pauses: dict[str, float] = {}
        self._writes: dict[tuple[str, str], int] = {}
        self._hosts: OrderedDict[str, str] = OrderedDict()

    def hit(self, item: RateLimitItem, *ids: str) -> bool:
        """Take a slot in ``item``'s window if one is free."""
        return self.limiter.hit(item, *ids)

    def next_slot(self, item: RateLimitItem, *ids: str) -> float:
        """When (epoch seconds) the oldest slot of a full window frees."""
        return float(self.limiter.get_window_stats(item, *ids).reset_time)

    def paused_until(self, category: str) -> float:
        """When (epoch seconds) a pause of ``category`` ends; 0 when none."""
        return self._pauses.get(category, 0.0)

    def pause(self, category: str, until: float) -> None:
        """Hold ``category`` back until ``until`` (epoch seconds)."""
        with self._lock:
            self._pauses[category] = max(until, self._pauses.get(category, 0.0))

    def reserve_write(self, host: str, day: str, cap: int, resets: float) -> bool:
        """Count one create/update for ``host`` on ``day`` unless ``cap`` are counted."""
        with self._lock:
            self._forget_past_days(day)
            used = self._writes.get((day, host), 0)
            if used >= cap:
                return False
            self._writes[(day, host)] = used + 1
            return True

    def spend_writes(self, host: str, day: str, cap: int, resets: float) -> None:
        """Zoom said ``host`` has no creates/updates left on ``day``."""
        with self._lock:
            self._forget_past_days(day)
            self._writes[(day, host)] = max(cap, self._writes.get((day, host), 0))

    def release_write(self, host: str, day: str) -> None:
        """Give back one create/update counted for ``host`` on ``day``."""
        with self._lock:
            used = self._writes.get((day, host), 0)
            if used > 0:
                self._writes[(day, host)] = used - 1

    def _forget_past_days(self, today: str) -> None:
        for key in [k for k in self._writes if k[0] != today]:
            del self._writes[key]

    def host_key(self, alias: str) -> str | None:
        """The key the writes of ``alias`` count under; None when unknown."""
        return self._hosts.get(alias)

    def knows(self, names: Sequence[str], meetings: Sequence[str]) -> bool:
        """Whether ``names`` and ``meetings`` already count under one key here."""
        with self._lock:
            keys = {self._hosts.get(alias) for alias in (*names, *meetings)}
        return None not in keys and len(keys) == 1

    def learn_host(self, names: Sequence[str], meetings: Sequence[str]) -> None:
        """Count ``names`` and ``meetings`` under the key a name has, else the first name."""
        with self._lock:
            key = next((self._hosts[n] for n in names if n in self._hosts), names[0])
            for name in names:
                self._remember(name, self._hosts.get(name, key))
            for meeting in meetings:
                self._remember(meeting, key)  # a meeting's host can change: the latest wins

    def _remember(self, alias: str, key: str) -> None:
        self._hosts[alias] = key
        self._hosts.move_to_end(alias)
        while len(self._hosts) > _MEETING_HOSTS_KEPT:
            self._hosts.popitem(last=False)


class _Turn:
    """One category's place in the budget, as the request loop sees it (``_http.Pace``)."""

    def __init__(self, pacing: Pacing, category: RateCategory) -> None:
        self._pacing = pacing
        self.category = category

    def wait(self, *, mind_pause: bool = True) -> None:
        """Block until a request of this category may be sent."""
        self._pacing.wait(self.category, mind_pause=mind_pause)

    def pause(self, seconds: float) -> None:
        """Zoom answered 429: hold every request of this category back for ``seconds``."""
        self._pacing.pause(self.category, seconds)


class Pacing:
    """A client's budget at run time: waits for turns, pauses after 429s, counts writes.

    ``state`` is where the counting happens: a LocalState (made on the first request) by
    default, a fleet's shared state in Redis.
    """

    def __init__(
        self, budget: RateBudget, *, state: SharedState | None = None, me: str = ""
    ) -> None:
        self.budget = budget
        self._state: SharedState | None = state
        # Whom "me" means in a state shared with other users' workers (a fleet): a hash of
        # this worker's token identity, so that one user's "me" is never another's.
        self._me = me
        self._items: dict[RateCategory, RateLimitItem] = {}
        self._turns = {c: _Turn(self, c) for c in CATEGORIES}
        self._lock = threading.Lock()

    def turn(self, category: RateCategory) -> _Turn | None:
        """What a request of ``category`` waits on; None when the budget is off."""
        return self._turns[category] if self.budget.enabled else None

    def _ready(self) -> SharedState:
        state = self._state
        if state is None:
            with self._lock:
                if self._state is None:
                    self._state = LocalState()
                state = self._state
        return state

    def _item(self, category: RateCategory) -> RateLimitItem:
        item = self._items.get(category)
        if item is None:
            from limits import RateLimitItemPerSecond

            amount, window = self.budget.rate(category)
            item = RateLimitItemPerSecond(amount, window, namespace="zoom-agent-tools")
            self._items[category] = item
        return item

    def wait(self, category: RateCategory, *, mind_pause: bool = True) -> None:
        """Block until a request of ``category`` may be sent: after a pause of the category
        (unless ``mind_pause`` is False), when its window has a free slot."""
        state = self._ready()
        item = self._item(category)
        deadline = time.monotonic() + MAX_WAIT
        while True:
            now = time.time()
            until = state.paused_until(category) if mind_pause else 0.0
            if until <= now:
                if state.hit(item, category):
                    return
                until = state.next_slot(item, category) + SLOT_MARGIN
            delay = max(0.001, until - time.time())
            if time.monotonic() + delay > deadline:
                amount, window = self.budget.rate(category)
                raise ZoomRateLimitError(
                    f"Not sent: the client's rate budget for {category} requests "
                    f"({amount} per {window} s) has no free slot for {delay:.0f} seconds.",
                    status=429,
                    retry_after=delay,
                    category=category,
                    suggestion=f"Wait {delay:.0f} seconds, then retry.",
                )
            time.sleep(delay)

    def pause(self, category: RateCategory, seconds: float) -> None:
        """Hold ``category`` back for ``seconds`` (Zoom answered 429 anyway)."""
        self._ready().pause(category, time.time() + max(0.0, seconds))

    # -- the daily write budget -------------------------------------------------------------

    def _alias(self, request: HttpRequest) -> str | None:
        """The name ``request`` gives the host whose daily budget it spends: the user of a
        create, ``meeting <id>`` for an update; None when it spends none."""
        if not self.budget.enabled or request.endpoint.operation_id not in _CAPPED_OPERATIONS:
            return None
        user = request.path_params.get("userId")
        if user is not None:
            return self._user_name(user)
        return _meeting_alias(request.path_params.get("meetingId"))

    def _host(self, request: HttpRequest) -> str | None:
        """The key ``request``'s daily budget is counted under; None when it spends none.
        An update whose meeting's host is unknown counts under the meeting."""
        alias = self._alias(request)
        if alias is None:
            return None
        return self._ready().host_key(alias) or alias

    def unknown_host(self, request: HttpRequest) -> str | None:
        """The meeting id of an update whose host is not known yet (to be learned before
        the update is counted and sent); None otherwise."""
        alias = self._alias(request)
        if alias is None or "userId" in request.path_params:
            return None
        if self._ready().host_key(alias) is not None:
            return None
        return str(request.path_params.get("meetingId"))

    def reserve_write(self, request: HttpRequest, action: str) -> Callable[[], None] | None:
        """Count a create/update against its host's daily budget, or refuse it unsent.

        Returns what gives the count back if the write is then certainly not sent (None
        when nothing was counted).
        """
        host = self._host(request)
        if host is None:
            return None
        now = datetime.now(timezone.utc)
        resets = next_utc_midnight(now)
        cap = self.budget.daily_meeting_writes
        day = now.date().isoformat()
        state = self._ready()
        if state.reserve_write(host, day, cap, resets.timestamp()):
            return lambda: state.release_write(host, day)
        left = resets - now
        hours, minutes = divmod(int(left.total_seconds()) // 60, 60)
        raise ZoomRateLimitError(
            f"Not sent: could not {action}: the daily budget of {cap} meeting creates/updates "
            f"for this host user is spent. It resets at 00:00 UTC "
            f"({resets.strftime('%Y-%m-%dT%H:%M:%SZ')}, in {hours} h {minutes} min).",
            status=429,
            retry_after=left.total_seconds(),
            limit_type="Daily-limit",
            category="light",
            daily_create_update_cap=True,
            suggestion="Do not retry today; tell the user when the cap resets.",
        )

    def writes_spent(self, request: HttpRequest) -> None:
        """Zoom answered that the host of ``request`` has no creates/updates left today."""
        host = self._host(request)
        if host is None:
            return
        now = datetime.now(timezone.utc)
        self._ready().spend_writes(
            host,
            now.date().isoformat(),
            self.budget.daily_meeting_writes,
            next_utc_midnight(now).timestamp(),
        )

    def _user_name(self, user: object) -> str:
        name = str(user).lower()
        return f"me {self._me}" if name == "me" and self._me else name

    def learn_host(self, request: HttpRequest, result: object) -> None:
        """Remember the host of the meeting in ``result`` (created or fetched), so that its
        updates and the host's other names count under one key.

        A host is counted under the first name a create used for it ("me", an e-mail, an
        id): counts already made under a name cannot move to another.
        """
        host = getattr(result, "host_id", None)
        meeting = getattr(result, "id", None)
        if not self.budget.enabled or not isinstance(host, str) or not host:
            return
        email = getattr(result, "host_email", None)
        names = [host.lower(), *([email.lower()] if isinstance(email, str) and email else [])]
        user = request.path_params.get("userId")
        if user is not None and request.endpoint.operation_id == "meetingCreate":
            names.insert(0, self._user_name(user))
        meetings = [_meeting_alias(meeting)] if meeting is not None else []
        self._ready().learn_host(names, meetings)


def _meeting_alias(meeting: object) -> str:
    return f"meeting {meeting}"
