"""Attendance from participant rows: rejoins merged, time present counted once, and the usual
attendees who were absent."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from tests.core.test_imports import loaded_by
from zoom_agent_tools.attendance import attendance, people
from zoom_agent_tools.models import Attendance, Participant, PastInstance

INSTANCE = PastInstance(uuid="aDYlohsHRtCd4ii1uC2+hA==")


def _row(
    name: str,
    join: str,
    leave: str,
    *,
    user: str = "",
    email: str = "",
    **extra: Any,
) -> Participant:
    """A participant row; times are minutes:seconds past 10:00 UTC."""
    return Participant.model_validate(
        {
            "id": user,
            "name": name,
            "user_email": email,
            "join_time": f"2026-03-03T10:{join}Z",
            "leave_time": f"2026-03-03T10:{leave}Z",
            "status": "in_meeting",
            **extra,
        }
    )


def test_rejoins_are_merged_by_user_id_then_email_then_a_guests_name() -> None:
    rows = [
        _row("Priya Natarajan", "00:00", "30:00", user="u-priya", email="priya@example.com"),
        _row("Kenji", "00:10", "05:00", user="u-kenji"),
        _row("Kenji Watanabe", "06:00", "30:00", user="u-kenji", email="kenji@example.com"),
        # The same e-mail from a phone without a Zoom user id: Kenji again.
        _row("Kenji (phone)", "07:00", "08:00", email="KENJI@example.com"),
        _row("Jordan Lee (Contractor)", "03:00", "10:00"),
        _row("jordan  lee (contractor)", "12:00", "30:00"),
        # Two people named alike, with different ids, stay two.
        _row("Alex Kim", "00:00", "10:00", user="u-alex-1"),
        _row("Alex Kim", "00:00", "20:00", user="u-alex-2"),
        # Let in never: not an attendee.
        _row("Lurker", "00:00", "30:00", user="u-lurker", status="in_waiting_room"),
    ]
    result = attendance(INSTANCE, rows)
    shown = {(a.name, a.user_id, a.email, a.sessions, a.minutes) for a in result.attendees}
    assert shown == {
        ("Priya Natarajan", "u-priya", "priya@example.com", 1, 30.0),
        # 04:50 + 24:00 (the phone call overlaps the second session): 28:50.
        ("Kenji", "u-kenji", "KENJI@example.com", 3, 28.8),
        ("Jordan Lee (Contractor)", None, None, 2, 25.0),
        ("Alex Kim", "u-alex-1", None, 1, 10.0),
        ("Alex Kim", "u-alex-2", None, 1, 20.0),
    }
    kenji = next(a for a in result.attendees if a.user_id == "u-kenji")
    assert (kenji.first_join, kenji.last_leave) == ("2026-03-03T10:00:10Z", "2026-03-03T10:30:00Z")
    assert [a.first_join for a in result.attendees] == sorted(
        a.first_join or "" for a in result.attendees
    )
    assert result.absent is None
    assert result.to_output()["absentNote"].startswith("Unknown")


def test_a_guest_joins_the_one_identified_person_of_that_name() -> None:
    rows = [
        _row("Sofia Alvarez", "00:00", "10:00", user="u-sofia"),
        _row("Sofia Alvarez", "11:00", "20:00"),  # the dial-in after her laptop died
    ]
    (sofia,) = people(rows)
    assert len(sofia.rows) == 2
    assert sofia.seconds() == 19 * 60


def test_rows_without_times_count_their_duration() -> None:
    row = Participant.model_validate({"name": "Old Row", "duration": 125, "status": "in_meeting"})
    (person,) = people([row])
    assert person.seconds() == 125


def test_usual_attendees_who_missed_it() -> None:
    def week(*names: str) -> list[Participant]:
        return [
            _row(n, "00:00", "15:00", user=f"u-{n.split()[0].lower()}")
            if n != "Guest Jo"
            else _row(n, "00:00", "15:00")
            for n in names
        ]

    now = week("Priya N", "Kenji W", "Sofia A", "Guest Jo")
    history = [
        week("Priya N", "Marcus W", "Kenji W", "Lin C", "Guest Jo"),
        week("Priya N", "Marcus W", "Kenji W"),
        week("Priya N", "Marcus W", "Lin C", "Sofia A"),
        week("Priya N", "Kenji W", "Dana Once"),
    ]
    result = attendance(INSTANCE, now, history)
    assert result.compared_instances == 4
    assert [(a.name, a.seen_in) for a in result.absent or []] == [("Marcus W", 3), ("Lin C", 2)]
    shown = result.to_output()
    assert shown["absent"] == [
        {"name": "Marcus W", "userId": "u-marcus", "seenIn": 3},
        {"name": "Lin C", "userId": "u-lin", "seenIn": 2},
    ]
    assert "absentNote" not in shown


def test_to_dataframe_has_a_row_per_person() -> None:
    import pandas

    result = attendance(
        INSTANCE,
        [_row("Priya N", "00:00", "15:00", user="u-p")],
        [[_row("Marcus W", "00:00", "15:00", user="u-m")]],
    )
    frame = result.to_dataframe()
    assert list(frame["name"]) == ["Priya N", "Marcus W"]
    assert list(frame["present"]) == [True, False]
    assert list(frame["minutes"]) == [15.0, 0.0]
    assert frame["first_join"].iloc[0] == pandas.Timestamp("2026-03-03T10:00:00Z")
    assert str(frame["first_join"].dtype).startswith("datetime64")
    assert frame["seen_in"].isna().tolist() == [True, False]
    assert int(frame["seen_in"].iloc[1]) == 1


@pytest.mark.parametrize("method", ["to_dataframe", "timeline"])
def test_frames_without_pandas_say_how_to_get_it(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'zoom-agent-tools\[pandas\]'"):
        getattr(Attendance(instance=INSTANCE), method)()


def test_spans_merge_overlapping_and_touching_sessions_and_keep_gaps() -> None:
    rows = [
        _row("Kenji", "00:00", "05:00", user="u-kenji"),
        _row("Kenji", "04:00", "08:00", user="u-kenji"),  # overlaps: one stretch
        _row("Kenji", "08:00", "09:00", user="u-kenji"),  # touches it: the same stretch
        _row("Kenji", "20:00", "30:00", user="u-kenji"),  # after a gap: a stretch of its own
        # A row without a leave time adds its duration, and no stretch.
        _row("Kenji", "10:00", "10:00", user="u-kenji", leave_time=None, duration=60),
    ]
    [kenji] = attendance(INSTANCE, rows).attendees
    assert [(s.start, s.end) for s in kenji.spans] == [
        ("2026-03-03T10:00:00Z", "2026-03-03T10:09:00Z"),
        ("2026-03-03T10:20:00Z", "2026-03-03T10:30:00Z"),
    ]
    assert kenji.minutes == 20.0  # 9 + 10 minutes in, and the minute of the untimed row
    assert kenji.sessions == 5


def test_spans_are_in_python_only_not_in_the_tool_output() -> None:
    result = attendance(INSTANCE, [_row("Priya N", "00:00", "15:00", user="u-p")])
    assert result.attendees[0].spans
    assert "spans" not in result.to_output()["attendees"][0]
    assert "spans" not in result.attendees[0].model_dump()


def test_timeline_has_a_row_per_stretch_in_order_of_first_join() -> None:
    import pandas

    rows = [
        _row("Sofia", "02:00", "30:00", user="u-sofia"),
        _row("Jordan Lee (Contractor)", "03:00", "10:00"),
        _row("Jordan Lee (Contractor)", "12:00", "30:00"),
        _row("Priya", "00:00", "30:00", user="u-priya"),
    ]
    frame = attendance(INSTANCE, rows).timeline()
    assert list(frame.columns) == ["name", "start", "end", "minutes"]
    assert list(frame["name"]) == [
        "Priya",
        "Sofia",
        "Jordan Lee (Contractor)",
        "Jordan Lee (Contractor)",
    ]
    assert list(frame["minutes"]) == [30.0, 28.0, 7.0, 18.0]
    assert frame["start"].iloc[3] == pandas.Timestamp("2026-03-03T10:12:00Z")
    assert str(frame["end"].dtype).startswith("datetime64")
    assert attendance(INSTANCE, []).timeline().empty


def test_pandas_is_loaded_only_for_a_dataframe() -> None:
    statement = (
        "import zoom_agent_tools\n"
        "from zoom_agent_tools.attendance import attendance\n"
        "from zoom_agent_tools.models import PastInstance\n"
        "attendance(PastInstance(uuid='aDYlohsHRtCd4ii1uC2+hA=='), [])"
    )
    assert loaded_by(statement, ("pandas", "numpy")) == []
    assert "pandas" in loaded_by(statement + ".to_dataframe()", ("pandas",))
