"""``python -m matching.eval``: print the evaluation table for both text modes."""

from matching.eval import evaluate, format_table
from matching.model import DEFAULT_TEXT_MODE, WEIGHTS

if __name__ == "__main__":
    print(format_table(evaluate()))
    weights = ", ".join(f"{part} {w:.2f}" for part, w in WEIGHTS.items())
    print(f"\ndefault text mode: {DEFAULT_TEXT_MODE}; weights: {weights}")
