"""Secrets never leave: not in reprs, error texts or logs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from zoom_agent_tools import ZoomAPIError, ZoomError
from zoom_agent_tools._redact import redact_body, redact_text, redact_url
from zoom_agent_tools.errors import error_from_response
from zoom_agent_tools.models import Meeting, Recording

ZAK = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ6YWsiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA"


def test_meeting_repr_hides_passcodes_and_start_url() -> None:
    meeting = Meeting(
        id=1,
        start_url=f"https://zoom.us/s/1?zak={ZAK}",
        join_url="https://zoom.us/j/1?pwd=c2VjcmV0cGFzcw",
        password="s3cret",
        h323_password="998877",
        pstn_password="998877",
        encrypted_password="c2VjcmV0cGFzcw",
    )
    text = repr(meeting) + str(meeting)
    for secret in (ZAK, "s3cret", "998877", "c2VjcmV0cGFzcw"):
        assert secret not in text
    assert "id=1" in text


def test_recording_repr_hides_download_token() -> None:
    rec = Recording.model_validate(
        {"uuid": "u", "download_access_token": ZAK, "recording_play_passcode": "pl4y"}
    )
    assert ZAK not in repr(rec)
    assert "pl4y" not in repr(rec)


def test_error_texts_are_scrubbed() -> None:
    err = error_from_response(
        400,
        {
            "code": 300,
            "message": f"bad start_url https://zoom.us/s/1?zak={ZAK} Bearer abcdefghijkl",
        },
        action="create a meeting",
    )
    assert isinstance(err, ZoomAPIError)
    for text in (str(err), repr(err), err.zoom_message or ""):
        assert ZAK not in text
        assert "abcdefghijkl" not in text
    assert ZAK not in str(ZoomError(f"token={ZAK}"))


@pytest.mark.parametrize(
    ("raw", "hidden"),
    [
        ("Authorization: Bearer abc.def-123456", "abc.def-123456"),
        ("https://x/?access_token=tok123456&a=1", "tok123456"),
        ('{"refresh_token": "r-123456"}', "r-123456"),
        (ZAK, ZAK),
        ('{"token": "tok-secret-1"}', "tok-secret-1"),
        ("{'access_token': 'tok-secret-2'}", "tok-secret-2"),
        ("https://zoom.us/s/1%3Fzak%3Dtok-secret-3", "tok-secret-3"),
        ("code_verifier: tok-secret-4", "tok-secret-4"),
        ('{"recording_play_passcode": "pl4y-secret"}', "pl4y-secret"),
    ],
)
def test_redact_text(raw: str, hidden: str) -> None:
    assert hidden not in redact_text(raw)


def test_redaction_keeps_ordinary_messages() -> None:
    message = 'password: must be 1-10 characters; {"code": 3001, "message": "gone"}'
    assert redact_text(message) == message


def test_redact_url_and_body() -> None:
    assert (
        redact_url("https://zoom.us/s/1?zak=abc&x=1") == "https://zoom.us/s/1?zak=**redacted**&x=1"
    )
    body = redact_body({"meeting": {"password": "p", "topic": "t", "start_url": "u"}})
    assert body == {
        "meeting": {"password": "**redacted**", "topic": "t", "start_url": "**redacted**"}
    }


def test_import_loads_no_agent_framework() -> None:
    code = (
        "import sys, zoom_agent_tools, zoom_agent_tools.client, zoom_agent_tools.operations;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('langchain','langchain_core',"
        "'llama_index','langgraph')]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
