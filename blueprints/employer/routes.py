"""An employer's pages: their enterprise, its moderation state and tours; the sessions, who
booked them and who came."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from access import role_required
from blueprints.employer import bp
from blueprints.employer.forms import CancelSessionForm, CapacityForm, SessionsForm
from extensions import db
from models._common import local_now
from rendering import download, format_session
from services import booking as booking_service
from services import employer_sessions, session_planning
from services.booking import BookingRefused
from services.enterprises import enterprise_of, staff_links
from services.session_planning import PlanRefused

PLAN_REFUSALS = {
    "retired": _l("Эта экскурсия снята с показа: сначала верните её."),
    "past": _l("Сеанс должен начинаться в будущем."),
    "too_far": _l("Сеансы ставятся не дальше чем на год вперёд."),
    "range": _l("Проверьте число."),
    "taken": _l("В это время у экскурсии уже есть сеанс."),
    "holiday": _l("Это праздничный или выходной день по производственному календарю."),
    "none": _l("Отметьте хотя бы один день недели."),
    "empty": _l("В эти дни сеансов не получилось: все даты прошли, праздничные или уже заняты."),
    "too_late": _l("Запись уже не открыть: до начала меньше, чем нужно на оформление."),
}


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


def _sessions_form(enterprise) -> SessionsForm:
    form = SessionsForm()
    form.tour.choices = [(t.id, t.title) for t in enterprise.tours if t.active]
    return form


@bp.route("/sessions/new", methods=["GET", "POST"])
@role_required("employer")
def new_sessions():
    """Put one session or a series on the calendar (a series skips public holidays)."""
    enterprise = enterprise_of(current_user)
    if enterprise is None:
        abort(404)
    form = _sessions_form(enterprise)
    if form.validate_on_submit():
        try:
            message = _plan(form, enterprise)
        except PlanRefused as refusal:
            db.session.rollback()
            getattr(form, refusal.field, form.starts_on).errors.append(PLAN_REFUSALS[refusal.code])
        else:
            flash(message, "success")
            return redirect(url_for("employer.sessions"), code=303)
    status = 422 if form.errors else 200
    return render_template("employer/new_sessions.html", form=form), status


def _plan(form: SessionsForm, enterprise) -> str:
    """Create what the form asks for; the message that says what was made."""
    programme = next(t for t in enterprise.tours if t.id == form.tour.data)
    if form.mode.data == "one":
        starts = datetime.combine(form.starts_on.data, form.at.data)
        session_planning.add_session(programme, starts, form.capacity.data, current_user)
        return _("Сеанс поставлен: %(when)s.", when=format_session(starts))
    plan = session_planning.add_series(
        programme,
        form.starts_on.data,
        set(form.weekdays.data or ()),
        form.at.data,
        form.weeks.data or 8,
        form.capacity.data,
        current_user,
    )
    message = _("Поставлено сеансов: %(n)s.", n=len(plan.starts))
    if plan.holidays:
        skipped = ", ".join(f"{d:%d.%m} ({name})" for d, name in plan.holidays)
        message += " " + _("Пропущены праздники: %(days)s.", days=skipped)
    return message


def _own_session(session_id: int):
    session = employer_sessions.session_of(current_user, session_id)
    if session is None:
        abort(404)
    return session


@bp.get("/sessions/<id:session_id>")
@role_required("employer")
def session_detail(session_id: int):
    """Who booked a session and who waits; after it starts, who came."""
    return _session_page(_own_session(session_id))


def _session_page(session, capacity_form=None, cancel_form=None) -> str:
    seen, waiting = employer_sessions.visitors(session)
    return render_template(
        "employer/session.html",
        session=session,
        seen=seen,
        waiting=waiting,
        started=session.starts_at <= local_now(),
        form=FlaskForm(),
        capacity_form=capacity_form or CapacityForm(capacity=session.capacity),
        cancel_form=cancel_form or CancelSessionForm(),
    )


@bp.post("/sessions/<id:session_id>/capacity")
@role_required("employer")
def session_capacity(session_id: int):
    """Change the seats: never below those held; more seats go to the waiting list first."""
    session = _own_session(session_id)
    form = CapacityForm()
    if form.validate_on_submit():
        try:
            booking_service.set_capacity(session.id, form.capacity.data, current_user)
        except ValueError:
            db.session.rollback()
            form.capacity.errors.append(
                _("Меньше занятых мест (%(n)s) сделать нельзя.", n=session.seats_booked)
            )
        else:
            flash(_("Мест теперь: %(n)s.", n=form.capacity.data), "success")
            return redirect(url_for("employer.session_detail", session_id=session.id), code=303)
    return _session_page(session, capacity_form=form), 422


@bp.post("/sessions/<id:session_id>/<any(close, reopen):action>")
@role_required("employer")
def session_booking(session_id: int, action: str):
    """Close the session's booking now, or open it again."""
    session = _own_session(session_id)
    if not FlaskForm().validate_on_submit() or session.state != "scheduled":
        abort(400)
    if action == "close":
        booking_service.close_booking(session.id, current_user)
        flash(_("Запись на сеанс закрыта. Те, кто записался, остаются."), "success")
    else:
        try:
            session_planning.reopen_booking(session, current_user)
        except PlanRefused as refusal:
            flash(PLAN_REFUSALS[refusal.code], "error")
        else:
            flash(_("Запись на сеанс снова открыта."), "success")
    return redirect(url_for("employer.session_detail", session_id=session.id), code=303)


@bp.post("/sessions/<id:session_id>/cancel")
@role_required("employer")
def cancel_session(session_id: int):
    """Cancel the session: every booking ends and its booker is told the reason."""
    session = _own_session(session_id)
    form = CancelSessionForm()
    if session.state != "scheduled" or session.starts_at <= local_now():
        flash(_("Этот сеанс уже не отменить."), "error")
        return redirect(url_for("employer.session_detail", session_id=session.id), code=303)
    if not form.validate_on_submit():
        return _session_page(session, cancel_form=form), 422
    booking_service.cancel_session(session.id, form.reason.data.strip(), current_user)
    flash(_("Сеанс отменён, записавшиеся получили уведомление."), "success")
    return redirect(url_for("employer.session_detail", session_id=session.id), code=303)


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
    count_text = request.form.get("students_came", "").strip()
    if count_text and not (count_text.isascii() and count_text.isdigit() and len(count_text) < 5):
        flash(_("Сколько пришло — целым числом."), "error")
        return redirect(url_for("employer.session_detail", session_id=booking.session_id), code=303)
    count = int(count_text) if count_text else None
    try:
        booking_service.mark_attendance(booking, current_user, came == "yes", count)
    except BookingRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        flash(_("Отмечено: пришли.") if came == "yes" else _("Отмечено: не пришли."), "success")
    return redirect(url_for("employer.session_detail", session_id=booking.session_id), code=303)
