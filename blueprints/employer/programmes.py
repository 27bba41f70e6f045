"""The enterprise's tour programmes: the list with their moderation state, a new programme, an
edit (kept for review once live), retiring and restoring."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from access import role_required
from blueprints.employer import bp
from blueprints.employer.forms_programmes import ProgrammeForm, form_data
from blueprints.employer.forms_team import ActionForm
from extensions import db
from models import Enterprise, TourProgramme
from rendering import client_redirect, render_page_or_fragment
from services import programmes as programme_service
from services.enterprises import enterprise_of
from services.programmes import ProgrammeRefused

REFUSALS = {
    "live_bookings": _l(
        "У программы есть ближайшие сеансы с записями. Сначала отмените эти сеансы на странице "
        "«Сеансы» — записавшиеся получат уведомление, — а потом снимите программу."
    ),
    "busy": _l("Не получилось сохранить программу — попробуйте ещё раз."),
}


def _enterprise() -> Enterprise:
    """The signed-in employer's enterprise, or 404 (staff awaiting approval have none yet)."""
    enterprise = enterprise_of(current_user)
    if enterprise is None:
        abort(404)
    return enterprise


def own_programme(tour_id: int) -> TourProgramme:
    """A programme of the employer's enterprise, or 404 (another's is not even confirmed to
    exist)."""
    programme = programme_service.programme_of(current_user, tour_id)
    if programme is None:
        abort(404)
    return programme


def _form(values: dict | None = None, profession_ids: list[int] | None = None) -> ProgrammeForm:
    """The programme form: on a POST what was sent, else ``values`` (a new one: the defaults)."""
    data = None if request.method == "POST" or values is None else form_data(values, profession_ids)
    form = ProgrammeForm(data=data)
    groups = programme_service.profession_groups()
    form.professions.choices = [choice for _sphere, items in groups for choice in items]
    form.profession_groups = groups
    return form


def _form_page(form: ProgrammeForm, programme: TourProgramme | None = None, status: int = 200):
    return render_page_or_fragment(
        "employer/programme_form.html",
        "employer/_programme_form.html",
        status,
        form=form,
        programme=programme,
        live=programme is not None and programme.moderation_state == "approved",
    )


@bp.get("/programmes")
@role_required("employer")
def programmes():
    """The enterprise's programmes: on review, published, sent back or retired."""
    enterprise = _enterprise()
    return render_page_or_fragment(
        "employer/programmes.html",
        "employer/_programmes.html",
        enterprise=enterprise,
        rows=programme_service.programmes_of(enterprise),
        action=ActionForm(),
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@role_required("employer")
def new_programme():
    """A new programme: it shows once regional staff approve it."""
    enterprise = _enterprise()
    form = _form()
    if form.validate_on_submit():
        try:
            programme_service.create(
                enterprise,
                form.programme_fields(),
                form.professions.data,
                current_user._get_current_object(),
            )
        except ProgrammeRefused as refusal:
            db.session.rollback()
            form.title.errors.append(REFUSALS[refusal.code])
        else:
            flash(_("Программа отправлена на проверку региональному координатору."), "success")
            return client_redirect(url_for("employer.programmes"))
    return _form_page(form, status=422 if form.is_submitted() else 200)


@bp.route("/programmes/<id:tour_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_programme(tour_id: int):
    """Change a programme: at once while nobody sees it, after a moderator's look once live."""
    programme = own_programme(tour_id)
    values = programme_service.form_values(programme)
    form = _form(values, [p.id for p in programme.professions])
    if form.validate_on_submit():
        live = programme.moderation_state == "approved"
        chosen = None if live else form.professions.data
        user = current_user._get_current_object()
        if programme_service.update(programme, form.programme_fields(), chosen, user):
            flash(_("Изменения отправлены на проверку; пока на сайте прежний текст."), "success")
        else:
            flash(_("Программа сохранена."), "success")
        return client_redirect(url_for("employer.programmes"))
    return _form_page(form, programme, 422 if form.is_submitted() else 200)


def _acted_on(tour_id: int) -> TourProgramme:
    programme = own_programme(tour_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return programme


@bp.post("/programmes/<id:tour_id>/retire")
@role_required("employer")
def retire_programme(tour_id: int):
    """Stop showing a programme at once (no moderation needed); refused while its upcoming
    sessions have bookings, which are cancelled first."""
    programme = _acted_on(tour_id)
    try:
        programme_service.retire(programme, current_user._get_current_object())
    except ProgrammeRefused as refusal:
        db.session.rollback()
        flash(REFUSALS[refusal.code], "error")
    else:
        flash(_("Программа снята: на сайте её больше не видно."), "success")
    return client_redirect(url_for("employer.programmes"))


@bp.post("/programmes/<id:tour_id>/restore")
@role_required("employer")
def restore_programme(tour_id: int):
    """Show a retired programme again (a published one at once, others after the check)."""
    programme = _acted_on(tour_id)
    programme_service.restore(programme, current_user._get_current_object())
    if programme.moderation_state == "approved":
        flash(_("Программа снова показывается на сайте."), "success")
    else:
        flash(_("Программа возвращена; на сайте она появится после проверки."), "success")
    return client_redirect(url_for("employer.programmes"))
