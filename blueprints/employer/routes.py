"""An employer's pages: their enterprise, its moderation state and tours; the sessions, who
booked them and who came."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from access import role_required
from blueprints.employer import bp
from extensions import db
from models._common import local_now
from rendering import download
from services import booking as booking_service
from services import employer_sessions
from services.booking import BookingRefused
from services.enterprises import staff_links


@bp.get("/")
@role_required("employer")
def dashboard():
    """The enterprise this account works for, and whether moderation let it in yet."""
    return render_template("employer/dashboard.html", links=staff_links(current_user))


# --- sessions, who booked, and who came ---------------------------------------------------------


@bp.get("/sessions")
@role_required("employer")
def sessions():
    """The enterprise's sessions: coming up, and the recent ones to mark attendance for."""
    upcoming, past = employer_sessions.sessions_of(current_user)
    return render_template("employer/sessions.html", upcoming=upcoming, past=past)


def _own_session(session_id: int):
    session = employer_sessions.session_of(current_user, session_id)
    if session is None:
        abort(404)
    return session


@bp.get("/sessions/<id:session_id>")
@role_required("employer")
def session_detail(session_id: int):
    """Who booked a session and who waits; after it starts, who came."""
    session = _own_session(session_id)
    seen, waiting = employer_sessions.visitors(session)
    return render_template(
        "employer/session.html",
        session=session,
        seen=seen,
        waiting=waiting,
        started=session.starts_at <= local_now(),
        form=FlaskForm(),
    )


@bp.get("/sessions/<id:session_id>/bookings.csv")
@role_required("employer")
def session_csv(session_id: int):
    """The session's list of visitors for the gate and the guide."""
    session = _own_session(session_id)
    name = f"zapisi-{session.starts_at:%Y-%m-%d-%H%M}.csv"
    return download(employer_sessions.visitors_csv(session), "text/csv", name)


@bp.post("/bookings/<id:booking_id>/attendance")
@role_required("employer")
def mark_attendance(booking_id: int):
    """The enterprise's word after the visit: the booking came or did not."""
    booking = employer_sessions.booking_of(current_user, booking_id)
    if booking is None:
        abort(404)
    came = request.form.get("came")
    if came not in ("yes", "no") or not FlaskForm().validate_on_submit():
        abort(400)
    try:
        booking_service.mark_attendance(booking, current_user, came == "yes")
    except BookingRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        flash(_("Отмечено: пришли.") if came == "yes" else _("Отмечено: не пришли."), "success")
    return redirect(url_for("employer.session_detail", session_id=booking.session_id), code=303)
