"""Accounts: users with roles, students' minimal personal data and consent, API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ColumnElement, DateTime, ForeignKey, Integer, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import Timestamped, in_list

if TYPE_CHECKING:
    from models.school import School, SchoolClass

ROLES = ("student", "counsellor", "employer", "admin")
# not_required: 14 or older (Russian law lets them consent themselves); pending: a parent has
# not confirmed yet; granted / withdrawn: the parent's decision.
CONSENT_STATES = ("not_required", "pending", "granted", "withdrawn")


class User(UserMixin, Timestamped, db.Model):
    """Anyone who signs in. Students give only a display name, birth year and grade."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(in_list("role", ROLES), name="role_known"),
        CheckConstraint(in_list("consent_state", CONSENT_STATES), name="consent_known"),
        CheckConstraint(
            "birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100", name="birth_year"
        ),
        CheckConstraint("grade IS NULL OR grade BETWEEN 1 AND 15", name="grade_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[int | None] = mapped_column(Integer)
    consent_state: Mapped[str] = mapped_column(String(20), default="not_required")
    locale: Mapped[str | None] = mapped_column(String(5))
    # Counsellors work at one school; students are not asked for theirs.
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    taught_classes: Mapped[list[SchoolClass]] = relationship(back_populates="counsellor")
    school: Mapped[School | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        """Whether the account may sign in."""
        return self.active

    @hybrid_property
    def shares_with_counsellor(self) -> bool:
        """Whether the student's interest profile may count in their class's aggregate picture.

        Until consent is recorded per purpose (the privacy issue), the consent state recorded
        at registration decides: not needed (14 and older) or granted by a parent.
        """
        return self.consent_state in ("not_required", "granted")

    @shares_with_counsellor.inplace.expression
    @classmethod
    def _shares_with_counsellor_expression(cls) -> ColumnElement[bool]:
        return cls.consent_state.in_(("not_required", "granted"))

    # The signed-in browser's session ("<row id>.<secret>"), set by services.login_sessions;
    # Flask-Login keeps it in the session cookie and the remember cookie instead of the user id,
    # so that ending the row ends the cookie.
    session_key = None  # str | None, not a column

    def get_id(self) -> str | None:  # Flask-Login reads this
        """The key of the browser session the user signed in with (never the bare user id)."""
        return self.session_key

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds one of ``roles``."""
        return self.role in roles

    def age_in(self, year: int) -> int | None:
        """Age reached during ``year`` (birth year is all we keep), or None if unknown."""
        return None if self.birth_year is None else year - self.birth_year

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(Timestamped, db.Model):
    """One signed-in browser: revocable (sign-out, "sign out everywhere", a new password) and
    expiring. Only a digest of its secret is stored."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    remember: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class ApiToken(Timestamped, db.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(back_populates="tokens")
