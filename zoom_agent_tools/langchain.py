"""LangChain adapter: the Zoom operations as a BaseToolkit of BaseTools."""

# No ``from __future__ import annotations``: LangChain reads _run's type hints on every call,
# and real objects cost less to read than strings to evaluate.
from typing import Any

from langchain_core.tools import ArgsSchema, BaseTool, BaseToolkit, ToolException
from pydantic import ConfigDict, Field, PrivateAttr
from typing_extensions import Unpack

from zoom_agent_tools._input import bounded
from zoom_agent_tools.client import ZoomClient
from zoom_agent_tools.errors import ZoomError
from zoom_agent_tools.operations import AnyOperation
from zoom_agent_tools.tools import ToolOptions, ToolOutcome, ZoomTools

__all__ = ["ZoomTool", "ZoomToolkit"]


class ZoomTool(BaseTool):
    """One Zoom operation as a LangChain tool; ZoomToolkit builds them.

    The ``args_schema`` is the JSON schema of the operation's argument model: the arguments
    are validated once, by the tool layer with that model, and not first by LangChain.
    Zoom, validation and approval failures reach the agent as an error ToolMessage with an
    actionable text; other exceptions are raised. Async calls run the blocking client in a
    worker thread. Text input (``tool.invoke("85746065432")``, as text-based agents call
    tools) is read as the arguments' JSON object, or as the value of the tool's one required
    parameter.
    """

    zoom_tools: ZoomTools = Field(exclude=True, repr=False)
    handle_tool_error: bool = True

    @classmethod
    def for_operation(cls, op: AnyOperation, zoom_tools: ZoomTools) -> "ZoomTool":
        """The tool for ``op``, calling Zoom through ``zoom_tools``."""
        return cls(
            name=op.name,
            description=op.description,
            args_schema=op.args_model.model_json_schema(by_alias=True),
            response_format="content_and_artifact" if op.saves_files else "content",
            zoom_tools=zoom_tools,
        )

    @property
    def tool_call_schema(self) -> ArgsSchema:
        # The description is the tool's own, not repeated inside its parameters' schema.
        return self.args_schema if self.args_schema is not None else super().tool_call_schema

    def run(self, tool_input: Any, *args: Any, **kwargs: Any) -> Any:
        # LangChain prints the input for its callbacks before anything checks it: give it a
        # copy that is safe to print (no deep nesting, no number too long for str()).
        return super().run(bounded(tool_input), *args, **kwargs)

    async def arun(self, tool_input: Any, *args: Any, **kwargs: Any) -> Any:
        return await super().arun(bounded(tool_input), *args, **kwargs)

    def _parse_input(self, tool_input: Any, tool_call_id: str | None) -> str | dict[str, Any]:
        # Named arguments go to the tool layer as they are (it reads and validates them once).
        # Text, and what no tool call could hold, is read (or refused) here as every entry
        # point does: LangChain takes neither with a JSON-schema args_schema.
        if isinstance(tool_input, dict) and all(isinstance(k, str) for k in tool_input):
            return tool_input
        try:
            return self.zoom_tools.arguments(self.name, tool_input)
        except ZoomError as exc:
            raise ToolException(str(exc)) from None

    def _run(self, **kwargs: Any) -> Any:
        return self._answer(self.zoom_tools.run(self.name, kwargs))

    async def _arun(self, **kwargs: Any) -> Any:
        return self._answer(await self.zoom_tools.arun(self.name, kwargs))

    def _answer(self, outcome: ToolOutcome) -> str | tuple[str, list[Any]]:
        if outcome.is_error:
            raise ToolException(outcome.text)
        if self.response_format == "content_and_artifact":
            return outcome.text, list(outcome.files)
        return outcome.text


class ZoomToolkit(BaseToolkit):
    """Zoom meeting and cloud-recording tools for LangChain agents.

    Warning: with these tools an agent can create, change and delete meetings (a recurring
    meeting's whole series at once), e-mail cancellations to registrants, and move cloud
    recordings to the trash or delete them permanently, as the connected Zoom user. Give it
    only the tools it needs (``include``/``exclude``, ``read_only=True``) and pass ``approve``
    to confirm every destructive call (zoom_delete_meeting, zoom_delete_recording) before it
    is sent; a refusal reaches the agent as an error message and nothing is sent.

    ``client`` defaults to ``ZoomClient.from_env()`` (built here, without network I/O); the
    other options are ``tools.ToolOptions``. The host's ``start_url`` logs its holder in as
    the host: it is withheld from the model unless ``show_start_url=True``; access and
    download tokens are never shown.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    client: ZoomClient = Field(repr=False)

    _zoom_tools: ZoomTools = PrivateAttr()
    _tools: list[BaseTool] = PrivateAttr(default_factory=list)

    def __init__(self, *, client: ZoomClient | None = None, **options: Unpack[ToolOptions]) -> None:
        fields = {"client": client if client is not None else ZoomClient.from_env()}
        super().__init__(**fields)
        zoom_tools = self._zoom_tools = ZoomTools(self.client, **options)
        self._tools = [ZoomTool.for_operation(op, zoom_tools) for op in zoom_tools.operations]

    def __repr__(self) -> str:
        return f"ZoomToolkit({self._zoom_tools!r})"

    def get_tools(self) -> list[BaseTool]:
        """The selected tools, in the order of the tool contract."""
        return list(self._tools)
