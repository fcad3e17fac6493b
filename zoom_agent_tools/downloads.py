"""Recording downloads: streamed to disk, resumed after a cut, size-checked, renamed atomically,
a few files at a time.

A file is written to a hidden temporary name in the target folder and put in place only once
its size matches what Zoom reported; on any failure the temporary file is removed, so no
partial file is ever left, and an existing file is never replaced unless asked. Files Zoom
has not finished processing are skipped, and one file's failure does not stop the others.
A recording's files download in parallel, at most ``DownloadPolicy.workers`` at once, each
reporting its bytes to an optional ``Progress`` (progress bars: ``_progress``). The token goes
only to Zoom's own hosts (or origins the developer configured), checked on the URL and on
every redirect before it is sent.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import re
import stat
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, TypeVar

import requests
import urllib3
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

from zoom_agent_tools._lazy import deferred
from zoom_agent_tools.errors import ZoomConfigurationError, ZoomDownloadError, ZoomError

if TYPE_CHECKING:
    from zoom_agent_tools import models as m
else:
    m = deferred("zoom_agent_tools.models")

__all__ = [
    "DEFAULT_WORKERS",
    "MAX_WORKERS",
    "DownloadPolicy",
    "Meter",
    "Planned",
    "Progress",
    "ShowProgress",
    "Streams",
    "check_workers",
    "download_recording_files",
    "not_ready",
    "refuse_web_page",
    "safe_filename",
]

#: Bytes read from the stream, and written, at a time: large enough that Python's share of the
#: copy is small, and all a cut can lose. Not larger: writes of 1 MiB made a 1 GiB download up
#: to five times slower on a VM whose kernel had handed its free memory back to the host (the
#: page cache then takes large pages, each a fault to the host); 256 KiB ran as fast cold as
#: warm, and within a fifth of 1 MiB on a warm one (measured with bench_downloads).
CHUNK_SIZE = 256 * 1024
#: Files of one recording downloaded at once, unless configured otherwise.
DEFAULT_WORKERS = 4
#: requests keeps at most 10 connections per host (``HTTPAdapter``'s pool): more workers
#: would open and drop connections instead of reusing them.
MAX_WORKERS = 10
#: Files are asked for as they are stored: a byte offset (a ``Range`` to resume) then means
#: the same in every answer, and the size Zoom reported is the size received.
_IDENTITY = {"Accept-Encoding": "identity"}
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


class Meter(Protocol):
    """One file's progress. ``add`` is called from the thread downloading the file with the
    bytes just written (negative when the download starts over); ``close`` once at the end."""

    def add(self, count: int) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Planned:
    """A file to fetch: its file name, what a progress bar calls it, the size Zoom reported."""

    name: str
    label: str
    size: int | None


class Progress(Protocol):
    """Where one recording's downloads report progress: ``file`` (by name) when a file
    starts, from its worker thread; ``close`` once every file is done."""

    def file(self, name: str) -> Meter: ...

    def close(self) -> None: ...


#: Makes the ``Progress`` of one recording from its title, the files it will fetch and the
#: number of workers; called in the caller's thread.
ShowProgress = Callable[[str, Sequence[Planned], int], Progress]


class _NoMeter:
    def add(self, count: int) -> None:
        pass

    def close(self) -> None:
        pass


_NO_METER = _NoMeter()


class _Cancelled(Exception):
    """The caller stopped waiting (an interrupt): the other downloads end without a result."""


def check_workers(workers: object, name: str = "download_workers") -> int:
    """``workers`` if it is a whole number from 1 to MAX_WORKERS; else a ZoomConfigurationError
    naming the setting ``name``."""
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise ZoomConfigurationError(
            f"{name} must be a whole number from 1 to {MAX_WORKERS} (files downloaded at once), "
            f"not {workers!r}.",
            suggestion=f"Pass {name}={DEFAULT_WORKERS} (the default) or leave it out.",
        )
    return workers


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
    """Where files go, how many of a recording's files download at once, and how much of a
    file is read at a time."""

    directory: Path
    chunk_size: int = CHUNK_SIZE
    workers: int = DEFAULT_WORKERS

    def __post_init__(self) -> None:
        check_workers(self.workers)

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
    progress: ShowProgress | None = None,
) -> m.DownloadResult:
    """Download every ready file of ``recording``, ``policy.workers`` at a time; what happened
    to each file, in Zoom's order. ``progress`` (none by default) is told of each file's bytes.

    If the wait is interrupted (KeyboardInterrupt), the downloads still running stop at their
    next read and remove their temporary files; the interrupt is raised at once.
    """
    try:
        policy.directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ZoomDownloadError(
            f"Cannot create the download folder {policy.directory.name!r}: "
            f"{exc.strerror or type(exc).__name__}.",
            suggestion="Choose a writable download folder (download_dir / ZOOM_DOWNLOAD_DIR).",
        ) from None
    planned = _named(recording)
    fetched = [
        Planned(name, _label(file), file.file_size)
        for file, name in planned
        if not_ready(file) is None
    ]
    workers = max(1, min(policy.workers, len(fetched)))
    title = recording.topic or "recording"
    shown = progress(title, fetched, workers) if progress is not None and fetched else None
    job = _Job(client, policy, token, overwrite, shown)
    try:
        if workers == 1:
            results = [job.result(file, name) for file, name in planned]
        else:
            results = _in_parallel(job, planned, workers)
    finally:
        if shown is not None:
            shown.close()
    return m.DownloadResult(files=results)


def _label(file: m.RecordingFile) -> str:
    """A file as a person tells it from its meeting's others: its type and recording type."""
    parts = (file.file_type or "file", file.recording_type or "")
    return " ".join(p for p in parts if p)


def _named(recording: m.Recording) -> list[tuple[m.RecordingFile, str]]:
    """Each file of ``recording`` with its file name, unique within the recording."""
    named: list[tuple[m.RecordingFile, str]] = []
    used: set[str] = set()
    for index, file in enumerate(recording.recording_files or [], start=1):
        name = safe_filename(recording, file, index)
        stem, dot, ext = name.rpartition(".")
        counter = 2
        while name in used:
            name = f"{stem}-{counter}{dot}{ext}"
            counter += 1
        used.add(name)
        named.append((file, name))
    return named


def _in_parallel(
    job: _Job, planned: Sequence[tuple[m.RecordingFile, str]], workers: int
) -> list[m.FileResult]:
    pool = ThreadPoolExecutor(workers, thread_name_prefix="zoom-download")
    futures: list[Future[m.FileResult]] = []
    try:
        futures = [pool.submit(job.result, file, name) for file, name in planned]
        results = [future.result() for future in futures]
    except BaseException:
        # Interrupted (or a bug): stop the others at their next read, and do not wait.
        job.stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


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
    """The downloads of one recording: who fetches, where to, with which token, shown where;
    ``stop`` is set when the caller gave up waiting."""

    client: Streams
    policy: DownloadPolicy
    token: str | None
    overwrite: bool
    progress: Progress | None = None
    stop: threading.Event = field(default_factory=threading.Event)

    def result(self, file: m.RecordingFile, name: str) -> m.FileResult:
        """Skip, recognise or download one file; its failure is its result, never raised."""
        result = m.FileResult(
            status="failed", name=name, file_type=file.file_type, recording_id=file.id
        )
        reason = not_ready(file)
        if reason is not None:
            return result.model_copy(update={"status": "skipped", "reason": reason})
        if self.stop.is_set():
            raise _Cancelled
        meter = self.progress.file(name) if self.progress else _NO_METER
        try:
            return self._result(file, name, result, meter)
        finally:
            meter.close()

    def _result(
        self, file: m.RecordingFile, name: str, result: m.FileResult, meter: Meter
    ) -> m.FileResult:
        target = self.policy.directory / name
        try:
            if not self.overwrite and os.path.lexists(target) and file.file_size is not None:
                # Zoom reports the size: compare without downloading again.
                if _regular_size(target) != file.file_size:
                    raise _conflict(name)
                meter.add(file.file_size)
                saved = _saved(file, target, file.file_size, _mime(file, None))
                return result.model_copy(update={"status": "already_present", "file": saved})
            saved, status = self._download(file, target, meter)
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
        self, file: m.RecordingFile, target: Path, meter: Meter
    ) -> tuple[m.DownloadedFile, m.FileStatus]:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                response = self._stream(file, out, meter)
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

    def _stream(self, file: m.RecordingFile, out: BinaryIO, meter: Meter) -> requests.Response:
        """Write the file's bytes to ``out``, resuming with a Range request after a cut."""
        written = 0
        resumable = True

        def resume() -> dict[str, str]:
            if written and resumable:
                return {**_IDENTITY, "Range": f"bytes={written}-"}
            return dict(_IDENTITY)

        def read(response: requests.Response) -> requests.Response:
            nonlocal written, resumable
            refuse_web_page(response)
            encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
            # A server that encodes anyway counts offsets in encoded bytes: start over on a cut.
            resumable = encoding in ("", "identity")
            if written and response.status_code != 206:
                # The server ignored the Range header: start again from the first byte.
                out.seek(0)
                out.truncate()
                meter.add(-written)
                written = 0
            read_chunk = _reader(response)
            size = self.policy.chunk_size
            while not self.stop.is_set():
                data = read_chunk(size)
                if not data:
                    break
                out.write(data)
                written += len(data)
                meter.add(len(data))
            if self.stop.is_set():
                raise _Cancelled
            if file.file_size is not None and written < file.file_size:
                # A cut the transport did not notice: read on from here, as after any cut.
                raise requests.exceptions.ChunkedEncodingError("stream ended early")
            out.flush()
            return response

        return self.client.stream(file.download_url or "", read, token=self.token, headers=resume)


def _reader(response: requests.Response) -> Callable[[int], bytes]:
    """Reads of up to n bytes of the body, decoded, with the errors ``iter_content`` raises.

    Large reads straight from urllib3 cost far less than ``iter_content``'s generator layers;
    a transport whose body is a plain file gives its bytes as they are.
    """
    raw = response.raw
    if not isinstance(raw, urllib3.BaseHTTPResponse):
        return raw.read  # type: ignore[no-any-return]
    read = partial(raw.read, decode_content=True)

    def read_chunk(size: int) -> bytes:
        try:
            return read(size)
        except ProtocolError as exc:
            raise requests.exceptions.ChunkedEncodingError(exc) from exc
        except DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(exc) from exc
        except ReadTimeoutError as exc:
            raise requests.exceptions.ConnectionError(exc) from exc
        except SSLError as exc:
            raise requests.exceptions.SSLError(exc) from exc

    return read_chunk
