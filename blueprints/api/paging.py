"""Paging arguments of the API's lists: ``limit`` 1–100 and ``offset``, bounded."""

from __future__ import annotations

from flask import request

from blueprints.api.errors import api_error

MAX_LIMIT = 100
MAX_OFFSET = 2_000_000_000  # past any real list, and inside every database's integer range
PAGING_MESSAGE = f"limit — целое число от 1 до {MAX_LIMIT}, offset — от 0 до {MAX_OFFSET}"


def whole_number(name: str, default: int) -> int | None:
    """A query argument of ASCII digits as an int (None when it is anything else)."""
    text = request.args.get(name)
    if text is None:
        return default
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else None


def paging() -> tuple[int, int] | tuple[None, None]:
    """``limit`` and ``offset`` of this request, or (None, None) when either is wrong."""
    limit, offset = whole_number("limit", 20), whole_number("offset", 0)
    if limit is None or offset is None or not 1 <= limit <= MAX_LIMIT or offset > MAX_OFFSET:
        return None, None
    return limit, offset


def paging_error():
    """The 422 answer for wrong paging."""
    return api_error(
        422,
        "invalid_paging",
        PAGING_MESSAGE,
        {"limit": f"1–{MAX_LIMIT}", "offset": f"0–{MAX_OFFSET}"},
    )
