"""Scripted models: stand-ins for an LLM that play a script of tool calls, with no network and
no API key, for demos, notebooks and tests.

A script is a sequence of steps. Before each turn the model reads the tool calls made so far
and what each tool answered (``Exchange``); the next step makes the next call from them, so a
step can correct a call that failed or use an id an earlier call returned. After the last
step the model answers in text. ``scripted.langchain.ScriptedChatModel`` is a LangChain chat
model, ``scripted.llamaindex.scripted_llm`` a LlamaIndex LLM; each imports its framework.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Answer", "Exchange", "ScenarioError", "Step", "next_call"]


class ScenarioError(RuntimeError):
    """A scripted step needs something an earlier call did not give."""


@dataclass(frozen=True)
class Exchange:
    """One tool call the model made, and the text it got back."""

    name: str
    arguments: dict[str, Any]
    text: str
    is_error: bool

    @property
    def data(self) -> dict[str, Any]:
        """The tool's JSON output; ScenarioError when the call failed."""
        if self.is_error:
            raise ScenarioError(f"{self.name} failed: {self.text}")
        value = json.loads(self.text)
        if not isinstance(value, dict):
            raise ScenarioError(f"{self.name} did not return a JSON object")
        return value

    @classmethod
    def from_text(
        cls, name: str, arguments: dict[str, Any], text: str, is_error: bool | None = None
    ) -> Exchange:
        """An exchange; when the framework does not say whether it failed, non-JSON is an error."""
        if is_error is None:
            try:
                is_error = not isinstance(json.loads(text), dict)
            except ValueError:
                is_error = True
        return cls(name, arguments, text, is_error)


#: One scripted step: the next tool call (name, camelCase arguments) from the calls so far.
Step = Callable[[Sequence[Exchange]], tuple[str, dict[str, Any]]]
#: The model's final answer, written from the calls made.
Answer = Callable[[Sequence[Exchange]], str]


def next_call(
    steps: Sequence[Step], history: Sequence[Exchange]
) -> tuple[str, dict[str, Any]] | None:
    """The scripted tool call after ``history``, or None when the script is finished."""
    if len(history) >= len(steps):
        return None
    return steps[len(history)](history)
