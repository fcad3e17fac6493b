"""A scripted LlamaIndex LLM for ``FunctionAgent`` (see ``zoom_agent_tools.scripted``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.llms.mock import MockFunctionCallingLLM

from zoom_agent_tools.scripted import Answer, Exchange, Step, next_call

__all__ = ["llama_history", "scripted_llm"]


def llama_history(messages: Sequence[ChatMessage]) -> list[Exchange]:
    """The tool calls in ``messages``, each with the tool message that answered it."""
    calls: dict[str, ToolCallBlock] = {}
    history: list[Exchange] = []
    for message in messages:
        if message.role == MessageRole.ASSISTANT:
            for block in message.blocks:
                if isinstance(block, ToolCallBlock):
                    calls[block.tool_call_id or ""] = block
        elif message.role == MessageRole.TOOL:
            call = calls.get(message.additional_kwargs.get("tool_call_id", ""))
            if call is not None:
                kwargs = call.tool_kwargs if isinstance(call.tool_kwargs, dict) else {}
                text = message.content or ""
                history.append(Exchange.from_text(call.tool_name, dict(kwargs), text))
    return history


def scripted_llm(
    steps: Sequence[Step], *, answer: Answer | None = None, final_text: str = "Done."
) -> MockFunctionCallingLLM:
    """An LLM that calls the tools ``steps`` choose, turn by turn, then answers with
    ``answer`` of the calls made (or ``final_text``)."""

    def respond(messages: Sequence[ChatMessage], **kwargs: Any) -> ChatMessage:
        history = llama_history(messages)
        call = next_call(steps, history)
        if call is None:
            text = answer(history) if answer is not None else final_text
            return ChatMessage(role=MessageRole.ASSISTANT, content=text)
        name, arguments = call
        block = ToolCallBlock(
            tool_call_id=f"call_{len(history) + 1}", tool_name=name, tool_kwargs=arguments
        )
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=[block])

    return MockFunctionCallingLLM(response_generator=respond)
