"""Cassettes hold no secrets, and each belongs to a test that replays it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.replay import test_recorded_zoom
from tests.replay.conftest import CASSETTES
from zoom_agent_tools.cassettes import scrub_response

SECRET_PATTERNS = [
    re.compile(r"Bearer [A-Za-z0-9._-]{12,}"),
    re.compile(r"Basic [A-Za-z0-9+/=]{12,}"),
    re.compile(
        r"(access_token|refresh_token|download_access_token|zak|pwd|code_verifier)"
        r"=[A-Za-z0-9._~-]{6,}"
    ),
    re.compile(
        r'"(access_token|refresh_token|download_access_token|password|h323_password|'
        r'pstn_password|encrypted_password|start_url)"\s*:\s*"(?!\*\*redacted\*\*)[^"]+"'
    ),
    re.compile(r"(?i)passcode:\s*(?!\*\*redacted)[A-Za-z0-9@*_-]+"),
    # One-tap dial strings: "+15550100101,,85689026570#,,,,*582086#".
    re.compile(r"#,+\*[0-9]+#"),
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
]


def all_cassettes() -> list[Path]:
    return sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes() -> None:
    assert len(all_cassettes()) >= 5


@pytest.mark.parametrize("path", all_cassettes(), ids=lambda p: p.name)
def test_cassette_holds_no_secret(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for pattern in SECRET_PATTERNS:
        match = pattern.search(text)
        assert match is None, f"{path.name} holds a secret-like value: {match.group(0)[:40]}"


def test_every_cassette_belongs_to_a_test() -> None:
    tests = {name for name in dir(test_recorded_zoom) if name.startswith("test_")}
    for path in all_cassettes():
        assert path.parent.name == "test_recorded_zoom"
        assert path.stem in tests, f"stale cassette {path.name}"


def test_the_scrubber_catches_what_the_scan_looks_for() -> None:
    leaky = (
        b'{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",'
        b'"start_url":"https://zoom.us/s/1?zak=abcdefghijkl","password":"p4ss",'
        b'"join_url":"https://zoom.us/j/1?pwd=abcdefghijkl",'
        b'"invitation":"Join\\r\\nPasscode: 795037\\r\\n'
        b'One tap mobile\\r\\n+15550100101,,85689026570#,,,,*582086# US\\r\\n"}'
    )
    response = {"headers": {"Content-Type": ["application/json"]}, "body": {"string": leaky}}
    scrubbed = scrub_response(response)["body"]["string"].decode()
    for pattern in SECRET_PATTERNS:
        assert pattern.search(scrubbed) is None, pattern.pattern
    # ...and the scan does flag the unscrubbed text, so it can fail.
    assert sum(bool(p.search(leaky.decode())) for p in SECRET_PATTERNS) >= 4
