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
