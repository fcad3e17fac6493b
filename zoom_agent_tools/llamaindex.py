"""LlamaIndex adapter: the Zoom operations as a BaseToolSpec of FunctionTools."""

from __future__ import annotations

from typing import Any

from llama_index.core.tools import FunctionTool, ToolMetadata, ToolOutput
from llama_index.core.tools.tool_spec.base import SPEC_FUNCTION_TYPE, BaseToolSpec
from typing_extensions import Unpack

from zoom_agent_tools.client import ZoomClient
from zoom_agent_tools.operations import AnyOperation
from zoom_agent_tools.tools import ToolOptions, ToolOutcome, ZoomTools

__all__ = ["ZoomToolSpec"]


class ZoomToolSpec(BaseToolSpec):
    """Zoom meeting and cloud-recording tools for LlamaIndex agents.

    Warning: with these tools an agent can create, change and delete meetings (a recurring
    meeting's whole series at once), e-mail cancellations to registrants, and move cloud
    recordings to the trash or delete them permanently, as the connected Zoom user. Give it
    only the tools it needs (``include``/``exclude``, ``read_only=True``) and pass ``approve``
    to confirm every destructive call (zoom_delete_meeting, zoom_delete_recording) before it
    is sent; a refusal reaches the agent as an error output and nothing is sent.

    ``to_tool_list()`` gives one FunctionTool per selected operation, with the operation's
    argument model as ``fn_schema`` and an ``async_fn`` that runs the blocking client in a
    worker thread. Zoom, validation and approval failures come back as a ToolOutput with
    ``is_error=True`` and an actionable message. zoom_get_meeting_recordings puts the
    downloaded files (DownloadedFile models) in ``raw_output``; the other tools put their JSON
    output there. ``client`` defaults to ``ZoomClient.from_env()`` (built here, without
    network I/O); the host's ``start_url`` is withheld unless ``show_start_url=True`` and
    tokens are never shown.
    """

    def __init__(self, client: ZoomClient | None = None, **options: Unpack[ToolOptions]) -> None:
        self.zoom_tools = ZoomTools(client, **options)
        self.spec_functions: list[SPEC_FUNCTION_TYPE] = [
            op.name for op in self.zoom_tools.operations
        ]

    def __repr__(self) -> str:
        return f"ZoomToolSpec({self.zoom_tools!r})"

    def to_tool_list(
        self,
        spec_functions: list[SPEC_FUNCTION_TYPE] | None = None,
        func_to_metadata_mapping: dict[str, ToolMetadata] | None = None,
    ) -> list[FunctionTool]:
        """One FunctionTool per selected operation (or per name in ``spec_functions``)."""
        names = [_spec_name(s) for s in (spec_functions or self.spec_functions)]
        metadata = func_to_metadata_mapping or {}
        return [self._tool(self.zoom_tools.operation(n), metadata.get(n)) for n in names]

    def _tool(self, op: AnyOperation, metadata: ToolMetadata | None) -> FunctionTool:
        zoom_tools = self.zoom_tools
        name = op.name

        def call(*args: Any, **kwargs: Any) -> ToolOutcome:
            return zoom_tools.run(name, _input(args, kwargs))

        async def acall(*args: Any, **kwargs: Any) -> ToolOutcome:
            return await zoom_tools.arun(name, _input(args, kwargs))

        def to_output(outcome: ToolOutcome) -> ToolOutput:
            return _tool_output(op, outcome)

        async def ato_output(outcome: ToolOutcome) -> ToolOutput:
            return _tool_output(op, outcome)

        call.__doc__ = acall.__doc__ = op.description
        return FunctionTool.from_defaults(
            fn=call,
            async_fn=acall,
            name=name,
            description=op.description,
            fn_schema=op.args_model,
            tool_metadata=metadata,
            callback=to_output,
            async_callback=ato_output,
        )


def _input(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The call's input: keyword arguments, or the one value passed alone.

    LlamaIndex passes the only argument of a one-parameter tool positionally, and text agents
    may pass their raw text; anything else positional is refused as not named arguments.
    """
    if not args:
        return kwargs
    if len(args) == 1 and not kwargs:
        return args[0]
    return [*args, kwargs] if kwargs else list(args)


def _spec_name(spec: SPEC_FUNCTION_TYPE) -> str:
    return spec if isinstance(spec, str) else spec[0]


def _tool_output(op: AnyOperation, outcome: ToolOutcome) -> ToolOutput:
    raw: Any
    if outcome.is_error:
        raw = outcome.text
    elif op.saves_files:
        raw = list(outcome.files)
    else:
        raw = outcome.content
    return ToolOutput(
        tool_name=outcome.name,
        content=outcome.text,
        raw_input={"args": (), "kwargs": dict(outcome.arguments)},
        raw_output=raw,
        is_error=outcome.is_error,
    )
