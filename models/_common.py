"""Column helpers shared by the model modules."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column

# Session times are stored as naive local time of the region (Vladimir oblast: Moscow time).
REGION_TZ = ZoneInfo("Europe/Moscow")


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_now() -> datetime:
    """The region's current local time as a naive datetime (how session times are stored)."""
    return datetime.now(REGION_TZ).replace(tzinfo=None)


def in_list(column: str, values: tuple[str, ...]) -> str:
    """Return a CHECK expression allowing ``column`` to take only ``values``."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Timestamped:
    """Mixin adding a ``created_at`` column."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


MODERATION_STATES = ("pending", "approved", "rejected")
