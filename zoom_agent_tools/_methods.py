"""Client methods made from operations: keyword arguments typed from each argument model.

``client.create_meeting(user_id="me", topic="Sync")`` is ``client.execute(create_meeting,
{...})``; type checkers read the parameters from the argument model's constructor (a
ParamSpec), and ``help()`` and ``inspect.signature`` show them, built with the model on first
use, so that importing the client builds no model.
"""

from __future__ import annotations

import functools
import inspect
import operator
from collections.abc import Callable, Iterator, Sequence
from types import MethodType, UnionType
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Generic,
    Protocol,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
    overload,
)

from typing_extensions import ParamSpec, Self

if TYPE_CHECKING:
    from zoom_agent_tools.client import ZoomClient
    from zoom_agent_tools.operations import AnyOperation, Operation

__all__ = ["Listing", "every_item", "method"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
_KEYWORD_ONLY = inspect.Parameter.KEYWORD_ONLY


class Listing(Protocol[T_co]):
    """A page of a paginated operation's answer."""

    @property
    def items(self) -> Sequence[T_co]: ...

    @property
    def next_page_token(self) -> str | None: ...


def _shown_type(annotation: Any) -> Any:
    """A field's type as a signature shows it: without pydantic's constraints and validators."""
    if get_origin(annotation) is Annotated:
        return _shown_type(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return functools.reduce(operator.or_, map(_shown_type, get_args(annotation)))
    return annotation


class _Method(Generic[P, R]):
    """A ZoomClient method that calls one operation (or, ``every_item``, each of its pages)
    with keyword arguments.

    Its parameters are the fields of the operation's argument model: type checkers and
    editors read them from the model, and ``help()`` and ``inspect.signature`` show them
    (built on first use, with the model).
    """

    def __init__(
        self, op: AnyOperation, name: str, summary: str, *, every_item: bool = False
    ) -> None:
        self.op = op
        self.summary = summary
        self.every_item = every_item
        self.__name__ = name
        self.__qualname__ = f"ZoomClient.{name}"
        self.__module__ = "zoom_agent_tools.client"

    def __set_name__(self, owner: type[Any], name: str) -> None:
        if name != self.__name__:
            raise TypeError(f"{owner.__name__}.{name} is declared for {self.__name__}")

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, client: ZoomClient, owner: type[Any]) -> Callable[P, R]: ...

    def __get__(self, client: ZoomClient | None, owner: type[Any]) -> Self | Callable[P, R]:
        if client is None:
            return self
        return MethodType(self, client)

    def __call__(self, client: ZoomClient, /, *args: Any, **params: Any) -> R:
        if args:
            required = [n for n, f in self.op.args_model.model_fields.items() if f.is_required()]
            example = ", ".join(f"{n}=..." for n in required)
            raise TypeError(
                f"{self.__name__}() takes keyword arguments only, e.g. {self.__name__}({example}); "
                f"pass an argument model, a mapping or text to client.execute(...)"
            )
        if self.every_item:
            return cast("R", client.iterate(self.op, params))
        return cast("R", client.execute(self.op, params))

    @property
    def __doc__(self) -> str:  # type: ignore[override]
        lines = [self.summary, "", "Keyword arguments:"]
        for name, info in self.op.args_model.model_fields.items():
            needed = "" if info.is_required() else " (optional)"
            lines.append(f"    {name}{needed}: {info.description or ''}")
        return "\n".join(lines)

    @property
    def __signature__(self) -> inspect.Signature:
        params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)]
        for name, info in self.op.args_model.model_fields.items():
            default = inspect.Parameter.empty if info.is_required() else None
            annotation = _shown_type(info.annotation)
            params.append(
                inspect.Parameter(name, _KEYWORD_ONLY, default=default, annotation=annotation)
            )
        return inspect.Signature(params)


def method(op: Operation[P, Any, R]) -> _Method[P, R]:
    """``client.<operation>(**arguments)``: the operation's parsed result."""
    return _Method(op, op.method_name, op.description)


def every_item(
    op: Operation[P, Any, Listing[T]], name: str | None = None
) -> _Method[P, Iterator[T]]:
    """``client.iter_<items>(**arguments)`` (or ``name``): every item of a paginated
    operation."""
    summary = f"Every item, page after page: {op.description}"
    name = name or f"iter_{op.method_name.removeprefix('list_')}"
    return _Method(op, name, summary, every_item=True)
