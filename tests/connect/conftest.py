"""Fixtures for the connection tests: a sandbox on a fixed clock and a config dir per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sandbox.conftest import NOW, counting_ticker
from tests.sandboxes import NewSandbox
from zoom_agent_tools.sandbox import Sandbox


@pytest.fixture
def sandbox(new_sandbox: NewSandbox) -> Iterator[Sandbox]:
    with new_sandbox(now=NOW, rate_ticker=counting_ticker()) as sb:
        yield sb


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The config dir the commands use in this test (tests/conftest.py points it here)."""
    folder = tmp_path / "zoom-agent-tools-config"
    monkeypatch.setenv("ZOOM_AGENT_TOOLS_CONFIG_DIR", str(folder))
    return folder
