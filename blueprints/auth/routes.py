"""Sign-in, sign-out and registration views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from blueprints.auth import bp
from blueprints.auth.forms import (
    CounsellorRegistrationForm,
    EmployerRegistrationForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    StudentRegistrationForm,
)
from extensions import db, limiter
from models._common import utcnow
from services import accounts, consent, dismissals, login_sessions, quiz, shortlist

HOME_FOR_ROLE = {
    "student": "student.dashboard",
    "counsellor": "counsellor.dashboard",
    "employer": "employer.dashboard",
    "admin": "admin.dashboard",
}


def _email_key() -> str:
    """Rate-limit key of the account a request is about (its e-mail as typed, normalised)."""
    return "email:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _safe_next(default: str) -> str:
    """The ``next`` URL when it stays on this site, else ``default``."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


def _refused(response) -> bool:
    """A sign-in or registration that did not go through (only those count against limits)."""
    return response.status_code == 422


# Failed sign-ins are limited per account (someone guessing one student's password) and per
# address (someone trying many accounts); successes never count, so a class signing in together
# behind its school's one address is not locked out. The ceiling on every attempt from one
# address is generous for the same reason.
LOGIN_FAILURES_PER_ACCOUNT = "10 per 15 minutes"
LOGIN_FAILURES_PER_ADDRESS = "60 per 15 minutes"
ATTEMPTS_PER_ADDRESS = "600 per hour"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(ATTEMPTS_PER_ADDRESS, methods=["POST"])
@limiter.limit(LOGIN_FAILURES_PER_ADDRESS, methods=["POST"], deduct_when=_refused)
@limiter.limit(
    LOGIN_FAILURES_PER_ACCOUNT, methods=["POST"], key_func=_email_key, deduct_when=_refused
)
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for(HOME_FOR_ROLE[current_user.role]))
    form = LoginForm()
    if not form.is_submitted() and request.args.get("email"):
        form.email.data = request.args["email"][:254]  # from «Проверьте почту»
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            sign_in(user, remember=form.remember.data)
            return redirect(_safe_next(url_for(HOME_FOR_ROLE[user.role])), code=303)
        form.password.errors.append(_("Неверная почта или пароль."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out (a POST form with CSRF, so that a link cannot sign anyone out): the session
    ends on the server, and nothing of the person stays in this browser's cookies."""
    login_sessions.end(current_user.session_key)
    db.session.commit()
    session.clear()
    logout_user()  # after clear(): it marks the remember cookie for deletion
    flash(_("Вы вышли из учётной записи."), "info")
    return redirect(url_for("main.home"), code=303)


@bp.get("/register")
def register():
    """Choose who you are before registering."""
    return render_template("auth/register.html")


@bp.route("/register/<role>", methods=["GET", "POST"])
@limiter.limit(ATTEMPTS_PER_ADDRESS, methods=["POST"])
@limiter.limit("60 per hour", methods=["POST"], deduct_when=_refused)
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
        # The answer is the same whether the address is new or already has an account, so that
        # nobody learns who is registered here; the address's owner gets the explanation.
        user = _create_or_recognise(role, form)
        if user is None:
            accounts.tell_owner_of_registration(form.email.data)
        email = accounts.normalise_email(form.email.data)
        return render_template("auth/registered.html", email=email, role=role), 200
    status = 422 if form.is_submitted() else 200
    text = consent.text_of("account")
    return render_template(
        "auth/register_form.html",
        form=form,
        role=role,
        account_consent=text.in_language(get_locale().language),
        account_consent_version=text.version,
    ), status


def _create_or_recognise(role: str, form):
    """The new account (its owner welcomed by e-mail); or, when the same form was just sent
    twice (a double click, a retry), the account the first sending created. None if the
    e-mail belongs to someone else's account."""
    try:
        user = _create_account(role, form)
    except accounts.AccountError as error:
        if error.field != "email":
            raise
        return accounts.just_registered(form.email.data, form.password.data, role)
    accounts.welcome(user)
    return user


def sign_in(user, remember: bool = False) -> None:
    """Start a new server-side session for ``user`` in a clean browser session (a new CSRF
    token, nothing left from whoever used the browser before), keeping only what this visitor
    did before signing in: saved and set-aside professions and a finished test."""
    kept = (shortlist.SESSION_KEY, quiz.RESULT_KEY, dismissals.KEY, dismissals.WHY_KEY)
    carried = {k: session[k] for k in kept if k in session}
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's copy of the old session's token, for this request
    login_sessions.start(user, remember)
    db.session.commit()
    login_user(user, remember=remember)
    session.update(carried)
    shortlist.merge_session_into_account(user, session)
    dismissals.merge_session_into_account(user, session)
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
            **common,
            birth_year=form.birth_year.data,
            grade=form.grade.data,
            parent_email=form.parent_email.data,
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


# --- the account: sessions and password -------------------------------------------------------


# Who may hold API tokens (the API's authenticated endpoints are the counsellor's).
TOKEN_ROLES = ("counsellor",)


def _account_page(password_form=None, status=200, new_token=None):
    tokens = accounts.tokens_of(current_user) if current_user.role in TOKEN_ROLES else None
    return (
        render_template(
            "auth/account.html",
            password_form=password_form or PasswordChangeForm(user=current_user),
            sessions=login_sessions.live_count(current_user),
            end_form=FlaskForm(),
            tokens=tokens,
            new_token=new_token,
            now=utcnow(),
        ),
        status,
    )


@bp.get("/account")
@login_required
def account():
    """The account's sessions and password."""
    return _account_page()


@bp.post("/account/password")
@login_required
@limiter.limit("10 per hour", key_func=lambda: f"password:{current_user.id}")
def change_password():
    """A new password: every session ends, and this browser is signed in afresh."""
    form = PasswordChangeForm(user=current_user)
    if form.validate_on_submit():
        if accounts.authenticate(current_user.email, form.current.data) is None:
            form.current.errors.append(_("Нынешний пароль указан неверно."))
        else:
            user = current_user._get_current_object()
            accounts.change_password(user, form.password.data)
            sign_in(user)
            flash(_("Пароль изменён. На других устройствах нужно войти заново."), "success")
            return redirect(url_for("auth.account"), code=303)
    return _account_page(form, 422)


@bp.post("/account/tokens")
@login_required
@limiter.limit("10 per hour", key_func=lambda: f"tokens:{current_user.id}")
def create_token():
    """A new API token, shown once."""
    if current_user.role not in TOKEN_ROLES or not current_user.is_approved:
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    token = accounts.create_api_token(current_user._get_current_object())
    return _account_page(new_token=token)


@bp.post("/account/tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the account's API tokens: it stops working at once."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not accounts.revoke_token(current_user, token_id):
        abort(404)
    flash(_("Токен отозван."), "success")
    return redirect(url_for("auth.account"), code=303)


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session of the account, this one included."""
    login_sessions.end_all(current_user)
    db.session.commit()
    session.clear()
    logout_user()
    flash(_("Вы вышли на всех устройствах."), "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_email_key)
def request_reset():
    """Ask for a link to set a new password; the answer never says whether the account exists."""
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data), 200
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset_password(token: str):
    """Set a new password from the link in the e-mail (fresh and used once)."""
    user = accounts.user_for_reset(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 410
    form = NewPasswordForm(user=user)
    if form.validate_on_submit():
        accounts.change_password(user, form.password.data)
        sign_in(user)
        flash(_("Пароль изменён. Вы вошли."), "success")
        return redirect(url_for(HOME_FOR_ROLE[user.role]), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset_form.html", form=form), status
