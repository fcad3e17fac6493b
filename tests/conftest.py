"""Shared test settings."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins: list[str] = ["tests.crafted_urls", "tests.sandboxes"]


@pytest.fixture(autouse=True)
def _no_zoom_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never pick up real Zoom credentials from the environment, nor a stored
    connection or the OS keyring of whoever runs them."""
    monkeypatch.setenv("ZOOM_AGENT_TOOLS_CONFIG_DIR", str(tmp_path / "zoom-agent-tools-config"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for name in (
        "ZOOM_ACCESS_TOKEN",
        "ZOOM_ACCOUNT_ID",
        "ZOOM_CLIENT_ID",
        "ZOOM_CLIENT_SECRET",
        "ZOOM_API_BASE_URL",
        "ZOOM_OAUTH_BASE_URL",
        "ZOOM_DOWNLOAD_DIR",
        "ZOOM_PROFILE",
        "ZOOM_REDIS_URL",
        "ZOOM_TOKEN_KEY",
        "ZOOM_RATE_PLAN",
        "ZOOM_RATE_LIMITS",
    ):
        monkeypatch.delenv(name, raising=False)
