"""Accounts: users with roles, students' minimal personal data and consent, API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import MODERATION_STATES, Timestamped, in_list

if TYPE_CHECKING:
    from models.school import School, SchoolClass

ROLES = ("student", "counsellor", "employer", "admin")
# The account purpose's consent in one word, kept by services.consent with the records
# (models/consent.py): not_required: the student (14 or older) consented; pending: nobody has
# yet (a parent's link may be on its way); granted: a parent consented; withdrawn.
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
        CheckConstraint(in_list("moderation_state", MODERATION_STATES), name="moderation_known"),
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
    # Counsellors see the minors who join their classes, so regional staff approve them first
    # (as they approve employers); other accounts need no approval.
    moderation_state: Mapped[str] = mapped_column(
        String(10), default="approved", server_default="approved"
    )
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A student who opted in is sent the offers employers make to the visitors of their tours.
    offers_opt_in: Mapped[bool] = mapped_column(default=False, server_default="0")

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    taught_classes: Mapped[list[SchoolClass]] = relationship(back_populates="counsellor")
    school: Mapped[School | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        """Whether the account may sign in."""
        return self.active

    # The signed-in browser's session ("<row id>.<secret>"), set by services.login_sessions;
    # Flask-Login keeps it in the session cookie and the remember cookie instead of the user id,
    # so that ending the row ends the cookie.
    session_key = None  # str | None, not a column

    def get_id(self) -> str | None:  # Flask-Login reads this
        """The key of the browser session the user signed in with (never the bare user id)."""
        return self.session_key

    @property
    def is_approved(self) -> bool:
        """Whether regional staff let the account do what its role does (counsellors)."""
        return self.moderation_state == "approved"

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
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(back_populates="tokens")
