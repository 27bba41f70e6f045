"""The fast char n-gram TF-IDF equals scikit-learn's ``char_wb`` TfidfVectorizer."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.chars import CharTfidf
from matching.text import normalise

QUERIES = ["Люблю сваривать металл!", "ёжик и ель", "", "qwerty 3D-печать, ок", "а"]


@pytest.mark.parametrize("max_df", [1.0, 0.2])
def test_same_matrix_as_scikit_learn(demo_docs, max_df):
    texts = [doc.text for doc in demo_docs[0]]
    ours = CharTfidf(max_df=max_df, max_df_floor=0)
    theirs = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        sublinear_tf=True,
        preprocessor=normalise,
        max_df=max_df,
    )
    our_rows = ours.fit_transform(texts)
    their_rows = theirs.fit_transform(texts)
    assert ours.vocabulary_ == theirs.vocabulary_
    assert np.allclose(our_rows.toarray(), their_rows.toarray(), atol=1e-6)
    assert np.allclose(
        ours.transform(QUERIES).toarray(), theirs.transform(QUERIES).toarray(), atol=1e-6
    )


def test_a_small_catalogue_keeps_every_ngram():
    texts = ["сварка металла", "код программы", "уход за больными"]
    assert len(CharTfidf(max_df=0.2).fit_transform(texts).indices) == len(
        CharTfidf(max_df=1.0).fit_transform(texts).indices
    )
