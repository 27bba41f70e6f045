"""Tour sessions and bookings as the API shows them."""

from __future__ import annotations

from sqlalchemy import func, select

from blueprints.api.schemas import SessionFilters
from extensions import db
from models import Booking, Enterprise, TourProgramme, TourSession
from services.paging import slice_of
from services.visits import api_sessions


def booking_json(booking: Booking) -> dict:
    """A booking in the API's shape (DESIGN.md)."""
    expires = booking.offer_expires_at
    return {
        "id": booking.id,
        "session_id": booking.session_id,
        "class_id": booking.class_id,
        "students": booking.students,
        "adults": booking.adults,
        "state": booking.state,
        "offer_expires_at": expires.isoformat() if expires else None,
    }


def _waiting(session_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Booking.session_id, func.count(Booking.id))
        .where(Booking.session_id.in_(session_ids), Booking.is_waiting)
        .group_by(Booking.session_id)
    )
    return dict(rows.tuples().all())


def _session_json(
    session: TourSession, tour: TourProgramme, enterprise: Enterprise, waiting: int
) -> dict:
    return {
        "id": session.id,
        "tour_id": session.tour_id,
        "starts_at": session.starts_at.isoformat(),
        "capacity": session.capacity,
        "booked": session.seats_booked,
        "seats_left": session.seats_left,
        "waitlisted": waiting,
        "state": session.state,
        "bookable": session.is_bookable,
        "booking_closes_at": session.booking_closes_at.isoformat(),
        "tour": {"id": tour.id, "title": tour.title, "duration_minutes": tour.duration_minutes},
        "enterprise": {"slug": enterprise.slug, "name": enterprise.name, "town": enterprise.town},
    }


def sessions_page(filters: SessionFilters, limit: int, offset: int) -> dict:
    """One page of upcoming sessions of listed tours, soonest first."""
    rows, total = slice_of(api_sessions(**vars(filters)), limit, offset)
    waiting = _waiting([s.id for s in rows])
    items = [_session_json(s, s.tour, s.tour.enterprise, waiting.get(s.id, 0)) for s in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def session_detail(session_id: int) -> dict | None:
    """One session of a listed tour (past and cancelled ones too), or None."""
    session = db.session.scalar(
        select(TourSession)
        .join(TourSession.tour)
        .where(TourSession.id == session_id, TourProgramme.is_listed)
    )
    if session is None:
        return None
    return _session_json(
        session, session.tour, session.tour.enterprise, _waiting([session_id]).get(session_id, 0)
    )
