"""Accounts: password hashing, registration for each role, sign-in checks and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from argon2 import PasswordHasher
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

_hasher = PasswordHasher()
# Under 14 a parent or guardian consents to processing a child's data (152-FZ, art. 9).
SELF_CONSENT_AGE = 14
# A second sending of the same form within this time is the same person's double submit.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)
# A dummy hash so that unknown e-mails cost as much time as wrong passwords.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AccountError(ValueError):
    """A registration or sign-in request that cannot be honoured; ``field`` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


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
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def consent_state_for(birth_year: int, today: date | None = None) -> str:
    """Whether a student of that birth year needs a parent's consent (youngest possible age)."""
    year = (today or date.today()).year
    youngest_age = year - birth_year - 1
    return "not_required" if youngest_age >= SELF_CONSENT_AGE else "pending"


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
    email: str, password: str, display_name: str, birth_year: int, grade: int | None
) -> User:
    """Create a student account with the least data we need (name, birth year, grade).

    :raises AccountError: when the e-mail is taken.
    """
    user = _new_user(
        email,
        password,
        "student",
        display_name,
        birth_year=birth_year,
        grade=grade,
        consent_state=consent_state_for(birth_year),
    )
    audit.record("account.register", user, role="student")
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
    user = _new_user(email, password, "counsellor", display_name)
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


def create_api_token(user: User) -> str:
    """Issue a new bearer token for ``user``; only its digest is stored, so show it once."""
    token = "pm_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_digest(token), prefix=token[:10]))
    audit.record("token.create", user, actor=user)
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """Return the active user owning an unrevoked token, or None."""
    row = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == _digest(token))
        .options(joinedload(ApiToken.user))
    )
    if row is None or row.revoked or not row.user.active:
        return None
    return row.user


def _digest(token: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(token.encode()).hexdigest()


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
