"""The demo command: the scenario on the sandbox, printed without secrets; --model errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from zoom_agent_tools import OPERATIONS
from zoom_agent_tools import _demo as demo
from zoom_agent_tools._demo import run_demo
from zoom_agent_tools.scripted.langchain import ScriptedChatModel
from zoom_agent_tools.tools import ToolOutcome, ZoomTools

_SECRET_KEYS = ("password", "h323_password", "pstn_password", "encrypted_password")


@pytest.fixture
def outcomes(monkeypatch: pytest.MonkeyPatch) -> list[ToolOutcome]:
    """Every outcome the demo's tools produce, to know which secrets it saw."""
    seen: list[ToolOutcome] = []
    original = ZoomTools.run

    def run(self: ZoomTools, name: str, arguments: Any = None) -> ToolOutcome:
        outcome = original(self, name, arguments)
        seen.append(outcome)
        return outcome

    monkeypatch.setattr(ZoomTools, "run", run)
    return seen


def _secrets(outcomes: list[ToolOutcome]) -> set[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in _SECRET_KEYS and isinstance(item, str) and item:
                    found.add(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for outcome in outcomes:
        walk(outcome.content)
    return found


def test_demo_runs_the_scenario_and_prints_no_secrets(outcomes: list[ToolOutcome]) -> None:
    lines: list[str] = []
    assert run_demo(out=lines.append) == 0
    text = "\n".join(lines)
    steps = [line for line in lines if re.match(r"\[\d+\] zoom_", line)]
    assert [s.split()[1] for s in steps] == [
        "zoom_create_meeting",
        "zoom_list_meetings",
        "zoom_list_meetings",
        "zoom_get_meeting_invitation",
        "zoom_update_meeting",
        "zoom_list_recordings",
        "zoom_get_meeting_recordings",
        "zoom_list_past_participants",
        "zoom_list_meetings",
        "zoom_list_past_meeting_instances",
        "zoom_get_meeting_summary",
        "zoom_get_meeting_transcript",
        "zoom_get_meeting_attendance",
        "zoom_delete_recording",
        "zoom_delete_meeting",
    ]
    assert "-> error: Invalid arguments for zoom_list_meetings: pageSize" in text
    assert "15 tool calls, 1 answered with an error." in text
    # Last week's standup, as the sandbox holds it: its summary, its decisions, who missed it.
    assert "-> 7 ended instances, newest " in text
    assert "-> AI summary 'Billing cutover preparations" in text
    assert re.search(r"-> [1-9]\d* matching turns of \d+ shown, by ", text)
    assert "attended; missed it: 'Marcus Webb'" in text
    assert "approval asked for zoom_delete_meeting" in text
    secrets = _secrets(outcomes)
    assert secrets, "the demo should have seen the meeting's passcodes"
    for secret in secrets:
        assert secret not in text
    for marker in ("start_url", "zak=", "eyJ", "Bearer", "access_token", "pwd="):
        assert marker not in text


def test_demo_goes_through_uuids_that_need_double_encoding(outcomes: list[ToolOutcome]) -> None:
    assert run_demo(out=lambda _: None) == 0
    # LangChain hands the tools the arguments as the model sent them (camelCase names).
    by_uuid = [
        (o.name, str(o.arguments["meetingId"]))
        for o in outcomes
        if not o.is_error and not str(o.arguments.get("meetingId", "0")).isdigit()
    ]
    assert [name for name, _ in by_uuid] == [
        "zoom_get_meeting_recordings",
        "zoom_list_past_participants",
        "zoom_delete_recording",
    ]
    for _, uuid in by_uuid:
        # The sandbox finds such a UUID only when the client encoded it twice.
        assert uuid.startswith("/")
        assert "//" in uuid


def test_a_badly_written_model_fails_clearly() -> None:
    lines: list[str] = []
    assert run_demo("gpt-4.1", out=lines.append) == 2
    assert lines == [f"error: {lines[0].removeprefix('error: ')}"]
    assert "--model must look like provider:model" in lines[0]


def test_a_missing_api_key_is_reported_as_the_provider_says_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No table of providers' variables here: each provider's package reads its own key and
    # names it in its error, which reaches the user in one line.
    import langchain.chat_models

    def no_key(*args: Any, **kwargs: Any) -> Any:
        raise ValueError(
            "The api_key client option must be set either by passing api_key to the client "
            "or by setting the OPENAI_API_KEY environment variable"
        )

    monkeypatch.setattr(langchain.chat_models, "init_chat_model", no_key)
    lines: list[str] = []
    assert run_demo("openai:gpt-4.1-mini", out=lines.append) == 2
    assert lines == [f"error: {lines[0].removeprefix('error: ')}"]
    assert "Could not set up openai:gpt-4.1-mini: ValueError:" in lines[0]
    assert "OPENAI_API_KEY environment variable" in lines[0]


def test_missing_provider_package_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    import langchain.chat_models

    def missing(*args: Any, **kwargs: Any) -> Any:
        raise ImportError("Unable to import langchain_openai. Please install langchain-openai.")

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")
    monkeypatch.setattr(langchain.chat_models, "init_chat_model", missing)
    lines: list[str] = []
    assert run_demo("openai:gpt-4.1-mini", out=lines.append) == 2
    assert "The openai integration is not installed" in lines[0]
    assert "pip install" in lines[0] or "install" in lines[0]


def test_a_chosen_model_drives_the_same_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    import langchain.chat_models

    chosen: list[tuple[str, str]] = []

    def init_chat_model(name: str, *, model_provider: str, **kwargs: Any) -> ScriptedChatModel:
        chosen.append((model_provider, name))
        return ScriptedChatModel(steps=demo.SCENARIO[:2], final_text="Created and listed.")

    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key-not-used")
    monkeypatch.setattr(langchain.chat_models, "init_chat_model", init_chat_model)
    lines: list[str] = []
    assert run_demo("anthropic:claude-test", out=lines.append) == 0
    assert chosen == [("anthropic", "claude-test")]
    assert f"anthropic:claude-test drives {len(OPERATIONS)} tools" in lines[0]
    assert "Answer: Created and listed." in lines


def test_a_failing_model_api_is_reported_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import langchain.chat_models

    class Refused(ScriptedChatModel):
        def _generate(self, *args: Any, **kwargs: Any) -> Any:
            raise PermissionError("Incorrect API key provided: Bearer sk-abcdefghijklmnop")

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")
    monkeypatch.setattr(langchain.chat_models, "init_chat_model", lambda *a, **k: Refused())
    lines: list[str] = []
    assert run_demo("openai:gpt-test", out=lines.append) == 1
    assert lines[-1].startswith("error: openai:gpt-test failed: PermissionError: Incorrect API key")
    assert "sk-abcdefghijklmnop" not in lines[-1]
