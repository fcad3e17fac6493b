"""Recurrence rules of recurring meetings: validation and occurrence generation."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from zoom_agent_tools.sandbox.clock import format_utc, parse_utc

__all__ = ["MAX_OCCURRENCES", "InvalidField", "generate", "normalize"]

MAX_OCCURRENCES = 60
_MAX_INTERVAL = {1: 99, 2: 50, 3: 10}


class InvalidField(ValueError):
    """A request field Zoom would reject; ``field`` names it (dotted)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidField(field)
    return value


def normalize(raw: Any) -> dict[str, Any]:
    """Check a ``recurrence`` object and return it in the shape Zoom echoes back."""
    if not isinstance(raw, dict) or "type" not in raw:
        raise InvalidField("recurrence.type")
    kind = _int(raw["type"], "recurrence.type", 1, 3)
    out: dict[str, Any] = {
        "type": kind,
        "repeat_interval": _int(
            raw.get("repeat_interval", 1), "recurrence.repeat_interval", 1, _MAX_INTERVAL[kind]
        ),
    }
    if kind == 2:
        days = raw.get("weekly_days", "1")
        parts = days.split(",") if isinstance(days, str) else []
        if not parts or any(p.strip() not in {"1", "2", "3", "4", "5", "6", "7"} for p in parts):
            raise InvalidField("recurrence.weekly_days")
        out["weekly_days"] = ",".join(sorted({p.strip() for p in parts}))
    elif kind == 3:
        if "monthly_week" in raw or "monthly_week_day" in raw:
            week = raw.get("monthly_week")
            if week not in (-1, 1, 2, 3, 4) or isinstance(week, bool):
                raise InvalidField("recurrence.monthly_week")
            out["monthly_week"] = week
            out["monthly_week_day"] = _int(
                raw.get("monthly_week_day"), "recurrence.monthly_week_day", 1, 7
            )
        else:
            out["monthly_day"] = _int(raw.get("monthly_day", 1), "recurrence.monthly_day", 1, 31)
    if "end_times" in raw and "end_date_time" in raw:
        raise InvalidField("recurrence.end_date_time")
    if "end_date_time" in raw:
        try:
            out["end_date_time"] = format_utc(parse_utc(str(raw["end_date_time"])))
        except ValueError:
            raise InvalidField("recurrence.end_date_time") from None
    else:
        out["end_times"] = _int(raw.get("end_times", 1), "recurrence.end_times", 1, 60)
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
    limit = MAX_OCCURRENCES
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
