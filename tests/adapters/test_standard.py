"""langchain-tests' standard tool tests per tool: unit, and integration on the sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from langchain_core.tools import BaseTool
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from zoom_agent_tools import OPERATIONS, AccessTokenAuth, ZoomClient
from zoom_agent_tools.langchain import ZoomTool, ZoomToolkit
from zoom_agent_tools.sandbox import INTELLIGENCE_UUIDS as UUIDS
from zoom_agent_tools.sandbox import TEAM_HOST_ID, Sandbox
from zoom_agent_tools.tools import ToolOutcome, ZoomTools

_START = "2030-06-03T10:00:00Z"

#: A valid call of each tool, for the unit tests (nothing is sent).
UNIT_EXAMPLES: dict[str, dict[str, Any]] = {
    "zoom_create_meeting": {
        "userId": "me",
        "topic": "Weekly sync",
        "type": 8,
        "startTime": _START,
        "recurrence": {"type": 2, "weeklyDays": "2,4", "endTimes": 4},
    },
    "zoom_list_meetings": {"userId": "me", "type": "upcoming", "pageSize": 30},
    "zoom_get_meeting": {"meetingId": "85746065432", "showPreviousOccurrences": True},
    "zoom_update_meeting": {"meetingId": "85746065432", "topic": "Renamed", "duration": 45},
    "zoom_delete_meeting": {"meetingId": "85746065432", "occurrenceId": "1648194360000"},
    "zoom_get_meeting_invitation": {"meetingId": "85746065432"},
    "zoom_list_recordings": {"userId": "me", "from": "2030-05-01", "to": "2030-05-31"},
    "zoom_get_meeting_recordings": {"meetingId": "aDYlohsHRtCd4ii1uC2+hA==", "ttl": 3600},
    "zoom_delete_recording": {"meetingId": "85746065432", "recordingId": "f1", "action": "trash"},
    "zoom_list_past_participants": {"meetingId": "/aDYlohsHRtCd4ii1uC2+hA==", "pageSize": 300},
    "zoom_list_past_meeting_instances": {"meetingId": "85746065432"},
    "zoom_get_meeting_transcript": {"meetingId": "85746065432", "query": "rollback"},
    "zoom_get_meeting_summary": {"meetingId": "85746065432", "occurrence": "previous"},
    "zoom_get_meeting_attendance": {
        "meetingId": "/aDYlohsHRtCd4ii1uC2+hA==",
        "compareInstances": 2,
    },
}


def _offline_tools() -> dict[str, BaseTool]:
    client = ZoomClient(AccessTokenAuth("standard-unit-token"), base_url="http://127.0.0.1:9/v2")
    return {tool.name: tool for tool in ZoomToolkit(client=client).get_tools()}


_OFFLINE = _offline_tools()


class _UnitBase(ToolsUnitTests):
    tool_name: str

    @property
    def tool_constructor(self) -> BaseTool:
        return _OFFLINE[self.tool_name]

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return UNIT_EXAMPLES[self.tool_name]


class _Recorder(ZoomTools):
    """ZoomTools that keeps every outcome, so a test can check its calls really succeeded."""

    def __init__(self, client: ZoomClient) -> None:
        super().__init__(client)
        self.outcomes: list[ToolOutcome] = []

    def run(self, name: str, arguments: Any = None) -> ToolOutcome:
        outcome = super().run(name, arguments)
        self.outcomes.append(outcome)
        return outcome

    async def arun(self, name: str, arguments: Any = None) -> ToolOutcome:
        outcome = await super().arun(name, arguments)
        self.outcomes.append(outcome)
        return outcome


class World:
    """One sandbox for the module's integration tests, with fresh objects for each example."""

    def __init__(self, sandbox: Sandbox, client: ZoomClient) -> None:
        self.sandbox = sandbox
        self.client = client
        self.recorder = _Recorder(client)
        self.tools = {op.name: ZoomTool.for_operation(op, self.recorder) for op in OPERATIONS}

    def new_meeting(self) -> str:
        start = datetime.now(timezone.utc) + timedelta(days=3)
        meeting = self.client.create_meeting(
            user_id="me", topic="Standard tests", start_time=start.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        return str(meeting.id)

    def standup(self) -> str:
        """The id of the seeded weekly standup, a recurring meeting with past instances."""
        return next(
            str(m["id"])
            for m in self.sandbox.store.list_meetings(TEAM_HOST_ID)
            if m["topic"] == "Platform team weekly standup"
        )

    def a_recording(self) -> str:
        return str(self.sandbox.add_recording(topic="Standard tests", file_size=4096)["uuid"])

    def example(self, name: str) -> dict[str, Any]:
        examples: dict[str, Callable[[], dict[str, Any]]] = {
            "zoom_create_meeting": lambda: {"userId": "me", "topic": "Instant", "type": 1},
            "zoom_list_meetings": lambda: {"userId": "me", "pageSize": 5},
            "zoom_get_meeting": lambda: {"meetingId": self.new_meeting()},
            "zoom_update_meeting": lambda: {"meetingId": self.new_meeting(), "agenda": "Changed"},
            "zoom_delete_meeting": lambda: {"meetingId": self.new_meeting()},
            "zoom_get_meeting_invitation": lambda: {"meetingId": self.new_meeting()},
            "zoom_list_recordings": lambda: {"userId": "me"},
            "zoom_get_meeting_recordings": lambda: {
                "meetingId": self.a_recording(),
                "downloadFiles": True,
            },
            "zoom_delete_recording": lambda: {"meetingId": self.a_recording()},
            "zoom_list_past_participants": lambda: {"meetingId": self.a_recording()},
            "zoom_list_past_meeting_instances": lambda: {"meetingId": self.standup()},
            "zoom_get_meeting_transcript": lambda: {
                "meetingId": self.standup(),
                "occurrence": "previous",
                "maxChars": 2000,
            },
            "zoom_get_meeting_summary": lambda: {"meetingId": UUIDS["standup_2_weeks_ago"]},
            "zoom_get_meeting_attendance": lambda: {"meetingId": UUIDS["standup_last_week"]},
        }
        return examples[name]()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with Sandbox(rate_limits=False) as sb:
        folder = tmp_path_factory.mktemp("standard-downloads")
        with sb.client(download_dir=folder) as client:
            yield World(sb, client)


class _IntegrationBase(ToolsIntegrationTests):
    tool_name: str
    world: World

    @pytest.fixture(autouse=True)
    def _in_world(self, world: World, request: pytest.FixtureRequest) -> Iterator[None]:
        self.world = world
        world.recorder.outcomes.clear()
        yield
        if "invoke" not in request.node.name:
            return
        # The standard tests accept any string content; these calls must also have worked.
        outcomes = world.recorder.outcomes
        assert [o.name for o in outcomes] == [self.tool_name]
        assert not outcomes[0].is_error, outcomes[0].text

    @property
    def tool_constructor(self) -> BaseTool:
        return self.world.tools[self.tool_name]

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return self.world.example(self.tool_name)


def _class_name(tool_name: str, kind: str) -> str:
    words = tool_name.removeprefix("zoom_").split("_")
    return "Test" + "".join(w.capitalize() for w in words) + kind


for _op in OPERATIONS:
    for _base, _kind in ((_UnitBase, "Unit"), (_IntegrationBase, "Integration")):
        _name = _class_name(_op.name, _kind)
        globals()[_name] = type(_name, (_base,), {"tool_name": _op.name})
