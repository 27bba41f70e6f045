"""What a student's actions teach their recommendations, and the sentence that tells them so.

Saved professions, tours booked and visited (alone or with the class), the student's own
rating of a visit and «не интересно» move the model's ranking (``matching.StudentActions``: a
Rocchio step towards or away from the professions concerned). What is kept is the actions
themselves (the shortlist, the bookings, the ratings and ``dismissed_professions``), replayed
on each request in three small queries, not a learnt vector: they survive a rebuilt model and
a changed catalogue, and the student sees each one and can undo it where it lives.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from extensions import db
from matching import StudentActions
from models import (
    Booking,
    ClassMembership,
    Feedback,
    TourProgramme,
    TourSession,
    User,
)
from services import dismissals, shortlist

# How far each action pulls (the weights of a weighted mean, so only their ratios matter):
# a saved profession is the plainest "this"; a booked tour says less about each profession it
# shows; a visit as much as a save, and a good rating more. A poor rating (1–2 of 5) pushes
# away from what the tour showed, as «не интересно» does, without hiding anything.
SAVED = 1.0
BOOKED = 0.5
VISITED = 1.0
RATED_WELL = 1.5
WELL, POORLY = 4, 2
UPCOMING = ("confirmed", "waitlisted", "offered")


@dataclass(frozen=True)
class Visit:
    """A tour the student booked or went on, as the page names it."""

    tour_id: int
    title: str
    enterprise: str
    attended: bool
    rating: int | None = None


@dataclass
class Learnt:
    """The model's input and what the page says about it."""

    actions: StudentActions
    saved: list[str] = field(default_factory=list)  # titles, in the order saved
    visits: list[Visit] = field(default_factory=list)
    set_aside: list[dismissals.SetAside] = field(default_factory=list)
    # profession slug -> where the model's liking for it came from, for the reasons: ("saved",
    # its title, "") or ("visited" / "booked", its title, the tour's title)
    sources: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    @property
    def attended_tour_ids(self) -> set[int]:
        """Tours the student has been on (not recommended again)."""
        return {v.tour_id for v in self.visits if v.attended}

    def is_empty(self) -> bool:
        """True when nothing the student did moves the list."""
        return self.actions.is_empty()


def _student(user: User | None) -> User | None:
    return user if user is not None and user.role == "student" else None


def _bookings(student: User) -> list[Booking]:
    """The student's own bookings and their classes' visits that happened, newest first."""
    classes = select(ClassMembership.class_id).where(ClassMembership.student_id == student.id)
    mine = or_(
        (Booking.kind == "individual") & (Booking.booked_by_id == student.id),
        (Booking.kind == "class") & Booking.class_id.in_(classes) & (Booking.state == "attended"),
    )
    return list(
        db.session.scalars(
            select(Booking)
            .join(TourSession, TourSession.id == Booking.session_id)
            .where(mine, Booking.state.in_((*UPCOMING, "attended")))
            .order_by(TourSession.starts_at.desc())
            .options(
                selectinload(Booking.session)
                .selectinload(TourSession.tour)
                .selectinload(TourProgramme.professions),
                selectinload(Booking.session)
                .selectinload(TourSession.tour)
                .selectinload(TourProgramme.enterprise),
            )
        )
    )


def _ratings(student: User, bookings: list[Booking]) -> dict[int, int]:
    ids = [b.id for b in bookings if b.kind == "individual" and b.state == "attended"]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Feedback.booking_id, Feedback.rating).where(
            Feedback.booking_id.in_(ids), Feedback.author_id == student.id
        )
    )
    return dict(rows.all())


def learnt(user: User | None, session: MutableMapping) -> Learnt:
    """Everything this student (or visitor, from the session) did that the model takes in."""
    toward: dict[int, float] = {}
    away: dict[int, float] = {}
    sources: dict[str, tuple[str, str, str]] = {}
    set_aside = dismissals.set_aside(user, session)
    hidden = {s.profession_id for s in set_aside}
    saved = shortlist.saved_professions(_student(user), session)
    saved_ids = {p.id for p in saved}
    for profession in saved:
        if profession.id not in hidden:
            toward[profession.id] = SAVED
            sources.setdefault(profession.slug, ("saved", profession.title, ""))
    visits: list[Visit] = []
    student = _student(user)
    seen_tours: set[int] = set()
    if student is not None:
        bookings = _bookings(student)
        ratings = _ratings(student, bookings)
        for booking in bookings:
            tour = booking.session.tour
            attended = booking.state == "attended"
            rating = ratings.get(booking.id)
            if tour.id not in seen_tours:
                seen_tours.add(tour.id)
                visits.append(Visit(tour.id, tour.title, tour.enterprise.name, attended, rating))
            weight = VISITED if attended else BOOKED
            if rating is not None and rating >= WELL:
                weight = RATED_WELL
            for profession in tour.professions:
                if profession.id in hidden:
                    continue
                if rating is not None and rating <= POORLY:
                    if profession.id not in saved_ids:  # saving it says more than one visit
                        away[profession.id] = 1.0
                    continue
                toward[profession.id] = max(toward.get(profession.id, 0.0), weight)
                kind = "visited" if attended else "booked"
                sources.setdefault(profession.slug, (kind, profession.title, tour.title))
    for item in set_aside:
        if item.lowers_similar:
            away[item.profession_id] = 1.0
    for pid in away:
        toward.pop(pid, None)
    actions = StudentActions(tuple(sorted(hidden)), away, toward)
    return Learnt(actions, [p.title for p in saved], visits, set_aside, sources)
