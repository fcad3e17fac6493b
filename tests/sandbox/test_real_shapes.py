"""Shapes real Zoom answers have, seeded in the sandbox, and every tool over them.

UUIDs that begin with ``/`` or hold ``//`` (double encoding), meetings without passcode keys,
meeting pages without ``page_count``/``page_number``, meetings with registration (and their
``registration_url``), recording items with ``timezone`` and a zero ``duration``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolCall, ToolMessage

from tests.sandbox.conftest import NOW, ZoomHTTP, counting_ticker
from tests.sandboxes import NewSandbox
from zoom_agent_tools import ZoomClient
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.models import Recording
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, Sandbox
from zoom_agent_tools.tools import ZoomTools

MEETINGS = "/users/{userId}/meetings"
MEETING = "/meetings/{meetingId}"
RECORDINGS = "/meetings/{meetingId}/recordings"
PASSCODE_KEYS = ("password", "h323_password", "pstn_password", "encrypted_password")
SHORT_UUID = SPECIAL_UUIDS["slash_and_double_slash"]
NO_PASSCODE = "Support escalation"
REGISTRATION = "Customer onboarding (registration)"
SERIES_REGISTRATION = "Partner training series (registration)"


def _needs_double_encoding(uuid: str) -> bool:
    return uuid.startswith("/") or "//" in uuid


def _meeting(sandbox: Sandbox, topic: str) -> dict[str, Any]:
    [found] = [m for m in sandbox.store.list_meetings(sandbox.user_id) if m["topic"] == topic]
    return found


# -- the answers -------------------------------------------------------------------------


def test_seeded_meetings_and_instances_have_uuids_that_need_double_encoding(
    zoom_http: ZoomHTTP, sandbox: Sandbox
) -> None:
    listed: list[dict[str, Any]] = []
    params: dict[str, Any] = {"page_size": 5}
    while True:
        page = zoom_http.get(MEETINGS, {"userId": "me"}, params=params).json()
        listed += page["meetings"]
        if not page["next_page_token"]:
            break
        params["next_page_token"] = page["next_page_token"]
    special = [m["uuid"] for m in listed if _needs_double_encoding(m["uuid"])]
    assert any(u.startswith("/") for u in special)
    assert any("//" in u and not u.startswith("/") for u in special)
    assert _needs_double_encoding(SHORT_UUID)
    assert SHORT_UUID.startswith("/")
    assert "//" in SHORT_UUID
    twice = zoom_http.get(RECORDINGS, {"meetingId": SHORT_UUID}, encode_times=2)
    assert twice.status_code == 200
    assert twice.json()["uuid"] == SHORT_UUID
    once = zoom_http.get(RECORDINGS, {"meetingId": SHORT_UUID}, validate=False)
    assert once.status_code == 404


def test_a_meeting_without_any_passcode_keys(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    meeting = zoom_http.get(MEETING, {"meetingId": _meeting(sandbox, NO_PASSCODE)["id"]}).json()
    assert not set(PASSCODE_KEYS) & set(meeting)
    assert "pwd=" not in meeting["join_url"]
    # A user whose account does not require passcodes gets none on create either.
    created = zoom_http.post(
        MEETINGS, {"userId": "lin.cohost@example.com"}, json={"topic": "No code"}
    )
    assert created.status_code == 201
    assert not set(PASSCODE_KEYS) & set(created.json())


def test_pages_after_the_first_leave_out_page_count_and_page_number(zoom_http: ZoomHTTP) -> None:
    first = zoom_http.get(MEETINGS, {"userId": "me"}, params={"page_size": 4}).json()
    assert {"page_count", "page_number"} <= set(first)
    second = zoom_http.get(
        MEETINGS,
        {"userId": "me"},
        params={"page_size": 4, "next_page_token": first["next_page_token"]},
    ).json()
    assert not {"page_count", "page_number"} & set(second)
    assert second["meetings"]
    assert {"page_size", "total_records", "next_page_token"} <= set(second)


@pytest.mark.parametrize(("topic", "approval"), [(REGISTRATION, 0), (SERIES_REGISTRATION, 1)])
def test_meetings_with_registration_carry_a_registration_url(
    zoom_http: ZoomHTTP, sandbox: Sandbox, topic: str, approval: int
) -> None:
    meeting = zoom_http.get(MEETING, {"meetingId": _meeting(sandbox, topic)["id"]}).json()
    assert meeting["settings"]["approval_type"] == approval
    assert meeting["registration_url"].startswith(sandbox.oauth_base_url + "/meeting/register/")
    invitation = zoom_http.get(
        "/meetings/{meetingId}/invitation", {"meetingId": meeting["id"]}
    ).json()["invitation"]
    assert "Register in advance for this meeting:" in invitation
    assert meeting["registration_url"] in invitation
    plain = zoom_http.get(
        MEETING, {"meetingId": _meeting(sandbox, "Quarterly planning")["id"]}
    ).json()
    assert plain["settings"]["approval_type"] == 2
    assert "registration_url" not in plain


def test_recording_items_have_a_timezone_and_a_meeting_under_a_minute_has_duration_0(
    zoom_http: ZoomHTTP,
) -> None:
    day = NOW.date()
    page = zoom_http.get(
        "/users/{userId}/recordings",
        {"userId": "me"},
        params={"from": (day - timedelta(days=7)).isoformat(), "to": day.isoformat()},
    ).json()
    items = page["meetings"]
    assert items[0]["uuid"] == SHORT_UUID  # the newest: what the demo picks
    assert items[0]["duration"] == 0
    assert all(item["timezone"] == "America/Los_Angeles" for item in items)


@pytest.mark.parametrize("empty", ["missing", None, 0, ""])
def test_the_recording_model_takes_every_form_of_an_empty_duration(empty: Any) -> None:
    data: dict[str, Any] = {"uuid": "u==", "id": 1, "timezone": "UTC", "recording_files": []}
    if empty != "missing":
        data["duration"] = empty
    recording = Recording.model_validate(data)
    assert recording.duration == (0 if empty == 0 else None)
    assert recording.model_extra == {"timezone": "UTC"}
    shown = recording.to_output()
    assert shown.get("duration") == (0 if empty == 0 else None)
    assert "timezone" not in shown  # not one of the tool's output fields


# -- every tool over these shapes, through every entry point ------------------------------

Call = Callable[[str, dict[str, Any]], dict[str, Any]]


def _via_client(client: ZoomClient) -> Call:
    return lambda name, args: ZoomTools(client).call(name, args).content


def _via_tools(client: ZoomClient) -> Call:
    tools = ZoomTools(client)

    def call(name: str, args: dict[str, Any]) -> dict[str, Any]:
        outcome = tools.run(name, args)
        assert not outcome.is_error, outcome.text
        return json.loads(outcome.text)  # type: ignore[no-any-return]

    return call


def _via_langchain(client: ZoomClient) -> Call:
    tools = {t.name: t for t in ZoomToolkit(client=client).get_tools()}

    def call(name: str, args: dict[str, Any]) -> dict[str, Any]:
        message = tools[name].invoke(ToolCall(name=name, args=args, id="c1", type="tool_call"))
        assert isinstance(message, ToolMessage)
        assert message.status != "error", message.text
        return json.loads(message.text)  # type: ignore[no-any-return]

    return call


def _via_llamaindex(client: ZoomClient) -> Call:
    tools = {t.metadata.name: t for t in ZoomToolSpec(client).to_tool_list()}

    def call(name: str, args: dict[str, Any]) -> dict[str, Any]:
        output = tools[name].call(**args)
        assert not output.is_error, output.content
        return json.loads(output.content)  # type: ignore[no-any-return]

    return call


ENTRY_POINTS = {
    "client": _via_client,
    "tools": _via_tools,
    "langchain": _via_langchain,
    "llamaindex": _via_llamaindex,
}


@pytest.fixture
def fresh_sandbox(new_sandbox: NewSandbox) -> Iterator[Sandbox]:
    with new_sandbox(now=NOW, rate_ticker=counting_ticker()) as sb:
        yield sb


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_every_tool_handles_the_real_shapes(
    fresh_sandbox: Sandbox, tmp_path: Path, entry: str
) -> None:
    sandbox = fresh_sandbox
    with sandbox.client(download_dir=tmp_path) as client:
        call = ENTRY_POINTS[entry](client)
        plain = _meeting(sandbox, NO_PASSCODE)
        registered = _meeting(sandbox, REGISTRATION)

        # zoom_list_meetings: the first page has pageCount, the next ones do not.
        first = call("zoom_list_meetings", {"userId": "me", "pageSize": 4})
        assert "pageCount" in first["pageInfo"]
        uuids = [m["uuid"] for m in first["meetings"]]
        token = first["pageInfo"]["nextPageToken"]
        while token:
            page = call(
                "zoom_list_meetings", {"userId": "me", "pageSize": 4, "nextPageToken": token}
            )
            assert not {"pageCount", "pageNumber"} & set(page["pageInfo"])
            uuids += [m["uuid"] for m in page["meetings"]]
            token = page["pageInfo"].get("nextPageToken")
        assert plain["uuid"] in uuids
        assert registered["uuid"] in uuids

        # zoom_get_meeting: no passcode keys; the registration URL is shown.
        shown = call("zoom_get_meeting", {"meetingId": str(plain["id"])})["meeting"]
        assert not set(PASSCODE_KEYS) & set(shown)
        shown = call("zoom_get_meeting", {"meetingId": str(registered["id"])})["meeting"]
        assert shown["registration_url"].startswith(sandbox.oauth_base_url + "/meeting/register/")
        assert shown["settings"]["approval_type"] == 0

        # zoom_get_meeting_invitation: no passcode line; registration instead of a join link.
        text = call("zoom_get_meeting_invitation", {"meetingId": str(plain["id"])})["invitation"]
        assert "Passcode" not in text
        text = call("zoom_get_meeting_invitation", {"meetingId": str(registered["id"])})
        assert shown["registration_url"] in text["invitation"]

        # zoom_create_meeting: a user without required passcodes gets a meeting without any.
        made = call(
            "zoom_create_meeting",
            {
                "userId": "lin.cohost@example.com",
                "topic": "Made without a passcode",
                "startTime": "2026-03-20T09:00:00Z",
            },
        )["meeting"]
        assert not set(PASSCODE_KEYS) & set(made)

        # zoom_update_meeting on a meeting with registration.
        assert call(
            "zoom_update_meeting", {"meetingId": str(registered["id"]), "agenda": "Welcome"}
        ) == {"success": True}

        # zoom_list_recordings: duration 0 is shown as 0; the timezone is not an output field.
        day = NOW.date()
        listed = call(
            "zoom_list_recordings",
            {"userId": "me", "from": (day - timedelta(days=3)).isoformat(), "to": day.isoformat()},
        )["recordings"]
        short = next(r for r in listed if r["uuid"] == SHORT_UUID)
        assert short["duration"] == 0
        assert "timezone" not in short

        # The double-encoded instance: download, participants, trash one file, then all.
        fetched = call(
            "zoom_get_meeting_recordings", {"meetingId": SHORT_UUID, "downloadFiles": True}
        )
        assert fetched["recording"]["uuid"] == SHORT_UUID
        assert fetched["recording"]["duration"] == 0
        assert fetched["files"]
        for file in fetched["files"]:
            assert Path(file["path"]).stat().st_size == file["size"]
        people = call("zoom_list_past_participants", {"meetingId": SHORT_UUID})
        assert people["participants"]
        file_id = next(f["id"] for f in fetched["recording"]["recording_files"] if f.get("id"))
        assert call(
            "zoom_delete_recording",
            {"meetingId": SHORT_UUID, "recordingId": file_id, "action": "trash"},
        ) == {"success": True}
        assert call("zoom_delete_recording", {"meetingId": SHORT_UUID}) == {"success": True}
        stored = sandbox.store.get_recording(SHORT_UUID)
        assert stored is not None
        assert stored["trashed_at"] is not None

        # zoom_delete_meeting: the meeting without passcodes.
        assert call("zoom_delete_meeting", {"meetingId": str(plain["id"])}) == {"success": True}
        assert sandbox.store.get_meeting(plain["id"]) is None
