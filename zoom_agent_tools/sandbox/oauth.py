"""OAuth of the sandbox: client registry, token grants, consent page, revocation, bearer checks."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlencode, urlsplit, urlunsplit

from werkzeug.wrappers import Request, Response

from zoom_agent_tools.sandbox.clock import format_utc, parse_utc
from zoom_agent_tools.sandbox.errors import ZoomAPIError, json_response
from zoom_agent_tools.sandbox.ids import IdFactory, token_hash
from zoom_agent_tools.sandbox.limits import AUTHORIZATION_CODE_TTL, REFRESH_TOKEN_TTL
from zoom_agent_tools.sandbox.seed import HOST_ID, USER_SCOPES
from zoom_agent_tools.sandbox.store import Doc, Store

__all__ = ["USER_APP_REDIRECT_URI", "OAuthApp", "OAuthService", "redirect_allowed"]

#: The redirect URI of the seeded user-level OAuth app: any loopback port, as Zoom allows.
USER_APP_REDIRECT_URI = "http://127.0.0.1/callback"


class OAuthApp(NamedTuple):
    """An OAuth app registered with the sandbox: what a developer copies from the Marketplace."""

    client_id: str
    client_secret: str
    redirect_uri: str | None


def _loopback_key(uri: str) -> tuple[str, str, str] | None:
    """Scheme, host and path of an http redirect URI to a loopback IP literal, else None."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "::1") or parts.query:
        return None
    return parts.scheme, parts.hostname, parts.path


def redirect_allowed(uri: str, registered: str | None, *, pkce: bool) -> bool:
    """Whether an app registered with ``registered`` may redirect to ``uri``.

    Exactly the registered URI; with PKCE also a loopback URI that differs only in its port
    ("Zoom ignores the port when it matches loopback redirect URIs", Zoom's developer
    changelog "PKCE loopback support", after RFC 8252 section 7.3).
    """
    if registered is None:
        return False
    if uri == registered:
        return True
    key = _loopback_key(uri)
    return pkce and key is not None and key == _loopback_key(registered)


def _oauth_error(status: int, error: str, reason: str) -> Response:
    return json_response({"reason": reason, "error": error}, status)


class _OAuthFailure(Exception):
    def __init__(self, status: int, error: str, reason: str) -> None:
        super().__init__(reason)
        self.response = _oauth_error(status, error, reason)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OAuthService:
    """Issues and checks tokens; every decision uses the injected clock."""

    def __init__(
        self,
        store: Store,
        ids: IdFactory,
        clock: Callable[[], datetime],
        *,
        account_id: str,
        token_ttl: int,
    ) -> None:
        self.store = store
        self.ids = ids
        self.clock = clock
        self.account_id = account_id
        self.token_ttl = token_ttl

    # clients
    def register_client(
        self,
        *,
        kind: str,
        scopes: Sequence[str],
        redirect_uri: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> Doc:
        client: Doc = {
            "client_id": client_id or self.ids.text("client-id", 22),
            "client_secret": client_secret or self.ids.text("client-secret", 32),
            "kind": kind,
            "scopes": list(scopes),
            "redirect_uri": redirect_uri,
        }
        self.store.put_client(client)
        return client

    def _client_from_basic(self, request: Request) -> Doc:
        header = request.headers.get("Authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or not encoded:
            raise _OAuthFailure(400, "invalid_request", "Missing client_id or client_secret")
        try:
            client_id, _, secret = base64.b64decode(encoded.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise _OAuthFailure(
                401, "invalid_client", "Invalid client_id or client_secret"
            ) from None
        client = self.store.get_client(client_id)
        if client is None or not hmac.compare_digest(client["client_secret"], secret):
            raise _OAuthFailure(401, "invalid_client", "Invalid client_id or client_secret")
        return client

    # tokens
    def _jwt(self, kind: str, client_id: str, user_id: str, expires: datetime) -> str:
        now = self.clock()
        return self.ids.jwt(
            kind,
            {
                "aud": "zoom-agent-tools-sandbox",
                "uid": user_id,
                "ver": 10,
                "aid": self.account_id,
                "nbf": int(now.timestamp()),
                "iss": "sandbox",
                "exp": int(expires.timestamp()),
                "iat": int(now.timestamp()),
                "cid": client_id,
                "tokenType": kind,
            },
        )

    def _issue(
        self,
        kind: str,
        client_id: str,
        user_id: str,
        scopes: Sequence[str],
        expires: datetime,
        *,
        family: str | None = None,
        **extra: object,
    ) -> tuple[str, Doc]:
        """Mint a token of ``kind`` (access, refresh, download) and store its record."""
        token = self._jwt(f"{kind}_token", client_id, user_id, expires)
        doc: Doc = {
            "kind": kind,
            "client_id": client_id,
            "user_id": user_id,
            "account_id": self.account_id,
            "scopes": list(scopes),
            "expires_at": format_utc(expires),
            "revoked": False,
            "family": family or token_hash(token),
            **extra,
        }
        self.store.put_token(token_hash(token), doc)
        return token, doc

    def issue_access(
        self,
        client_id: str,
        user_id: str,
        scopes: Sequence[str],
        *,
        family: str | None = None,
        ttl: int | None = None,
    ) -> tuple[str, Doc]:
        expires = self.clock() + timedelta(seconds=self.token_ttl if ttl is None else ttl)
        return self._issue("access", client_id, user_id, scopes, expires, family=family)

    def _issue_refresh(
        self, client_id: str, user_id: str, scopes: Sequence[str], family: str
    ) -> str:
        expires = self.clock() + REFRESH_TOKEN_TTL
        token, _ = self._issue(
            "refresh", client_id, user_id, scopes, expires, family=family, used=False
        )
        return token

    def issue_download_token(self, user_id: str, recording_uuid: str, ttl: int) -> str:
        expires = self.clock() + timedelta(seconds=ttl)
        token, _ = self._issue("download", "", user_id, [], expires, recording_uuid=recording_uuid)
        return token

    def lookup(self, token: str) -> Doc | None:
        """A live token's record, or None if unknown, revoked, used up or expired."""
        doc = self.store.get_token(token_hash(token))
        if doc is None or doc["revoked"] or doc.get("used"):
            return None
        if parse_utc(doc["expires_at"]) <= self.clock():
            return None
        return doc

    @staticmethod
    def bearer(request: Request) -> str:
        """The request's bearer token ("" if none); one in the query string is refused."""
        if "access_token" in request.args:
            raise ZoomAPIError(
                401,
                124,
                "Invalid access token, this access token is not supported as query parameter"
                " string.",
            )
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""

    def authenticate(self, request: Request) -> Doc:
        """The access token of an API request, or Zoom's 401 code 124."""
        token = self.bearer(request)
        if not token:
            raise ZoomAPIError(401, 124, "Requires an access token.")
        doc = self.store.get_token(token_hash(token))
        if doc is None or doc["kind"] != "access" or doc["revoked"]:
            raise ZoomAPIError(401, 124, "Invalid access token.")
        if parse_utc(doc["expires_at"]) <= self.clock():
            raise ZoomAPIError(401, 124, "Access token is expired.")
        return doc

    @staticmethod
    def require_scopes(token: Doc, acceptable: Sequence[str]) -> None:
        if not set(token["scopes"]) & set(acceptable):
            wanted = next(
                (
                    s
                    for s in acceptable
                    if s.count(":") >= 2 and not s.endswith((":admin", ":master"))
                ),
                acceptable[0],
            )
            raise ZoomAPIError(
                400, 4700, f"Invalid access token, does not contain scopes:[{wanted}]."
            )

    # endpoints
    def token_endpoint(self, request: Request, api_url: str) -> Response:
        try:
            client = self._client_from_basic(request)
            params = {**request.args.to_dict(), **request.form.to_dict()}
            grant = params.get("grant_type", "")
            if grant == "account_credentials" and client["kind"] == "s2s":
                if params.get("account_id") != self.account_id:
                    raise _OAuthFailure(400, "invalid_request", "Invalid account_id")
                token, doc = self.issue_access(client["client_id"], HOST_ID, client["scopes"])
                return self._token_answer(token, None, doc, api_url)
            if grant == "authorization_code" and client["kind"] == "user":
                return self._exchange_code(client, params, api_url)
            if grant == "refresh_token" and client["kind"] == "user":
                return self._refresh(client, params, api_url)
            raise _OAuthFailure(400, "unsupported_grant_type", "Unsupported grant type")
        except _OAuthFailure as failure:
            return failure.response

    def _token_answer(self, token: str, refresh: str | None, doc: Doc, api_url: str) -> Response:
        body: dict[str, Any] = {"access_token": token, "token_type": "bearer"}
        if refresh is not None:
            body["refresh_token"] = refresh
        body["expires_in"] = int((parse_utc(doc["expires_at"]) - self.clock()).total_seconds())
        body["scope"] = " ".join(doc["scopes"])
        body["api_url"] = api_url
        return json_response(body, 200, {"Cache-Control": "no-store"})

    def _exchange_code(self, client: Doc, params: dict[str, str], api_url: str) -> Response:
        code = self.store.take_code(token_hash(params.get("code", "")))
        if code is None or code["client_id"] != client["client_id"]:
            raise _OAuthFailure(400, "invalid_grant", "Invalid authorization code")
        if parse_utc(code["expires_at"]) <= self.clock():
            raise _OAuthFailure(400, "invalid_grant", "Authorization code is expired")
        if params.get("redirect_uri") != code["redirect_uri"]:
            raise _OAuthFailure(400, "invalid_request", "Redirect URI mismatch.")
        challenge = code.get("code_challenge")
        if challenge:
            verifier = params.get("code_verifier", "")
            expected = _s256(verifier) if code["code_challenge_method"] == "S256" else verifier
            if not verifier or not hmac.compare_digest(expected, challenge):
                raise _OAuthFailure(400, "invalid_grant", "Invalid code verifier")
        family = self.ids.opaque("grant", 16)
        token, doc = self.issue_access(
            client["client_id"], code["user_id"], client["scopes"], family=family
        )
        refresh = self._issue_refresh(
            client["client_id"], code["user_id"], client["scopes"], family
        )
        return self._token_answer(token, refresh, doc, api_url)

    def grant(self, client_id: str, user_id: str) -> str:
        """A refresh token of a new grant of user app ``client_id`` to ``user_id``: what that
        user's sign-in would give (for tests of several users of one app)."""
        client = self.store.get_client(client_id)
        if client is None or client.get("kind") != "user":
            raise ValueError(f"no user-level OAuth app {client_id!r}")
        if self.store.find_user(user_id) is None:
            raise ValueError(f"no user {user_id!r}")
        family = self.ids.opaque("grant", 16)
        return self._issue_refresh(client_id, user_id, client["scopes"], family)

    def _refresh(self, client: Doc, params: dict[str, str], api_url: str) -> Response:
        hashed = token_hash(params.get("refresh_token", ""))
        old = self.store.get_token(hashed)
        if (
            old is None
            or old["kind"] != "refresh"
            or old["revoked"]
            or old.get("used")
            or old["client_id"] != client["client_id"]
            or parse_utc(old["expires_at"]) <= self.clock()
        ):
            raise _OAuthFailure(400, "invalid_request", "Invalid Token!")
        old["used"] = True
        self.store.put_token(hashed, old)
        token, doc = self.issue_access(
            client["client_id"], old["user_id"], old["scopes"], family=old["family"]
        )
        refresh = self._issue_refresh(
            client["client_id"], old["user_id"], old["scopes"], old["family"]
        )
        return self._token_answer(token, refresh, doc, api_url)

    def revoke_endpoint(self, request: Request) -> Response:
        try:
            client = self._client_from_basic(request)
        except _OAuthFailure as failure:
            return failure.response
        token = request.form.get("token", "")
        if not token:
            return _oauth_error(400, "invalid_request", "Missing token")
        doc = self.store.get_token(token_hash(token))
        if doc is not None and doc["client_id"] == client["client_id"]:
            # Revoking a user-OAuth token ends the whole grant, refresh token included.
            self.store.revoke_family(doc["family"])
        return json_response({"status": "success"})

    def revoke(self, token: str) -> None:
        """Revoke a token (and its grant) from Python, as the revoke endpoint would."""
        doc = self.store.get_token(token_hash(token))
        if doc is not None:
            self.store.revoke_family(doc["family"])

    def _authorize_params(self, values: dict[str, str]) -> tuple[Doc, dict[str, str]]:
        client = self.store.get_client(values.get("client_id", ""))
        if client is None or client["kind"] != "user":
            raise _OAuthFailure(400, "invalid_client", "Invalid client_id")
        if values.get("response_type", "code") != "code":
            raise _OAuthFailure(400, "unsupported_response_type", "Unsupported response type")
        redirect = values.get("redirect_uri") or client["redirect_uri"]
        pkce = bool(values.get("code_challenge"))
        if not redirect_allowed(str(redirect), client["redirect_uri"], pkce=pkce):
            raise _OAuthFailure(400, "invalid_request", "Invalid redirect: " + str(redirect))
        method = values.get("code_challenge_method") or "plain"
        if values.get("code_challenge") and method not in ("S256", "plain"):
            raise _OAuthFailure(400, "invalid_request", "Invalid code_challenge_method")
        kept = {
            "response_type": "code",
            "client_id": client["client_id"],
            "redirect_uri": redirect,
            "state": values.get("state", ""),
            "code_challenge": values.get("code_challenge", ""),
            "code_challenge_method": method,
        }
        return client, kept

    def authorize_endpoint(self, request: Request) -> Response:
        values = {**request.args.to_dict(), **request.form.to_dict()}
        try:
            client, params = self._authorize_params(values)
        except _OAuthFailure as failure:
            page = f"<!doctype html><title>Error</title><p>{html.escape(str(failure))}</p>"
            return Response(page, status=400, content_type="text/html; charset=utf-8")
        if request.method == "GET":
            return self._consent_page(client, params)
        target = urlsplit(params["redirect_uri"])
        answer: dict[str, str] = {}
        if values.get("approve") == "1":
            code = self.ids.text("authorization-code", 32)
            self.store.put_code(
                token_hash(code),
                {
                    "client_id": client["client_id"],
                    "redirect_uri": params["redirect_uri"],
                    "code_challenge": params["code_challenge"],
                    "code_challenge_method": params["code_challenge_method"],
                    "user_id": HOST_ID,
                    "expires_at": format_utc(self.clock() + AUTHORIZATION_CODE_TTL),
                },
            )
            answer["code"] = code
        else:
            answer["error"] = "access_denied"
        if params["state"]:
            answer["state"] = params["state"]
        query = target.query + ("&" if target.query else "") + urlencode(answer)
        location = urlunsplit((target.scheme, target.netloc, target.path, query, ""))
        return Response(status=302, headers={"Location": location})

    @staticmethod
    def _consent_page(client: Doc, params: dict[str, str]) -> Response:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
        )
        scopes = "".join(f"<li>{html.escape(s)}</li>" for s in client["scopes"] or USER_SCOPES)
        page = (
            '<!doctype html><html><head><meta charset="utf-8">'
            "<title>Authorize app - Zoom sandbox</title></head><body>"
            "<h1>Allow this app to use your Zoom sandbox account?</h1>"
            f"<p>App <code>{html.escape(client['client_id'])}</code> asks for:</p>"
            f"<ul>{scopes}</ul>"
            f'<form method="post" action="/oauth/authorize">{hidden}'
            '<button type="submit" name="approve" value="1">Allow</button> '
            '<button type="submit" name="approve" value="0">Decline</button>'
            "</form></body></html>"
        )
        return Response(page, status=200, content_type="text/html; charset=utf-8")
