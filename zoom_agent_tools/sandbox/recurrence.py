"""Recurrence rules of recurring meetings: validation and occurrence generation."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from zoom_agent_tools.sandbox import limits
from zoom_agent_tools.sandbox.clock import format_utc, parse_utc
from zoom_agent_tools.sandbox.fields import InvalidField, choice, whole_number

__all__ = ["generate", "normalize"]

_WEEK_DAYS = {str(day) for day in limits.WEEK_DAYS}


def _number(raw: dict[str, Any], name: str, default: int | None, low: int, high: int) -> int:
    return whole_number(raw.get(name, default), f"recurrence.{name}", low, high)


def _one_of(raw: dict[str, Any], name: str, allowed: tuple[int, ...]) -> int:
    value: int = choice(raw.get(name), f"recurrence.{name}", allowed)
    return value


def normalize(raw: Any) -> dict[str, Any]:
    """Check a ``recurrence`` object and return it in the shape Zoom echoes back."""
    if not isinstance(raw, dict) or "type" not in raw:
        raise InvalidField("recurrence.type")
    kind = _one_of(raw, "type", limits.RECURRENCE_TYPES)
    out: dict[str, Any] = {
        "type": kind,
        "repeat_interval": _number(raw, "repeat_interval", 1, 1, limits.REPEAT_INTERVAL_MAX[kind]),
    }
    if kind == 2:
        # Zoom documents a comma list ("1,3") although the spec's enum lists single days.
        days = raw.get("weekly_days", limits.DEFAULT_WEEKLY_DAYS)
        parts = {p.strip() for p in days.split(",")} if isinstance(days, str) else set()
        if not parts or not parts <= _WEEK_DAYS:
            raise InvalidField("recurrence.weekly_days")
        out["weekly_days"] = ",".join(sorted(parts))
    elif kind == 3:
        if "monthly_week" in raw or "monthly_week_day" in raw:
            out["monthly_week"] = _one_of(raw, "monthly_week", limits.MONTHLY_WEEKS)
            out["monthly_week_day"] = _one_of(raw, "monthly_week_day", limits.WEEK_DAYS)
        else:
            out["monthly_day"] = _number(
                raw,
                "monthly_day",
                limits.DEFAULT_MONTHLY_DAY,
                limits.MONTHLY_DAY_MIN,
                limits.MONTHLY_DAY_MAX,
            )
    if "end_times" in raw and "end_date_time" in raw:
        raise InvalidField("recurrence.end_date_time")
    if "end_date_time" in raw:
        try:
            out["end_date_time"] = format_utc(parse_utc(str(raw["end_date_time"])))
        except ValueError:
            raise InvalidField("recurrence.end_date_time") from None
    else:
        out["end_times"] = _number(
            raw, "end_times", limits.DEFAULT_END_TIMES, limits.END_TIMES_MIN, limits.END_TIMES_MAX
        )
    return out


def _zoom_weekday(day: date) -> int:
    """Zoom numbers days 1 = Sunday ... 7 = Saturday."""
    return (day.weekday() + 1) % 7 + 1


def _nth_weekday(year: int, month: int, week: int, zoom_day: int) -> date | None:
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if _zoom_weekday(date(year, month, d)) == zoom_day
    ]
    if week == -1:
        return days[-1]
    return days[week - 1] if week <= len(days) else None


def _dates(first: date, rule: dict[str, Any]) -> Any:
    """Yield candidate local dates in order (possibly endless; the caller stops)."""
    interval = int(rule["repeat_interval"])
    if rule["type"] == 1:
        day = first
        while True:
            yield day
            day += timedelta(days=interval)
    elif rule["type"] == 2:
        wanted = sorted(int(d) for d in str(rule["weekly_days"]).split(","))
        week_start = first - timedelta(days=_zoom_weekday(first) - 1)
        while True:
            for zoom_day in wanted:
                day = week_start + timedelta(days=zoom_day - 1)
                if day >= first:
                    yield day
            week_start += timedelta(weeks=interval)
    else:
        year, month = first.year, first.month
        for _ in range(1200):
            if "monthly_week" in rule:
                found = _nth_weekday(year, month, rule["monthly_week"], rule["monthly_week_day"])
            else:
                last = calendar.monthrange(year, month)[1]
                day_no = int(rule["monthly_day"])
                found = date(year, month, day_no) if day_no <= last else None
            if found is not None and found >= first:
                yield found
            month += interval
            year += (month - 1) // 12
            month = (month - 1) % 12 + 1


def generate(start: datetime, zone: str, rule: dict[str, Any]) -> list[datetime]:
    """Occurrence start times (UTC) at ``start``'s wall-clock time in ``zone``."""
    tz = ZoneInfo(zone)
    local = start.astimezone(tz)
    limit = limits.END_TIMES_MAX
    until: datetime | None = None
    if "end_date_time" in rule:
        until = parse_utc(rule["end_date_time"])
    else:
        limit = int(rule["end_times"])
    out: list[datetime] = []
    for index, day in enumerate(_dates(local.date(), rule)):
        when = datetime.combine(day, local.time(), tzinfo=tz).astimezone(timezone.utc)
        if (until is not None and when > until) or len(out) >= limit or index > 5000:
            break
        out.append(when)
    return out
