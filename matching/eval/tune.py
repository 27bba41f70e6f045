"""``python -m matching.eval.tune [--modes char lemma]``: the grid behind the model's defaults.

For each text mode, tour own-text share and text gain, every weight triple on a 0.05 grid
(each part ≥ 0.05) is scored on all personas at once (blend variant). Settings are ranked by
blend hit@5, then tour checks passed, then blend MRR, then tour hit@3. The top of that list is
a broad plateau on the demo catalogue (see matching/eval/README.md): pick from its middle, not
its single best row. Each persona's cosines are computed once per mode; the blend, the demand
lift and the sphere rule are the model's own. Takes a few minutes per mode.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from matching.documents import TourDoc
from matching.eval import HIT_AT, load_personas, persona_profile, tour_checks, tour_hits
from matching.eval.catalogue_docs import load_catalogue_docs
from matching.model import MatchingModel, build_model
from matching.ranking import spread_spheres, top_candidates
from matching.text import TEXT_MODES
from matching.tours import TourSpace

STEP = 0.05
OWN_TEXTS = (0.0, 0.2, 0.4, 0.6)
GAINS = {"char": (5.0, 7.5, 10.0), "lemma": (7.5, 10.0, 15.0)}


def rank_key(f: Mapping[str, float]) -> tuple[float, ...]:
    """Sort key, best first: blend hit@5, tour checks passed, blend MRR, tour hit@3."""
    return (-f["hit@5"], -f["checks"], -f["mrr"], -f["tour_hit@3"])


def weight_grid(step: float = STEP) -> list[dict[str, float]]:
    """Every (text, riasec, subjects) triple on the grid that sums to 1."""
    units = round(1 / step)
    triples = []
    for text, riasec in itertools.product(range(1, units), repeat=2):
        subjects = units - text - riasec
        if subjects >= 1:
            triples.append(
                {"text": text * step, "riasec": riasec * step, "subjects": subjects * step}
            )
    return triples


def grid_figures(
    model: MatchingModel,
    personas: Sequence[Mapping[str, Any]],
    tours: Sequence[TourDoc],
    queries: list,
) -> dict[str, float]:
    """Blend hit@5 and MRR, tour hit@3 and tour checks passed, at the model's current weights."""
    hits = reciprocal = 0.0
    for persona, query in zip(personas, queries, strict=True):
        accepted = {model.row_of[model_id] for model_id in persona["_ids"]}
        scores = model._blend(model._calibrated(query.cosines)) + model.bonus
        ranking = spread_spheres(top_candidates(scores, len(scores)).tolist(), model.spheres)
        first = next((i for i, row in enumerate(ranking, start=1) if row in accepted), None)
        hits += bool(first and first <= HIT_AT)
        reciprocal += 1 / first if first else 0.0
    return {
        "hit@5": hits / len(personas),
        "mrr": reciprocal / len(personas),
        "tour_hit@3": tour_hits(model, personas, tours)["hit@3"],
        "checks": sum(tour_checks(model, personas).values()),
    }


def main() -> None:
    """Print the best settings per text mode."""
    parser = argparse.ArgumentParser(description="weight grid of the matching model")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--step", type=float, default=STEP)
    parser.add_argument("--modes", nargs="+", default=list(TEXT_MODES), choices=TEXT_MODES)
    args = parser.parse_args()
    professions, tours = load_catalogue_docs()
    ids = {doc.slug: doc.id for doc in professions}
    personas = [{**p, "_ids": [ids[s] for s in p["accept"]]} for p in load_personas()]
    for mode in args.modes:
        model = build_model(professions, tours, "tune", mode)
        queries = [model._query(persona_profile(p)) for p in personas]
        rows = []
        for own_text, gain in itertools.product(OWN_TEXTS, GAINS[mode]):
            model.tours = TourSpace.build(
                tours, model.row_of, model.text, model.riasec, model.subjects, own_text
            )
            model.text_gain = gain
            for weights in weight_grid(args.step):
                model.weights = weights
                figures = grid_figures(model, personas, tours, queries)
                rows.append((own_text, gain, weights, figures))
        rows.sort(key=lambda r: rank_key(r[3]))
        print(f"\n{mode}: best {args.top} of {len(rows)} settings")
        print("| own text | gain | text | riasec | subjects | hit@5 | MRR | tour hit@3 | checks |")
        print("|---|---|---|---|---|---|---|---|---|")
        for own_text, gain, w, f in rows[: args.top]:
            print(
                f"| {own_text:.1f} | {gain:.1f} | {w['text']:.2f} | {w['riasec']:.2f} "
                f"| {w['subjects']:.2f} | {f['hit@5']:.3f} | {f['mrr']:.3f} "
                f"| {f['tour_hit@3']:.3f} | {f['checks']}/2 |"
            )
        passing = sum(r[3]["checks"] == 2 for r in rows)
        print(f"settings passing both tour checks: {passing} of {len(rows)}")


if __name__ == "__main__":
    main()
