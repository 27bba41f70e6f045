"""Profession and tour documents read straight from the demo catalogue in ``data/``.

The app builds its documents from the database; this reader exists so that tests and the
evaluation can use the real catalogue without importing the app. It mirrors the app's RIASEC
derivation: the mean over a profession's O*NET codes of (level - 1) / 6.
"""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from matching.documents import RIASEC, ProfessionDoc, TourDoc

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TEXT_FIELDS = ("summary", "description")
LIST_FIELDS = ("duties", "skills", "tools")


def _onet_interests(data_dir: Path) -> dict[str, dict[str, float]]:
    with (data_dir / "onet" / "interests.csv").open(encoding="utf-8") as f:
        return {
            row["code"]: {a: (float(row[a]) - 1) / 6 for a in RIASEC} for row in csv.DictReader(f)
        }


def _demand(data_dir: Path) -> dict[str, str]:
    result = {}
    for path in sorted((data_dir / "demand").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            result.update({row["profession_slug"]: row["demand"] for row in csv.DictReader(f)})
    return result


def profession_text(item: dict) -> str:
    """Title, summary, description, duties, skills and tools joined into one text."""
    parts = [item["title"], *(item[k] for k in TEXT_FIELDS)]
    for key in LIST_FIELDS:
        parts.extend(item[key])
    return "\n".join(parts)


def load_profession_docs(data_dir: Path = DATA_DIR) -> list[ProfessionDoc]:
    """Every profession of the catalogue, ids 1-based in file order (files sorted by name)."""
    onet, demand = _onet_interests(data_dir), _demand(data_dir)
    items = []
    for path in sorted((data_dir / "professions").glob("*.yaml")):
        items.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    docs = []
    for number, item in enumerate(items, start=1):
        codes = item["onet_codes"]
        riasec = {a: round(sum(onet[c][a] for c in codes) / len(codes), 4) for a in RIASEC}
        docs.append(
            ProfessionDoc(
                id=number,
                slug=item["slug"],
                title=item["title"],
                sphere=item["sphere"],
                text=profession_text(item),
                riasec=riasec,
                subjects=tuple(item["subjects"]),
                demand=demand[item["slug"]],
                lines=(*item["duties"], *item["tools"], *item["skills"]),
            )
        )
    return docs


def load_tour_docs(professions: list[ProfessionDoc], data_dir: Path = DATA_DIR) -> list[TourDoc]:
    """Every tour of the catalogue, ids 1-based in file order."""
    ids = {doc.slug: doc.id for doc in professions}
    enterprises = {
        e["slug"]: e
        for e in yaml.safe_load((data_dir / "enterprises.yaml").read_text(encoding="utf-8"))
    }
    tours = yaml.safe_load((data_dir / "tours.yaml").read_text(encoding="utf-8"))
    docs = []
    for number, item in enumerate(tours, start=1):
        enterprise = enterprises[item["enterprise"]]
        docs.append(
            TourDoc(
                id=number,
                title=item["title"],
                enterprise_slug=item["enterprise"],
                enterprise_name=enterprise["name"],
                text=f"{item['title']}\n{item['description']}",
                profession_ids=tuple(ids[slug] for slug in item["professions"]),
                min_age=item.get("min_age"),
                enterprise_town=enterprise.get("town", ""),
                min_grade=item.get("min_grade"),
                max_age=item.get("max_age"),
                max_grade=item.get("max_grade"),
            )
        )
    return docs


def load_catalogue_docs(data_dir: Path = DATA_DIR) -> tuple[list[ProfessionDoc], list[TourDoc]]:
    """Professions and tours of the demo catalogue."""
    professions = load_profession_docs(data_dir)
    return professions, load_tour_docs(professions, data_dir)
