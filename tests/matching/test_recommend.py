"""Professions: each part alone finds the obvious answer; demand, diversity, related, errors."""

from __future__ import annotations

import pytest

from matching import ProfessionDoc, StudentProfile, build_model, quiz_profile_is_flat
from matching.model import DEMAND_BONUS
from tests.matching.helpers import SIX, riasec


def first(model, profile: StudentProfile) -> str:
    return model.recommend_professions(profile, limit=6)[0].slug


@pytest.mark.parametrize("mode", ["char", "lemma"])
def test_text_only_finds_the_welder(mode):
    model = build_model(SIX, [], "six", mode)
    assert first(model, StudentProfile(interests="люблю сваривать металл")) == "svarshchik"


def test_subjects_only_find_the_programmer(six_model):
    profile = StudentProfile(subjects=("informatics", "math"))
    assert first(six_model, profile) == "programmist"


def test_riasec_only_finds_the_nurse(six_model):
    profile = StudentProfile(riasec=riasec(S=0.9, A=0.3, E=0.3))
    assert first(six_model, profile) == "medsestra"


def test_each_part_reported_and_score_in_range(six_model):
    profile = StudentProfile(
        interests="рисую логотипы", subjects=("art",), riasec=riasec(A=0.9), age=15
    )
    matches = six_model.recommend_professions(profile, limit=6)
    assert matches[0].slug == "dizayner"
    assert set(matches[0].parts) == {"text", "riasec", "subjects"}
    assert all(0 <= m.score <= 1 and m.score == round(m.score, 3) for m in matches)
    # The other five share no word, subject or area with the profile: nothing true to say
    # about them, so they are not recommended.
    assert [m.slug for m in matches] == ["dizayner"]


def test_what_cannot_be_explained_is_not_recommended(six_model):
    profile = StudentProfile(subjects=("art", "informatics"), riasec=riasec(A=0.9, I=0.6))
    matches = six_model.recommend_professions(profile, limit=6)
    assert {m.slug for m in matches} == {"dizayner", "programmist"}
    assert all(any(r.kind != "demand" for r in m.reasons) for m in matches)


@pytest.mark.parametrize(
    "profile",
    [
        StudentProfile(),
        StudentProfile(interests="   \n"),
        StudentProfile(riasec={}),
        StudentProfile(age=14),
    ],
)
def test_empty_profile_is_refused(six_model, profile):
    with pytest.raises(ValueError, match="empty"):
        six_model.recommend_professions(profile)
    with pytest.raises(ValueError, match="empty"):
        six_model.recommend_tours(profile, None)


@pytest.mark.parametrize(
    "profile",
    [
        StudentProfile(subjects=("astrology",)),
        StudentProfile(riasec={"R": 1.5}),
        StudentProfile(riasec={"X": 0.5}),
        StudentProfile(riasec={"R": "high"}),
        StudentProfile(riasec={"R": None}),
    ],
)
def test_unreadable_values_are_refused(six_model, profile):
    with pytest.raises(ValueError):
        six_model.recommend_professions(profile)


@pytest.mark.parametrize(
    "profile",
    [
        StudentProfile(riasec={area: 0.5 for area in "RIASEC"}),
        StudentProfile(riasec={"R": 0.54, "I": 0.5, "A": 0.5, "S": 0.5, "E": 0.5, "C": 0.5}),
        StudentProfile(interests="zzzz"),  # unknown to every text
    ],
)
def test_nothing_known_gives_an_empty_answer(six_model, profile):
    assert six_model.recommend_professions(profile) == []
    assert six_model.recommend_tours(profile, None) == []


def test_flat_quiz_answers():
    assert quiz_profile_is_flat({area: 0.5 for area in "RIASEC"})
    assert quiz_profile_is_flat({"R": 0.52, "I": 0.48, "A": 0.5, "S": 0.5, "E": 0.5, "C": 0.5})
    assert quiz_profile_is_flat(None)
    assert not quiz_profile_is_flat({"R": 0.9, "I": 0.5, "A": 0.5, "S": 0.5, "E": 0.5, "C": 0.5})


def _doc(id_: int, slug: str, levels: dict[str, float], demand: str, sphere: str = "s"):
    return ProfessionDoc(id_, slug, slug, sphere, f"{slug} работа", levels, ("math",), demand)


def test_demand_settles_near_equals_only():
    docs = [
        _doc(1, "best-low", riasec(R=0.9), "low", "a"),
        _doc(2, "near-high", riasec(R=0.9, I=0.13), "high", "b"),
        _doc(3, "worse-high", riasec(R=0.6, I=0.5, A=0.4), "high", "c"),
    ]
    model = build_model(docs, [], "demand")
    profile = StudentProfile(riasec=riasec(R=0.9))
    parts = {m.slug: m.parts["riasec"] for m in model.recommend_professions(profile)}
    # The premise: one near-equal (within the bonus), one clearly worse fit.
    assert 0 < parts["best-low"] - parts["near-high"] < DEMAND_BONUS["high"]
    assert parts["best-low"] - parts["worse-high"] > 2 * DEMAND_BONUS["high"]
    ranking = [m.slug for m in model.recommend_professions(profile)]
    assert ranking == ["near-high", "best-low", "worse-high"]


def _metal(id_: int, sphere: str, r: float) -> ProfessionDoc:
    return ProfessionDoc(
        id_, f"p{id_}", f"P{id_}", sphere, "станок деталь", riasec(R=r), ("physics",), "low"
    )


def test_top_five_hold_at_most_two_of_one_sphere():
    docs = [_metal(i, "metalworking", 0.95) for i in range(1, 7)]
    docs += [_metal(i, f"other-{i}", 0.7) for i in range(7, 10)]
    model = build_model(docs, [], "diversity")
    matches = model.recommend_professions(StudentProfile(riasec=riasec(R=0.9)), limit=8)
    spheres = [model.spheres[model.row_of[m.id]] for m in matches]
    assert spheres[:5].count("metalworking") == 2
    assert spheres[5:].count("metalworking") == 3  # the rest still come, after the head
    assert matches[0].score >= matches[2].score  # spreading reorders, scores stay honest


def test_one_sphere_only_fills_the_head_anyway():
    model = build_model([_metal(i, "metalworking", 0.9) for i in range(1, 7)], [], "one")
    matches = model.recommend_professions(StudentProfile(riasec=riasec(R=0.9)), limit=5)
    assert len(matches) == 5


def test_related_professions_exclude_self(six_model, demo_model, demo_docs):
    related = six_model.related_professions(1, limit=6)
    assert 1 not in [m.id for m in related] and len(related) == 5
    welder = next(d for d in demo_docs[0] if d.slug == "svarshchik")
    related = demo_model.related_professions(welder.id)
    assert welder.id not in [m.id for m in related] and len(related) == 6
    with pytest.raises(KeyError):
        six_model.related_professions(999)
