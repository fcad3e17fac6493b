"""Compact JSON schemas of the argument models, sized for a model's context."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import core_schema

__all__ = ["CompactJsonSchema"]


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = definitions[ref.rsplit("/", 1)[-1]]
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return {**_inline_refs(target, definitions), **_inline_refs(siblings, definitions)}
        return {k: _inline_refs(v, definitions) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, definitions) for v in node]
    return node


class CompactJsonSchema(GenerateJsonSchema):
    """JSON schemas without titles, null branches, null defaults or refs.

    An optional argument is simply left out of ``required``; spelling out ``anyOf [..., null]``
    and ``"default": null`` for each of ~60 parameters costs tokens on every agent turn.
    """

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        result = super().default_schema(schema)
        if result.get("default", ...) is None:
            result.pop("default")
        return result

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def generate(self, schema: Any, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        result = super().generate(schema, mode=mode)
        definitions = result.pop("$defs", {})
        # The tool's description says what the call does; a model's docstring would repeat it.
        for node in (result, *definitions.values()):
            node.pop("title", None)
            node.pop("description", None)
        # Nested models are written in place: "$ref" with sibling keys is read differently by
        # different tool-calling layers, and there are no recursive argument models.
        inlined: JsonSchemaValue = _inline_refs(result, definitions)
        return inlined
