"""A visit as a calendar file (RFC 5545, through the ``icalendar`` library)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from models import Booking
from models._common import REGION_TZ
from services.booking_notes import meeting_point


def visit_calendar(booking: Booking, site_url: str) -> bytes:
    """One event for the booking's session, in the region's time zone, with where to meet."""
    session = booking.session
    tour = session.tour
    enterprise = tour.enterprise
    starts = session.starts_at.replace(tzinfo=REGION_TZ)
    calendar = Calendar()
    calendar.add("prodid", "-//Профмаршрут//visits//RU")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.id}@profmarshrut")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=tour.duration_minutes))
    event.add("summary", f"Экскурсия: {tour.title}")
    place = meeting_point(session)
    event.add("location", f"{enterprise.name}, {place}")
    url = f"{site_url.rstrip('/')}/tours/{tour.id}"
    event.add(
        "description",
        "\n".join(
            part
            for part in (
                f"{enterprise.name}, {enterprise.town}",
                f"Место сбора: {place}",
                f"Правила посещения: {enterprise.visiting_rules}"
                if enterprise.visiting_rules
                else "",
                url,
            )
            if part
        ),
    )
    event.add("url", url)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
