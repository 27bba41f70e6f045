"""Classes: a counsellor creates them; students join with the class's code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Select, select

from extensions import db
from models import ClassMembership, School, SchoolClass, User
from services import audit
from services.rows import add_once

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


@dataclass
class NewClass:
    """What ``create_class`` did: the class, and whether this call created it."""

    school_class: SchoolClass
    created: bool


def normalise_class_name(name: str) -> str:
    """A class name as stored: spaces trimmed and runs of spaces made one («8  Б » → «8 Б»)."""
    return " ".join(name.split())


def create_class(
    counsellor: User, school: School, name: str, grade: int, expected_size: int | None
) -> NewClass:
    """Create a class for ``counsellor`` with a new join code.

    The counsellor's own class of the same name is returned instead of a second one (a double
    click, a retry, or simply asking again), with ``created`` false.

    :raises ClassError: when another counsellor of the school has a class of that name.
    """
    name = normalise_class_name(name)
    for _attempt in range(2):  # the second look finds what a parallel request created
        existing = db.session.scalar(
            select(SchoolClass).where(SchoolClass.school_id == school.id, SchoolClass.name == name)
        )
        if existing is not None:
            if existing.counsellor_id != counsellor.id:
                raise ClassError("name")
            return NewClass(existing, created=False)
        school_class = SchoolClass(
            school_id=school.id,
            counsellor_id=counsellor.id,
            name=name,
            grade=grade,
            expected_size=expected_size,
            join_code=new_join_code(),
        )
        if add_once(school_class):
            audit.record("class.create", school_class, actor=counsellor)
            db.session.commit()
            return NewClass(school_class, created=True)
    raise ClassError("name")


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
    membership = ClassMembership(class_id=school_class.id, student_id=student.id)
    if already is None and add_once(membership):
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


def classes_of_counsellor(counsellor: User) -> Select:
    """The counsellor's classes by grade and name (a query, for paging)."""
    return (
        select(SchoolClass)
        .where(SchoolClass.counsellor_id == counsellor.id)
        .order_by(SchoolClass.grade, SchoolClass.name)
    )


def class_of_counsellor(counsellor: User, class_id: int) -> SchoolClass | None:
    """The counsellor's class with that id, or None (another counsellor's is not theirs)."""
    return db.session.scalar(
        select(SchoolClass).where(
            SchoolClass.id == class_id, SchoolClass.counsellor_id == counsellor.id
        )
    )
