"""Schools, classes (owned by a counsellor) and students' class memberships."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import Timestamped
from models.user import User


class School(Timestamped, db.Model):
    """A school or college of the region."""

    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("name", "town"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100))

    classes: Mapped[list[SchoolClass]] = relationship(back_populates="school")


class SchoolClass(Timestamped, db.Model):
    """A class (e.g. «8 Б») that a counsellor manages; students join it with its join code."""

    __tablename__ = "school_classes"
    __table_args__ = (
        CheckConstraint("grade BETWEEN 1 AND 15", name="grade_range"),
        UniqueConstraint("school_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    counsellor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(40))
    grade: Mapped[int]
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    expected_size: Mapped[int | None]

    school: Mapped[School] = relationship(back_populates="classes")
    counsellor: Mapped[User] = relationship(back_populates="taught_classes")
    members: Mapped[list[ClassMembership]] = relationship(
        back_populates="school_class", cascade="all, delete-orphan"
    )

    @property
    def headcount(self) -> int:
        """Students in the class: those who joined, or the size the counsellor entered."""
        return max(len(self.members), self.expected_size or 0)


class ClassMembership(Timestamped, db.Model):
    """A student's place in a class."""

    __tablename__ = "class_memberships"
    __table_args__ = (UniqueConstraint("class_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("school_classes.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    school_class: Mapped[SchoolClass] = relationship(back_populates="members")
    student: Mapped[User] = relationship()
