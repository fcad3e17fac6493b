"""Zoom-style pagination: page_size and expiring next_page_token cursors."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from werkzeug.wrappers import Request

from zoom_agent_tools.sandbox.clock import format_utc, parse_utc
from zoom_agent_tools.sandbox.errors import ZoomAPIError
from zoom_agent_tools.sandbox.ids import IdFactory
from zoom_agent_tools.sandbox.limits import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from zoom_agent_tools.sandbox.store import Store

__all__ = ["Pager"]

T = TypeVar("T")
EXPIRED = "The next page token is either invalid or has expired."


class Pager:
    def __init__(
        self, store: Store, ids: IdFactory, clock: Callable[[], datetime], ttl: float
    ) -> None:
        self.store = store
        self.ids = ids
        self.clock = clock
        self.ttl = ttl

    @staticmethod
    def page_size(request: Request) -> int:
        """The requested page size; larger values get the largest page, as Zoom does."""
        raw = request.args.get("page_size")
        if raw in (None, ""):
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            raise ZoomAPIError(400, 300, "Invalid parameter: page_size.") from None
        if size < 1:
            return DEFAULT_PAGE_SIZE
        return min(size, MAX_PAGE_SIZE)

    def page(
        self, items: Sequence[T], request: Request, scope: str, *, allow_page_number: bool = False
    ) -> tuple[list[T], dict[str, Any]]:
        """One page of ``items`` and the paging fields; ``scope`` ties tokens to the query."""
        size = self.page_size(request)
        token = request.args.get("next_page_token", "")
        offset = 0
        if token:
            cursor = self.store.get_page_token(token)
            if (
                cursor is None
                or cursor["scope"] != scope
                or parse_utc(cursor["expires_at"]) <= self.clock()
            ):
                raise ZoomAPIError(400, 300, EXPIRED)
            offset = int(cursor["offset"])
        elif allow_page_number and request.args.get("page_number"):
            try:
                offset = max(0, int(request.args["page_number"]) - 1) * size
            except ValueError:
                raise ZoomAPIError(400, 300, "Invalid parameter: page_number.") from None
        chunk = list(items[offset : offset + size])
        next_token = ""
        if offset + size < len(items):
            next_token = self.ids.text("page-token", 32)
            self.store.put_page_token(
                next_token,
                {
                    "scope": scope,
                    "offset": offset + size,
                    "expires_at": format_utc(self.clock() + timedelta(seconds=self.ttl)),
                },
            )
        meta: dict[str, Any] = {
            "page_count": math.ceil(len(items) / size) if items else 0,
            "page_size": size,
            "total_records": len(items),
            "next_page_token": next_token,
        }
        if allow_page_number:
            meta["page_number"] = offset // size + 1
        return chunk, meta
