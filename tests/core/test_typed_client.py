"""The client's methods are typed from the argument models: type checkers catch a misspelt or
mistyped argument, and help() and editors show the real parameters."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

from zoom_agent_tools import OPERATIONS, AccessTokenAuth, ZoomClient

TYPING = Path(__file__).parents[1] / "typing"
ROOT = TYPING.parents[1]


def _expected_errors(path: Path) -> dict[int, str]:
    """Line number -> words mypy's message must hold, from the ``# error:`` markers."""
    marked: dict[int, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if "# error:" in line:
            marked[number] = line.split("# error:", 1)[1].strip()
    return marked


def test_mypy_accepts_correct_calls_and_reports_each_mistake() -> None:
    ok, errors = TYPING / "typed_ok.py", TYPING / "typed_errors.py"
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", str(ok), str(errors)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    reported: dict[tuple[str, int], list[str]] = {}
    for line in run.stdout.splitlines():
        match = re.match(r"(.+?):(\d+): error: (.*)", line)
        if match:
            reported.setdefault((Path(match[1]).name, int(match[2])), []).append(match[3])
    assert not [key for key in reported if key[0] == ok.name], run.stdout
    expected = _expected_errors(errors)
    assert len(expected) == 8
    assert sorted(line for name, line in reported if name == errors.name) == sorted(expected)
    for line, words in expected.items():
        messages = reported[(errors.name, line)]
        assert any(words in message for message in messages), (line, messages)


@pytest.fixture(scope="module")
def client() -> ZoomClient:
    return ZoomClient(AccessTokenAuth("typed-client-token"), base_url="http://127.0.0.1:9/v2")


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_each_method_shows_its_parameters_and_description(client: ZoomClient, op: object) -> None:
    from zoom_agent_tools.operations import AnyOperation

    assert isinstance(op, type(OPERATIONS[0]))
    operation: AnyOperation = op
    method = getattr(client, operation.method_name)
    signature = inspect.signature(method)
    fields = operation.args_model.model_fields
    assert list(signature.parameters) == list(fields)
    for name, parameter in signature.parameters.items():
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        assert (parameter.default is inspect.Parameter.empty) == fields[name].is_required()
    doc = inspect.getdoc(method) or ""
    assert doc.startswith(operation.description)
    for name, info in fields.items():
        assert f"{name}{'' if info.is_required() else ' (optional)'}: {info.description}" in doc
    shown = inspect.signature(getattr(ZoomClient, operation.method_name))
    assert list(shown.parameters) == ["self", *fields]


def test_help_and_signatures_read_like_plain_methods(client: ZoomClient) -> None:
    assert str(inspect.signature(client.get_meeting)) == (
        "(*, meeting_id: str, occurrence_id: str | None = None, "
        "show_previous_occurrences: bool | None = None)"
    )
    assert "from_: str | None = None" in str(inspect.signature(client.iter_recordings))
    assert inspect.getdoc(client.iter_recordings).startswith("Every item, page after page:")
    assert "create_meeting" in dir(client)
    assert client.create_meeting.__name__ == "create_meeting"
    assert ZoomClient.create_meeting.__qualname__ == "ZoomClient.create_meeting"
