"""The parent's page from the e-mailed link: decide each purpose, download the child's data,
delete the account. The link is the parent's proof: it was mailed to their address, is signed,
expires after 7 days and takes one answer; a new one goes to the same address on request."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from blueprints.consent import bp
from extensions import limiter
from rendering import download
from services import consent, privacy

DECISIONS = {"yes": True, "no": False}


def _link(token: str) -> consent.Link:
    found = consent.link_for(token)
    if found is None:
        abort(404)
    return found


def _texts(purposes) -> list[dict]:
    language = get_locale().language
    return [{"purpose": p, "text": consent.text_of(p).in_language(language)} for p in purposes]


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def parent(token: str):
    """The consent texts of the purposes asked, with a yes or no for each."""
    link = _link(token)
    if link.state != "open":
        return render_template("consent/closed.html", link=link, token=token, form=FlaskForm()), 410
    ask = link.request
    form = FlaskForm()
    missing = []
    if form.validate_on_submit():
        decisions = {p: DECISIONS.get(request.form.get(p, "")) for p in ask.purposes}
        missing = [p for p, d in decisions.items() if d is None]
        if not missing:
            consent.answer(ask, decisions)
            return render_template(
                "consent/answered.html",
                student=ask.student,
                decisions=decisions,
                texts=_texts(ask.purposes),
            )
    status = 422 if form.is_submitted() else 200
    return (
        render_template(
            "consent/parent.html",
            ask=ask,
            texts=_texts(ask.purposes),
            form=form,
            token=token,
            missing=missing,
            chosen=request.form,
        ),
        status,
    )


@bp.post("/<token>/renew")
@limiter.limit("3 per hour")
def renew(token: str):
    """A new link to the same address (the old one expired or was used)."""
    link = _link(token)
    if not FlaskForm().validate_on_submit():
        abort(400)
    consent.renew(link.request)
    return render_template("consent/renewed.html"), 200


@bp.get("/<token>/export.json")
def export(token: str):
    """Everything the site holds about the child, while the link is open."""
    link = _link(token)
    if link.state != "open":
        abort(410)
    body = privacy.export_json(link.request.student)
    return download(body, "application/json", privacy.FILE_NAME)


@bp.post("/<token>/delete")
def delete(token: str):
    """Delete the child's account and personal data now."""
    link = _link(token)
    if link.state != "open" or not FlaskForm().validate_on_submit():
        abort(410 if link.state != "open" else 400)
    if request.form.get("confirm") != "yes":
        flash(_("Отметьте, что вы хотите удалить учётную запись."), "error")
        return redirect(url_for("consent.parent", token=token), code=303)
    privacy.delete_student(link.request.student, "parent")
    return render_template("consent/deleted.html"), 200
