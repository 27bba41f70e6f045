"""Signed-in browsers as rows: a sign-in starts one, and ending it (sign-out, "sign out
everywhere", a new password) ends its cookies at once.

Flask-Login keeps whatever ``User.get_id()`` returns in the session and the remember cookie;
here that is ``"<row id>.<secret>"``, so every sign-in gets a new remember cookie, and a cookie
copied from a shared computer stops working the moment its session ends. Written here because
Flask-Login has no server-side sessions of its own and the rule (which sessions end when) is
the project's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from extensions import db
from models import LoginSession, User
from models._common import utcnow

# A session without "remember me" lasts a school day; with it, a month (the remember cookie's
# lifetime, REMEMBER_COOKIE_DURATION).
SESSION_HOURS = 12
REMEMBER_DAYS = 30
MAX_ID = 2**31 - 1


def start(user: User, remember: bool = False) -> str:
    """Open a session for ``user`` and return its key (also set as ``user.session_key``);
    the caller commits."""
    secret = secrets.token_urlsafe(32)
    lifetime = timedelta(days=REMEMBER_DAYS) if remember else timedelta(hours=SESSION_HOURS)
    row = LoginSession(
        user=user, secret_hash=_digest(secret), remember=remember, expires_at=utcnow() + lifetime
    )
    db.session.add(row)
    db.session.flush()
    user.session_key = f"{row.id}.{secret}"
    return user.session_key


def user_for(key: str) -> User | None:
    """The active user of a live session, or None for anything else."""
    row = _live_row(key)
    if row is None or not row.user.active:
        return None
    row.user.session_key = key
    return row.user


def end(key: str | None) -> None:
    """End the session with that key (sign-out); the caller commits."""
    row = _live_row(key or "")
    if row is not None:
        row.ended_at = utcnow()


def end_all(user: User) -> int:
    """End every session of ``user`` ("sign out everywhere", a new password); the caller
    commits. Returns how many were live."""
    result = db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return result.rowcount or 0


def live_count(user: User) -> int:
    """How many browsers the user is signed in on."""
    return len(
        db.session.scalars(
            select(LoginSession.id).where(
                LoginSession.user_id == user.id,
                LoginSession.ended_at.is_(None),
                LoginSession.expires_at > utcnow(),
            )
        ).all()
    )


def _live_row(key: str) -> LoginSession | None:
    row_id, _, secret = key.partition(".")
    if not row_id.isdigit() or not secret or len(row_id) > 10 or int(row_id) > MAX_ID:
        return None
    row = db.session.get(LoginSession, int(row_id), options=[joinedload(LoginSession.user)])
    if row is None or row.ended_at is not None or row.expires_at <= utcnow():
        return None
    return row if hmac.compare_digest(row.secret_hash, _digest(secret)) else None


def _digest(secret: str) -> str:
    # 256-bit random secrets: a fast hash suffices (there is no dictionary to try).
    return hashlib.sha256(secret.encode()).hexdigest()
