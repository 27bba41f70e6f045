"""Classes: a counsellor creates them; students join with the class's code."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from extensions import db
from models import ClassMembership, School, SchoolClass, User
from services import audit

# No 0/O, 1/I/L: codes are read aloud and copied from a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


class ClassError(ValueError):
    """A class action that cannot be done; the message is for the user."""


def new_join_code() -> str:
    """A fresh random join code that no class holds."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == code)) is None:
            return code


def create_class(
    counsellor: User, school: School, name: str, grade: int, expected_size: int | None
) -> SchoolClass:
    """Create a class for ``counsellor`` with a new join code.

    :raises ClassError: when the school already has a class of that name.
    """
    clash = db.session.scalar(
        select(SchoolClass.id).where(SchoolClass.school_id == school.id, SchoolClass.name == name)
    )
    if clash is not None:
        raise ClassError("name")
    school_class = SchoolClass(
        school=school,
        counsellor=counsellor,
        name=name.strip(),
        grade=grade,
        expected_size=expected_size,
        join_code=new_join_code(),
    )
    db.session.add(school_class)
    db.session.flush()
    audit.record("class.create", school_class, actor=counsellor)
    db.session.commit()
    return school_class


def join_class(student: User, code: str) -> SchoolClass:
    """Add ``student`` to the class with that join code (joining twice is harmless).

    :raises ClassError: when no class has that code.
    """
    normalised = code.strip().upper().replace(" ", "").replace("-", "")
    school_class = db.session.scalar(select(SchoolClass).where(SchoolClass.join_code == normalised))
    if school_class is None:
        raise ClassError("code")
    already = db.session.scalar(
        select(ClassMembership.id).where(
            ClassMembership.class_id == school_class.id, ClassMembership.student_id == student.id
        )
    )
    if already is None:
        db.session.add(ClassMembership(school_class=school_class, student=student))
        audit.record("class.join", school_class, actor=student)
        db.session.commit()
    return school_class


def classes_of_student(student: User) -> list[SchoolClass]:
    """Classes the student belongs to."""
    return list(
        db.session.scalars(
            select(SchoolClass)
            .join(SchoolClass.members)
            .where(ClassMembership.student_id == student.id)
            .order_by(SchoolClass.name)
        )
    )
