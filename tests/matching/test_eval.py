"""The evaluation on the real catalogue and personas (a regression floor, not a target)."""

from __future__ import annotations

import pytest

from matching.eval import PERSONAS, evaluate, format_table, persona_profile
from matching.model import DEFAULT_TEXT_MODE
from tests.helpers import REPORTS

PERSONA = {
    "id": "t",
    "age": 15,
    "interests": "Люблю сваривать металл и чинить мопед",
    "subjects": ["physics", "technology"],
    "riasec": {"R": 0.9, "I": 0.4, "A": 0.1, "S": 0.2, "E": 0.2, "C": 0.3},
    "accept": ["svarshchik", "avtomekhanik", "slesar-mekhanosborochnykh-rabot"],
}


def test_persona_variants_keep_one_part():
    text = persona_profile(PERSONA, "text")
    assert text.interests and not text.subjects and text.riasec is None and text.age == 15
    assert persona_profile({**PERSONA, "interests": ""}, "text") is None
    assert persona_profile(PERSONA).subjects == ("physics", "technology")


def test_evaluate_on_own_personas(demo_docs):
    professions, tours = demo_docs
    result = evaluate(professions, tours, [PERSONA], text_modes=("char", "lemma"))
    # Char n-grams tie «сваривать» to «сварка»; lemmas do not, so only char must find it.
    assert result["char"]["blend"] == {"hit@5": 1.0, "mrr": 1.0, "coverage": 0.045, "n": 1}
    for mode in ("char", "lemma"):
        assert set(result[mode]) == {"blend", "text", "riasec", "subjects", "tours", "checks"}
        assert all(result[mode][v]["n"] == 1 for v in ("blend", "text", "riasec", "subjects"))
    assert "| lemma | subjects |" in format_table(result)


@pytest.mark.skipif(not PERSONAS.exists(), reason="matching/eval/personas.yaml not written yet")
def test_real_personas_floor(demo_docs):
    professions, tours = demo_docs
    result = evaluate(professions, tours, text_modes=(DEFAULT_TEXT_MODE,))
    REPORTS.append(("matching evaluation (demo catalogue, personas)", format_table(result)))
    blend = result[DEFAULT_TEXT_MODE]["blend"]
    assert blend["n"] >= 45
    assert blend["hit@5"] >= 0.85


@pytest.fixture(scope="module")
def graded(demo_docs, production_model):
    """The production model (with the everyday-words vocabulary) on both parts of the split."""
    from matching.eval.graded import HELD_OUT, TUNING, evaluate_graded, load_graded

    sphere_of = {p.slug: p.sphere for p in demo_docs[0]}
    return {
        part: evaluate_graded(production_model, load_graded(set(sphere_of), part), sphere_of)
        for part in (TUNING, HELD_OUT)
    }


def test_the_split_is_fixed_by_the_ids_and_keeps_a_third_apart(demo_docs):
    from matching.eval.graded import HELD_OUT, TUNING, load_graded, split_of

    slugs = {p.slug for p in demo_docs[0]}
    everyone = load_graded(slugs)
    held, tuning = load_graded(slugs, HELD_OUT), load_graded(slugs, TUNING)
    assert len(everyone) >= 200 and len(held) + len(tuning) == len(everyone)
    assert 0.25 <= len(held) / len(everyone) <= 0.42
    assert {split_of(p["id"]) for p in held} == {HELD_OUT}
    # Every sphere of the catalogue has personas in the held-out part.
    spheres = {p.sphere for p in demo_docs[0]}
    sphere_of = {p.slug: p.sphere for p in demo_docs[0]}
    assert {sphere_of[p["must"][0]] for p in held} == spheres


def test_graded_floors_on_the_held_out_part(graded):
    """Floors a little under today's figures (matching/eval/README.md): a change that makes
    recommendations worse for students fails here."""
    from matching.eval.graded import HELD_OUT, TUNING, format_graded

    for part in (TUNING, HELD_OUT):
        REPORTS.append(
            (
                f"matching evaluation, graded personas: {part} part",
                format_graded(graded[part], f"{part} part (personas written as students write)"),
            )
        )
    held = graded[HELD_OUT]
    blend = held["signals"]["blend"]
    assert blend["n"] >= 150
    assert blend["hit@3"] >= 0.82 and blend["hit@5"] >= 0.86
    assert blend["ndcg@5"] >= 0.54 and blend["mrr"] >= 0.75
    # What the student named leads: in the top 3 for at least 95 in 100 (the goal),
    # and still for 85 in 100 after another sphere's quiz.
    assert blend["named@3"] >= 0.95 and blend["n_named"] >= 100
    assert held["named_against_quiz"]["named@3"] >= 0.85
    assert blend["coverage"] >= 0.95
    for part in (TUNING, HELD_OUT):
        # One «не интересно» on a wrong first answer raises the must professions; lowering
        # those near it beats removing it alone on the tuning part, where its threshold was
        # chosen (on the held-out part it does not reliably: README, "Doubts").
        dismissal = graded[part]["dismissal"]
        assert dismissal["n"] >= 20
        assert dismissal["dismissed"] < dismissal["before"]
        if part == TUNING:
            assert dismissal["dismissed"] < dismissal["removed"]
        # Saving a near-right profession raises the must ones and the rest of the list.
        saving = graded[part]["saving"]
        assert saving["n"] >= 100
        assert saving["after"] < saving["before"]
        assert saving["ndcg_after"] > saving["ndcg_before"]
        assert saving["improved"] > saving["worse"]
    # The blend beats each signal alone.
    for signal in ("text", "riasec", "subjects"):
        assert blend["ndcg@5"] > held["signals"][signal]["ndcg@5"]


def test_stated_interests_lead_even_against_the_quiz(production_model):
    """The review's case: «сварка» after a test that pointed at IT."""
    from matching import StudentProfile

    model = production_model
    profile = StudentProfile(
        interests="сварка",
        subjects=("math", "informatics", "physics"),
        riasec={"R": 0.5, "I": 0.7, "A": 0.3, "S": 0.3, "E": 0.4, "C": 0.6},
        age=14,
    )
    first = model.recommend_professions(profile, limit=5)[0]
    assert first.slug == "svarshchik"
    assert first.reasons[0].kind == "words" and first.reasons[0].said == ("сварка",)
