"""The bridge between the database and the matching model: build, keep, ask.

One model per worker process: loaded from the artifact when its fingerprint matches the
catalogue version, else built from the database (and saved for the next worker). The model never
sees a request or a session; this module turns rows into plain documents and answers into dicts.
"""

from __future__ import annotations

import fcntl
import gc
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from matching import (
    MatchingModel,
    ModelError,
    ProfessionDoc,
    StudentProfile,
    TourDoc,
    build_model,
    load_model,
)
from matching.vocabulary import Vocabulary
from models import Profession, TourProgramme, TourSession
from services import reasons as wording
from services.catalogue_version import VersionedCache, catalogue_version
from services.student_actions import Learnt
from services.visits import listed_tours

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NextSession:
    """The next session of a tour with seats left."""

    id: int
    starts_at: datetime
    seats_left: int

    def as_json(self) -> dict:
        """The API's shape."""
        return {
            "id": self.id,
            "starts_at": self.starts_at.isoformat(),
            "seats_left": self.seats_left,
        }


def profession_docs() -> list[ProfessionDoc]:
    """Every profession as the model's plain document."""
    rows = db.session.scalars(select(Profession).options(selectinload(Profession.sphere)))
    return [
        ProfessionDoc(
            id=p.id,
            slug=p.slug,
            title=p.title,
            sphere=p.sphere.slug,
            # Joined as matching/eval/catalogue_docs.py does, so the evaluation carries over.
            text="\n".join([p.title, p.summary, p.description, *p.duties, *p.skills, *p.tools]),
            riasec=p.riasec,
            subjects=tuple(p.subjects),
            demand=p.demand,
            lines=(*p.duties, *p.tools, *p.skills),
        )
        for p in rows
    ]


def tour_docs() -> list[TourDoc]:
    """Every listed tour programme as a plain document."""
    rows = db.session.scalars(listed_tours().options(selectinload(TourProgramme.professions)))
    return [
        TourDoc(
            id=t.id,
            title=t.title,
            enterprise_slug=t.enterprise.slug,
            enterprise_name=t.enterprise.name,
            text=f"{t.title}\n{t.description}",
            profession_ids=tuple(p.id for p in t.professions),
            min_age=t.min_age if t.min_age is not None else _age_for_grade(t.min_grade),
            enterprise_town=t.enterprise.town,
            min_grade=t.min_grade,
            max_age=t.max_age if t.max_age is not None else _oldest_in_grade(t.max_grade),
            max_grade=t.max_grade,
        )
        for t in rows
    ]


def _age_for_grade(grade: int | None) -> int | None:
    # Russian schoolchildren start at 7: grade N is mostly age N + 7 by the end of the year.
    # For a visitor who gives only an age; a signed-in student's own grade is checked as well.
    return None if grade is None else grade + 6


def _oldest_in_grade(grade: int | None) -> int | None:
    # The oldest usual age in grade N (late starters, a repeated year): N + 8.
    return None if grade is None else grade + 8


def model_fingerprint(vocabulary: Vocabulary | None = None) -> str:
    """The catalogue's version and the everyday-words vocabulary's: a model built from either
    one older is rebuilt."""
    return f"{catalogue_version()}+{(vocabulary or Vocabulary.load()).digest}"


def build_from_database() -> MatchingModel:
    """Fit a model on the current catalogue and vocabulary, tagged with their versions."""
    vocabulary = Vocabulary.load()
    return build_model(
        profession_docs(),
        tour_docs(),
        fingerprint=model_fingerprint(vocabulary),
        vocabulary=vocabulary,
    )


def build_and_save(path: Path) -> MatchingModel:
    """Build from the database and write the artifact (CLI and first start)."""
    model = build_from_database()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    model.save(tmp)
    tmp.replace(path)  # atomic: a worker reading the old file never sees half a new one
    return model


def _load_or_build() -> MatchingModel:
    path = current_app.config.get("MATCHING_ARTIFACT")
    if not path:
        return build_from_database()
    path = Path(path)
    version = model_fingerprint()
    try:
        model = load_model(path)
        if model.fingerprint == version:
            return model
    except ModelError as error:  # missing, stale or from another version: rebuild
        log.info("matching model not usable (%s); rebuilding", error)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker builds; the others wait and load it
        try:
            model = load_model(path)
            if model.fingerprint == version:
                return model
        except ModelError:
            pass
        return build_and_save(path)


def _load_for_worker() -> MatchingModel:
    """The model, and with MATCHING_GC_FREEZE its objects moved out of the garbage collector's
    sight (``gc.freeze``): they are freed by reference counting when a new catalogue replaces
    them, and cyclic collections no longer walk a million objects that never become garbage."""
    freeze = current_app.config.get("MATCHING_GC_FREEZE", False)
    if freeze:
        gc.unfreeze()  # the model being replaced, and whatever else was frozen with it
    model = _load_or_build()
    if freeze:
        gc.collect()
        gc.freeze()
    return model


_model_cache = VersionedCache(_load_for_worker)


def current_model() -> MatchingModel:
    """This worker's model for the current catalogue."""
    return _model_cache.get()


def next_sessions(tour_ids: list[int]) -> dict[int, NextSession]:
    """Tour id -> its next scheduled session that still has seats, for a few tours."""
    first = (
        select(TourSession.tour_id, func.min(TourSession.starts_at).label("starts_at"))
        .where(TourSession.tour_id.in_(tour_ids), TourSession.is_bookable)
        .group_by(TourSession.tour_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            TourSession.tour_id,
            TourSession.id,
            TourSession.starts_at,
            TourSession.seats_left,
        ).join(
            first,
            (first.c.tour_id == TourSession.tour_id) & (first.c.starts_at == TourSession.starts_at),
        )
    )
    return {tour_id: NextSession(sid, starts, seats) for tour_id, sid, starts, seats in rows}


def recommend(
    profile: StudentProfile,
    limit: int = 10,
    tour_limit: int = 5,
    details: bool = False,
    learnt: Learnt | None = None,
) -> dict:
    """Professions and bookable tours for a profile, as plain dicts, their reasons worded in
    the request's language. With ``details`` (the site's pages), each profession also carries
    its one-line ``summary`` and each item its reasons as data (``why``). What the student did
    (``learnt``: saved, booked, visited, set aside) moves the professions; tours they have been
    on are not offered again.

    :raises ValueError: for an empty profile.
    """
    if profile.is_empty():
        raise ValueError("empty profile")
    model = current_model()
    actions = learnt.actions if learnt is not None and not learnt.is_empty() else None
    been = learnt.attended_tour_ids if learnt is not None else set()

    def bookable(tour_ids: list[int]) -> dict[int, NextSession]:
        # Asked for the model's best candidates only (50 at a time): reading every tour with
        # seats cost 17 ms a request at 5,000 tours.
        return next_sessions([i for i in tour_ids if i not in been])

    professions, tours = model.recommend(
        profile, limit=limit, actions=actions, tour_limit=tour_limit, allowed=bookable
    )
    sessions = {t.id: t.next_session for t in tours}
    found = {
        "professions": [
            {
                "slug": m.slug,
                "title": m.title,
                "score": m.score,
                "demand": m.demand,
                "reasons": wording.profession_reasons(
                    m.reasons, learnt.sources if learnt else None
                ),
            }
            for m in professions
        ],
        "tours": [
            {
                "id": t.id,
                "title": t.title,
                "enterprise": {"slug": t.enterprise_slug, "name": t.enterprise_name},
                "score": t.score,
                "next_session": sessions[t.id].as_json(),
                "reasons": wording.tour_reasons(t.reasons),
            }
            for t in tours
        ],
    }
    if details:
        summaries = dict(
            db.session.execute(
                select(Profession.slug, Profession.summary).where(
                    Profession.slug.in_([m.slug for m in professions])
                )
            ).all()
        )
        for item, match in zip(found["professions"], professions, strict=True):
            item["summary"] = _first_sentence(summaries.get(match.slug, ""))
            item["why"] = [r.as_json() for r in match.reasons]
        for item, match in zip(found["tours"], tours, strict=True):
            item["why"] = [r.as_json() for r in match.reasons]
    return found


def _first_sentence(text: str) -> str:
    """The first sentence of a profession's summary: the one line shown beside a result."""
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def related_professions(profession: Profession, limit: int = 6) -> list[Profession]:
    """The nearest professions by the model (same features as recommendations)."""
    try:
        matches = current_model().related_professions(profession.id, limit=limit)
    except KeyError:  # added after the model was built and before the version check
        return []
    rows = db.session.scalars(select(Profession).where(Profession.id.in_([m.id for m in matches])))
    by_id = {p.id: p for p in rows}
    return [by_id[m.id] for m in matches if m.id in by_id]
