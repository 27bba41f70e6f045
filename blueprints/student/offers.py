"""A student's answers to offers after visits, and whether they want such offers at all."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from access import role_required
from blueprints.student import bp
from extensions import db
from services import audit
from services import responses as response_service


@bp.get("/responses")
@role_required("student")
def responses():
    """The student's responses with the enterprises' answers, and the offers setting."""
    return render_template(
        "student/responses.html", items=response_service.of_student(current_user), form=FlaskForm()
    )


@bp.post("/responses/<id:response_id>/withdraw")
@role_required("student")
def withdraw(response_id: int):
    """Take a response back."""
    response = response_service.response_of_student(current_user, response_id)
    if response is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    response_service.withdraw(response, current_user)
    flash(_("Отклик отозван."), "success")
    return redirect(url_for("student.responses"), code=303)


@bp.post("/offers")
@role_required("student")
def offers_setting():
    """Ask for offers from the enterprises one visited, or stop them."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    wanted = request.form.get("wanted") == "yes"
    current_user.offers_opt_in = wanted
    audit.record("student.offers", current_user, actor=current_user, wanted=wanted)
    db.session.commit()
    flash(
        _("Будем присылать предложения предприятий, где вы были на экскурсии.")
        if wanted
        else _("Предложения больше присылать не будем."),
        "success",
    )
    back = "student.dashboard" if request.form.get("back") == "dashboard" else "student.responses"
    return redirect(url_for(back), code=303)
