"""Shared tool logic: selection, approval, start_url and token withholding, errors, threads."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from zoom_agent_tools import OPERATIONS, ZoomClient, ZoomConfigurationError
from zoom_agent_tools.tools import ZoomTools, select_operations, to_json

MEETING = {
    "id": 85746065432,
    "uuid": "aDYlohsHRtCd4ii1uC2+hA==",
    "topic": "Plan — Q3",
    "type": 2,
    "start_url": "https://zoom.us/s/85746065432?zak=eyJzdGFydC11cmwtc2VjcmV0",
    "join_url": "https://zoom.us/j/85746065432?pwd=Wm9vbVBhc3M",
    "password": "Zoom123",
}
RECORDING = {
    "uuid": "aDYlohsHRtCd4ii1uC2+hA==",
    "id": 85746065432,
    "topic": "Plan",
    "download_access_token": "eyJkb3dubG9hZC10b2tlbg.secret.sig",
    "recording_files": [
        {
            "id": "f1",
            "file_type": "CHAT",
            "file_extension": "TXT",
            "file_size": 11,
            "download_url": "https://zoom.us/rec/download/f1?access_token=SECRET-DL&x=1",
            "play_url": "https://zoom.us/rec/play/f1",
        }
    ],
}


def test_select_operations_defaults_to_all_ten_in_contract_order() -> None:
    assert select_operations() == OPERATIONS


def test_select_operations_include_and_exclude() -> None:
    chosen = select_operations(
        include=["zoom_get_meeting", "zoom_list_meetings", "zoom_delete_meeting"],
        exclude=["zoom_delete_meeting"],
    )
    assert [op.name for op in chosen] == ["zoom_list_meetings", "zoom_get_meeting"]


def test_read_only_keeps_exactly_the_operations_that_do_not_write() -> None:
    chosen = select_operations(read_only=True)
    assert [op.name for op in chosen] == [op.name for op in OPERATIONS if not op.writes]
    assert {op.name for op in chosen} == {
        "zoom_list_meetings",
        "zoom_get_meeting",
        "zoom_get_meeting_invitation",
        "zoom_list_recordings",
        "zoom_get_meeting_recordings",
        "zoom_list_past_participants",
        "zoom_list_past_meeting_instances",
        "zoom_get_meeting_transcript",
        "zoom_get_meeting_summary",
        "zoom_get_meeting_attendance",
    }


@pytest.mark.parametrize(
    ("include", "exclude"),
    [(["zoom_get_meeting", "zoom_fly_to_moon"], ()), (None, ["zoom_fly_to_moon"])],
)
def test_unknown_tool_names_are_an_error(include: list[str] | None, exclude: Any) -> None:
    with pytest.raises(ValueError, match=r"zoom_fly_to_moon.*known tools: zoom_create_meeting"):
        select_operations(include, exclude)


def test_read_only_with_an_included_writer_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"read_only.*zoom_delete_meeting"):
        select_operations(["zoom_get_meeting", "zoom_delete_meeting"], read_only=True)


def test_default_client_comes_from_the_environment_without_network(
    monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    monkeypatch.setenv("ZOOM_ACCESS_TOKEN", "env-token-123456")
    monkeypatch.setenv("ZOOM_API_BASE_URL", httpserver.url_for("/v2"))
    tools = ZoomTools()
    assert tools.client.base_url == httpserver.url_for("/v2")
    assert httpserver.log == []


def test_missing_credentials_fail_at_construction() -> None:
    with pytest.raises(ZoomConfigurationError, match="ZOOM_ACCOUNT_ID"):
        ZoomTools()


def test_output_is_compact_json_and_withholds_start_url(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    outcome = ZoomTools(fake_client).run("zoom_get_meeting", {"meetingId": "85746065432"})
    assert not outcome.is_error
    assert outcome.text == to_json(outcome.content)
    assert ", " not in outcome.text
    assert "Plan — Q3" in outcome.text
    meeting = json.loads(outcome.text)["meeting"]
    assert "start_url" not in meeting
    assert "zak" not in outcome.text
    assert meeting["password"] == "Zoom123"
    # The join link keeps its passcode parameter: it is what attendees click.
    assert meeting["join_url"] == MEETING["join_url"]


def test_start_url_is_shown_when_asked(fake_client: ZoomClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    tools = ZoomTools(fake_client, show_start_url=True)
    outcome = tools.run("zoom_get_meeting", {"meetingId": "85746065432"})
    assert json.loads(outcome.text)["meeting"]["start_url"] == MEETING["start_url"]


def test_tokens_never_reach_the_model(fake_client: ZoomClient, httpserver: HTTPServer) -> None:
    # The file is served by the fake server: downloads go only to Zoom's hosts or the API's.
    body = json.loads(json.dumps(RECORDING))
    body["recording_files"][0]["download_url"] = httpserver.url_for(
        "/rec/download/f1?access_token=SECRET-DL&x=1"
    )
    httpserver.expect_request(
        "/v2/meetings/85746065432/recordings",
        query_string={"include_fields": "download_access_token"},
    ).respond_with_json(body)
    httpserver.expect_request("/rec/download/f1").respond_with_data(b"hello world")
    tools = ZoomTools(fake_client, show_start_url=True)
    outcome = tools.run(
        "zoom_get_meeting_recordings", {"meetingId": "85746065432", "downloadFiles": True}
    )
    assert not outcome.is_error, outcome.text
    assert "SECRET-DL" not in outcome.text
    assert "download_access_token" not in outcome.text
    assert "eyJkb3dubG9hZC10b2tlbg" not in outcome.text
    listed = json.loads(outcome.text)["recording"]["recording_files"][0]
    assert listed["download_url"].endswith("/rec/download/f1?x=1")
    assert [f.size for f in outcome.files] == [11]
    assert json.loads(outcome.text)["files"][0]["size"] == 11


def test_validation_errors_name_the_parameter_and_send_nothing(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    outcome = ZoomTools(fake_client).run("zoom_list_meetings", {"userId": "me", "pageSize": 500})
    assert outcome.is_error
    assert outcome.text.startswith("Invalid arguments for zoom_list_meetings: pageSize")
    assert "300" in outcome.text
    assert httpserver.log == []


def test_zoom_errors_become_actionable_messages(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v2/meetings/123").respond_with_json(
        {"code": 3001, "message": "Meeting does not exist: 123."}, status=404
    )
    outcome = ZoomTools(fake_client).run("zoom_get_meeting", {"meetingId": "123"})
    assert outcome.is_error
    assert "Zoom error 3001" in outcome.text
    assert "Suggestion: List the user's meetings" in outcome.text
    assert "Traceback" not in outcome.text


def test_approval_gets_camelcase_arguments_and_a_refusal_sends_nothing(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    asked: list[tuple[str, dict[str, Any]]] = []

    def refuse(name: str, arguments: dict[str, Any]) -> bool:
        asked.append((name, arguments))
        return False

    tools = ZoomTools(fake_client, approve=refuse)
    outcome = tools.run(
        "zoom_delete_meeting", {"meetingId": 85746065432, "cancelMeetingReminder": True}
    )
    assert asked == [
        ("zoom_delete_meeting", {"meetingId": "85746065432", "cancelMeetingReminder": True})
    ]
    assert outcome.is_error
    assert "not run" in outcome.text
    assert "nothing was sent to Zoom" in outcome.text
    assert httpserver.log == []


def test_approval_is_asked_only_for_destructive_calls(
    fake_client: ZoomClient, httpserver: HTTPServer
) -> None:
    asked: list[str] = []

    def approve(name: str, arguments: dict[str, Any]) -> bool:
        asked.append(name)
        return True

    # The update's host is looked up first, to count it against the host's daily budget.
    httpserver.expect_request("/v2/meetings/85746065432", method="GET").respond_with_json(
        {"id": 85746065432, "host_id": "KDcuGIm1QgePTO8WbOqwIQ", "topic": "t", "type": 2}
    )
    httpserver.expect_request("/v2/meetings/85746065432", method="PATCH").respond_with_data(
        "", status=204
    )
    httpserver.expect_request(
        "/v2/meetings/85746065432/recordings/f1", method="DELETE"
    ).respond_with_data("", status=204)
    tools = ZoomTools(fake_client, approve=approve)
    update = tools.run("zoom_update_meeting", {"meetingId": "85746065432", "topic": "New"})
    delete = tools.run("zoom_delete_recording", {"meetingId": "85746065432", "recordingId": "f1"})
    assert (update.text, delete.text) == ('{"success":true}', '{"success":true}')
    assert asked == ["zoom_delete_recording"]
    assert [r.method for r, _ in httpserver.log] == ["GET", "PATCH", "DELETE"]


def test_an_invalid_destructive_call_is_refused_before_asking(fake_client: ZoomClient) -> None:
    asked: list[str] = []
    tools = ZoomTools(fake_client, approve=lambda name, _: asked.append(name) or True)
    outcome = tools.run("zoom_delete_recording", {"meetingId": "1", "action": "shred"})
    assert outcome.is_error
    assert "action" in outcome.text
    assert asked == []


def test_programming_errors_are_not_turned_into_messages(fake_client: ZoomClient) -> None:
    def broken(name: str, arguments: dict[str, Any]) -> bool:
        raise RuntimeError("bug in the approval callback")

    tools = ZoomTools(fake_client, approve=broken)
    with pytest.raises(RuntimeError, match="bug in the approval callback"):
        tools.run("zoom_delete_meeting", {"meetingId": "1"})


def test_unselected_tools_cannot_be_run(fake_client: ZoomClient) -> None:
    tools = ZoomTools(fake_client, read_only=True)
    with pytest.raises(KeyError, match="zoom_delete_meeting"):
        tools.run("zoom_delete_meeting", {"meetingId": "1"})


async def test_arun_calls_zoom_from_a_worker_thread(
    fake_client: ZoomClient, httpserver: HTTPServer, zoom_threads: list[int]
) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    outcome = await ZoomTools(fake_client).arun("zoom_get_meeting", {"meetingId": "85746065432"})
    assert not outcome.is_error
    assert zoom_threads
    assert zoom_threads[0] != threading.get_ident()
    assert asyncio.get_running_loop().is_running()


def test_outcome_repr_shows_no_content(fake_client: ZoomClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v2/meetings/85746065432").respond_with_json(MEETING)
    outcome = ZoomTools(fake_client).run("zoom_get_meeting", {"meetingId": "85746065432"})
    assert "Zoom123" not in repr(outcome)


def _deny(name: str, arguments: dict[str, Any]) -> bool:
    return False


def _adapters(client: ZoomClient, **options: Any) -> dict[str, ZoomTools]:
    """The ZoomTools that ZoomTools itself and each adapter build from ``options``."""
    from zoom_agent_tools.langchain import ZoomTool, ZoomToolkit
    from zoom_agent_tools.llamaindex import ZoomToolSpec

    tool = ZoomToolkit(client=client, **options).get_tools()[0]
    assert isinstance(tool, ZoomTool)
    return {
        "ZoomTools": ZoomTools(client, **options),
        "ZoomToolkit": tool.zoom_tools,
        "ZoomToolSpec": ZoomToolSpec(client, **options).zoom_tools,
    }


def test_every_option_is_declared_once_and_passed_on_by_both_adapters(
    fake_client: ZoomClient,
) -> None:
    from zoom_agent_tools.tools import ToolOptions

    options: dict[str, Any] = {
        "include": ("zoom_get_meeting", "zoom_delete_meeting", "zoom_list_meetings"),
        "exclude": ("zoom_list_meetings",),
        "read_only": False,
        "approve": _deny,
        "show_start_url": True,
    }
    assert set(options) == set(ToolOptions.__annotations__)
    for where, tools in _adapters(fake_client, **options).items():
        assert [op.name for op in tools.operations] == [
            "zoom_get_meeting",
            "zoom_delete_meeting",
        ], where
        assert tools.approve is _deny, where
        assert tools.show_start_url is True, where
        assert tools.client is fake_client, where
    for where, tools in _adapters(fake_client, read_only=True).items():
        assert not any(op.writes for op in tools.operations), where


@pytest.mark.parametrize("adapter", ["ZoomTools", "ZoomToolkit", "ZoomToolSpec"])
def test_a_misspelt_option_is_refused_not_ignored(fake_client: ZoomClient, adapter: str) -> None:
    from zoom_agent_tools.langchain import ZoomToolkit
    from zoom_agent_tools.llamaindex import ZoomToolSpec

    build = {
        "ZoomTools": lambda: ZoomTools(fake_client, readonly=True),  # type: ignore[call-arg]
        "ZoomToolkit": lambda: ZoomToolkit(client=fake_client, readonly=True),  # type: ignore[call-arg]
        "ZoomToolSpec": lambda: ZoomToolSpec(fake_client, readonly=True),  # type: ignore[call-arg]
    }[adapter]
    with pytest.raises(TypeError, match=r"unknown Zoom tool option.*readonly.*read_only"):
        build()


@pytest.mark.parametrize("verdict", [False, None, "yes", 1, [True]], ids=repr)
async def test_anything_but_true_refuses(
    fake_client: ZoomClient, httpserver: HTTPServer, verdict: object
) -> None:
    tools = ZoomTools(fake_client, approve=lambda name, arguments: verdict)  # type: ignore[arg-type, return-value]
    for outcome in (
        tools.run("zoom_delete_meeting", {"meetingId": "1"}),
        await tools.arun("zoom_delete_meeting", {"meetingId": "1"}),
    ):
        assert outcome.is_error
        assert "the approval check refused it" in outcome.text
    assert httpserver.log == []
