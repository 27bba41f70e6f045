"""What a student told us about themselves: interest-test results and the shortlist."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import Timestamped, in_list
from models.profession import Profession
from models.user import User


class InterestProfile(Timestamped, db.Model):
    """One completed interest test: RIASEC scores, liked subjects and free text."""

    __tablename__ = "interest_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    riasec: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship()


class ShortlistEntry(Timestamped, db.Model):
    """A profession a student saved to look at later."""

    __tablename__ = "shortlist_entries"
    __table_args__ = (UniqueConstraint("user_id", "profession_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    profession_id: Mapped[int] = mapped_column(ForeignKey("professions.id", ondelete="CASCADE"))

    profession: Mapped[Profession] = relationship()


# Why a student set a profession aside (optional). "study" and "place" are not about the work
# itself, so only that profession goes; otherwise those like it are lowered too.
DISMISS_REASONS = ("work", "study", "place", "other")


class DismissedProfession(Timestamped, db.Model):
    """«Не интересно»: a profession a student set aside, with why if they said."""

    __tablename__ = "dismissed_professions"
    __table_args__ = (
        UniqueConstraint("user_id", "profession_id"),
        CheckConstraint("reason IS NULL OR " + in_list("reason", DISMISS_REASONS), name="known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    profession_id: Mapped[int] = mapped_column(ForeignKey("professions.id", ondelete="CASCADE"))
    reason: Mapped[str | None] = mapped_column(String(10))

    profession: Mapped[Profession] = relationship()
