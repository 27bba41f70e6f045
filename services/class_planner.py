"""What a counsellor sees of a class: its interest picture (aggregate only), the tours that fit
most of its students, and the two trips that together give most students a well-matched visit.

Privacy: only students whose consent lets their profile be shared with the counsellor count,
and a figure behind fewer than ``SHOW_MINIMUM`` students is not shown at all, so that no child
can be singled out. No student's answers leave this module.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from matching import RIASEC, StudentProfile, quiz_profile_is_flat
from models import ClassMembership, InterestProfile, Profession, SchoolClass, TourProgramme, User
from models.consent import allows_clause
from services.booking_rules import BookingRefused, check_class
from services.catalogue_version import CatalogueMemo
from services.recommendations import current_model
from services.visits import SessionLine, upcoming_sessions

SHOW_MINIMUM = 5
# A tour "fits" a student when it is among their five best and scores at least this share of
# their best tour's score (so that a narrow catalogue does not make every tour a fit).
TOURS_PER_STUDENT = 5
FIT_SHARE = 0.6
PROFESSIONS_PER_STUDENT = 5
SESSIONS_PER_TOUR = 3
_per_profile = CatalogueMemo(max_items=20_000)


@dataclass
class ClassPicture:
    """The class's interests in aggregate; ``None`` figures are held back (too few answers)."""

    joined: int
    expected: int | None
    tested: int
    shared: int  # tested students whose consent allows the counsellor to see the aggregate
    with_levels: int = 0  # of those, the ones whose test gave RIASEC levels (not all alike)
    riasec_means: dict[str, int] | None = None  # area -> mean level, percent
    strongest: dict[str, int | None] | None = None  # area -> students, None when under 5
    professions: list[tuple[str, str, int]] = field(default_factory=list)  # slug, title, n

    @property
    def chart_values(self) -> list[float]:
        """The means as the radar chart takes them (0–1, in R-I-A-S-E-C order)."""
        return [self.riasec_means[a] / 100 for a in RIASEC] if self.riasec_means else []


@dataclass
class TourFit:
    """A tour for the class: the students it fits (by index, only ever counted), the adults its
    rule asks for, its sessions with seats for all, and why it suits the class as a whole
    (``shows``: professions often recommended to the class; ``in_demand``: the region's)."""

    tour_id: int
    title: str
    enterprise: str
    town: str
    fits: frozenset[int]
    adults: int
    sessions: list[SessionLine]
    shows: list[str]
    in_demand: list[str]

    @property
    def fit_count(self) -> int:
        """How many of the class's students the tour fits."""
        return len(self.fits)


@dataclass
class ClassTours:
    """The tours for a class; ``fallback`` when too few profiles could rank them."""

    fallback: bool
    students: int  # the group that travels
    profiles: int  # the shared profiles that ranked the tours
    tours: list[TourFit] = field(default_factory=list)


@dataclass
class TwoTrips:
    """Two tours, on different days, that together fit the most students."""

    first: TourFit
    second: TourFit
    first_session: SessionLine
    second_session: SessionLine
    covered: int
    only_second: int  # students the second adds to those the first fits
    students: int  # the shared profiles counted


def class_age(school_class: SchoolClass) -> int:
    """The oldest usual age in the class (grade N is mostly N+6 to N+7 years old)."""
    return school_class.grade + 7


def group_size(school_class: SchoolClass) -> int:
    """How many students travel unless the counsellor says otherwise: those who joined (whose
    consent the site knows), or before anyone joins the size the counsellor expects."""
    return len(school_class.members) or school_class.expected_size or 1


def adults_needed(programme: TourProgramme, students: int) -> int:
    """The fewest adults the programme's rule asks for."""
    return math.ceil(students / programme.adults_per_students)


def _shared_profiles(school_class: SchoolClass) -> tuple[int, list[InterestProfile]]:
    """(students who took the test, the latest profiles of those who share them)."""
    newest = (
        select(InterestProfile.user_id, func.max(InterestProfile.id).label("id"))
        .join(ClassMembership, ClassMembership.student_id == InterestProfile.user_id)
        .where(ClassMembership.class_id == school_class.id)
        .group_by(InterestProfile.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(InterestProfile, allows_clause(User.id, "counsellor"))
        .join(newest, newest.c.id == InterestProfile.id)
        .join(User, User.id == InterestProfile.user_id)
        .order_by(InterestProfile.user_id)
    ).all()
    return len(rows), [profile for profile, shares in rows if shares]


def _profile(saved: InterestProfile, age: int) -> StudentProfile:
    flat = quiz_profile_is_flat(saved.riasec)
    return StudentProfile(
        interests=saved.interests or "",
        subjects=tuple(saved.subjects or ()),
        riasec=None if flat else saved.riasec,
        age=age,
    )


def class_picture(school_class: SchoolClass) -> ClassPicture:
    """The class's interest picture: means, strongest areas and recommended professions."""
    tested, profiles = _shared_profiles(school_class)
    picture = ClassPicture(
        joined=len(school_class.members),
        expected=school_class.expected_size,
        tested=tested,
        shared=len(profiles),
    )
    if len(profiles) < SHOW_MINIMUM:
        return picture
    levels = [p.riasec for p in profiles if p.riasec and not quiz_profile_is_flat(p.riasec)]
    picture.with_levels = len(levels)
    if len(levels) >= SHOW_MINIMUM:
        picture.riasec_means = {
            a: round(100 * sum(r.get(a, 0.0) for r in levels) / len(levels)) for a in RIASEC
        }
        # Each student counts once, for the first of their highest areas in R-I-A-S-E-C order.
        strongest = Counter(max(RIASEC, key=lambda a, r=r: r.get(a, 0.0)) for r in levels)
        picture.strongest = {
            a: (strongest[a] if strongest[a] >= SHOW_MINIMUM else None) for a in RIASEC
        }
    counts: Counter[int] = Counter()
    for saved in profiles:
        counts.update(_model_answers(saved, class_age(school_class))["professions"])
    common = [(pid, n) for pid, n in counts.most_common(10) if n >= SHOW_MINIMUM]
    found = {
        pid: (slug, title)
        for pid, slug, title in db.session.execute(
            select(Profession.id, Profession.slug, Profession.title).where(
                Profession.id.in_([pid for pid, _ in common])
            )
        )
    }
    picture.professions = [(*found[pid], n) for pid, n in common if pid in found]
    return picture


def _model_answers(saved: InterestProfile, age: int) -> dict:
    """A profile's best professions and tours (ids), kept per catalogue version."""

    def ask() -> dict:
        profile = _profile(saved, age)
        model = _model()
        if profile.is_empty() or model is None:
            return {"professions": [], "tours": {}}
        professions = model.recommend_professions(profile, limit=PROFESSIONS_PER_STUDENT)
        tours = model.recommend_tours(profile, limit=40)
        return {"professions": [m.id for m in professions], "tours": {t.id: t.score for t in tours}}

    return _per_profile.get(("profile", saved.id, age), ask)


def _model():
    """The matching model, or None while the catalogue has no profession to build it from."""
    if db.session.scalar(select(Profession.id).limit(1)) is None:
        return None
    return current_model()


def _suitable_sessions(programme_id: int, seats: int) -> list[SessionLine]:
    """The programme's next sessions that take bookings and have seats for the whole group."""
    lines = upcoming_sessions(limit=20, tour_id=programme_id, bookable=True)
    return [s for s in lines if s.seats_left >= seats][:SESSIONS_PER_TOUR]


def rank_tours(
    per_student: list[dict[int, float]], top: int = TOURS_PER_STUDENT
) -> list[tuple[int, frozenset[int]]]:
    """Tours with the students they fit, most fits first (then the higher mean score, then the
    lower id): a tour fits a student when it is among the ``top`` best of that student's scores
    and scores at least ``FIT_SHARE`` of the best. ``per_student`` holds each student's scores
    by tour id; students are counted by index."""
    scores: dict[int, list[float]] = {}
    fits: dict[int, set[int]] = {}
    for n, tours in enumerate(per_student):
        if not tours:
            continue
        bar = FIT_SHARE * max(tours.values())
        ranked = sorted(tours, key=lambda t, tours=tours: (-tours[t], t))[:top]
        best = [t for t in ranked if tours[t] >= bar]
        for tour_id, score in tours.items():
            scores.setdefault(tour_id, []).append(score)
        for tour_id in best:
            fits.setdefault(tour_id, set()).add(n)
    ranked = sorted(
        scores,
        key=lambda t: (-len(fits.get(t, ())), -sum(scores[t]) / len(per_student), t),
    )
    return [(t, frozenset(fits.get(t, ()))) for t in ranked]


def tours_for_class(
    school_class: SchoolClass, students: int | None = None, limit: int = 8
) -> ClassTours:
    """Tours ranked by how many of the class's students they fit, each with its next sessions
    that have seats for the whole group (``students``, by default ``group_size``) and the
    adults its rule asks for.

    With fewer than ``SHOW_MINIMUM`` shared profiles nobody's interests are used (a ranking by
    two students' answers would describe those two): the class's grade and the region's
    in-demand professions decide instead (``fallback``).
    """
    age = class_age(school_class)
    _, profiles = _shared_profiles(school_class)
    answers = [_model_answers(p, age) for p in profiles] if len(profiles) >= SHOW_MINIMUM else []
    per_student = [a["tours"] for a in answers if a["tours"]]
    fallback = len(per_student) < SHOW_MINIMUM
    if fallback:
        per_student = [_in_demand_tours(age)]
    common = _common_professions(answers)
    students = students or group_size(school_class)
    result = ClassTours(fallback=fallback, students=students, profiles=len(per_student))
    ranked = rank_tours(per_student)
    programmes = _programmes([t for t, _ in ranked])
    for tour_id, fits in ranked:
        programme = programmes.get(tour_id)
        if programme is None:
            continue
        adults = adults_needed(programme, students)
        try:
            check_class(school_class, programme, students, adults)
        except BookingRefused:
            continue  # the programme's rules refuse this class (grade, age, group size)
        sessions = _suitable_sessions(tour_id, students + adults)
        if not sessions:
            continue
        result.tours.append(
            TourFit(
                tour_id=tour_id,
                title=programme.title,
                enterprise=programme.enterprise.name,
                town=programme.enterprise.town,
                fits=frozenset() if fallback else fits,
                adults=adults,
                sessions=sessions,
                shows=[p.title for p in programme.professions if p.id in common][:3],
                in_demand=[p.title for p in programme.professions if p.demand == "high"][:3],
            )
        )
        if len(result.tours) == limit:
            break
    return result


def _programmes(tour_ids: list[int]) -> dict[int, TourProgramme]:
    """The listed programmes among ``tour_ids``, with their enterprises and professions."""
    if not tour_ids:
        return {}
    rows = db.session.scalars(
        select(TourProgramme)
        .where(TourProgramme.id.in_(tour_ids), TourProgramme.is_listed)
        .options(joinedload(TourProgramme.enterprise), selectinload(TourProgramme.professions))
    )
    return {p.id: p for p in rows}


def _common_professions(answers: list[dict]) -> set[int]:
    """Professions among the five best of at least ``SHOW_MINIMUM`` students."""
    counts = Counter(pid for a in answers for pid in a["professions"])
    return {pid for pid, n in counts.items() if n >= SHOW_MINIMUM}


def _in_demand_tours(age: int) -> dict[int, float]:
    """Scores of tours for a class nobody's profile describes: how well each shows the
    region's most needed professions, among tours open to the class's age."""

    def ask() -> dict:
        titles = db.session.scalars(
            select(Profession.title)
            .where(Profession.demand == "high")
            .order_by(Profession.open_vacancies.desc().nulls_last(), Profession.title)
            .limit(12)
        ).all()
        profile = StudentProfile(interests=" ".join(titles), age=age)
        model = _model()
        tours = model.recommend_tours(profile, limit=40) if titles and model else []
        return {t.id: t.score for t in tours}

    return _per_profile.get(("in-demand", age), ask)


def two_trips(found: ClassTours) -> TwoTrips | None:
    """The pair of tours, with sessions on different days, that gives the most students at least
    one tour that fits them; ties go to more fits in all, then to the earlier pair of dates.
    None when no profile says what fits (``fallback``) or no pair has sessions on different
    days; the first of the pair is the one that fits more students."""
    if found.fallback:
        return None
    best = None
    for a, b in combinations(found.tours, 2):
        dates = _different_days(a.sessions, b.sessions)
        if dates is None:
            continue
        covered = len(a.fits | b.fits)
        key = (covered, a.fit_count + b.fit_count, -max(s.starts_at for s in dates).timestamp())
        if best is None or key > best[0]:
            best = (key, a, b, dates)
    if best is None or best[0][0] == 0:
        return None
    _, a, b, (session_a, session_b) = best
    if b.fit_count > a.fit_count:
        a, b, session_a, session_b = b, a, session_b, session_a
    return TwoTrips(
        first=a,
        second=b,
        first_session=session_a,
        second_session=session_b,
        covered=len(a.fits | b.fits),
        only_second=len(b.fits - a.fits),
        students=found.profiles,
    )


def _different_days(one: list[SessionLine], other: list[SessionLine]):
    """The pair of sessions, one of each list, on different days that ends soonest."""
    pairs = [(x, y) for x in one for y in other if x.starts_at.date() != y.starts_at.date()]
    return min(pairs, key=lambda p: (max(p[0].starts_at, p[1].starts_at), p[0].id), default=None)
