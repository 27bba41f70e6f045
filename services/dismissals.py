"""«Не интересно»: the professions a student set aside, and why if they said.

A signed-in student's choices are kept on the account (``dismissed_professions``), so that
they follow the student to another device and the next test; a visitor's live in the signed
session cookie (nothing is written about an anonymous child for a click), capped so that the
cookie stays small, and move onto the account at sign-in. The model leaves a set-aside
profession out and, unless the student said it is the study or the place that does not suit
them, lowers those like it (``matching.model.DISMISS_WEIGHT``).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from extensions import db
from models import DismissedProfession, Profession, User
from models.profile import DISMISS_REASONS
from services.rows import add_once

KEY = "dismissed_professions"
WHY_KEY = "dismissed_why"
LIMIT = 30
REASONS = DISMISS_REASONS
# Not the work itself: only that profession goes, those like it stay where they were.
KEEPS_SIMILAR = frozenset({"study", "place"})


@dataclass(frozen=True)
class SetAside:
    """One profession set aside."""

    profession_id: int
    slug: str
    title: str
    why: str | None

    @property
    def lowers_similar(self) -> bool:
        """Whether those like it are lowered too."""
        return self.why not in KEEPS_SIMILAR


def _student(user: User | None) -> User | None:
    return user if user is not None and user.role == "student" else None


def _session_slugs(session: MutableMapping) -> list[str]:
    value = session.get(KEY)
    return [s for s in value if isinstance(s, str)][:LIMIT] if isinstance(value, list) else []


def _session_why(session: MutableMapping) -> dict[str, str]:
    value = session.get(WHY_KEY)
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and v in REASONS}


def set_aside(user: User | None, session: MutableMapping) -> list[SetAside]:
    """The professions set aside by this student (or in this visitor's session), oldest first."""
    if _student(user) is not None:
        rows = db.session.execute(
            select(Profession.id, Profession.slug, Profession.title, DismissedProfession.reason)
            .join(DismissedProfession, DismissedProfession.profession_id == Profession.id)
            .where(DismissedProfession.user_id == user.id)
            .order_by(DismissedProfession.created_at, DismissedProfession.id)
        )
        return [SetAside(*row) for row in rows]
    slugs = _session_slugs(session)
    if not slugs:
        return []
    why = _session_why(session)
    rows = db.session.execute(
        select(Profession.id, Profession.slug, Profession.title).where(Profession.slug.in_(slugs))
    )
    found = {slug: (pid, title) for pid, slug, title in rows}
    return [SetAside(found[s][0], s, found[s][1], why.get(s)) for s in slugs if s in found]


def dismiss(
    profession: Profession, why: str | None, user: User | None, session: MutableMapping
) -> None:
    """Set a profession aside (again only updates why); a visitor's oldest go past LIMIT.

    :raises ValueError: for a why that is not one of REASONS.
    """
    if why is not None and why not in REASONS:
        raise ValueError(f"unknown reason {why!r}")
    if _student(user) is not None:
        row = DismissedProfession(user_id=user.id, profession_id=profession.id, reason=why)
        if not add_once(row):  # set aside before (a double click, or a new why)
            db.session.execute(
                update(DismissedProfession)
                .where(
                    DismissedProfession.user_id == user.id,
                    DismissedProfession.profession_id == profession.id,
                )
                .values(reason=why)
            )
        db.session.commit()
        return
    slugs = [s for s in _session_slugs(session) if s != profession.slug] + [profession.slug]
    slugs = slugs[-LIMIT:]
    reasons = {s: r for s, r in _session_why(session).items() if s in slugs}
    if why is None:
        reasons.pop(profession.slug, None)
    else:
        reasons[profession.slug] = why
    session[KEY] = slugs
    session[WHY_KEY] = reasons


def restore(profession: Profession, user: User | None, session: MutableMapping) -> None:
    """Bring a set-aside profession back."""
    if _student(user) is not None:
        db.session.execute(
            delete(DismissedProfession).where(
                DismissedProfession.user_id == user.id,
                DismissedProfession.profession_id == profession.id,
            )
        )
        db.session.commit()
        return
    session[KEY] = [s for s in _session_slugs(session) if s != profession.slug]
    session[WHY_KEY] = {s: r for s, r in _session_why(session).items() if s != profession.slug}


def merge_session_into_account(user: User, session: MutableMapping) -> int:
    """Move a visitor's set-aside professions onto the student's account after sign-in."""
    slugs = _session_slugs(session)
    why = _session_why(session)
    session.pop(KEY, None)
    session.pop(WHY_KEY, None)
    if _student(user) is None or not slugs:
        return 0
    query = select(Profession.slug, Profession.id).where(Profession.slug.in_(slugs))
    ids = dict(db.session.execute(query).all())
    added = sum(
        add_once(DismissedProfession(user_id=user.id, profession_id=ids[s], reason=why.get(s)))
        for s in slugs
        if s in ids
    )
    db.session.commit()
    return added
