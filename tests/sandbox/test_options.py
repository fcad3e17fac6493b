"""Sandbox options are declared once (SandboxOptions); everything else is derived or checked."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any, get_type_hints

import pytest

import zoom_agent_tools.sandbox as sandbox_package
from tests.sandbox.conftest import NOW
from zoom_agent_tools import cli
from zoom_agent_tools.sandbox import Sandbox, SandboxApp, SandboxOptions
from zoom_agent_tools.sandbox.options import OptionKeywords


def test_option_keywords_are_the_option_fields() -> None:
    fields = get_type_hints(SandboxOptions)
    assert get_type_hints(OptionKeywords) == fields
    assert list(OptionKeywords.__annotations__) == list(fields)


def test_sandbox_adds_serving_and_nothing_it_would_pass_through() -> None:
    # Sandbox once re-declared SandboxApp's helpers (add_recording, issue_token, ...) just to
    # pass them on; now it inherits them and only overrides what serving changes.
    shared = set(vars(Sandbox)) & set(vars(SandboxApp)) - {"__doc__", "__module__"}
    assert shared == {"__init__", "__enter__", "__exit__"}
    assert not set(vars(Sandbox)) & {"add_recording", "issue_token", "register_client"}


def test_every_flag_belongs_to_an_option_and_shows_its_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    flagged = {f.name: f for f in dataclasses.fields(SandboxOptions) if f.metadata.get("flag")}
    assert set(flagged) == {
        "db_path",
        "plan",
        "rate_limits",
        "daily_meeting_writes",
        "page_token_ttl",
        "token_ttl",
        "html_download_errors",
        "seed",
    }
    parsed = vars(cli._parser().parse_args(["sandbox"]))
    assert {name: parsed[name] for name in flagged} == {
        name: option.default for name, option in flagged.items()
    }
    assert set(parsed) - set(flagged) == {"command", "host", "allow_remote", "port"}
    with pytest.raises(SystemExit):
        cli.main(["sandbox", "--help"])
    shown = capsys.readouterr().out
    for option in flagged.values():
        assert option.metadata["flag"].name in shown
    assert "(default: 900," in shown
    assert "(default: 3600)" in shown


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"plan": "enterprise"}, "plan: unknown plan 'enterprise'"),
        ({"token_ttl": 0}, "token_ttl: must be 1-31536000 seconds"),
        ({"page_token_ttl": float("nan")}, "page_token_ttl: must be a positive number"),
        ({"page_token_ttl": 10.0**9}, "page_token_ttl: must be at most 31536000"),
        ({"seed": ""}, "seed: must not be empty"),
        ({"daily_meeting_writes": 0}, "daily_meeting_writes: must be 1-100 requests"),
        ({"now": NOW, "clock": lambda: NOW}, "give now or clock, not both"),
    ],
)
def test_python_callers_get_the_command_lines_checks(options: dict[str, Any], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        SandboxOptions(**options)
    with pytest.raises(ValueError, match=says):
        SandboxApp(**options)


def test_options_and_keywords_combine() -> None:
    base = SandboxOptions(now=NOW, plan="free")
    with SandboxApp(base, plan="pro", token_ttl=60) as app:
        assert app.options == dataclasses.replace(base, plan="pro", token_ttl=60)
        assert (app.limiter.plan, app.oauth.token_ttl, app.clock()) == ("pro", 60, NOW)


def test_a_template_is_copied_and_stays_as_it_was(tmp_path: Path) -> None:
    template = tmp_path / "seeded.sqlite3"
    with SandboxApp(now=NOW) as seeded:
        seeded.save(template)
        meetings = seeded.store.list_meetings(seeded.user_id)
        credentials = (seeded.account_id, seeded.client_id, seeded.client_secret)
    saved = template.read_bytes()
    with Sandbox(now=NOW, template=str(template)) as copy:
        assert (copy.account_id, copy.client_id, copy.client_secret) == credentials
        assert copy.store.list_meetings(copy.user_id) == meetings
        with copy.client() as client:
            client.create_meeting(user_id="me", topic="Only in the copy")
    assert template.read_bytes() == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeded.sqlite3"]
    kept = tmp_path / "kept.sqlite3"
    with SandboxApp(now=NOW, template=str(template), db_path=str(kept)) as persisted:
        persisted.issue_token()
    with pytest.raises(ValueError, match="already exists"):
        SandboxApp(template=str(template), db_path=str(kept))
    with pytest.raises(FileNotFoundError):
        SandboxApp(template=str(tmp_path / "missing.sqlite3"))


def test_the_package_names_load_lazily() -> None:
    source = Path(sandbox_package.__file__).read_text(encoding="utf-8")
    checked = next(
        node for node in ast.parse(source).body if isinstance(node, ast.If)
    )  # the TYPE_CHECKING block
    imported = {
        alias.name: node.module
        for node in checked.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert {
        name: f"zoom_agent_tools.sandbox.{home}" for name, home in sandbox_package._HOMES.items()
    } == imported
    for name, module in imported.items():
        assert getattr(sandbox_package, name) is getattr(importlib.import_module(str(module)), name)
    with pytest.raises(AttributeError):
        sandbox_package.no_such_name  # noqa: B018


def test_the_command_lines_help_imports_no_web_framework() -> None:
    code = (
        "import sys\n"
        "from zoom_agent_tools import cli\n"
        "cli._parser()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('werkzeug', "
        "'zoom_agent_tools.sandbox.app'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
