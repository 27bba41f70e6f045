"""The demo's whole loop on the first ``make run``: past visits with attendance, feedback,
published offers sent to the visitors who asked for them, and a student's response
(``data/demo/loop.yaml``, validated before anything is written).

The visits are in the past, so the booking core (which books only sessions to come) does not
make them: this module writes them as they would stand after the day, and enters them in the
«Профминимум» record the way marking attendance does. Idempotent: a second run finds each
thing by its natural key and leaves it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select

from extensions import db
from models import (
    Booking,
    Enterprise,
    Feedback,
    Profession,
    SchoolClass,
    TourProgramme,
    TourSession,
    User,
    Vacancy,
    VacancyDelivery,
    VacancyResponse,
)
from models._common import utcnow
from models.vacancy import VACANCY_KINDS
from services.catalogue import CatalogueError
from services.notifications import notify
from services.offers import recipients

FILE = "demo/loop.yaml"


def _load(data_dir: Path) -> dict:
    path = data_dir / FILE
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for n, offer in enumerate(data.get("offers", []), start=1):
        if offer.get("kind") not in VACANCY_KINDS:
            raise CatalogueError(FILE, f"offers {n}", f"unknown kind {offer.get('kind')!r}")
        if not 14 <= int(offer.get("min_age", 0)) <= 99:
            raise CatalogueError(FILE, f"offers {n}", "min_age must be 14–99")
        if offer["min_age"] < 18 and not offer.get("minor_conditions"):
            raise CatalogueError(FILE, f"offers {n}", "an offer for minors needs its conditions")
    return data


def ensure_demo_loop(data_dir: Path, today: date) -> None:
    """Bring the demo loop into the database (the caller commits)."""
    data = _load(data_dir)
    if not data:
        return
    tours = {t.slug: t for t in db.session.scalars(select(TourProgramme))}
    classes = {c.join_code: c for c in db.session.scalars(select(SchoolClass))}
    for n, visit in enumerate(data.get("visits", []), start=1):
        if visit["tour"] not in tours or visit["class"] not in classes:
            raise CatalogueError(FILE, f"visits {n}", "unknown tour or class")
        _visit(tours[visit["tour"]], classes[visit["class"]], visit, today)
    students = {
        int(u.email[7:9]): u
        for u in db.session.scalars(select(User).where(User.email.like("student%@demo.local")))
    }
    for number in data.get("opted_in", []):
        students[number].offers_opt_in = True
    db.session.flush()
    offers = [_offer(item, tours, n) for n, item in enumerate(data.get("offers", []), start=1)]
    db.session.flush()
    for offer in offers:
        for student in recipients(offer, today):
            # As services.offers.deliver does, in the seed's one transaction and without mail.
            db.session.add(VacancyDelivery(vacancy_id=offer.id, student_id=student.id))
            notify(
                student,
                "offer.new",
                link=f"/vacancies/{offer.id}",
                email=False,
                title=offer.title,
                enterprise=offer.enterprise.name,
            )
    for item in data.get("responses", []):
        _response(students[item["student"]], offers[item["offer"]], item)


def _visit(programme: TourProgramme, school_class: SchoolClass, visit: dict, today: date) -> None:
    from services import profminimum  # the record builds on bookings

    starts = datetime.combine(
        today - timedelta(days=visit["days_ago"]), time.fromisoformat(visit["at"])
    )
    session = db.session.scalar(
        select(TourSession).where(
            TourSession.tour_id == programme.id, TourSession.starts_at == starts
        )
    )
    if session is None:
        session = TourSession(
            tour=programme, starts_at=starts, capacity=programme.group_max, booking_closes_at=starts
        )
        db.session.add(session)
        db.session.flush()
    booking = db.session.scalar(
        select(Booking).where(Booking.session_id == session.id, Booking.class_id == school_class.id)
    )
    if booking is not None:
        return
    attended = visit.get("attended", True)
    booking = Booking(
        session=session,
        kind="class",
        school_class=school_class,
        booked_by=school_class.counsellor,
        students=visit["students"],
        adults=visit["adults"],
        state="attended" if attended else "no_show",
        transport="bus",
    )
    db.session.add(booking)
    session.seats_booked += visit["students"] + visit["adults"]
    db.session.flush()
    if attended:
        profminimum.record_visit(booking)
    if attended and visit.get("rating"):
        db.session.add(
            Feedback(
                booking=booking,
                author_id=school_class.counsellor_id,
                rating=visit["rating"],
                comment=visit.get("liked", ""),
                to_change=visit.get("to_change", ""),
            )
        )


def _offer(item: dict, tours: dict, n: int) -> Vacancy:
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.slug == item["enterprise"]))
    if enterprise is None:
        raise CatalogueError(FILE, f"offers {n}", f"unknown enterprise {item['enterprise']!r}")
    offer = db.session.scalar(
        select(Vacancy).where(
            Vacancy.enterprise_id == enterprise.id, Vacancy.title == item["title"]
        )
    )
    if offer is not None:
        return offer
    professions = db.session.scalars(
        select(Profession).where(Profession.slug.in_(item.get("professions", [])))
    ).all()
    offer = Vacancy(
        enterprise=enterprise,
        kind=item["kind"],
        title=item["title"],
        description=item["description"],
        town=item["town"],
        min_age=item["min_age"],
        hours_per_week=item.get("hours_per_week"),
        schedule=item.get("schedule", ""),
        salary_min=item.get("salary_min"),
        salary_max=item.get("salary_max"),
        minor_conditions=item.get("minor_conditions", ""),
        moderation_state="approved",
        published_at=utcnow(),
        tours=[tours[slug] for slug in item.get("tours", [])],
        professions=list(professions),
    )
    db.session.add(offer)
    return offer


def _response(student: User, offer: Vacancy, item: dict) -> None:
    exists = db.session.scalar(
        select(VacancyResponse.id).where(
            VacancyResponse.vacancy_id == offer.id, VacancyResponse.student_id == student.id
        )
    )
    if exists is None:
        db.session.add(
            VacancyResponse(
                vacancy_id=offer.id,
                student_id=student.id,
                message=item["message"],
                state=item.get("state", "sent"),
                changed_at=utcnow(),
            )
        )
