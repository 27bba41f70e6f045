"""An enterprise's profile as its staff edit it: the text (live at once while the enterprise is
not public yet, else kept for the regional coordinator's review) and the photos (shown at once).
"""

from __future__ import annotations

from flask import abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import RequestEntityTooLarge

from access import role_required
from blueprints.employer import bp
from blueprints.employer.forms_profile import PhotoForm, ProfileForm
from errors import error_response
from extensions import db
from models import Enterprise, EnterprisePhoto
from rendering import client_redirect, render_page_or_fragment
from services import enterprise_photos, revisions
from services.enterprise_photos import PHOTO_LIMIT, PhotoRefused
from services.enterprises import enterprise_of
from services.revision_moderation import changes

# Room for the alt text and the CSRF token around the file in a photo upload's body.
FORM_ALLOWANCE = 1024 * 1024
FORM_PART = "employer/_profile_form.html"
PHOTOS_PART = "employer/_profile_photos.html"


@bp.url_value_preprocessor
def _photo_body_limit(endpoint: str | None, values: dict | None) -> None:
    """Let the photo upload alone take a body larger than ``MAX_CONTENT_LENGTH``.

    Set here because URL value preprocessors run before every ``before_request`` hook, and the
    request guard (``request_guard.py``) reads the form in one.
    """
    if endpoint == "employer.add_photo":
        request.max_content_length = current_app.config["PHOTO_MAX_BYTES"] + FORM_ALLOWANCE


def _own_enterprise() -> Enterprise:
    enterprise = enterprise_of(current_user)
    if enterprise is None:
        abort(404)
    return enterprise


def _page(
    enterprise: Enterprise,
    form: ProfileForm | None = None,
    photo_form: PhotoForm | None = None,
    status: int = 200,
    part: str = FORM_PART,
):
    """The profile page (or one of its parts for htmx) with what waits and what came back."""
    waiting = revisions.pending(enterprise)
    last = revisions.latest(enterprise)
    if form is None:
        values = {name: getattr(enterprise, name) for name in revisions.ENTERPRISE_FIELDS}
        form = ProfileForm(formdata=None, data=values | (waiting.fields if waiting else {}))
    return render_page_or_fragment(
        "employer/profile.html",
        part,
        status,
        enterprise=enterprise,
        form=form,
        photo_form=photo_form or PhotoForm(formdata=None),
        waiting=waiting,
        waiting_changes=changes(waiting) if waiting else [],
        returned=last if last is not None and last.state == "rejected" else None,
        photos=enterprise_photos.photos_of(enterprise.id),
        photo_limit=PHOTO_LIMIT,
    )


@bp.route("/profile", methods=["GET", "POST"])
@role_required("employer")
def profile():
    """The enterprise's profile: edit it, see the change that waits for review, and the
    coordinator's reason when one was sent back."""
    enterprise = enterprise_of(current_user)
    if enterprise is None:
        if request.method == "POST":
            abort(404)
        return render_template("employer/profile.html", enterprise=None)
    if request.method == "GET":
        return _page(enterprise)
    form = ProfileForm()
    if not form.validate_on_submit():
        return _page(enterprise, form=form, status=422)
    had_waiting = revisions.pending(enterprise) is not None
    revision = revisions.propose(enterprise, form.profile_fields(), current_user)
    db.session.commit()
    flash(_saved_message(enterprise, revision is not None, had_waiting), "success")
    return client_redirect(url_for("employer.profile"))


def _saved_message(enterprise: Enterprise, kept: bool, had_waiting: bool) -> str:
    if not enterprise.is_public:
        return _(
            "Сохранено. Предприятие ещё не опубликовано, поэтому изменения действуют сразу; "
            "координатор увидит их при проверке."
        )
    if kept:
        return _(
            "Изменения отправлены координатору на проверку. До одобрения на странице "
            "предприятия остаются прежние данные."
        )
    if had_waiting:
        return _("Всё как на сайте — изменения, ждавшие проверки, отозваны.")
    return _("Изменений нет.")


@bp.post("/profile/photos")
@role_required("employer")
def add_photo():
    """Add a photo and its description; it is re-encoded without its metadata."""
    enterprise = _own_enterprise()
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            enterprise_photos.add_photo(enterprise, form.photo.data, form.alt.data, current_user)
        except PhotoRefused as refusal:
            form.photo.errors.append(refusal.message)
        else:
            flash(_("Фото добавлено."), "success")
            return client_redirect(url_for("employer.profile", _anchor="photos"))
    return _page(enterprise, photo_form=form, status=422, part=PHOTOS_PART)


@bp.post("/profile/photos/<id:photo_id>/delete")
@role_required("employer")
def delete_photo(photo_id: int):
    """Take a photo off the enterprise's page and delete its file."""
    enterprise = _own_enterprise()
    photo = db.session.get(EnterprisePhoto, photo_id)
    if photo is None or photo.enterprise_id != enterprise.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    enterprise_photos.delete_photo(photo, current_user)
    flash(_("Фото удалено."), "success")
    return client_redirect(url_for("employer.profile", _anchor="photos"))


def _too_large(error: RequestEntityTooLarge):
    """A photo over the limit: the profile page says so at the file field, in words.

    The body was refused before any view ran, so the role is checked here.
    """
    message = enterprise_photos.too_large_message()
    if request.endpoint == "employer.add_photo" and current_user.is_authenticated:
        enterprise = enterprise_of(current_user) if current_user.has_role("employer") else None
        if enterprise is not None:
            form = PhotoForm(formdata=None)
            form.photo.errors = [message]
            return _page(enterprise, photo_form=form, status=413, part=PHOTOS_PART)
    return error_response(413)


bp.register_error_handler(RequestEntityTooLarge, _too_large)
