"""Regional staff's review of what employers change: edits of live enterprise profiles and
tour programmes (``Revision``), and new programmes of public enterprises.

Approving a revision writes its fields onto the profile or programme; rejecting it needs a
reason and leaves the public values alone. Either way every approved staff member of the
enterprise is told (in the site and by e-mail) and the decision goes to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Enterprise, Revision, TourProgramme, User
from models._common import utcnow
from services import audit
from services.enterprises import staff_users
from services.notifications import notify
from services.revisions import editable_fields, target_of

DECISIONS = {"approve": "approved", "reject": "rejected"}
REASON_MAX = 1000
# Where staff read about the decision: the profile, or the list of programmes.
LINKS = {"enterprise": "/employer/profile", "programme": "/employer/programmes"}
FIELD_LABELS = {
    # Enterprise profile
    "description": _l("Описание"),
    "town": _l("Населённый пункт"),
    "district": _l("Район"),
    "address": _l("Адрес"),
    "directions": _l("Как добраться"),
    "rules_age": _l("Возраст посетителей"),
    "rules_clothing": _l("Одежда и обувь"),
    "rules_documents": _l("Документы"),
    "rules_photography": _l("Фото- и видеосъёмка"),
    "visiting_rules": _l("Другие правила посещения"),
    "contact": _l("Контакт для школ"),
    # Tour programme
    "title": _l("Название"),
    "duration_minutes": _l("Длительность, мин"),
    "min_age": _l("Возраст от"),
    "max_age": _l("Возраст до"),
    "min_grade": _l("Класс от"),
    "max_grade": _l("Класс до"),
    "group_min": _l("Группа от, человек"),
    "group_max": _l("Группа до, человек"),
    "adults_per_students": _l("Один взрослый на учеников"),
    "safety_rules": _l("Правила безопасности"),
    "accessibility": _l("Доступность"),
    "price_rub": _l("Цена с человека, ₽"),
    "active": _l("Проводится"),
    "meeting_point": _l("Место сбора"),
    "what_to_bring": _l("Что взять с собой"),
    "booking_cutoff_hours": _l("Запись закрывается за, ч"),
    "cancel_cutoff_hours": _l("Отмена на сайте до начала, ч"),
}


class AlreadyDecided(Exception):
    """Another moderator decided it first, or what it changes is gone."""


@dataclass(frozen=True)
class Change:
    """One field of a revision: what the public sees now and what the staff propose."""

    field: str
    label: str
    before: str
    after: str


def shown(value: Any) -> str:
    """A field's value as the moderator reads it (lists one item per line, empty as a dash)."""
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, list):
        value = "\n".join(str(item) for item in value)
    return "—" if value is None or value == "" else str(value)


def target(revision: Revision) -> Enterprise | TourProgramme | None:
    """The profile or programme the revision changes (None when it was deleted)."""
    model = Enterprise if revision.target == "enterprise" else TourProgramme
    return db.session.get(model, revision.target_id)


def name_of(obj: Enterprise | TourProgramme) -> str:
    """The enterprise's name or the programme's title."""
    return obj.name if isinstance(obj, Enterprise) else obj.title


def changes(revision: Revision) -> list[Change]:
    """The revision's fields beside their public values, in the form's order."""
    obj = target(revision)
    order = list(FIELD_LABELS)
    names = sorted(revision.fields, key=lambda f: order.index(f) if f in order else len(order))
    return [
        Change(
            field=name,
            label=str(FIELD_LABELS.get(name, name)),
            before=shown(getattr(obj, name, None)),
            after=shown(revision.fields[name]),
        )
        for name in names
    ]


def _programme_exists():
    return exists().where(TourProgramme.id == Revision.target_id)


def pending_revisions() -> list[Revision]:
    """Revisions waiting for a decision, oldest first (none of deleted programmes)."""
    return list(
        db.session.scalars(
            select(Revision)
            .where(
                Revision.state == "pending",
                or_(Revision.target == "enterprise", _programme_exists()),
            )
            .options(selectinload(Revision.enterprise), selectinload(Revision.submitted_by))
            .order_by(Revision.created_at, Revision.id)
        )
    )


def _pending_programmes_query():
    return select(TourProgramme).where(
        TourProgramme.moderation_state == "pending",
        Enterprise.public_by_id(TourProgramme.enterprise_id),
    )


def pending_programmes() -> list[TourProgramme]:
    """New programmes of public enterprises waiting for approval, oldest first."""
    return list(
        db.session.scalars(
            _pending_programmes_query()
            .options(selectinload(TourProgramme.enterprise))
            .order_by(TourProgramme.created_at, TourProgramme.id)
        )
    )


def waiting_count() -> int:
    """How many revisions and new programmes wait for a moderator."""
    revisions = select(func.count(Revision.id)).where(
        Revision.state == "pending", or_(Revision.target == "enterprise", _programme_exists())
    )
    programmes = select(func.count()).select_from(_pending_programmes_query().subquery())
    return (db.session.scalar(revisions) or 0) + (db.session.scalar(programmes) or 0)


def _checked(decision: str, reason: str) -> str:
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision: {decision}")
    reason = reason.strip()
    if decision == "reject" and not reason:
        raise ValueError("a rejection needs a reason")
    return reason


def _tell_staff(enterprise_id: int, kind: str, link: str, what: str, reason: str) -> None:
    for user in staff_users(enterprise_id):
        notify(user, kind, link=link, what=what, reason=reason)


def decide(revision: Revision, decision: str, moderator: User, reason: str = "") -> None:
    """Approve a revision (its fields go live) or reject it with a reason, and commit.

    :raises ValueError: on an unknown decision or a rejection without a reason.
    :raises AlreadyDecided: when it is no longer pending or its programme is gone.
    """
    reason = _checked(decision, reason)
    # Lock, then look again: of two moderators deciding at once, one wins.
    locked = db.session.scalar(
        select(Revision)
        .where(Revision.id == revision.id, Revision.state == "pending")
        .with_for_update()
    )
    obj = target(locked) if locked is not None else None
    if obj is None:
        db.session.rollback()
        raise AlreadyDecided
    if decision == "approve":
        allowed = editable_fields(locked.target)
        for name, value in locked.fields.items():
            if name in allowed:
                setattr(obj, name, value)
    locked.state = DECISIONS[decision]
    locked.reason = reason
    locked.decided_by_id = moderator.id
    locked.decided_at = utcnow()
    _tell_staff(
        locked.enterprise_id,
        f"revision.{locked.state}",
        LINKS[locked.target],
        name_of(obj),
        reason,
    )
    audit.record(
        f"{target_of(obj)}.revision_{decision}",
        obj,
        actor=moderator,
        revision=locked.id,
        fields=sorted(locked.fields),
        reason=reason,
    )
    db.session.commit()


def decide_programme(
    programme: TourProgramme, decision: str, moderator: User, reason: str = ""
) -> None:
    """Publish a new programme or send it back with a reason, and commit.

    :raises ValueError: on an unknown decision or a rejection without a reason.
    :raises AlreadyDecided: when it no longer waits for a decision.
    """
    reason = _checked(decision, reason)
    locked = db.session.scalar(
        select(TourProgramme)
        .where(TourProgramme.id == programme.id, TourProgramme.moderation_state == "pending")
        .with_for_update()
    )
    if locked is None:
        db.session.rollback()
        raise AlreadyDecided
    locked.moderation_state = DECISIONS[decision]
    _tell_staff(
        locked.enterprise_id,
        f"programme.{locked.moderation_state}",
        LINKS["programme"],
        locked.title,
        reason,
    )
    audit.record(f"programme.{decision}", locked, actor=moderator, reason=reason)
    db.session.commit()
