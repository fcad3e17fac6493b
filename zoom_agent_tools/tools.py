"""The framework-neutral tool layer: the only seam the adapters (and an MCP server) use.

``ZoomTools`` holds the selected operations and the one shared client, and runs a tool call
as an agent makes it: input read and validated, destructive calls approved, the result shown
as JSON without tokens (and without the host's ``start_url`` unless asked), files saved, and
every failure turned into a message the agent can act on (a past meeting with nothing to
give yet is a result with a ``state``, not a failure).
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from typing_extensions import Unpack

from zoom_agent_tools._input import arguments_from, parse_arguments
from zoom_agent_tools._redact import SECRET_BODY_KEYS, SECRET_QUERY_PARAMS
from zoom_agent_tools.arguments import ToolArgs
from zoom_agent_tools.client import ZoomClient
from zoom_agent_tools.errors import ZoomError, ZoomUnavailableError
from zoom_agent_tools.models import DownloadedFile, ZoomObject
from zoom_agent_tools.operations import OPERATIONS, AnyOperation

__all__ = [
    "Approver",
    "ToolOptions",
    "ToolOutcome",
    "ZoomTools",
    "select_operations",
    "to_json",
]

#: ``approve(tool_name, arguments)`` is called before a destructive call with the tool's name
#: and its camelCase arguments. Only ``True`` lets the call run: anything else (``False``,
#: ``None``, a truthy string) refuses it, and nothing is sent to Zoom. May be ``async`` when
#: the tools are called asynchronously.
Approver = Callable[[str, dict[str, Any]], bool | Awaitable[bool]]

# Passcodes are part of the tools' documented output, and start_url has its own option;
# everything else on the shared secret lists is a credential and never reaches a model.
_SHOWN_SECRETS = frozenset(
    {"password", "h323_password", "pstn_password", "encrypted_password", "start_url"}
)
_TOKEN_KEYS = SECRET_BODY_KEYS - _SHOWN_SECRETS
# A join link's ``pwd`` is the meeting passcode, which the output shows anyway.
_TOKEN_QUERY_PARAMS = SECRET_QUERY_PARAMS - {"pwd"}


@dataclass(frozen=True)
class ToolOutcome:
    """One tool call as the agent sees it: the text, the saved files, and whether it failed.

    ``content`` is the JSON-ready output (None for an error); ``text`` is what the model reads:
    compact JSON, or an actionable error message.
    """

    name: str
    arguments: Mapping[str, Any]
    text: str
    content: dict[str, Any] | None = None
    files: tuple[DownloadedFile, ...] = ()
    is_error: bool = False
    #: What the client returned, before the tool shaped it (see ``ZoomTools.full_output``).
    result: Any = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        state = "error" if self.is_error else "ok"
        return f"ToolOutcome(name={self.name!r}, {state}, files={len(self.files)})"


def to_json(content: Any) -> str:
    """Compact JSON text, as tool content is given to a model."""
    return json.dumps(content, separators=(",", ":"), ensure_ascii=False)


def select_operations(
    include: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    *,
    read_only: bool = False,
) -> tuple[AnyOperation, ...]:
    """The operations to expose, in the order of the tool contract.

    Unknown names are an error, and so is including a tool that changes data when
    ``read_only`` is set.
    """
    known = {op.name: op for op in OPERATIONS}
    wanted = list(include) if include is not None else None
    unwanted = set(exclude)
    unknown = sorted({*(wanted or ()), *unwanted} - known.keys())
    if unknown:
        raise ValueError(
            f"unknown Zoom tool name(s): {', '.join(unknown)}; known tools: {', '.join(known)}"
        )
    if read_only and wanted is not None:
        writers = [name for name in wanted if known[name].writes]
        if writers:
            raise ValueError(
                f"read_only=True excludes tools that change data, but include names "
                f"{', '.join(writers)}"
            )
    chosen = [
        op
        for op in OPERATIONS
        if (wanted is None or op.name in wanted)
        and op.name not in unwanted
        and not (read_only and op.writes)
    ]
    return tuple(chosen)


def _strip_token_params(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in _TOKEN_QUERY_PARAMS]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _scrub(value: Any, show_start_url: bool) -> Any:
    """A copy of ``value`` without tokens, and without start_url unless it is to be shown."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in _TOKEN_KEYS or (key == "start_url" and not show_start_url):
                continue
            out[key] = item if key == "start_url" else _scrub(item, show_start_url)
        return out
    if isinstance(value, list):
        return [_scrub(item, show_start_url) for item in value]
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return _strip_token_params(value)
    return value


class ToolOptions(TypedDict, total=False):
    """The options of a set of Zoom tools, declared once: ``ZoomTools`` and both adapters take
    them as keyword arguments and pass them on unchanged.

    ``include``/``exclude``: tools chosen by name (default all; unknown names are an error).
    ``read_only``: leave out every tool that changes data (default False).
    ``approve``: asked before each destructive call (see ``Approver``; default none).
    ``show_start_url``: show the host's ``start_url``, which logs its holder in as the host
    (default False: withheld).
    """

    include: Iterable[str] | None
    exclude: Iterable[str]
    read_only: bool
    approve: Approver | None
    show_start_url: bool


class ZoomTools:
    """The selected Zoom operations, run as an agent's tool calls.

    Validates the arguments, asks ``approve`` before a destructive call, calls Zoom through
    the one shared client, withholds the host's ``start_url`` (unless ``show_start_url``) and
    every token, and turns Zoom and validation errors into messages the agent can act on.
    Programming errors are not caught.
    """

    def __init__(self, client: ZoomClient | None = None, **options: Unpack[ToolOptions]) -> None:
        unknown = sorted(options.keys() - ToolOptions.__annotations__.keys())
        if unknown:
            known = ", ".join(ToolOptions.__annotations__)
            raise TypeError(f"unknown Zoom tool option(s): {', '.join(unknown)}; options: {known}")
        self.operations = select_operations(
            options.get("include"),
            options.get("exclude", ()),
            read_only=options.get("read_only", False),
        )
        self.client = client if client is not None else ZoomClient.from_env()
        self.approve = options.get("approve")
        self.show_start_url = options.get("show_start_url", False)
        self._by_name = {op.name: op for op in self.operations}

    def __repr__(self) -> str:
        names = ", ".join(self._by_name)
        return f"ZoomTools(client={self.client!r}, tools=[{names}])"

    def operation(self, name: str) -> AnyOperation:
        """The selected operation called ``name``."""
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"{name!r} is not one of the selected Zoom tools") from None

    def arguments(self, name: str, raw: Any) -> dict[str, Any]:
        """The named arguments in ``raw`` (see ``_input.arguments_from``).

        Raises ZoomValidationError for input that no tool call could hold.
        """
        return arguments_from(self.operation(name), raw)

    def call(self, name: str, arguments: Mapping[str, Any] | str | None = None) -> ToolOutcome:
        """Run one tool call for a program, not an agent: no approval is asked, and Zoom and
        validation failures are raised (ZoomError) instead of returned (a past meeting with
        nothing to give yet is a result with a ``state``, as for ``run``).

        ``arguments`` is read as ``run`` reads it.
        """
        op = self.operation(name)
        given, parsed = self._read(op, arguments)
        return self._call(op, parsed, given)

    def run(self, name: str, arguments: Mapping[str, Any] | str | None = None) -> ToolOutcome:
        """Run one tool call; Zoom, validation and approval failures come back as errors.

        ``arguments`` is a mapping, or text as agents send it: a JSON object, or the value of
        a tool's one required parameter.
        """
        op = self.operation(name)
        given: dict[str, Any] = {}
        try:
            given, parsed = self._read(op, arguments)
            if self._needs_approval(op):
                verdict = self._ask(op, parsed)
                if inspect.isawaitable(verdict):
                    _discard(verdict)
                    raise TypeError(
                        "the approve callback is async: call the tools with ainvoke/acall, or "
                        "pass a plain function"
                    )
                if verdict is not True:
                    return _refused(op, given)
            return self._call(op, parsed, given)
        except ZoomError as exc:
            return ToolOutcome(op.name, given, str(exc), is_error=True)

    async def arun(
        self, name: str, arguments: Mapping[str, Any] | str | None = None
    ) -> ToolOutcome:
        """``run`` for async agents: Zoom (and a plain approve callback) run in a worker thread,
        so the event loop never waits on them; an async approve callback is awaited."""
        op = self.operation(name)
        given: dict[str, Any] = {}
        try:
            given, parsed = self._read(op, arguments)
            if self._needs_approval(op):
                approve = self.approve
                if inspect.iscoroutinefunction(approve) or inspect.iscoroutinefunction(
                    getattr(approve, "__call__", None)  # noqa: B004 - async callable objects
                ):
                    verdict = self._ask(op, parsed)
                else:
                    verdict = await asyncio.to_thread(self._ask, op, parsed)
                if inspect.isawaitable(verdict):
                    verdict = await verdict
                if verdict is not True:
                    return _refused(op, given)
            return await asyncio.to_thread(self._call, op, parsed, given)
        except ZoomError as exc:
            return ToolOutcome(op.name, given, str(exc), is_error=True)

    @staticmethod
    def _read(op: AnyOperation, arguments: Any) -> tuple[dict[str, Any], ToolArgs]:
        """The named arguments as given, and validated."""
        given = arguments_from(op, arguments)
        return given, parse_arguments(op, given)

    def _needs_approval(self, op: AnyOperation) -> bool:
        return op.destructive and self.approve is not None

    def _ask(self, op: AnyOperation, parsed: ToolArgs) -> object:
        assert self.approve is not None
        shown = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return self.approve(op.name, shown)

    def _call(self, op: AnyOperation, parsed: ToolArgs, given: dict[str, Any]) -> ToolOutcome:
        """Call Zoom; the tool's output without secrets, and the files it saved.

        A past meeting with nothing of the kind to give (yet) is a result, not an error: the
        agent reads its ``state`` and ``nextStep``.
        """
        try:
            result = self.client.execute(op, parsed)
        except ZoomUnavailableError as unavailable:
            content: dict[str, Any] = _scrub(unavailable.to_output(), self.show_start_url)
            return ToolOutcome(op.name, given, to_json(content), content)
        content = op.present(result)
        files: tuple[DownloadedFile, ...] = ()
        if op.saves_files:
            content["files"] = []
            if getattr(parsed, "download_files", False):
                # Progress bars are for people: an agent reads the outcome only.
                download = self.client.download_recording_files(result, progress=False)
                content.update(download.to_output())
                files = tuple(download.saved)
        content = _scrub(content, self.show_start_url)
        return ToolOutcome(op.name, given, to_json(content), content, files, result=result)

    def full_output(self, outcome: ToolOutcome) -> dict[str, Any] | None:
        """Zoom's whole answer behind a successful ``outcome``: every field Zoom sent, also
        those the tool leaves out, withheld as in the tool's output (tokens, and start_url
        unless shown). None for an error."""
        if outcome.is_error or outcome.content is None:
            return None
        result = outcome.result
        if not isinstance(result, ZoomObject):
            return outcome.content
        full: dict[str, Any] = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if self.operation(outcome.name).saves_files:
            # Saved files are the tool's doing, not Zoom's answer: keep its account of them.
            full.update({k: v for k, v in outcome.content.items() if k != "recording"})
        return dict(_scrub(full, self.show_start_url))


def _discard(awaitable: object) -> None:
    close = getattr(awaitable, "close", None)
    if callable(close):
        close()  # a coroutine that will never run: close it, so Python does not warn


def _refused(op: AnyOperation, given: dict[str, Any]) -> ToolOutcome:
    text = (
        f"{op.name} was not run: the approval check refused it, so nothing was sent to Zoom. "
        "Suggestion: do not retry this call; tell the user it was declined, or ask them how "
        "to proceed."
    )
    return ToolOutcome(op.name, given, text, is_error=True)
