"""Students' answers to offers: a short message, withdrawn if they change their mind; the
enterprise invites or declines, and the student sees which.

The enterprise sees a student's display name and message; their e-mail only while the
student's consent to share it with employers is in force (a parent's too, under 18:
``services.consent``), so withdrawing that consent hides it at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from extensions import db
from models import User, Vacancy, VacancyResponse
from models._common import utcnow
from services import audit, consent
from services.enterprises import staff_users
from services.notifications import notify

MESSAGE_MAX = 1000
DECISIONS = ("invited", "declined")


class ResponseRefused(Exception):
    """A response the rules do not allow; ``code`` says which rule."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def may_respond(student: User, offer: Vacancy) -> str | None:
    """Why the student may not answer the offer, or None when they may."""
    if not offer.is_listed:
        return "closed"
    if not offer.takes_age(consent.youngest_age(student)):
        return "age"
    if not consent.allows(student, "account"):
        return "consent"
    return None


def response_of(student: User, offer: Vacancy) -> VacancyResponse | None:
    """The student's response to the offer, if any."""
    return db.session.scalar(
        select(VacancyResponse).where(
            VacancyResponse.vacancy_id == offer.id, VacancyResponse.student_id == student.id
        )
    )


def respond(student: User, offer: Vacancy, message: str) -> VacancyResponse:
    """Answer the offer (again, after a withdrawal); the enterprise's staff are told.

    :raises ResponseRefused: ``closed``, ``age``, ``consent`` or ``already`` (a live response).
    """
    refusal = may_respond(student, offer)
    if refusal:
        raise ResponseRefused(refusal)
    response = response_of(student, offer)
    if response is not None and response.state != "withdrawn":
        raise ResponseRefused("already")
    if response is None:
        response = VacancyResponse(vacancy_id=offer.id, student_id=student.id)
        db.session.add(response)
    response.message = message.strip()
    response.state = "sent"
    response.changed_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # the same student's second tab got there first
        db.session.rollback()
        raise ResponseRefused("already") from None
    _tell_staff(offer, response)
    audit.record("response.send", response, actor=student)
    db.session.commit()
    return response


def _tell_staff(offer: Vacancy, response: VacancyResponse) -> None:
    for user in staff_users(offer.enterprise_id):
        notify(
            user,
            "offer.response",
            link=url_for("employer.offer_detail", offer_id=offer.id),
            title=offer.title,
        )


def withdraw(response: VacancyResponse, student: User) -> None:
    """The student takes the response back (the enterprise sees it withdrawn)."""
    if response.state == "withdrawn":
        return
    response.state = "withdrawn"
    response.changed_at = utcnow()
    audit.record("response.withdraw", response, actor=student)
    db.session.commit()


def decide(response: VacancyResponse, state: str, employer: User) -> None:
    """Invite or decline a student; they are told in the site and by e-mail.

    :raises ResponseRefused: ``withdrawn`` when the student took the response back.
    """
    if state not in DECISIONS:
        raise ValueError(state)
    if response.state == "withdrawn":
        raise ResponseRefused("withdrawn")
    if response.state != state:
        response.state = state
        response.changed_at = utcnow()
        notify(
            response.student,
            f"response.{state}",
            link=url_for("student.responses"),
            title=response.vacancy.title,
            enterprise=response.vacancy.enterprise.name,
        )
        audit.record(f"response.{state}", response, actor=employer)
    db.session.commit()


@dataclass(frozen=True)
class ResponseLine:
    """A response as the enterprise sees it."""

    response: VacancyResponse
    name: str
    email: str | None  # only with the student's (and a parent's) consent
    new: bool  # staff had not seen it before this page


def for_offer(offer: Vacancy, viewer: User) -> list[ResponseLine]:
    """The offer's responses, newest first; new ones become "viewed" now that staff saw them."""
    rows = db.session.scalars(
        select(VacancyResponse)
        .where(VacancyResponse.vacancy_id == offer.id)
        .options(joinedload(VacancyResponse.student))
        .order_by(VacancyResponse.created_at.desc(), VacancyResponse.id.desc())
    ).all()
    lines, seen_now = [], 0
    for response in rows:
        student = response.student
        shared = response.state != "withdrawn" and consent.allows(student, "employer_contact")
        email = student.email if shared else None
        lines.append(ResponseLine(response, student.display_name, email, response.state == "sent"))
        if response.state == "sent":
            response.state = "viewed"
            response.changed_at = utcnow()
            seen_now += 1
    if seen_now:
        audit.record("response.view", offer, actor=viewer, responses=seen_now)
        db.session.commit()
    return lines


def of_student(student: User) -> list[VacancyResponse]:
    """The student's responses, newest first, with their offers."""
    return list(
        db.session.scalars(
            select(VacancyResponse)
            .where(VacancyResponse.student_id == student.id)
            .options(joinedload(VacancyResponse.vacancy).joinedload(Vacancy.enterprise))
            .order_by(VacancyResponse.created_at.desc(), VacancyResponse.id.desc())
        )
    )


def response_of_student(student: User, response_id: int) -> VacancyResponse | None:
    """The response, if it is this student's."""
    response = db.session.get(VacancyResponse, response_id)
    return response if response is not None and response.student_id == student.id else None


def response_of_enterprise(enterprise_id: int, response_id: int) -> VacancyResponse | None:
    """The response, if it answers one of that enterprise's offers."""
    response = db.session.get(VacancyResponse, response_id)
    if response is None or response.vacancy.enterprise_id != enterprise_id:
        return None
    return response
