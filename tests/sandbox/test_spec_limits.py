"""Zoom's limits as its spec states them: the tools as strict or stricter, the sandbox equal.

The spec (tests/data/zoom_meetings_openapi.json) states ``maxLength``, ``maximum``,
``minimum``, ``enum`` and ``default`` on request fields, and some limits only in a field's or
an operation's description. For every tool parameter that reaches a spec field (the camelCase
parameter is Zoom's snake_case query parameter or body field, or a field of ``settings`` or
``recurrence``), the argument model must refuse what the spec refuses. Every limit the
sandbox names (zoom_agent_tools/sandbox/limits.py) must equal the spec's, and the sandbox,
probed over HTTP at and just beyond each limit, must behave so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from tests import conformance
from tests.sandbox.conftest import ZoomHTTP
from zoom_agent_tools.operations import OPERATIONS, Operation
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, limits
from zoom_agent_tools.sandbox import meetings as sandbox_meetings
from zoom_agent_tools.sandbox import recordings as sandbox_recordings

SPEC = conformance.raw_spec()
KEYWORDS = ("maxLength", "maximum", "minimum", "enum")
BODY_OPERATIONS = ("meetingCreate", "meetingUpdate")
LISTS = ("meetings", "recordingsList", "pastMeetingParticipants")
START = "2026-06-03T10:00:00Z"


# -- reading the spec -----------------------------------------------------------------------


def spec_operation(operation_id: str) -> dict[str, Any]:
    for item in SPEC["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return operation
    raise KeyError(operation_id)


def spec_field(operation_id: str, location: str) -> dict[str, Any] | None:
    """The schema of a request field: ``query.page_size``, ``path.userId``, ``body.settings.audio``.

    A parameter's schema comes with its description, which some limits are written in.
    """
    operation = spec_operation(operation_id)
    where, _, name = location.partition(".")
    if where in ("query", "path"):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == where and parameter["name"] == name:
                return {"description": parameter.get("description", ""), **parameter["schema"]}
        return None
    body = operation.get("requestBody")
    node: dict[str, Any] | None = body["content"]["application/json"]["schema"] if body else None
    for part in name.split("."):
        node = (node or {}).get("properties", {}).get(part)
    return node


def spec_value(operation_id: str, location: str, keyword: str) -> Any:
    field = spec_field(operation_id, location)
    assert field is not None, (operation_id, location)
    assert keyword in field, (operation_id, location, keyword)
    return field[keyword]


def answer_property(operation_id: str, name: str) -> dict[str, Any]:
    """The first property called ``name`` in the operation's 200 answer, however nested."""
    answer = spec_operation(operation_id)["responses"]["200"]["content"]["application/json"]
    return find_property(answer["schema"], name)


def find_property(schema: Any, name: str) -> dict[str, Any]:
    """The first property called ``name`` inside ``schema`` (breadth first)."""
    pending: list[Any] = [schema]
    while pending:
        node = pending.pop(0)
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict) and name in node["properties"]:
                found: dict[str, Any] = node["properties"][name]
                return found
            pending += list(node.values())
        elif isinstance(node, list):
            pending += node
    raise KeyError(name)


def described(text: str, pattern: str) -> tuple[str, ...]:
    """The groups of ``pattern`` in a description (whitespace and markdown ticks ignored)."""
    found = re.search(pattern, re.sub(r"\s+", " ", text.replace("`", "")))
    assert found is not None, (pattern, text[:300])
    return found.groups()


# -- the tools' argument models -------------------------------------------------------------

#: Tool parameters that reach no field of Zoom's spec, and why.
NOT_IN_SPEC = {
    ("zoom_get_meeting_recordings", "downloadFiles"): "the tool downloads the files itself",
    ("zoom_get_meeting_recordings", "includeFolderItems"): (
        "not in the 2026 spec for this path; sent as given, Zoom ignores what it does not know"
    ),
    # Meeting intelligence: which instance, and how the tool pages and searches what it read.
    **{
        (tool, "occurrence"): "picks one of the meeting's listed instances"
        for tool in (
            "zoom_get_meeting_transcript",
            "zoom_get_meeting_summary",
            "zoom_get_meeting_attendance",
        )
    },
    ("zoom_get_meeting_transcript", "query"): "the tool searches the transcript it reads",
    ("zoom_get_meeting_transcript", "maxChars"): "the tool pages the transcript it reads",
    ("zoom_get_meeting_transcript", "cursor"): "the tool pages the transcript it reads",
    ("zoom_get_meeting_attendance", "compareInstances"): "the tool reads other instances",
}
#: Parameters whose pattern bounds their length (the schema states no maxLength).
LENGTH_IN_PATTERN = {"password": r"\{1,10\}\$$"}
#: Arguments each tool accepts, to which one parameter at a time is added.
VALID = {
    "zoom_create_meeting": {"userId": "me", "topic": "Limits"},
    "zoom_update_meeting": {"meetingId": "85746065432", "agenda": "Limits"},
    "zoom_list_meetings": {"userId": "me"},
    "zoom_get_meeting": {"meetingId": "85746065432"},
    "zoom_delete_meeting": {"meetingId": "85746065432"},
    "zoom_get_meeting_invitation": {"meetingId": "85746065432"},
    "zoom_list_recordings": {"userId": "me"},
    "zoom_get_meeting_recordings": {"meetingId": "85746065432"},
    "zoom_delete_recording": {"meetingId": "85746065432"},
    "zoom_list_past_participants": {"meetingId": "85746065432"},
    "zoom_list_past_meeting_instances": {"meetingId": "85746065432"},
    "zoom_get_meeting_transcript": {"meetingId": "85746065432"},
    "zoom_get_meeting_summary": {"meetingId": "85746065432"},
    "zoom_get_meeting_attendance": {"meetingId": "85746065432"},
}
#: The rest of a recurrence object valid around each of its fields.
RECURRENCE_AROUND = {
    "type": {},
    "repeatInterval": {"type": 1},
    "weeklyDays": {"type": 2},
    "monthlyDay": {"type": 3},
    "monthlyWeek": {"type": 3, "monthlyWeekDay": 1},
    "monthlyWeekDay": {"type": 3, "monthlyWeek": 1},
    "endTimes": {"type": 1},
    "endDateTime": {"type": 1},
}


def _snake(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()


def _parameters(schema: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted camelCase parameter, its JSON schema), nested objects' fields included."""
    for name, prop in schema["properties"].items():
        if "properties" in prop:
            yield from _parameters(prop, f"{prefix}{name}.")
        else:
            yield prefix + name, prop


def _spec_operations(op: Operation[Any, Any]) -> tuple[str, ...]:
    return op.operation_ids


def zoom_field(op: Operation[Any, Any], parameter: str) -> tuple[str, str] | None:
    """The spec operation and field a tool parameter reaches, found by Zoom's name for it."""
    *parents, last = parameter.split(".")
    zoom_name = ".".join(_snake(part) for part in [*parents, last])
    candidates = [f"body.{zoom_name}"]
    if not parents:
        candidates = [
            f"path.{last}",
            f"query.{zoom_name}",
            *candidates,
            f"body.settings.{zoom_name}",
        ]
    for operation_id in _spec_operations(op):
        for location in candidates:
            if spec_field(operation_id, location) is not None:
                return operation_id, location
    return None


def _cases() -> Iterator[tuple[Operation[Any, Any], str, dict[str, Any]]]:
    for op in OPERATIONS:
        for parameter, schema in _parameters(op.args_model.model_json_schema()):
            yield op, parameter, schema


def _with(op: Operation[Any, Any], parameter: str, value: Any) -> dict[str, Any]:
    """The tool's valid arguments with ``parameter`` set to ``value``."""
    arguments = dict(VALID[op.name])
    if parameter.startswith("recurrence."):
        field = parameter.split(".", 1)[1]
        arguments |= {"type": 8, "startTime": START}
        arguments["recurrence"] = {**RECURRENCE_AROUND[field], field: value}
    else:
        arguments[parameter] = value
    return arguments


def _refuses(model: type[BaseModel], arguments: dict[str, Any], parameter: str) -> bool:
    """Whether ``model`` refuses ``arguments``, naming ``parameter`` (its place or its text)."""
    try:
        model.model_validate(arguments)
    except ValidationError as exc:
        leaf = parameter.rsplit(".", 1)[-1]
        return any(
            tuple(error["loc"][-len(parameter.split(".")) :]) == tuple(parameter.split("."))
            or leaf in str(error["msg"])
            for error in exc.errors()
        )
    return False


def _beyond(keyword: str, limit: Any) -> Any:
    """A value just beyond ``limit``: one character or one unit too many, or no choice."""
    if keyword == "maxLength":
        return "a" * (limit + 1)
    if keyword == "maximum":
        return limit + 1
    if keyword == "minimum":
        return limit - 1
    if all(isinstance(choice, int) for choice in limit):
        return max(limit) + 1
    return "not-" + str(limit[0])


def test_every_tool_parameter_reaches_a_spec_field_or_says_why_not() -> None:
    unmapped = {(op.name, p) for op, p, _ in _cases() if zoom_field(op, p) is None}
    assert unmapped == set(NOT_IN_SPEC)
    for op in OPERATIONS:
        assert op.args_model.model_validate(VALID[op.name]) is not None


CONSTRAINED = [
    pytest.param(op, parameter, schema, keyword, id=f"{op.name}.{parameter}.{keyword}")
    for op, parameter, schema in _cases()
    if (found := zoom_field(op, parameter)) is not None
    for keyword in KEYWORDS
    if keyword in (spec_field(*found) or {})
]


def test_the_spec_constrains_the_parameters_we_expect() -> None:
    names = {case.id for case in CONSTRAINED}
    # Read from the spec: a change of the spec (or of a tool) shows up here first.
    assert names == {
        "zoom_create_meeting.topic.maxLength",
        "zoom_create_meeting.type.enum",
        "zoom_create_meeting.duration.maximum",
        "zoom_create_meeting.duration.minimum",
        "zoom_create_meeting.password.maxLength",
        "zoom_create_meeting.agenda.maxLength",
        "zoom_create_meeting.autoRecording.enum",
        "zoom_create_meeting.recurrence.type.enum",
        "zoom_create_meeting.recurrence.weeklyDays.enum",
        "zoom_create_meeting.recurrence.monthlyWeek.enum",
        "zoom_create_meeting.recurrence.monthlyWeekDay.enum",
        "zoom_create_meeting.recurrence.endTimes.maximum",
        "zoom_update_meeting.topic.maxLength",
        "zoom_update_meeting.type.enum",
        "zoom_update_meeting.duration.maximum",
        "zoom_update_meeting.duration.minimum",
        "zoom_update_meeting.password.maxLength",
        "zoom_update_meeting.agenda.maxLength",
        "zoom_update_meeting.autoRecording.enum",
        "zoom_update_meeting.recurrence.type.enum",
        "zoom_update_meeting.recurrence.weeklyDays.enum",
        "zoom_update_meeting.recurrence.monthlyWeek.enum",
        "zoom_update_meeting.recurrence.monthlyWeekDay.enum",
        "zoom_update_meeting.recurrence.endTimes.maximum",
        "zoom_list_meetings.type.enum",
        "zoom_list_meetings.pageSize.maximum",
        "zoom_list_recordings.pageSize.maximum",
        "zoom_get_meeting_recordings.ttl.maximum",
        "zoom_get_meeting_recordings.ttl.minimum",
        "zoom_delete_recording.action.enum",
        "zoom_list_past_participants.pageSize.maximum",
    }


@pytest.mark.parametrize(("op", "parameter", "schema", "keyword"), CONSTRAINED)
def test_argument_models_are_as_strict_as_the_spec_or_stricter(
    op: Operation[Any, Any], parameter: str, schema: dict[str, Any], keyword: str
) -> None:
    found = zoom_field(op, parameter)
    assert found is not None
    limit = spec_value(*found, keyword)
    model = op.args_model
    if parameter.endswith("weeklyDays"):
        # Zoom's slip: weekly_days is documented as a comma list ("1,3") while its enum lists
        # single days. The tools take the list; each day in it must be one of the enum's.
        assert _refuses(model, _with(op, parameter, "8"), parameter)
        assert _refuses(model, _with(op, parameter, "1,8"), parameter)
        model.model_validate(_with(op, parameter, ",".join(limit)))
        return
    # What the model's JSON schema tells the LLM ...
    if keyword == "maxLength" and keyword not in schema:
        assert re.search(LENGTH_IN_PATTERN[parameter], schema["pattern"]), schema
    elif keyword in ("maxLength", "maximum"):
        assert schema[keyword] <= limit
    elif keyword == "minimum":
        assert schema[keyword] >= limit
    else:
        # A range of whole numbers is a choice too (weekdays 1-7).
        allowed = schema.get("enum") or range(schema["minimum"], schema["maximum"] + 1)
        assert set(allowed) <= set(limit)
    # ... and what it does: a value just beyond the spec's limit is refused, naming the parameter.
    assert _refuses(model, _with(op, parameter, _beyond(keyword, limit)), parameter)


@pytest.mark.parametrize(("kind", "words"), [(1, "days"), (2, "weeks"), (3, "months")])
def test_repeat_interval_maxima_of_the_description(kind: int, words: str) -> None:
    # The spec states these only in repeat_interval's description.
    for operation_id in BODY_OPERATIONS:
        text = spec_value(operation_id, "body.recurrence.repeat_interval", "description")
        maximum = int(described(text, rf"(\d+) {words}")[0])
        assert limits.REPEAT_INTERVAL_MAX[kind] == maximum
    recurrence: dict[str, Any] = {"type": kind, "repeatInterval": maximum}
    recurrence |= {2: {"weeklyDays": "2"}, 3: {"monthlyDay": 1}}.get(kind, {})
    for op in OPERATIONS:
        if set(op.operation_ids) & set(BODY_OPERATIONS):
            arguments = {**_with(op, "recurrence.type", kind), "recurrence": recurrence}
            op.args_model.model_validate(arguments)
            beyond = {**arguments, "recurrence": {**recurrence, "repeatInterval": maximum + 1}}
            assert _refuses(op.args_model, beyond, "recurrence.repeatInterval")


# -- the sandbox's limits ---------------------------------------------------------------------

#: Each limit the sandbox names, and the spec field and keyword it stands for.
SANDBOX_LIMITS: list[tuple[str, Any, tuple[str, ...], str, str]] = [
    ("TOPIC_MAX_LENGTH", limits.TOPIC_MAX_LENGTH, BODY_OPERATIONS, "body.topic", "maxLength"),
    ("AGENDA_MAX_LENGTH", limits.AGENDA_MAX_LENGTH, BODY_OPERATIONS, "body.agenda", "maxLength"),
    (
        "PASSWORD_MAX_LENGTH",
        limits.PASSWORD_MAX_LENGTH,
        BODY_OPERATIONS,
        "body.password",
        "maxLength",
    ),
    ("DURATION_MIN", limits.DURATION_MIN, BODY_OPERATIONS, "body.duration", "minimum"),
    ("DURATION_MAX", limits.DURATION_MAX, BODY_OPERATIONS, "body.duration", "maximum"),
    ("DEFAULT_DURATION", limits.DEFAULT_DURATION, ("meetingCreate",), "body.duration", "default"),
    ("MEETING_TYPES", list(limits.MEETING_TYPES), BODY_OPERATIONS, "body.type", "enum"),
    ("DEFAULT_MEETING_TYPE", limits.DEFAULT_MEETING_TYPE, BODY_OPERATIONS, "body.type", "default"),
    *[
        (
            f"SETTING_CHOICES[{name!r}]",
            list(choices),
            BODY_OPERATIONS,
            f"body.settings.{name}",
            "enum",
        )
        for name, choices in limits.SETTING_CHOICES.items()
    ],
    *[
        (
            f"SETTING_MAX_LENGTHS[{name!r}]",
            length,
            BODY_OPERATIONS,
            f"body.settings.{name}",
            "maxLength",
        )
        for name, length in limits.SETTING_MAX_LENGTHS.items()
    ],
    (
        "RECURRENCE_TYPES",
        list(limits.RECURRENCE_TYPES),
        BODY_OPERATIONS,
        "body.recurrence.type",
        "enum",
    ),
    (
        "WEEK_DAYS",
        list(limits.WEEK_DAYS),
        BODY_OPERATIONS,
        "body.recurrence.monthly_week_day",
        "enum",
    ),
    (
        "WEEK_DAYS (as text)",
        [str(day) for day in limits.WEEK_DAYS],
        BODY_OPERATIONS,
        "body.recurrence.weekly_days",
        "enum",
    ),
    (
        "DEFAULT_WEEKLY_DAYS",
        limits.DEFAULT_WEEKLY_DAYS,
        BODY_OPERATIONS,
        "body.recurrence.weekly_days",
        "default",
    ),
    (
        "MONTHLY_WEEKS",
        list(limits.MONTHLY_WEEKS),
        BODY_OPERATIONS,
        "body.recurrence.monthly_week",
        "enum",
    ),
    (
        "DEFAULT_MONTHLY_DAY",
        limits.DEFAULT_MONTHLY_DAY,
        BODY_OPERATIONS,
        "body.recurrence.monthly_day",
        "default",
    ),
    # The spec also says a recurring meeting "can have a maximum of 50 occurrences" (in the
    # occurrence_id description, which speaks of webinars); end_times' own limit is 60.
    (
        "END_TIMES_MAX",
        limits.END_TIMES_MAX,
        BODY_OPERATIONS,
        "body.recurrence.end_times",
        "maximum",
    ),
    (
        "DEFAULT_END_TIMES",
        limits.DEFAULT_END_TIMES,
        BODY_OPERATIONS,
        "body.recurrence.end_times",
        "default",
    ),
    ("LIST_TYPES", list(limits.LIST_TYPES), ("meetings",), "query.type", "enum"),
    ("DEFAULT_LIST_TYPE", limits.DEFAULT_LIST_TYPE, ("meetings",), "query.type", "default"),
    ("MAX_PAGE_SIZE", limits.MAX_PAGE_SIZE, LISTS, "query.page_size", "maximum"),
    ("DEFAULT_PAGE_SIZE", limits.DEFAULT_PAGE_SIZE, LISTS, "query.page_size", "default"),
    (
        "DOWNLOAD_TOKEN_TTL_MIN",
        limits.DOWNLOAD_TOKEN_TTL_MIN,
        ("recordingGet",),
        "query.ttl",
        "minimum",
    ),
    (
        "DOWNLOAD_TOKEN_TTL_MAX",
        limits.DOWNLOAD_TOKEN_TTL_MAX,
        ("recordingGet",),
        "query.ttl",
        "maximum",
    ),
    (
        "DELETE_ACTIONS",
        list(limits.DELETE_ACTIONS),
        ("recordingDelete", "recordingDeleteOne"),
        "query.action",
        "enum",
    ),
    (
        "DEFAULT_DELETE_ACTION",
        limits.DEFAULT_DELETE_ACTION,
        ("recordingDelete", "recordingDeleteOne"),
        "query.action",
        "default",
    ),
    (
        "DEFAULT_TRASH_TYPE",
        limits.DEFAULT_TRASH_TYPE,
        ("recordingsList",),
        "query.trash_type",
        "default",
    ),
]


@pytest.mark.parametrize(
    ("operations", "location", "keyword", "value"),
    [
        pytest.param(ops, where, key, value, id=name)
        for name, value, ops, where, key in SANDBOX_LIMITS
    ],
)
def test_sandbox_limits_equal_the_spec(
    operations: tuple[str, ...], location: str, keyword: str, value: Any
) -> None:
    for operation_id in operations:
        assert spec_value(operation_id, location, keyword) == value, operation_id


def test_every_constraint_of_the_spec_is_a_sandbox_limit_or_said_to_be_left_out() -> None:
    named = {(op, where, key) for _, _, ops, where, key in SANDBOX_LIMITS for op in ops}
    # Objects inside settings that the sandbox keeps as given, without looking inside.
    left_out = {
        "body.settings.approved_or_denied_countries_or_regions.method",
        "body.settings.question_and_answer.question_visibility",
        "body.settings.sign_language_interpretation.interpreters",
        "body.settings.waiting_room_options.mode",
        "body.settings.waiting_room_options.who_goes_to_waiting_room",
        "body.settings.resources.[].resource_type",
        "body.settings.resources.[].permission_level",
        "body.settings.custom_keys.[].key",
        "body.settings.custom_keys.[].value",
        "body.settings.global_dial_in_numbers.[].type",
        # Get a user's login type picks which login an e-mail address is looked up under;
        # each sandbox user has one login, so it is not read.
        "query.login_type",
    }
    found: set[tuple[str, str, str]] = set()

    def walk(operation_id: str, node: Any, location: str) -> None:
        if not isinstance(node, dict):
            return
        for keyword in KEYWORDS:
            if keyword in node and location not in left_out:
                found.add((operation_id, location, keyword))
        for name, child in node.get("properties", {}).items():
            walk(operation_id, child, f"{location}.{name}")
        if "items" in node:
            walk(operation_id, node["items"], f"{location}.[]")

    for item in SPEC["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                where = f"{parameter['in']}.{parameter['name']}"
                walk(operation["operationId"], parameter["schema"], where)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                walk(operation["operationId"], body["schema"], "body")
    assert found == {k for k in named if k[2] in KEYWORDS}


def test_limits_the_spec_states_in_words() -> None:
    for operation_id in BODY_OPERATIONS:
        text = spec_value(operation_id, "body.recurrence.monthly_day", "description")
        low, high = described(text, r"from (\d+) to (\d+)")
        assert (int(low), int(high)) == (limits.MONTHLY_DAY_MIN, limits.MONTHLY_DAY_MAX)
        text = spec_value(operation_id, "body.recurrence.end_times", "description")
        most = described(text, r"maximum number of recurr\w* is (\d+)")
        assert int(most[0]) == limits.END_TIMES_MAX
        daily = described(spec_operation(operation_id)["description"], r"(\d+) requests per day")
        assert int(daily[0]) == limits.DAILY_MEETING_WRITES
    for operation_id in LISTS:
        text = spec_value(operation_id, "query.next_page_token", "description")
        minutes = described(text, r"expiration period (?:for this token )?is (\d+) minutes")
        assert int(minutes[0]) * 60 == limits.PAGE_TOKEN_TTL
    agenda = answer_property("meetings", "agenda")
    truncated = described(agenda["description"], r"truncated to (\d+)")
    assert int(truncated[0]) == limits.LIST_AGENDA_LENGTH
    months = described(spec_operation("meetings")["description"], r"maximum of (\d+) months")
    assert int(months[0]) == 6
    assert timedelta(days=181) <= limits.PREVIOUS_MEETINGS_WINDOW <= timedelta(days=184)
    year = spec_operation("pastMeetingParticipants")["responses"]["400"]["description"]
    assert "Can not access a meeting a year ago" in year
    assert timedelta(days=365) == limits.PAST_MEETING_MAX_AGE
    trash_types = spec_value("recordingsList", "query.trash_type", "description")
    assert all(f"`{kind}`" in trash_types for kind in limits.TRASH_TYPES)
    # A meeting number is an int64: at most as many digits as the largest int64.
    assert spec_value("meeting", "path.meetingId", "format") == "int64"
    assert len(str(2**63 - 1)) == limits.MEETING_NUMBER_MAX_DIGITS


def test_sandbox_setting_defaults_are_the_specs() -> None:
    for operation_id in BODY_OPERATIONS:
        settings = spec_field(operation_id, "body.settings")
        assert settings is not None
        for name, value in sandbox_meetings.SETTINGS_DEFAULTS.items():
            default = settings["properties"].get(name, {}).get("default")
            if default is not None:
                assert value == default, name


def test_sandbox_recording_files_use_the_specs_values() -> None:
    listed = answer_property("recordingGet", "recording_files")
    files = {
        name: find_property(listed, name)
        for name in ("file_type", "file_extension", "recording_type")
    }
    # Zoom's slip: file_type's enum lacks TIMELINE, which its description documents and real
    # answers carry.
    assert "TIMELINE" in files["file_type"]["description"]
    assert set(sandbox_recordings.DEFAULT_FILE_TYPES) <= {*files["file_type"]["enum"], "TIMELINE"}
    assert set(sandbox_recordings._EXTENSIONS.values()) <= set(files["file_extension"]["enum"])
    assert set(sandbox_recordings._RECORDING_TYPES.values()) <= set(files["recording_type"]["enum"])


# -- the sandbox at and beyond each limit, over HTTP -------------------------------------------

MEETINGS = "/users/{userId}/meetings"


def _create(zoom_http: ZoomHTTP, body: dict[str, Any], *, valid: bool) -> Any:
    return zoom_http.post(MEETINGS, {"userId": "me"}, json=body, check_request=valid)


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 300
    assert [e["field"] for e in response.json()["errors"]] == [field]


def _recurring(**recurrence: Any) -> dict[str, Any]:
    return {"topic": "Limits", "type": 8, "start_time": START, "recurrence": recurrence}


BODY_PROBES = [
    ("topic", {"topic": "t" * limits.TOPIC_MAX_LENGTH}, {"topic": "t" * 201}),
    ("agenda", {"agenda": "a" * limits.AGENDA_MAX_LENGTH}, {"agenda": "a" * 2001}),
    ("password", {"password": "p" * limits.PASSWORD_MAX_LENGTH}, {"password": "p" * 11}),
    ("duration", {"duration": limits.DURATION_MAX}, {"duration": 1441}),
    ("duration", {"duration": limits.DURATION_MIN}, {"duration": 0}),
    ("type", {"type": 10}, {"type": 4}),
    (
        "settings.audio_conference_info",
        {"settings": {"audio_conference_info": "i" * 2048}},
        {"settings": {"audio_conference_info": "i" * 2049}},
    ),
    *[
        (f"settings.{name}", {"settings": {name: choices[-1]}}, {"settings": {name: "other"}})
        for name, choices in limits.SETTING_CHOICES.items()
    ],
    ("recurrence.type", _recurring(type=1), _recurring(type=4)),
    ("recurrence.end_times", _recurring(type=1, end_times=60), _recurring(type=1, end_times=61)),
    ("recurrence.end_times", _recurring(type=1, end_times=1), _recurring(type=1, end_times=0)),
    (
        "recurrence.monthly_week",
        _recurring(type=3, monthly_week=-1, monthly_week_day=7),
        _recurring(type=3, monthly_week=5, monthly_week_day=7),
    ),
    (
        "recurrence.monthly_week_day",
        _recurring(type=3, monthly_week=4, monthly_week_day=7),
        _recurring(type=3, monthly_week=4, monthly_week_day=8),
    ),
    (
        "recurrence.monthly_day",
        _recurring(type=3, monthly_day=31),
        _recurring(type=3, monthly_day=32),
    ),
    (
        "recurrence.monthly_day",
        _recurring(type=3, monthly_day=1),
        _recurring(type=3, monthly_day=0),
    ),
    (
        "recurrence.weekly_days",
        _recurring(type=2, weekly_days="1,7"),
        _recurring(type=2, weekly_days="1,8"),
    ),
    *[
        (
            "recurrence.repeat_interval",
            _recurring(type=kind, repeat_interval=most),
            _recurring(type=kind, repeat_interval=most + 1),
        )
        for kind, most in limits.REPEAT_INTERVAL_MAX.items()
    ],
]


@pytest.mark.parametrize(
    ("field", "at_limit", "beyond"),
    BODY_PROBES,
    ids=[f"{field}-{n}" for n, (field, _, _) in enumerate(BODY_PROBES)],
)
def test_sandbox_takes_the_limit_and_refuses_beyond_it(
    zoom_http: ZoomHTTP, field: str, at_limit: dict[str, Any], beyond: dict[str, Any]
) -> None:
    # Weekly days as a comma list are Zoom's documented form (see the validator's allowances).
    accepted = _create(zoom_http, {"topic": "Limits", **at_limit}, valid=True)
    assert accepted.status_code == 201, accepted.text
    _refused(_create(zoom_http, {"topic": "Limits", **beyond}, valid=False), field)
    # An update is held to the same limits.
    meeting = accepted.json()["id"]
    update = zoom_http.patch(
        "/meetings/{meetingId}", {"meetingId": meeting}, json=beyond, check_request=False
    )
    _refused(update, field)


def test_sandbox_query_limits(zoom_http: ZoomHTTP) -> None:
    for kind in limits.LIST_TYPES:
        assert zoom_http.get(MEETINGS, {"userId": "me"}, params={"type": kind}).status_code == 200
    other = zoom_http.get(MEETINGS, {"userId": "me"}, params={"type": "all"}, check_request=False)
    assert other.status_code == 400
    for size in (limits.MAX_PAGE_SIZE, limits.MAX_PAGE_SIZE + 1):
        page = zoom_http.get(
            MEETINGS, {"userId": "me"}, params={"page_size": size}, check_request=False
        )
        # Beyond the maximum Zoom answers with its largest page rather than an error.
        assert page.json()["page_size"] == limits.MAX_PAGE_SIZE
    default = zoom_http.get(MEETINGS, {"userId": "me"}).json()
    assert default["page_size"] == limits.DEFAULT_PAGE_SIZE
    recording = {"meetingId": SPECIAL_UUIDS["leading_slash"]}
    get = "/meetings/{meetingId}/recordings"
    for ttl, status in [
        (limits.DOWNLOAD_TOKEN_TTL_MIN, 200),
        (limits.DOWNLOAD_TOKEN_TTL_MAX, 200),
        (limits.DOWNLOAD_TOKEN_TTL_MIN - 1, 400),
        (limits.DOWNLOAD_TOKEN_TTL_MAX + 1, 400),
    ]:
        answer = zoom_http.get(
            get,
            recording,
            encode_times=2,
            params={"include_fields": "download_access_token", "ttl": ttl},
            check_request=status == 200,
        )
        assert answer.status_code == status, ttl
    refused_action = zoom_http.delete(
        get, recording, encode_times=2, params={"action": "archive"}, check_request=False
    )
    assert refused_action.status_code == 400
    assert zoom_http.get(get, recording, encode_times=2).status_code == 200  # still there
    refused_trash = zoom_http.get(
        "/users/{userId}/recordings",
        {"userId": "me"},
        params={"trash": "true", "trash_type": "everything"},
        check_request=False,
    )
    assert refused_trash.status_code == 400
    for kind in limits.TRASH_TYPES:
        params = {"trash": "true", "trash_type": kind}
        trash = zoom_http.get("/users/{userId}/recordings", {"userId": "me"}, params=params)
        assert trash.status_code == 200
