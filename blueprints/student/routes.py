"""A student's own pages: classes, and «Мои данные» (consents, the data, deleting it)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm

from access import role_required
from blueprints.student import bp
from blueprints.student.forms import DeleteAccountForm, JoinClassForm, ParentLinkForm
from extensions import db, limiter
from models.consent import PURPOSES
from rendering import download
from services import accounts, consent
from services import privacy as privacy_service
from services.classes import ClassError, classes_of_student, join_class


@bp.get("/")
@role_required("student")
def dashboard():
    """The student's page: their classes and what they can do next."""
    return render_template(
        "student/dashboard.html",
        classes=classes_of_student(current_user),
        form=JoinClassForm(),
        offers_form=FlaskForm(),
    )


@bp.post("/classes/join")
@role_required("student")
def join():
    """Join a class with its code."""
    form = JoinClassForm()
    if form.validate_on_submit():
        if not consent.allows(current_user, "account"):
            form.code.errors.append(
                _("Вступить в класс можно после согласия на обработку данных — см. «Мои данные».")
            )
            return _dashboard(form)
        try:
            school_class = join_class(current_user, form.code.data)
        except ClassError:
            form.code.errors.append(
                _("Класса с таким кодом нет. Проверьте код у профконсультанта.")
            )
        else:
            flash(_("Вы в классе %(name)s.", name=school_class.name), "success")
            return redirect(url_for("student.dashboard"), code=303)
    return _dashboard(form)


def _dashboard(form: JoinClassForm):
    """The page again, with the form's errors."""
    classes = classes_of_student(current_user)
    return render_template(
        "student/dashboard.html", classes=classes, form=form, offers_form=FlaskForm()
    ), 422


# --- «Мои данные»: consents, the parent's link, the data, deleting the account ----------------


def _privacy_page(parent_form=None, delete_form=None, status=200):
    language = get_locale().language
    decisions = consent.in_force(current_user)
    purposes = [
        {
            "purpose": purpose,
            "text": consent.text_of(purpose).in_language(language),
            "decision": decisions[purpose],
            "parent_decides": consent.parent_decides(current_user, purpose),
        }
        for purpose in PURPOSES
        if purpose != "employer_contact" or not consent.parent_decides(current_user, "account")
    ]
    return (
        render_template(
            "student/privacy.html",
            purposes=purposes,
            action_form=FlaskForm(),
            parent_form=parent_form or ParentLinkForm(),
            delete_form=delete_form or DeleteAccountForm(),
            parent_email=consent.masked(consent.last_parent_email(current_user)),
        ),
        status,
    )


@bp.get("/privacy")
@role_required("student")
def privacy():
    """What the student has agreed to, and their data."""
    return _privacy_page()


@bp.post("/privacy/<purpose>/<any(give, withdraw):action>")
@role_required("student")
def decide(purpose: str, action: str):
    """Give or withdraw one purpose's consent (from 14; a parent's purposes go by link)."""
    if purpose not in PURPOSES or not FlaskForm().validate_on_submit():
        abort(404 if purpose not in PURPOSES else 400)
    student = current_user._get_current_object()
    try:
        if action == "give":
            consent.decide(student, purpose, True, "student")
        else:
            consent.withdraw(student, purpose, "student")
    except consent.ConsentError:
        flash(_("Это решение принимает родитель: отправьте ему ссылку ниже."), "error")
        return redirect(url_for("student.privacy"), code=303)
    db.session.commit()
    flash(_("Согласие дано.") if action == "give" else _("Согласие отозвано."), "success")
    return redirect(url_for("student.privacy"), code=303)


@bp.post("/privacy/parent")
@role_required("student")
@limiter.limit("5 per hour", key_func=lambda: f"parent-link:{current_user.id}")
def ask_parent():
    """Send a parent the link to decide what is theirs to decide."""
    form = ParentLinkForm()
    if not form.validate_on_submit():
        return _privacy_page(parent_form=form, status=422)
    if form.parent_email.data.strip().lower() == current_user.email:
        form.parent_email.errors.append(_("Нужна почта родителя, а не ваша."))
        return _privacy_page(parent_form=form, status=422)
    student = current_user._get_current_object()
    asked = tuple(p for p in PURPOSES if consent.parent_decides(student, p))
    if not consent.parent_decides(student, "account"):
        asked = ("employer_contact",)
    consent.ask_parent(student, form.parent_email.data, asked)
    db.session.commit()
    flash(_("Ссылка отправлена родителю. Она действует 7 дней."), "success")
    return redirect(url_for("student.privacy"), code=303)


@bp.get("/privacy/export.json")
@role_required("student")
def export():
    """Everything the site holds about the student, as a file."""
    return download(
        privacy_service.export_json(current_user), "application/json", privacy_service.FILE_NAME
    )


@bp.post("/privacy/delete")
@role_required("student")
def delete_account():
    """Delete the account and the personal data now, proved by the password."""
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _privacy_page(delete_form=form, status=422)
    if accounts.authenticate(current_user.email, form.password.data) is None:
        form.password.errors.append(_("Пароль указан неверно."))
        return _privacy_page(delete_form=form, status=422)
    student = current_user._get_current_object()
    session.clear()
    logout_user()
    privacy_service.delete_student(student, "student")
    flash(_("Учётная запись удалена вместе с личными данными."), "info")
    return redirect(url_for("main.home"), code=303)
