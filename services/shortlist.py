"""Saved professions: on the account for a student, in the session for a visitor."""

from __future__ import annotations

from collections.abc import MutableMapping

from sqlalchemy import delete, select

from extensions import db
from models import Profession, ShortlistEntry, User
from services.catalogue_version import Brief
from services.rows import add_once

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


def saved_professions(user: User | None, session: MutableMapping) -> list[Profession]:
    """The saved professions themselves, in the order they were saved."""
    ids = saved_ids(user, session)
    rows = db.session.scalars(select(Profession).where(Profession.id.in_(ids))).all()
    order = {pid: n for n, pid in enumerate(ids)}
    return sorted(rows, key=lambda p: order[p.id])


def set_saved(
    profession: Profession | Brief,
    user: User | None,
    session: MutableMapping,
    saved: bool | None = None,
) -> bool:
    """Save or unsave the profession (``saved=None`` flips it); return whether it is saved now.

    Saying what is wanted, not "flip", makes a double click or a retried request harmless:
    the second asks for the state the first already made.
    """
    if saved is None:
        saved = profession.id not in saved_ids(user, session)
    if user is not None:
        if saved:
            add_once(ShortlistEntry(user_id=user.id, profession_id=profession.id))
        else:
            db.session.execute(
                delete(ShortlistEntry).where(
                    ShortlistEntry.user_id == user.id, ShortlistEntry.profession_id == profession.id
                )
            )
        db.session.commit()
        return saved
    ids = [pid for pid in session.get(SESSION_KEY, []) if pid != profession.id]
    if saved:
        ids = [*ids, profession.id][-MAX_SESSION_ITEMS:]
    session[SESSION_KEY] = ids
    return saved


def merge_session_into_account(user: User, session: MutableMapping) -> int:
    """Move a visitor's saved professions onto the student's account after sign-in."""
    ids = session.pop(SESSION_KEY, [])
    if user.role != "student" or not ids:
        return 0
    have = set(saved_ids(user, session))
    known = set(db.session.scalars(select(Profession.id).where(Profession.id.in_(ids))))
    new = [pid for pid in dict.fromkeys(ids) if pid in known and pid not in have]
    added = sum(add_once(ShortlistEntry(user_id=user.id, profession_id=pid)) for pid in new)
    db.session.commit()
    return added
