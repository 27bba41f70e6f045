"""Reasons are true of the profile: every word, subject and area they name is the student's,
what they met is the profession's own, every recommendation has one, and they tell the
professions apart."""

from __future__ import annotations

import re

import pytest

from matching import Reason, StudentProfile
from matching.eval import PERSONAS, load_personas, persona_profile
from matching.eval.graded import load_graded, profile_of
from matching.explain import top_areas
from matching.text import normalise
from tests.matching.helpers import riasec

PROFILE_KINDS = {"named", "words", "subjects", "areas"}


def _written(profile: StudentProfile) -> set[str]:
    """The words the student wrote, and the parts of a hyphenated one («врачом-педиатром»)."""
    words = set(re.findall(r"[0-9a-zа-я]+(?:-[0-9a-zа-я]+)*", normalise(profile.interests)))
    return words | {part for word in words for part in word.split("-")}


def check_profession(model, profile: StudentProfile, match) -> None:
    row = model.row_of[match.id]
    kinds = [r.kind for r in match.reasons]
    assert PROFILE_KINDS & set(kinds), f"{match.slug}: no reason from the profile {kinds}"
    for reason in match.reasons:
        if reason.kind == "named":  # the student's own words, and this profession's title
            assert reason.said and set(reason.said) <= _written(profile), reason
            assert reason.met == (model.titles[row],), reason
        elif reason.kind == "words":
            assert reason.said and set(reason.said) <= _written(profile), reason
            assert all(line in model.lines[row] for line in reason.met), reason
        elif reason.kind == "subjects":
            assert set(reason.said) <= set(profile.subjects), reason
            assert set(reason.said) <= set(model.subject_codes[row]), reason
            assert all(line in model.lines[row] for line in reason.met), reason
        elif reason.kind == "areas":
            assert reason.said and set(reason.said) <= set(top_areas(profile.riasec)), reason
            assert all(line in model.lines[row] for line in reason.met), reason
        elif reason.kind == "demand":
            assert match.demand == "high"
        else:
            pytest.fail(f"a reason of unknown kind: {reason!r}")


def check_all(model, profile: StudentProfile) -> int:
    checked = 0
    matches = model.recommend_professions(profile, limit=10)
    for match in matches:
        check_profession(model, profile, match)
        checked += len(match.reasons)
    listed = model.recommend_professions(profile, limit=20)
    best = {m.title for m in listed}
    for tour in model.recommend_tours(profile, None, limit=5, shown=[m.id for m in listed]):
        for reason in tour.reasons:
            if reason.kind == "shows":
                assert set(reason.said) <= best, reason
            elif reason.kind == "grade":
                assert reason.said == (str(profile.grade),), reason
                assert profile.grade >= int(reason.met[0])
            elif reason.kind == "age":
                assert reason.said == (str(profile.age),) and profile.age >= int(reason.met[0])
            else:
                assert reason.kind in {"closest", "town"}, reason
            checked += 1
    return checked


def test_fixture_reasons_name_only_the_profile(six_model):
    profile = StudentProfile(
        interests="Люблю сварку и варить металл", subjects=("physics", "art"), riasec=riasec(R=0.9)
    )
    welder = six_model.recommend_professions(profile)[0]
    assert welder.slug == "svarshchik"
    assert Reason("subjects", ("physics",)) in welder.reasons
    assert Reason("areas", ("R",)) in welder.reasons
    words = next(r for r in welder.reasons if r.kind == "words")
    assert "сварку" in words.said and words.met and words.met[0] in six_model.lines[0]
    assert check_all(six_model, profile) > 3


def test_no_reason_for_what_the_profile_lacks(six_model):
    match = six_model.recommend_professions(StudentProfile(subjects=("informatics",)))[0]
    (reason,) = match.reasons
    assert reason.kind == "subjects" and reason.said == ("informatics",)
    assert reason.met == (six_model.lines[1][0],)  # the programmer's own first line
    tours = six_model.recommend_tours(StudentProfile(subjects=("biology",)), None)
    hospital = next(t for t in tours if t.id == 15)
    assert hospital.reasons == [
        Reason("shows", ("Медицинская сестра",)),
        Reason("town", (), ("Владимир",)),
    ]


def test_a_tour_says_it_fits_the_students_grade(demo_model):
    profile = StudentProfile(interests="сварка", age=14, grade=8)
    tours = demo_model.recommend_tours(profile, None, limit=5)
    assert tours
    for tour in tours:
        fits = [r for r in tour.reasons if r.kind == "grade"]
        row = int((demo_model.tours.ids == tour.id).nonzero()[0][0])
        if demo_model.tours.min_grades[row]:
            assert fits and int(fits[0].met[0]) <= 8


@pytest.mark.skipif(not PERSONAS.exists(), reason="matching/eval/personas.yaml not written yet")
def test_persona_reasons_are_true(demo_model):
    checked = sum(check_all(demo_model, persona_profile(p)) for p in load_personas())
    assert checked > 500


def test_graded_personas_reasons_are_true_and_tell_professions_apart(demo_docs, production_model):
    """On all the graded personas, with the vocabulary: every reason true, and the reasons of
    the first five professions differ from one another (not one sentence five times)."""
    model = production_model
    slugs = {p.slug for p in demo_docs[0]}
    repeated = total = 0
    for persona in load_graded(slugs):
        profile = profile_of(persona)
        if profile is None:
            continue
        check_all(model, profile)
        top = model.recommend_professions(profile, limit=5)
        signatures = [
            tuple(top_reason.met + top_reason.said for top_reason in m.reasons) for m in top
        ]
        repeated += len(signatures) - len(set(signatures))
        total += len(signatures)
    assert total > 900
    assert repeated / total < 0.05
