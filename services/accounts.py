"""Accounts: password hashing, registration for each role, sign-in checks and API tokens."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models import ApiToken, Enterprise, EnterpriseStaff, School, User
from models._common import utcnow
from services import audit
from services.rows import add_once
from services.slugs import unique_enterprise_slug

log = logging.getLogger(__name__)
# A second sending of the same form within this time is the same person's double submit.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True)
class _Passwords:
    hasher: PasswordHasher
    # A dummy hash so that unknown e-mails cost as much time as wrong passwords.
    dummy_hash: str


def init_passwords(app) -> None:
    """Give the app its argon2 hasher, with the parameters of ``PASSWORD_HASH_PROFILE`` (a
    name in ``argon2.profiles``)."""
    hasher = PasswordHasher.from_parameters(getattr(profiles, app.config["PASSWORD_HASH_PROFILE"]))
    app.extensions["passwords"] = _Passwords(hasher, hasher.hash("not-a-real-password"))


def _passwords() -> _Passwords:
    return current_app.extensions["passwords"]


class AccountError(ValueError):
    """A registration or sign-in request that cannot be honoured; ``field`` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _passwords().hasher.hash(password)


def normalise_email(email: str) -> str:
    """Lower-case and strip an e-mail address so that lookups match."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """Return the account with that e-mail, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user whose password matches, or None; rehashes outdated hashes."""
    user = find_user(email)
    if user is None or not user.active:
        _verify(_passwords().dummy_hash, password)
        return None
    if not _verify(user.password_hash, password):
        return None
    if _passwords().hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _passwords().hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _new_user(email: str, password: str, role: str, display_name: str, **extra) -> User:
    if find_user(email) is not None:
        raise AccountError("email", "exists")
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        role=role,
        display_name=display_name.strip(),
        **extra,
    )
    if not add_once(user):  # a parallel request with the same e-mail got there first
        raise AccountError("email", "exists")
    return user


def just_registered(email: str, password: str, role: str) -> User | None:
    """The account that this same registration (e-mail, password, role) created moments ago.

    A double click or a retried request sends the form again after the first one created the
    account; recognising it lets the second answer be the first one's, not "e-mail taken".
    """
    user = find_user(email)
    if user is None or user.role != role or user.created_at < utcnow() - DOUBLE_SUBMIT_WINDOW:
        return None
    return user if _verify(user.password_hash, password) else None


def register_student(
    email: str,
    password: str,
    display_name: str,
    birth_year: int,
    grade: int | None,
    parent_email: str | None = None,
) -> User:
    """Create a student account with the least data we need (name, birth year, grade).

    From 14 the student consents to the account by registering (the form shows that text on
    its own); the other purposes they choose later. Under 14 nothing is consented yet: the
    parent gets a link to decide each purpose, and the account stays limited until then.

    :raises AccountError: when the e-mail is taken.
    """
    from services import consent

    user = _new_user(
        email,
        password,
        "student",
        display_name,
        birth_year=birth_year,
        grade=grade,
        consent_state="pending",
    )
    audit.record("account.register", user, role="student")
    db.session.flush()
    if consent.parent_decides(user, "account"):
        if parent_email:
            consent.ask_parent(user, parent_email, consent.CHILD_PURPOSES)
    else:
        consent.decide(user, "account", True, "student")
    db.session.commit()
    return user


def find_or_create_school(name: str, town: str) -> School:
    """Return the school with that name in that town (any letter case), creating it if new."""
    name, town = " ".join(name.split()), " ".join(town.split())
    for _attempt in range(2):  # the second look finds the school a parallel request created
        # Compared in Python: SQLite's lower() leaves Cyrillic letters alone.
        for school in db.session.scalars(select(School).where(School.town == town)):
            if school.name.casefold() == name.casefold():
                return school
        school = School(name=name, town=town)
        if add_once(school):
            return school
    raise AccountError("school_name", "busy")


def register_counsellor(
    email: str, password: str, display_name: str, school_name: str, town: str
) -> User:
    """Create a career counsellor's account attached to a school.

    :raises AccountError: when the e-mail is taken.
    """
    user = _new_user(email, password, "counsellor", display_name, moderation_state="pending")
    user.school = find_or_create_school(school_name, town)
    audit.record("account.register", user, role="counsellor", school=school_name)
    db.session.commit()
    return user


def enterprises_to_join() -> list[Enterprise]:
    """Public enterprises an employer may say they work for, by name."""
    return list(
        db.session.scalars(select(Enterprise).where(Enterprise.is_public).order_by(Enterprise.name))
    )


def enterprise_to_join(slug: str) -> Enterprise | None:
    """The public enterprise with that slug, if an employer may join it."""
    return db.session.scalar(
        select(Enterprise).where(Enterprise.slug == slug, Enterprise.is_public)
    )


@dataclass
class NewEnterprise:
    """An enterprise an employer names at registration when it is not listed yet."""

    name: str
    town: str
    district: str
    industry: str


def register_employer(
    email: str,
    password: str,
    display_name: str,
    position: str,
    enterprise: Enterprise | None = None,
    new_enterprise: NewEnterprise | None = None,
) -> User:
    """Create an employer account linked to an enterprise; both wait for moderation.

    :raises AccountError: when the e-mail is taken or no enterprise is given.
    """
    if enterprise is None and new_enterprise is None:
        raise AccountError("enterprise", "missing")
    user = _new_user(email, password, "employer", display_name)
    if enterprise is None:
        enterprise = _new_enterprise(new_enterprise)
    db.session.add(EnterpriseStaff(enterprise=enterprise, user=user, position=position.strip()))
    db.session.flush()
    audit.record("account.register", user, role="employer", enterprise=enterprise.slug)
    db.session.commit()
    return user


def _new_enterprise(new: NewEnterprise) -> Enterprise:
    """A pending enterprise of that name; if a parallel registration just created one of the
    same name, that one (both employers then wait on it)."""
    name = " ".join(new.name.split())
    for _attempt in range(3):
        same_name = db.session.scalar(select(Enterprise).where(Enterprise.name == name))
        if same_name is not None:
            return same_name
        enterprise = Enterprise(
            slug=unique_enterprise_slug(name),
            name=name,
            town=new.town.strip(),
            district=new.district.strip(),
            industry=new.industry,
            moderation_state="pending",
        )
        if add_once(enterprise):
            return enterprise
    raise AccountError("new_name", "busy")


TOKEN_DAYS = 365
# last_used_at is written at most this often, so reads stay reads.
TOKEN_USE_PRECISION = timedelta(hours=1)


def create_api_token(user: User, days: int = TOKEN_DAYS) -> str:
    """Issue a new bearer token for ``user``, valid ``days``; only its digest is stored, so
    show it once."""
    token = "pm_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            user=user,
            token_hash=_digest(token),
            prefix=token[:10],
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    audit.record("token.create", user, actor=user, days=days)
    db.session.commit()
    return token


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, marked so)."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of the user's tokens; whether it was theirs."""
    row = db.session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
    if row is None or row.user_id != user.id:
        return False
    row.revoked = True
    audit.record("token.revoke", user, actor=user, prefix=row.prefix)
    db.session.commit()
    return True


def user_for_token(token: str) -> User | None:
    """Return the active user owning a live token (not revoked, not expired), or None; notes
    when it was used (to the hour)."""
    row = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == _digest(token))
        .options(joinedload(ApiToken.user))
    )
    now = utcnow()
    if row is None or row.revoked or not row.user.active:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    if row.last_used_at is None or row.last_used_at < now - TOKEN_USE_PRECISION:
        _note_use(row.id, now)
    return row.user


def _note_use(token_id: int, now) -> None:
    """Best effort: a request that writes notes it in its own transaction (which already holds
    SQLite's write lock, so a second connection would wait on ourselves); a read uses a short
    transaction of its own, and a busy database never fails the request."""
    from flask import has_request_context, request
    from sqlalchemy import update
    from sqlalchemy.exc import SQLAlchemyError

    statement = update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
    if has_request_context() and request.method in ("POST", "PUT", "PATCH", "DELETE"):
        db.session.execute(statement)
        return
    try:
        with db.engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError:
        log.warning("could not note the use of token %s", token_id)


def _digest(token: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(token.encode()).hexdigest()


# --- registration mail -------------------------------------------------------------------------


def welcome(user: User) -> None:
    """Tell a new account's address that it was created, and what comes next."""
    from flask import url_for

    from services import account_mail

    account_mail.send(
        user.email,
        "welcome",
        user.locale,
        name=user.display_name,
        role=user.role,
        parent_pending=user.role == "student" and user.consent_state == "pending",
        link=url_for("auth.login"),
    )
    db.session.commit()


def tell_owner_of_registration(email: str) -> None:
    """Someone tried to register with an address that has an account: tell its owner (the
    person registering was told only to check the mail)."""
    from flask import url_for

    from services import account_mail

    user = find_user(email)
    if user is None:
        return
    account_mail.send(
        user.email,
        "registration_exists",
        user.locale,
        name=user.display_name,
        login=url_for("auth.login"),
        reset=url_for("auth.request_reset"),
    )
    db.session.commit()


# --- passwords ---------------------------------------------------------------------------------

RESET_HOURS = 1
_RESET_SALT = "password-reset"


def change_password(user: User, password: str) -> None:
    """Set a new password and end every session of the account (the caller signs this browser
    in again). The caller has checked the password's rules."""
    from services import login_sessions

    user.password_hash = hash_password(password)
    login_sessions.end_all(user)
    audit.record("account.password", user, actor=user)
    db.session.commit()


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Part of the link: once the password changes, every earlier link stops working (one use).
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Mail a reset link to the account with that e-mail, if there is one; the answer to the
    person asking is the same either way."""
    from flask import url_for

    from services import account_mail

    user = find_user(email)
    if user is None or not user.active:
        return
    token = _reset_serializer().dumps({"u": user.id, "p": _password_fingerprint(user)})
    account_mail.send(
        user.email,
        "password_reset",
        user.locale,
        name=user.display_name,
        link=url_for("auth.reset_password", token=token),
        hours=RESET_HOURS,
    )
    audit.record("account.reset_requested", user)
    db.session.commit()


def user_for_reset(token: str) -> User | None:
    """The account a reset link was made for, while the link is fresh and unused."""
    try:
        data = _reset_serializer().loads(token, max_age=RESET_HOURS * 3600)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"]) if 0 < data["u"] < 2**31 else None
    if user is None or not user.active or data.get("p") != _password_fingerprint(user):
        return None
    return user
