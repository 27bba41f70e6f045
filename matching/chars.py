"""Character n-gram TF-IDF, the same features as scikit-learn's ``char_wb`` analyzer, built fast.

``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)`` cuts every word
of every document into n-grams in Python and counts them one by one: about 25 s for 20,000
professions. A catalogue repeats its words, so here each distinct word is cut once and its
n-gram ids are cached; documents are counted with numpy, and scikit-learn's TfidfTransformer
does the weighting. tests/matching/test_chars.py checks that the matrix equals the
TfidfVectorizer's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from matching.text import normalise

NGRAM_RANGE = (3, 5)


def word_grams(word: str, low: int = NGRAM_RANGE[0], high: int = NGRAM_RANGE[1]) -> list[str]:
    """The n-grams of one word padded with spaces, exactly as scikit-learn's char_wb cuts them."""
    padded = f" {word} "
    grams = []
    for n in range(low, high + 1):
        offset = 0
        grams.append(padded[offset : offset + n])
        while offset + n < len(padded):
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:  # a word shorter than n counts once, as in scikit-learn
            break
    return grams


class CharTfidf:
    """A fitted vocabulary of char_wb n-grams and the IDF weights (sublinear tf, L2 rows)."""

    def __init__(self, max_df: float = 1.0, max_df_floor: int = 20):
        # An n-gram is dropped as common when it is in more than max_df of the documents AND in
        # more than max_df_floor of them: a small catalogue keeps all its n-grams.
        self.max_df = max_df
        self.max_df_floor = max_df_floor
        self.vocabulary_: dict[str, int] = {}
        self.transformer = TfidfTransformer(sublinear_tf=True)

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Learn the n-grams and their IDF from ``texts``; return their unit TF-IDF rows."""
        # The texts are read word by word in each pass instead of being held split in memory,
        # and common n-grams are dropped before the count matrix is built: at 20,000
        # professions that keeps the build's peak memory near the size of the result.
        words: set[str] = set()
        for text in texts:
            words.update(normalise(text).split())
        grams_of = {w: word_grams(w) for w in words}
        vocabulary = sorted({g for grams in grams_of.values() for g in grams})
        number = {g: i for i, g in enumerate(vocabulary)}
        ids_of = {w: np.array([number[g] for g in grams]) for w, grams in grams_of.items()}
        del grams_of, number
        keep = self._kept(texts, ids_of, len(vocabulary))
        new_id = np.full(len(vocabulary), -1)
        new_id[keep] = np.arange(len(keep))
        self.vocabulary_ = {vocabulary[old]: new for new, old in enumerate(keep.tolist())}
        ids_of = {w: new_id[ids][new_id[ids] >= 0] for w, ids in ids_of.items()}
        counts = _count(_documents(texts, ids_of), len(texts), len(keep))
        self.transformer.fit(counts)
        return self.transformer.transform(counts, copy=False)

    def _kept(self, texts: Sequence[str], ids_of: dict, columns: int) -> np.ndarray:
        # n-gram ids found in few enough documents to keep (all when nothing can be common).
        limit = max(self.max_df * len(texts), self.max_df_floor)
        if limit >= len(texts):
            return np.arange(columns)
        df = np.zeros(columns, dtype=np.int64)
        for pieces in _documents(texts, ids_of):
            if pieces:
                # Fancy-index += adds once per distinct index: a document frequency, no sort.
                df[np.concatenate(pieces)] += 1
        return np.flatnonzero(df <= limit)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Unit TF-IDF rows of ``texts`` (n-grams unseen at fit time are ignored)."""
        words: set[str] = set()
        for text in texts:
            words.update(normalise(text).split())
        ids_of = {}
        for w in words:
            ids = (self.vocabulary_.get(g) for g in word_grams(w))
            ids_of[w] = np.array([i for i in ids if i is not None], dtype=np.int64)
        counts = _count(_documents(texts, ids_of), len(texts), len(self.vocabulary_))
        return self.transformer.transform(counts, copy=False)


def _documents(texts: Iterable[str], ids_of: dict[str, np.ndarray]) -> Iterator[list[np.ndarray]]:
    for text in texts:
        yield [ids_of[w] for w in normalise(text).split()]


def _count(documents: Iterable[list[np.ndarray]], rows: int, columns: int) -> sp.csr_matrix:
    indptr, indices, data = [0], [], []
    for pieces in documents:
        ids = np.concatenate(pieces) if pieces else np.empty(0, dtype=np.int64)
        unique, counts = np.unique(ids, return_counts=True)
        indices.append(unique)
        data.append(counts)
        indptr.append(indptr[-1] + len(unique))
    return sp.csr_matrix(
        (
            np.concatenate(data).astype(np.float32) if data else np.empty(0, np.float32),
            np.concatenate(indices).astype(np.int32) if indices else np.empty(0, np.int32),
            np.array(indptr, dtype=np.int32),  # int32 all through: 4 bytes per stored value
        ),
        shape=(rows, columns),
    )
