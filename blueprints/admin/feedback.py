"""Regional staff's queue of reported feedback: hide its text or keep it."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from access import role_required
from blueprints.admin import bp
from extensions import db
from models import Feedback
from rendering import client_redirect, render_page_or_fragment
from services import feedback as feedback_service
from services.feedback import FeedbackRefused


@bp.get("/feedback")
@role_required("admin")
def feedback_queue():
    """Feedback that an enterprise reported, oldest report first."""
    return render_page_or_fragment(
        "admin/feedback.html",
        "admin/_feedback.html",
        queue=[(f, feedback_service.comment_of(f)) for f in feedback_service.reported()],
    )


@bp.post("/feedback/<id:feedback_id>")
@role_required("admin")
def decide_feedback(feedback_id: int):
    """Hide a reported comment's text (its rating still counts) or keep it as it is."""
    found = db.get_or_404(Feedback, feedback_id)
    decision = request.form.get("decision", "")
    if decision not in feedback_service.DECISIONS or not FlaskForm().validate_on_submit():
        abort(400)
    try:
        feedback_service.decide(found, decision, current_user)
    except FeedbackRefused as refused:
        flash(refused.message, "error")
    else:
        flash(_("Отзыв скрыт.") if decision == "hide" else _("Отзыв оставлен как есть."), "success")
    return client_redirect(url_for("admin.feedback_queue"))
