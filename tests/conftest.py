"""Shared test settings."""

from __future__ import annotations

import pytest

pytest_plugins: list[str] = ["tests.crafted_urls", "tests.sandboxes"]


@pytest.fixture(autouse=True)
def _no_zoom_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up real Zoom credentials from the environment."""
    for name in (
        "ZOOM_ACCESS_TOKEN",
        "ZOOM_ACCOUNT_ID",
        "ZOOM_CLIENT_ID",
        "ZOOM_CLIENT_SECRET",
        "ZOOM_API_BASE_URL",
        "ZOOM_OAUTH_BASE_URL",
        "ZOOM_DOWNLOAD_DIR",
        "ZOOM_REDIS_URL",
        "ZOOM_TOKEN_KEY",
        "ZOOM_RATE_PLAN",
        "ZOOM_RATE_LIMITS",
    ):
        monkeypatch.delenv(name, raising=False)
