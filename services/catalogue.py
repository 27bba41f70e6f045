"""Reading and validating the demo catalogue in ``data/`` (no database here).

Every file is checked row by row; the first problem stops the load with
:class:`CatalogueError`, which names the file, the row and the reason.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

import yaml

from models.enterprise import INDUSTRIES
from models.profession import DEMAND_LEVELS, EDUCATION_LEVELS, RIASEC, SUBJECTS
from services.slugs import SLUG_RE

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
QUIZ_CODE_RE = re.compile(r"^[RIASEC]\d{2}$")
DEMAND_COLUMNS = ["profession_slug", "demand", "open_vacancies", "source", "source_date"]


class CatalogueError(ValueError):
    """A bad row in a catalogue file."""

    def __init__(self, file: str, row: int | str, reason: str):
        super().__init__(f"{file}: row {row}: {reason}")
        self.file, self.row, self.reason = file, row, reason


@dataclass
class Catalogue:
    """The validated catalogue: plain dicts keyed by slug, in file order."""

    spheres: list[dict[str, Any]] = field(default_factory=list)
    professions: dict[str, dict[str, Any]] = field(default_factory=dict)
    enterprises: dict[str, dict[str, Any]] = field(default_factory=dict)
    tours: dict[str, dict[str, Any]] = field(default_factory=dict)
    quiz_items: list[dict[str, Any]] = field(default_factory=list)
    schools: list[dict[str, Any]] = field(default_factory=list)


class _Rows:
    """Rows of one YAML list file with their line numbers, for error messages."""

    def __init__(self, path: Path, root: Path):
        self.name = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
        text = path.read_text(encoding="utf-8")
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
            raise CatalogueError(self.name, f"line {line}", f"not valid YAML: {exc}") from None
        if not isinstance(data, list):
            raise CatalogueError(self.name, 0, "the file must hold a YAML list of entries")
        self.items = data
        self.lines = [n.start_mark.line + 1 for n in node.value] if node is not None else []

    def __iter__(self):
        for index, item in enumerate(self.items):
            where = f"{index + 1} (line {self.lines[index]})"
            if not isinstance(item, dict):
                raise CatalogueError(self.name, where, "an entry must be a mapping of fields")
            yield where, item

    def fail(self, where: str, reason: str) -> None:
        raise CatalogueError(self.name, where, reason)


def _require(rows: _Rows, where: str, item: dict, spec: dict[str, type | tuple]) -> None:
    for key, kind in spec.items():
        value = item.get(key)
        if value is None or (isinstance(value, str | list) and not value):
            rows.fail(where, f"field '{key}' is missing or empty")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            rows.fail(where, f"field '{key}' must be {_kind_name(kind)}")


def _kind_name(kind: type | tuple) -> str:
    names = {str: "text", int: "a whole number", list: "a list", dict: "a mapping", bool: "yes/no"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _slug(rows: _Rows, where: str, slug: str, seen: set[str], what: str) -> None:
    if not SLUG_RE.match(slug):
        rows.fail(where, f"{what} slug '{slug}' must be lower-case ASCII letters, digits, hyphens")
    if slug in seen:
        rows.fail(where, f"duplicate {what} slug '{slug}'")
    seen.add(slug)


def _strings(rows: _Rows, where: str, item: dict, key: str) -> None:
    if not all(isinstance(v, str) and v.strip() for v in item[key]):
        rows.fail(where, f"every entry of '{key}' must be non-empty text")


def load_onet_interests(data_dir: Path) -> dict[str, dict[str, float]]:
    """O*NET interest levels (1–7) rescaled to 0–1, keyed by O*NET-SOC code."""
    result = {}
    with (data_dir / "onet" / "interests.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            result[row["code"]] = {a: (float(row[a]) - 1) / 6 for a in RIASEC}
    return result


def riasec_from_onet(codes: list[str], onet: dict[str, dict[str, float]]) -> dict[str, float]:
    """The mean of the O*NET interest profiles of ``codes``, each area in 0–1."""
    return {a: round(sum(onet[c][a] for c in codes) / len(codes), 4) for a in RIASEC}


PROFESSION_FIELDS = {
    "slug": str,
    "title": str,
    "sphere": str,
    "summary": str,
    "description": str,
    "duties": list,
    "skills": list,
    "tools": list,
    "subjects": list,
    "education": list,
    "conditions": str,
    "salary": dict,
    "onet_codes": list,
}


def _load_spheres(data_dir: Path, cat: Catalogue) -> None:
    rows, seen, titles = _Rows(data_dir / "spheres.yaml", data_dir), set(), set()
    for where, item in rows:
        _require(rows, where, item, {"slug": str, "title": str})
        _slug(rows, where, item["slug"], seen, "sphere")
        if item["title"] in titles:
            rows.fail(where, f"duplicate sphere title '{item['title']}'")
        titles.add(item["title"])
        cat.spheres.append(item)


def _check_education(rows: _Rows, where: str, paths: list) -> None:
    for path in paths:
        if not isinstance(path, dict):
            rows.fail(where, "each education path must be a mapping")
        if path.get("level") not in EDUCATION_LEVELS:
            rows.fail(
                where,
                f"education level '{path.get('level')}' is not one of "
                f"{', '.join(EDUCATION_LEVELS)}",
            )
        if not isinstance(path.get("programme"), str) or not path["programme"].strip():
            rows.fail(where, "each education path needs a 'programme'")
        months = path.get("duration_months")
        if not isinstance(months, int) or isinstance(months, bool) or not 0 < months <= 120:
            rows.fail(where, "education 'duration_months' must be a whole number from 1 to 120")
        if not isinstance(path.get("where", []), list):
            rows.fail(where, "education 'where' must be a list of institutions")


def _load_professions(data_dir: Path, cat: Catalogue, onet: dict) -> None:
    spheres = {s["slug"] for s in cat.spheres}
    titles: dict[str, str] = {}
    seen: set[str] = set()
    for path in sorted((data_dir / "professions").glob("*.yaml")):
        rows = _Rows(path, data_dir)
        for where, item in rows:
            _require(rows, where, item, PROFESSION_FIELDS)
            _slug(rows, where, item["slug"], seen, "profession")
            key = item["title"].strip().lower().replace("ё", "е")
            if key in titles:
                rows.fail(where, f"duplicate profession title '{item['title']}'")
            titles[key] = item["slug"]
            if item["sphere"] not in spheres:
                rows.fail(where, f"unknown sphere '{item['sphere']}'")
            for key in ("duties", "skills", "tools"):
                _strings(rows, where, item, key)
            unknown = [s for s in item["subjects"] if s not in SUBJECTS]
            if unknown:
                rows.fail(where, f"unknown subject code(s): {', '.join(map(str, unknown))}")
            _check_education(rows, where, item["education"])
            salary = item["salary"]
            low, high = salary.get("min"), salary.get("max")
            if not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high):
                rows.fail(where, "salary needs whole numbers 'min' ≤ 'max'")
            missing = [c for c in item["onet_codes"] if c not in onet]
            if missing:
                rows.fail(where, f"O*NET code(s) without interest data: {', '.join(missing)}")
            item["riasec"] = riasec_from_onet(item["onet_codes"], onet)
            _check_riasec(rows, where, item["riasec"])
            cat.professions[item["slug"]] = item
    if not cat.professions:
        raise CatalogueError("professions/", 0, "no profession files found")


def _check_riasec(rows: _Rows, where: str, riasec: dict[str, float]) -> None:
    for area in RIASEC:
        if not 0 <= riasec[area] <= 1:
            rows.fail(where, f"RIASEC value {area}={riasec[area]} is outside 0–1")


def _load_demand(data_dir: Path, cat: Catalogue) -> None:
    seen: dict[str, str] = {}
    for path in sorted((data_dir / "demand").glob("*.csv")):
        name = str(path.relative_to(data_dir.parent))
        for number, row in read_demand_csv(path, name):
            slug = row["profession_slug"]
            if slug not in cat.professions:
                raise CatalogueError(name, number, f"unknown profession '{slug}'")
            if slug in seen:
                raise CatalogueError(name, number, f"'{slug}' is listed twice")
            seen[slug] = name
            cat.professions[slug].update(
                demand=row["demand"],
                demand_source=row["source"],
                demand_date=row["source_date"],
                open_vacancies=row["open_vacancies"],
            )
    missing = [slug for slug in cat.professions if slug not in seen]
    if missing:
        raise CatalogueError("demand/", "-", f"no demand row for: {', '.join(missing[:10])}")


def read_demand_csv(path: Path, name: str):
    """Yield ``(row number, parsed row)`` of a demand list CSV (the regional import format).

    :raises CatalogueError: on a missing column or a bad value.
    """
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != DEMAND_COLUMNS:
            raise CatalogueError(name, 1, f"the header must be: {','.join(DEMAND_COLUMNS)}")
        for number, row in enumerate(reader, start=2):
            yield number, parse_demand_row(row, name, number)


def parse_demand_row(row: dict[str, str], name: str, number: int) -> dict[str, Any]:
    """Validate one demand row; return it with typed values."""
    if row.get("demand") not in DEMAND_LEVELS:
        raise CatalogueError(name, number, f"demand must be one of {', '.join(DEMAND_LEVELS)}")
    vacancies = (row.get("open_vacancies") or "").strip()
    if vacancies and not vacancies.isdigit():
        raise CatalogueError(name, number, "open_vacancies must be a whole number or empty")
    if not (row.get("source") or "").strip():
        raise CatalogueError(name, number, "source is required")
    try:
        source_date = date.fromisoformat((row.get("source_date") or "").strip())
    except ValueError:
        raise CatalogueError(name, number, "source_date must be a date like 2026-10-01") from None
    return {
        "profession_slug": (row.get("profession_slug") or "").strip(),
        "demand": row["demand"],
        "open_vacancies": int(vacancies) if vacancies else None,
        "source": row["source"].strip(),
        "source_date": source_date,
    }


ENTERPRISE_FIELDS = {
    "slug": str,
    "name": str,
    "town": str,
    "district": str,
    "industry": str,
    "description": str,
    "professions": list,
    "visiting_rules": str,
}
TOUR_FIELDS = {
    "slug": str,
    "enterprise": str,
    "title": str,
    "description": str,
    "professions": list,
    "duration_minutes": int,
    "group_min": int,
    "group_max": int,
    "adults_per_students": int,
    "safety_rules": list,
    "price_rub": (int,),
    "schedule": dict,
}


def _resolve(rows: _Rows, where: str, slugs: list, known: dict, what: str) -> None:
    unknown = [str(s) for s in slugs if s not in known]
    if unknown:
        rows.fail(where, f"unknown {what}: {', '.join(unknown)}")


def _load_enterprises(data_dir: Path, cat: Catalogue) -> None:
    rows, seen, names = _Rows(data_dir / "enterprises.yaml", data_dir), set(), set()
    for where, item in rows:
        _require(rows, where, item, ENTERPRISE_FIELDS)
        _slug(rows, where, item["slug"], seen, "enterprise")
        if item["name"] in names:
            rows.fail(where, f"duplicate enterprise name '{item['name']}'")
        names.add(item["name"])
        if item["industry"] not in INDUSTRIES:
            rows.fail(where, f"unknown industry '{item['industry']}'")
        _resolve(rows, where, item["professions"], cat.professions, "profession")
        cat.enterprises[item["slug"]] = item
    for where, item in rows:
        parent = item.get("parent")
        if parent is not None and (parent not in cat.enterprises or parent == item["slug"]):
            rows.fail(where, f"unknown parent enterprise '{parent}'")


def _check_ages(rows: _Rows, where: str, item: dict) -> None:
    for key, low, high in (("min_age", 6, 99), ("min_grade", 1, 11)):
        value = item.get(key)
        if value is not None and (not isinstance(value, int) or not low <= value <= high):
            rows.fail(where, f"'{key}' must be a whole number from {low} to {high}")
    if item.get("min_age") is None and item.get("min_grade") is None:
        rows.fail(where, "give 'min_age' or 'min_grade'")


def _check_schedule(rows: _Rows, where: str, schedule: dict) -> None:
    days, times = schedule.get("weekdays"), schedule.get("times")
    if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
        rows.fail(where, f"schedule weekdays must be a list from {', '.join(WEEKDAYS)}")
    if not isinstance(times, list) or not times:
        rows.fail(where, "schedule times must be a list like ['10:00']")
    for value in times:
        try:
            time.fromisoformat(str(value))
        except ValueError:
            rows.fail(where, f"schedule time '{value}' is not HH:MM")


def _load_tours(data_dir: Path, cat: Catalogue) -> None:
    rows, seen = _Rows(data_dir / "tours.yaml", data_dir), set()
    for where, item in rows:
        _require(rows, where, item, {k: v for k, v in TOUR_FIELDS.items() if k != "price_rub"})
        _slug(rows, where, item["slug"], seen, "tour")
        if item["enterprise"] not in cat.enterprises:
            rows.fail(where, f"unknown enterprise '{item['enterprise']}'")
        _resolve(rows, where, item["professions"], cat.professions, "profession")
        _strings(rows, where, item, "safety_rules")
        if not isinstance(item.setdefault("what_to_bring", []), list):
            rows.fail(where, "'what_to_bring' must be a list of texts")
        _strings(rows, where, item, "what_to_bring")
        _check_ages(rows, where, item)
        if not 1 <= item["group_min"] <= item["group_max"]:
            rows.fail(where, "group sizes need 1 ≤ group_min ≤ group_max")
        if item["duration_minutes"] <= 0 or item["adults_per_students"] <= 0:
            rows.fail(where, "duration_minutes and adults_per_students must be positive")
        price = item.get("price_rub", 0)
        if not isinstance(price, int) or price < 0:
            rows.fail(where, "price_rub must be a whole number ≥ 0")
        _check_schedule(rows, where, item["schedule"])
        cat.tours[item["slug"]] = item


def load_quiz_items(data_dir: Path) -> list[dict[str, Any]]:
    """The interest-test statements, validated (the quiz reads them without the database).

    :raises CatalogueError: at the first bad row.
    """
    rows, seen, items = _Rows(data_dir / "quiz_items.yaml", data_dir), set(), []
    for where, item in rows:
        _require(rows, where, item, {"code": str, "area": str, "text": str, "source": str})
        if not QUIZ_CODE_RE.match(item["code"]) or item["code"] in seen:
            rows.fail(where, f"quiz code '{item['code']}' must be unique, like R01")
        seen.add(item["code"])
        if item["area"] not in RIASEC or item["code"][0] != item["area"]:
            rows.fail(where, f"area '{item['area']}' must be one of RIASEC and match the code")
        if not isinstance(item.get("short_form", False), bool):
            rows.fail(where, "short_form must be true or false")
        items.append(item)
    short = Counter(i["area"] for i in items if i.get("short_form"))
    if len(set(short[a] for a in RIASEC)) != 1:
        rows.fail("-", f"the short form must take as many items from each area: {dict(short)}")
    return items


def _load_quiz(data_dir: Path, cat: Catalogue) -> None:
    cat.quiz_items.extend(load_quiz_items(data_dir))


def _load_schools(data_dir: Path, cat: Catalogue) -> None:
    rows = _Rows(data_dir / "schools.yaml", data_dir)
    for where, item in rows:
        _require(rows, where, item, {"name": str, "town": str, "district": str})
        cat.schools.append(item)


def load_catalogue(data_dir: Path) -> Catalogue:
    """Read and validate every catalogue file under ``data_dir``.

    :raises CatalogueError: at the first bad row, naming file, row and reason.
    """
    cat = Catalogue()
    onet = load_onet_interests(data_dir)
    _load_spheres(data_dir, cat)
    _load_professions(data_dir, cat, onet)
    _load_demand(data_dir, cat)
    _load_enterprises(data_dir, cat)
    _load_tours(data_dir, cat)
    _load_quiz(data_dir, cat)
    _load_schools(data_dir, cat)
    return cat
