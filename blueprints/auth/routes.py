"""Sign-in, sign-out and registration views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import bp
from blueprints.auth.forms import (
    CounsellorRegistrationForm,
    EmployerRegistrationForm,
    LoginForm,
    StudentRegistrationForm,
)
from extensions import limiter
from services import accounts, quiz, shortlist

HOME_FOR_ROLE = {
    "student": "student.dashboard",
    "counsellor": "counsellor.dashboard",
    "employer": "employer.dashboard",
    "admin": "admin.dashboard",
}


def _safe_next(default: str) -> str:
    """The ``next`` URL when it stays on this site, else ``default``."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for(HOME_FOR_ROLE[current_user.role]))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            _claim_visitor_data(user)
            return redirect(_safe_next(url_for(HOME_FOR_ROLE[user.role])), code=303)
        form.password.errors.append(_("Неверная почта или пароль."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out (a POST form with CSRF, so that a link cannot sign anyone out)."""
    logout_user()
    flash(_("Вы вышли из учётной записи."), "info")
    return redirect(url_for("main.home"), code=303)


@bp.get("/register")
def register():
    """Choose who you are before registering."""
    return render_template("auth/register.html")


@bp.route("/register/<role>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register_role(role: str):
    """Register as a student, a counsellor or an employer."""
    forms = {
        "student": StudentRegistrationForm,
        "counsellor": CounsellorRegistrationForm,
        "employer": EmployerRegistrationForm,
    }
    if role not in forms:
        abort(404)
    form = forms[role]()
    if role == "employer":
        form.enterprise.choices = _enterprise_choices()
    if form.validate_on_submit():
        user = _create_or_recognise(role, form)
        if user is not None:
            login_user(user)
            _claim_visitor_data(user)
            flash(_registered_message(user), "success")
            return redirect(url_for(HOME_FOR_ROLE[role]), code=303)
        form.email.errors.append(_("С этой почтой уже есть учётная запись. Войдите."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/register_form.html", form=form, role=role), status


def _create_or_recognise(role: str, form):
    """The new account; or, when the same form was just sent twice (a double click, a retry),
    the account the first sending created — so both answers are the same. None if the e-mail
    belongs to someone else's account."""
    try:
        return _create_account(role, form)
    except accounts.AccountError as error:
        if error.field != "email":
            raise
        return accounts.just_registered(form.email.data, form.password.data, role)


def _claim_visitor_data(user) -> None:
    """Keep what a visitor did before signing in: saved professions and a test result."""
    shortlist.merge_session_into_account(user, session)
    quiz.save_for_student(user, session)


def _enterprise_choices() -> list[tuple[str, str]]:
    listed = accounts.enterprises_to_join()
    return [("", _("— нет в списке —"))] + [(e.slug, f"{e.name} ({e.town})") for e in listed]


def _create_account(role: str, form):
    common = {
        "email": form.email.data,
        "password": form.password.data,
        "display_name": form.display_name.data,
    }
    if role == "student":
        return accounts.register_student(
            **common, birth_year=form.birth_year.data, grade=form.grade.data
        )
    if role == "counsellor":
        return accounts.register_counsellor(
            **common, school_name=form.school_name.data, town=form.town.data
        )
    enterprise = accounts.enterprise_to_join(form.enterprise.data)
    new = None
    if enterprise is None:
        new = accounts.NewEnterprise(
            form.new_name.data, form.new_town.data, form.new_district.data, form.new_industry.data
        )
    return accounts.register_employer(
        **common, position=form.position.data, enterprise=enterprise, new_enterprise=new
    )


def _registered_message(user) -> str:
    if user.role == "employer":
        return _(
            "Учётная запись создана. Региональный координатор проверит её в течение двух "
            "рабочих дней."
        )
    if user.consent_state == "pending":
        return _(
            "Учётная запись создана. Чтобы записываться на экскурсии, нужно согласие "
            "родителя: об этом — в личном кабинете."
        )
    return _("Учётная запись создана. Добро пожаловать!")
