"""A scripted LangChain chat model (see ``zoom_agent_tools.scripted``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, ToolCall, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from zoom_agent_tools.scripted import Answer, Exchange, Step, next_call

__all__ = ["ScriptedChatModel", "exchanges_from_messages"]


def exchanges_from_messages(messages: Sequence[BaseMessage]) -> list[Exchange]:
    """The tool calls of a LangChain conversation, each with the ToolMessage that answered it."""
    calls: dict[str, ToolCall] = {}
    history: list[Exchange] = []
    for message in messages:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                calls[call["id"] or ""] = call
        elif isinstance(message, ToolMessage) and message.tool_call_id in calls:
            call = calls[message.tool_call_id]
            history.append(
                Exchange(call["name"], dict(call["args"]), message.text, message.status == "error")
            )
    return history


class ScriptedChatModel(BaseChatModel):
    """A chat model that needs no network: each turn, the next of ``steps``, chosen from the
    tool results so far, becomes its tool call; after the last step it answers in text:
    ``answer`` of the calls made, or ``final_text``."""

    steps: tuple[Step, ...] = ()
    final_text: str = "Done."
    answer: Answer | None = None

    @property
    def _llm_type(self) -> str:
        return "zoom-agent-tools-scripted"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        # The script already names its tools; binding changes nothing.
        return cast(Runnable[LanguageModelInput, AIMessage], self)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        history = exchanges_from_messages(messages)
        call = next_call(self.steps, history)
        if call is None:
            text = self.answer(history) if self.answer is not None else self.final_text
            message = AIMessage(content=text)
        else:
            name, arguments = call
            tool_call = ToolCall(
                name=name, args=arguments, id=f"call_{len(history) + 1}", type="tool_call"
            )
            message = AIMessage(content="", tool_calls=[tool_call])
        return ChatResult(generations=[ChatGeneration(message=message)])
