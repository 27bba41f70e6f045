"""Feature spaces shared by professions, tours and profiles: text, RIASEC and subjects.

Every vector is L2-normalised once, so that a dot product is a cosine. RIASEC vectors are
centred on their own mean first: a student who likes everything a little (or a profession that
is middling everywhere) then points nowhere in particular instead of matching everything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from matching.documents import RIASEC, SUBJECTS, StudentProfile, quiz_profile_is_flat
from matching.text import lemmas, make_vectorizer

PARTS = ("text", "riasec", "subjects")
SUBJECT_INDEX = {code: i for i, code in enumerate(SUBJECTS)}
# The first subject of a profession matters most: weights 1, 0.75, 0.6, 0.5, … (1 / (1 + k/3)).
SUBJECT_DECAY = 1 / 3


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1; all-zero rows stay zero."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 1e-9)


def centred_riasec(values: Mapping[str, float]) -> np.ndarray:
    """The six RIASEC levels minus their mean (areas left out count as 0)."""
    vector = np.array([float(values.get(area, 0.0)) for area in RIASEC], dtype=np.float32)
    return vector - vector.mean()


def subject_vector(subjects: Sequence[str], ranked: bool) -> np.ndarray:
    """Multi-hot subjects; with ``ranked``, earlier subjects weigh more."""
    vector = np.zeros(len(SUBJECTS), dtype=np.float32)
    for position, code in enumerate(subjects):
        weight = 1 / (1 + SUBJECT_DECAY * position) if ranked else 1.0
        vector[SUBJECT_INDEX[code]] = max(vector[SUBJECT_INDEX[code]], weight)
    return vector


def check_profile(profile: StudentProfile) -> None:
    """Reject values the model cannot read.

    :raises ValueError: on an empty profile, an unknown subject, an unknown RIASEC area or a
        level outside 0–1.
    """
    if profile.is_empty():
        raise ValueError("the profile is empty: give interests, subjects or RIASEC levels")
    unknown = [s for s in profile.subjects if s not in SUBJECT_INDEX]
    if unknown:
        raise ValueError(f"unknown subject code(s): {', '.join(map(str, unknown))}")
    for area, level in (profile.riasec or {}).items():
        if area not in RIASEC:
            raise ValueError(f"unknown RIASEC area {area!r}")
        if isinstance(level, bool) or not isinstance(level, Real) or not 0 <= level <= 1:
            raise ValueError(f"RIASEC level {area}={level!r} must be a number from 0 to 1")


@dataclass
class TextSpace:
    """A fitted TF-IDF vectorizer with the professions' unit rows, stored by column (CSC):
    a query reads only the posting lists of its own terms."""

    vectorizer: object
    by_term: sp.csc_matrix

    @classmethod
    def fit(cls, texts: Sequence[str], text_mode: str) -> TextSpace:
        """Fit the vectorizer of ``text_mode`` on ``texts``."""
        vectorizer = make_vectorizer(text_mode)
        rows = vectorizer.fit_transform(texts)
        return cls(vectorizer, sp.csc_matrix(rows, dtype=np.float32))

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Unit TF-IDF rows of ``texts`` in this space (all-zero when no term is known)."""
        return sp.csr_matrix(self.vectorizer.transform(texts), dtype=np.float32)

    def row(self, index: int) -> sp.csr_matrix:
        """One stored row. By column storage that is one pass over the row numbers of every
        entry (~4.5 ms at 20,000 professions, memory-bound; scipy's own row slicing of a CSC
        matrix took 10–15 ms); a row copy of the matrix would double its 136 MB."""
        matrix = self.by_term
        positions = np.flatnonzero(matrix.indices == index)
        columns = np.searchsorted(matrix.indptr, positions, side="right") - 1
        return sp.csr_matrix(
            (matrix.data[positions], columns, np.array([0, len(positions)])),
            shape=(1, matrix.shape[1]),
        )

    def scores(self, query: sp.csr_matrix) -> np.ndarray:
        """Cosine of one query row with every stored row."""
        if query.nnz == 0:
            return np.zeros(self.by_term.shape[0], dtype=np.float32)
        return self.by_term[:, query.indices] @ query.data


@dataclass
class LemmaIndex:
    """Which lemmas occur in which profession (for the text reasons), with their spread."""

    vocabulary: dict[str, int]
    rows: sp.csr_matrix
    counts: np.ndarray  # how many professions' texts have the lemma

    @classmethod
    def fit(cls, texts: Sequence[str]) -> LemmaIndex:
        """Index the lemmas of ``texts``."""
        counter = CountVectorizer(analyzer=lemmas, binary=True, dtype=np.int8)
        rows = sp.csr_matrix(counter.fit_transform(texts))
        df = np.bincount(rows.indices, minlength=rows.shape[1])
        return cls(dict(counter.vocabulary_), rows, df.astype(np.int32))

    def shared(self, row: int, columns: np.ndarray) -> np.ndarray:
        """The lemma columns among ``columns`` that occur in profession ``row``."""
        present = self.rows.indices[self.rows.indptr[row] : self.rows.indptr[row + 1]]
        return columns[np.isin(columns, present)]


@dataclass
class ProfileVectors:
    """A profile mapped into the model's spaces; a part is missing when it says nothing."""

    text: sp.csr_matrix | None
    riasec: np.ndarray | None
    subjects: np.ndarray | None


def profile_vectors(profile: StudentProfile, text: TextSpace) -> ProfileVectors:
    """Map a checked profile into the model's spaces."""
    text_row = None
    if profile.interests.strip():
        row = text.transform([profile.interests])
        text_row = row if row.nnz else None
    riasec = None
    # Answers within 0.05 of each other show no preference; scaled up, their noise would.
    if profile.riasec and not quiz_profile_is_flat(profile.riasec):
        centred = centred_riasec(profile.riasec)
        riasec = centred / np.linalg.norm(centred)
    subjects = None
    if profile.subjects:
        vector = subject_vector(profile.subjects, ranked=False)
        subjects = vector / np.linalg.norm(vector)
    return ProfileVectors(text_row, riasec, subjects)
