"""Files that hold secrets: written atomically with mode 0600, read only when no one else can.

A file that other users may read or change, or that belongs to someone else, is refused
(as ssh refuses such a key): its secrets may have leaked, or been replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from zoom_agent_tools.errors import ZoomConfigurationError

__all__ = ["read_private", "write_private"]

_POSIX = os.name == "posix"


def write_private(path: Path, text: str, *, what: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old or the new file whole.

    A temporary file beside it, readable by its owner only, is written, flushed to disk and
    renamed into place; the folder is created (mode 0700) if missing. ``what`` names the file
    in errors.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise ZoomConfigurationError(
            f"Cannot save {what} in {path.parent}: {exc.strerror or type(exc).__name__}.",
            suggestion="Check that the folder exists and you may write to it.",
        ) from None
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ZoomConfigurationError(
                f"Cannot save {what} to {path}: {exc.strerror or type(exc).__name__}; the "
                "previous file, if any, is unchanged.",
                suggestion="Free disk space or fix the folder's permissions, then try again.",
            ) from None
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk too (POSIX; Windows cannot open a folder)."""
    if not _POSIX:
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_private(path: Path, *, what: str, fix: str) -> str | None:
    """The text of ``path``, or None when it does not exist.

    Raises ZoomConfigurationError, naming the file and saying what to do (``fix`` is how to
    start afresh), when it cannot be read, is not a regular UTF-8 file, or (on POSIX) belongs
    to another user or may be read or changed by other users.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ZoomConfigurationError(
            f"Cannot read {what} {path}: {exc.strerror or type(exc).__name__}.",
            suggestion=f"Make it readable by you (chmod 600 {path}), or {fix}.",
        ) from None
    try:
        _check(path, os.fstat(fd), what=what, fix=fix)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read()
    except OSError as exc:
        raise ZoomConfigurationError(
            f"Cannot read {what} {path}: {exc.strerror or type(exc).__name__}.",
            suggestion=f"Remove it, then {fix}.",
        ) from None
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ZoomConfigurationError(
            f"Cannot read {what} {path}: it is damaged (not UTF-8 text).",
            suggestion=f"Remove it, then {fix}.",
        ) from None


def _check(path: Path, info: os.stat_result, *, what: str, fix: str) -> None:
    """Refuse a file that is not a regular file, or (POSIX) not its reader's own."""
    if not stat.S_ISREG(info.st_mode):
        raise ZoomConfigurationError(
            f"Cannot read {what} {path}: it is not a regular file.",
            suggestion=f"Remove it, then {fix}.",
        )
    if _POSIX and info.st_uid != os.geteuid():
        raise ZoomConfigurationError(
            f"Refused to use {what} {path}: it belongs to another user.",
            suggestion=f"Remove it, then {fix}.",
        )
    if _POSIX and info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise ZoomConfigurationError(
            f"Refused to use {what} {path}: other users may read or change it (mode {mode:04o}).",
            suggestion=f"If only you could have changed it, run `chmod 600 {path}`; "
            f"otherwise remove it and {fix}.",
        )
