"""What an enterprise's staff see of their sessions: who booked (a class by its name, school,
headcount and counsellor; a student by display name only), who waits, and after the visit who
came. Attendance goes through the booking core, which enters it in the «Профминимум» record.

An employer reaches only sessions of enterprises whose staff they are, approved: anything else
reads as "not found".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from i18n import BOOKING_STATE_LABELS
from models import Booking, EnterpriseStaff, SchoolClass, TourProgramme, TourSession, User
from models._common import local_now

# How far back the list of past sessions reaches (attendance is marked within days).
PAST_DAYS = 60


def enterprise_ids(user: User) -> list[int]:
    """The enterprises the employer is approved staff of."""
    return list(
        db.session.scalars(
            select(EnterpriseStaff.enterprise_id).where(
                EnterpriseStaff.user_id == user.id, EnterpriseStaff.is_approved
            )
        )
    )


def sessions_of(user: User) -> tuple[list[TourSession], list[TourSession]]:
    """(upcoming sessions soonest first, sessions of the last ``PAST_DAYS`` latest first)."""
    ids = enterprise_ids(user)
    if not ids:
        return [], []
    now = local_now()
    rows = db.session.scalars(
        select(TourSession)
        .join(TourProgramme, TourProgramme.id == TourSession.tour_id)
        .where(
            TourProgramme.enterprise_id.in_(ids),
            TourSession.starts_at >= now - timedelta(days=PAST_DAYS),
        )
        .options(joinedload(TourSession.tour))
        .order_by(TourSession.starts_at)
    ).all()
    upcoming = [s for s in rows if s.starts_at > now]
    past = [s for s in reversed(rows) if s.starts_at <= now]
    return upcoming, past


def session_of(user: User, session_id: int) -> TourSession | None:
    """The session, if it belongs to one of the employer's enterprises."""
    session = db.session.get(TourSession, session_id)
    if session is None or session.tour.enterprise_id not in enterprise_ids(user):
        return None
    return session


def booking_of(user: User, booking_id: int) -> Booking | None:
    """The booking, if its session belongs to one of the employer's enterprises."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or session_of(user, booking.session_id) is None:
        return None
    return booking


@dataclass(frozen=True)
class Visitor:
    """One booking as the enterprise sees it."""

    booking: Booking
    who: str  # the class's name, or the student's display name
    school: str
    counsellor: str  # the counsellor's name and e-mail, for a class
    students: int
    adults: int


def visitors(session: TourSession) -> tuple[list[Visitor], list[Visitor]]:
    """(bookings that hold seats, bookings waiting), each in the order they came."""
    rows = db.session.scalars(
        select(Booking)
        .where(Booking.session_id == session.id, Booking.state != "cancelled")
        .options(
            joinedload(Booking.booked_by),
            joinedload(Booking.school_class).joinedload(SchoolClass.school),
        )
        .order_by(Booking.created_at, Booking.id)
    ).all()
    seen = [_visitor(b) for b in rows if b.holds_seats]
    waiting = sorted(
        (_visitor(b) for b in rows if b.is_waiting),
        key=lambda v: (v.booking.waitlisted_at or datetime.min, v.booking.id),
    )
    return seen, waiting


def _visitor(booking: Booking) -> Visitor:
    if booking.kind == "class":
        school_class = booking.school_class
        counsellor = booking.booked_by
        contact = f"{counsellor.display_name}, {counsellor.email}" if counsellor else ""
        return Visitor(
            booking,
            school_class.name,
            school_class.school.name,
            contact,
            booking.students,
            booking.adults,
        )
    name = booking.booked_by.display_name if booking.booked_by else _("удалённая учётная запись")
    return Visitor(booking, name, "", "", 1, 0)


def visitors_csv(session: TourSession) -> str:
    """The session's bookings for the enterprise's own list (UTF-8 with BOM, «;»)."""
    seen, waiting = visitors(session)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [_("Кто"), _("Школа"), _("Педагог"), _("Учеников"), _("Взрослых"), _("Состояние")]
    )
    for v in seen + waiting:
        writer.writerow(
            [
                v.who,
                v.school,
                v.counsellor,
                v.students,
                v.adults,
                BOOKING_STATE_LABELS[v.booking.state],
            ]
        )
    return out.getvalue()
