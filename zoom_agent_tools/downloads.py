"""Recording downloads: streamed to disk, resumed after a cut, size-checked, renamed atomically.

A file is written to a hidden temporary name in the target folder and put in place only once
its size matches what Zoom reported; on any failure the temporary file is removed, so no
partial file is ever left, and an existing file is never replaced unless asked. Files Zoom
has not finished processing are skipped, and one file's failure does not stop the others.
The token goes only to Zoom's own hosts (or origins the developer configured), checked on the
URL and on every redirect before it is sent.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, TypeVar

import requests

from zoom_agent_tools._lazy import deferred
from zoom_agent_tools.errors import ZoomDownloadError, ZoomError

if TYPE_CHECKING:
    from zoom_agent_tools import models as m
else:
    m = deferred("zoom_agent_tools.models")

__all__ = [
    "DownloadPolicy",
    "Streams",
    "download_recording_files",
    "not_ready",
    "refuse_web_page",
    "safe_filename",
]

CHUNK_SIZE = 1 << 20
T = TypeVar("T")


class Streams(Protocol):
    """What downloads need of the client: a file's answer, streamed to ``read``.

    The token goes only where it may (checked on every redirect hop), a refused token is
    renewed, and failures are retried, a body cut off included (``headers`` gives each try's
    extra headers). ``ZoomClient.stream`` is one.
    """

    def stream(
        self,
        url: str,
        read: Callable[[requests.Response], T],
        *,
        token: str | None = None,
        headers: Callable[[], Mapping[str, str]] | None = None,
    ) -> T:
        """``read`` of the answer to a GET of ``url``; raises a ZoomError."""
        ...


_MIME_BY_EXTENSION = {
    "MP4": "video/mp4",
    "M4A": "audio/mp4",
    "VTT": "text/vtt",
    "TXT": "text/plain",
    "CSV": "text/csv",
    "JSON": "application/json",
    "JPG": "image/jpeg",
}
_EXTENSION_BY_TYPE = {
    "MP4": "MP4",
    "M4A": "M4A",
    "TRANSCRIPT": "VTT",
    "CC": "VTT",
    "CHAT": "TXT",
    "CHAT_MESSAGE": "TXT",
    "CSV": "CSV",
    "TIMELINE": "JSON",
    "SUMMARY": "JSON",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_TRY_LATER = "try again later."


@dataclass(frozen=True)
class DownloadPolicy:
    """Where files go, and how much of a file is read at a time."""

    directory: Path
    chunk_size: int = CHUNK_SIZE

    def with_directory(self, directory: str | os.PathLike[str]) -> DownloadPolicy:
        """The same policy writing to ``directory``."""
        return replace(self, directory=Path(directory))


def safe_filename(recording: m.Recording, file: m.RecordingFile, index: int) -> str:
    """A file name of letters, digits, ``_`` and ``-`` plus one extension: never hidden.

    The name is the same on every download of the same file, and differs between files:
    a file's id, or for files without one (TIMELINE, CC) a short hash of the meeting
    instance's UUID, so instances of one meeting on one day never share a name.
    """
    extension = file.file_extension or _EXTENSION_BY_TYPE.get(file.file_type or "", "BIN")
    day = (file.recording_start or recording.start_time or "")[:10]
    kind = file.recording_type or (file.file_type or "file").lower()
    ident = file.id or (_instance_tag(recording.uuid) if recording.uuid else f"{index}")
    parts = (_UNSAFE.sub("-", p).strip("-") for p in (day, recording.topic or "", kind, ident))
    stem = "_".join(p for p in parts if p)[:150] or "recording"
    return f"{stem}.{_UNSAFE.sub('', extension).lower() or 'bin'}"


def _instance_tag(uuid: str) -> str:
    return hashlib.sha256(uuid.encode("utf-8")).hexdigest()[:10]


def not_ready(file: m.RecordingFile) -> str | None:
    """Why ``file`` cannot be downloaded now (with what to do), or None when it can."""
    # Zoom lists files it is still processing, with these placeholders; the spec's status
    # enum has only "completed".
    if not file.download_url:
        return (
            "Zoom gives no download URL for this file (on-premise recordings give a file "
            "path instead), so it cannot be downloaded."
        )
    if file.status is not None and file.status.lower() != "completed":
        return f"Not ready: Zoom is still processing it (status {file.status!r}); {_TRY_LATER}"
    if file.file_type == "":
        return f"Not ready: Zoom is still processing it (no file type yet); {_TRY_LATER}"
    if file.file_size == 0:
        return f"Not ready: Zoom is still processing it (0 bytes so far); {_TRY_LATER}"
    if file.recording_end == "":
        return f"Not ready: the recording has not ended or is still processing; {_TRY_LATER}"
    return None


def refuse_web_page(response: requests.Response) -> None:
    """Raise ZoomDownloadError if Zoom answered a file download with a web page."""
    if "text/html" in response.headers.get("Content-Type", ""):
        # Zoom answers some refused downloads with HTTP 200 and an HTML page.
        raise ZoomDownloadError(
            "Zoom sent a web page instead of the recording file: the download "
            "was refused, or the file is not ready yet.",
            suggestion="If the meeting ended recently, try again later; "
            "otherwise check that the app has the recording scopes and that "
            "this user may download the recording (only the host, or a token "
            "with the recording-content permission, may).",
        )


def _mime(file: m.RecordingFile, response: requests.Response | None) -> str:
    by_ext = _MIME_BY_EXTENSION.get((file.file_extension or "").upper())
    if by_ext:
        return by_ext
    if response is not None:
        return response.headers.get("Content-Type", "application/octet-stream").split(";")[0]
    return "application/octet-stream"


def download_recording_files(
    client: Streams,
    recording: m.Recording,
    policy: DownloadPolicy,
    *,
    token: str | None,
    overwrite: bool = False,
) -> m.DownloadResult:
    """Download every ready file of ``recording``; what happened to each file."""
    try:
        policy.directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ZoomDownloadError(
            f"Cannot create the download folder {policy.directory.name!r}: "
            f"{exc.strerror or type(exc).__name__}.",
            suggestion="Choose a writable download folder (download_dir / ZOOM_DOWNLOAD_DIR).",
        ) from None
    job = _Job(client, policy, token, overwrite)
    results: list[m.FileResult] = []
    used: set[str] = set()
    for index, file in enumerate(recording.recording_files or [], start=1):
        name = safe_filename(recording, file, index)
        stem, dot, ext = name.rpartition(".")
        counter = 2
        while name in used:
            name = f"{stem}-{counter}{dot}{ext}"
            counter += 1
        used.add(name)
        results.append(job.result(file, name))
    return m.DownloadResult(files=results)


def _regular_size(path: Path) -> int | None:
    """The size of a regular file at ``path`` (not following a symlink), else None."""
    info = os.lstat(path)
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _conflict(name: str) -> ZoomDownloadError:
    return ZoomDownloadError(
        f"A different file named {name} is already in the download folder; it was not replaced.",
        suggestion="Ask the user to move it away; from Python, download_recording_files(..., "
        "overwrite=True) replaces it.",
    )


def _saved(file: m.RecordingFile, target: Path, size: int, mime: str) -> m.DownloadedFile:
    return m.DownloadedFile(
        name=target.name,
        path=str(target),
        mime_type=mime,
        size=size,
        file_type=file.file_type,
        recording_id=file.id,
    )


def _place(tmp: Path, target: Path, overwrite: bool) -> m.FileStatus:
    """Put the finished ``tmp`` at ``target``; an existing file is replaced only if asked."""
    if overwrite:
        existed = os.path.lexists(target)
        os.replace(tmp, target)
        return "overwritten" if existed else "saved"
    try:
        # A hard link fails if the name exists, even if another process made it a moment ago.
        os.link(tmp, target)
    except FileExistsError:
        pass
    except OSError:
        # No hard links on this file system (some network and FAT ones): check, then rename.
        if not os.path.lexists(target):
            os.replace(tmp, target)
            return "saved"
    else:
        return "saved"
    if _regular_size(target) == tmp.stat().st_size and filecmp.cmp(tmp, target, shallow=False):
        return "already_present"
    raise _conflict(target.name)


@dataclass(frozen=True)
class _Job:
    """The downloads of one recording: who fetches, where to, with which token."""

    client: Streams
    policy: DownloadPolicy
    token: str | None
    overwrite: bool

    def result(self, file: m.RecordingFile, name: str) -> m.FileResult:
        """Skip, recognise or download one file; its failure is its result, never raised."""
        result = m.FileResult(
            status="failed", name=name, file_type=file.file_type, recording_id=file.id
        )
        reason = not_ready(file)
        if reason is not None:
            return result.model_copy(update={"status": "skipped", "reason": reason})
        target = self.policy.directory / name
        try:
            if not self.overwrite and os.path.lexists(target) and file.file_size is not None:
                # Zoom reports the size: compare without downloading again.
                if _regular_size(target) != file.file_size:
                    raise _conflict(name)
                saved = _saved(file, target, file.file_size, _mime(file, None))
                return result.model_copy(update={"status": "already_present", "file": saved})
            saved, status = self._download(file, target)
        except ZoomError as exc:
            return result.model_copy(update={"reason": str(exc)})
        except OSError as exc:
            return result.model_copy(
                update={
                    "reason": f"Could not write {name}: {exc.strerror or type(exc).__name__}. "
                    "Suggestion: check the download folder's free space and permissions."
                }
            )
        return result.model_copy(update={"status": status, "file": saved})

    def _download(
        self, file: m.RecordingFile, target: Path
    ) -> tuple[m.DownloadedFile, m.FileStatus]:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                response = self._stream(file, out)
            size = tmp.stat().st_size
            if file.file_size is not None and size != file.file_size:
                raise ZoomDownloadError(
                    f"Download of {target.name} is incomplete: got {size} of {file.file_size} "
                    "bytes.",
                    suggestion="Retry the download.",
                )
            status = _place(tmp, target, self.overwrite)
        finally:
            tmp.unlink(missing_ok=True)
        return _saved(file, target, size, _mime(file, response)), status

    def _stream(self, file: m.RecordingFile, out: BinaryIO) -> requests.Response:
        """Write the file's bytes to ``out``, resuming with a Range request after a cut."""
        written = 0

        def resume() -> dict[str, str]:
            return {"Range": f"bytes={written}-"} if written else {}

        def read(response: requests.Response) -> requests.Response:
            nonlocal written
            refuse_web_page(response)
            if written and response.status_code != 206:
                # The server ignored the Range header: start again from the first byte.
                out.seek(0)
                out.truncate()
                written = 0
            for chunk in response.iter_content(chunk_size=self.policy.chunk_size):
                out.write(chunk)
                written += len(chunk)
            if file.file_size is not None and written < file.file_size:
                # A cut the transport did not notice: read on from here, as after any cut.
                raise requests.exceptions.ChunkedEncodingError("stream ended early")
            out.flush()
            return response

        return self.client.stream(file.download_url or "", read, token=self.token, headers=resume)
