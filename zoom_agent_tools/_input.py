"""How raw input becomes an operation's validated arguments, and why input was refused.

Every entry point (the adapters, the tool layer, the client) reads input here: a mapping
(camelCase or snake_case keys), text as agents send it, or an argument model. Refusals name
each parameter and what is allowed, before any request is made.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from zoom_agent_tools._redact import SECRET_BODY_KEYS
from zoom_agent_tools.errors import FieldError, ZoomValidationError

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

    from zoom_agent_tools.arguments import ToolArgs
    from zoom_agent_tools.operations import AnyOperation, Operation

__all__ = ["WALKING", "arguments_from", "bounded", "parse_arguments"]

A = TypeVar("A", bound="ToolArgs")

#: Validation context key, set when arguments are read to walk every page of a listing: an
#: argument model may then take more than one call could (recordings: any range of dates).
WALKING = "walking"
#: Deeper than any argument model nests (arguments, then recurrence): input nested deeper is
#: refused before it reaches a recursive helper, a validator or a framework's logging.
_MAX_DEPTH = 10
#: At most this many problems are listed in one refusal, so a huge input gives a short message.
_MAX_LISTED = 10


class _Unusable:
    """What ``bounded`` puts in place of a value no check could handle safely."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"<{self.reason}>"


_TOO_DEEP = _Unusable(
    "is nested too deeply: parameters are plain values, and recurrence one object of them"
)
_TOO_LARGE = _Unusable("the number is too large: Zoom's numbers fit in 64 bits")


def bounded(value: Any, depth: int = 0) -> Any:
    """A copy of ``value`` that is safe to print and to walk.

    ``null`` values are left out of objects (models often send null for "not given"); lists
    and objects nested deeper than any tool's arguments, and integers beyond 64 bits (no Zoom
    number is; the longest cannot even be printed), are replaced by markers the checks report.
    """
    if isinstance(value, Mapping):
        if depth >= _MAX_DEPTH:
            return _TOO_DEEP
        return {k: bounded(v, depth + 1) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        if depth >= _MAX_DEPTH:
            return _TOO_DEEP
        return [bounded(v, depth + 1) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 63:
        return _TOO_LARGE
    return value


def _nested_model(info: FieldInfo | None) -> type[BaseModel] | None:
    """The argument model a field holds (recurrence), if any."""
    if info is None:
        return None
    for t in getattr(info.annotation, "__args__", (info.annotation,)):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@functools.cache
def _names_by_alias(model: type[BaseModel]) -> dict[str, str]:
    """Field names by their camelCase alias (the name itself when it has none)."""
    return {info.alias or name: name for name, info in model.model_fields.items()}


def _problems(model: type[BaseModel] | None, value: Any, path: str) -> Iterator[FieldError]:
    """What the argument model cannot report well: markers, odd keys, names given twice."""
    if isinstance(value, _Unusable):
        yield FieldError(path, value.reason)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _problems(None, item, f"{path}[{i}]")
    elif isinstance(value, dict):
        fields = model.model_fields if model is not None else {}
        by_alias = _names_by_alias(model) if model is not None else {}
        for alias, name in by_alias.items():
            if alias != name and alias in value and name in value:
                yield FieldError(
                    _join(path, alias), f"given twice, as {alias} and {name}; give it once"
                )
        for key, item in value.items():
            if not isinstance(key, str):
                yield FieldError(path, f"parameter names must be text, not {type(key).__name__}")
                continue
            nested = _nested_model(fields.get(by_alias.get(key, key)))
            yield from _problems(nested, item, _join(path, key))


def _refusal(op: AnyOperation, errors: list[FieldError]) -> ZoomValidationError:
    listed = errors[:_MAX_LISTED]
    if len(errors) > len(listed):
        listed.append(FieldError("", f"and {len(errors) - len(listed)} more problems"))
    return ZoomValidationError(listed, operation=op.name)


def _required(op: AnyOperation) -> list[str]:
    fields = op.args_model.model_fields
    return [info.alias or name for name, info in fields.items() if info.is_required()]


def _from_plain_value(op: AnyOperation, value: Any, kind: str) -> dict[str, Any]:
    """Text (or a number) given instead of named arguments: the tool's one required parameter."""
    required = _required(op)
    if len(required) == 1:
        return {required[0]: value}
    example = "{" + ", ".join(f'"{name}": ...' for name in required) + "}"
    raise _refusal(
        op,
        [
            FieldError(
                "",
                f"give the arguments as a JSON object of named parameters, e.g. {example}, "
                f"not {kind}",
            )
        ],
    )


def _from_text(op: AnyOperation, text: str) -> Any:
    """Arguments given as text: a JSON object is the arguments; other text is one value."""
    if not text.strip().startswith("{"):
        return _from_plain_value(op, text, "plain text")
    try:
        parsed = json.loads(text)
    except RecursionError:
        raise _refusal(op, [FieldError("", "the JSON arguments are nested too deeply")]) from None
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise _refusal(
            op,
            [FieldError("", f"the text looks like a JSON object but is not valid JSON ({reason})")],
        ) from None
    return parsed


def arguments_from(op: AnyOperation, raw: Any) -> dict[str, Any]:
    """The named arguments in ``raw``, as every entry point accepts them.

    ``raw`` is a mapping (camelCase or snake_case keys; ``null`` means not given), ``None``,
    or what text-based agents send: a JSON object as text, or the bare value of a tool's one
    required parameter (``"85746065432"`` for zoom_get_meeting). Input nested too deeply,
    numbers beyond 64 bits and a parameter given under both spellings are refused here.
    Raises ZoomValidationError.
    """
    value = bounded(_from_text(op, raw) if isinstance(raw, str) else raw)
    if value is None:
        return {}
    if isinstance(value, _Unusable):
        raise _refusal(op, [FieldError("", f"the arguments: {value.reason}")])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _from_plain_value(op, value, "a plain value")
    if not isinstance(value, dict):
        kind = type(raw).__name__
        raise _refusal(
            op, [FieldError("", f"arguments must be an object of named parameters, not {kind}")]
        )
    problems = list(_problems(op.args_model, value, ""))
    if problems:
        raise _refusal(op, problems)
    return value


def _field_name(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """The camelCase parameter path of a pydantic error location."""
    parts: list[str] = []
    current: type[BaseModel] | None = model
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            continue
        name = item
        if current is not None and item in current.model_fields:
            info = current.model_fields[item]
            name = info.alias or item
            current = _nested_model(info)
        else:
            current = None
        parts.append(("." if parts else "") + name)
    return "".join(parts)


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel]:
    """The (nested) argument model that holds the field at ``loc``."""
    current = model
    for item in loc:
        nested = _nested_model(current.model_fields.get(str(item)))
        if nested is not None:
            current = nested
    return current


def _shown(value: Any) -> str | None:
    """The refused value as the message quotes it, or None when it is not quoted."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    if isinstance(value, int) and value.bit_length() > 63:
        return None
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _message(model: type[BaseModel], err: Mapping[str, Any]) -> FieldError:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    name = _field_name(model, loc) if loc else ""
    text = str(err.get("msg", "is invalid"))
    text = text.removeprefix("Value error, ")
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        allowed = ", ".join(f.alias or n for n, f in owner.model_fields.items())
        return FieldError(name, f"unknown parameter; allowed parameters are: {allowed}")
    if kind == "missing":
        return FieldError(name, "is required")
    value = err.get("input")
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        # Imported here: the field types load pydantic's constraint machinery, which the
        # client's import does without, and a refusal comes after the model was built anyway.
        from zoom_agent_tools._fields import pattern_message

        text = pattern_message(str(err.get("ctx", {}).get("pattern")), value) or text
    secret = any(str(p) in SECRET_BODY_KEYS for p in loc)
    shown = _shown(value)
    if loc and not secret and kind not in ("model_type",) and shown is not None:
        text = f"{text} (got {shown})"
    # Whole-model rules (empty name) name their own parameters.
    return FieldError(name, text)


def parse_arguments(op: Operation[..., A, Any], raw: Any, *, walking: bool = False) -> A:
    """Validate ``raw`` into ``op``'s argument model; ``raw`` is read as ``arguments_from`` says.

    ``walking``: the arguments are to walk every page (see WALKING). Raises
    ZoomValidationError naming each bad parameter and what is allowed.
    """
    if isinstance(raw, op.args_model):
        return raw  # validated already, under rules at least as strict
    given = arguments_from(op, raw)
    try:
        return op.args_model.model_validate(given, context={WALKING: walking})
    except ValidationError as exc:
        raise _validation_error(op, exc) from None


def _validation_error(op: AnyOperation, exc: ValidationError) -> ZoomValidationError:
    """The ZoomValidationError for what ``op``'s argument model refused."""
    return _refusal(op, [_message(op.args_model, e) for e in exc.errors()])
