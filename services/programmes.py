"""An enterprise's tour programmes as its staff keep them: a new programme waits for regional
staff; an edit goes through ``services.revisions.propose`` (at once while nobody sees the
programme, kept for review once it is live); retiring stops showing it without a moderator.

The professions a programme shows are a relationship, not a column, so they stay out of the
revision: staff change them while the programme is not live; once it is, the coordinator does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from extensions import begin_writing, db
from models import (
    Booking,
    Enterprise,
    Profession,
    Revision,
    Sphere,
    TourProgramme,
    TourSession,
    User,
)
from services import audit, revisions
from services.employer_sessions import enterprise_ids
from services.rows import add_once
from services.slugs import unique_tour_slug

# The columns the programme form writes (all JSON-able, as a revision keeps them).
FIELDS = (
    "title",
    "description",
    "duration_minutes",
    "min_age",
    "max_age",
    "min_grade",
    "max_grade",
    "group_min",
    "group_max",
    "adults_per_students",
    "price_rub",
    "safety_rules",
    "what_to_bring",
    "accessibility",
    "meeting_point",
    "booking_cutoff_hours",
    "cancel_cutoff_hours",
)


class ProgrammeRefused(Exception):
    """A change to a programme that cannot be made; ``code`` says why (the view words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ProgrammeRow:
    """One programme as its enterprise's list shows it."""

    programme: TourProgramme
    state: str  # pending, approved, rejected or retired
    waiting: Revision | None  # an edit of the live programme that waits for a moderator


def state_of(programme: TourProgramme) -> str:
    """What the list says of the programme: ``retired`` once staff took it down, else its
    moderation state."""
    return "retired" if not programme.active else programme.moderation_state


def programmes_of(enterprise: Enterprise) -> list[ProgrammeRow]:
    """The enterprise's programmes, newest first, with their state and waiting edit."""
    rows = db.session.scalars(
        select(TourProgramme)
        .where(TourProgramme.enterprise_id == enterprise.id)
        .options(selectinload(TourProgramme.professions))
        .order_by(TourProgramme.id.desc())
    ).all()
    waiting = {
        r.target_id: r
        for r in db.session.scalars(
            select(Revision).where(
                Revision.target == "programme",
                Revision.enterprise_id == enterprise.id,
                Revision.state == "pending",
            )
        )
    }
    return [ProgrammeRow(p, state_of(p), waiting.get(p.id)) for p in rows]


def programme_of(user: User, tour_id: int) -> TourProgramme | None:
    """The programme, if it belongs to an enterprise the employer is approved staff of."""
    programme = db.session.get(TourProgramme, tour_id)
    if programme is None or programme.enterprise_id not in enterprise_ids(user):
        return None
    return programme


def form_values(programme: TourProgramme) -> dict:
    """The values an edit starts from: the live ones with the waiting edit's on top (so a second
    edit does not quietly drop the first)."""
    values = {name: getattr(programme, name) for name in FIELDS}
    waiting = revisions.pending(programme)
    if waiting is not None:
        values.update({k: v for k, v in waiting.fields.items() if k in values})
    return values


def profession_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every profession of the catalogue as (sphere, [(id, title)]), for the programme form."""
    groups: dict[str, list[tuple[int, str]]] = {}
    rows = db.session.execute(
        select(Profession.id, Profession.title, Sphere.title)
        .join(Sphere, Sphere.id == Profession.sphere_id)
        .order_by(Sphere.position, Sphere.title, Profession.title)
    )
    for profession_id, title, sphere in rows:
        groups.setdefault(sphere, []).append((profession_id, title))
    return list(groups.items())


def _professions(ids: list[int]) -> list[Profession]:
    if not ids:
        return []
    return list(db.session.scalars(select(Profession).where(Profession.id.in_(ids))))


def create(
    enterprise: Enterprise, fields: dict, profession_ids: list[int], author: User
) -> TourProgramme:
    """A new programme of the enterprise, waiting for regional staff. Commits.

    :raises ProgrammeRefused: ``busy`` when parallel requests kept taking its slug.
    """
    for _attempt in range(3):
        programme = TourProgramme(
            slug=unique_tour_slug(fields["title"]),
            enterprise_id=enterprise.id,
            moderation_state="pending",
            active=True,
            **fields,
        )
        if add_once(programme):
            break
    else:
        raise ProgrammeRefused("busy")
    programme.professions = _professions(profession_ids)
    audit.record("programme.create", programme, actor=author, enterprise=enterprise.slug)
    db.session.commit()
    return programme


def update(
    programme: TourProgramme, fields: dict, profession_ids: list[int] | None, author: User
) -> Revision | None:
    """Save an edit: applied at once to a programme nobody sees yet (a sent-back one goes back
    to the moderators), kept as a revision of a live one. ``profession_ids`` are applied only
    while the programme is not live (None leaves them). Returns the waiting revision, if any.
    Commits."""
    live = programme.moderation_state == "approved"
    if not live and profession_ids is not None:
        chosen = _professions(profession_ids)
        if {p.id for p in chosen} != {p.id for p in programme.professions}:
            programme.professions = chosen
            if programme.moderation_state == "rejected":
                programme.moderation_state = "pending"
            audit.record("programme.professions", programme, actor=author)
    revision = revisions.propose(programme, fields, author)
    db.session.commit()
    return revision


def has_live_bookings(programme: TourProgramme) -> bool:
    """Whether an upcoming session of the programme holds a booking that is not cancelled
    (booked, offered or waiting)."""
    return db.session.scalar(
        select(
            exists()
            .where(Booking.session_id == TourSession.id)
            .where(TourSession.tour_id == programme.id, TourSession.is_upcoming, Booking.is_live)
        )
    )


def _lock_sessions(programme: TourProgramme) -> None:
    """Hold the programme's upcoming sessions, so that no booking lands while it is retired
    (bookings lock their session first, then check the programme is listed)."""
    begin_writing()
    query = select(TourSession.id).where(
        TourSession.tour_id == programme.id, TourSession.is_upcoming
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    db.session.execute(query)


def retire(programme: TourProgramme, author: User) -> None:
    """Stop showing the programme (no moderation needed). Commits.

    :raises ProgrammeRefused: ``live_bookings`` while an upcoming session has bookings — those
        sessions are cancelled first, which tells the people booked.
    """
    _lock_sessions(programme)
    if has_live_bookings(programme):
        raise ProgrammeRefused("live_bookings")
    if programme.active:
        programme.active = False
        audit.record("programme.retire", programme, actor=author)
    db.session.commit()


def restore(programme: TourProgramme, author: User) -> None:
    """Show a retired programme again (as it was: approved ones at once). Commits."""
    if not programme.active:
        programme.active = True
        audit.record("programme.restore", programme, actor=author)
    db.session.commit()
