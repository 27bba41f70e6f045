"""Consent to processing a student's data, one record per decision and purpose, and the
signed links that ask a parent for theirs (152-ФЗ, ст. 9: under 14 a parent decides)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    String,
    and_,
    exists,
    select,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from extensions import db
from models._common import Timestamped, in_list
from models.user import User

# account: the account itself; counsellor: the interest profile counted in the class's
# aggregate picture; booking: booking visits (the enterprise sees the display name);
# employer_contact: an employer sees the student's contact after a response to an offer.
PURPOSES = ("account", "counsellor", "booking", "employer_contact")
GIVERS = ("student", "parent")


class Consent(Timestamped, db.Model):
    """One decision: given or declined, for one purpose, on one version of its text, by the
    student or a parent; a given consent may later be withdrawn. The newest record of a
    purpose is the one in force."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(in_list("purpose", PURPOSES), name="purpose_known"),
        CheckConstraint(in_list("given_by", GIVERS), name="giver_known"),
        CheckConstraint("granted OR withdrawn_at IS NULL", name="only_given_is_withdrawn"),
        Index("ix_consents_user_purpose", "user_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool]
    version: Mapped[str] = mapped_column(String(20))
    given_by: Mapped[str] = mapped_column(String(10))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("parent_requests.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(10))

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        """Given and not withdrawn."""
        return self.granted and self.withdrawn_at is None


def allows_clause(user_id: ColumnElement, purpose: str) -> ColumnElement[bool]:
    """SQL: the newest decisions of ``purpose`` and of the account for that user are both
    given and not withdrawn (``services.consent.allows`` in a query)."""

    def active(of: str) -> ColumnElement[bool]:
        row = aliased(Consent)
        newest = (
            select(row.id)
            .where(row.user_id == user_id, row.purpose == of)
            .order_by(row.id.desc())
            .limit(1)
            .correlate_except(row)  # the user is the enclosing query's
            .scalar_subquery()
        )
        return exists().where(Consent.id == newest, Consent.granted, Consent.withdrawn_at.is_(None))

    return and_(active(purpose), active("account")) if purpose != "account" else active(purpose)


class ParentRequest(Timestamped, db.Model):
    """A link mailed to a parent: it opens the consent page for the purposes asked, until it
    expires or is answered (one answer per link; a new link can always be sent)."""

    __tablename__ = "parent_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    parent_email: Mapped[str] = mapped_column(String(254))
    purposes: Mapped[list] = mapped_column(JSON)
    nonce: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)

    student: Mapped[User] = relationship()
