"""The school's papers for a confirmed class trip, and the class's trips as CSV and calendar."""

from __future__ import annotations

import csv
import io

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from access import role_required
from blueprints.counsellor import bp
from blueprints.counsellor.routes import own_class
from blueprints.counsellor.trips import _own_trip
from i18n import BOOKING_STATE_LABELS
from rendering import download
from services import booking as booking_service
from services import papers
from services.booking_notes import meeting_point
from services.calendar import class_calendar

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _facts(booking_id: int):
    """The trip's facts, or a redirect to the trip when it has no papers (not confirmed)."""
    found = _own_trip(booking_id)
    if found.state not in ("confirmed", "attended"):
        flash(_("Документы появятся, когда запись класса будет подтверждена."), "error")
        return None, redirect(url_for("counsellor.trip", booking_id=found.id), code=303)
    return papers.trip_facts(found), None


@bp.get("/trips/<id:booking_id>/sheet")
@role_required("counsellor")
def trip_sheet(booking_id: int):
    """The trip sheet to print: where, when, what to wear and bring, rules, contacts."""
    facts, elsewhere = _facts(booking_id)
    return elsewhere or render_template("counsellor/papers/sheet.html", f=facts)


@bp.get("/trips/<id:booking_id>/consent")
@role_required("counsellor")
def trip_consent(booking_id: int):
    """The parents' consent form, one page per student, to print."""
    facts, elsewhere = _facts(booking_id)
    return elsewhere or render_template("counsellor/papers/consent.html", f=facts)


@bp.get("/trips/<id:booking_id>/briefing")
@role_required("counsellor")
def trip_briefing(booking_id: int):
    """The safety-briefing sign-off list (журнал инструктажа), to print."""
    facts, elsewhere = _facts(booking_id)
    return elsewhere or render_template(
        "counsellor/papers/briefing.html", f=facts, topics=papers.BRIEFING_TOPICS
    )


@bp.get("/trips/<id:booking_id>/order.docx")
@role_required("counsellor")
def trip_order(booking_id: int):
    """A draft of the school's order on the excursion, to edit in Word."""
    facts, elsewhere = _facts(booking_id)
    if elsewhere:
        return elsewhere
    return download(papers.order_docx(facts), DOCX, papers.file_name("prikaz", facts))


@bp.get("/trips/<id:booking_id>/participants.docx")
@role_required("counsellor")
def trip_participants(booking_id: int):
    """The participant list with the columns the school fills in."""
    facts, elsewhere = _facts(booking_id)
    if elsewhere:
        return elsewhere
    return download(papers.participants_docx(facts), DOCX, papers.file_name("spisok", facts))


CSV_HEADER = (
    "Дата",
    "Начало",
    "Окончание",
    "Экскурсия",
    "Предприятие",
    "Место сбора",
    "Учеников",
    "Взрослых",
    "Состояние",
)


@bp.get("/classes/<id:class_id>/trips.csv")
@role_required("counsellor")
def class_trips_csv(class_id: int):
    """The class's trips as CSV (UTF-8 with BOM and «;», as Excel in Russian opens it)."""
    school_class = own_class(class_id)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for b in booking_service.bookings_of_class(school_class):
        session = b.session
        facts = papers.trip_facts(b)
        writer.writerow(
            (
                session.starts_at.date().isoformat(),
                session.starts_at.strftime("%H:%M"),
                facts.ends_at.strftime("%H:%M"),
                session.tour.title,
                session.tour.enterprise.name,
                meeting_point(session),
                b.students,
                b.adults,
                str(BOOKING_STATE_LABELS[b.state]),
            )
        )
    return download(out.getvalue().encode(), "text/csv", f"poezdki-{school_class.id}.csv")


@bp.get("/classes/<id:class_id>/trips.ics")
@role_required("counsellor")
def class_trips_ics(class_id: int):
    """The class's trips as one calendar file."""
    school_class = own_class(class_id)
    body = class_calendar(
        booking_service.bookings_of_class(school_class),
        current_app.config["SITE_URL"],
        name=f"Экскурсии класса {school_class.name}",
    )
    return download(body, "text/calendar", f"poezdki-{school_class.id}.ics")
