"""Reasons are truthful: every subject, word and RIASEC area they name is in the profile."""

from __future__ import annotations

import re

import pytest

from matching import StudentProfile
from matching.eval import PERSONAS, load_personas, persona_profile
from matching.explain import RIASEC_PHRASES, SUBJECT_LABELS, top_areas
from matching.text import normalise
from tests.matching.helpers import riasec

LABEL_TO_CODE = {label: code for code, label in SUBJECT_LABELS.items()}
QUOTED = re.compile(r"«([^»]+)»")


def check_profession_reason(reason: str, profile: StudentProfile, demand: str) -> None:
    if reason.startswith(("вам нравится ", "вам нравятся ")):
        names = reason.split(" ", 2)[2]
        # Labels may hold commas or «и» themselves, so match them greedily from the table.
        found = [label for label in LABEL_TO_CODE if label in names]
        assert found, reason
        rest = names
        for label in sorted(found, key=len, reverse=True):
            rest = rest.replace(label, "")
        assert set(rest) <= set(", и"), f"unknown subject in {reason!r}"
        assert all(LABEL_TO_CODE[label] in profile.subjects for label in found), reason
    elif reason.startswith("вы писали про "):
        words = set(re.findall(r"[0-9a-zа-я-]+", normalise(profile.interests)))
        quoted = QUOTED.findall(reason)
        assert quoted and all(word in words for word in quoted), reason
    elif reason.startswith("совпадает с "):
        letters = re.findall(r"\(([RIASEC])\)", reason)
        assert letters and set(letters) <= set(top_areas(profile.riasec)), reason
        assert all(RIASEC_PHRASES[letter] in reason for letter in letters)
    elif reason == "высокий спрос в регионе":
        assert demand == "high"
    else:
        pytest.fail(f"a reason of unknown kind: {reason!r}")


def check_all(model, profile: StudentProfile) -> int:
    checked = 0
    for match in model.recommend_professions(profile, limit=10):
        for reason in match.reasons:
            check_profession_reason(reason, profile, match.demand)
            checked += 1
    best = {m.title for m in model.recommend_professions(profile, limit=20)}
    for tour in model.recommend_tours(profile, None, limit=5):
        for reason in tour.reasons:
            if reason.startswith("покажут профессии: "):
                names = reason.removeprefix("покажут профессии: ")
                assert set(names.split("; " if ";" in names else ", ")) <= best, reason
            else:
                assert reason.startswith(("ближе всего к вашим ответам: ", "предприятие в городе "))
            checked += 1
    return checked


def test_fixture_reasons_name_only_the_profile(six_model):
    profile = StudentProfile(
        interests="Люблю сварку и варить металл", subjects=("physics", "art"), riasec=riasec(R=0.9)
    )
    welder = six_model.recommend_professions(profile)[0]
    assert welder.slug == "svarshchik"
    assert "вам нравится физика" in welder.reasons
    assert "совпадает с вашим интересом к технике и работе руками (R)" in welder.reasons
    assert any(r.startswith("вы писали про «сварку»") for r in welder.reasons)
    assert check_all(six_model, profile) > 3


def test_no_reason_for_what_the_profile_lacks(six_model):
    match = six_model.recommend_professions(StudentProfile(subjects=("informatics",)))[0]
    assert match.reasons == ["вам нравится информатика"]
    tours = six_model.recommend_tours(StudentProfile(subjects=("biology",)), None)
    hospital = next(t for t in tours if t.id == 15)
    assert hospital.reasons == [
        "покажут профессии: Медицинская сестра",
        "предприятие в городе Владимир",
    ]


@pytest.mark.skipif(not PERSONAS.exists(), reason="matching/eval/personas.yaml not written yet")
def test_persona_reasons_are_truthful(demo_model):
    checked = sum(check_all(demo_model, persona_profile(p)) for p in load_personas())
    assert checked > 500
