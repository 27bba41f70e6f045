"""The matching model: built once from plain documents, queried per request, saved to a file.

A profession's score for a profile is a weighted blend of the parts the profile has (text,
RIASEC, subjects; the weights are renormalised over those parts), plus a demand lift:
DEMAND_BONUS adds 0.03 for "high" and 0.01 for "medium" demand, enough to settle near-equals
but never to lift a profession whose blend is more than 0.03 below another's. The result is
clipped to 0–1. Each part is a cosine; the text cosine of a few sentences against a long
description is small (typically 0.05–0.2), so it is put on the scale of the others by
tanh(TEXT_GAIN · cosine), which keeps its order.

The default text mode (char n-grams), the weights, the gain and the tours' own-text share were
chosen on the demo catalogue and its 60 personas with ``python -m matching.eval.tune``; the
figures (``python -m matching.eval``) and the reasoning are in matching/eval/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from matching import store
from matching.documents import (
    RIASEC,
    ProfessionDoc,
    ProfessionMatch,
    Reason,
    StudentActions,
    StudentProfile,
    TourDoc,
    TourMatch,
)
from matching.explain import profession_lines, profession_reasons, profile_facts, tour_reasons
from matching.features import (
    LemmaIndex,
    ProfileVectors,
    TextSpace,
    centred_riasec,
    check_profile,
    profile_vectors,
    subject_vector,
    unit_rows,
)
from matching.names import TitleIndex
from matching.ranking import CANDIDATES, ENTERPRISE_CAP, cap_per_key, spread_spheres, top_candidates
from matching.store import MODEL_VERSION, ModelError, StaleModelError
from matching.text import TEXT_MODES, normalise, wish_clauses
from matching.tours import TourSpace
from matching.vocabulary import Expansion, Vocabulary

__all__ = [
    "MODEL_VERSION",
    "MatchingModel",
    "ModelError",
    "StaleModelError",
    "build_model",
    "load_model",
]

DEFAULT_TEXT_MODE = "char"
WEIGHTS = {"text": 0.45, "riasec": 0.20, "subjects": 0.35}
# Puts a typical best text cosine of a student's answer (median over the personas: char 0.126,
# lemma 0.114) at 0.75–0.8 after tanh; the grid found char gains 5–10 equally good.
TEXT_GAIN = {"char": 7.5, "lemma": 10.0}
DEMAND_BONUS = {"high": 0.03, "medium": 0.01, "low": 0.0}
# A tour explains itself by the professions it shows that are among the student's first
# TOP_FOR_TOURS recommendations.
TOP_FOR_TOURS = 20
# What the student wrote comes first: the professions they name (``matching.names``) and those
# whose text part is within STATED_MARGIN of the best text part, and at least STATED_FLOOR, get
# STATED_LIFT, more than subjects and RIASEC can add. One word «сварка» after a test that
# pointed at IT still gives the welder. Chosen on the tuning personas (matching/eval/README.md,
# "Stated interests first").
STATED_LIFT = 0.3
STATED_MARGIN = 0.05
STATED_FLOOR = 0.5
# What the student did, as Rocchio steps in score space (``StudentActions``): a profession
# near one they set aside (its similarity, the blend of raw part cosines that
# related_professions uses, at least NEAR) loses DISMISS_WEIGHT × that similarity (a mean over
# those set aside); near one they liked (saved, shown by a tour they booked or visited) gains
# LIKE_WEIGHT × it (a weighted mean). Only near ones move: lowering every profession by its
# similarity also lowered unrelated ones. Chosen on the tuning personas (README, "Actions").
DISMISS_WEIGHT = 0.25
LIKE_WEIGHT = 0.4
NEAR = 0.3
# «похожа на «Повар», которую вы сохранили» only this near (the cook's own kin are at ~0.5: the
# confectioner, the baker; a painter at 0.41 is lifted a little but not called like it).
LIKED_REASON_FROM = 0.45
SIMILARITY_CACHE = 4096
# Tours are checked for seats this many at a time, best first (``recommend_tours``).
TOUR_CHUNK = 50


@dataclass
class _Query:
    """One profile: its vectors, raw cosines per part, calibrated parts and final scores."""

    vectors: ProfileVectors
    cosines: dict[str, np.ndarray]
    parts: dict[str, np.ndarray]
    scores: np.ndarray
    expansion: Expansion
    stated: np.ndarray  # mask of the professions the student's words lead to
    named: dict[int, tuple[str, ...]]  # row -> the student's words that name it
    liked: dict[int, float]  # row -> weight of the professions the student's actions favour


class MatchingModel:
    """Professions and tours in shared feature spaces, ready to answer profiles."""

    def __init__(
        self,
        professions: Sequence[ProfessionDoc],
        tours: Sequence[TourDoc],
        fingerprint: str,
        text_mode: str,
        weights: Mapping[str, float],
        vocabulary: Vocabulary | None = None,
    ):
        if not professions:
            raise ValueError("the model needs at least one profession")
        self.version = MODEL_VERSION
        self.fingerprint = fingerprint
        self.text_mode = text_mode
        self.weights = dict(weights)
        self.text_gain = TEXT_GAIN[text_mode]
        self.vocabulary = vocabulary or Vocabulary({})
        self.stated_lift = STATED_LIFT
        self.ids = np.array([doc.id for doc in professions], dtype=np.int64)
        self.row_of = {doc.id: row for row, doc in enumerate(professions)}
        self.slugs = [doc.slug for doc in professions]
        self.titles = [doc.title for doc in professions]
        self.names = TitleIndex.fit(self.titles)
        self.spheres = [doc.sphere for doc in professions]
        self.demands = [doc.demand for doc in professions]
        self.subject_codes = [tuple(doc.subjects) for doc in professions]
        self.lines = [profession_lines(doc.lines, doc.text) for doc in professions]
        self.bonus = np.array([DEMAND_BONUS.get(d, 0.0) for d in self.demands], dtype=np.float32)
        texts = [doc.text for doc in professions]
        self.text = TextSpace.fit(texts, text_mode)
        self.lemmas = LemmaIndex.fit(texts)
        self.riasec_levels = np.array(
            [[doc.riasec.get(a, 0.0) for a in RIASEC] for doc in professions], dtype=np.float32
        )
        self.riasec = unit_rows(np.stack([centred_riasec(doc.riasec) for doc in professions]))
        self.subjects = unit_rows(
            np.stack([subject_vector(doc.subjects, ranked=True) for doc in professions])
        )
        self.tours = TourSpace.build(tours, self.row_of, self.text, self.riasec, self.subjects)

    def __len__(self) -> int:
        return len(self.ids)

    # -- scoring ----------------------------------------------------------------------------

    def _shares(self, parts: Sequence[str]) -> dict[str, float]:
        total = sum(self.weights[p] for p in parts) or 1.0
        return {p: self.weights[p] / total for p in parts}

    def _calibrated(self, cosines: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        parts = dict(cosines)
        if "text" in parts:
            parts["text"] = np.tanh(self.text_gain * parts["text"])
        return parts

    def _blend(self, parts: Mapping[str, np.ndarray]) -> np.ndarray:
        shares = self._shares(list(parts))
        return sum(shares[p] * parts[p] for p in parts)

    def _near_to(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """The professions near one (similarity ≥ NEAR) and their similarities. Reading one
        row of the column-stored text matrix costs a pass over it (~5 ms at 20,000
        professions); the few near ones are kept per process, up to SIMILARITY_CACHE rows."""
        cache = self.__dict__.setdefault("_similarity_cache", {})
        found = cache.get(row)
        if found is None:
            if len(cache) >= SIMILARITY_CACHE:
                cache.clear()  # a bound, not an LRU: atomic under threads, rebuilt on demand
            similarity = self._blend(
                {
                    "text": self.text.scores(self.text.row(row)),
                    "riasec": self.riasec @ self.riasec[row],
                    "subjects": self.subjects @ self.subjects[row],
                }
            )
            near = np.flatnonzero(similarity >= NEAR)
            found = cache[row] = (near, similarity[near].astype(np.float32))
        return found

    def _pull(self, weights: Mapping[int, float]) -> np.ndarray:
        """The weighted mean similarity of every profession to the rows of ``weights`` (only
        near ones count; the rest is 0)."""
        total = np.zeros(len(self), dtype=np.float32)
        for row, weight in weights.items():
            near, similarity = self._near_to(row)
            total[near] += weight * similarity
        return total / sum(weights.values())

    def _act(self, query: _Query, actions: StudentActions | None) -> None:
        """Apply the student's actions to ``query``'s scores (see LIKE_WEIGHT)."""
        if actions is None:
            return
        rows = self.row_of
        removed = [rows[i] for i in actions.set_aside if i in rows]
        away = {rows[i]: w for i, w in actions.away.items() if i in rows and w > 0}
        toward = {rows[i]: w for i, w in actions.toward.items() if i in rows and w > 0}
        if toward:
            query.scores = query.scores + LIKE_WEIGHT * self._pull(toward)
            query.liked = toward
        if away:
            query.scores = query.scores - DISMISS_WEIGHT * self._pull(away)
        if removed:
            query.scores[removed] = -np.inf

    def _query(
        self, profile: StudentProfile, actions: StudentActions | None = None
    ) -> _Query | None:
        check_profile(profile)
        expansion = self.vocabulary.expand(profile.interests)
        vectors = profile_vectors(replace(profile, interests=expansion.text), self.text)
        cosines = {}
        if vectors.text is not None:
            cosines["text"] = self.text.scores(vectors.text)
        if vectors.riasec is not None:
            cosines["riasec"] = self.riasec @ vectors.riasec
        if vectors.subjects is not None:
            cosines["subjects"] = self.subjects @ vectors.subjects
        if not cosines:
            return None
        parts = self._calibrated(cosines)
        scores = self._blend(parts) + self.bonus
        stated = np.zeros(len(scores), dtype=bool)
        named = self.names.named(profile.interests)
        if "text" in parts:
            # The best matches of the whole text, and of the clauses that say what they want
            # («… а вообще хочу нейросети обучать») among hobbies written around them.
            for text in (parts["text"], self._wished(profile.interests)):
                if text is not None:
                    stated |= text >= max(STATED_FLOOR, float(text.max()) - STATED_MARGIN)
        stated[list(named)] = True
        scores = scores + self.stated_lift * stated
        query = _Query(vectors, cosines, parts, scores, expansion, stated, named, {})
        self._act(query, actions)
        return query

    def _wished(self, interests: str) -> np.ndarray | None:
        """The calibrated text part of the clauses where the student says what they want, when
        those are not the whole text (``matching.text.wish_clauses``); else None."""
        wish = wish_clauses(interests)
        if not wish or wish == normalise(interests).strip():
            return None
        row = self.text.transform([self.vocabulary.expand(wish).text])
        if not row.nnz:
            return None
        return np.tanh(self.text_gain * self.text.scores(row))

    # -- answers ----------------------------------------------------------------------------

    def recommend_professions(
        self, profile: StudentProfile, limit: int = 10, actions: StudentActions | None = None
    ) -> list[ProfessionMatch]:
        """The professions that fit ``profile`` best, spread over spheres at the top, moved by
        the student's ``actions`` (those set aside left out).

        The answer is empty when nothing in the profile is known to the model (say, only
        words it has never seen, or RIASEC answers that are all alike).

        :raises ValueError: for an empty profile or values it cannot read.
        """
        query = self._query(profile, actions)
        if query is None:
            return []
        return self._professions(profile, query, limit)

    def _professions(self, profile, query: _Query, limit: int) -> list[ProfessionMatch]:
        if limit <= 0:
            return []
        result = []
        for row, reasons in self._explained(
            profile, query, self._ranking(query.scores, max(limit, CANDIDATES), named=query.named)
        ):
            parts = {p: float(values[row]) for p, values in query.parts.items()}
            result.append(self._match(row, query.scores[row], parts, reasons))
            if len(result) == limit:
                break
        return result

    def _explained(self, profile: StudentProfile, query: _Query, rows: Sequence[int]):
        """(row, reasons) for the rows that have a reason from the profile itself, in order.

        A profession that char n-grams pulled up without a word to quote, a subject, an area
        or an action in common is left out: we do not recommend what we cannot explain
        truthfully. A profession the student named says so first; one near a profession their
        actions favour says which (the nearest).
        """
        facts = profile_facts(profile, self.lemmas, query.expansion.added)
        shares = self._shares(list(query.parts))
        for row in rows:
            if not np.isfinite(query.scores[row]):  # dismissed
                continue
            contributions = {
                p: shares[p] * float(values[row])
                + (1.0 if p == "text" and query.stated[row] else 0.0)
                for p, values in query.parts.items()
            }
            reasons = profession_reasons(
                facts,
                self.lemmas,
                row,
                contributions,
                self.riasec_levels[row],
                self.subject_codes[row],
                self.demands[row],
                self.lines[row],
            )
            if row in query.named:
                said = query.named[row]
                reasons.insert(0, Reason("named", said, (self.titles[row],)))
            liked = self._liked_reason(query.liked, row)
            if liked is not None:
                demand = bool(reasons) and reasons[-1].kind == "demand"
                reasons.insert(len(reasons) - demand, liked)
            if any(r.kind != "demand" for r in reasons):
                yield row, reasons

    def _liked_reason(self, liked: Mapping[int, float], row: int) -> Reason | None:
        """«похожа на …, которую вы сохранили»: the liked profession nearest to ``row``
        (``met`` is "same" for that very profession)."""
        best, closest = None, 0.0
        for other in liked:
            if other == row:
                return Reason("liked", (self.slugs[other],), ("same",))
            near, similarity = self._near_to(other)
            at = np.searchsorted(near, row)
            if (
                at < len(near)
                and near[at] == row
                and similarity[at] >= LIKED_REASON_FROM
                and similarity[at] > closest
            ):
                best, closest = other, float(similarity[at])
        return None if best is None else Reason("liked", (self.slugs[best],), ("near",))

    def ranked_slugs(
        self, profile: StudentProfile, actions: StudentActions | None = None
    ) -> list[str]:
        """Every profession's slug in the order ``recommend_professions`` would list them (those
        set aside last), with no reasons worked out (for the evaluation).

        :raises ValueError: for an empty profile or values it cannot read.
        """
        query = self._query(profile, actions)
        if query is None:
            return []
        order = self._ranking(query.scores, len(self), named=query.named)
        head = [row for row, _ in self._explained(profile, query, order[:CANDIDATES])]
        return [self.slugs[row] for row in head + order[CANDIDATES:]]

    def _ranking(
        self,
        scores: np.ndarray,
        limit: int,
        exclude: int | None = None,
        named: Mapping[int, object] | None = None,
    ) -> list[int]:
        """The best rows, spread over spheres; the ``named`` professions first, unspread (a
        student who names two welding trades gets both before other spheres)."""
        order = top_candidates(scores, max(CANDIDATES, limit), exclude).tolist()
        if not named:
            return spread_spheres(order, self.spheres)[:limit]
        # Named ones lead even when a saved profession's kin outscore them (not set aside).
        lead = sorted(
            (row for row in named if np.isfinite(scores[row]) and row != exclude),
            key=lambda row: (-scores[row], row),
        )
        rest = [row for row in order if row not in named]
        return (lead + spread_spheres(rest, self.spheres))[:limit]

    def _match(
        self, row: int, score: float, parts: Mapping[str, float], reasons: list
    ) -> ProfessionMatch:
        return ProfessionMatch(
            id=int(self.ids[row]),
            slug=self.slugs[row],
            title=self.titles[row],
            score=_unit_score(score),
            demand=self.demands[row],
            reasons=reasons,
            parts={p: round(value, 3) for p, value in parts.items()},
        )

    def recommend_tours(
        self,
        profile: StudentProfile,
        allowed: Mapping[int, object] | Callable[[list[int]], Mapping[int, object]] | None = None,
        limit: int = 5,
        shown: Sequence[int] | None = None,
    ) -> list[TourMatch]:
        """The tours that fit ``profile`` among ``allowed``, open to the profile's age and
        grade, at most two per enterprise; tours with nothing in common (score ≤ 0) are left
        out. ``allowed`` maps a tour id to its next session (returned as ``next_session``), or
        is a function the model asks with the ids of its best candidates, a few dozen at a
        time, for such a map of those that can be booked; None means every tour. A tour's
        "shows" reason names the professions of ``shown`` (the profession ids the caller lists
        for this student) that it shows; without it, the first TOP_FOR_TOURS of the ranking.

        :raises ValueError: for an empty profile or values it cannot read.
        """
        query = self._query(profile)
        if query is None:
            return []
        return self._tours(profile, query, allowed, limit, shown)

    def recommend(
        self,
        profile: StudentProfile,
        limit: int = 10,
        actions: StudentActions | None = None,
        tour_limit: int = 5,
        allowed: Mapping[int, object] | Callable[[list[int]], Mapping[int, object]] | None = None,
    ) -> tuple[list[ProfessionMatch], list[TourMatch]]:
        """``recommend_professions`` and then ``recommend_tours`` for the professions it lists,
        from one reading of the profile (as the site asks: half the work at 20,000).

        :raises ValueError: for an empty profile or values it cannot read.
        """
        query = self._query(profile, actions)
        if query is None:
            return [], []
        professions = self._professions(profile, query, limit)
        tours = self._tours(profile, query, allowed, tour_limit, [m.id for m in professions])
        return professions, tours

    def _tours(self, profile, query: _Query, allowed, limit: int, shown) -> list[TourMatch]:
        if limit <= 0 or not len(self.tours.ids):
            return []
        cosines = {
            p: self.tours.part_scores(p, values, query.vectors.text)
            for p, values in query.cosines.items()
        }
        scores = self._blend(self._calibrated(cosines))
        lookup = allowed if callable(allowed) else None
        open_ = self.tours.open_to(None if lookup else allowed, profile.age, profile.grade)
        candidates = np.flatnonzero(open_ & (scores > 0))
        order = candidates[np.lexsort((candidates, -scores[candidates]))].tolist()
        if lookup is not None:
            order, allowed = self._bookable(order, lookup, limit)
        chosen = cap_per_key(order, self.tours.enterprise_slugs, ENTERPRISE_CAP, limit)
        if shown is None:
            best = set(self._ranking(query.scores, TOP_FOR_TOURS))
        else:
            best = {self.row_of[i] for i in shown if i in self.row_of}
        result = []
        for t in chosen:
            members = sorted(self.tours.members[t], key=lambda r: -query.scores[r])
            members = [r for r in members if np.isfinite(query.scores[r])]  # not set aside
            tour_id = int(self.tours.ids[t])
            reasons = tour_reasons(
                [self.titles[r] for r in members if r in best][:3],
                self.titles[members[0]] if members else None,
                profile,
                int(self.tours.min_ages[t]),
                int(self.tours.min_grades[t]),
                self.tours.towns[t],
            )
            result.append(
                TourMatch(
                    id=tour_id,
                    title=self.tours.titles[t],
                    enterprise_slug=self.tours.enterprise_slugs[t],
                    enterprise_name=self.tours.enterprise_names[t],
                    score=_unit_score(scores[t]),
                    next_session=None if allowed is None else allowed[tour_id],
                    reasons=reasons,
                )
            )
        return result

    def _bookable(
        self, order: list[int], lookup: Callable[[list[int]], Mapping[int, object]], limit: int
    ) -> tuple[list[int], dict[int, object]]:
        """The rows of ``order`` that ``lookup`` says can be booked, asked a chunk at a time
        until ``limit`` of them fit the enterprise cap (or the tours run out)."""
        kept: list[int] = []
        found: dict[int, object] = {}
        for start in range(0, len(order), TOUR_CHUNK):
            chunk = order[start : start + TOUR_CHUNK]
            answer = lookup([int(self.tours.ids[t]) for t in chunk])
            found.update(answer)
            kept += [t for t in chunk if int(self.tours.ids[t]) in answer]
            if len(cap_per_key(kept, self.tours.enterprise_slugs, ENTERPRISE_CAP, limit)) >= limit:
                break
        return kept, found

    def related_professions(self, profession_id: int, limit: int = 6) -> list[ProfessionMatch]:
        """The professions nearest to one profession by the same features (itself left out),
        spread over spheres. Two full descriptions share far more words than a student's
        answer does, so here the raw text cosine is blended, without gain or demand lift.

        :raises KeyError: for an unknown profession id.
        """
        row = self.row_of[profession_id]
        parts = {
            "text": self.text.scores(self.text.row(row)),
            "riasec": self.riasec @ self.riasec[row],
            "subjects": self.subjects @ self.subjects[row],
        }
        scores = self._blend(parts)
        rows = self._ranking(scores, limit, exclude=row)
        return [
            self._match(r, scores[r], {p: float(v[r]) for p, v in parts.items()}, []) for r in rows
        ]

    def save(self, path: str | Path) -> None:
        """Write the model to ``path`` with its version and fingerprint (see load_model)."""
        store.write(path, self, self.fingerprint)

    def __getstate__(self) -> dict:
        # The similarity cache is this process's; a saved model starts without it.
        return {k: v for k, v in self.__dict__.items() if k != "_similarity_cache"}


def _unit_score(value: float) -> float:
    return round(min(1.0, max(0.0, float(value))), 3)


def build_model(
    professions: Sequence[ProfessionDoc],
    tours: Sequence[TourDoc],
    fingerprint: str,
    text_mode: str = "auto",
    *,
    weights: Mapping[str, float] | None = None,
    vocabulary: Vocabulary | None = None,
) -> MatchingModel:
    """Fit the model on the catalogue; ``text_mode`` "auto" takes the evaluated best.

    :raises ValueError: for no professions, an unknown text mode or bad weights.
    """
    mode = DEFAULT_TEXT_MODE if text_mode == "auto" else text_mode
    if mode not in TEXT_MODES:
        raise ValueError(f"text_mode must be auto, char or lemma, not {text_mode!r}")
    chosen = dict(WEIGHTS if weights is None else weights)
    if set(chosen) != set(WEIGHTS) or min(chosen.values()) < 0 or sum(chosen.values()) <= 0:
        raise ValueError(f"weights need non-negative values for {', '.join(WEIGHTS)}")
    return MatchingModel(professions, tours, fingerprint, mode, chosen, vocabulary)


def load_model(path: str | Path) -> MatchingModel:
    """Read a model written by :meth:`MatchingModel.save`.

    :raises StaleModelError: when another model or scikit-learn version wrote it.
    :raises ModelError: when the file is missing, unreadable or not a matching model.
    """
    model = store.read(path)
    if not isinstance(model, MatchingModel):
        raise ModelError(f"{path} is not a matching model")
    return model
