"""What a transcript search matches: every word of the query, in the turn or its speaker's name."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["matches", "query_words"]


def query_words(query: str) -> list[str]:
    """The words of ``query``, compared without case."""
    return query.casefold().split()


def matches(words: Sequence[str], speaker: str | None, text: str) -> bool:
    """Whether every one of ``words`` occurs in ``text`` or in the speaker's name."""
    said = f"{speaker or ''} {text}".casefold()
    return all(word in said for word in words)
