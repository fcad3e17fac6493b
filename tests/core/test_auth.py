"""Connect and Disconnect: token fetching, caching, renewal, rotation and revocation."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from zoom_agent_tools import (
    AccessTokenAuth,
    FileTokenStore,
    MemoryTokenStore,
    ServerToServerAuth,
    UserOAuth,
    ZoomAuthenticationError,
    ZoomClient,
    ZoomConfigurationError,
)
from zoom_agent_tools.auth import StoredTokens

BASIC = "Basic " + base64.b64encode(b"cid:csecret").decode()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TokenServer:
    """Answers /oauth/token with numbered tokens and counts the calls."""

    def __init__(self, delay: threading.Event | None = None) -> None:
        self.issued = 0
        self.forms: list[dict[str, list[str]]] = []
        self.lock = threading.Lock()
        self.delay = delay

    def __call__(self, request: Request) -> Response:
        if request.headers.get("Authorization") != BASIC:
            return Response(
                json.dumps(
                    {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
                ),
                status=401,
                content_type="application/json",
            )
        if self.delay is not None:
            self.delay.wait(1)
        with self.lock:
            self.issued += 1
            number = self.issued
        self.forms.append(parse_qs(request.get_data(as_text=True)))
        return Response(
            json.dumps(
                {
                    "access_token": f"tok-{number}",
                    "token_type": "bearer",
                    "expires_in": 3600,
                    "scope": "meeting:read",
                }
            ),
            content_type="application/json",
        )


def s2s(httpserver: HTTPServer, clock: Clock, secret: str = "csecret") -> ServerToServerAuth:
    return ServerToServerAuth(
        "acc-1", "cid", secret, oauth_base_url=httpserver.url_for(""), clock=clock
    )


def test_s2s_token_is_fetched_once_and_cached(httpserver: HTTPServer) -> None:
    tokens = TokenServer()
    httpserver.expect_request("/oauth/token", method="POST").respond_with_handler(tokens)
    httpserver.expect_request("/v2/meetings/1").respond_with_json({"id": 1})
    clock = Clock()
    zoom = ZoomClient(s2s(httpserver, clock), base_url=httpserver.url_for("/v2"))
    zoom.get_meeting(meeting_id="1")
    zoom.get_meeting(meeting_id="1")
    assert tokens.issued == 1
    assert tokens.forms[0] == {"grant_type": ["account_credentials"], "account_id": ["acc-1"]}
    api_calls = [r for r, _ in httpserver.log if r.path.startswith("/v2")]
    assert {r.headers["Authorization"] for r in api_calls} == {"Bearer tok-1"}


def test_s2s_token_is_renewed_shortly_before_expiry(httpserver: HTTPServer) -> None:
    tokens = TokenServer()
    httpserver.expect_request("/oauth/token").respond_with_handler(tokens)
    clock = Clock()
    auth = s2s(httpserver, clock)
    zoom = ZoomClient(auth, base_url=httpserver.url_for("/v2"))
    assert auth.access_token(zoom.session, zoom.timeout) == "tok-1"
    clock.now += 3600 - 301
    assert auth.access_token(zoom.session, zoom.timeout) == "tok-1"
    clock.now += 2  # inside the 5-minute margin
    assert auth.access_token(zoom.session, zoom.timeout) == "tok-2"


def test_sixteen_threads_share_one_token_request(httpserver: HTTPServer) -> None:
    gate = threading.Event()
    tokens = TokenServer(delay=gate)
    httpserver.expect_request("/oauth/token").respond_with_handler(tokens)
    httpserver.expect_request("/v2/meetings/1").respond_with_json({"id": 1})
    zoom = ZoomClient(s2s(httpserver, Clock()), base_url=httpserver.url_for("/v2"))
    barrier = threading.Barrier(16)
    results: list[int | None] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            results.append(zoom.get_meeting(meeting_id="1").id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(10)
    assert errors == []
    assert results == [1] * 16
    assert tokens.issued == 1


def test_401_124_forces_one_new_token_and_a_retry(httpserver: HTTPServer) -> None:
    tokens = TokenServer()
    httpserver.expect_request("/oauth/token").respond_with_handler(tokens)

    def api(request: Request) -> Response:
        if request.headers["Authorization"] == "Bearer tok-1":
            return Response(
                json.dumps({"code": 124, "message": "Invalid access token."}),
                status=401,
                content_type="application/json",
            )
        return Response(json.dumps({"id": 1}), content_type="application/json")

    httpserver.expect_request("/v2/meetings/1").respond_with_handler(api)
    zoom = ZoomClient(s2s(httpserver, Clock()), base_url=httpserver.url_for("/v2"))
    assert zoom.get_meeting(meeting_id="1").id == 1
    assert tokens.issued == 2


def test_persistent_401_is_raised_after_one_renewal(httpserver: HTTPServer) -> None:
    tokens = TokenServer()
    httpserver.expect_request("/oauth/token").respond_with_handler(tokens)
    httpserver.expect_request("/v2/meetings/1").respond_with_json(
        {"code": 124, "message": "Invalid access token."}, status=401
    )
    zoom = ZoomClient(s2s(httpserver, Clock()), base_url=httpserver.url_for("/v2"))
    with pytest.raises(ZoomAuthenticationError, match="Zoom error 124"):
        zoom.get_meeting(meeting_id="1")
    assert tokens.issued == 2


def test_bad_client_secret_is_a_clear_auth_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/oauth/token").respond_with_handler(TokenServer())
    zoom = ZoomClient(
        s2s(httpserver, Clock(), secret="wrong-secret-value"), base_url=httpserver.url_for("/v2")
    )
    with pytest.raises(ZoomAuthenticationError) as info:
        zoom.connect()
    text = str(info.value) + repr(info.value)
    assert "Invalid client_id or client_secret" in text
    assert "wrong-secret-value" not in text
    assert "client id, client secret and account id" in text


def test_disconnect_revokes_at_zoom_and_refuses_later_calls(httpserver: HTTPServer) -> None:
    tokens = TokenServer()
    revoked: list[dict[str, list[str]]] = []

    def revoke(request: Request) -> Response:
        assert request.headers["Authorization"] == BASIC
        revoked.append(parse_qs(request.get_data(as_text=True)))
        return Response(json.dumps({"status": "success"}), content_type="application/json")

    httpserver.expect_request("/oauth/token").respond_with_handler(tokens)
    httpserver.expect_request("/oauth/revoke", method="POST").respond_with_handler(revoke)
    httpserver.expect_request("/v2/meetings/1").respond_with_json({"id": 1})
    zoom = ZoomClient(s2s(httpserver, Clock()), base_url=httpserver.url_for("/v2"))
    zoom.get_meeting(meeting_id="1")
    zoom.disconnect()
    assert revoked == [{"token": ["tok-1"]}]
    with pytest.raises(ZoomConfigurationError, match=r"Disconnected.*client\.connect\(\)"):
        zoom.get_meeting(meeting_id="1")
    assert tokens.issued == 1
    zoom.connect()  # Server-to-Server: connecting again fetches a fresh token
    assert zoom.get_meeting(meeting_id="1").id == 1
    assert tokens.issued == 2


def test_ready_token_revocation_needs_client_credentials(httpserver: HTTPServer) -> None:
    zoom = ZoomClient(AccessTokenAuth("abc-token"), base_url=httpserver.url_for("/v2"))
    with pytest.raises(ZoomConfigurationError, match="needs the app's client id and secret"):
        zoom.disconnect()
    httpserver.expect_request("/oauth/revoke").respond_with_json({"status": "success"})
    auth = AccessTokenAuth(
        "abc-token", client_id="cid", client_secret="csecret", oauth_base_url=httpserver.url_for("")
    )
    zoom = ZoomClient(auth, base_url=httpserver.url_for("/v2"))
    zoom.disconnect()
    with pytest.raises(ZoomConfigurationError, match="Disconnected"):
        zoom.get_meeting(meeting_id="1")


def test_user_oauth_pkce_and_rotating_refresh_tokens(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    state: dict[str, str] = {"refresh": "", "challenge": ""}
    seen: list[dict[str, list[str]]] = []

    def token(request: Request) -> Response:
        form = parse_qs(request.get_data(as_text=True))
        seen.append(form)
        grant = form["grant_type"][0]
        if grant == "authorization_code":
            verifier = form["code_verifier"][0]
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            if digest.rstrip(b"=").decode() != state["challenge"] or form["code"] != ["c0de"]:
                return Response(
                    json.dumps({"error": "invalid_grant"}),
                    status=400,
                    content_type="application/json",
                )
        elif form["refresh_token"][0] != state["refresh"]:
            return Response(
                json.dumps({"reason": "Invalid Token!", "error": "invalid_request"}),
                status=400,
                content_type="application/json",
            )
        number = len(seen)
        state["refresh"] = f"refresh-{number}"
        return Response(
            json.dumps(
                {
                    "access_token": f"access-{number}",
                    "expires_in": 3600,
                    "refresh_token": state["refresh"],
                }
            ),
            content_type="application/json",
        )

    httpserver.expect_request("/oauth/token").respond_with_handler(token)
    clock = Clock()
    store = FileTokenStore(tmp_path / "zoom-tokens.json")
    auth = UserOAuth(
        "cid",
        "csecret",
        redirect_uri="http://127.0.0.1/cb",
        store=store,
        oauth_base_url=httpserver.url_for(""),
        clock=clock,
    )
    zoom = ZoomClient(auth, base_url=httpserver.url_for("/v2"))
    url = auth.authorization_url(state="xyz")
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] == ["xyz"]
    state["challenge"] = query["code_challenge"][0]
    with pytest.raises(ZoomAuthenticationError, match="state does not match"):
        auth.exchange_code("c0de", zoom.session, zoom.timeout, state="forged")
    auth.exchange_code("c0de", zoom.session, zoom.timeout, state="xyz")
    assert auth.access_token(zoom.session, zoom.timeout) == "access-1"
    assert json.loads(store.path.read_text()) == {"refresh_token": "refresh-1"}
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600

    clock.now += 3600
    assert auth.access_token(zoom.session, zoom.timeout) == "access-2"
    # The rotated refresh token was saved before the new access token was handed out.
    assert json.loads(store.path.read_text()) == {"refresh_token": "refresh-2"}

    # A new process picks up the saved refresh token.
    again = UserOAuth(
        "cid",
        "csecret",
        redirect_uri="http://127.0.0.1/cb",
        store=FileTokenStore(store.path),
        oauth_base_url=httpserver.url_for(""),
    )
    assert again.access_token(zoom.session, zoom.timeout) == "access-3"
    assert json.loads(store.path.read_text()) == {"refresh_token": "refresh-3"}
    # An older refresh token is dead at Zoom once rotated; it fails with Zoom's reason.
    stale = UserOAuth(
        "cid",
        "csecret",
        redirect_uri="http://127.0.0.1/cb",
        store=MemoryTokenStore(StoredTokens(SecretStr("refresh-2"))),
        oauth_base_url=httpserver.url_for(""),
    )
    with pytest.raises(ZoomAuthenticationError, match="Invalid Token!"):
        stale.access_token(zoom.session, zoom.timeout)
    assert [p.name for p in tmp_path.iterdir()] == ["zoom-tokens.json"]  # no temp files left


def test_user_oauth_without_stored_token_says_how_to_connect() -> None:
    auth = UserOAuth("cid", "csecret", redirect_uri="http://127.0.0.1/cb")
    zoom = ZoomClient(auth, base_url="http://127.0.0.1:9/v2")
    with pytest.raises(ZoomConfigurationError, match=r"authorization_url\(\)"):
        zoom.connect()


def test_from_env_names_missing_variables() -> None:
    with pytest.raises(ZoomConfigurationError) as info:
        ZoomClient.from_env({"ZOOM_ACCOUNT_ID": "a"})
    message = str(info.value)
    assert "ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET are not set" in message
    assert "export ZOOM_CLIENT_ID=" in message


def test_from_env_reads_the_download_folder_with_home_expanded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    env = {"ZOOM_ACCESS_TOKEN": "tkn-secret", "ZOOM_DOWNLOAD_DIR": "~/Zoom files"}
    assert ZoomClient.from_env(env).downloads.directory == tmp_path / "Zoom files"
    env["ZOOM_DOWNLOAD_DIR"] = str(tmp_path / "elsewhere")
    assert ZoomClient.from_env(env).downloads.directory == tmp_path / "elsewhere"


def test_from_env_builds_s2s_and_token_clients() -> None:
    zoom = ZoomClient.from_env(
        {
            "ZOOM_ACCOUNT_ID": "a",
            "ZOOM_CLIENT_ID": "c",
            "ZOOM_CLIENT_SECRET": "very-secret",
            "ZOOM_API_BASE_URL": "http://127.0.0.1:8080/v2",
            "ZOOM_OAUTH_BASE_URL": "http://127.0.0.1:8080",
        }
    )
    assert isinstance(zoom.auth, ServerToServerAuth)
    assert zoom.base_url == "http://127.0.0.1:8080/v2"
    assert zoom.auth.oauth_base_url == "http://127.0.0.1:8080"
    assert "very-secret" not in repr(zoom)
    token = ZoomClient.from_env({"ZOOM_ACCESS_TOKEN": "tkn-secret"})
    assert isinstance(token.auth, AccessTokenAuth)
    assert token.base_url == "https://api.zoom.us/v2"
    assert "tkn-secret" not in repr(token)


def test_constructor_does_no_network_io() -> None:
    # Nothing listens on port 9: construction must still succeed.
    auth = ServerToServerAuth("a", "c", "s", oauth_base_url="http://127.0.0.1:9")
    zoom = ZoomClient(auth, base_url="http://127.0.0.1:9/v2")
    assert auth.token_requests == 0
    zoom.close()


def test_after_a_user_oauth_disconnect_the_message_says_how_to_sign_in_again(
    httpserver: HTTPServer,
) -> None:
    issued: list[str] = []

    def token(request: Request) -> Response:
        issued.append(parse_qs(request.get_data(as_text=True))["grant_type"][0])
        body = {"access_token": f"access-{len(issued)}", "refresh_token": f"refresh-{len(issued)}"}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/oauth/token").respond_with_handler(token)
    httpserver.expect_request("/oauth/revoke").respond_with_json({"status": "success"})
    httpserver.expect_request("/v2/meetings/1").respond_with_json({"id": 1})
    auth = UserOAuth(
        "cid", "csecret", redirect_uri="http://127.0.0.1/cb", oauth_base_url=httpserver.url_for("")
    )
    zoom = ZoomClient(auth, base_url=httpserver.url_for("/v2"))
    auth.authorization_url(state="s1")
    auth.exchange_code("code-1", zoom.session, zoom.timeout, state="s1")
    assert zoom.get_meeting(meeting_id="1").id == 1
    zoom.disconnect()
    with pytest.raises(ZoomConfigurationError) as info:
        zoom.get_meeting(meeting_id="1")
    message = str(info.value)
    assert "connect()" not in message.replace("authorization_url()", "")
    assert "authorization_url()" in message
    assert "exchange_code()" in message
    # Following the advice works.
    auth.authorization_url(state="s2")
    auth.exchange_code("code-2", zoom.session, zoom.timeout, state="s2")
    assert zoom.get_meeting(meeting_id="1").id == 1
    assert issued == ["authorization_code", "authorization_code"]
