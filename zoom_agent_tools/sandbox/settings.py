"""Account and user settings that decide what the meeting-intelligence endpoints answer."""

from __future__ import annotations

import json
from typing import Literal, get_args

from zoom_agent_tools.sandbox.store import Doc, Store

__all__ = [
    "ACCOUNT_SETTINGS",
    "USER_SETTINGS",
    "AccountSetting",
    "UserSetting",
    "account_setting",
    "enabled_for",
    "set_account_setting",
    "set_plan",
    "set_user_setting",
]

#: ``paid``: a Pro or higher plan (Zoom answers code 200 "Only available for paid account"
#: otherwise); unless set, it follows the sandbox's plan (``free`` is not paid).
#: ``meeting_summary``: "Meeting Summary with AI Companion". ``audio_transcript``: the cloud
#: recording setting "Create audio transcript".
AccountSetting = Literal["paid", "meeting_summary", "audio_transcript"]
UserSetting = Literal["meeting_summary", "audio_transcript"]
ACCOUNT_SETTINGS: tuple[str, ...] = get_args(AccountSetting)
USER_SETTINGS: tuple[str, ...] = get_args(UserSetting)
_META_KEY = "account_settings"
_PLAN_KEY = "plan"


def _account(store: Store) -> dict[str, bool]:
    raw = store.get_meta(_META_KEY)
    settings: dict[str, bool] = json.loads(raw) if raw else {}
    return settings


def account_setting(store: Store, name: AccountSetting) -> bool:
    """An account setting; every one is on unless turned off, but ``paid`` is off on the
    free plan unless turned on."""
    default = name != "paid" or store.get_meta(_PLAN_KEY) != "free"
    return _account(store).get(name, default)


def set_plan(store: Store, plan: str) -> None:
    """The plan the sandbox runs with, which ``paid`` follows unless it was set."""
    store.set_meta(_PLAN_KEY, plan)


def set_account_setting(store: Store, name: str, enabled: bool) -> None:
    if name not in ACCOUNT_SETTINGS:
        raise ValueError(f"unknown account setting {name!r}; use one of {ACCOUNT_SETTINGS}")
    settings = _account(store)
    settings[name] = bool(enabled)
    store.set_meta(_META_KEY, json.dumps(settings, sort_keys=True))


def enabled_for(store: Store, user: Doc | None, name: UserSetting) -> bool:
    """Whether a user setting is in effect: on for the account and not turned off for the user.

    As in Zoom, an account that turns a feature off turns it off for every user.
    """
    if not account_setting(store, name):
        return False
    return bool((user or {}).get("settings", {}).get(name, True))


def set_user_setting(store: Store, user_ref: str, name: str, enabled: bool) -> None:
    if name not in USER_SETTINGS:
        raise ValueError(f"unknown user setting {name!r}; use one of {USER_SETTINGS}")
    user = store.find_user(user_ref)
    if user is None:
        raise ValueError(f"unknown user {user_ref!r}")
    user["settings"] = {**user.get("settings", {}), name: bool(enabled)}
    store.put_user(user)
