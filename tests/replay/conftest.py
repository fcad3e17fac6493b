"""Cassette fixtures: replay-only by default; ``ZOOM_RECORD=1`` records against the sandbox.

Cassette names come from the test: ``cassettes/<module>/<test>.yaml``. To record against a
real Zoom account instead, also set ``ZOOM_RECORD_TARGET=env`` and the variables that
``ZoomClient.from_env()`` reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import vcr

from zoom_agent_tools import AccessTokenAuth, ZoomClient
from zoom_agent_tools.cassettes import vcr_config

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
RECORDING = os.environ.get("ZOOM_RECORD") == "1"
#: The sandbox clock used when recording, so re-recording gives the same answers.
RECORDED_AT = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
REPLAY_BASE_URL = "http://127.0.0.1:9/v2"  # never contacted: replay answers from the cassette


def cassette_path(request: pytest.FixtureRequest) -> Path:
    module = request.node.module.__name__.rsplit(".", 1)[-1]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    return CASSETTES / module / f"{name}.yaml"


@pytest.fixture
def client(request: pytest.FixtureRequest) -> Iterator[ZoomClient]:
    """A client whose HTTP traffic is replayed from (or recorded to) the test's cassette."""
    path = cassette_path(request)
    recorder = vcr.VCR(**vcr_config(record_mode="all" if RECORDING else "none"))
    if not RECORDING:
        if not path.exists():
            pytest.fail(f"missing cassette {path.relative_to(ROOT)}: record it with ZOOM_RECORD=1")
        with (
            recorder.use_cassette(str(path)),
            ZoomClient(
                AccessTokenAuth("replayed-token"), base_url=REPLAY_BASE_URL, sleep=lambda _: None
            ) as client,
        ):
            yield client
        return
    # vcrpy's "all" mode appends to an existing file: start each recording afresh.
    path.unlink(missing_ok=True)
    if os.environ.get("ZOOM_RECORD_TARGET") == "env":
        with recorder.use_cassette(str(path)), ZoomClient.from_env() as client:
            yield client
        return
    from zoom_agent_tools.sandbox import Sandbox

    with (
        Sandbox(now=RECORDED_AT) as sandbox,
        recorder.use_cassette(str(path)),
        sandbox.client() as client,
    ):
        yield client
