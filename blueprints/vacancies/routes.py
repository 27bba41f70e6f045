"""The public list of offers after visits (vacancies, internships, summer jobs, practice
places, target training), an offer's page, and a student's response."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from access import role_required
from blueprints.vacancies import bp
from blueprints.vacancies.forms import RespondForm
from extensions import db
from services import consent, responses
from services.offers import delivered_ids
from services.paging import page_number
from services.responses import ResponseRefused
from services.vacancies import filter_choices, listed_offer, listed_vacancies_page, parse_filters

REFUSALS = {
    "closed": _l("Предложение больше не принимает отклики."),
    "age": _l("Это предложение для тех, кто старше: по закону оно вам пока не подходит."),
    "consent": _l("Чтобы откликаться, нужно согласие на обработку данных — см. «Мои данные»."),
    "already": _l("Вы уже откликнулись на это предложение."),
}


def _student():
    return (
        current_user if current_user.is_authenticated and current_user.role == "student" else None
    )


@bp.get("")
def index():
    """Listed offers of public enterprises; a student sees those for their age, the ones sent
    to them after a visit first."""
    filters = parse_filters(request.args)
    student = _student()
    age = consent.youngest_age(student) if student else None
    page = listed_vacancies_page(
        page_number(request.args.get("page")),
        current_app.config["PAGE_SIZE"],
        filters,
        student,
        age,
    )
    sent = delivered_ids(student) if student is not None else set()
    return render_template(
        "vacancies/index.html",
        page=page,
        filters=filters,
        choices=filter_choices(),
        student=student,
        sent=sent,
    )


@bp.get("/<id:offer_id>")
def detail(offer_id: int):
    """One offer: what, where, from what age, pay, and the student's response."""
    offer = listed_offer(offer_id)
    if offer is None:
        abort(404)
    return _detail_page(offer, RespondForm())


def _detail_page(offer, form, status: int = 200):
    student = _student()
    refusal = responses.may_respond(student, offer) if student else None
    response = responses.response_of(student, offer) if student else None
    shares_contact = consent.allows(student, "employer_contact") if student else False
    return render_template(
        "vacancies/detail.html",
        offer=offer,
        form=form,
        student=student,
        refusal=REFUSALS.get(refusal) if refusal else None,
        response=response,
        shares_contact=shares_contact,
    ), status


@bp.post("/<id:offer_id>/respond")
@role_required("student")
def respond(offer_id: int):
    """Send a response with a short message."""
    offer = listed_offer(offer_id)
    if offer is None:
        abort(404)
    form = RespondForm()
    if not form.validate_on_submit():
        return _detail_page(offer, form, 422)
    try:
        responses.respond(current_user, offer, form.message.data)
    except ResponseRefused as refusal:
        db.session.rollback()
        form.message.errors.append(REFUSALS[refusal.code])
        return _detail_page(offer, form, 409 if refusal.code == "already" else 422)
    flash(_("Отклик отправлен. Ответ предприятия появится в «Моих откликах»."), "success")
    return redirect(url_for("vacancies.detail", offer_id=offer.id), code=303)
