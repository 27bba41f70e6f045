"""``python -m matching.eval``: the graded evaluation (tuning and held-out parts), then the old
60 personas' table for both text modes."""

from matching.eval import evaluate, format_table
from matching.eval.catalogue_docs import load_catalogue_docs
from matching.eval.graded import HELD_OUT, TUNING, evaluate_graded, format_graded, load_graded
from matching.model import DEFAULT_TEXT_MODE, WEIGHTS, build_model
from matching.vocabulary import Vocabulary

if __name__ == "__main__":
    professions, tours = load_catalogue_docs()
    sphere_of = {p.slug: p.sphere for p in professions}
    model = build_model(professions, tours, "eval", vocabulary=Vocabulary.load())
    for part in (TUNING, HELD_OUT):
        personas = load_graded(set(sphere_of), part)
        print(format_graded(evaluate_graded(model, personas, sphere_of), f"{part} part"))
        print()
    print("regression set (the old 60 personas)")
    print(format_table(evaluate(professions, tours)))
    weights = ", ".join(f"{part} {w:.2f}" for part, w in WEIGHTS.items())
    print(f"\ndefault text mode: {DEFAULT_TEXT_MODE}; weights: {weights}")
