"""The sandbox's options, declared once: defaults, checks, help and command-line flags.

``SandboxOptions`` is the declaration. ``SandboxApp`` and ``Sandbox`` take one, or its fields
as keyword arguments (typed by ``OptionKeywords``, which a test keeps equal to the fields);
``zoom-agent-tools sandbox`` builds its flags from the fields that carry a ``Flag``. This
module imports nothing heavy, so the command line can read it for ``--help``.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any, TypedDict, TypeVar

from zoom_agent_tools.sandbox.clock import Clock
from zoom_agent_tools.sandbox.limits import (
    ACCESS_TOKEN_TTL,
    DAILY_MEETING_WRITES,
    PAGE_TOKEN_TTL,
    PLANS,
)

__all__ = [
    "DEFAULT_SEED",
    "MAX_TTL",
    "PLAN_NAMES",
    "Flag",
    "OptionKeywords",
    "SandboxOptions",
    "seconds",
    "whole_number",
]

DEFAULT_SEED = "zoom-agent-tools-sandbox"
#: The longest lifetime the options take: a year, far below where datetimes overflow.
MAX_TTL = 365 * 24 * 3600
#: Zoom's plans, and one without rate limits.
PLAN_NAMES = (*PLANS, "unlimited")

T = TypeVar("T")


@dataclass(frozen=True)
class Flag:
    """How an option appears on the command line.

    ``parse`` turns the flag's text into the option's value and raises ValueError saying
    what is wrong; a boolean option's flag switches it away from its default.
    """

    name: str
    help: str
    metavar: str | None = None
    parse: Callable[[str], Any] | None = None
    choices: tuple[str, ...] | None = None


def _option(default: T, *, check: Callable[[T], None] | None = None, flag: Flag | None = None) -> T:
    """A field; ``check`` raises ValueError for a value the sandbox cannot use."""
    metadata = {"check": check, "flag": flag}
    return field(default=default, metadata=metadata)


def whole_number(text: str, lowest: int, highest: int, unit: str = "") -> int:
    """``text`` as a whole number from ``lowest`` to ``highest`` (ValueError says what is wrong)."""
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"not a whole number{unit}: {text!r}") from None
    if not lowest <= value <= highest:
        raise ValueError(f"must be {lowest}-{highest}{unit}: {text!r}")
    return value


def seconds(text: str) -> float:
    """``text`` as a number of seconds (ValueError says what is wrong)."""
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"not a number of seconds: {text!r}") from None


def _whole_seconds(text: str) -> int:
    return whole_number(text, 1, MAX_TTL, " seconds")


def _db_path(text: str) -> str:
    """A database path the sandbox can create or open: checked here, so no traceback later."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise ValueError(f"is a directory, not a database file: {text!r}")
    if not path.parent.is_dir():
        raise ValueError(f"folder does not exist: {str(path.parent)!r}")
    if not os.access(path if path.exists() else path.parent, os.W_OK):
        raise ValueError(f"cannot write there: {text!r}")
    return str(path)


def _check_plan(plan: str) -> None:
    if plan not in PLAN_NAMES:
        raise ValueError(f"unknown plan {plan!r}; use {', '.join(PLAN_NAMES)}")


def _check_lifetime(seconds: float) -> None:
    if not seconds > 0 or math.isinf(seconds):
        raise ValueError(f"must be a positive number of seconds: {seconds!r}")
    if seconds > MAX_TTL:
        raise ValueError(f"must be at most {MAX_TTL} seconds (a year): {seconds!r}")


def _check_whole_lifetime(seconds: int) -> None:
    whole_number(str(seconds), 1, MAX_TTL, " seconds")


def _daily_writes(text: str) -> int:
    return whole_number(text, 1, DAILY_MEETING_WRITES, " requests")


def _check_daily_writes(count: int) -> None:
    whole_number(str(count), 1, DAILY_MEETING_WRITES, " requests")


def _check_seed(seed: str) -> None:
    if not seed:
        raise ValueError("must not be empty")
    try:
        seed.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"must be valid text: {seed!r}") from None


@dataclass(frozen=True, kw_only=True)
class SandboxOptions:
    """How a sandbox behaves. Every field is also a keyword of ``Sandbox`` and ``SandboxApp``.

    ``now`` fixes the start time (the clock then stands still until ``clock.advance(...)``);
    ``clock`` is any callable returning an aware datetime (give one of the two, or neither for
    the real clock). ``db_path`` keeps state across restarts; ``template`` starts from a copy
    of a database written by ``SandboxApp.save`` (for fast, identical starts in tests).
    ``rate_ticker`` is the monotonic source of the per-second rate windows. ``seed`` makes ids,
    secrets and tokens reproducible; a database that was already seeded keeps its own.
    ``download_file_size`` sizes the seeded MP4 files.
    """

    db_path: str | None = _option(
        None,
        flag=Flag(
            "--db",
            "SQLite file that keeps the sandbox's state across restarts",
            metavar="PATH",
            parse=_db_path,
        ),
    )
    template: str | None = None
    clock: Clock | None = None
    now: datetime | None = None
    plan: str = _option(
        "business",
        check=_check_plan,
        flag=Flag(
            "--plan",
            "Zoom plan whose per-second and daily rate limits apply; on 'free', past meeting "
            "details, participants and summaries are refused as on a free account "
            "(default: %(default)s)",
            choices=PLAN_NAMES,
        ),
    )
    rate_limits: bool = _option(
        True,
        flag=Flag(
            "--no-rate-limits",
            "never answer 429 (the per-user daily create/update cap included)",
        ),
    )
    daily_meeting_writes: int = _option(
        DAILY_MEETING_WRITES,
        check=_check_daily_writes,
        flag=Flag(
            "--daily-meeting-writes",
            "meeting creates/updates per host user per UTC day before 429 (default: "
            "%(default)s, Zoom's cap; lower it to test the cap quickly)",
            metavar="COUNT",
            parse=_daily_writes,
        ),
    )
    rate_ticker: Callable[[], float] = time.monotonic
    page_token_ttl: float = _option(
        PAGE_TOKEN_TTL,
        check=_check_lifetime,
        flag=Flag(
            "--page-token-ttl",
            "lifetime of next_page_token cursors (default: %(default)g, Zoom's 15 minutes)",
            metavar="SECONDS",
            parse=seconds,
        ),
    )
    token_ttl: int = _option(
        ACCESS_TOKEN_TTL,
        check=_check_whole_lifetime,
        flag=Flag(
            "--token-ttl",
            "lifetime of issued access tokens (default: %(default)s)",
            metavar="SECONDS",
            parse=_whole_seconds,
        ),
    )
    html_download_errors: bool = _option(
        False,
        flag=Flag(
            "--html-download-errors",
            "answer refused recording downloads as Zoom sometimes does: HTTP 200 with an HTML page",
        ),
    )
    seed: str = _option(
        DEFAULT_SEED,
        check=_check_seed,
        flag=Flag(
            "--seed",
            "seed of generated ids, secrets and tokens; a --db that was already seeded keeps "
            "its own (default: a fixed seed, so credentials repeat across runs)",
        ),
    )
    download_file_size: int | None = None

    def __post_init__(self) -> None:
        if self.clock is not None and self.now is not None:
            raise ValueError("give now or clock, not both")
        for option in fields(self):
            check = option.metadata.get("check")
            if check is not None:
                try:
                    check(getattr(self, option.name))
                except ValueError as exc:
                    raise ValueError(f"{option.name}: {exc}") from None


class OptionKeywords(TypedDict, total=False):
    """The fields of SandboxOptions as keyword arguments (for typing ``**options``)."""

    db_path: str | None
    template: str | None
    clock: Clock | None
    now: datetime | None
    plan: str
    rate_limits: bool
    daily_meeting_writes: int
    rate_ticker: Callable[[], float]
    page_token_ttl: float
    token_ttl: int
    html_download_errors: bool
    seed: str
    download_file_size: int | None
