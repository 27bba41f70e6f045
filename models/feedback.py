"""Feedback a visitor leaves after a tour."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import Timestamped
from models.booking import Booking
from models.user import User


class Feedback(Timestamped, db.Model):
    """A rating and comments on an attended visit; one per author and booking."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        UniqueConstraint("booking_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    # Null once the author deleted their account (the rating stays, the comment goes).
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    rating: Mapped[int]
    interest_changed: Mapped[bool | None]
    # What the visitor liked (``comment``) and what they would change; plain text, escaped.
    comment: Mapped[str] = mapped_column(Text, default="")
    to_change: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An employer's report sends the text to regional staff, who may hide it.
    reported_at: Mapped[datetime | None] = mapped_column(DateTime)
    report_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    hidden: Mapped[bool] = mapped_column(default=False, server_default="0")

    booking: Mapped[Booking] = relationship()
    author: Mapped[User] = relationship()
