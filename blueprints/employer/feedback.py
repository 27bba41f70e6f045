"""What visitors said about the enterprise's tours: averages, the spread of ratings, comments
(never who wrote them), and a report to regional staff when a comment breaks the rules."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access import role_required
from blueprints.employer import bp
from blueprints.feedback_forms import ReportForm
from models import Enterprise
from rendering import client_redirect, render_page_or_fragment
from services import feedback as feedback_service
from services.enterprises import enterprise_of
from services.feedback import FeedbackRefused


def _own_enterprise() -> Enterprise:
    enterprise = enterprise_of(current_user)
    if enterprise is None:
        abort(404)
    return enterprise


def _feedback_page(enterprise: Enterprise, failed: ReportForm | None = None, failed_id=None):
    overall, tours = feedback_service.for_employer(enterprise)
    return render_page_or_fragment(
        "employer/feedback.html",
        "employer/_feedback.html",
        422 if failed is not None else 200,
        enterprise=enterprise,
        overall=overall,
        tours=tours,
        report_form=ReportForm(formdata=None),
        failed=failed,
        failed_id=failed_id,
    )


@bp.get("/feedback")
@role_required("employer")
def feedback():
    """Visitors' ratings and comments on the enterprise's tours, tour by tour."""
    return _feedback_page(_own_enterprise())


@bp.post("/feedback/<id:feedback_id>/report")
@role_required("employer")
def report_feedback(feedback_id: int):
    """Send a comment to regional staff, saying why it breaks the rules."""
    enterprise = _own_enterprise()
    found = feedback_service.feedback_of_enterprise(enterprise, feedback_id)
    if found is None:
        abort(404)
    form = ReportForm()
    if not form.validate_on_submit():
        return _feedback_page(enterprise, failed=form, failed_id=found.id)
    try:
        feedback_service.report(found, current_user, form.reason.data)
    except FeedbackRefused as refused:
        flash(refused.message, "error")
    else:
        flash(_("Отзыв отправлен модератору. Пока он решает, отзыв виден как прежде."), "success")
    return client_redirect(url_for("employer.feedback") + f"#feedback-{found.id}")
