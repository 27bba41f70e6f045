"""Offline evaluation of the matching model on the demo catalogue and the personas.

For each text mode, and for the blend and each part alone (a persona is scored on that part
only, and skipped when it lacks it): hit@5 (an accepted profession in the top five), MRR (the
reciprocal rank of the first accepted profession in the full ranking), coverage (the share of the
catalogue that appears in some persona's top ten) and n (personas scored). Two tour checks ride
along: the persona tagged ``climate`` must get a tour of the Kirzhach technopark or ИЗТТ among its
top three tours, and the one tagged ``frame-houses`` a tour of «Мобильные дома». Tours also get
hit@3: a top-three tour shows one of the persona's accepted professions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from matching.documents import ProfessionDoc, StudentProfile, TourDoc
from matching.model import MatchingModel, build_model
from matching.text import TEXT_MODES
from matching.vocabulary import Vocabulary

PERSONAS = Path(__file__).with_name("personas.yaml")
VARIANTS = ("blend", "text", "riasec", "subjects")
# The field of a persona that each single-part variant keeps.
VARIANT_FIELD = {"text": "interests", "riasec": "riasec", "subjects": "subjects"}
TOUR_CHECKS = {
    "climate": ("rusklimat-iksel", "iztt-kirzhach"),
    "frame-houses": ("mobilnye-doma",),
}
HIT_AT = 5
COVERAGE_AT = 10
TOUR_CHECK_AT = 3


def load_personas(path: Path = PERSONAS) -> list[dict[str, Any]]:
    """The personas file: a list of {id, age, interests?, subjects?, riasec?, accept, tags?}."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def persona_profile(persona: Mapping[str, Any], variant: str = "blend") -> StudentProfile | None:
    """The persona as a profile, keeping one part for a single-part variant (None if absent)."""
    fields = {
        "interests": persona.get("interests") or "",
        "subjects": tuple(persona.get("subjects") or ()),
        "riasec": persona.get("riasec") or None,
    }
    if variant != "blend":
        kept = VARIANT_FIELD[variant]
        if not fields[kept]:
            return None
        empty = {"interests": "", "subjects": (), "riasec": None}
        fields = {**empty, kept: fields[kept]}
    return StudentProfile(**fields, age=persona.get("age"))


def score_variant(
    model: MatchingModel, personas: Sequence[Mapping[str, Any]], variant: str
) -> dict[str, float]:
    """hit@5, MRR, coverage and n of one variant."""
    hits, reciprocal, seen, n = 0, 0.0, set(), 0
    for persona in personas:
        profile = persona_profile(persona, variant)
        if profile is None:
            continue
        ranking = [m.slug for m in model.recommend_professions(profile, limit=len(model))]
        accepted = set(persona["accept"])
        n += 1
        hits += any(slug in accepted for slug in ranking[:HIT_AT])
        first = next((i for i, slug in enumerate(ranking, start=1) if slug in accepted), None)
        reciprocal += 1 / first if first else 0.0
        seen.update(ranking[:COVERAGE_AT])
    return {
        "hit@5": round(hits / n, 3) if n else 0.0,
        "mrr": round(reciprocal / n, 3) if n else 0.0,
        "coverage": round(len(seen) / len(model), 3),
        "n": n,
    }


def tour_checks(model: MatchingModel, personas: Sequence[Mapping[str, Any]]) -> dict[str, bool]:
    """For each tagged persona, whether an expected enterprise is among its top three tours."""
    result = {}
    for tag, enterprises in TOUR_CHECKS.items():
        tagged = [p for p in personas if tag in (p.get("tags") or ())]
        if not tagged:
            continue
        ok = True
        for persona in tagged:
            tours = model.recommend_tours(persona_profile(persona), None, limit=TOUR_CHECK_AT)
            ok &= any(t.enterprise_slug in enterprises for t in tours)
        result[tag] = ok
    return result


def tour_hits(
    model: MatchingModel, personas: Sequence[Mapping[str, Any]], tours: Sequence[TourDoc]
) -> dict[str, float]:
    """hit@3 of tours: the share of personas whose top three tours (all tours allowed, their
    age) show an accepted profession; ``ceiling`` is the share for which some open tour does."""
    ids = {slug: i for i, slug in zip(model.ids.tolist(), model.slugs, strict=True)}
    shows = {t.id: set(t.profession_ids) for t in tours}
    hits = reachable = 0
    for persona in personas:
        accepted = {ids[slug] for slug in persona["accept"] if slug in ids}
        age = persona.get("age")
        reachable += any(
            shows[t.id] & accepted for t in tours if age is None or (t.min_age or 0) <= age
        )
        found = model.recommend_tours(persona_profile(persona), None, limit=TOUR_CHECK_AT)
        hits += any(shows[t.id] & accepted for t in found)
    n = len(personas) or 1
    return {"hit@3": round(hits / n, 3), "ceiling": round(reachable / n, 3)}


def evaluate(
    professions: Sequence[ProfessionDoc] | None = None,
    tours: Sequence[TourDoc] | None = None,
    personas: Sequence[Mapping[str, Any]] | None = None,
    text_modes: Sequence[str] = TEXT_MODES,
    weights: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Figures per text mode: {mode: {variant: {hit@5, mrr, coverage, n},
    "tours": {hit@3, ceiling}, "checks": {tag: passed}}}.

    Defaults to the demo catalogue in ``data/`` and ``personas.yaml``.
    """
    if professions is None:
        from matching.eval.catalogue_docs import load_catalogue_docs

        professions, tours = load_catalogue_docs()
    personas = load_personas() if personas is None else personas
    result: dict[str, Any] = {}
    for mode in text_modes:
        model = build_model(
            professions, tours or [], "eval", mode, weights=weights, vocabulary=Vocabulary.load()
        )
        figures: dict[str, Any] = {v: score_variant(model, personas, v) for v in VARIANTS}
        figures["tours"] = tour_hits(model, personas, tours or [])
        figures["checks"] = tour_checks(model, personas)
        result[mode] = figures
    return result


def format_table(result: Mapping[str, Any]) -> str:
    """The figures as a Markdown table (one row per text mode and variant), then the checks."""
    lines = ["| text mode | variant | hit@5 | MRR | coverage | n |", "|---|---|---|---|---|---|"]
    for mode, figures in result.items():
        for variant in VARIANTS:
            f = figures[variant]
            lines.append(
                f"| {mode} | {variant} | {f['hit@5']:.3f} | {f['mrr']:.3f} "
                f"| {f['coverage']:.3f} | {f['n']} |"
            )
    lines.append("")
    for mode, figures in result.items():
        tours = figures["tours"]
        lines.append(
            f"tours ({mode}): hit@3 {tours['hit@3']:.3f} "
            f"(ceiling {tours['ceiling']:.3f}: personas some open tour can serve)"
        )
    for mode, figures in result.items():
        checks = ", ".join(
            f"{tag}: {'ok' if ok else 'MISSED'}" for tag, ok in figures["checks"].items()
        )
        lines.append(f"tour checks ({mode}): {checks or 'no tagged personas'}")
    return "\n".join(lines)
