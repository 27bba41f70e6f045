"""Regional staff: the moderation queue."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from access import role_required
from blueprints.admin import bp
from extensions import db
from models import Enterprise, EnterpriseStaff, User
from services import moderation, revision_moderation


@bp.get("/")
@role_required("admin")
def dashboard():
    """Enterprises and employer accounts waiting for a decision."""
    return render_template(
        "admin/dashboard.html",
        enterprises=moderation.pending_enterprises(),
        staff=moderation.pending_staff(),
        counsellors=moderation.pending_counsellors(),
        revisions_waiting=revision_moderation.waiting_count(),
        form=FlaskForm(),
    )


def _decision() -> str:
    decision = request.form.get("decision", "")
    if decision not in moderation.DECISIONS or not FlaskForm().validate_on_submit():
        abort(400)
    return decision


@bp.post("/enterprises/<id:enterprise_id>")
@role_required("admin")
def decide_enterprise(enterprise_id: int):
    """Approve or reject an enterprise."""
    decision = _decision()
    moderation.decide_enterprise(db.get_or_404(Enterprise, enterprise_id), decision, current_user)
    flash(_("Решение сохранено."), "success")
    return redirect(url_for("admin.dashboard"), code=303)


@bp.post("/staff/<id:link_id>")
@role_required("admin")
def decide_staff(link_id: int):
    """Approve or reject an employer account's link to its enterprise."""
    decision = _decision()
    moderation.decide_staff(db.get_or_404(EnterpriseStaff, link_id), decision, current_user)
    flash(_("Решение сохранено."), "success")
    return redirect(url_for("admin.dashboard"), code=303)


@bp.post("/counsellors/<id:user_id>")
@role_required("admin")
def decide_counsellor(user_id: int):
    """Approve or reject a counsellor's account."""
    decision = _decision()
    counsellor = db.get_or_404(User, user_id)
    if counsellor.role != "counsellor":
        abort(404)
    moderation.decide_counsellor(counsellor, decision, current_user)
    flash(_("Решение сохранено."), "success")
    return redirect(url_for("admin.dashboard"), code=303)
