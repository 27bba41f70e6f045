"""Column helpers shared by the model modules."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def in_list(column: str, values: tuple[str, ...]) -> str:
    """Return a CHECK expression allowing ``column`` to take only ``values``."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Timestamped:
    """Mixin adding a ``created_at`` column."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


MODERATION_STATES = ("pending", "approved", "rejected")
