"""Saving and loading: a round trip answers the same; stale or broken files are refused."""

from __future__ import annotations

import pickle

import pytest

from matching import (
    MODEL_VERSION,
    ModelError,
    StaleModelError,
    StudentActions,
    StudentProfile,
    load_model,
)
from matching.store import header

PROFILE = StudentProfile(interests="сварка", subjects=("physics",), riasec={"R": 0.9}, age=15)


def test_round_trip(six_model, tmp_path):
    path = tmp_path / "model" / "matching.pkl"
    six_model.save(path)
    loaded = load_model(path)
    assert loaded.version == MODEL_VERSION and loaded.fingerprint == "six"
    assert loaded.recommend_professions(PROFILE) == six_model.recommend_professions(PROFILE)
    assert loaded.recommend_tours(PROFILE, {12: "x"}) == six_model.recommend_tours(
        PROFILE, {12: "x"}
    )
    assert not list(tmp_path.glob("model/*.tmp"))


def _write(path, head, body=None):
    with path.open("wb") as f:
        pickle.dump(head, f)
        pickle.dump(body, f)


def test_other_model_version_is_stale(tmp_path):
    path = tmp_path / "old.pkl"
    _write(path, {**header("fp"), "version": MODEL_VERSION - 1}, object())
    with pytest.raises(StaleModelError, match="rebuild"):
        load_model(path)


def test_other_scikit_learn_is_stale(tmp_path):
    path = tmp_path / "old.pkl"
    _write(path, {**header("fp"), "sklearn": "0.1"}, object())
    with pytest.raises(StaleModelError):
        load_model(path)


def test_a_file_written_by_other_matching_code_is_stale(tmp_path):
    """Someone changed the model's code and forgot MODEL_VERSION: the file is still rebuilt
    rather than unpickled into objects the new code does not expect."""
    path = tmp_path / "old.pkl"
    _write(path, {**header("fp"), "code": "0" * 12}, object())
    with pytest.raises(StaleModelError, match="code"):
        load_model(path)


def test_missing_damaged_or_foreign_files(tmp_path):
    with pytest.raises(ModelError):
        load_model(tmp_path / "nothing.pkl")
    damaged = tmp_path / "damaged.pkl"
    damaged.write_bytes(b"not a pickle at all")
    with pytest.raises(ModelError):
        load_model(damaged)
    foreign = tmp_path / "foreign.pkl"
    _write(foreign, {"kind": "something-else"})
    with pytest.raises(ModelError):
        load_model(foreign)
    not_a_model = tmp_path / "list.pkl"
    _write(not_a_model, header("fp"), [1, 2, 3])
    with pytest.raises(ModelError, match="not a matching model"):
        load_model(not_a_model)


def test_a_model_that_has_answered_dismissals_saves_without_its_cache(six_model, tmp_path):
    """The similarity cache of «не интересно» is the process's own: answers repeat with it
    warm, and a saved model loads without it."""
    profile = StudentProfile(interests="рисую логотипы и чиню мопед", subjects=("art",))
    first = six_model.recommend_professions(profile, actions=StudentActions.dismissing(4))
    assert [
        m.slug
        for m in six_model.recommend_professions(profile, actions=StudentActions.dismissing(4))
    ] == [m.slug for m in first]
    assert "dizayner" not in [m.slug for m in first]
    six_model.save(tmp_path / "m.pkl")
    loaded = load_model(tmp_path / "m.pkl")
    assert "_similarity_cache" not in vars(loaded)
    assert [
        m.slug for m in loaded.recommend_professions(profile, actions=StudentActions.dismissing(4))
    ] == [m.slug for m in first]
