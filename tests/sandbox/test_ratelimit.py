"""Rate limits of the sandbox: per-second buckets per category and the daily meeting cap."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import NOW, ZoomHTTP, counting_ticker
from tests.sandboxes import NewSandbox
from zoom_agent_tools.sandbox import ManualClock, Sandbox

MEETINGS = "/users/{userId}/meetings"


def test_per_second_limits_on_the_free_plan(new_sandbox: NewSandbox) -> None:
    tick = [0.0]
    with new_sandbox(now=NOW, plan="free", rate_ticker=lambda: tick[0]) as sb:
        zoom_http = ZoomHTTP(sb, sb.issue_token())
        light = [
            zoom_http.get("/meetings/{meetingId}", {"meetingId": 12345678901}) for _ in range(4)
        ]
        assert [r.headers["X-RateLimit-Remaining"] for r in light] == ["3", "2", "1", "0"]
        assert all(r.headers["X-RateLimit-Category"] == "Light" for r in light)
        assert all(r.headers["X-RateLimit-Limit"] == "4" for r in light)
        limited = zoom_http.get("/meetings/{meetingId}", {"meetingId": 12345678901})
        assert limited.status_code == 429
        assert limited.json() == {
            "code": 429,
            "message": "You have reached the maximum per-second rate limit for this API. "
            "Try again later.",
        }
        assert limited.headers["X-RateLimit-Type"] == "QPS"
        assert limited.headers["Retry-After"] == "1"
        # Medium is a separate bucket of 2 per second.
        medium = [zoom_http.get(MEETINGS, {"userId": "me"}) for _ in range(3)]
        assert [r.status_code for r in medium] == [200, 200, 429]
        tick[0] += 1
        assert zoom_http.get(MEETINGS, {"userId": "me"}).status_code == 200


def test_rate_limits_can_be_switched_off(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW, plan="free", rate_limits=False, rate_ticker=lambda: 0.0) as sb:
        zoom_http = ZoomHTTP(sb, sb.issue_token())
        statuses = {zoom_http.get(MEETINGS, {"userId": "me"}).status_code for _ in range(10)}
        assert statuses == {200}
    with new_sandbox(now=NOW, plan="unlimited", rate_ticker=lambda: 0.0) as sb:
        zoom_http = ZoomHTTP(sb, sb.issue_token())
        response = zoom_http.get(MEETINGS, {"userId": "me"})
        assert "X-RateLimit-Limit" not in response.headers


def test_daily_create_update_cap(zoom_http: ZoomHTTP, sandbox: Sandbox, clock: ManualClock) -> None:
    session = zoom_http.session
    headers = {"Authorization": f"Bearer {zoom_http.token}"}
    url = sandbox.api_base_url + "/users/me/meetings"
    first = session.post(url, json={"topic": "cap"}, headers=headers, timeout=10).json()
    for _ in range(98):
        assert (
            session.post(url, json={"topic": "cap"}, headers=headers, timeout=10).status_code == 201
        )
    patched = session.patch(
        sandbox.api_base_url + f"/meetings/{first['id']}",
        json={"topic": "100th"},
        headers=headers,
        timeout=10,
    )
    assert patched.status_code == 204
    capped = zoom_http.post(MEETINGS, {"userId": "me"}, json={"topic": "one too many"})
    assert capped.status_code == 429
    assert capped.json() == {
        "code": 429,
        "message": "You have exceeded the daily rate limit (100) of Meeting Create/Update API "
        "requests permitted for this particular user. You may resume these requests "
        "at GMT 00:00:00.",
    }
    assert capped.headers["X-RateLimit-Type"] == "Daily-limit"
    assert capped.headers["Retry-After"] == "2026-03-11T00:00:00Z"
    # The cap is per user: another host in the account may still create.
    other = zoom_http.post(MEETINGS, {"userId": "lin.cohost@example.com"}, json={"topic": "ok"})
    assert other.status_code == 201
    # Reading is unaffected, and the cap resets at 00:00 UTC.
    assert zoom_http.get(MEETINGS, {"userId": "me"}).status_code == 200
    clock.advance(hours=5, minutes=30)
    assert zoom_http.post(MEETINGS, {"userId": "me"}, json={"topic": "new day"}).status_code == 201


def test_counting_ticker_fixture_never_trips_qps(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW, plan="free", rate_ticker=counting_ticker()) as sb:
        zoom_http = ZoomHTTP(sb, sb.issue_token())
        assert {zoom_http.get(MEETINGS, {"userId": "me"}).status_code for _ in range(6)} == {200}


# Per-second limits per plan and category, from Zoom's rate-limit page
# (developers.zoom.us/docs/api/rest/rate-limits/).
PLAN_LIMITS = {"free": (4, 2), "pro": (30, 20), "business": (80, 60)}


@pytest.mark.parametrize("plan", sorted(PLAN_LIMITS))
def test_per_second_limits_of_each_plan(new_sandbox: NewSandbox, plan: str) -> None:
    light_limit, medium_limit = PLAN_LIMITS[plan]
    tick = [100.0]
    with new_sandbox(now=NOW, plan=plan, rate_ticker=lambda: tick[0]) as sb:
        zoom_http = ZoomHTTP(sb, sb.issue_token())
        meeting_id = zoom_http.get(MEETINGS, {"userId": "me"}).json()["meetings"][0]["id"]
        tick[0] += 1  # a fresh second: the list call above used one Medium request
        cases = [
            ("Light", light_limit, "/meetings/{meetingId}", {"meetingId": meeting_id}),
            ("Medium", medium_limit, MEETINGS, {"userId": "me"}),
        ]
        for category, limit, template, path in cases:
            allowed = [zoom_http.get(template, path) for _ in range(limit)]
            assert {r.status_code for r in allowed} == {200}, category
            assert {r.headers["X-RateLimit-Category"] for r in allowed} == {category}
            assert {r.headers["X-RateLimit-Limit"] for r in allowed} == {str(limit)}
            assert allowed[-1].headers["X-RateLimit-Remaining"] == "0"
            limited = zoom_http.get(template, path)
            assert limited.status_code == 429, category
            assert limited.json()["code"] == 429
            assert limited.headers["X-RateLimit-Category"] == category
            assert limited.headers["X-RateLimit-Limit"] == str(limit)
            assert limited.headers["X-RateLimit-Type"] == "QPS"
        tick[0] += 1
        assert zoom_http.get(MEETINGS, {"userId": "me"}).status_code == 200
        assert zoom_http.get("/meetings/{meetingId}", {"meetingId": meeting_id}).status_code == 200
