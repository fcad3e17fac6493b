"""Fault injection: planned failures (status, delay, dropped connection, cut-off body) per route."""

from __future__ import annotations

import inspect
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Fault", "FaultInjector"]


@dataclass
class Fault:
    """One planned failure. ``target`` is a spec path template or an operation id."""

    target: str | None = None
    method: str | None = None
    status: int | None = None
    retry_after: str | None = None
    delay: float = 0.0
    drop: bool = False
    cut_after: int | None = None
    #: Carry the request out first, then fail: Zoom acted although its answer is lost.
    after_write: bool = False
    times: int | None = 1
    body: str | None = None
    content_type: str = "application/json;charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)
    hits: int = 0

    def matches(self, method: str, template: str, operation: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.target is None or self.target in (template, operation)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _normalise_target(path: str | None, operation: str | None) -> str | None:
    if path is not None and operation is not None:
        raise ValueError("give path or operation, not both")
    if path is None:
        return operation
    if path.startswith("/v2/"):
        path = path[3:]
    return path


class FaultInjector:
    """Thread-safe list of faults; the first matching one with uses left fires."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def inject(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        operation: str | None = None,
        status: int | None = None,
        retry_after: str | int | None = None,
        delay: float = 0.0,
        drop: bool = False,
        cut_after: int | None = None,
        after_write: bool = False,
        times: int | None = 1,
        body: str | None = None,
        content_type: str = "application/json;charset=UTF-8",
        headers: dict[str, str] | None = None,
    ) -> Fault:
        """Plan a failure for requests matching ``method`` and ``path``/``operation``.

        ``path`` is a spec template such as ``/meetings/{meetingId}`` (``/v2`` optional) or a
        sandbox route (``/oauth/token``, ``/rec/download/{key}``); ``operation`` an operation
        id such as ``meeting``. Effects: ``status`` (with optional ``retry_after`` seconds or
        date, ``body``), ``delay`` seconds before answering, ``drop`` (close the connection
        without an answer), ``cut_after`` (announce the full length, send that many bytes,
        then close). With ``after_write`` the request is carried out first (a create stores its
        meeting) and only then delayed, dropped or answered with ``status``: the answer is lost
        although Zoom acted. ``times`` limits how often it fires (None: until cleared).
        """
        if status is None and not drop and cut_after is None and delay <= 0:
            raise ValueError("a fault needs status, drop, cut_after or delay")
        if after_write and status is None and not drop and delay <= 0:
            raise ValueError("after_write needs status, drop or delay to fail the answer with")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for unlimited)")
        fault = Fault(
            target=_normalise_target(path, operation),
            method=method.upper() if method else None,
            status=status,
            retry_after=str(retry_after) if retry_after is not None else None,
            delay=float(delay),
            drop=drop,
            cut_after=cut_after,
            after_write=after_write,
            times=times,
            body=body,
            content_type=content_type,
            headers=dict(headers or {}),
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def inject_from_json(self, payload: dict[str, Any]) -> Fault:
        """``inject`` with the fields of a JSON object (the admin endpoint's body)."""
        unknown = set(payload) - set(inspect.signature(self.inject).parameters)
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        return self.inject(**payload)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, method: str, template: str, operation: str) -> Fault | None:
        """The fault to apply to this request (its remaining uses decrease), if any."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, template, operation):
                    fault.hits += 1
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None
