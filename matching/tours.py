"""Tours in the professions' feature spaces.

A tour's vector in each part is the mean of its professions' unit vectors, renormalised; in the
text part that mean is blended with the tour's own text (OWN_TEXT of it). Because a cosine with
a mean is the mean of the cosines, a query needs only the professions' part scores it already
has: tour score = (members' mean score [blended with own-text score]) / the vector's length,
and those lengths are computed once here. No tour vector is stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.documents import TourDoc
from matching.features import TextSpace

# Share of a tour's own description in its text vector; the rest is its professions' texts.
OWN_TEXT = 0.2
LENGTH_BLOCK = 256
NO_LIMIT = 999


@dataclass
class TourSpace:
    """Tour facts for filtering and explaining, and what scoring tours needs."""

    ids: np.ndarray
    titles: list[str]
    enterprise_slugs: list[str]
    enterprise_names: list[str]
    towns: list[str]
    min_ages: np.ndarray  # 0 when the tour sets no minimum age
    min_grades: np.ndarray  # 0 when the tour sets no minimum grade
    max_ages: np.ndarray  # NO_LIMIT when the tour sets no maximum age
    max_grades: np.ndarray  # NO_LIMIT when the tour sets no maximum grade
    members: list[tuple[int, ...]]  # profession rows of each tour
    mean: sp.csr_matrix  # tours x professions, row t averages tour t's professions
    own_text: TextSpace | None  # the tours' own texts in the professions' text space
    own_share: np.ndarray  # OWN_TEXT, or 1 for a tour without known professions
    lengths: dict[str, np.ndarray]  # per part, the length of each tour's blended vector

    @classmethod
    def build(
        cls,
        tours: Sequence[TourDoc],
        row_of: Mapping[int, int],
        text: TextSpace,
        riasec: np.ndarray,
        subjects: np.ndarray,
        own_text: float = OWN_TEXT,
    ) -> TourSpace:
        """Place ``tours`` among the professions (rows given by ``row_of``)."""
        members = [tuple(row_of[p] for p in t.profession_ids if p in row_of) for t in tours]
        mean = _mean_matrix(members, len(row_of))
        own_share = np.array([own_text if m else 1.0 for m in members], dtype=np.float32)
        own = None
        lengths: dict[str, np.ndarray] = {}
        if tours:
            own_rows = text.transform([t.text for t in tours])
            own = TextSpace(text.vectorizer, own_rows.tocsc())
            lengths["text"] = _text_lengths(mean, text.by_term, own_rows, own_share)
            lengths["riasec"] = np.linalg.norm(mean @ riasec, axis=1)
            lengths["subjects"] = np.linalg.norm(mean @ subjects, axis=1)
        return cls(
            ids=np.array([t.id for t in tours], dtype=np.int64),
            titles=[t.title for t in tours],
            enterprise_slugs=[t.enterprise_slug for t in tours],
            enterprise_names=[t.enterprise_name for t in tours],
            towns=[t.enterprise_town for t in tours],
            min_ages=np.array([t.min_age or 0 for t in tours], dtype=np.int64),
            min_grades=np.array([t.min_grade or 0 for t in tours], dtype=np.int64),
            max_ages=np.array([t.max_age or NO_LIMIT for t in tours], dtype=np.int64),
            max_grades=np.array([t.max_grade or NO_LIMIT for t in tours], dtype=np.int64),
            members=members,
            mean=mean,
            own_text=own,
            own_share=own_share,
            lengths=lengths,
        )

    def part_scores(
        self, part: str, profession_scores: np.ndarray, query_text: sp.csr_matrix | None = None
    ) -> np.ndarray:
        """Cosines of the query with every tour in ``part``, from the professions' cosines
        (and, for the text part, the query's text row)."""
        through_members = self.mean @ profession_scores
        if part == "text" and self.own_text is not None and query_text is not None:
            own = self.own_text.scores(query_text)
            through_members = (1 - self.own_share) * through_members + self.own_share * own
        length = self.lengths[part]
        return np.divide(
            through_members, length, out=np.zeros_like(through_members), where=length > 1e-9
        )

    def open_to(
        self, allowed: Mapping[int, object] | None, age: int | None, grade: int | None = None
    ) -> np.ndarray:
        """A mask of the tours in ``allowed`` (all when None) that admit ``age`` and ``grade``
        (each when known). A tour that sets a grade also carries an age for visitors who give
        only their age (``TourDoc.min_age``); a student's own grade is the stricter test."""
        mask = np.ones(len(self.ids), dtype=bool)
        if allowed is not None:
            keys = np.fromiter(allowed.keys(), dtype=np.int64, count=len(allowed))
            # A lookup table over the id range beats sorting for thousands of ids.
            mask &= np.isin(self.ids, keys, kind="table") if len(keys) else False
        if age is not None:
            mask &= (self.min_ages <= age) & (age <= self.max_ages)
        if grade is not None:
            mask &= (self.min_grades <= grade) & (grade <= self.max_grades)
        return mask


def _mean_matrix(members: Sequence[tuple[int, ...]], professions: int) -> sp.csr_matrix:
    rows, cols, vals = [], [], []
    for t, rows_of_tour in enumerate(members):
        for r in rows_of_tour:
            rows.append(t)
            cols.append(r)
            vals.append(1 / len(rows_of_tour))
    shape = (len(members), professions)
    return sp.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=shape)


def _text_lengths(
    mean: sp.csr_matrix, professions: sp.csc_matrix, own: sp.csr_matrix, own_share: np.ndarray
) -> np.ndarray:
    # Blended text vectors are dense-ish (the union of several professions' terms): build them
    # a block of tours at a time, so that 5,000 tours never sit in memory together.
    lengths = np.zeros(mean.shape[0], dtype=np.float32)
    for start in range(0, mean.shape[0], LENGTH_BLOCK):
        block = slice(start, start + LENGTH_BLOCK)
        share = own_share[block]
        # professions.T is CSR for free: no conversion of the big matrix per block.
        through_members = (professions.T @ mean[block].T).T
        vectors = sp.diags(1 - share) @ through_members + sp.diags(share) @ own[block]
        squares = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
        lengths[block] = np.sqrt(squares)
    return lengths
