"""A counsellor books a session for a class and looks after the trip: its numbers, transport
and adults, cancelling it, taking seats offered from the waiting list.

Every change of seats goes through ``services.booking``; a refusal is shown next to the field
it concerns.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access import role_required
from blueprints.counsellor import bp
from blueprints.counsellor.forms import (
    ClassBookingForm,
    TripActionForm,
    TripFacts,
    TripSizeForm,
    escorts_of,
)
from blueprints.counsellor.routes import own_class
from extensions import db
from models import TourSession
from services import audit
from services import booking as booking_service
from services.booking import BookingRefused
from services.booking_notes import meeting_point
from services.booking_rules import check_class, check_session_open
from services.class_planner import adults_needed, group_size
from services.feedback import summary as feedback_summary

# Постановление Правительства РФ № 1527 (23.09.2020), п. 8: with more than 20 children on a
# bus, an escort at each door in use. The site cannot know the bus, so it warns.
BUS_CHILDREN_LIMIT = 20
# Which field a refusal is about; the others are about the session or the class as a whole.
FIELD_OF_REFUSAL = {
    "group_too_big": "students",
    "no_seats": "students",
    "too_few_adults": "adults",
}
LIVE_BEFORE = ("confirmed", "waitlisted", "offered")  # states a booking has before the day
DONE = {
    "confirmed": lambda: _("Класс записан. Документы для школы — на странице поездки."),
    "waitlisted": lambda: _("Класс в листе ожидания. Если места освободятся, мы сообщим."),
    "offered": lambda: _("Для класса придержаны места — подтвердите запись."),
}


def _session_or_404(session_id: int) -> TourSession:
    session = db.get_or_404(TourSession, session_id)
    if not session.tour.is_listed:
        abort(404)
    return session


def bus_warning(transport: str | None, students: int | None, adults: int | None) -> str | None:
    """The escort rule for a bus with more than 20 children, or None."""
    if transport != "bus" or not students or students <= BUS_CHILDREN_LIMIT:
        return None
    return _(
        "Автобусом едут больше %(limit)s детей (%(n)s). По Правилам организованной перевозки "
        "группы детей автобусами (Постановление Правительства РФ № 1527, п. 8) у каждой "
        "используемой двери автобуса должен быть сопровождающий. Взрослых в заявке: %(a)s — "
        "проверьте, что их хватает на все двери каждого автобуса.",
        limit=BUS_CHILDREN_LIMIT,
        n=students,
        a=adults or 0,
    )


@bp.route("/classes/<id:class_id>/sessions/<id:session_id>/book", methods=["GET", "POST"])
@role_required("counsellor")
def book_trip(class_id: int, session_id: int):
    """The class booking form for one session: students, adults, transport, escorts."""
    school_class = own_class(class_id)
    session = _session_or_404(session_id)
    programme = session.tour
    form = ClassBookingForm()
    if not form.is_submitted():
        form.students.data = group_size(school_class)
        form.adults.data = adults_needed(programme, form.students.data)
    warning = form_error = None
    if form.is_submitted():
        warning = bus_warning(form.transport.data, form.students.data, form.adults.data)
    if form.validate_on_submit():
        if warning and not form.bus_ack.data:
            # The programme's own rules first (read only), so that the counsellor does not
            # confirm the bus only to hear that the group is too big.
            form_error = _rule_errors(form, school_class, session)
            form.bus_ack.errors.append(_("Подтвердите, что сопровождающих хватит на все двери."))
        else:
            outcome, form_error = _book(form, school_class, session)
            if outcome is not None:
                return redirect(url_for("counsellor.trip", booking_id=outcome.booking.id), code=303)
    return (
        render_template(
            "counsellor/book.html",
            school_class=school_class,
            session=session,
            programme=programme,
            place=meeting_point(session),
            form=form,
            warning=warning,
            form_error=form_error,
            needed=adults_needed(programme, form.students.data or 1),
            bus_limit=BUS_CHILDREN_LIMIT,
            reviews=feedback_summary(programme.enterprise_id),
        ),
        422 if form.is_submitted() else 200,
    )


def _rule_errors(form: ClassBookingForm, school_class, session) -> str | None:
    """The programme's rules on this class and group, as the booking core would apply them
    (nothing is written); a refusal about a field goes to the field, else it is returned."""
    try:
        check_session_open(session, session.tour)
        check_class(school_class, session.tour, form.students.data, form.adults.data)
    except BookingRefused as refusal:
        return _place_refusal(form, refusal)
    return None


def _place_refusal(form: ClassBookingForm, refusal: BookingRefused) -> str | None:
    message = refusal.message
    if refusal.code == "no_seats":
        message += " " + _("Можно отметить «лист ожидания» ниже.")
    field = FIELD_OF_REFUSAL.get(refusal.code)
    if field is None:
        return message
    getattr(form, field).errors.append(message)
    return None


def _book(form: ClassBookingForm, school_class, session):
    """(the outcome, None) with its message flashed, or (None, a refusal not about one field);
    a refusal about a field goes to that field's errors."""
    try:
        outcome = booking_service.book_class(
            current_user,
            school_class,
            session.id,
            form.students.data,
            form.adults.data,
            waitlist=form.waitlist.data,
            transport=form.transport.data,
            escorts=escorts_of(form.escorts.data),
        )
    except BookingRefused as refusal:
        db.session.rollback()
        return None, _place_refusal(form, refusal)
    if not outcome.created:
        flash(_("Класс уже записан на этот сеанс — вот запись."), "info")
    else:
        state = outcome.booking.state if outcome.booking.state in DONE else outcome.state
        flash(DONE[state](), "success")
    return outcome, None


def _own_trip(booking_id: int):
    found = booking_service.booking_of_counsellor(current_user, booking_id)
    if found is None:
        abort(404)
    return found


@bp.get("/trips/<id:booking_id>")
@role_required("counsellor")
def trip(booking_id: int):
    """A class trip: its state (with the place on the waiting list), numbers, papers."""
    found = _own_trip(booking_id)
    return _trip_page(found)


def _trip_page(found, size_form=None, facts_form=None, status=200):
    if size_form is None:
        size_form = TripSizeForm(students=found.students, adults=found.adults)
    if facts_form is None:
        facts_form = TripFacts(transport=found.transport, escorts="\n".join(found.escorts or []))
    session = found.session
    return (
        render_template(
            "counsellor/trip.html",
            b=found,
            session=session,
            programme=session.tour,
            school_class=found.school_class,
            place=meeting_point(session),
            position=booking_service.waiting_position(found),
            size_form=size_form,
            facts_form=facts_form,
            action_form=TripActionForm(),
            changeable=found.state in LIVE_BEFORE and session.is_upcoming,
            has_papers=found.state in ("confirmed", "attended"),
            warning=bus_warning(found.transport, found.students, found.adults),
        ),
        status,
    )


@bp.post("/trips/<id:booking_id>/size")
@role_required("counsellor")
def resize_trip(booking_id: int):
    """Change the numbers of students and adults (the core decides)."""
    found = _own_trip(booking_id)
    form = TripSizeForm()
    if form.validate_on_submit():
        try:
            booking_service.resize(found, current_user, form.students.data, form.adults.data)
        except BookingRefused as refusal:
            db.session.rollback()
            getattr(form, FIELD_OF_REFUSAL.get(refusal.code, "students")).errors.append(
                refusal.message
            )
        else:
            flash(_("Число участников изменено."), "success")
            return redirect(url_for("counsellor.trip", booking_id=found.id), code=303)
    db.session.refresh(found)
    return _trip_page(found, size_form=form, status=422)


@bp.post("/trips/<id:booking_id>/facts")
@role_required("counsellor")
def trip_facts(booking_id: int):
    """How the class travels and who goes with it (no seats change)."""
    found = _own_trip(booking_id)
    form = TripFacts()
    if form.validate_on_submit():
        found.transport = form.transport.data
        found.escorts = escorts_of(form.escorts.data)
        audit.record("booking.facts", found, actor=current_user, transport=found.transport)
        db.session.commit()
        flash(_("Сохранено."), "success")
        return redirect(url_for("counsellor.trip", booking_id=found.id), code=303)
    return _trip_page(found, facts_form=form, status=422)


def _act(booking_id: int, action, done: str):
    found = _own_trip(booking_id)
    if not TripActionForm().validate_on_submit():
        abort(400)
    try:
        action(found, current_user)
    except BookingRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("counsellor.trip", booking_id=found.id), code=303)


@bp.post("/trips/<id:booking_id>/cancel")
@role_required("counsellor")
def cancel_trip(booking_id: int):
    """Cancel the trip, leave the waiting list or decline offered seats."""
    return _act(booking_id, booking_service.cancel, _("Запись отменена."))


@bp.post("/trips/<id:booking_id>/accept")
@role_required("counsellor")
def accept_trip(booking_id: int):
    """Take the seats offered from the waiting list."""
    return _act(booking_id, booking_service.accept_offer, _("Запись подтверждена."))
