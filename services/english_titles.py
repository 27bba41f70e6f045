"""English names of professions: the O*NET occupation title of a profession's first O*NET code.

The catalogue is written in Russian; O*NET (CC BY 4.0, ``data/onet/interests.csv``) already names
each occupation a profession was mapped to, so an English reader and an English search ("welder",
"programmer") get a real title with no translation kept by hand. A profession without O*NET
codes has no English title.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import cache
from pathlib import Path

ONET_FILE = Path(__file__).resolve().parents[1] / "data" / "onet" / "interests.csv"


@cache
def onet_titles() -> dict[str, str]:
    """O*NET-SOC code -> occupation title."""
    with ONET_FILE.open(encoding="utf-8") as f:
        return {row["code"]: row["title"] for row in csv.DictReader(f)}


def english_titles(codes: Sequence[str]) -> list[str]:
    """The O*NET titles of the known codes, in the profession's order (all are searched)."""
    titles = onet_titles()
    return [titles[c] for c in codes if c in titles]


def english_title(codes: Sequence[str]) -> str | None:
    """The O*NET title of the first known code (the one shown), or None."""
    return next(iter(english_titles(codes)), None)
