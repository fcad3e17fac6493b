"""Arbitrary JSON-ish input through every tool and every entry point.

Whatever an agent or a program sends (text, numbers, nulls, nested lists and objects, deep
nesting, huge numbers, odd Unicode, both spellings of a name, unknown keys, valid-looking
values), no exception but the package's own may escape, every entry point gives the same
verdict, and input the argument model refuses sends no request. Examples are derandomized, so
every run tries the same inputs.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zoom_agent_tools import OPERATIONS, ZoomValidationError
from zoom_agent_tools._input import parse_arguments
from zoom_agent_tools.operations import get_operation

from .entry_points import CountingSession, EntryPoints


def _names() -> list[str]:
    """Every parameter name in both spellings, nested ones included."""
    names: set[str] = set()
    pending = [op.args_model for op in OPERATIONS]
    while pending:
        model = pending.pop()
        for name, info in model.model_fields.items():
            names.update({name, info.alias or name})
            for arg in getattr(info.annotation, "__args__", ()):
                if isinstance(arg, type) and hasattr(arg, "model_fields"):
                    pending.append(arg)
    return sorted(names)


LOOKS_VALID = [
    "me",
    "ada@example.com",
    "85746065432",
    85746065432,
    "aDYlohsHRtCd4ii1uC2+hA==",
    "/ajXp112QmuoKj4854875==",
    "a2f19f96-9294-4f51-8134-6f0eea108eb2",
    "1648194360000",
    "At6eWnFZ1FB3arCXnRxqHLXKhbDW18yz2i2",
    "2026-06-03T10:00:00Z",
    "2026-06-03T10:00:00",
    "2026-06-01",
    "2026-06-30",
    "America/Los_Angeles",
    "Weekly sync",
    "Zoom123",
    "cloud",
    "trash",
    "scheduled",
    "2,4",
    1,
    2,
    8,
    30,
    300,
    True,
    False,
    "true",
    {"type": 2, "weeklyDays": "2,4", "endTimes": 3},
    {"type": 1, "repeatInterval": 2, "endDateTime": "2026-12-31T23:59:00Z"},
]
ODD = [
    "",
    " ",
    "..",
    "%2e%2e",
    "a%2Fb",
    "../../users/me",
    "99999999999999999999",
    "١٢٣٤٥٦٧٨٩",
    "\ud800",
    "a\u200bb",
    "\x00",
    "x" * 5000,
    2**63,
    -(2**63) - 1,
    float("inf"),
    float("nan"),
    1e308,
    -0.0,
    '{"meetingId": "85746065432"}',
    '{"meetingId": ',
    "null",
    [],
    {},
]


def _deep(depth: int, as_list: bool) -> Any:
    node: Any = "x"
    for _ in range(depth):
        node = [node] if as_list else {"a": node}
    return node


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(LOOKS_VALID)
    | st.sampled_from(ODD)
    # Too long for str(): built on demand, so that no strategy's repr has to print it.
    | st.builds(pow, st.just(-10), st.just(5001))
)
keys = st.sampled_from(_names()) | st.text(max_size=12)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=8,
)
deep = st.builds(_deep, st.integers(20, 4000), st.booleans())
arguments = (
    st.dictionaries(keys, values | deep, max_size=6)
    | st.dictionaries(st.sampled_from(_names()), st.sampled_from(LOOKS_VALID), max_size=5)
    | values
    | deep
)
#: Plausible values per parameter, so that many calls pass validation and reach the transport.
PLAUSIBLE: dict[str, list[Any]] = {
    "userId": ["me", "ada@example.com"],
    "topic": ["Weekly sync"],
    "meetingId": [
        "85746065432",
        85746065432,
        "aDYlohsHRtCd4ii1uC2+hA==",
        "/ajXp112QmuoKj4854875==",
    ],
    "occurrenceId": ["1648194360000"],
    "recordingId": ["a2f19f96-9294-4f51-8134-6f0eea108eb2"],
    "nextPageToken": ["At6eWnFZ1FB3arCXnRxqHLXKhbDW18yz2i2"],
    "startTime": ["2026-06-03T10:00:00Z", "2026-06-03T10:00:00"],
    "from": ["2026-06-01"],
    "to": ["2026-06-30"],
    "timezone": ["America/Los_Angeles"],
    "pageSize": [1, 30, 300],
    "duration": [30],
    "type": [1, 2],
    "zoom_list_meetings.type": ["scheduled", "upcoming"],
    "action": ["trash"],
    "ttl": [600],
    "trash": [False],
    "occurrence": ["previous", "latest", "2", 3],
    "query": ["rollback plan"],
    "maxChars": [2000, 20000],
    "cursor": ["MS50LjAuMC4vSGsycFg5d1EwYVZ0Nm1Sek40Y0xRPT3cCuY"],
    "compareInstances": [0, 4],
}


def _plausible(tool: str) -> st.SearchStrategy[Any]:
    """Arguments of ``tool`` from plausible values; sometimes one of them is odd instead."""
    fields = get_operation(tool).args_model.model_fields
    names = {info.alias or name: info.is_required() for name, info in fields.items()}

    def plausible(name: str) -> st.SearchStrategy[Any]:
        known = PLAUSIBLE.get(f"{tool}.{name}") or PLAUSIBLE.get(name)
        return st.sampled_from(known or [True, False, "true", None])

    whole = st.fixed_dictionaries(
        {name: plausible(name) for name, required in names.items() if required},
        optional={
            n: plausible(n) for n, required in names.items() if not required and n in PLAUSIBLE
        },
    )
    one_odd = st.tuples(whole, st.sampled_from(sorted(names)), values).map(
        lambda t: {**t[0], t[1]: t[2]}
    )
    bare = st.sampled_from([v for n, r in names.items() if r for v in PLAUSIBLE[n]])
    return whole | one_odd | bare


cases = st.sampled_from([op.name for op in OPERATIONS]).flatmap(
    lambda tool: st.tuples(st.just(tool), _plausible(tool) | arguments)
)


def _accepted(tool: str, raw: Any) -> bool:
    try:
        parse_arguments(get_operation(tool), raw)
    except ZoomValidationError:
        return False
    return True


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases)
def test_any_input_through_every_entry_point(
    counted: tuple[EntryPoints, CountingSession], case: tuple[str, Any]
) -> None:
    tool, raw = case
    entry_points, session = counted
    accepted = _accepted(tool, raw)

    async def each() -> None:
        for name, call in entry_points.all(raw).items():
            session.sent.clear()
            answer = await call(tool, raw)  # anything but the package's errors escapes here
            # Refused input sends nothing; accepted input sends one request (answered 404),
            # or, for an operation of several requests, what it takes to explain the 404.
            sent = len(session.sent)
            expected = range(1, 3) if accepted and get_operation(tool).run else [int(accepted)]
            assert sent in expected, (name, sent, answer.text)
            assert answer.error, name
            if not accepted:
                assert answer.text.startswith(f"Invalid arguments for {tool}: "), (name, answer)

    asyncio.run(each())
