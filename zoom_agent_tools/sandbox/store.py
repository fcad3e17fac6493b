"""SQLite state of the sandbox: users, meetings, past instances, recordings, OAuth, page tokens."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Doc", "Store"]

Doc = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meetings (
    id INTEGER PRIMARY KEY, host_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS instances (
    uuid TEXT PRIMARY KEY, meeting_id INTEGER NOT NULL, start_time TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS participants (
    uuid TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (uuid, seq));
CREATE TABLE IF NOT EXISTS recordings (
    uuid TEXT PRIMARY KEY, meeting_id INTEGER NOT NULL, host_id TEXT NOT NULL,
    start_time TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS download_keys (
    key TEXT PRIMARY KEY, uuid TEXT NOT NULL, file_key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clients (client_id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY, family TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tokens_family ON tokens (family);
CREATE TABLE IF NOT EXISTS codes (hash TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS page_tokens (token TEXT PRIMARY KEY, data TEXT NOT NULL);
"""


def _load(text: str) -> Doc:
    value: Doc = json.loads(text)
    return value


def _dump(doc: Doc) -> str:
    return json.dumps(doc, separators=(",", ":"), sort_keys=False)


class Store:
    """Thread-safe access to the sandbox database (one connection guarded by a lock)."""

    def __init__(self, path: str, *, template: str | None = None) -> None:
        """Open or create the database at ``path``; a new one may start as a copy of a template."""
        if template is not None and os.path.exists(path) and os.path.getsize(path) > 0:
            raise ValueError(f"a template fills a new database only; {path!r} already exists")
        if template is not None:
            if not os.path.isfile(template):
                raise FileNotFoundError(f"no sandbox database at {template!r}")
            shutil.copyfile(template, path)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL keeps the database intact and skips a disk sync per write.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def save(self, path: str) -> None:
        """Write a consistent copy of the database to ``path`` (replacing what is there)."""
        with self._lock, contextlib.closing(sqlite3.connect(path)) as target:
            self._db.backup(target)
            # A copy in rollback-journal mode is one file, so a template can be copied as one.
            target.execute("PRAGMA journal_mode=DELETE")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several calls atomically (re-entrant)."""
        with self._lock:
            if self._db.in_transaction:
                yield
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._db.execute(sql, args).fetchall())

    def _exec(self, sql: str, *args: object) -> int:
        with self._lock:
            return self._db.execute(sql, args).rowcount

    def _one(self, sql: str, *args: object) -> Doc | None:
        rows = self._rows(sql, *args)
        return _load(rows[0][0]) if rows else None

    # meta and counters
    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", key)
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value)

    def next_counter(self, name: str) -> int:
        with self.transaction():
            rows = self._rows("SELECT value FROM counters WHERE name = ?", name)
            value = int(rows[0][0]) + 1 if rows else 1
            self._exec("INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", name, value)
            return value

    # users
    def put_user(self, user: Doc) -> None:
        self._exec(
            "INSERT OR REPLACE INTO users (id, email, data) VALUES (?, ?, ?)",
            user["id"],
            user["email"],
            _dump(user),
        )

    def find_user(self, ref: str) -> Doc | None:
        """A user by id or e-mail address (case-insensitive)."""
        return self._one("SELECT data FROM users WHERE id = ? OR email = ?", ref, ref)

    # meetings
    def put_meeting(self, meeting: Doc) -> None:
        self._exec(
            "INSERT OR REPLACE INTO meetings (id, host_id, data) VALUES (?, ?, ?)",
            meeting["id"],
            meeting["host_id"],
            _dump(meeting),
        )

    def get_meeting(self, meeting_id: int) -> Doc | None:
        return self._one("SELECT data FROM meetings WHERE id = ?", meeting_id)

    def delete_meeting(self, meeting_id: int) -> bool:
        return self._exec("DELETE FROM meetings WHERE id = ?", meeting_id) > 0

    def list_meetings(self, host_id: str) -> list[Doc]:
        rows = self._rows("SELECT data FROM meetings WHERE host_id = ? ORDER BY id", host_id)
        return [_load(row[0]) for row in rows]

    # past meeting instances and their participants
    def put_instance(self, instance: Doc) -> None:
        self._exec(
            "INSERT OR REPLACE INTO instances (uuid, meeting_id, start_time, data)"
            " VALUES (?, ?, ?, ?)",
            instance["uuid"],
            instance["id"],
            instance["start_time"],
            _dump(instance),
        )

    def get_instance(self, uuid: str) -> Doc | None:
        return self._one("SELECT data FROM instances WHERE uuid = ?", uuid)

    def latest_instance(self, meeting_id: int) -> Doc | None:
        return self._one(
            "SELECT data FROM instances WHERE meeting_id = ? ORDER BY start_time DESC LIMIT 1",
            meeting_id,
        )

    def instances_of_meeting(self, meeting_id: int) -> list[Doc]:
        """Every past instance of a meeting, newest first."""
        rows = self._rows(
            "SELECT data FROM instances WHERE meeting_id = ? ORDER BY start_time DESC", meeting_id
        )
        return [_load(row[0]) for row in rows]

    def put_participants(self, uuid: str, participants: list[Doc]) -> None:
        with self.transaction():
            self._exec("DELETE FROM participants WHERE uuid = ?", uuid)
            for seq, participant in enumerate(participants):
                self._exec(
                    "INSERT INTO participants (uuid, seq, data) VALUES (?, ?, ?)",
                    uuid,
                    seq,
                    _dump(participant),
                )

    def participants(self, uuid: str) -> list[Doc]:
        rows = self._rows("SELECT data FROM participants WHERE uuid = ? ORDER BY seq", uuid)
        return [_load(row[0]) for row in rows]

    # cloud recordings (one document per meeting instance, files inside)
    def put_recording(self, recording: Doc) -> None:
        with self.transaction():
            self._exec(
                "INSERT OR REPLACE INTO recordings (uuid, meeting_id, host_id, start_time, data)"
                " VALUES (?, ?, ?, ?, ?)",
                recording["uuid"],
                recording["id"],
                recording["host_id"],
                recording["start_time"],
                _dump(recording),
            )
            for file in recording["files"]:
                self._exec(
                    "INSERT OR IGNORE INTO download_keys (key, uuid, file_key) VALUES (?, ?, ?)",
                    file["download_key"],
                    recording["uuid"],
                    file["key"],
                )

    def get_recording(self, uuid: str) -> Doc | None:
        return self._one("SELECT data FROM recordings WHERE uuid = ?", uuid)

    def recordings_of_meeting(self, meeting_id: int) -> list[Doc]:
        rows = self._rows(
            "SELECT data FROM recordings WHERE meeting_id = ? ORDER BY start_time DESC",
            meeting_id,
        )
        return [_load(row[0]) for row in rows]

    def list_recordings(self, host_id: str | None = None) -> list[Doc]:
        """Recordings, newest first; all hosts when ``host_id`` is None."""
        if host_id is None:
            rows = self._rows("SELECT data FROM recordings ORDER BY start_time DESC, uuid")
        else:
            rows = self._rows(
                "SELECT data FROM recordings WHERE host_id = ? ORDER BY start_time DESC, uuid",
                host_id,
            )
        return [_load(row[0]) for row in rows]

    def delete_recording(self, uuid: str) -> None:
        with self.transaction():
            self._exec("DELETE FROM recordings WHERE uuid = ?", uuid)
            self._exec("DELETE FROM download_keys WHERE uuid = ?", uuid)

    def find_download(self, key: str) -> tuple[Doc, Doc] | None:
        """The recording and file a download key points at, if both still exist."""
        rows = self._rows("SELECT uuid, file_key FROM download_keys WHERE key = ?", key)
        if not rows:
            return None
        recording = self.get_recording(str(rows[0][0]))
        if recording is None:
            return None
        for file in recording["files"]:
            if file["key"] == rows[0][1]:
                return recording, file
        return None

    # OAuth clients, tokens, authorization codes
    def put_client(self, client: Doc) -> None:
        self._exec(
            "INSERT OR REPLACE INTO clients (client_id, data) VALUES (?, ?)",
            client["client_id"],
            _dump(client),
        )

    def get_client(self, client_id: str) -> Doc | None:
        return self._one("SELECT data FROM clients WHERE client_id = ?", client_id)

    def put_token(self, hashed: str, token: Doc) -> None:
        self._exec(
            "INSERT OR REPLACE INTO tokens (hash, family, data) VALUES (?, ?, ?)",
            hashed,
            token["family"],
            _dump(token),
        )

    def get_token(self, hashed: str) -> Doc | None:
        return self._one("SELECT data FROM tokens WHERE hash = ?", hashed)

    def revoke_family(self, family: str) -> None:
        with self.transaction():
            rows = self._rows("SELECT hash, data FROM tokens WHERE family = ?", family)
            for hashed, data in rows:
                token = _load(data)
                token["revoked"] = True
                self.put_token(str(hashed), token)

    def put_code(self, hashed: str, code: Doc) -> None:
        self._exec("INSERT OR REPLACE INTO codes (hash, data) VALUES (?, ?)", hashed, _dump(code))

    def take_code(self, hashed: str) -> Doc | None:
        """Return an authorization code once; it is gone afterwards."""
        with self.transaction():
            code = self._one("SELECT data FROM codes WHERE hash = ?", hashed)
            self._exec("DELETE FROM codes WHERE hash = ?", hashed)
            return code

    # pagination cursors
    def put_page_token(self, token: str, cursor: Doc) -> None:
        self._exec(
            "INSERT OR REPLACE INTO page_tokens (token, data) VALUES (?, ?)", token, _dump(cursor)
        )

    def get_page_token(self, token: str) -> Doc | None:
        return self._one("SELECT data FROM page_tokens WHERE token = ?", token)
