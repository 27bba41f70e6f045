"""Offers after a visit: an enterprise posts a vacancy, internship, summer job, practice place
or target-training place; regional staff let it out; it goes to the students who came on its
tours and asked for such offers, if their age allows; students answer it, and the enterprise
invites or declines them.

Who receives an offer (``recipients``) is the heart of the loop and is decided here once:
students who attended a session of one of the offer's tours — on their own booking, or in a
class whose visit was marked attended — who opted in (``User.offers_opt_in``), whose account
is active and consented, and whose age the offer takes (ТК РФ ст. 63: the youngest age the
birth year allows). Each is sent an offer once (``VacancyDelivery``); the sweep that runs after
approval, after attendance is marked and every hour is safe to run twice.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import exists, select, union
from sqlalchemy.exc import IntegrityError

from extensions import db
from jobs import enqueue
from models import (
    Booking,
    ClassMembership,
    TourSession,
    User,
    Vacancy,
    VacancyDelivery,
)
from models._common import utcnow
from models.consent import allows_clause
from models.vacancy import vacancy_tours
from services import audit
from services.enterprises import staff_users
from services.notifications import notify

OFFER_FIELDS = (
    "kind",
    "title",
    "description",
    "town",
    "min_age",
    "hours_per_week",
    "schedule",
    "salary_min",
    "salary_max",
    "minor_conditions",
    "official_url",
    "closes_on",
)


def create(enterprise, fields: dict, tours: list, professions: list, author: User) -> Vacancy:
    """A new offer, waiting for moderation."""
    offer = Vacancy(enterprise=enterprise, posted_by_id=author.id, moderation_state="pending")
    _fill(offer, fields, tours, professions)
    db.session.add(offer)
    db.session.flush()
    audit.record("offer.create", offer, actor=author)
    db.session.commit()
    return offer


def update(offer: Vacancy, fields: dict, tours: list, professions: list, author: User) -> None:
    """Change an offer. What students see must be what moderation saw, so a changed offer
    waits for moderation again (it leaves the list until then); those already sent it are
    not sent it twice."""
    _fill(offer, fields, tours, professions)
    offer.moderation_state = "pending"
    offer.moderation_reason = ""
    audit.record("offer.update", offer, actor=author)
    db.session.commit()


def _fill(offer: Vacancy, fields: dict, tours: list, professions: list) -> None:
    for name in OFFER_FIELDS:
        setattr(offer, name, fields[name])
    offer.tours = list(tours)
    offer.professions = list(professions)


def set_open(offer: Vacancy, is_open: bool, author: User) -> None:
    """Close an offer (it leaves the list; responses stay) or open it again."""
    offer.is_open = is_open
    audit.record("offer.open" if is_open else "offer.close", offer, actor=author)
    db.session.commit()


def offers_of(enterprise_id: int) -> list[Vacancy]:
    """The enterprise's offers, newest first."""
    return list(
        db.session.scalars(
            select(Vacancy)
            .where(Vacancy.enterprise_id == enterprise_id)
            .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
        )
    )


def offer_of(enterprise_id: int, offer_id: int) -> Vacancy | None:
    """The offer, if it is that enterprise's."""
    offer = db.session.get(Vacancy, offer_id)
    return offer if offer is not None and offer.enterprise_id == enterprise_id else None


# --- moderation ---------------------------------------------------------------------------------


def pending() -> list[Vacancy]:
    """Offers waiting for regional staff, oldest first."""
    return list(
        db.session.scalars(
            select(Vacancy).where(Vacancy.moderation_state == "pending").order_by(Vacancy.id)
        )
    )


def decide(offer: Vacancy, decision: str, moderator: User, reason: str = "") -> None:
    """Approve an offer (it is listed and sent to its tours' visitors) or send it back with
    a reason; the enterprise's staff are told either way.

    :raises ValueError: on an unknown decision, or a rejection without a reason.
    """
    if decision not in ("approve", "reject") or (decision == "reject" and not reason.strip()):
        raise ValueError(decision)
    approved = decision == "approve"
    offer.moderation_state = "approved" if approved else "rejected"
    offer.moderation_reason = "" if approved else reason.strip()
    if approved and offer.published_at is None:
        offer.published_at = utcnow()
    for user in staff_users(offer.enterprise_id):
        notify(
            user,
            "offer.approved" if approved else "offer.rejected",
            link=url_for("employer.offer_detail", offer_id=offer.id),
            title=offer.title,
            reason=offer.moderation_reason,
        )
    audit.record(f"offer.{decision}", offer, actor=moderator, reason=offer.moderation_reason)
    offer_id = offer.id  # read now: after the commit the job must find no transaction of ours
    db.session.commit()
    if approved:
        send_later([offer_id])


# --- who receives an offer ---------------------------------------------------------------------


def _attendees(tour_ids):
    """SQL: ids of students who attended a session of one of the tours."""
    attended = (Booking.state == "attended") & TourSession.tour_id.in_(tour_ids)
    alone = (
        select(Booking.booked_by_id.label("student_id"))
        .join(TourSession, TourSession.id == Booking.session_id)
        .where(attended, Booking.kind == "individual", Booking.booked_by_id.is_not(None))
    )
    in_class = (
        select(ClassMembership.student_id.label("student_id"))
        .join(Booking, Booking.class_id == ClassMembership.class_id)
        .join(TourSession, TourSession.id == Booking.session_id)
        .where(attended, Booking.kind == "class")
    )
    return union(alone, in_class).subquery()


def recipients(offer: Vacancy, today: date | None = None) -> list[User]:
    """The students the offer should reach and has not reached yet (see the module's rule)."""
    tour_ids = [t.id for t in offer.tours]
    if not tour_ids or not offer.is_listed:
        return []
    # The youngest age a birth year allows: born in year Y, one is at least (today - Y - 1).
    latest_birth_year = (today or date.today()).year - 1 - offer.youngest
    came = _attendees(tour_ids)
    sent = exists().where(
        VacancyDelivery.vacancy_id == offer.id, VacancyDelivery.student_id == User.id
    )
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.id.in_(select(came.c.student_id)),
                User.role == "student",
                User.active.is_(True),
                User.offers_opt_in.is_(True),
                User.birth_year <= latest_birth_year,
                allows_clause(User.id, "account"),
                ~sent,
            )
            .order_by(User.id)
        )
    )


def deliver(offer: Vacancy) -> int:
    """Send the offer to its new recipients, in the site and by e-mail; how many."""
    count = 0
    for student in recipients(offer):
        db.session.add(VacancyDelivery(vacancy_id=offer.id, student_id=student.id))
        notify(
            student,
            "offer.new",
            link=f"/vacancies/{offer.id}",  # a job has no request to build URLs from
            title=offer.title,
            enterprise=offer.enterprise.name,
        )
        count += 1
    try:
        db.session.commit()
    except IntegrityError:  # a parallel sweep sent the same offer first: it will do the rest
        db.session.rollback()
        return 0
    return count


def deliver_offers(offer_id: int | None = None) -> int:
    """The job: deliver one offer, or (periodically, or after attendance was marked) every
    listed offer that follows a tour; how many students were sent one."""
    if offer_id is not None:
        offer = db.session.get(Vacancy, offer_id)
        return deliver(offer) if offer is not None else 0
    ids = db.session.scalars(
        select(Vacancy.id)
        .where(Vacancy.is_listed, exists().where(vacancy_tours.c.vacancy_id == Vacancy.id))
        .order_by(Vacancy.id)
    ).all()
    return sum(deliver(db.session.get(Vacancy, i)) for i in ids)


def delivered_ids(student: User) -> set[int]:
    """The offers sent to this student."""
    return set(
        db.session.scalars(
            select(VacancyDelivery.vacancy_id).where(VacancyDelivery.student_id == student.id)
        )
    )


def open_offers_of(tour_id: int) -> list[int]:
    """The listed offers that follow this tour (for whoever has just come on it)."""
    return list(
        db.session.scalars(
            select(Vacancy.id)
            .join(vacancy_tours, vacancy_tours.c.vacancy_id == Vacancy.id)
            .where(vacancy_tours.c.tour_id == tour_id, Vacancy.is_listed)
        )
    )


def send_later(offer_ids: list[int]) -> None:
    """Deliver these offers in the background (after the caller committed)."""
    for offer_id in offer_ids:
        enqueue("deliver_offers", offer_id)
