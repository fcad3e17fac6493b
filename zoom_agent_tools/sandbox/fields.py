"""Checks of request body fields; a refused value raises InvalidField naming the field."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

__all__ = ["InvalidField", "choice", "text", "whole_number"]


class InvalidField(ValueError):
    """A request field Zoom would reject; ``field`` names it (dotted)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def whole_number(value: Any, field: str, low: int, high: int) -> int:
    """``value`` if it is a JSON integer (not a boolean) from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidField(field)
    return value


def choice(value: Any, field: str, allowed: Collection[object]) -> Any:
    """``value`` if it is one of ``allowed``, of the same JSON type (``1.0`` is not ``1``)."""
    if not any(value == option and type(value) is type(option) for option in allowed):
        raise InvalidField(field)
    return value


def text(value: Any, field: str, max_length: int | None = None) -> str:
    """``value`` if it is a string of at most ``max_length`` characters."""
    if not isinstance(value, str) or (max_length is not None and len(value) > max_length):
        raise InvalidField(field)
    return value
