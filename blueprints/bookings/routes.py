"""A student books a session, leaves it, takes an offered seat, and keeps the visit in a calendar.

Every action goes through ``services.booking``; a refusal is shown with its reason (htmx: in
place, status 422; a plain form: as a message on the page it came from).
"""

from __future__ import annotations

from flask import abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access import role_required
from blueprints.bookings import bp
from blueprints.bookings.forms import BookForm, VisitActionForm
from extensions import db
from rendering import client_redirect, download, fragment, wants_fragment
from services import booking as booking_service
from services.booking import BookingRefused
from services.calendar import visit_calendar
from services.visits import session_line, student_bookings_by_session, tour_sessions_view

DONE = {
    "confirmed": lambda: _("Вы записаны. Экскурсия — в «Моих экскурсиях»."),
    "waitlisted": lambda: _("Вы в листе ожидания. Если места освободятся, мы сообщим."),
    "offered": lambda: _("Для вас придержаны места — подтвердите запись в «Моих экскурсиях»."),
}


def _safe_next(default: str) -> str:
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.post("/sessions/<id:session_id>/book")
@role_required("student")
def book(session_id: int):
    """Book a seat (or join the waiting list) for the signed-in student."""
    form = BookForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = booking_service.book_student(current_user, session_id, form.waitlist.data)
    except BookingRefused as refusal:
        db.session.rollback()  # release the session's lock at once
        return _answer(session_id, refusal.message, ok=False, refusal=refusal.code)
    # Say what the booking is now (seats may have been offered to it since), or else what this
    # request made of it.
    state = outcome.booking.state if outcome.booking.state in DONE else outcome.state
    return _answer(session_id, DONE[state](), ok=True)


def _answer(session_id: int, message: str, ok: bool, refusal: str | None = None):
    line = session_line(session_id)
    if line is None:
        abort(404)
    if wants_fragment():
        status = 200 if ok else 422
        if request.htmx.target == "sessions":
            context = tour_sessions_view(line.tour_id, current_user)
            return fragment("visits/_tour_sessions.html", status, message=message, ok=ok, **context)
        mine = student_bookings_by_session(current_user, [session_id])
        return fragment(
            "bookings/_book_button.html",
            status,
            s=line,
            mine=mine,
            message=message,
            ok=ok,
            refusal=refusal,
            next_url=_safe_next(""),
        )
    flash(message, "success" if ok else "error")
    return client_redirect(_safe_next(url_for("visits.tour", tour_id=line.tour_id)))


@bp.get("/me/visits")
@role_required("student")
def visits():
    """«Мои экскурсии»: upcoming and past visits with what can be done with each."""
    bookings = booking_service.bookings_of_student(current_user)
    upcoming = [b for b in bookings if b.is_live and b.session.is_upcoming]
    past = [b for b in bookings if b not in upcoming]
    return render_template(
        "bookings/visits.html", upcoming=upcoming, past=past[::-1], form=VisitActionForm()
    )


def _act(booking_id: int, action, done: str):
    """Do ``action(booking, student)`` to the student's own booking, then back to the list with
    what happened (or why not)."""
    found = booking_service.booking_of_student(current_user, booking_id)
    if found is None:
        abort(404)
    if not VisitActionForm().validate_on_submit():
        abort(400)
    try:
        action(found, current_user)
    except BookingRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        flash(done, "success")
    return client_redirect(url_for("bookings.visits"))


@bp.post("/me/visits/<id:booking_id>/cancel")
@role_required("student")
def cancel(booking_id: int):
    """Cancel a visit, leave a waiting list or decline offered seats."""
    return _act(booking_id, booking_service.cancel, _("Запись отменена."))


@bp.post("/me/visits/<id:booking_id>/accept")
@role_required("student")
def accept(booking_id: int):
    """Take the seats offered from the waiting list."""
    return _act(booking_id, booking_service.accept_offer, _("Запись подтверждена."))


@bp.get("/me/visits/<id:booking_id>.ics")
@role_required("student")
def calendar(booking_id: int):
    """The visit as a calendar file (with the time zone of the enterprise's region)."""
    found = booking_service.booking_of_student(current_user, booking_id)
    if found is None or not found.is_live:
        abort(404)
    body = visit_calendar(found, current_app.config["SITE_URL"])
    day = found.session.starts_at.date().isoformat()
    return download(body, "text/calendar", f"ekskursiya-{day}.ics")
