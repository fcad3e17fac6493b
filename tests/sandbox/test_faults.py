"""Fault injection: statuses, Retry-After, delays, dropped connections, cut-off bodies."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from tests import conformance
from tests.sandbox.conftest import ZoomHTTP
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, Sandbox

MEETING = "/meetings/{meetingId}"


def test_status_fault_is_count_limited(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    mid = zoom_http.get("/users/{userId}/meetings", {"userId": "me"}).json()["meetings"][0]["id"]
    sandbox.faults.inject(method="GET", path="/meetings/{meetingId}", status=503, times=2)
    first = zoom_http.get(MEETING, {"meetingId": mid}, validate=False)
    second = zoom_http.get(MEETING, {"meetingId": mid}, validate=False)
    third = zoom_http.get(MEETING, {"meetingId": mid})
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert sandbox.faults.active() == []


def test_429_with_retry_after_by_operation_id(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    sandbox.faults.inject(operation="meetings", status=429, retry_after=7)
    limited = zoom_http.get("/users/{userId}/meetings", {"userId": "me"})
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7"
    assert limited.json()["code"] == 429
    sandbox.faults.inject(
        operation="meetings", status=429, retry_after="Wed, 11 Mar 2026 00:00:00 GMT"
    )
    dated = zoom_http.get("/users/{userId}/meetings", {"userId": "me"})
    assert dated.headers["Retry-After"] == "Wed, 11 Mar 2026 00:00:00 GMT"
    assert zoom_http.get("/users/{userId}/meetings", {"userId": "me"}).status_code == 200


def test_method_must_match_and_clear_removes_faults(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    sandbox.faults.inject(method="DELETE", path="/v2/meetings/{meetingId}", status=500, times=None)
    assert zoom_http.get(MEETING, {"meetingId": 12345678901}).status_code == 404
    assert zoom_http.delete(MEETING, {"meetingId": 1}, validate=False).status_code == 500
    assert zoom_http.delete(MEETING, {"meetingId": 1}, validate=False).status_code == 500
    sandbox.faults.clear()
    assert zoom_http.delete(MEETING, {"meetingId": 12345678901}).status_code == 404


@pytest.mark.served
def test_delay_then_normal_answer_while_others_are_served(
    zoom_http: ZoomHTTP, sandbox: Sandbox
) -> None:
    delay = 0.3
    fault = sandbox.faults.inject(operation="meetings", delay=delay)
    # Its own session: a requests.Session is not shared between threads.
    delayed_client = ZoomHTTP(sandbox, zoom_http.token)
    outcome: dict[str, float | int] = {}

    def delayed() -> None:
        started = time.monotonic()
        response = delayed_client.get("/users/{userId}/meetings", {"userId": "me"}, validate=False)
        outcome["answered_at"] = time.monotonic()
        outcome["elapsed"] = outcome["answered_at"] - started
        outcome["status"] = response.status_code
        conformance.check(response, "/users/{userId}/meetings")

    worker = threading.Thread(target=delayed)
    worker.start()
    deadline = time.monotonic() + 30
    while fault.hits == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert fault.hits == 1
    # The fault has fired and its request now sleeps; another request is answered meanwhile.
    other = zoom_http.get(MEETING, {"meetingId": 12345678901}, validate=False)
    other_answered_at = time.monotonic()
    worker.join(timeout=30)
    assert other.status_code == 404
    assert outcome["status"] == 200
    assert outcome["elapsed"] >= delay
    assert other_answered_at < outcome["answered_at"], "the other request waited for the delay"
    assert sandbox.faults.active() == []


@pytest.mark.served
@pytest.mark.served
@pytest.mark.parametrize(
    ("status", "message"),
    [(500, "Internal Server Error."), (502, "Bad Gateway."), (503, "Service Unavailable.")],
)
def test_status_fault_answers_zoom_shaped_json(
    zoom_http: ZoomHTTP, sandbox: Sandbox, status: int, message: str
) -> None:
    sandbox.faults.inject(operation="meeting", status=status)
    response = zoom_http.get(MEETING, {"meetingId": 12345678901}, validate=False)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"code": status, "message": message}
    sandbox.faults.inject(path="/oauth/token", status=status)
    token = requests.post(
        sandbox.oauth_base_url + "/oauth/token",
        timeout=10,
        auth=(sandbox.client_id, sandbox.client_secret),
        data={"grant_type": "account_credentials", "account_id": sandbox.account_id},
    )
    assert token.status_code == status
    assert token.json() == {"code": status, "message": message}


def test_status_fault_keeps_its_own_body(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    sandbox.faults.inject(
        operation="meeting", status=503, body="<h1>down</h1>", content_type="text/html"
    )
    response = zoom_http.get(MEETING, {"meetingId": 12345678901}, validate=False)
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text == "<h1>down</h1>"


@pytest.mark.served
def test_dropped_connection(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    sandbox.faults.inject(operation="meetings", drop=True)
    with pytest.raises(requests.ConnectionError):
        zoom_http.get("/users/{userId}/meetings", {"userId": "me"}, validate=False)
    assert zoom_http.get("/users/{userId}/meetings", {"userId": "me"}).status_code == 200


@pytest.mark.served
def test_oauth_endpoint_faults(sandbox: Sandbox) -> None:
    sandbox.faults.inject(path="/oauth/token", status=502)
    response = requests.post(
        sandbox.oauth_base_url + "/oauth/token",
        timeout=10,
        auth=(sandbox.client_id, sandbox.client_secret),
        data={"grant_type": "account_credentials", "account_id": sandbox.account_id},
    )
    assert response.status_code == 502


@pytest.mark.served
def test_download_cut_off_part_way(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    body = zoom_http.get(
        "/meetings/{meetingId}/recordings",
        {"meetingId": SPECIAL_UUIDS["leading_slash"]},
        encode_times=2,
    ).json()
    mp4 = next(f for f in body["recording_files"] if f["file_type"] == "MP4")
    sandbox.faults.inject(path="/rec/download/{key}", cut_after=100_000)
    headers = {"Authorization": f"Bearer {zoom_http.token}"}
    response = requests.get(mp4["download_url"], headers=headers, stream=True, timeout=10)
    assert response.headers["Content-Length"] == str(mp4["file_size"])
    received = bytearray()

    def read_all() -> None:
        for chunk in response.iter_content(65536):
            received.extend(chunk)

    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        read_all()
    response.close()
    assert 0 < len(received) <= 100_000
    whole = requests.get(mp4["download_url"], headers=headers, timeout=10)
    assert len(whole.content) == mp4["file_size"]


@pytest.mark.served
def test_admin_endpoint_drives_faults(sandbox: Sandbox) -> None:
    admin = (sandbox.client_id, sandbox.client_secret)
    base = sandbox.oauth_base_url + "/_sandbox/faults"
    assert (
        requests.post(base, json={"operation": "meeting", "status": 500}, timeout=10).status_code
        == 401
    )
    created = requests.post(
        base, json={"operation": "meeting", "status": 500, "times": 3}, auth=admin, timeout=10
    )
    assert created.status_code == 201
    assert created.json()["times"] == 3
    listed = requests.get(base, auth=admin, timeout=10).json()["faults"]
    assert [f["target"] for f in listed] == ["meeting"]
    token = sandbox.issue_token()
    hit = requests.get(
        sandbox.api_base_url + "/meetings/1",
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert hit.status_code == 500
    assert requests.delete(base, auth=admin, timeout=10).status_code == 204
    assert sandbox.faults.active() == []
    invalid = requests.post(base, json={"bogus": 1}, auth=admin, timeout=10)
    assert invalid.status_code == 400


@pytest.mark.served
def test_admin_recordings_and_clock(sandbox: Sandbox) -> None:
    admin = (sandbox.client_id, sandbox.client_secret)
    made = requests.post(
        sandbox.oauth_base_url + "/_sandbox/recordings",
        auth=admin,
        timeout=10,
        json={"topic": "Bench", "file_size": 5000, "file_types": ["MP4"]},
    )
    assert made.status_code == 201
    stored = sandbox.store.get_recording(made.json()["uuid"])
    assert stored is not None
    assert stored["files"][0]["size"] == 5000
    moved = requests.post(
        sandbox.oauth_base_url + "/_sandbox/clock",
        auth=admin,
        timeout=10,
        json={"advance_seconds": 60},
    )
    assert moved.json() == {"now": "2026-03-10T18:31:00Z"}


CREATE = "/users/{userId}/meetings"


def _topics(sandbox: Sandbox) -> list[str]:
    return [m["topic"] for m in sandbox.store.list_meetings(sandbox.user_id)]


@pytest.mark.parametrize(
    "effect",
    [{"status": 500}, {"status": 503, "delay": 0.05}, {"drop": True}],
    ids=["500", "delayed-503", "drop"],
)
def test_after_write_fault_creates_then_loses_the_answer(
    zoom_http: ZoomHTTP, sandbox: Sandbox, effect: dict[str, object]
) -> None:
    fault = sandbox.faults.inject(method="POST", path=CREATE, after_write=True, **effect)
    body = {"topic": "Written anyway", "type": 2, "start_time": "2026-03-12T10:00:00Z"}
    if effect.get("drop"):
        with pytest.raises(requests.ConnectionError):
            zoom_http.post(CREATE, {"userId": "me"}, json=body, validate=False)
    else:
        answer = zoom_http.post(CREATE, {"userId": "me"}, json=body, validate=False)
        assert answer.status_code == effect["status"]
        assert "id" not in answer.json()
    assert fault.hits == 1
    assert _topics(sandbox).count("Written anyway") == 1


def test_fault_before_the_write_creates_nothing(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    sandbox.faults.inject(method="POST", path=CREATE, status=500)
    body = {"topic": "Never written", "type": 2, "start_time": "2026-03-12T10:00:00Z"}
    assert zoom_http.post(CREATE, {"userId": "me"}, json=body, validate=False).status_code == 500
    assert "Never written" not in _topics(sandbox)


@pytest.mark.served
def test_after_write_fault_delays_the_answer_after_writing(
    zoom_http: ZoomHTTP, sandbox: Sandbox
) -> None:
    sandbox.faults.inject(method="POST", path=CREATE, after_write=True, delay=2.0)
    body = {"topic": "Slow answer", "type": 3}
    with pytest.raises(requests.ReadTimeout):
        zoom_http.session.post(
            sandbox.api_base_url + "/users/me/meetings",
            json=body,
            headers={"Authorization": f"Bearer {zoom_http.token}"},
            timeout=(5, 0.3),
        )
    # The meeting exists while the answer is still on its way.
    assert _topics(sandbox).count("Slow answer") == 1


@pytest.mark.served
def test_after_write_needs_an_effect_and_is_accepted_over_http(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="after_write needs"):
        sandbox.faults.inject(method="POST", path=CREATE, after_write=True, cut_after=10)
    admin = (sandbox.client_id, sandbox.client_secret)
    created = requests.post(
        sandbox.oauth_base_url + "/_sandbox/faults",
        json={"method": "POST", "path": CREATE, "status": 502, "after_write": True},
        auth=admin,
        timeout=10,
    )
    assert created.status_code == 201
    assert created.json()["after_write"] is True
    token = sandbox.issue_token()
    answer = requests.post(
        sandbox.api_base_url + "/users/me/meetings",
        json={"topic": "Over HTTP", "type": 3},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 502
    assert _topics(sandbox).count("Over HTTP") == 1
