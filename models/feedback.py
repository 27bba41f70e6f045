"""Feedback a visitor leaves after a tour."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
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
    comment: Mapped[str] = mapped_column(Text, default="")

    booking: Mapped[Booking] = relationship()
    author: Mapped[User] = relationship()
