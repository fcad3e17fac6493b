"""The stored connection: mode 0600, atomic replacement, the OS keyring when one works."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError
from pydantic import SecretStr

from zoom_agent_tools import FileTokenStore, StoredTokens, ZoomConfigurationError
from zoom_agent_tools.auth import ServerToServerAuth, UserOAuth
from zoom_agent_tools.connections import (
    KEYRING_SERVICE,
    Connection,
    ConnectionStore,
    config_dir,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
SECRETS = ("the-client-secret", "the-refresh-token")


def _connection(refresh: str = "the-refresh-token") -> Connection:
    return Connection(
        kind="user",
        client_id="app-id",
        client_secret=SecretStr("the-client-secret"),
        api_base_url="http://127.0.0.1:9/v2",
        oauth_base_url="http://127.0.0.1:9",
        refresh_token=SecretStr(refresh),
        user="ada.host@example.com",
    )


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict (a real backend's behaviour, without a desktop)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, *, refuse: bool = False) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}
        self.refuse = refuse

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.refuse:
            raise PasswordSetError("locked")
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def test_the_config_dir_is_the_platforms_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZOOM_AGENT_TOOLS_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/somewhere/config")
    if sys.platform.startswith("linux"):
        assert config_dir() == Path("/somewhere/config/zoom-agent-tools")
    assert config_dir({"ZOOM_AGENT_TOOLS_CONFIG_DIR": "/else"}) == Path("/else")


@posix_only
def test_saved_file_is_its_owners_only_and_round_trips(tmp_path: Path) -> None:
    store = ConnectionStore("work", directory=tmp_path / "cfg")
    where = store.save(_connection())
    assert "readable by you only" in where
    assert "keyring package found no usable OS keyring" in where
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    loaded = store.load()
    assert loaded is not None
    assert loaded.refresh_token is not None
    assert loaded.refresh_token.get_secret_value() == "the-refresh-token"
    assert loaded.client_secret.get_secret_value() == "the-client-secret"
    assert (loaded.kind, loaded.user) == ("user", "ada.host@example.com")
    for text in (repr(loaded), repr(store), repr(store.auth(loaded))):
        assert not any(secret in text for secret in SECRETS)


def test_a_failed_replacement_keeps_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ConnectionStore(directory=tmp_path)
    store.save(_connection("first-token"))
    before = store.path.read_bytes()

    def broken(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(ZoomConfigurationError, match="No space left on device") as info:
        store.save(_connection("second-token"))
    assert "previous file, if any, is unchanged" in str(info.value)
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert os.listdir(store.path.parent) == [store.path.name]  # no temporary file left


def test_a_rotated_refresh_token_replaces_only_that(tmp_path: Path) -> None:
    store = ConnectionStore(directory=tmp_path)
    store.save(_connection("first-token"))
    auth = store.auth(store.load())  # type: ignore[arg-type]
    assert isinstance(auth, UserOAuth)
    auth.store.save(StoredTokens(SecretStr("second-token")))
    document = json.loads(store.path.read_text(encoding="utf-8"))
    assert document["secrets"] == {
        "client_secret": "the-client-secret",
        "refresh_token": "second-token",
    }
    assert document["user"] == "ada.host@example.com"
    if sys.platform != "win32":
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    auth.store.clear()  # a disconnect forgets the whole connection
    assert store.load() is None


def test_server_to_server_connections_round_trip(tmp_path: Path) -> None:
    store = ConnectionStore(directory=tmp_path)
    store.save(
        Connection(
            kind="server_to_server",
            client_id="app-id",
            client_secret=SecretStr("the-client-secret"),
            api_base_url="http://127.0.0.1:9/v2",
            oauth_base_url="http://127.0.0.1:9",
            account_id="the-account",
        )
    )
    loaded = store.load()
    assert loaded is not None
    auth = store.auth(loaded)
    assert isinstance(auth, ServerToServerAuth)
    assert auth.account_id == "the-account"


def test_secrets_go_to_a_working_keyring(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    store = ConnectionStore(directory=tmp_path)
    assert store.save(_connection()) == "the OS keyring"
    text = store.path.read_text(encoding="utf-8")
    assert not any(secret in text for secret in SECRETS)
    [(service, key)] = memory_keyring.passwords
    assert service == KEYRING_SERVICE
    assert json.loads(text)["secrets"] == {"keyring": key}
    assert "the OS keyring" in store.where()
    loaded = store.load()
    assert loaded is not None
    assert loaded.refresh_token is not None
    assert loaded.refresh_token.get_secret_value() == "the-refresh-token"

    auth = store.auth(loaded)
    assert isinstance(auth, UserOAuth)
    auth.store.save(StoredTokens(SecretStr("rotated-token")))
    assert json.loads(memory_keyring.passwords[(service, key)])["refresh_token"] == "rotated-token"
    assert store.path.read_text(encoding="utf-8") == text  # the file does not change

    store.save(_connection("reconnected-token"))
    assert len(memory_keyring.passwords) == 1  # the replaced entry is deleted
    assert store.delete() is True
    assert memory_keyring.passwords == {}
    assert not store.path.exists()
    assert store.delete() is False


def test_a_keyring_that_refuses_falls_back_to_the_file(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.refuse = True
    store = ConnectionStore(directory=tmp_path)
    where = store.save(_connection())
    assert "the OS keyring refused them (PasswordSetError)" in where
    assert "the-refresh-token" in store.path.read_text(encoding="utf-8")


def test_secrets_in_a_keyring_that_is_gone_are_named(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = ConnectionStore(directory=tmp_path)
    store.save(_connection())
    memory_keyring.passwords.clear()
    with pytest.raises(ZoomConfigurationError, match="secrets are missing from the OS keyring"):
        store.load()


@posix_only
def test_the_python_apis_token_file_is_refused_when_others_may_read_it(tmp_path: Path) -> None:
    tokens = FileTokenStore(tmp_path / "zoom-tokens.json")
    tokens.save(StoredTokens(SecretStr("the-refresh-token")))
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600
    tokens.path.chmod(0o640)
    with pytest.raises(ZoomConfigurationError) as info:
        tokens.load()
    assert "other users may read or change it (mode 0640)" in str(info.value)
    assert f"chmod 600 {tokens.path}" in str(info.value)
    assert "the-refresh-token" not in str(info.value)
