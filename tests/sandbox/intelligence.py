"""Shared pieces of the meeting-intelligence sandbox tests: paths, seeded ids, WebVTT parsing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests

from tests.sandbox.conftest import NOW, ZoomHTTP, counting_ticker
from zoom_agent_tools.sandbox import INTELLIGENCE_UUIDS, TEAM_HOST_ID, Sandbox
from zoom_agent_tools.sandbox.clock import parse_utc

INSTANCES = "/past_meetings/{meetingId}/instances"
DETAILS = "/past_meetings/{meetingId}"
PARTICIPANTS = "/past_meetings/{meetingId}/participants"
SUMMARY = "/meetings/{meetingId}/meeting_summary"
TRANSCRIPT = "/meetings/{meetingId}/transcript"
RECORDINGS = "/meetings/{meetingId}/recordings"
UUIDS = INTELLIGENCE_UUIDS
STANDUP_KEYS = [key for key in UUIDS if key.startswith("standup_")]
TIMING = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)$")


def team_http(sandbox: Sandbox) -> ZoomHTTP:
    """Spec-checked HTTP calls with a long-lived token holding the default scopes."""
    return ZoomHTTP(sandbox, sandbox.issue_token(ttl=400 * 86400))


def module_http() -> Iterator[ZoomHTTP]:
    """Calls to one sandbox shared by a module's read-only tests (``http.sandbox`` is it)."""
    with Sandbox(now=NOW, rate_ticker=counting_ticker()) as sandbox:
        yield team_http(sandbox)


def times(uuid: str) -> int:
    """How often Zoom's rule says to URL-encode ``uuid`` in a path."""
    return 2 if uuid.startswith("/") or "//" in uuid else 1


def team_meeting(sandbox: Sandbox, topic: str) -> int:
    """The id of the seeded team meeting with ``topic``."""
    return next(
        int(m["id"]) for m in sandbox.store.list_meetings(TEAM_HOST_ID) if m["topic"] == topic
    )


def download(
    http: ZoomHTTP, url: str, token: str | None = None, **headers: str
) -> requests.Response:
    bearer = {"Authorization": f"Bearer {token or http.token}"}
    return http.session.get(url, headers={**bearer, **headers}, timeout=30)


@dataclass(frozen=True)
class Cue:
    number: int | None
    start: float
    end: float
    payload: str


def _seconds(parts: tuple[str, ...]) -> float:
    hours, minutes, seconds, millis = (int(p) for p in parts)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def parse_vtt(text: str, newline: str) -> list[Cue]:
    """Strictly parse a Zoom WebVTT file whose lines all end with ``newline``."""
    assert text.startswith("WEBVTT" + newline + newline)
    assert text.endswith(newline)
    other = "\r\n" if newline == "\n" else "\n"
    assert other not in text.replace(newline, "")
    cues = []
    for block in text[len("WEBVTT") + 2 * len(newline) :].rstrip(newline).split(newline * 2):
        lines = block.split(newline)
        number = int(lines.pop(0)) if len(lines) == 3 else None
        timing = TIMING.match(lines[0])
        assert timing is not None, lines[0]
        assert len(lines) == 2, block
        groups = timing.groups()
        cues.append(Cue(number, _seconds(groups[:4]), _seconds(groups[4:]), lines[1]))
    return cues


def at(instance_start: str, offset: float) -> datetime:
    """The moment ``offset`` seconds into an instance that started at ``instance_start``."""
    return parse_utc(instance_start) + timedelta(seconds=offset)
