"""The in-process transport: the same answers as over a socket, streamed, faults included."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
import requests

from tests.sandbox.conftest import NOW, ZoomHTTP, counting_ticker
from tests.sandboxes import NewSandbox
from zoom_agent_tools.sandbox import SPECIAL_UUIDS, Sandbox, WSGITransport

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

RECORDINGS = "/meetings/{meetingId}/recordings"
MEETINGS = "/users/{userId}/meetings"


def _exchange(zoom_http: ZoomHTTP) -> list[tuple[int, dict[str, str], bytes]]:
    """Status, headers and body of a few requests, the same ones each time."""
    calls = [
        zoom_http.post(MEETINGS, {"userId": "me"}, json={"topic": "Same either way"}),
        zoom_http.get(MEETINGS, {"userId": "me"}, params={"page_size": 2}),
        zoom_http.get(RECORDINGS, {"meetingId": SPECIAL_UUIDS["leading_slash"]}, encode_times=2),
        zoom_http.get(RECORDINGS, {"meetingId": SPECIAL_UUIDS["leading_slash"]}),
        zoom_http.get("/meetings/{meetingId}", {"meetingId": 1}, validate=False),
    ]
    origin = zoom_http.sandbox.oauth_base_url.encode()
    for response in calls:
        assert response.headers["Content-Length"] == str(len(response.content))
    # The body names the origin it was reached at; the server adds Server and Connection.
    skip = ("Server", "Connection", "Content-Length")
    return [
        (
            r.status_code,
            {k: v for k, v in r.headers.items() if k not in skip},
            r.content.replace(origin, b"ORIGIN"),
        )
        for r in calls
    ]


def test_in_process_answers_are_the_served_answers() -> None:
    answers = []
    for serve in (True, False):
        # Seeded alike (same seed and clock), one served and one not.
        sandbox = Sandbox(now=NOW, rate_ticker=counting_ticker())
        if serve:
            sandbox.start()
        try:
            assert sandbox.serving is serve
            answers.append(_exchange(ZoomHTTP(sandbox, sandbox.issue_token())))
        finally:
            sandbox.stop()
    served, in_process = answers
    assert in_process == served
    # The raw path reached the sandbox: double encoding found the instance, single did not.
    assert [status for status, _, _ in in_process] == [201, 200, 200, 404, 404]


def test_in_process_client_needs_no_server(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW) as sandbox:
        assert not sandbox.serving
        with sandbox.client() as client:
            made = client.create_meeting(user_id="me", topic="No socket")
            assert client.get_meeting(meeting_id=str(made.id)).topic == "No socket"
            recording = client.get_meeting_recordings(meeting_id=SPECIAL_UUIDS["leading_slash"])
            assert recording.uuid == SPECIAL_UUIDS["leading_slash"]
        assert client.base_url == "http://localhost/v2"
        with pytest.raises(RuntimeError, match="not serving"):
            sandbox.client(transport="socket")
        with pytest.raises(RuntimeError, match="not serving"):
            sandbox.env()
        with pytest.raises(ValueError, match="transport"):
            sandbox.client(transport="carrier-pigeon")  # type: ignore[arg-type]


@pytest.mark.served
def test_a_served_sandbox_can_still_be_reached_in_process(new_sandbox: NewSandbox) -> None:
    with new_sandbox(now=NOW) as sandbox:
        assert sandbox.serving
        session = sandbox.in_process_session()
        assert isinstance(session.get_adapter(sandbox.api_base_url), WSGITransport)
        with sandbox.client(transport="in-process") as client:
            assert client.list_meetings(user_id="me").items
        assert sandbox.calls["GET /users/{userId}/meetings"] == 1


def test_only_the_sandbox_origin_is_mounted(sandbox: Sandbox) -> None:
    session = sandbox.in_process_session()
    assert isinstance(session.get_adapter("http://localhost/v2/users/me"), WSGITransport)
    for other in ("http://localhost.example/", "http://127.0.0.1:9/", "https://api.zoom.us/v2"):
        assert not isinstance(session.get_adapter(other), WSGITransport), other


def test_downloads_stream_in_process(new_sandbox: NewSandbox) -> None:
    size = 64 * 1024 * 1024
    with new_sandbox(now=NOW, download_file_size=size) as sandbox:
        zoom_http = ZoomHTTP(sandbox, sandbox.issue_token())
        body = zoom_http.get(
            RECORDINGS, {"meetingId": SPECIAL_UUIDS["leading_slash"]}, encode_times=2
        ).json()
        url = next(f for f in body["recording_files"] if f["file_type"] == "MP4")["download_url"]
        headers = {"Authorization": f"Bearer {zoom_http.token}"}
        tracemalloc.start()
        try:
            with zoom_http.session.get(url, headers=headers, stream=True) as response:
                assert response.headers["Content-Length"] == str(size)
                received = sum(len(c) for c in response.iter_content(chunk_size=1 << 20))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert received == size
        assert peak < 16 * 1024 * 1024
        head = zoom_http.session.head(url, headers=headers)
        assert (head.status_code, head.headers["Content-Length"], head.content) == (
            200,
            str(size),
            b"",
        )
        part = zoom_http.session.get(url, headers={**headers, "Range": "bytes=10-19"})
        assert (part.status_code, len(part.content)) == (206, 10)


def test_a_dropped_connection_is_a_connection_error(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    sandbox.faults.inject(operation="meetings", drop=True)
    with pytest.raises(requests.ConnectionError) as raised:
        zoom_http.get(MEETINGS, {"userId": "me"}, validate=False)
    assert not isinstance(raised.value, requests.exceptions.ChunkedEncodingError)
    assert zoom_http.get(MEETINGS, {"userId": "me"}).status_code == 200
    sandbox.faults.inject(method="POST", path=MEETINGS, drop=True, after_write=True)
    with pytest.raises(requests.ConnectionError):
        zoom_http.post(MEETINGS, {"userId": "me"}, json={"topic": "Lost answer"}, validate=False)
    topics = [m["topic"] for m in sandbox.store.list_meetings(sandbox.user_id)]
    assert topics.count("Lost answer") == 1


def test_a_cut_body_is_a_chunked_encoding_error(zoom_http: ZoomHTTP, sandbox: Sandbox) -> None:
    body = zoom_http.get(
        RECORDINGS, {"meetingId": SPECIAL_UUIDS["leading_slash"]}, encode_times=2
    ).json()
    mp4 = next(f for f in body["recording_files"] if f["file_type"] == "MP4")
    sandbox.faults.inject(path="/rec/download/{key}", cut_after=100_000)
    headers = {"Authorization": f"Bearer {zoom_http.token}"}
    response = zoom_http.session.get(mp4["download_url"], headers=headers, stream=True)
    assert response.headers["Content-Length"] == str(mp4["file_size"])
    received = bytearray()

    def read_all() -> None:
        for chunk in response.iter_content(65536):
            received.extend(chunk)

    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        read_all()
    response.close()
    assert 0 < len(received) <= 100_000
    sandbox.faults.inject(operation="meeting", status=200, body="x" * 50, cut_after=10)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        zoom_http.get("/meetings/{meetingId}", {"meetingId": 1}, validate=False)
    whole = zoom_http.session.get(mp4["download_url"], headers=headers)
    assert len(whole.content) == mp4["file_size"]


# -- any WSGI application ---------------------------------------------------------------------


def _echo(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
    """Starts its answer only when its first chunk is asked for (PEP 3333 allows that)."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Seen", "1")])
    yield environ["REQUEST_METHOD"].encode() + b" " + environ["RAW_URI"].encode()
    yield b"|" + environ["PATH_INFO"].encode("latin-1") + b"|" + environ["HTTP_HOST"].encode()
    yield b"|" + environ.get("CONTENT_TYPE", "").encode() + b"|" + environ["HTTP_X_TEST"].encode()
    yield b"|" + body


class _Closing:
    """A response iterable that records whether the server closed it."""

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield b"done"

    def close(self) -> None:
        self.closed = True


def test_any_wsgi_app_gets_the_raw_request(tmp_path: Any) -> None:
    session = WSGITransport(_echo).mount_on(requests.Session(), "http://app.test:8080")
    response = session.post(
        "http://app.test:8080/a%252Fb/c?x=1",
        data={"k": "v"},
        headers={"X-Test": "yes"},
    )
    assert response.status_code == 201
    assert response.reason == "Created"
    assert response.headers["X-Seen"] == "1"
    assert response.text == (
        "POST /a%252Fb/c?x=1|/a%2Fb/c|app.test:8080|application/x-www-form-urlencoded|yes|k=v"
    )
    chunks: Iterable[bytes] = (part for part in (b"a=", b"1"))
    streamed = session.put("http://app.test:8080/up", data=chunks, headers={"X-Test": "gen"})
    assert streamed.text.endswith("|gen|a=1")


def test_the_iterable_is_closed_and_app_errors_reach_the_caller() -> None:
    result = _Closing()

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/broken":
            raise LookupError("a bug in the application")
        start_response("200 OK", [])
        return result

    session = WSGITransport(app).mount_on(requests.Session(), "http://app.test")
    assert session.get("http://app.test/").content == b"done"
    assert result.closed
    with pytest.raises(LookupError, match="a bug"):
        session.get("http://app.test/broken")
