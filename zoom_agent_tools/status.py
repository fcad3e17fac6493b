"""Who a client is connected as, how, with which scopes, and which tools those scopes allow.

What a user needs when a tool fails with "missing scopes": ``connection_status(client)``
reads ``GET /users/me`` (the Users API's Get a user) and the token Zoom granted, and checks
each operation's declared endpoints against the granted scopes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from zoom_agent_tools.auth import AccessTokenAuth, ServerToServerAuth, TokenStatus, UserOAuth
from zoom_agent_tools.errors import ZoomAPIError, ZoomPermissionError
from zoom_agent_tools.operations import OPERATIONS, USER, AnyOperation

if TYPE_CHECKING:
    from zoom_agent_tools.client import ZoomClient
    from zoom_agent_tools.models import User

__all__ = ["ConnectionStatus", "ToolAccess", "connection_status", "current_user", "tool_access"]


def current_user(client: ZoomClient) -> User:
    """The user the client acts as (``GET /users/me``); raises a ZoomError."""
    from zoom_agent_tools.models import User

    body = client.send(USER.request({"userId": "me"}), action="read the connected user")
    try:
        return User.model_validate_json(body)
    except (ValidationError, ValueError):
        raise ZoomAPIError(
            "Could not read the connected user: Zoom's answer was not in the expected form.",
            status=200,
            suggestion="Check that ZOOM_API_BASE_URL points at Zoom's API.",
        ) from None


def unknown_user_note(error: ZoomPermissionError) -> str:
    """Why the connected user could not be read, for a user who must fix the app's scopes."""
    needed = ", ".join(error.missing_scopes or USER.scopes)
    return f"Zoom did not let this app read who is connected (it needs the scope {needed})."


@dataclass(frozen=True)
class ToolAccess:
    """Whether the granted scopes allow a tool (None: the scopes are unknown), and, for each
    endpoint they do not grant, the scopes that would (any one of them)."""

    name: str
    allowed: bool | None
    needs: tuple[tuple[str, ...], ...] = ()


def tool_access(
    scopes: Collection[str] | None, operations: Sequence[AnyOperation] = OPERATIONS
) -> tuple[ToolAccess, ...]:
    """What ``scopes`` allow of each of ``operations``: a tool is allowed when every endpoint
    it calls is (``Endpoint.granted_by``)."""
    if scopes is None:
        return tuple(ToolAccess(op.name, None) for op in operations)
    out = []
    for op in operations:
        needs = tuple(e.scopes for e in op.endpoints if not e.granted_by(scopes))
        out.append(ToolAccess(op.name, not needs, needs))
    return tuple(out)


def _method(client: ZoomClient) -> tuple[str, str]:
    """The auth method's id for scripts and its name for people."""
    auth = client.auth
    if isinstance(auth, UserOAuth):
        return "user_oauth", "user OAuth"
    if isinstance(auth, ServerToServerAuth):
        return "server_to_server", "Server-to-Server OAuth"
    if isinstance(auth, AccessTokenAuth):
        return "access_token", "a ready access token (ZOOM_ACCESS_TOKEN)"
    return "other", type(auth).__name__


@dataclass(frozen=True)
class ConnectionStatus:
    """What ``zoom-agent-tools status`` shows. ``source`` is where the credentials come from;
    ``scopes`` and ``expires_in`` are None where the token does not say (a ready token)."""

    source: str
    method: str
    method_name: str
    api_base_url: str
    user: User | None
    user_note: str | None
    scopes: tuple[str, ...] | None
    expires_in: float | None
    tools: tuple[ToolAccess, ...]
    client_id: str | None = None

    def expires_at(self, now: datetime | None = None) -> str | None:
        """When the current access token expires, as UTC text (None if unknown)."""
        if self.expires_in is None:
            return None
        moment = (now or datetime.now(timezone.utc)) + timedelta(seconds=self.expires_in)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def to_json(self) -> dict[str, Any]:
        """The status for scripts (``status --json``)."""
        user = self.user
        return {
            "connected": True,
            "source": self.source,
            "method": self.method,
            "clientId": self.client_id,
            "apiBaseUrl": self.api_base_url,
            "user": None
            if user is None
            else {
                "id": user.id,
                "email": user.email,
                "name": user.name,
                "accountId": user.account_id,
            },
            "userNote": self.user_note,
            "scopes": None if self.scopes is None else list(self.scopes),
            "tokenExpiresIn": None if self.expires_in is None else int(self.expires_in),
            "tokenExpiresAt": self.expires_at(),
            "tools": [
                {"name": t.name, "allowed": t.allowed, "needsOneOf": [list(n) for n in t.needs]}
                for t in self.tools
            ],
        }

    def text(self) -> str:
        """The status for people, several lines."""
        user = self.user
        who = f"{user.name} <{user.email}>" if user is not None and user.email else None
        lines = [f"Connected to Zoom ({self.source})."]
        lines.append(f"  user:    {who or (user.name if user else self.user_note)}")
        if user is not None and user.account_id:
            lines.append(f"  account: {user.account_id}")
        app = f", app client id {self.client_id}" if self.client_id else ""
        lines.append(f"  method:  {self.method_name}{app}")
        lines.append(f"  API:     {self.api_base_url}")
        if self.expires_in is not None:
            minutes = max(0, int(self.expires_in // 60))
            renews = "" if self.method == "access_token" else "; renewed automatically"
            lines.append(f"  token:   expires in {minutes} min ({self.expires_at()}){renews}")
        if self.scopes is None:
            lines.append("  scopes:  unknown (a ready access token does not say)")
            return "\n".join(lines)
        lines.append(f"  scopes:  {' '.join(self.scopes) or '(none)'}")
        allowed = [t for t in self.tools if t.allowed]
        lines.append(f"  tools these scopes allow ({len(allowed)} of {len(self.tools)}):")
        lines.extend(f"    {t.name}" for t in allowed)
        refused = [t for t in self.tools if not t.allowed]
        if refused:
            lines.append("  tools they do not allow (add one scope of each list to the app):")
            for t in refused:
                needs = "; ".join(" or ".join(n) for n in t.needs)
                lines.append(f"    {t.name}: needs {needs}")
        return "\n".join(lines)


def connection_status(client: ZoomClient, *, source: str) -> ConnectionStatus:
    """Ask Zoom who ``client`` is connected as, and what its token allows.

    ``source`` says where the credentials came from, for the reader. Raises a ZoomError when
    Zoom refuses the credentials or cannot be reached; a token without the scope to read the
    user only leaves the user unknown.
    """
    user: User | None = None
    note: str | None = None
    try:
        user = current_user(client)
    except ZoomPermissionError as exc:
        note = unknown_user_note(exc)
    token_status = getattr(client.auth, "token_status", None)
    token: TokenStatus | None = token_status() if callable(token_status) else None
    method, name = _method(client)
    # A token answer without ``scope`` says nothing of what is granted.
    scopes = token.scopes if token is not None and token.scopes else None
    return ConnectionStatus(
        source=source,
        method=method,
        method_name=name,
        api_base_url=client.base_url,
        user=user,
        user_note=note,
        scopes=scopes,
        expires_in=token.expires_in if token is not None else None,
        tools=tool_access(scopes),
        client_id=getattr(client.auth, "client_id", None),
    )
