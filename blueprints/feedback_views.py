"""The rating page a visitor opens after a visit, shared by the student's own visits and a
counsellor's class trips: the form, or why there is none, or the feedback already given."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.feedback_forms import FeedbackForm
from models import Booking
from rendering import client_redirect, render_page_or_fragment
from services import feedback as feedback_service
from services.feedback import FeedbackRefused


def rate_visit(booking: Booking, back_url: str):
    """GET: the form for the booking's visitor; POST: store the feedback once, then go back to
    ``back_url`` (303, or ``HX-Redirect`` for htmx). Invalid input is shown again with 422."""
    form = FeedbackForm()
    status = 200
    try:
        feedback_service.check_may_give(booking, current_user)
        refusal = None
    except FeedbackRefused as refused:
        refusal = refused
    if request.method == "POST":
        if refusal is not None:
            flash(refusal.message, "error")
            return client_redirect(request.path)
        if form.validate_on_submit():
            try:
                feedback_service.give(
                    booking,
                    current_user,
                    form.rating.data,
                    liked=form.liked.data or "",
                    to_change=form.to_change.data or "",
                    interest_changed=form.interest_changed,
                )
            except FeedbackRefused as refused:
                flash(refused.message, "error")
            else:
                flash(_("Спасибо! Ваш отзыв сохранён."), "success")
            return client_redirect(back_url)
        status = 422
    return render_page_or_fragment(
        "feedback/rate.html",
        "feedback/_rate.html",
        status,
        booking=booking,
        session=booking.session,
        form=form,
        refusal=refusal,
        given=feedback_service.feedback_of(booking),
        back_url=back_url,
    )
