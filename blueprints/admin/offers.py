"""Regional staff's moderation of offers after visits."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from access import role_required
from blueprints.admin import bp
from extensions import db
from models import Vacancy
from services import offers


@bp.get("/offers")
@role_required("admin")
def offers_queue():
    """Offers waiting for a decision, oldest first."""
    return render_template("admin/offers.html", offers=offers.pending(), form=FlaskForm())


@bp.post("/offers/<id:offer_id>")
@role_required("admin")
def decide_offer(offer_id: int):
    """Publish an offer or send it back with a reason."""
    offer = db.get_or_404(Vacancy, offer_id)
    decision = request.form.get("decision", "")
    reason = request.form.get("reason", "")[:500]
    if decision not in ("approve", "reject") or not FlaskForm().validate_on_submit():
        abort(400)
    if decision == "reject" and not reason.strip():
        flash(_("Напишите, что исправить: причину получит предприятие."), "error")
        return redirect(url_for("admin.offers_queue"), code=303)
    offers.decide(offer, decision, current_user, reason)
    flash(
        _("Предложение опубликовано.") if decision == "approve" else _("Предложение возвращено."),
        "success",
    )
    return redirect(url_for("admin.offers_queue"), code=303)
