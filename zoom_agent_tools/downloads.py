"""Recording downloads: streamed to disk, resumed after a cut, size-checked, renamed atomically.

A file is written to a hidden temporary name in the target folder and renamed into place only
once its size matches what Zoom reported; on any failure the temporary file is removed, so no
partial file is ever left. Tokens go only to Zoom's own hosts (or the configured API host).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

import requests

from zoom_agent_tools import models as m
from zoom_agent_tools._redact import redact_url
from zoom_agent_tools.errors import ZoomDownloadError, error_from_response

if TYPE_CHECKING:
    from zoom_agent_tools.client import ZoomClient

__all__ = ["ZOOM_DOWNLOAD_DOMAINS", "DownloadPolicy", "download_recording_files", "safe_filename"]

#: Zoom's own domains: a download token is sent only to these, their subdomains, or the API host.
ZOOM_DOWNLOAD_DOMAINS = ("zoom.us", "zoom.com", "zoomgov.com")
CHUNK_SIZE = 1 << 20

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


@dataclass(frozen=True)
class DownloadPolicy:
    """Where files go and which hosts may receive the download token."""

    directory: Path
    api_host: str
    extra_hosts: tuple[str, ...] = ()
    chunk_size: int = CHUNK_SIZE

    @classmethod
    def create(
        cls,
        *,
        directory: str | os.PathLike[str] | None,
        api_base_url: str,
        extra_hosts: Iterable[str] = (),
    ) -> DownloadPolicy:
        """A policy for a client whose API lives at ``api_base_url``."""
        folder = Path(directory) if directory is not None else Path.cwd() / "zoom-recordings"
        return cls(folder, urlsplit(api_base_url).netloc.lower(), tuple(extra_hosts))

    def with_directory(self, directory: str | os.PathLike[str]) -> DownloadPolicy:
        """The same policy writing to ``directory``."""
        return replace(self, directory=Path(directory))

    def allows(self, url: str) -> bool:
        """True when ``url`` is on a host that may receive the download token."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.netloc.lower() == self.api_host or host in self.extra_hosts:
            return parts.scheme in ("http", "https")
        if parts.scheme != "https":
            return False
        return any(host == d or host.endswith("." + d) for d in ZOOM_DOWNLOAD_DOMAINS)


def safe_filename(recording: m.Recording, file: m.RecordingFile, index: int) -> str:
    """A file name of letters, digits, ``_`` and ``-`` plus one extension: never hidden."""
    extension = file.file_extension or _EXTENSION_BY_TYPE.get(file.file_type or "", "BIN")
    day = (file.recording_start or recording.start_time or "")[:10]
    kind = file.recording_type or (file.file_type or "file").lower()
    # The whole id: two files of one recording must never share a name.
    ident = file.id or f"{index}"
    parts = (_UNSAFE.sub("-", p).strip("-") for p in (day, recording.topic or "", kind, ident))
    stem = "_".join(p for p in parts if p)[:150] or "recording"
    return f"{stem}.{_UNSAFE.sub('', extension).lower() or 'bin'}"


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
) -> list[m.DownloadedFile]:
    """Download every file of ``recording`` that has a download URL; the saved files."""
    policy.directory.mkdir(parents=True, exist_ok=True)
    saved: list[m.DownloadedFile] = []
    used: set[str] = set()
    for index, file in enumerate(recording.recording_files or [], start=1):
        if not file.download_url:
            continue
        if not policy.allows(file.download_url):
            raise ZoomDownloadError(
                f"Refused to download {redact_url(file.download_url)}: not a Zoom download host.",
                suggestion="Recording files are only fetched from Zoom's own hosts.",
            )
        name = safe_filename(recording, file, index)
        stem, dot, ext = name.rpartition(".")
        counter = 2
        while name in used:
            name = f"{stem}-{counter}{dot}{ext}"
            counter += 1
        used.add(name)
        saved.append(_download_one(client, file, policy, name, token))
    return saved


def _download_one(
    client: ZoomClient,
    file: m.RecordingFile,
    policy: DownloadPolicy,
    name: str,
    token: str | None,
) -> m.DownloadedFile:
    assert file.download_url is not None
    target = policy.directory / name
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=policy.directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            response = _stream(client, file, policy, out, token)
        size = tmp.stat().st_size
        if file.file_size is not None and size != file.file_size:
            raise ZoomDownloadError(
                f"Download of {name} is incomplete: got {size} of {file.file_size} bytes.",
                suggestion="Retry the download.",
            )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return m.DownloadedFile(
        name=name,
        path=str(target),
        mime_type=_mime(file, response),
        size=size,
        file_type=file.file_type,
        recording_id=file.id,
    )


def _stream(
    client: ZoomClient,
    file: m.RecordingFile,
    policy: DownloadPolicy,
    out: BinaryIO,
    token: str | None,
) -> requests.Response:
    """Write the file's bytes to ``out``, resuming with a Range request after a dropped stream."""
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
            response = client.session.get(
                url, headers=headers, stream=True, timeout=client.timeout, allow_redirects=True
            )
            with response:
                if response.status_code == 401 and token is None and stale is None:
                    stale = bearer
                    continue
                if response.status_code >= 400:
                    body = (
                        response.json()
                        if "json" in response.headers.get("Content-Type", "")
                        else response.text[:200]
                    )
                    raise error_from_response(
                        response.status_code,
                        body,
                        action=f"download {redact_url(url)}",
                        not_found_hint="The recording may have been deleted; list it again.",
                    )
                if "text/html" in response.headers.get("Content-Type", ""):
                    # Zoom answers some refused downloads with HTTP 200 and an HTML page.
                    raise ZoomDownloadError(
                        "Zoom sent a web page instead of the recording file: the download was "
                        "refused (only the host, or a token with the recording-content "
                        "permission, may download it).",
                        suggestion="Check the app's recording scopes and the user's role.",
                    )
                if written and response.status_code != 206:
                    # The server ignored the Range header: start again from the first byte.
                    out.seek(0)
                    out.truncate()
                    written = 0
                for chunk in response.iter_content(chunk_size=policy.chunk_size):
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
