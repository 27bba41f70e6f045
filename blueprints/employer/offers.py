"""An employer's offers after visits (vacancies, internships, summer jobs, practice places,
target training) and the students' responses to them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from access import role_required
from blueprints.employer import bp
from blueprints.employer.forms_offers import OfferForm
from extensions import db
from models import Enterprise, Profession, TourProgramme
from services import offers, responses
from services.enterprises import enterprise_of
from services.responses import ResponseRefused


def _enterprise() -> Enterprise:
    enterprise = enterprise_of(current_user)
    if enterprise is None:
        abort(404)
    return enterprise


def _own_offer(offer_id: int):
    offer = offers.offer_of(_enterprise().id, offer_id)
    if offer is None:
        abort(404)
    return offer


def _offer_form(enterprise: Enterprise, offer=None) -> OfferForm:
    form = OfferForm(obj=offer) if request.method == "GET" and offer else OfferForm()
    form.tours.choices = [(t.id, t.title) for t in enterprise.tours]
    form.professions.choices = [
        (pid, title)
        for pid, title in db.session.execute(
            select(Profession.id, Profession.title).order_by(Profession.title)
        )
    ]
    if request.method == "GET" and offer is not None:
        form.tours.data = [t.id for t in offer.tours]
        form.professions.data = [p.id for p in offer.professions]
        form.not_harmful.data = form.light_work.data = bool(offer.minor_conditions)
    return form


def _chosen(form: OfferForm) -> tuple[list, list]:
    tours = db.session.scalars(
        select(TourProgramme).where(TourProgramme.id.in_(form.tours.data or []))
    ).all()
    professions = db.session.scalars(
        select(Profession).where(Profession.id.in_(form.professions.data or []))
    ).all()
    return list(tours), list(professions)


@bp.get("/offers")
@role_required("employer")
def offers_list():
    """The enterprise's offers with their moderation state and responses."""
    enterprise = _enterprise()
    return render_template(
        "employer/offers.html", offers=offers.offers_of(enterprise.id), form=FlaskForm()
    )


@bp.route("/offers/new", methods=["GET", "POST"])
@role_required("employer")
def new_offer():
    """Post an offer: it waits for moderation, then goes to the visitors of its tours."""
    enterprise = _enterprise()
    form = _offer_form(enterprise)
    if form.validate_on_submit():
        offer = offers.create(enterprise, form.fields_of(), *_chosen(form), current_user)
        flash(_("Предложение отправлено на проверку координатору."), "success")
        return redirect(url_for("employer.offer_detail", offer_id=offer.id), code=303)
    status = 422 if form.errors else 200
    return render_template("employer/offer_form.html", form=form, offer=None), status


@bp.route("/offers/<id:offer_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_offer(offer_id: int):
    """Change an offer; it waits for moderation again."""
    offer = _own_offer(offer_id)
    form = _offer_form(offer.enterprise, offer)
    if form.validate_on_submit():
        offers.update(offer, form.fields_of(), *_chosen(form), current_user)
        flash(_("Изменения отправлены на проверку координатору."), "success")
        return redirect(url_for("employer.offer_detail", offer_id=offer.id), code=303)
    status = 422 if form.errors else 200
    return render_template("employer/offer_form.html", form=form, offer=offer), status


@bp.post("/offers/<id:offer_id>/<any(close, open):action>")
@role_required("employer")
def offer_open(offer_id: int, action: str):
    """Close an offer (responses stay) or open it again."""
    offer = _own_offer(offer_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    offers.set_open(offer, action == "open", current_user)
    flash(_("Предложение закрыто.") if action == "close" else _("Предложение открыто."), "success")
    return redirect(url_for("employer.offer_detail", offer_id=offer.id), code=303)


@bp.get("/offers/<id:offer_id>")
@role_required("employer")
def offer_detail(offer_id: int):
    """An offer and the students who answered it (their e-mail only with their consent)."""
    offer = _own_offer(offer_id)
    lines = responses.for_offer(offer, current_user)
    return render_template("employer/offer.html", offer=offer, lines=lines, form=FlaskForm())


@bp.post("/responses/<id:response_id>")
@role_required("employer")
def decide_response(response_id: int):
    """Invite or decline a student who answered; they are told."""
    response = responses.response_of_enterprise(_enterprise().id, response_id)
    if response is None:
        abort(404)
    decision = request.form.get("decision")
    if decision not in responses.DECISIONS or not FlaskForm().validate_on_submit():
        abort(400)
    try:
        responses.decide(response, decision, current_user)
    except ResponseRefused:
        flash(_("Ученик отозвал отклик."), "error")
    else:
        flash(_("Ответ отправлен ученику."), "success")
    return redirect(url_for("employer.offer_detail", offer_id=response.vacancy_id), code=303)
