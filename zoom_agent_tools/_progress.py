"""Progress bars of a recording's downloads: one per file and a total, drawn by ``tqdm.auto``.

In a Jupyter kernel ``tqdm.auto`` draws widgets (it needs ipywidgets; without them it warns
and draws text); elsewhere text on standard error. Bars are shown by default only where
someone watches (``watched``). tqdm is imported when the first bar is made, so importing the
package, or downloading without bars, never loads it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqdm import tqdm

    from zoom_agent_tools.downloads import Planned

__all__ = ["DownloadBars", "watched"]

#: Longest label shown beside a bar; longer ones are cut, ending in "…".
_LABEL_WIDTH = 40
_BYTES: dict[str, Any] = {"unit": "B", "unit_scale": True, "unit_divisor": 1024}


def watched() -> bool:
    """Whether someone watches this process: it runs in a Jupyter kernel (notebooks, VS Code,
    Colab), or its standard error is a terminal."""
    ipython = sys.modules.get("IPython")
    get_shell = getattr(ipython, "get_ipython", None)
    shell = get_shell() if callable(get_shell) else None
    if shell is not None and any(
        kind.__name__ == "ZMQInteractiveShell" for kind in type(shell).__mro__
    ):
        return True
    try:
        return bool(sys.stderr is not None and sys.stderr.isatty())
    except (AttributeError, ValueError):  # replaced by an object without isatty, or closed
        return False


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_WIDTH else label[: _LABEL_WIDTH - 1] + "…"


class _FileBar:
    """One file's bar; its bytes also move the total (sizes Zoom reported only)."""

    def __init__(self, owner: DownloadBars, bar: tqdm[Any], line: int | None, counted: bool):
        self._owner = owner
        self._bar = bar
        self._line = line
        self._counted = counted

    def add(self, count: int) -> None:
        self._bar.update(count)
        if self._counted:
            self._owner.advance(count)

    def close(self) -> None:
        self._bar.close()
        self._owner.release(self._line)


class DownloadBars:
    """The bars of one recording's downloads (a ``downloads.Progress``).

    The total, named after the recording, counts the bytes of the files whose size Zoom
    reported. In a notebook every file's bar is made at once, in Zoom's order, and stays; in a
    terminal a file's bar takes one of ``workers`` lines below the total while it downloads
    and is cleared after.
    """

    def __init__(self, title: str, files: Sequence[Planned], workers: int) -> None:
        from tqdm.auto import tqdm as auto

        self._tqdm = auto
        self._notebook = any(k.__module__ == "tqdm.notebook" for k in auto.__mro__)
        self._lock = threading.Lock()
        self._files = {file.name: file for file in files}
        known = sum(file.size or 0 for file in files)
        count = f"{len(files)} file{'s' if len(files) != 1 else ''}"
        self._total = auto(
            total=known or None,
            desc=f"{_short(title)}: {count}",
            position=0,
            disable=False,
            **_BYTES,
        )
        self._free = list(range(workers, 0, -1))  # terminal lines below the total
        self._made: dict[str, tqdm[Any]] = {}
        if self._notebook:
            # Widgets are made here, in the caller's thread, so that each lands in its cell.
            self._made = {file.name: self._bar(file, None) for file in files}

    def _bar(self, file: Planned, line: int | None) -> tqdm[Any]:
        return self._tqdm(
            total=file.size,
            desc=_short(file.label),
            position=line,
            leave=self._notebook,
            disable=False,
            **_BYTES,
        )

    def file(self, name: str) -> _FileBar:
        """The bar of the file starting now."""
        planned = self._files[name]
        with self._lock:
            made = self._made.pop(name, None)
            line = None if made is not None or not self._free else self._free.pop()
        bar = made if made is not None else self._bar(planned, line)
        return _FileBar(self, bar, line, counted=planned.size is not None)

    def advance(self, count: int) -> None:
        """Move the total by ``count`` bytes."""
        with self._lock:
            self._total.update(count)

    def release(self, line: int | None) -> None:
        """Give back a file's terminal line."""
        if line is not None:
            with self._lock:
                self._free.append(line)

    def close(self) -> None:
        """Close the total, and the bars of files that never started."""
        with self._lock:
            left, self._made = list(self._made.values()), {}
        for bar in left:
            bar.close()
        self._total.close()
