"""The graded evaluation: 545 personas written as students write, with must / good / acceptable
professions, split once into a tuning part and a held-out part (see README.md).

A persona's part is fixed by its id alone (a hash, not the order of the files), so adding a
persona never moves another one across the split, and tuning code asks for ``split="tuning"``
and never sees the held-out ids.
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from matching.documents import RIASEC, SUBJECTS, StudentActions, StudentProfile
from matching.model import MatchingModel

PERSONA_DIR = Path(__file__).with_name("personas")
SIGNALS = ("blend", "text", "riasec", "subjects")
SIGNAL_FIELD = {"text": "interests", "riasec": "riasec", "subjects": "subjects"}
GAIN = {"must": 3, "good": 2, "acceptable": 1}
# One persona in three is held out; the hash makes the choice independent of file order.
HELD_OUT_EVERY = 3
HELD_OUT = "held-out"
TUNING = "tuning"
COVERAGE_AT = 10
NAMED_AT = 3
# Answers that tell us nothing: a persona who writes only these has no text signal.
NO_ANSWER = frozenset({"хз", "не знаю", "незнаю", "не знаю пока", "-", "нет"})
FIELDS = {"id", "age", "grade", "interests", "subjects", "riasec", "named"} | set(GAIN)


def split_of(persona_id: str) -> str:
    """``"held-out"`` for one id in three (by SHA-256 of the id), else ``"tuning"``."""
    digest = hashlib.sha256(persona_id.encode("utf-8")).digest()
    return HELD_OUT if int.from_bytes(digest[:4], "big") % HELD_OUT_EVERY == 0 else TUNING


def check_persona(persona: Mapping[str, Any], slugs: set[str]) -> None:
    """Reject a persona the evaluation cannot score honestly.

    :raises ValueError: naming the persona and the problem.
    """
    pid = persona.get("id", "?")
    extra = set(persona) - FIELDS
    graded = [s for grade in GAIN for s in persona.get(grade) or ()]
    problems = [
        f"unknown fields {sorted(extra)}" if extra else "",
        "" if 1 <= len(persona.get("must") or ()) <= 3 else "needs 1–3 must professions",
        "" if len(graded) == len(set(graded)) else "a profession in two grades",
        "" if set(graded) <= slugs else f"unknown slugs {sorted(set(graded) - slugs)}",
        "" if set(persona.get("named") or ()) <= set(persona["must"]) else "named ⊄ must",
        "" if set(persona.get("subjects") or ()) <= set(SUBJECTS) else "unknown subjects",
        "" if not persona.get("riasec") or set(persona["riasec"]) == set(RIASEC) else "riasec",
    ]
    problems = [p for p in problems if p]
    if problems:
        raise ValueError(f"persona {pid}: {'; '.join(problems)}")


def load_graded(
    slugs: set[str], split: str | None = None, folder: Path = PERSONA_DIR
) -> list[dict[str, Any]]:
    """Every persona of ``folder``'s YAML files (checked), or only one part of the split.

    :raises ValueError: for a persona that fails :func:`check_persona` or a repeated id.
    """
    personas: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        personas.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    seen: set[str] = set()
    for persona in personas:
        check_persona(persona, slugs)
        if persona["id"] in seen:
            raise ValueError(f"persona {persona['id']} appears twice")
        seen.add(persona["id"])
    return [p for p in personas if split is None or split_of(p["id"]) == split]


def has_text(persona: Mapping[str, Any]) -> bool:
    """True when the persona wrote something other than «хз»."""
    text = (persona.get("interests") or "").strip().lower()
    return bool(text) and text not in NO_ANSWER


def profile_of(persona: Mapping[str, Any], signal: str = "blend") -> StudentProfile | None:
    """The persona as a profile; a single signal keeps that part only (None when absent)."""
    fields = {
        "interests": (persona.get("interests") or "") if has_text(persona) else "",
        "subjects": tuple(persona.get("subjects") or ()),
        "riasec": persona.get("riasec") or None,
    }
    if signal != "blend":
        kept = SIGNAL_FIELD[signal]
        if not fields[kept]:
            return None
        fields = {"interests": "", "subjects": (), "riasec": None, kept: fields[kept]}
    elif not any(fields.values()):
        return None
    return StudentProfile(**fields, age=persona.get("age"))


def grades_of(persona: Mapping[str, Any]) -> dict[str, int]:
    """Profession slug -> gain (must 3, good 2, acceptable 1)."""
    return {slug: GAIN[g] for g in GAIN for slug in persona.get(g) or ()}


def ndcg(ranking: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    """Normalised discounted cumulative gain of the first ``k`` places."""
    dcg = sum(grades.get(slug, 0) / math.log2(i + 2) for i, slug in enumerate(ranking[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def first_rank(ranking: Sequence[str], wanted: set[str]) -> int | None:
    """1-based place of the first slug of ``wanted`` in ``ranking``."""
    return next((i for i, slug in enumerate(ranking, start=1) if slug in wanted), None)


def persona_figures(
    ranking: Sequence[str], persona: Mapping[str, Any], signal: str = "blend"
) -> dict[str, float]:
    """One persona's figures: a must in the top 3 / 5, 1/rank of the first must, nDCG@5, and
    (for a persona who named a profession, on a signal that reads the text) whether one named
    profession is in the top 3."""
    must = set(persona["must"])
    first = first_rank(ranking, must)
    figures = {
        "hit@3": float(bool(first and first <= 3)),
        "hit@5": float(bool(first and first <= 5)),
        "mrr": 1 / first if first else 0.0,
        "ndcg@5": ndcg(ranking, grades_of(persona)),
    }
    if persona.get("named") and signal in ("blend", "text"):
        figures["named@3"] = float(bool(set(ranking[:NAMED_AT]) & set(persona["named"])))
    return figures


def _mean(rows: Sequence[Mapping[str, float]], key: str) -> float | None:
    values = [r[key] for r in rows if key in r]
    return round(sum(values) / len(values), 3) if values else None


def summarise(rows: Sequence[Mapping[str, float]]) -> dict[str, float | None]:
    """Means of the persona figures, with n (and n_named for named@3)."""
    keys = ("hit@3", "hit@5", "mrr", "ndcg@5", "named@3")
    result: dict[str, float | None] = {key: _mean(rows, key) for key in keys}
    result["n"] = len(rows)
    result["n_named"] = sum("named@3" in r for r in rows)
    return result


def rankings(
    model: MatchingModel, personas: Sequence[Mapping[str, Any]], signal: str
) -> dict[str, list[str]]:
    """Persona id -> the full ranking of professions on one signal (personas without it are
    left out)."""
    result = {}
    for persona in personas:
        profile = profile_of(persona, signal)
        if profile is not None:
            result[persona["id"]] = model.ranked_slugs(profile)
    return result


def evaluate_graded(
    model: MatchingModel,
    personas: Sequence[Mapping[str, Any]],
    sphere_of: Mapping[str, str],
) -> dict[str, Any]:
    """Figures per signal, the catalogue's coverage and a per-sphere table of the blend.

    ``sphere_of`` maps a profession slug to its sphere; a persona belongs to the sphere of its
    first must profession.
    """
    by_id = {p["id"]: p for p in personas}
    result: dict[str, Any] = {"signals": {}, "spheres": {}}
    blend_rows: dict[str, dict[str, float]] = {}
    for signal in SIGNALS:
        ranked = rankings(model, personas, signal)
        rows = {pid: persona_figures(r, by_id[pid], signal) for pid, r in ranked.items()}
        figures = summarise(list(rows.values()))
        seen = {slug for r in ranked.values() for slug in r[:COVERAGE_AT]}
        figures["coverage"] = round(len(seen) / len(model), 3)
        result["signals"][signal] = figures
        if signal == "blend":
            blend_rows = rows
    per_sphere: dict[str, list] = defaultdict(list)
    for pid, row in blend_rows.items():
        per_sphere[sphere_of[by_id[pid]["must"][0]]].append(row)
    result["spheres"] = {s: summarise(rows) for s, rows in sorted(per_sphere.items())}
    result["named_against_quiz"] = named_against_quiz(model, personas, sphere_of)
    result["dismissal"] = dismissal_sessions(model, personas)
    result["saving"] = save_sessions(model, personas)
    return result


def with_other_quiz(
    personas: Sequence[Mapping[str, Any]], sphere_of: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Each persona who named a profession, given the subjects and RIASEC answers of another
    persona of the same list whose main sphere differs (the next one in id order that has
    both): the student who writes «сварка» after a test that pointed at IT. What they wrote
    must still lead."""
    quizzes = sorted(
        (p for p in personas if p.get("subjects") and p.get("riasec")), key=lambda p: p["id"]
    )
    result = []
    for persona in sorted(personas, key=lambda p: p["id"]):
        if not persona.get("named") or not quizzes:
            continue
        sphere = sphere_of[persona["must"][0]]
        start = sum(q["id"] <= persona["id"] for q in quizzes)
        ring = quizzes[start:] + quizzes[:start]
        other = next((q for q in ring if sphere_of[q["must"][0]] != sphere), None)
        if other is not None:
            result.append({**persona, "subjects": other["subjects"], "riasec": other["riasec"]})
    return result


def named_against_quiz(
    model: MatchingModel, personas: Sequence[Mapping[str, Any]], sphere_of: Mapping[str, str]
) -> dict[str, float | None]:
    """named@3 (and n) of :func:`with_other_quiz`'s personas on the blend."""
    rows = [
        persona_figures(model.ranked_slugs(profile_of(p)), p)
        for p in with_other_quiz(personas, sphere_of)
    ]
    return {"named@3": _mean(rows, "named@3"), "n": len(rows)}


def _ranked(model: MatchingModel, personas: Sequence[Mapping[str, Any]]):
    """(persona, profile, the blend's ranking) for each persona with a profile."""
    for persona in personas:
        profile = profile_of(persona)
        if profile is not None:
            yield persona, profile, model.ranked_slugs(profile)


def dismissal_sessions(
    model: MatchingModel, personas: Sequence[Mapping[str, Any]]
) -> dict[str, float | None]:
    """Simulated sessions: a persona whose first recommendation is none of their graded
    professions says «не интересно» to it once. Mean rank of their first *must* profession
    before, after merely removing that one, and after the model's dismissal (which also
    lowers the professions like it); ``improved``/``worse``: share of personas whose must
    profession the dismissal moved up / down compared with mere removal."""
    id_of = dict(zip(model.slugs, model.ids.tolist(), strict=True))
    rows = []
    for persona, profile, ranking in _ranked(model, personas):
        if not ranking or ranking[0] in grades_of(persona):
            continue
        must = set(persona["must"])
        removed = ranking[1:]
        dismissed = model.ranked_slugs(profile, StudentActions.dismissing(id_of[ranking[0]]))
        ranks = [first_rank(r, must) or len(model) for r in (ranking, removed, dismissed)]
        rows.append(ranks)
    if not rows:
        return {"n": 0, "before": None, "removed": None, "dismissed": None}
    n = len(rows)
    return {
        "n": n,
        "before": round(sum(r[0] for r in rows) / n, 2),
        "removed": round(sum(r[1] for r in rows) / n, 2),
        "dismissed": round(sum(r[2] for r in rows) / n, 2),
        "medians": tuple(statistics.median(r[i] for r in rows) for i in range(3)),
        "improved": round(sum(r[2] < r[1] for r in rows) / n, 3),
        "worse": round(sum(r[2] > r[1] for r in rows) / n, 3),
    }


def save_sessions(
    model: MatchingModel, personas: Sequence[Mapping[str, Any]]
) -> dict[str, float | None]:
    """Simulated sessions: a persona saves the first *good* profession of their first ten
    (near what they want, not it). nDCG@5 of the rest of the list (the saved one left out of
    both lists and of the grades) and the mean rank of the first *must* profession, before and
    after the model learns from the save; ``improved``/``worse``: share of personas whose must
    profession moved up / down."""
    id_of = dict(zip(model.slugs, model.ids.tolist(), strict=True))
    rows = []
    for persona, profile, ranking in _ranked(model, personas):
        good = set(persona.get("good") or ())
        saved = next((slug for slug in ranking[:10] if slug in good), None)
        if saved is None:
            continue
        after = model.ranked_slugs(profile, StudentActions(toward={id_of[saved]: 1.0}))
        grades = {k: v for k, v in grades_of(persona).items() if k != saved}
        must = set(persona["must"])
        lists = [[slug for slug in r if slug != saved] for r in (ranking, after)]
        rows.append(
            [first_rank(r, must) or len(model) for r in lists] + [ndcg(r, grades) for r in lists]
        )
    if not rows:
        return {"n": 0}
    n = len(rows)
    return {
        "n": n,
        "before": round(sum(r[0] for r in rows) / n, 2),
        "after": round(sum(r[1] for r in rows) / n, 2),
        "ndcg_before": round(sum(r[2] for r in rows) / n, 3),
        "ndcg_after": round(sum(r[3] for r in rows) / n, 3),
        "improved": round(sum(r[1] < r[0] for r in rows) / n, 3),
        "worse": round(sum(r[1] > r[0] for r in rows) / n, 3),
    }


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_graded(result: Mapping[str, Any], title: str) -> str:
    """The figures as Markdown tables: per signal, then per sphere (blend)."""
    lines = [
        f"{title}",
        "| signal | hit@3 | hit@5 | MRR | nDCG@5 | named@3 | coverage | n |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for signal, f in result["signals"].items():
        lines.append(
            f"| {signal} | {_cell(f['hit@3'])} | {_cell(f['hit@5'])} | {_cell(f['mrr'])} "
            f"| {_cell(f['ndcg@5'])} | {_cell(f['named@3'])} ({f['n_named']}) "
            f"| {_cell(f['coverage'])} | {f['n']} |"
        )
    against = result["named_against_quiz"]
    lines.append(
        f"| blend, named text + another sphere's quiz | | | | | {_cell(against['named@3'])} "
        f"({against['n']}) | | |"
    )
    d = result["dismissal"]
    if d["n"]:
        lines += [
            "",
            f"one «не интересно» on a wrong first answer ({d['n']} personas): mean rank of the "
            f"first must {d['before']} → {d['removed']} removed alone → {d['dismissed']} with "
            f"those like it lowered (medians {' → '.join(f'{m:g}' for m in d['medians'])}); "
            f"better than removal for {d['improved']:.3f}, worse for {d['worse']:.3f}",
        ]
    v = result["saving"]
    if v["n"]:
        lines += [
            "",
            f"one saved profession, a good one from the first ten ({v['n']} personas): mean "
            f"rank of the first must {v['before']} → {v['after']}, nDCG@5 of the rest "
            f"{v['ndcg_before']:.3f} → {v['ndcg_after']:.3f}; must moved up for "
            f"{v['improved']:.3f}, down for {v['worse']:.3f}",
        ]
    lines += ["", "| sphere (blend) | hit@3 | hit@5 | nDCG@5 | n |", "|---|---|---|---|---|"]
    for sphere, f in result["spheres"].items():
        lines.append(
            f"| {sphere} | {_cell(f['hit@3'])} | {_cell(f['hit@5'])} "
            f"| {_cell(f['ndcg@5'])} | {f['n']} |"
        )
    return "\n".join(lines)
