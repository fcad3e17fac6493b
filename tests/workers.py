"""Worker processes driven by lines on their stdin, each answering with one JSON line."""

from __future__ import annotations

import json
import subprocess
from typing import Any

__all__ = ["broadcast"]


def broadcast(processes: list[subprocess.Popen[str]], line: str) -> list[dict[str, Any]]:
    """Send ``line`` to every worker first (so they start together), then read their answers."""
    for process in processes:
        assert process.stdin is not None
        process.stdin.write(line + "\n")
        process.stdin.flush()
    answers = []
    for process in processes:
        assert process.stdout is not None
        answers.append(json.loads(process.stdout.readline()))
    return answers
