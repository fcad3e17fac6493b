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
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urljoin

import requests

from zoom_agent_tools import models as m
from zoom_agent_tools._http import decode_body
from zoom_agent_tools._origins import RefusedURL, TokenHosts, shown_url
from zoom_agent_tools._redact import redact_url
from zoom_agent_tools.errors import ZoomDownloadError, ZoomError, error_from_response

if TYPE_CHECKING:
    from zoom_agent_tools.client import ZoomClient

__all__ = ["DownloadPolicy", "download_recording_files", "not_ready", "safe_filename"]

CHUNK_SIZE = 1 << 20
#: Zoom's download URL "may be a redirect"; a longer chain than this is refused.
MAX_REDIRECTS = 10

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
    """Where files go and which hosts may receive the download token."""

    directory: Path
    hosts: TokenHosts
    chunk_size: int = CHUNK_SIZE
    max_redirects: int = MAX_REDIRECTS

    @classmethod
    def create(
        cls,
        *,
        directory: str | os.PathLike[str] | None,
        api_base_url: str,
        extra_hosts: Iterable[str] = (),
    ) -> DownloadPolicy:
        """A policy for a client whose API lives at ``api_base_url``; ``extra_hosts`` may also
        receive the token (``host`` for https on port 443, or ``scheme://host[:port]``)."""
        folder = Path(directory) if directory is not None else Path.cwd() / "zoom-recordings"
        return cls(folder, TokenHosts.configure(api_base_url, extra_hosts))

    def with_directory(self, directory: str | os.PathLike[str]) -> DownloadPolicy:
        """The same policy writing to ``directory``."""
        return replace(self, directory=Path(directory))

    def allows(self, url: str) -> bool:
        """True when ``url`` is on a host that may receive the download token."""
        return self.hosts.allows(url)


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


def _mime(file: m.RecordingFile, response: requests.Response | None) -> str:
    by_ext = _MIME_BY_EXTENSION.get((file.file_extension or "").upper())
    if by_ext:
        return by_ext
    if response is not None:
        return response.headers.get("Content-Type", "application/octet-stream").split(";")[0]
    return "application/octet-stream"


def download_recording_files(
    client: ZoomClient,
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

    client: ZoomClient
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

    def _open(self, url: str, headers: dict[str, str]) -> requests.Response:
        """GET ``url``, following redirects one hop at a time, each hop's host checked first."""
        for hop in range(self.policy.max_redirects + 1):
            try:
                self.policy.hosts.check(url)
            except RefusedURL as exc:
                what = "follow Zoom's redirect to" if hop else "download from"
                raise ZoomDownloadError(
                    f"Refused to {what} {shown_url(url)}: {exc}; the token was not sent.",
                    suggestion="Recording files are fetched from Zoom's own hosts only: do not "
                    "retry, tell the user the file's address is not Zoom's.",
                ) from None
            response = self.client.session.get(
                url,
                headers=headers,
                stream=True,
                timeout=self.client.timeout,
                allow_redirects=False,
            )
            if not response.is_redirect:
                return response
            location = response.headers["Location"]
            response.close()
            try:
                url = urljoin(url, location)
            except ValueError:
                url = location  # refused by the check above on the next turn
        raise ZoomDownloadError(
            f"Refused to follow more than {self.policy.max_redirects} redirects for one file.",
            suggestion="Retry later; if it persists, the file cannot be downloaded now.",
        )

    def _stream(self, file: m.RecordingFile, out: BinaryIO) -> requests.Response:
        """Write the file's bytes to ``out``, resuming with a Range request after a cut."""
        client, token = self.client, self.token
        url = file.download_url or ""
        written = 0
        attempt = 0
        stale: str | None = None
        while True:
            bearer = token or client.auth.access_token(client.session, client.timeout, stale=stale)
            headers = {"Authorization": f"Bearer {bearer}"}
            if written:
                headers["Range"] = f"bytes={written}-"
            try:
                response = self._open(url, headers)
                with response:
                    if response.status_code == 401 and token is None and stale is None:
                        stale = bearer
                        continue
                    if response.status_code >= 400:
                        raise error_from_response(
                            response.status_code,
                            decode_body(response),
                            action=f"download {redact_url(url)}",
                            not_found_hint="The recording may have been deleted; list it again.",
                        )
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
                    if written and response.status_code != 206:
                        # The server ignored the Range header: start again from the first byte.
                        out.seek(0)
                        out.truncate()
                        written = 0
                    for chunk in response.iter_content(chunk_size=self.policy.chunk_size):
                        out.write(chunk)
                        written += len(chunk)
                    expected = file.file_size
                    if expected is not None and written < expected:
                        raise requests.exceptions.ChunkedEncodingError("stream ended early")
                    out.flush()
                    return response
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                delay = client.retry.delay_for_failure(attempt, "GET")
                client.logger.warning(
                    "download %s interrupted after %d bytes: %s",
                    redact_url(url),
                    written,
                    type(exc).__name__,
                )
                if delay is None:
                    raise ZoomDownloadError(
                        f"Download of {redact_url(url)} failed after {written} bytes "
                        f"({type(exc).__name__}).",
                        suggestion="Retry later; nothing partial was kept.",
                    ) from None
                client.sleep(delay)
                attempt += 1
            except requests.RequestException as exc:
                raise ZoomDownloadError(
                    f"Download of {redact_url(url)} failed ({type(exc).__name__}).",
                    suggestion="Retry later; nothing partial was kept.",
                ) from None
