"""Modules imported on first use.

The pydantic models cost more to build than the rest of the package costs to import, and a
program needs them only once it calls Zoom; modules that merely name them defer the import::

    if TYPE_CHECKING:
        from zoom_agent_tools import models as m
    else:
        m = deferred("zoom_agent_tools.models")
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["deferred"]


class _Deferred:
    """Stands for a module; the first attribute looked up imports it."""

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        module = self._module
        if module is None:
            # import_module takes the import lock, so threads that get here together import
            # the module once; each then keeps the same module object.
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<deferred module {self._name!r}>"


def deferred(name: str) -> Any:
    """The module ``name``, imported when one of its attributes is first used."""
    return _Deferred(name)
