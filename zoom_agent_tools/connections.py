"""The stored connection: what `zoom-agent-tools connect` saves and `ZoomClient.from_env()` reads.

One connection per profile, in ``<config dir>/profiles/<profile>.json``: the app's client id,
how it signs in (user OAuth or Server-to-Server), where Zoom is (API and OAuth base URLs, so a
sandbox connection works), and its secrets (the client secret; for user OAuth the refresh
token, which rotates on every renewal). The file is written atomically and readable by its
owner only, and refused if others may read it. With the ``keyring`` extra and a working OS
keyring, the secrets go to the keyring instead and the file only names their entry.

The config dir is ``$ZOOM_AGENT_TOOLS_CONFIG_DIR``, else the platform's: ``$XDG_CONFIG_HOME``
or ``~/.config`` on Linux, ``~/Library/Application Support`` on macOS, ``%APPDATA%`` on
Windows, each with ``zoom-agent-tools`` appended. The profile is the one named, else
``$ZOOM_PROFILE``, else ``default``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import SecretStr

from zoom_agent_tools._private_files import read_private, write_private
from zoom_agent_tools.auth import (
    Auth,
    ServerToServerAuth,
    StoredTokens,
    UserOAuth,
)
from zoom_agent_tools.errors import ZoomConfigurationError

if TYPE_CHECKING:
    from zoom_agent_tools.auth import TokenStore

__all__ = [
    "CONFIG_DIR_VARIABLE",
    "DEFAULT_PROFILE",
    "KEYRING_SERVICE",
    "PROFILE_VARIABLE",
    "Connection",
    "ConnectionStore",
    "Kind",
    "config_dir",
    "profile_name",
]

CONFIG_DIR_VARIABLE = "ZOOM_AGENT_TOOLS_CONFIG_DIR"
PROFILE_VARIABLE = "ZOOM_PROFILE"
DEFAULT_PROFILE = "default"
KEYRING_SERVICE = "zoom-agent-tools"
_APP_DIR = "zoom-agent-tools"
_FORMAT = 1
_PROFILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")

#: ``user``: user OAuth (a refresh token); ``server_to_server``: an account's app credentials.
Kind = Literal["user", "server_to_server"]
_KINDS: tuple[Kind, ...] = ("user", "server_to_server")


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder of this package's configuration (see the module docstring)."""
    values = os.environ if env is None else env
    given = values.get(CONFIG_DIR_VARIABLE) or os.environ.get(CONFIG_DIR_VARIABLE)
    if given:
        return Path(given).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    return base / _APP_DIR


def profile_name(given: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """``given``, else ``$ZOOM_PROFILE``, else ``default``; refused unless a plain name."""
    values = os.environ if env is None else env
    name = given if given is not None else (values.get(PROFILE_VARIABLE, "").strip() or None)
    name = DEFAULT_PROFILE if name is None else name
    if not _PROFILE.fullmatch(name):
        raise ZoomConfigurationError(
            f"The profile name {name!r} cannot be used.",
            suggestion="Use up to 64 letters, digits, '.', '_' or '-', starting with a letter "
            "or digit (e.g. --profile work).",
        )
    return name


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _connect_command(profile: str) -> str:
    flag = "" if profile == DEFAULT_PROFILE else f" --profile {profile}"
    return f"`zoom-agent-tools connect{flag}`"


@dataclass(frozen=True)
class Connection:
    """One stored connection. ``refresh_token`` for user OAuth, ``account_id`` for
    Server-to-Server; ``user`` is who connected (an e-mail address), when Zoom said."""

    kind: Kind
    client_id: str
    client_secret: SecretStr
    api_base_url: str
    oauth_base_url: str
    account_id: str | None = None
    refresh_token: SecretStr | None = None
    redirect_uri: str | None = None
    user: str | None = None
    connected_at: str = field(default_factory=_now)

    def __repr__(self) -> str:
        return (
            f"Connection(kind={self.kind!r}, client_id={self.client_id!r}, "
            f"api_base_url={self.api_base_url!r}, user={self.user!r}, secrets='**redacted**')"
        )

    @property
    def method(self) -> str:
        """How it signs in, in words."""
        return "user OAuth" if self.kind == "user" else "Server-to-Server OAuth"

    def _secrets(self) -> dict[str, str]:
        out = {"client_secret": self.client_secret.get_secret_value()}
        if self.refresh_token is not None:
            out["refresh_token"] = self.refresh_token.get_secret_value()
        return out

    def _public(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "kind": self.kind,
            "client_id": self.client_id,
            "account_id": self.account_id,
            "api_base_url": self.api_base_url,
            "oauth_base_url": self.oauth_base_url,
            "redirect_uri": self.redirect_uri,
            "user": self.user,
            "connected_at": self.connected_at,
        }


def _usable_keyring() -> tuple[Any, str]:
    """The ``keyring`` module when it has a working backend, else None and why not."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return None, "install zoom-agent-tools[keyring] to keep them in the OS keyring"
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a bad PYTHON_KEYRING_BACKEND raises whatever importing it raised
        return None, f"the OS keyring could not be loaded ({type(exc).__name__})"
    # The null backend drops what it is given and the fail backend raises: neither keeps it.
    if isinstance(backend, (fail.Keyring, null.Keyring)) or backend.priority <= 0:
        return None, "the keyring package found no usable OS keyring"
    return keyring, ""


class ConnectionStore:
    """Where one profile's connection is kept (see the module docstring).

    ``profile`` defaults to ``$ZOOM_PROFILE`` or ``default``; ``env`` replaces the process
    environment for that look-up and for the config dir; ``directory`` replaces the config dir.
    """

    def __init__(
        self,
        profile: str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        directory: str | os.PathLike[str] | None = None,
    ) -> None:
        self.profile = profile_name(profile, env)
        folder = Path(directory) if directory is not None else config_dir(env)
        self.path = folder / "profiles" / f"{self.profile}.json"

    def __repr__(self) -> str:
        return f"ConnectionStore(profile={self.profile!r}, path={str(self.path)!r})"

    @property
    def connect_command(self) -> str:
        """The command that connects this profile, for messages."""
        return _connect_command(self.profile)

    # -- reading ---------------------------------------------------------------------------

    def _document(self) -> dict[str, Any] | None:
        fix = f"run {self.connect_command} again"
        text = read_private(self.path, what="the stored connection", fix=fix)
        if text is None:
            return None
        try:
            document = json.loads(text)
        except ValueError:
            document = None
        if not isinstance(document, dict) or document.get("kind") not in _KINDS:
            raise ZoomConfigurationError(
                f"Cannot read the stored connection {self.path}: it is damaged.",
                suggestion=f"Remove it, then {fix}.",
            )
        return document

    def _damaged(self, what: str) -> ZoomConfigurationError:
        return ZoomConfigurationError(
            f"Cannot use the stored connection {self.path}: {what}.",
            suggestion=f"Remove it, then run {self.connect_command} again.",
        )

    def _secrets_of(self, document: Mapping[str, Any]) -> dict[str, Any]:
        held = document.get("secrets")
        if not isinstance(held, dict):
            raise self._damaged("its secrets are missing")
        key = held.get("keyring")
        if key is None:
            return held
        keyring, why = _usable_keyring()
        if keyring is None:
            raise self._damaged(f"its secrets are in the OS keyring, which cannot be used ({why})")
        try:
            text = keyring.get_password(KEYRING_SERVICE, str(key))
        except Exception as exc:  # backends raise their own errors (D-Bus, Keychain)
            raise ZoomConfigurationError(
                f"Cannot read the secrets of profile {self.profile!r} from the OS keyring "
                f"({type(exc).__name__}).",
                suggestion="Unlock the keyring and try again.",
            ) from None
        try:
            values = json.loads(text) if text else None
        except ValueError:
            values = None
        if not isinstance(values, dict):
            raise self._damaged("its secrets are missing from the OS keyring")
        return values

    def load(self) -> Connection | None:
        """The stored connection, or None when this profile is not connected.

        Raises ZoomConfigurationError, saying what to do, for a file that cannot be used.
        """
        document = self._document()
        if document is None:
            return None
        held = self._secrets_of(document)

        def text(name: str, source: Mapping[str, Any] = document) -> str | None:
            value = source.get(name)
            if value is None:
                return None
            if not isinstance(value, str) or not value:
                raise self._damaged(f"its {name} is not text")
            return value

        kind = document["kind"]
        client_id, api, oauth = text("client_id"), text("api_base_url"), text("oauth_base_url")
        secret, refresh = text("client_secret", held), text("refresh_token", held)
        account = text("account_id")
        if not (client_id and api and oauth and secret):
            raise self._damaged("it lacks the app's client id, its secret or Zoom's addresses")
        if (kind == "user" and not refresh) or (kind == "server_to_server" and not account):
            raise self._damaged("it lacks what signs it in")
        return Connection(
            kind=kind,
            client_id=client_id,
            client_secret=SecretStr(secret),
            api_base_url=api,
            oauth_base_url=oauth,
            account_id=account,
            refresh_token=SecretStr(refresh) if refresh else None,
            redirect_uri=text("redirect_uri"),
            user=text("user"),
            connected_at=text("connected_at") or "",
        )

    def where(self) -> str:
        """Where the secrets of the stored connection are, in words."""
        document = self._document()
        held = document.get("secrets") if document else None
        if isinstance(held, dict) and "keyring" in held:
            return f"the OS keyring, entry named in {self.path}"
        return f"{self.path}, readable by you only"

    # -- writing ---------------------------------------------------------------------------

    def _keyring_key(self) -> str | None:
        """The keyring entry the current file names, if any (None if unreadable)."""
        try:
            document = self._document()
        except ZoomConfigurationError:
            return None
        held = document.get("secrets") if document else None
        key = held.get("keyring") if isinstance(held, dict) else None
        return str(key) if key else None

    def save(self, connection: Connection) -> str:
        """Store ``connection`` in place of this profile's; returns where its secrets went.

        The secrets go to the OS keyring when it works, else into the file (the answer says
        why). Either the whole new connection is stored or the old one is left as it was.
        """
        previous = self._keyring_key()
        keyring, why = _usable_keyring()
        key: str | None = None
        if keyring is not None:
            key = f"{self.profile}-{secrets.token_hex(6)}"
            try:
                keyring.set_password(KEYRING_SERVICE, key, json.dumps(connection._secrets()))
            except Exception as exc:  # backends raise their own errors (D-Bus, Keychain)
                key, why = None, f"the OS keyring refused them ({type(exc).__name__})"
        document = connection._public()
        document["secrets"] = {"keyring": key} if key else connection._secrets()
        try:
            write_private(self.path, json.dumps(document, indent=2), what="the connection")
        except BaseException:
            if key:
                _forget(keyring, key)
            raise
        if previous and previous != key:
            _forget(_usable_keyring()[0], previous)
        if key:
            return "the OS keyring"
        return f"{self.path}, readable by you only ({why})"

    def _rotate(self, refresh_token: SecretStr) -> None:
        """Replace the refresh token only (it rotates on every renewal)."""
        document = self._document()
        if document is None:
            raise ZoomConfigurationError(
                f"The stored connection of profile {self.profile!r} was removed while in use; "
                "the renewed token could not be kept.",
                suggestion=f"Run {self.connect_command} again.",
            )
        held = dict(self._secrets_of(document))
        held["refresh_token"] = refresh_token.get_secret_value()
        key = (document.get("secrets") or {}).get("keyring")
        if key:
            # _secrets_of read the keyring just now, so it can be used.
            keyring, _ = _usable_keyring()
            try:
                keyring.set_password(KEYRING_SERVICE, str(key), json.dumps(held))
            except Exception as exc:  # backends raise their own errors (D-Bus, Keychain)
                raise ZoomConfigurationError(
                    f"Cannot keep the renewed refresh token in the OS keyring "
                    f"({type(exc).__name__}).",
                    suggestion=f"Unlock the keyring, then run {self.connect_command} again.",
                ) from None
            return
        document["secrets"] = held
        write_private(self.path, json.dumps(document, indent=2), what="the connection")

    def delete(self) -> bool:
        """Forget this profile's connection (file and keyring entry); False if there was none."""
        key = self._keyring_key()
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise ZoomConfigurationError(
                f"Cannot remove the stored connection {self.path}: "
                f"{exc.strerror or type(exc).__name__}.",
                suggestion="Remove the file by hand.",
            ) from None
        if key:
            _forget(_usable_keyring()[0], key)
        return True

    # -- using -----------------------------------------------------------------------------

    def token_store(self) -> TokenStore:
        """A TokenStore over this profile: user OAuth keeps each rotated refresh token here."""
        return _ProfileTokens(self)

    def auth(self, connection: Connection) -> Auth:
        """The auth method of ``connection``; user OAuth renews from, and rotates into, here."""
        if connection.kind == "server_to_server":
            assert connection.account_id is not None  # load() checked it
            return ServerToServerAuth(
                connection.account_id,
                connection.client_id,
                connection.client_secret,
                oauth_base_url=connection.oauth_base_url,
            )
        auth = UserOAuth(
            connection.client_id,
            connection.client_secret,
            redirect_uri=connection.redirect_uri or "",
            store=self.token_store(),
            oauth_base_url=connection.oauth_base_url,
        )
        auth.reconnect_advice = f"Run {self.connect_command} to sign in again."
        return auth


def _forget(keyring: Any, key: str) -> None:
    """Delete a keyring entry if the keyring can be used; a missing entry is fine."""
    if keyring is None:
        return
    # Gone already, or the keyring refuses: nothing more can be undone.
    with contextlib.suppress(Exception):
        keyring.delete_password(KEYRING_SERVICE, key)


class _ProfileTokens:
    """The refresh token of a stored user-OAuth connection, as UserOAuth's TokenStore.

    Read afresh on every renewal, so a token another process rotated is picked up.
    """

    def __init__(self, store: ConnectionStore) -> None:
        self._store = store

    def __repr__(self) -> str:
        return f"_ProfileTokens(profile={self._store.profile!r})"

    def load(self) -> StoredTokens | None:
        """The stored refresh token, or None when the profile is no longer connected."""
        connection = self._store.load()
        if connection is None or connection.refresh_token is None:
            return None
        return StoredTokens(connection.refresh_token)

    def save(self, tokens: StoredTokens) -> None:
        """Keep the rotated refresh token."""
        self._store._rotate(tokens.refresh_token)

    def clear(self) -> None:
        """Forget the whole connection: without its grant it cannot sign in."""
        self._store.delete()
