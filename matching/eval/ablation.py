"""``python -m matching.eval.ablation``: which everyday-word entries earn their place.

Each entry of ``data/matching/everyday_words.yaml`` that some tuning persona's text uses is
left out in turn, and the tuning part's blend is scored without it (nDCG@5, then named@3 and
MRR). An entry whose removal scores higher hurts and is printed first; the held-out part is
never read here.
"""

from __future__ import annotations

import yaml

from matching.eval.catalogue_docs import load_catalogue_docs
from matching.eval.graded import TUNING, evaluate_graded, load_graded
from matching.model import build_model
from matching.vocabulary import DEFAULT_PATH, Vocabulary


def _figures(professions, tours, personas, sphere_of, entries) -> tuple[float, float, float]:
    model = build_model(professions, tours, "ablation", vocabulary=Vocabulary.from_entries(entries))
    blend = evaluate_graded(model, personas, sphere_of)["signals"]["blend"]
    return blend["ndcg@5"], blend["named@3"], blend["mrr"]


def main() -> None:
    """Print, per used entry, the tuning figures without it against those with all entries."""
    professions, tours = load_catalogue_docs()
    sphere_of = {p.slug: p.sphere for p in professions}
    personas = load_graded(set(sphere_of), TUNING)
    entries = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    full = Vocabulary.from_entries(entries)
    used = {word for p in personas for word in full.expand(p.get("interests") or "").words}
    base = _figures(professions, tours, personas, sphere_of, entries)
    print(
        f"all {len(entries)} entries: nDCG@5 {base[0]:.3f} named@3 {base[1]:.3f} MRR {base[2]:.3f}"
    )
    rows = []
    for i, entry in enumerate(entries):
        words = {w for w in entry["words"]}
        if not words & used and not any(full.phrases.get(u) == entry["adds"] for u in used):
            continue
        without = _figures(professions, tours, personas, sphere_of, entries[:i] + entries[i + 1 :])
        rows.append((tuple(b - a for a, b in zip(base, without, strict=True)), entry["words"][:3]))
    rows.sort(reverse=True)
    print("| without entry | ΔnDCG@5 | Δnamed@3 | ΔMRR |\n|---|---|---|---|")
    for delta, words in rows:
        print(f"| {', '.join(words)} | {delta[0]:+.3f} | {delta[1]:+.3f} | {delta[2]:+.3f} |")
    print(f"{len(rows)} of {len(entries)} entries are used by the tuning personas")


if __name__ == "__main__":
    main()
