"""Every way a tool can be called, behind one signature, for tests that must cover them all.

Each entry point takes a tool name and the raw input an agent or a program gives (a mapping,
text, or anything else) and answers whether the call failed and the text it produced. Only
the package's own error types are turned into answers; any other exception escapes, so a test
that awaits every entry point proves that none leaks.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from llama_index.core.tools import FunctionTool, ToolOutput

from zoom_agent_tools import AccessTokenAuth, RetryPolicy, ZoomClient, ZoomError
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.operations import get_operation
from zoom_agent_tools.tools import ZoomTools


@dataclass(frozen=True)
class Answer:
    """What one call produced: whether it failed, and the text the caller sees."""

    error: bool
    text: str


class CountingSession(requests.Session):
    """A session that sends nothing: it counts requests and answers each with Zoom's 404."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append(request)
        response = requests.Response()
        response.status_code = 404
        response._content = json.dumps({"code": 3001, "message": "Not found."}).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url or ""
        response.request = request
        return response


def counting_client(tmp_dir: str) -> tuple[ZoomClient, CountingSession]:
    """A client whose every request is counted and answered 404, never retried."""
    session = CountingSession()
    client = ZoomClient(
        AccessTokenAuth("entry-point-token-0123456789"),
        base_url="https://api.zoom.us/v2",
        session=session,
        retry=RetryPolicy(max_retries=0),
        sleep=lambda _: None,
        download_dir=tmp_dir,
    )
    return client, session


def _message(result: Any) -> Answer:
    assert isinstance(result, ToolMessage), result
    return Answer(result.status == "error", str(result.content))


def _output(result: Any) -> Answer:
    assert isinstance(result, ToolOutput), result
    return Answer(bool(result.is_error), result.content)


class EntryPoints:
    """The ten tools of one client through LangChain, LlamaIndex, ZoomTools and the client."""

    def __init__(self, client: ZoomClient) -> None:
        self.client = client
        self.langchain: dict[str, BaseTool] = {
            t.name: t for t in ZoomToolkit(client=client).get_tools()
        }
        self.llamaindex: dict[str, FunctionTool] = {
            t.metadata.name: t for t in ZoomToolSpec(client).to_tool_list()
        }
        self.tools = ZoomTools(client)

    def all(self, raw: Any = None) -> dict[str, Callable[[str, Any], Awaitable[Answer]]]:
        """Every entry point that takes ``raw``, by name.

        The client's typed methods take keyword arguments only, so they take a mapping (with
        text keys); every other entry point takes anything.
        """
        points = {
            "langchain": self.langchain_sync,
            "langchain-async": self.langchain_async,
            "llamaindex": self.llamaindex_sync,
            "llamaindex-async": self.llamaindex_async,
            "ZoomTools.run": self.zoom_tools_sync,
            "ZoomTools.arun": self.zoom_tools_async,
            "ZoomTools.call": self.zoom_tools_call,
            "client.<method>": self.method,
            "client.execute": self.execute,
        }
        if not (isinstance(raw, Mapping) and all(isinstance(k, str) for k in raw)):
            del points["client.<method>"]
        return points

    async def langchain_sync(self, name: str, raw: Any) -> Answer:
        tool = self.langchain[name]
        if isinstance(raw, dict):
            call = {"name": name, "args": raw, "id": "call-1", "type": "tool_call"}
            return _message(tool.invoke(call))
        # Text agents hand the tool a plain string (or whatever they parsed).
        return _message(tool.run(raw, tool_call_id="call-1"))

    async def langchain_async(self, name: str, raw: Any) -> Answer:
        tool = self.langchain[name]
        if isinstance(raw, dict):
            call = {"name": name, "args": raw, "id": "call-1", "type": "tool_call"}
            return _message(await tool.ainvoke(call))
        return _message(await tool.arun(raw, tool_call_id="call-1"))

    async def llamaindex_sync(self, name: str, raw: Any) -> Answer:
        tool = self.llamaindex[name]
        return _output(tool.call(**raw) if isinstance(raw, Mapping) else tool.call(raw))

    async def llamaindex_async(self, name: str, raw: Any) -> Answer:
        tool = self.llamaindex[name]
        return _output(await (tool.acall(**raw) if isinstance(raw, Mapping) else tool.acall(raw)))

    async def zoom_tools_sync(self, name: str, raw: Any) -> Answer:
        outcome = self.tools.run(name, raw)
        return Answer(outcome.is_error, outcome.text)

    async def zoom_tools_async(self, name: str, raw: Any) -> Answer:
        outcome = await self.tools.arun(name, raw)
        return Answer(outcome.is_error, outcome.text)

    async def zoom_tools_call(self, name: str, raw: Any) -> Answer:
        try:
            return Answer(False, self.tools.call(name, raw).text)
        except ZoomError as exc:
            return Answer(True, str(exc))

    async def method(self, name: str, raw: Mapping[str, Any]) -> Answer:
        method = getattr(self.client, get_operation(name).method_name)
        try:
            result = method(**raw)
        except ZoomError as exc:
            return Answer(True, str(exc))
        return Answer(False, repr(result))

    async def execute(self, name: str, raw: Any) -> Answer:
        try:
            return Answer(False, repr(self.client.execute(get_operation(name), raw)))
        except ZoomError as exc:
            return Answer(True, str(exc))
