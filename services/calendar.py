"""Visits as calendar files (RFC 5545, through the ``icalendar`` library)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from models import Booking
from models._common import REGION_TZ
from services.booking_notes import meeting_point


def visit_calendar(booking: Booking, site_url: str) -> bytes:
    """One event for the booking's session, in the region's time zone, with where to meet."""
    return _calendar([booking], site_url, name=None)


def class_calendar(bookings: list[Booking], site_url: str, name: str) -> bytes:
    """A class's trips as one calendar: booked ones confirmed, waiting ones tentative,
    cancelled ones left out."""
    return _calendar([b for b in bookings if b.is_live], site_url, name=name)


def _calendar(bookings: list[Booking], site_url: str, name: str | None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Профмаршрут//visits//RU")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for booking in bookings:
        calendar.add_component(_event(booking, site_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(booking: Booking, site_url: str) -> Event:
    session = booking.session
    tour = session.tour
    enterprise = tour.enterprise
    starts = session.starts_at.replace(tzinfo=REGION_TZ)
    event = Event()
    event.add("uid", f"booking-{booking.id}@profmarshrut")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=tour.duration_minutes))
    event.add("summary", f"Экскурсия: {tour.title}")
    event.add("status", "TENTATIVE" if booking.state in ("waitlisted", "offered") else "CONFIRMED")
    place = meeting_point(session)
    event.add("location", f"{enterprise.name}, {place}")
    url = f"{site_url.rstrip('/')}/tours/{tour.id}"
    lines = [
        f"{enterprise.name}, {enterprise.town}",
        f"Место сбора: {place}",
        f"Правила посещения: {enterprise.visiting_rules}" if enterprise.visiting_rules else "",
        f"Учеников: {booking.students}, взрослых: {booking.adults}"
        if booking.kind == "class"
        else "",
        url,
    ]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", url)
    return event
