"""The demo application (``zoom-agent-tools demo``): an agent drives the LangChain tools against
the embedded sandbox. Not part of the library's API."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, cast

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.tools import BaseTool

from zoom_agent_tools._redact import redact_body, redact_text
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.scripted import Exchange, ScenarioError, Step
from zoom_agent_tools.scripted.langchain import ScriptedChatModel

__all__ = ["SCENARIO", "SCENARIO_PROMPT", "run_agent", "run_demo", "summarize"]

Out = Callable[[str], None]


def _last(history: Sequence[Exchange], name: str) -> Exchange:
    for exchange in reversed(history):
        if exchange.name == name and not exchange.is_error:
            return exchange
    raise ScenarioError(f"no successful {name} call so far")


def _meeting_id(history: Sequence[Exchange]) -> str:
    return str(_last(history, "zoom_create_meeting").data["meeting"]["id"])


def _sandbox_today(history: Sequence[Exchange]) -> date:
    # The server's clock, not ours: the created meeting says when "now" is over there.
    created = str(_last(history, "zoom_create_meeting").data["meeting"].get("created_at", ""))
    try:
        return datetime.fromisoformat(created.replace("Z", "+00:00")).date()
    except ValueError:
        return datetime.now(timezone.utc).date()


def _recording(history: Sequence[Exchange]) -> dict[str, Any]:
    """The first recording listed that has files."""
    listed = _last(history, "zoom_list_recordings").data["recordings"]
    for recording in listed:
        if any(f.get("id") for f in recording.get("recording_files", [])):
            return cast(dict[str, Any], recording)
    raise ScenarioError("zoom_list_recordings found no recording with files")


def _create_weekly(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    start = (datetime.now(timezone.utc) + timedelta(days=7)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    return "zoom_create_meeting", {
        "userId": "me",
        "topic": "Weekly design sync",
        "type": 8,
        "startTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration": 30,
        "timezone": "Europe/Berlin",
        "waitingRoom": True,
        "recurrence": {"type": 2, "repeatInterval": 1, "weeklyDays": "3", "endTimes": 8},
    }


def _list_meetings_too_many(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    # A deliberate mistake: Zoom pages hold at most 300 records.
    return "zoom_list_meetings", {"userId": "me", "type": "scheduled", "pageSize": 500}


def _list_meetings_fixed(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    previous = history[-1]
    arguments = dict(previous.arguments)
    if previous.is_error and "pageSize" in previous.text:
        arguments["pageSize"] = 300
    return "zoom_list_meetings", arguments


def _get_invitation(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_get_meeting_invitation", {"meetingId": _meeting_id(history)}


def _rename(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_update_meeting", {
        "meetingId": _meeting_id(history),
        "topic": "Weekly design sync (renamed)",
    }


def _list_recordings(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    today = _sandbox_today(history)
    return "zoom_list_recordings", {
        "userId": "me",
        "from": (today - timedelta(days=27)).isoformat(),
        "to": today.isoformat(),
        "pageSize": 30,
    }


def _download_recordings(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_get_meeting_recordings", {
        "meetingId": _recording(history)["uuid"],
        "downloadFiles": True,
    }


def _participants(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_list_past_participants", {
        "meetingId": _last(history, "zoom_get_meeting_recordings").arguments["meetingId"],
        "pageSize": 100,
    }


#: The team's host in the sandbox, whose weekly standup the agent looks into.
TEAM_HOST_EMAIL = "priya.natarajan@example.com"


def _team_meetings(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_list_meetings", {"userId": TEAM_HOST_EMAIL, "type": "scheduled", "pageSize": 300}


def _standup_id(history: Sequence[Exchange]) -> str:
    for meeting in _last(history, "zoom_list_meetings").data["meetings"]:
        if "standup" in str(meeting.get("topic", "")).lower():
            return str(meeting["id"])
    raise ScenarioError("the team's meetings include no standup")


def _standup_instances(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_list_past_meeting_instances", {"meetingId": _standup_id(history)}


def _last_week(history: Sequence[Exchange]) -> dict[str, Any]:
    # The tools resolve the meeting id themselves: "previous" is the instance before the latest.
    return {"meetingId": _standup_id(history), "occurrence": "previous"}


def _standup_summary(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_get_meeting_summary", _last_week(history)


def _standup_decisions(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_get_meeting_transcript", {**_last_week(history), "query": "decision"}


def _standup_attendance(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_get_meeting_attendance", _last_week(history)


def _trash_one_file(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    fetched = _last(history, "zoom_get_meeting_recordings")
    files = [f for f in fetched.data["recording"].get("recording_files", []) if f.get("id")]
    if not files:
        raise ScenarioError("the recording has no file with an id")
    return "zoom_delete_recording", {
        "meetingId": fetched.arguments["meetingId"],
        "recordingId": files[0]["id"],
        "action": "trash",
    }


def _delete_meeting(history: Sequence[Exchange]) -> tuple[str, dict[str, Any]]:
    return "zoom_delete_meeting", {"meetingId": _meeting_id(history)}


#: The scenario: create a weekly meeting, list (with a mistake the script corrects), get the
#: invitation, rename it, list recordings, download one meeting's files, list its
#: participants; find the team's standup, its past instances, last week's summary, decisions
#: and attendance; trash one file, delete the meeting.
SCENARIO: tuple[Step, ...] = (
    _create_weekly,
    _list_meetings_too_many,
    _list_meetings_fixed,
    _get_invitation,
    _rename,
    _list_recordings,
    _download_recordings,
    _participants,
    _team_meetings,
    _standup_instances,
    _standup_summary,
    _standup_decisions,
    _standup_attendance,
    _trash_one_file,
    _delete_meeting,
)

SCENARIO_PROMPT = (
    "Using the Zoom tools for user 'me': 1) create a weekly recurring meeting 'Weekly design "
    "sync' next Wednesday at 15:00 UTC, 30 minutes, 8 occurrences; 2) list my scheduled "
    "meetings; 3) get the new meeting's invitation; 4) rename it to 'Weekly design sync "
    "(renamed)'; 5) list my cloud recordings of the last four weeks; 6) get the recordings of "
    "the first listed meeting that has files, downloading the files; 7) list that meeting's "
    f"participants; 8) find the weekly standup among the meetings of {TEAM_HOST_EMAIL}, list its "
    "past instances, and for last week's instance get the AI summary, what was said about "
    "decisions, and who attended and who missed it; 9) move one of the recording files of "
    "step 6 to the trash; 10) delete the meeting created in step 1. Then summarise what you "
    "did in two sentences."
)

_FINAL_TEXT = "Done: the scenario ran every step."


# -- printing --------------------------------------------------------------------------------


def _names(items: Sequence[dict[str, Any]], key: str, limit: int = 3) -> str:
    shown = [str(i.get(key, "?")) for i in items[:limit]]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(repr(s) for s in shown) + more


def summarize(name: str, content: dict[str, Any]) -> str:
    """A one-line summary of a tool's output, without passcodes, links or tokens."""
    if "meeting" in content:
        m = content["meeting"]
        occurrences = len(m.get("occurrences") or [])
        extra = f", {occurrences} occurrences" if occurrences else ""
        return f"meeting {m.get('id')} {m.get('topic')!r} (type {m.get('type')}{extra})"
    if "meetings" in content:
        meetings = content["meetings"]
        return f"{len(meetings)} meetings: {_names(meetings, 'topic')}"
    if "invitation" in content:
        lines = str(content["invitation"]).count("\n") + 1
        return f"invitation text ({lines} lines; not shown here: it holds the passcode)"
    if "recordings" in content:
        recordings = content["recordings"]
        return f"{len(recordings)} recordings: {_names(recordings, 'topic')}"
    if "recording" in content:
        r = content["recording"]
        files = content.get("files") or []
        count = len(r.get("recording_files") or [])
        size = sum(int(f.get("size") or 0) for f in files)
        saved = f"; downloaded {len(files)} ({size:,} bytes)" if files else ""
        for key, label in (("skippedFiles", "skipped"), ("failedFiles", "failed")):
            if content.get(key):
                saved += f"; {len(content[key])} {label}: {content[key][0].get('reason')}"
        return f"{r.get('topic')!r}: {count} files{saved}"
    if "participants" in content:
        people = content["participants"]
        return f"{len(people)} participants: {_names(people, 'name')}"
    if "state" in content:
        return f"{content['state']}: {content.get('message', '')}"
    if "instances" in content:
        instances = content["instances"]
        newest = f", newest {instances[0].get('startTime')}" if instances else ""
        return f"{len(instances)} ended instances{newest}"
    if "summary" in content:
        return f"AI summary {content.get('title')!r} ({len(str(content['summary'])):,} characters)"
    if "turns" in content:
        turns = content["turns"]
        matching = [t for t in turns if t.get("match")]
        speakers = sorted({str(t.get("speaker")) for t in matching if t.get("speaker")})
        return f"{len(matching)} matching turns of {len(turns)} shown, by {', '.join(speakers)}"
    if "attendees" in content:
        absent = content.get("absent") or []
        missed = f"; missed it: {_names(absent, 'name')}" if absent else "; nobody usual missed it"
        return f"{len(content['attendees'])} attended{missed}"
    if content.get("success") is True:
        return "success"
    return f"{name} answered with {', '.join(sorted(content))}"


def _shown_arguments(arguments: dict[str, Any]) -> str:
    text = json.dumps(redact_body(arguments), separators=(",", ":"), ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "..."


def _report(step: int, exchange: Exchange, out: Out) -> None:
    out(f"[{step}] {exchange.name} {_shown_arguments(exchange.arguments)}")
    if exchange.is_error:
        text = exchange.text if len(exchange.text) <= 300 else exchange.text[:297] + "..."
        out(f"    -> error: {text}")
    else:
        out(f"    -> {summarize(exchange.name, exchange.data)}")


# -- the agent loop --------------------------------------------------------------------------


@dataclass
class AgentRun:
    """What an agent loop did: its tool calls and its final answer."""

    exchanges: list[Exchange] = field(default_factory=list)
    answer: str = ""


def run_agent(
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    *,
    prompt: str = SCENARIO_PROMPT,
    out: Out = print,
    max_turns: int = 30,
) -> AgentRun:
    """Let ``model`` call ``tools`` until it answers in text (or ``max_turns`` is reached)."""
    by_name = {tool.name: tool for tool in tools}
    bound = model.bind_tools(list(tools))
    messages: list[BaseMessage] = [
        SystemMessage(
            "You operate Zoom through the tools given. When a tool answers with an error, "
            "read it, correct the call and try again."
        ),
        HumanMessage(prompt),
    ]
    run = AgentRun()
    for _ in range(max_turns):
        reply = bound.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            run.answer = reply.text
            return run
        for call in reply.tool_calls:
            tool = by_name.get(call["name"])
            if tool is None:
                answer = ToolMessage(
                    f"There is no tool {call['name']!r}; use one of: {', '.join(by_name)}.",
                    tool_call_id=call["id"] or "",
                    status="error",
                )
            else:
                answer = tool.invoke(call)
            messages.append(answer)
            exchange = Exchange(
                call["name"], dict(call["args"]), answer.text, answer.status == "error"
            )
            run.exchanges.append(exchange)
            _report(len(run.exchanges), exchange, out)
    run.answer = f"(stopped after {max_turns} turns)"
    return run


# -- the command ---------------------------------------------------------------------------


class _DemoSetupError(Exception):
    pass


def _real_model(spec: str) -> BaseChatModel:
    """The chat model named ``provider:model``, with a clear error when it cannot be used."""
    provider, sep, name = spec.partition(":")
    if not sep or not provider or not name:
        raise _DemoSetupError(
            f"--model must look like provider:model (e.g. openai:gpt-4.1-mini), got {spec!r}."
        )
    try:
        from langchain.chat_models import init_chat_model
    except ImportError:
        raise _DemoSetupError(
            "A real model needs the 'langchain' package: pip install 'zoom-agent-tools[all]'."
        ) from None
    try:
        return init_chat_model(name, model_provider=provider)
    except ImportError as exc:
        raise _DemoSetupError(f"The {provider} integration is not installed: {exc}") from None
    except Exception as exc:
        # Each provider's package reads its own API key and says, in its own error type,
        # which variable is missing or what option is wrong.
        reason = redact_text(f"{type(exc).__name__}: {exc}")
        raise _DemoSetupError(f"Could not set up {spec}: {reason}") from None


def run_demo(model: str | None = None, out: Out = print) -> int:
    """Start the embedded sandbox and run the scenario through the LangChain tools.

    Without ``model`` a scripted model plays the scenario; with ``provider:model`` (and the
    provider's package and API key) that LLM drives the same tools. Returns an exit status.
    """
    try:
        chat = (
            ScriptedChatModel(steps=SCENARIO, final_text=_FINAL_TEXT)
            if model is None
            else _real_model(model)
        )
    except _DemoSetupError as exc:
        out(f"error: {exc}")
        return 2
    from zoom_agent_tools.sandbox import Sandbox

    def approve(name: str, arguments: dict[str, Any]) -> bool:
        out(f"    (approval asked for {name} {_shown_arguments(arguments)}: approved for the demo)")
        return True

    driver = "a scripted model" if model is None else model
    with tempfile.TemporaryDirectory(prefix="zoom-demo-") as folder, Sandbox() as sandbox:
        client = sandbox.client(download_dir=folder)
        tools = ZoomToolkit(client=client, approve=approve).get_tools()
        out(f"Sandbox Zoom API at {client.base_url}; {driver} drives {len(tools)} tools.")
        try:
            run = run_agent(chat, tools, out=out)
        except ScenarioError as exc:
            out(f"error: the scenario could not continue: {exc}")
            return 1
        except Exception as exc:
            if model is None:
                raise
            # The provider's API failed (key refused, quota, network): say so, no traceback.
            out(f"error: {model} failed: {type(exc).__name__}: {redact_text(str(exc))}")
            return 1
        failed = [e for e in run.exchanges if e.is_error]
        out(f"Answer: {run.answer}")
        out(f"{len(run.exchanges)} tool calls, {len(failed)} answered with an error.")
    return 0
