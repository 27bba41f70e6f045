"""Extract O*NET occupational-interest levels into ``interests.csv`` (run from the project root).

    python data/onet/extract.py ../shared/data/onet

O*NET 29.3 Database by USDOL/ETA, CC BY 4.0; this file keeps only the six RIASEC interest
levels (scale OI, 1–7) per occupation, unmodified apart from the layout.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

AREAS = {
    "Realistic": "R",
    "Investigative": "I",
    "Artistic": "A",
    "Social": "S",
    "Enterprising": "E",
    "Conventional": "C",
}


def main(source: Path) -> None:
    """Write data/onet/interests.csv from O*NET's interests.txt."""
    rows: dict[str, dict[str, str]] = {}
    with (source / "interests.txt").open(encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            if rec["Scale ID"] != "OI":
                continue
            row = rows.setdefault(
                rec["O*NET-SOC Code"], {"code": rec["O*NET-SOC Code"], "title": rec["Title"]}
            )
            row[AREAS[rec["Element Name"]]] = rec["Data Value"]
    out = Path(__file__).with_name("interests.csv")
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["code", "title", *AREAS.values()])
        writer.writeheader()
        writer.writerows(rows[c] for c in sorted(rows))
    print(f"{len(rows)} occupations written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/onet"))
