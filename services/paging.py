"""Page numbers from the address bar, and pages of a query that never run past the end."""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from extensions import db

# Far past any real list, and small enough that page × size fits every database's integers.
MAX_PAGE = 100_000


def page_number(text: str | None) -> int:
    """A page number from a query argument: ASCII digits within 1…MAX_PAGE, else 1 or MAX_PAGE.

    ``isdecimal`` alone admits digits such as «٣»; anything that is not plain digits is page 1,
    and an absurdly large number asks for the last page.
    """
    if not text or not text.isascii() or not text.isdigit():
        return 1
    return max(1, min(int(text[:7]) if len(text) <= 7 else MAX_PAGE, MAX_PAGE))


@dataclass
class Page:
    """One page of rows, and whether the page asked for was past the end (then it is the last)."""

    pagination: Pagination
    clamped: bool


def paginate(query: Select, page: int, per_page: int) -> Page:
    """The rows of ``query`` on ``page``; a page past the end gives the last page instead."""
    result = db.paginate(query, page=page, per_page=per_page, error_out=False)
    if page > 1 and page > result.pages:
        last = max(result.pages, 1)
        return Page(db.paginate(query, page=last, per_page=per_page, error_out=False), True)
    return Page(result, False)


def slice_of(query: Select, limit: int, offset: int) -> tuple[list, int]:
    """Rows ``offset`` to ``offset + limit`` of ``query``, and how many rows it has in all."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return list(db.session.scalars(query.limit(limit).offset(offset))), total
