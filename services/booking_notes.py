"""Who is told what when a booking changes, and the day-before reminder."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from extensions import db
from models import Booking, TourSession
from models._common import local_now, utcnow
from services.enterprises import staff_users
from services.notifications import notify

# What happened to a booking -> the kind of notification its booker gets.
BOOKER_KINDS = {
    "confirmed": "booking.confirmed",
    "waitlisted": "booking.waitlisted",
    "offered": "booking.offered",
    "offer_expired": "booking.offer_expired",
    "cancelled": "booking.cancelled",
    "session_cancelled": "booking.session_cancelled",
    "waitlist_closed": "booking.waitlist_closed",
    "resized": "booking.resized",
    "reminder": "booking.reminder",
}
# Reminders go out from this local hour on the day before the visit (not at night).
REMINDER_FROM_HOUR = 9


def meeting_point(session: TourSession) -> str:
    """Where visitors meet: the programme's meeting point, else the enterprise's address."""
    enterprise = session.tour.enterprise
    return session.tour.meeting_point or enterprise.address or enterprise.town


def _params(booking: Booking, **extra) -> dict:
    session = booking.session
    params = {
        "tour": session.tour.title,
        "enterprise": session.tour.enterprise.name,
        "when": session.starts_at.isoformat(),
        "address": meeting_point(session),
        "seats": booking.seats,
        "class_name": booking.school_class.name if booking.school_class else "",
    }
    if booking.offer_expires_at is not None:
        params["expires"] = booking.offer_expires_at.isoformat()
    for key, value in extra.items():
        params[key] = value.isoformat() if isinstance(value, datetime) else value
    return params


def _link(booking: Booking) -> str:
    return "/me/visits" if booking.kind == "individual" else "/counsellor/"


def tell_booker(booking: Booking, what: str, **extra) -> None:
    """Notify the person who made the booking (in this transaction)."""
    if booking.booked_by is None:  # the account was deleted: nobody to tell
        return
    kind = BOOKER_KINDS[what]
    if kind == "booking.confirmed" and booking.kind == "class":
        kind = "booking.class_confirmed"
    notify(booking.booked_by, kind, link=_link(booking), **_params(booking, **extra))


def tell_enterprise(booking: Booking, kind: str) -> None:
    """Notify the enterprise's approved staff (class bookings: they plan the visit by them)."""
    for user in staff_users(booking.session.tour.enterprise_id):
        notify(user, kind, link="/employer/", **_params(booking))


def send_reminders() -> int:
    """The periodic job: remind everyone booked for tomorrow, once (from 9:00 local time).

    Each booking is claimed by an UPDATE before it is told, so two workers never remind twice.
    """
    now = local_now()
    if now.hour < REMINDER_FROM_HOUR:
        return 0
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    ids = db.session.scalars(
        select(Booking.id)
        .join(Booking.session)
        .where(
            Booking.state == "confirmed",
            Booking.reminded_at.is_(None),
            TourSession.state == "scheduled",
            TourSession.starts_at >= tomorrow,
            TourSession.starts_at < tomorrow + timedelta(days=1),
        )
    ).all()
    db.session.commit()
    sent = 0
    for booking_id in ids:
        claimed = db.session.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.reminded_at.is_(None))
            .values(reminded_at=utcnow())
        ).rowcount
        if claimed:
            tell_booker(db.session.get(Booking, booking_id), "reminder")
            sent += 1
        db.session.commit()
    return sent
