"""Changes to what is already public wait for regional staff: an employer's edit of a live
enterprise profile or tour programme is kept as a ``Revision`` and the public page shows the
approved values until a moderator approves it. Something not yet public (still pending, or
sent back) changes at once, since nobody sees it but its staff and the moderators; a programme
sent back and edited goes back to the moderators' queue.

``propose`` is the one way employers' edits reach these two tables; the moderators' side is
``services.revision_moderation``.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import inspect, select

from extensions import db
from models import Enterprise, Revision, TourProgramme, User
from services import audit

# What an enterprise's staff may change of its profile (its name, industry and moderation
# state are the coordinator's).
ENTERPRISE_FIELDS = (
    "description",
    "town",
    "district",
    "address",
    "directions",
    "rules_age",
    "rules_clothing",
    "rules_documents",
    "rules_photography",
    "visiting_rules",
    "contact",
)
# Programme columns that staff never set through a revision.
PROGRAMME_FIXED = frozenset({"id", "slug", "enterprise_id", "moderation_state", "created_at"})


@cache
def editable_fields(target: str) -> frozenset[str]:
    """The columns a revision of ``target`` ("enterprise" or "programme") may change."""
    if target == "enterprise":
        return frozenset(ENTERPRISE_FIELDS)
    return frozenset(a.key for a in inspect(TourProgramme).column_attrs) - PROGRAMME_FIXED


def target_of(obj: Enterprise | TourProgramme) -> str:
    """``Revision.target`` for this object."""
    return "enterprise" if isinstance(obj, Enterprise) else "programme"


def _is_live(obj: Enterprise | TourProgramme) -> bool:
    return obj.moderation_state == "approved"


def pending(obj: Enterprise | TourProgramme, lock: bool = False) -> Revision | None:
    """The change of this profile or programme that waits for a moderator, if any (``lock``
    holds its row until the commit)."""
    query = select(Revision).where(
        Revision.target == target_of(obj),
        Revision.target_id == obj.id,
        Revision.state == "pending",
    )
    return db.session.scalar(query.with_for_update() if lock else query)


def latest(obj: Enterprise | TourProgramme) -> Revision | None:
    """The newest revision of this object whatever its state (a rejected one carries the
    moderator's reason)."""
    return db.session.scalar(
        select(Revision)
        .where(Revision.target == target_of(obj), Revision.target_id == obj.id)
        .order_by(Revision.id.desc())
        .limit(1)
    )


def propose(obj: Enterprise | TourProgramme, fields: dict, author: User) -> Revision | None:
    """Apply ``fields`` (column name → new value, JSON-able) to an object nobody sees yet, or
    keep them for review when it is live (one pending revision per object: a new edit
    replaces the waiting one). Returns the revision, or None when applied at once. The caller
    commits.

    :raises ValueError: when a field is not one staff may change (``editable_fields``).
    """
    target = target_of(obj)
    if unknown := set(fields) - editable_fields(target):
        raise ValueError(f"not editable through a revision: {sorted(unknown)}")
    changed = {k: v for k, v in fields.items() if getattr(obj, k) != v}
    if not _is_live(obj):
        for name, value in changed.items():
            setattr(obj, name, value)
        if changed and target == "programme" and obj.moderation_state == "rejected":
            obj.moderation_state = "pending"  # sent back, fixed: the moderators look again
        if changed:
            audit.record(f"{target}.edit", obj, actor=author, fields=sorted(changed))
        return None
    # Locked, so that a moderator deciding it meanwhile is not overwritten (PostgreSQL).
    waiting = pending(obj, lock=True)
    if not changed:
        if waiting is not None:  # edited back to what is public: nothing to review
            db.session.delete(waiting)
            audit.record(f"{target}.withdraw", obj, actor=author)
        return None
    enterprise_id = obj.id if isinstance(obj, Enterprise) else obj.enterprise_id
    if waiting is None:
        waiting = Revision(target=target, target_id=obj.id, enterprise_id=enterprise_id)
        db.session.add(waiting)
    waiting.fields = changed
    waiting.submitted_by_id = author.id
    audit.record(f"{target}.propose", obj, actor=author, fields=sorted(changed))
    return waiting
