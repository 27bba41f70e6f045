"""Saved professions: on the account for a student, in the session for a visitor."""

from __future__ import annotations

from collections.abc import MutableMapping

from sqlalchemy import select

from extensions import db
from models import Profession, ShortlistEntry, User

SESSION_KEY = "shortlist"
MAX_SESSION_ITEMS = 50


def saved_ids(user: User | None, session: MutableMapping) -> list[int]:
    """Ids of the professions saved by this student or, for a visitor, in this session."""
    if user is not None:
        return list(
            db.session.scalars(
                select(ShortlistEntry.profession_id)
                .where(ShortlistEntry.user_id == user.id)
                .order_by(ShortlistEntry.created_at)
            )
        )
    return list(session.get(SESSION_KEY, []))


def toggle(profession: Profession, user: User | None, session: MutableMapping) -> bool:
    """Save the profession, or unsave it if it was saved; return whether it is saved now."""
    if user is not None:
        existing = db.session.scalar(
            select(ShortlistEntry).where(
                ShortlistEntry.user_id == user.id, ShortlistEntry.profession_id == profession.id
            )
        )
        if existing is not None:
            db.session.delete(existing)
        else:
            db.session.add(ShortlistEntry(user_id=user.id, profession_id=profession.id))
        db.session.commit()
        return existing is None
    ids = list(session.get(SESSION_KEY, []))
    if profession.id in ids:
        ids.remove(profession.id)
    else:
        ids = [*ids, profession.id][-MAX_SESSION_ITEMS:]
    session[SESSION_KEY] = ids
    return profession.id in ids


def merge_session_into_account(user: User, session: MutableMapping) -> int:
    """Move a visitor's saved professions onto the student's account after sign-in."""
    ids = session.pop(SESSION_KEY, [])
    if user.role != "student" or not ids:
        return 0
    have = set(saved_ids(user, session))
    known = set(db.session.scalars(select(Profession.id).where(Profession.id.in_(ids))))
    new = [pid for pid in ids if pid in known and pid not in have]
    db.session.add_all(ShortlistEntry(user_id=user.id, profession_id=pid) for pid in new)
    db.session.commit()
    return len(new)
