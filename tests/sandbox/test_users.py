"""Get a user (``GET /users/{userId}``, Zoom's Users API), and the seeded user-level OAuth app
whose loopback redirect may use any port, as Zoom allows with PKCE."""

from __future__ import annotations

import pytest
import requests

from tests import conformance
from tests.sandbox.conftest import ZoomHTTP
from zoom_agent_tools.sandbox import Sandbox
from zoom_agent_tools.sandbox.oauth import redirect_allowed
from zoom_agent_tools.status import current_user

TEMPLATE = "/users/{userId}"


def test_me_is_the_tokens_user(sandbox: Sandbox, zoom_http: ZoomHTTP) -> None:
    answer = zoom_http.get(TEMPLATE, {"userId": "me"})
    assert answer.status_code == 200
    user = answer.json()
    assert user["id"] == sandbox.user_id
    assert user["email"] == sandbox.user_email
    assert user["display_name"] == "Ada Host"
    assert user["account_id"] == sandbox.account_id
    assert user["type"] == 2
    assert user["status"] == "active"
    assert len(str(user["pmi"])) == 10
    by_id = zoom_http.get(TEMPLATE, {"userId": sandbox.user_id}).json()
    by_email = zoom_http.get(TEMPLATE, {"userId": sandbox.user_email}).json()
    assert by_id == by_email == user


def test_an_unknown_user_is_zooms_1001(zoom_http: ZoomHTTP) -> None:
    answer = zoom_http.get(TEMPLATE, {"userId": "nobody@example.com"})
    assert answer.status_code == 404
    assert answer.json() == {"code": 1001, "message": "User does not exist: nobody@example.com."}


def test_scopes_are_checked(sandbox: Sandbox, zoom_http: ZoomHTTP) -> None:
    meetings_only = sandbox.issue_token(["meeting:read:meeting:admin"])
    refused = zoom_http.get(TEMPLATE, {"userId": "me"}, token=meetings_only)
    assert refused.status_code == 400
    assert refused.json()["code"] == 4700
    assert "user:read:user" in refused.json()["message"]
    # "The user_info:read scope is only available when you pass the me value."
    info_only = sandbox.issue_token(["user_info:read"])
    assert zoom_http.get(TEMPLATE, {"userId": "me"}, token=info_only).status_code == 200
    other = zoom_http.get(TEMPLATE, {"userId": sandbox.user_email}, token=info_only)
    assert other.status_code == 400
    assert other.json()["code"] == 4700


def test_the_seeded_user_app(sandbox: Sandbox) -> None:
    app = sandbox.user_app
    assert app.redirect_uri == "http://127.0.0.1/callback"
    assert app.client_id != sandbox.client_id
    assert sandbox.user_app == app  # the same app on every look


@pytest.mark.parametrize(
    ("uri", "pkce", "allowed"),
    [
        ("http://127.0.0.1/callback", False, True),
        ("http://127.0.0.1:53682/callback", True, True),
        ("http://127.0.0.1:53682/callback", False, False),
        ("http://127.0.0.1:53682/other", True, False),
        ("http://localhost:53682/callback", True, False),
        ("https://127.0.0.1:53682/callback", True, False),
        ("http://127.0.0.1:53682/callback?x=1", True, False),
        ("http://127.0.0.1:port/callback", True, False),
        ("http://evil.example/callback", True, False),
    ],
)
def test_a_loopback_redirects_port_is_ignored_with_pkce_only(
    uri: str, pkce: bool, allowed: bool
) -> None:
    assert redirect_allowed(uri, "http://127.0.0.1/callback", pkce=pkce) is allowed


def test_the_clients_request_for_me_conforms(sandbox: Sandbox) -> None:
    seen: list[requests.Response] = []
    session = requests.Session()
    session.hooks["response"].append(lambda response, *args, **kwargs: seen.append(response))
    with sandbox.client(session=session) as client:
        user = current_user(client)
    assert (user.email, user.name, user.account_id) == (
        sandbox.user_email,
        "Ada Host",
        sandbox.account_id,
    )
    [exchange] = [r for r in seen if "/v2/" in r.url]
    conformance.check(exchange, TEMPLATE)
