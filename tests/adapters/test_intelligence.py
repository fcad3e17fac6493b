"""The four meeting-intelligence tools against the seeded sandbox: each one's results and every
state, alike through LangChain, LlamaIndex and the client.

The seeded team standup (see ``zoom_agent_tools.sandbox.seed``) has seven past instances, each
in another state; other seeded meetings are live, unrecorded, encrypted or hosted by someone
whose transcripts and summaries are off. The tools' answers are checked against the sandbox's
own data (its store, its conversations), not against the tools' other answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pytest
import requests
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from llama_index.core.tools import FunctionTool, ToolOutput
from pydantic.alias_generators import to_snake

from tests.sandbox.conftest import NOW
from tests.sandboxes import NewSandbox, Templates
from zoom_agent_tools import (
    AISummary,
    Attendance,
    PastInstances,
    RetryPolicy,
    Transcript,
    ZoomClient,
    ZoomUnavailableError,
)
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.operations import get_operation
from zoom_agent_tools.sandbox import INTELLIGENCE_UUIDS as UUIDS
from zoom_agent_tools.sandbox import TEAM_HOST_ID, Sandbox, SandboxOptions
from zoom_agent_tools.sandbox import downloads as sandbox_downloads
from zoom_agent_tools.sandbox import transcripts as sandbox_transcripts
from zoom_agent_tools.sandbox.conversations import CONVERSATIONS
from zoom_agent_tools.sandbox.summaries import summary_markdown
from zoom_agent_tools.transcripts import DEFAULT_MAX_CHARS


@dataclass
class Entry:
    """The tools of one client, through each framework and the client itself."""

    client: ZoomClient
    langchain: dict[str, BaseTool]
    llamaindex: dict[str, FunctionTool]

    @classmethod
    def of(cls, client: ZoomClient) -> Entry:
        lc = {t.name: t for t in ZoomToolkit(client=client).get_tools()}
        li = {t.metadata.name: t for t in ZoomToolSpec(client).to_tool_list()}
        return cls(client, lc, li)

    def outputs(self, tool: str, args: dict[str, Any]) -> list[dict[str, Any]]:
        """The tool's JSON output through LangChain (sync, async not needed here: the same
        tool layer) and LlamaIndex; each must have succeeded as a tool call."""
        call = {"name": tool, "args": args, "id": "call-1", "type": "tool_call"}
        message = self.langchain[tool].invoke(call)
        assert isinstance(message, ToolMessage)
        assert message.status == "success", message.content
        output = self.llamaindex[tool].call(**args)
        assert isinstance(output, ToolOutput)
        assert not output.is_error, output.content
        lc, li = json.loads(str(message.content)), json.loads(output.content)
        assert lc == li == output.raw_output
        return [lc, li]

    def method(self, tool: str, args: dict[str, Any]) -> Any:
        """The client's typed method, called with the tool's arguments (snake_case)."""
        method = getattr(self.client, get_operation(tool).method_name)
        return method(**{to_snake(k): v for k, v in args.items()})


def _standup(sandbox: Sandbox) -> str:
    return _meeting(sandbox, "Platform team weekly standup")


def _meeting(sandbox: Sandbox, topic: str) -> str:
    return next(
        str(m["id"]) for m in sandbox.store.list_meetings(TEAM_HOST_ID) if m["topic"] == topic
    )


def _spoken(key: str) -> str:
    """What was said at a seeded instance, as the sandbox's recording scripts it."""
    recording = SANDBOX.store.get_recording(UUIDS[key])
    assert recording is not None
    script = next(f["script"] for f in recording["files"] if f["file_type"] in ("TRANSCRIPT", "CC"))
    return " ".join(c.text for c in sandbox_transcripts.cues(script))


SANDBOX: Sandbox


@pytest.fixture(scope="module")
def entry(sandbox_templates: Templates) -> Iterator[Entry]:
    global SANDBOX
    options = SandboxOptions(now=NOW, rate_limits=False)
    # Not started: in process, the sandbox makes a file's bytes only as the client reads them.
    sandbox = Sandbox(options, template=sandbox_templates.path_for(options))
    SANDBOX = sandbox
    try:
        with sandbox.client() as client:
            yield Entry.of(client)
    finally:
        sandbox.stop()


# -- every state, through every entry point ---------------------------------------------------

STATES: list[tuple[str, str, str]] = [
    # (tool, meetingId: a UUIDS key, or a meeting's topic, or "standup"; the state)
    ("zoom_get_meeting_transcript", "Incident bridge (live now)", "not_ended"),
    ("zoom_get_meeting_summary", "Incident bridge (live now)", "not_ended"),
    ("zoom_get_meeting_attendance", "Incident bridge (live now)", "not_ended"),
    ("zoom_get_meeting_transcript", "standup", "processing"),
    ("zoom_get_meeting_transcript", "standup_today", "processing"),
    ("zoom_get_meeting_transcript", "standup_4_weeks_ago", "not_recorded"),
    ("zoom_get_meeting_transcript", "contract_review_e2ee", "not_recorded"),
    ("zoom_get_meeting_transcript", "vendor_sync", "transcript_off"),
    ("zoom_get_meeting_transcript", "standup_6_weeks_ago", "transcript_unavailable"),
    ("zoom_get_meeting_transcript", "design_critique_silent", "transcript_unavailable"),
    ("zoom_get_meeting_transcript", "design_critique_unsupported", "transcript_unavailable"),
    ("zoom_get_meeting_summary", "standup", "summary_not_ready"),
    ("zoom_get_meeting_summary", "vendor_sync", "summary_off"),
    ("zoom_get_meeting_summary", "standup_5_weeks_ago", "no_summary"),
    ("zoom_get_meeting_summary", "contract_review_e2ee", "no_summary"),
    ("zoom_get_meeting_summary", "standup_6_weeks_ago", "summary_unavailable"),
]


def _meeting_ref(sandbox: Sandbox, name: str) -> str:
    if name == "standup":
        return _standup(sandbox)
    return UUIDS.get(name) or _meeting(sandbox, name)


def _check_state(entry: Entry, tool: str, args: dict[str, Any], state: str) -> None:
    outputs = entry.outputs(tool, args)
    for output in outputs:
        assert output["state"] == state, output
        assert output["message"]
        assert output["nextStep"]
    with pytest.raises(ZoomUnavailableError) as raised:
        entry.method(tool, args)
    assert raised.value.state == state
    assert raised.value.message == outputs[0]["message"]
    assert raised.value.suggestion == outputs[0]["nextStep"]
    assert f"Suggestion: {outputs[0]['nextStep']}" in str(raised.value)


@pytest.mark.parametrize(("tool", "meeting", "state"), STATES, ids=lambda v: str(v))
def test_every_state_is_a_result_with_a_next_step(
    entry: Entry, tool: str, meeting: str, state: str
) -> None:
    args = {"meetingId": _meeting_ref(SANDBOX, meeting)}
    _check_state(entry, tool, args, state)
    output = entry.outputs(tool, args)[0]
    if not args["meetingId"].isdigit():
        assert output["instance"]["uuid"] == args["meetingId"]
    elif state != "not_ended":
        # Resolved from the meeting's id: the latest ended instance, and said so.
        assert output["instance"]["uuid"] == UUIDS["standup_today"]
        assert output["instance"]["chosen"] == "the latest of 7 ended instances"


def test_a_meeting_not_ended_lists_no_instance(entry: Entry) -> None:
    live = _meeting(SANDBOX, "Incident bridge (live now)")
    for output in entry.outputs("zoom_list_past_meeting_instances", {"meetingId": live}):
        assert output["state"] == "not_ended"
        assert "zoom_get_meeting" in output["nextStep"]
    assert entry.client.list_past_meeting_instances(meeting_id=live).items == []


def test_free_accounts_have_no_participants_or_summaries(new_sandbox: NewSandbox) -> None:
    with (
        new_sandbox(now=NOW, plan="free", rate_limits=False) as sandbox,
        sandbox.client() as client,
    ):
        free = Entry.of(client)
        uuid = UUIDS["standup_last_week"]
        tools = (
            "zoom_get_meeting_attendance",
            "zoom_get_meeting_summary",
            # Which meeting an instance belongs to is in its details: paid accounts only.
            "zoom_list_past_meeting_instances",
        )
        for tool in tools:
            _check_state(free, tool, {"meetingId": uuid}, "paid_plan_required")
        standup = _standup(sandbox)
        listed = free.outputs("zoom_list_past_meeting_instances", {"meetingId": standup})[0]
        assert len(listed["instances"]) == 7
        # Transcripts come from recordings, which free accounts have.
        transcript = free.outputs("zoom_get_meeting_transcript", {"meetingId": uuid})[0]
        assert transcript["turns"]
        # The account setting wins over the plan: a paid account on the free rate limits.
        sandbox.set_account_setting("paid", True)
        assert free.method("zoom_get_meeting_attendance", {"meetingId": uuid}).attendees


def test_summaries_turned_off_for_the_account(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW, rate_limits=False) as sandbox, sandbox.client() as client:
        sandbox.set_account_setting("meeting_summary", False)
        args = {"meetingId": UUIDS["standup_last_week"]}
        _check_state(Entry.of(client), "zoom_get_meeting_summary", args, "summary_off")


# -- results --------------------------------------------------------------------------------


def test_instances_newest_first(entry: Entry) -> None:
    standup = _standup(SANDBOX)
    stored = SANDBOX.store.instances_of_meeting(int(standup))
    expected = [{"uuid": i["uuid"], "startTime": i["start_time"]} for i in stored]
    assert len(expected) == 7
    assert expected[0]["uuid"] == UUIDS["standup_today"]
    # By the meeting's ID, or by the UUID of any of its instances.
    for ref in (standup, UUIDS["standup_3_weeks_ago"], UUIDS["standup_last_week"]):
        for output in entry.outputs("zoom_list_past_meeting_instances", {"meetingId": ref}):
            assert output == {"meetingId": int(standup), "instances": expected}
        listed = entry.method("zoom_list_past_meeting_instances", {"meetingId": ref})
        assert isinstance(listed, PastInstances)
        assert [i.uuid for i in listed.items] == [i["uuid"] for i in expected]
        assert listed.meeting_id == int(standup)


def test_last_weeks_summary(entry: Entry) -> None:
    args = {"meetingId": _standup(SANDBOX), "occurrence": "previous"}
    summary = CONVERSATIONS["standup-last-week"].summary
    assert summary is not None
    for output in entry.outputs("zoom_get_meeting_summary", args):
        assert output["instance"] == {
            "uuid": UUIDS["standup_last_week"],
            "startTime": SANDBOX.store.get_instance(UUIDS["standup_last_week"])["start_time"],  # type: ignore[index]
            "meetingId": int(args["meetingId"]),
            "topic": "Platform team weekly standup",
            "chosen": "the one before the latest of 7 ended instances",
        }
        assert output["title"] == summary.title
        assert output["summary"] == summary_markdown(summary)
        assert "edited" not in output
        assert output["docUrl"].startswith(SANDBOX.oauth_base_url + "/doc/")
    result = entry.method("zoom_get_meeting_summary", args)
    assert isinstance(result, AISummary)
    assert result.to_text() == summary_markdown(summary)
    assert result.next_steps  # the deprecated fields come along for Python callers


def test_an_edited_summary_is_shown_as_edited(entry: Entry) -> None:
    edited = CONVERSATIONS["standup-2-weeks-ago"].edited
    assert edited is not None
    args = {"meetingId": _standup(SANDBOX), "occurrence": "2"}
    for output in entry.outputs("zoom_get_meeting_summary", args):
        assert output["instance"]["uuid"] == UUIDS["standup_2_weeks_ago"]
        assert output["edited"] is True
        assert output["summary"] == summary_markdown(edited)
        assert output["title"] == edited.title


def test_a_summary_from_the_deprecated_fields_when_zoom_sends_no_content() -> None:
    answer = {
        "summary_overview": "We chose a freeze.",
        "summary_details": [{"label": "Cutover", "summary": "Freeze from Thursday."}],
        "next_steps": ["Kenji drafts the runbook."],
        "edited_summary": {"next_steps": ["Kenji drafts the runbook by Friday."]},
    }
    text = AISummary.model_validate(answer).to_text()
    assert text == (
        "We chose a freeze.\n\n## Cutover\nFreeze from Thursday.\n\n"
        "## Next steps\n- Kenji drafts the runbook by Friday."
    )


def test_last_weeks_transcript_is_every_word_in_speaker_turns(entry: Entry) -> None:
    args = {"meetingId": UUIDS["standup_last_week"]}
    lines = CONVERSATIONS["standup-last-week"].lines
    for output in entry.outputs("zoom_get_meeting_transcript", args):
        assert output["source"] == "transcript"
        assert "nextCursor" not in output
        turns = output["turns"]
        assert " ".join(t["text"] for t in turns) == _spoken("standup_last_week")
        speakers = [t["speaker"] for t in turns]
        # Consecutive cues of one speaker are merged: no speaker follows itself.
        assert all(a != b for a, b in pairwise(speakers))
        said = [who.name if who else None for who, _ in lines]
        merged = [s for n, s in enumerate(said) if n == 0 or said[n - 1] != s]
        assert speakers == merged
        assert turns[0]["start"] < turns[-1]["end"]
    result = entry.method("zoom_get_meeting_transcript", args)
    assert isinstance(result, Transcript)
    assert result.to_text().startswith(f"[0:00:{int(result.turns[0].start):02d}] Priya Natarajan: ")
    found = result.search("decision")
    assert found
    assert all("decision" in t.text.lower() for t in found)


def test_a_search_gives_the_matches_with_their_context(entry: Entry) -> None:
    args = {"meetingId": UUIDS["standup_last_week"], "query": "DECISION"}
    everything = entry.client.get_meeting_transcript(meeting_id=UUIDS["standup_last_week"]).turns
    hits = [n for n, t in enumerate(everything) if "decision" in t.text.lower()]
    shown = sorted({j for n in hits for j in (n - 1, n, n + 1) if 0 <= j < len(everything)})
    for output in entry.outputs("zoom_get_meeting_transcript", args):
        assert output["matches"] == len(hits) == 2
        assert [t["text"] for t in output["turns"]] == [everything[j].text for j in shown]
        assert [t.get("match", False) for t in output["turns"]] == [j in hits for j in shown]
    nothing = entry.outputs("zoom_get_meeting_transcript", {**args, "query": "kangaroo"})[0]
    assert nothing["turns"] == []
    assert nothing["matches"] == 0
    assert "kangaroo" in nothing["note"]


def test_live_captions_when_there_is_no_transcript(entry: Entry) -> None:
    args = {"meetingId": UUIDS["standup_5_weeks_ago"], "maxChars": 2000}
    for output in entry.outputs("zoom_get_meeting_transcript", args):
        assert output["source"] == "captions"
        assert output["note"] == "Live captions: speakers are not named."
        assert {t["speaker"] for t in output["turns"]} == {None}
        assert " ".join(t["text"] for t in output["turns"]) == _spoken("standup_5_weeks_ago")


def test_the_meeting_transcript_when_the_recording_is_not_listed(
    new_sandbox: NewSandbox,
) -> None:
    # Zoom keeps meeting transcripts apart from recordings: when Get meeting recordings has
    # none, Get a meeting transcript still gives the file.
    with new_sandbox(now=NOW, rate_limits=False) as sandbox, sandbox.client() as client:
        body = json.dumps({"code": 3301, "message": "There is no recording for this meeting."})
        sandbox.faults.inject(operation="recordingGet", status=404, body=body)
        result = client.get_meeting_transcript(meeting_id=UUIDS["standup_last_week"])
        assert result.source == "meeting_transcript"
        assert result.instance.topic == "Platform team weekly standup"
        spoken = " ".join(t.text for t in result.turns)
        assert sandbox.calls["GET /meetings/{meetingId}/transcript"] == 1
    assert spoken == _spoken("standup_last_week")


def test_a_two_hour_transcript_in_pages(entry: Entry, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page keeps to the budget, the pages together are the whole transcript, each page
    after the first starts with a Range request at the cursor, and no page makes the sandbox
    produce the whole file."""
    uuid = UUIDS["deep_dive"]
    recording = SANDBOX.store.get_recording(uuid)
    assert recording is not None
    size = next(int(f["size"]) for f in recording["files"] if f["file_type"] == "TRANSCRIPT")
    assert size > 100_000
    produced: list[int] = []
    original = sandbox_downloads.iter_content

    def counted(recording: Any, file: Any, start: int, end: int) -> Iterator[bytes]:
        produced.append(0)
        for chunk in original(recording, file, start, end):
            produced[-1] += len(chunk)
            yield chunk

    monkeypatch.setattr(sandbox_downloads, "iter_content", counted)
    ranges: list[str | None] = []

    def hook(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if "/rec/" in response.url:
            ranges.append(response.request.headers.get("Range"))

    entry.client.session.hooks["response"].append(hook)
    try:
        tool = entry.langchain["zoom_get_meeting_transcript"]
        pages: list[dict[str, Any]] = []
        args: dict[str, Any] = {"meetingId": uuid}
        while True:
            pages.append(json.loads(tool.invoke(args)))
            if "nextCursor" not in pages[-1]:
                break
            args = {"meetingId": uuid, "cursor": pages[-1]["nextCursor"]}
    finally:
        entry.client.session.hooks["response"].remove(hook)
    assert 4 <= len(pages) <= 10
    for page in pages:
        turns_json = json.dumps(page["turns"], ensure_ascii=False, separators=(",", ":"))
        assert len(turns_json) <= DEFAULT_MAX_CHARS + 1
    turns = [t for page in pages for t in page["turns"]]
    assert " ".join(t["text"] for t in turns) == _spoken("deep_dive")
    assert ranges[0] is None
    assert all(r is not None and r.startswith("bytes=") for r in ranges[1:])
    assert len(ranges) == len(pages)
    assert all(count < size for count in produced), (produced, size)
    # The Python walk of every page gives the same turns.
    walked = list(entry.client.iter_transcript(meeting_id=uuid))
    assert [(t.speaker, t.text) for t in walked] == [(t["speaker"], t["text"]) for t in turns]


def test_a_download_cut_off_is_read_again_from_the_cursor(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW, rate_limits=False) as sandbox:
        policy = RetryPolicy(initial_delay=0.0)
        with sandbox.client(retry=policy, sleep=lambda _: None) as client:
            uuid = UUIDS["deep_dive"]
            first = client.get_meeting_transcript(meeting_id=uuid)
            assert first.next_cursor
            expected = client.get_meeting_transcript(meeting_id=uuid, cursor=first.next_cursor)
            sandbox.faults.inject(operation="recordingDownload", cut_after=3000)
            again = client.get_meeting_transcript(meeting_id=uuid, cursor=first.next_cursor)
            assert sandbox.faults.active() == []  # the fault was met, and the read retried
    assert again == expected


def test_a_cursor_is_for_its_own_instance(entry: Entry) -> None:
    first = entry.client.get_meeting_transcript(meeting_id=UUIDS["deep_dive"])
    assert first.next_cursor
    args = {"meetingId": UUIDS["standup_last_week"], "cursor": first.next_cursor}
    text = entry.langchain["zoom_get_meeting_transcript"].invoke(
        {"name": "zoom_get_meeting_transcript", "args": args, "id": "c1", "type": "tool_call"}
    )
    assert isinstance(text, ToolMessage)
    assert text.status == "error"
    assert str(text.content).startswith("Invalid arguments for zoom_get_meeting_transcript:")
    assert UUIDS["deep_dive"] in str(text.content)
    other = entry.langchain["zoom_get_meeting_transcript"].invoke(
        {"meetingId": _standup(SANDBOX), "cursor": first.next_cursor}
    )
    assert "cursor: the cursor belongs to meeting" in other


def test_attendance_of_last_weeks_standup(entry: Entry) -> None:
    standup = _standup(SANDBOX)
    rows = SANDBOX.store.participants(UUIDS["standup_last_week"])
    for args in (
        {"meetingId": standup, "occurrence": "previous"},
        {"meetingId": UUIDS["standup_last_week"]},
    ):
        for output in entry.outputs("zoom_get_meeting_attendance", args):
            people = {a["name"]: a for a in output["attendees"]}
            assert set(people) == {r["name"] for r in rows}
            assert people["Kenji Watanabe"]["sessions"] == 2
            jordan = people["Jordan Lee (Contractor)"]
            assert jordan["sessions"] == 2
            assert "email" not in jordan
            joins = [r for r in rows if r["name"] == jordan["name"]]
            assert jordan["firstJoin"] == min(r["join_time"] for r in joins)
            assert jordan["lastLeave"] == max(r["leave_time"] for r in joins)
            assert jordan["minutes"] == round(sum(r["duration"] for r in joins) / 60, 1)
            assert [a["name"] for a in output["absent"]] == ["Marcus Webb"]
            assert output["absent"][0]["seenIn"] == 4
            assert output["comparedInstances"] == 4
    result = entry.method(
        "zoom_get_meeting_attendance", {"meetingId": UUIDS["standup_3_weeks_ago"]}
    )
    assert isinstance(result, Attendance)
    assert {a.name for a in result.absent or []} == {"Sofia Alvarez", "Lin Cohost"}
    alone = entry.client.meeting_attendance(meeting_id=UUIDS["deep_dive"], compare_instances=4)
    assert alone.absent is None  # a one-off meeting: nothing to compare with
    elena = next(a for a in alone.attendees if a.name.startswith("Elena"))
    assert elena.sessions == 2


def test_an_occurrence_beyond_the_instances_is_refused(entry: Entry) -> None:
    args = {"meetingId": _standup(SANDBOX), "occurrence": "7"}
    message = entry.langchain["zoom_get_meeting_summary"].invoke(
        {"name": "zoom_get_meeting_summary", "args": args, "id": "c1", "type": "tool_call"}
    )
    assert message.status == "error"
    assert str(message.content) == (
        f"Invalid arguments for zoom_get_meeting_summary: occurrence: meeting {args['meetingId']} "
        "has 7 ended instances: use 0 (the latest) to 6, or list them with "
        "zoom_list_past_meeting_instances."
    )
    refused = entry.llamaindex["zoom_get_meeting_summary"].call(
        meetingId=UUIDS["standup_last_week"], occurrence="previous"
    )
    assert refused.is_error
    assert "occurrence picks one of a meeting ID's instances" in refused.content


async def test_async_calls_answer_alike(entry: Entry) -> None:
    cases = [
        ("zoom_list_past_meeting_instances", {"meetingId": _standup(SANDBOX)}),
        ("zoom_get_meeting_transcript", {"meetingId": UUIDS["standup_last_week"]}),
        ("zoom_get_meeting_transcript", {"meetingId": UUIDS["vendor_sync"]}),
        ("zoom_get_meeting_summary", {"meetingId": _standup(SANDBOX)}),
        ("zoom_get_meeting_attendance", {"meetingId": UUIDS["standup_last_week"]}),
    ]
    for tool, args in cases:
        expected = entry.outputs(tool, args)[0]
        call = {"name": tool, "args": args, "id": "call-1", "type": "tool_call"}
        message = await entry.langchain[tool].ainvoke(call)
        assert message.status == "success"
        assert json.loads(message.content) == expected
        output = await entry.llamaindex[tool].acall(**args)
        assert not output.is_error
        assert output.raw_output == expected
