"""Zoom's users as Get a user (Users API, ``GET /users/{userId}``) shows them."""

from __future__ import annotations

from zoom_agent_tools.sandbox.ids import digest_hex
from zoom_agent_tools.sandbox.store import Doc

__all__ = ["GET_USER_SCOPES", "ONLY_FOR_ME", "personal_meeting_id", "render_user"]

#: The scopes that grant Get a user, as Zoom's Users API spec lists them.
GET_USER_SCOPES = (
    "user:read",
    "user:write",
    "user:read:admin",
    "user:write:admin",
    "user_profile",
    "user_info:read",
    "user:read:user",
    "user:read:user:admin",
)
#: "The user_info:read scope is only available when you pass the me value" (Zoom's spec).
ONLY_FOR_ME = "user_info:read"


def personal_meeting_id(user_id: str) -> int:
    """A 10-digit Personal Meeting ID that stays the same for the user."""
    return 1_000_000_000 + int(digest_hex("pmi:" + user_id)[:12], 16) % 9_000_000_000


def render_user(user: Doc, base_url: str, created_at: str) -> Doc:
    """The answer of Get a user for ``user``; ``created_at`` is when the account was made."""
    pmi = personal_meeting_id(user["id"])
    return {
        "id": user["id"],
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "display_name": user["display_name"],
        "email": user["email"],
        "type": user["type"],
        "role_name": user.get("role_name", "Member"),
        "pmi": pmi,
        "use_pmi": False,
        "personal_meeting_url": f"{base_url}/j/{pmi}",
        "timezone": user["timezone"],
        "verified": 1,
        "dept": "",
        "created_at": created_at,
        "user_created_at": created_at,
        "last_login_time": created_at,
        "pic_url": "",
        "language": "en-US",
        "status": "active",
        "role_id": user.get("role_id", "2"),
        "account_id": user["account_id"],
        # 100: Zoom Work email, the login type the spec lists for a plain account.
        "login_types": [100],
        "cluster": "us05",
    }
