"""OAuth of the sandbox: the three grants, PKCE, rotation, revocation, and bearer checks."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.sandbox.conftest import ZoomHTTP
from zoom_agent_tools.sandbox import ManualClock, Sandbox

# These tests speak to the OAuth endpoints with plain requests calls, over loopback.
pytestmark = pytest.mark.served

REDIRECT = "http://127.0.0.1:9/callback"


def s2s_token(sb: Sandbox, **overrides: str) -> requests.Response:
    params = {"grant_type": "account_credentials", "account_id": sb.account_id, **overrides}
    return requests.post(
        sb.oauth_base_url + "/oauth/token",
        data=params,
        auth=(sb.client_id, sb.client_secret),
        timeout=10,
    )


def authorize(sb: Sandbox, client_id: str, **extra: str) -> str:
    form = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "state": "xyz",
        "approve": "1",
        **extra,
    }
    response = requests.post(
        sb.oauth_base_url + "/oauth/authorize", data=form, allow_redirects=False, timeout=10
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def exchange(sb: Sandbox, client: tuple[str, str], **form: str) -> requests.Response:
    data = {"grant_type": "authorization_code", "redirect_uri": REDIRECT, **form}
    return requests.post(sb.oauth_base_url + "/oauth/token", data=data, auth=client, timeout=10)


def me(sb: Sandbox, token: str) -> requests.Response:
    return requests.get(
        sb.api_base_url + "/users/me/meetings",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_server_to_server_token(sandbox: Sandbox) -> None:
    response = s2s_token(sandbox)
    body = response.json()
    assert response.status_code == 200
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert "refresh_token" not in body
    assert "meeting:write:meeting:admin" in body["scope"].split()
    assert me(sandbox, body["access_token"]).status_code == 200
    query_form = requests.post(
        sandbox.oauth_base_url + "/oauth/token",
        params={"grant_type": "account_credentials", "account_id": sandbox.account_id},
        auth=(sandbox.client_id, sandbox.client_secret),
        timeout=10,
    )
    assert query_form.status_code == 200


def test_token_endpoint_errors(sandbox: Sandbox) -> None:
    wrong_secret = requests.post(
        sandbox.oauth_base_url + "/oauth/token",
        data={"grant_type": "account_credentials", "account_id": sandbox.account_id},
        auth=(sandbox.client_id, "wrong"),
        timeout=10,
    )
    assert wrong_secret.status_code == 401
    assert wrong_secret.json() == {
        "reason": "Invalid client_id or client_secret",
        "error": "invalid_client",
    }
    assert s2s_token(sandbox, account_id="other").status_code == 400
    unsupported = s2s_token(sandbox, grant_type="password")
    assert unsupported.json()["error"] == "unsupported_grant_type"
    no_auth = requests.post(
        sandbox.oauth_base_url + "/oauth/token",
        data={"grant_type": "account_credentials"},
        timeout=10,
    )
    assert no_auth.status_code == 400


def test_consent_page_has_an_approve_form(sandbox: Sandbox) -> None:
    client_id, _ = sandbox.register_oauth_app(redirect_uri=REDIRECT)
    page = requests.get(
        sandbox.oauth_base_url + "/oauth/authorize",
        timeout=10,
        params={
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": REDIRECT,
            "state": "<script>",
        },
    )
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert '<form method="post" action="/oauth/authorize">' in page.text
    assert ">Allow</button>" in page.text  # as on Zoom's consent page
    assert "<script>" not in page.text
    assert "&lt;script&gt;" in page.text
    denied = requests.post(
        sandbox.oauth_base_url + "/oauth/authorize",
        timeout=10,
        allow_redirects=False,
        data={"client_id": client_id, "approve": "0"},
    )
    assert "error=access_denied" in denied.headers["Location"]
    wrong_redirect = requests.get(
        sandbox.oauth_base_url + "/oauth/authorize",
        timeout=10,
        params={"client_id": client_id, "redirect_uri": "https://evil.example/cb"},
    )
    assert wrong_redirect.status_code == 400


def test_authorization_code_with_pkce_s256(sandbox: Sandbox) -> None:
    client = sandbox.register_oauth_app(redirect_uri=REDIRECT)
    verifier = "v" * 50
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    code = authorize(sandbox, client[0], code_challenge=challenge, code_challenge_method="S256")
    wrong = exchange(sandbox, client, code=code, code_verifier="w" * 50)
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    # A failed exchange used the code up, as a single-use code must be.
    code = authorize(sandbox, client[0], code_challenge=challenge, code_challenge_method="S256")
    ok = exchange(sandbox, client, code=code, code_verifier=verifier)
    assert ok.status_code == 200
    body = ok.json()
    assert body["refresh_token"]
    assert body["scope"].split()[0] == "meeting:write:meeting"
    assert me(sandbox, body["access_token"]).status_code == 200
    reused = exchange(sandbox, client, code=code, code_verifier=verifier)
    assert reused.json()["error"] == "invalid_grant"


def test_authorization_code_plain_expiry_and_redirect(sandbox: Sandbox, clock: ManualClock) -> None:
    client = sandbox.register_oauth_app(redirect_uri=REDIRECT)
    code = authorize(sandbox, client[0], code_challenge="plain-secret")
    assert exchange(sandbox, client, code=code, code_verifier="plain-secret").status_code == 200
    code = authorize(sandbox, client[0])
    mismatch = exchange(sandbox, client, code=code, redirect_uri="http://127.0.0.1:9/other")
    assert mismatch.status_code == 400
    code = authorize(sandbox, client[0])
    clock.advance(5 * 60 + 1)
    expired = exchange(sandbox, client, code=code)
    assert expired.json()["error"] == "invalid_grant"


def test_refresh_rotates(sandbox: Sandbox) -> None:
    client = sandbox.register_oauth_app(redirect_uri=REDIRECT)
    first = exchange(sandbox, client, code=authorize(sandbox, client[0])).json()

    def refresh(token: str) -> requests.Response:
        return requests.post(
            sandbox.oauth_base_url + "/oauth/token",
            auth=client,
            timeout=10,
            data={"grant_type": "refresh_token", "refresh_token": token},
        )

    second = refresh(first["refresh_token"])
    assert second.status_code == 200
    new = second.json()
    assert new["refresh_token"] != first["refresh_token"]
    assert me(sandbox, new["access_token"]).status_code == 200
    old = refresh(first["refresh_token"])
    assert old.status_code == 400
    assert old.json() == {"reason": "Invalid Token!", "error": "invalid_request"}
    assert refresh(new["refresh_token"]).status_code == 200


def test_revoke_user_token_kills_refresh_token(sandbox: Sandbox) -> None:
    client = sandbox.register_oauth_app(redirect_uri=REDIRECT)
    tokens = exchange(sandbox, client, code=authorize(sandbox, client[0])).json()
    revoked = requests.post(
        sandbox.oauth_base_url + "/oauth/revoke",
        auth=client,
        timeout=10,
        data={"token": tokens["access_token"]},
    )
    assert revoked.status_code == 200
    assert revoked.json() == {"status": "success"}
    refused = me(sandbox, tokens["access_token"])
    assert refused.status_code == 401
    assert refused.json() == {"code": 124, "message": "Invalid access token."}
    again = requests.post(
        sandbox.oauth_base_url + "/oauth/token",
        auth=client,
        timeout=10,
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert again.json()["reason"] == "Invalid Token!"


def test_revoke_server_to_server_token(sandbox: Sandbox) -> None:
    token = s2s_token(sandbox).json()["access_token"]
    other = s2s_token(sandbox).json()["access_token"]
    response = requests.post(
        sandbox.oauth_base_url + "/oauth/revoke",
        timeout=10,
        auth=(sandbox.client_id, sandbox.client_secret),
        data={"token": token},
    )
    assert response.json() == {"status": "success"}
    assert me(sandbox, token).status_code == 401
    assert me(sandbox, other).status_code == 200


def test_bearer_checks(sandbox: Sandbox, clock: ManualClock) -> None:
    zoom_http = ZoomHTTP(sandbox, None)
    missing = zoom_http.get("/users/{userId}/meetings", {"userId": "me"})
    assert missing.status_code == 401
    assert missing.json()["code"] == 124
    garbage = zoom_http.get("/users/{userId}/meetings", {"userId": "me"}, token="garbage")
    assert garbage.json() == {"code": 124, "message": "Invalid access token."}
    short = sandbox.issue_token()
    clock.advance(3601)
    expired = zoom_http.get("/users/{userId}/meetings", {"userId": "me"}, token=short)
    assert expired.status_code == 401
    assert expired.json() == {"code": 124, "message": "Access token is expired."}
    narrow = sandbox.issue_token(["meeting:read:meeting:admin"])
    denied = zoom_http.post(
        "/users/{userId}/meetings", {"userId": "me"}, token=narrow, json={"topic": "x"}
    )
    assert denied.status_code == 400
    assert denied.json() == {
        "code": 4700,
        "message": "Invalid access token, does not contain scopes:[meeting:write:meeting].",
    }
    classic = sandbox.issue_token(["meeting:write"])
    assert (
        zoom_http.post(
            "/users/{userId}/meetings", {"userId": "me"}, token=classic, json={"topic": "x"}
        ).status_code
        == 201
    )


def test_registered_client_scopes_reach_its_tokens(sandbox: Sandbox) -> None:
    client_id, secret = sandbox.register_client(scopes=["meeting:read:list_meetings:admin"])
    token = requests.post(
        sandbox.oauth_base_url + "/oauth/token",
        auth=(client_id, secret),
        timeout=10,
        data={"grant_type": "account_credentials", "account_id": sandbox.account_id},
    ).json()["access_token"]
    assert me(sandbox, token).status_code == 200
    recordings = requests.get(
        sandbox.api_base_url + "/users/me/recordings",
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert recordings.status_code == 400
    assert recordings.json()["code"] == 4700
