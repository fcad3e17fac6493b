"""What the model is told: every bound the argument models enforce is in the tool schema.

The expectation is derived from the models themselves: each parameter of each tool is probed
with values inside and outside the bounds its schema states, and with arbitrary values, and
the model's verdict on that parameter must match the schema's. Canonical values only: the
models also tolerate surrounding whitespace, ids given as numbers and "true"/"false" text,
which the schema does not advertise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, validators
from jsonschema import ValidationError as SchemaError
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ValidationError

from zoom_agent_tools import OPERATIONS, AccessTokenAuth, ZoomClient
from zoom_agent_tools.arguments import ToolArgs
from zoom_agent_tools.langchain import ZoomToolkit

#: JSON Schema keywords a tool schema may use (no pydantic-only keys such as ge/le).
STANDARD = {
    "type",
    "description",
    "properties",
    "required",
    "additionalProperties",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
}
#: Parameters with a rule beyond what JSON Schema can say compactly; for them the schema must
#: still refuse nothing the model accepts.
SEMANTIC = {
    "topic": "visible text only (no control or invisible characters)",
    "timezone": "one of the IANA time zone names",
    "startTime": "a real calendar date and time",
    "endDateTime": "a real calendar date and time",
    "from": "a real calendar date",
    "to": "a real calendar date",
}
#: Bytes of the ten tools' schemas, and of the four meeting-intelligence tools' together.
SCHEMA_BUDGET = 12 * 1024
INTELLIGENCE_BUDGET = 3 * 1024
INTELLIGENCE = {
    "zoom_list_past_meeting_instances",
    "zoom_get_meeting_transcript",
    "zoom_get_meeting_summary",
    "zoom_get_meeting_attendance",
}


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    # JSON Schema patterns are ECMA-262 regular expressions, whose \d and \w are ASCII.
    if validator.is_type(instance, "string") and not re.search(pattern, instance, re.ASCII):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


Schema = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@dataclass(frozen=True)
class Param:
    tool: str
    path: tuple[str, ...]  # camelCase names, e.g. ("recurrence", "weeklyDays")
    schema: dict[str, Any]
    model: type[ToolArgs]

    def __str__(self) -> str:
        return f"{self.tool}:{'.'.join(self.path)}"

    def arguments(self, value: Any) -> dict[str, Any]:
        args: Any = value
        for name in reversed(self.path):
            args = {name: args}
        return args  # type: ignore[no-any-return]

    def model_accepts(self, value: Any) -> bool:
        """Whether the model finds nothing wrong with this parameter (other rules aside)."""
        try:
            self.model.model_validate(self.arguments(value))
        except ValidationError as exc:
            return not any(
                tuple(str(p) for p in e["loc"][: len(self.path)]) == self.path for e in exc.errors()
            )
        return True

    def schema_accepts(self, value: Any) -> bool:
        return bool(_validator(self).is_valid(value))


def _params() -> Iterator[Param]:
    for op in OPERATIONS:
        schema = op.args_model.model_json_schema(by_alias=True)
        pending = [((), schema)]
        while pending:
            prefix, node = pending.pop()
            for name, prop in node.get("properties", {}).items():
                path = (*prefix, name)
                if prop.get("type") == "object":
                    pending.append((path, prop))
                else:
                    yield Param(op.name, path, prop, op.args_model)


PARAMS = list(_params())


_VALIDATORS = {str(p): Schema(p.schema) for p in PARAMS}


def _validator(param: Param) -> Any:
    return _VALIDATORS[str(param)]


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_schemas_use_only_standard_json_schema_keywords() -> None:
    for op in OPERATIONS:
        schema = op.args_model.model_json_schema(by_alias=True)
        for prop in (p.schema for p in PARAMS if p.tool == op.name):
            assert set(prop) <= STANDARD, (op.name, set(prop) - STANDARD)
        for node in _walk(schema):
            assert not {"ge", "le", "gt", "lt"} & set(node), (op.name, node)


def test_every_bound_is_in_the_schema_the_models_are_shown() -> None:
    """The OpenAI-format tool definitions carry the same keywords as the argument models."""
    client = ZoomClient(AccessTokenAuth("schema-token-0123456"), base_url="http://127.0.0.1:9/v2")
    shown = {
        t.name: convert_to_openai_tool(t)["function"]["parameters"]
        for t in ZoomToolkit(client=client).get_tools()
    }
    for param in PARAMS:
        node = shown[param.tool]
        for name in param.path:
            node = node["properties"][name]
        bounds = {k: v for k, v in param.schema.items() if k != "description"}
        assert {k: node.get(k) for k in bounds} == bounds, str(param)


def test_the_schemas_fit_their_budgets() -> None:
    client = ZoomClient(AccessTokenAuth("schema-token-0123456"), base_url="http://127.0.0.1:9/v2")
    tools = [convert_to_openai_tool(t) for t in ZoomToolkit(client=client).get_tools()]

    def size(chosen: list[dict[str, Any]]) -> int:
        return len(json.dumps(chosen, separators=(",", ":"), ensure_ascii=False).encode())

    ten = [t for t in tools if t["function"]["name"] not in INTELLIGENCE]
    four = [t for t in tools if t["function"]["name"] in INTELLIGENCE]
    assert len(ten) == 10
    assert len(four) == 4
    assert size(ten) <= SCHEMA_BUDGET, size(ten)
    assert size(four) <= INTELLIGENCE_BUDGET, size(four)


def _integers(schema: dict[str, Any]) -> set[int]:
    probes = {-(2**31), -2, -1, 0, 1, 2, 3, 7, 10, 31, 60, 99, 100, 300, 1440, 10**6, 2**31}
    for key in ("minimum", "maximum"):
        if key in schema:
            probes |= {schema[key] - 1, schema[key], schema[key] + 1}
    for member in schema.get("enum", []):
        probes |= {member - 1, member, member + 1}
    return probes


@pytest.mark.parametrize("param", [p for p in PARAMS if p.schema["type"] == "integer"], ids=str)
def test_integer_parameters_accept_exactly_what_the_schema_states(param: Param) -> None:
    for value in sorted(_integers(param.schema)):
        assert param.model_accepts(value) == param.schema_accepts(value), (str(param), value)
    if "minimum" in param.schema:
        assert param.model_accepts(param.schema["minimum"])
        assert not param.model_accepts(param.schema["minimum"] - 1)
    if "maximum" in param.schema:
        assert param.model_accepts(param.schema["maximum"])
        assert not param.model_accepts(param.schema["maximum"] + 1)


@pytest.mark.parametrize(
    "param",
    [p for p in PARAMS if p.schema["type"] == "string" and "pattern" not in p.schema],
    ids=str,
)
def test_string_lengths_are_the_schemas(param: Param) -> None:
    for key, inside, outside in (("maxLength", 0, 1), ("minLength", 0, -1)):
        if key in param.schema:
            length = param.schema[key]
            assert param.model_accepts("x" * (length + inside)), (str(param), key)
            if length + outside >= 0:
                assert not param.model_accepts("x" * (length + outside)), (str(param), key)


def _strings(param: Param) -> st.SearchStrategy[str]:
    options: list[st.SearchStrategy[str]] = [
        st.text(max_size=30),
        st.text(st.characters(codec="ascii"), max_size=30),
        st.text(st.sampled_from("0123456789aAzZ+/=-_.@%, :T"), max_size=40),
    ]
    if "pattern" in param.schema:
        options.append(st.from_regex(param.schema["pattern"], fullmatch=True))
    if "enum" in param.schema:
        options.append(st.sampled_from(param.schema["enum"]))
    if "maxLength" in param.schema:
        options.append(st.text(st.sampled_from("ab1@.-"), min_size=param.schema["maxLength"] - 2))
    # Canonical values only: the models strip surrounding whitespace.
    return st.one_of(options).filter(lambda s: s == s.strip())


STRING_PARAMS = [p for p in PARAMS if p.schema["type"] == "string"]
_STRINGS = {str(p): _strings(p) for p in STRING_PARAMS}


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_string_parameters_accept_what_the_schema_states(data: st.DataObject) -> None:
    param = data.draw(st.sampled_from(STRING_PARAMS), label="param")
    value = data.draw(_STRINGS[str(param)], label="value")
    model, schema = param.model_accepts(value), param.schema_accepts(value)
    if model:
        assert schema, f"{param} accepts {value!r}, which its schema forbids"
    if not schema:
        assert not model
    if param.path[-1] not in SEMANTIC:
        assert model == schema, f"{param} refuses {value!r}, which its schema allows"


@pytest.mark.parametrize("param", PARAMS, ids=str)
def test_every_parameter_documents_its_bounds_or_has_none(param: Param) -> None:
    # A string id or token without a pattern would let anything reach Zoom's path or query.
    if param.schema["type"] == "string" and "enum" not in param.schema:
        assert {"pattern", "maxLength"} & set(param.schema) or param.path[-1] in SEMANTIC, str(
            param
        )
