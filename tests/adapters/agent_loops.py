"""Reading a LlamaIndex agent's conversation as the scripted models' tool-call history."""

from __future__ import annotations

from collections.abc import Sequence

from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock

from zoom_agent_tools._demo import Exchange


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
            call = calls[message.additional_kwargs["tool_call_id"]]
            assert isinstance(call.tool_kwargs, dict)
            history.append(
                Exchange.from_text(call.tool_name, dict(call.tool_kwargs), message.content or "")
            )
    return history
