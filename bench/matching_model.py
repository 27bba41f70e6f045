"""Speed and memory of the matching model: ``python bench/matching_model.py [--mode char|lemma]``.

Prints p50/p95 of recommend_professions and recommend_tours over 200 random profiles, on the
demo catalogue and on a synthetic catalogue of 20,000 professions and 5,000 tours (texts
recombined from the real ones, random RIASEC and subjects), the build time at 20,000 and the
growth of the process's resident memory that the 20,000 model causes (from /proc/self/statm).
Goals: p95 ≤ 5 ms (demo), ≤ 15 ms (20k); build ≤ 10 s; memory < 200 MB. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching import (
    RIASEC,
    SUBJECTS,
    ProfessionDoc,
    StudentActions,
    StudentProfile,
    TourDoc,
    build_model,
)
from matching.eval.catalogue_docs import load_catalogue_docs
from matching.vocabulary import Vocabulary

PROFILES = 200
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\n")


def rss_mb() -> float:
    """Resident memory of this process in MB (second field of /proc/self/statm, in pages)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def synthetic_catalogue(
    real: list[ProfessionDoc], real_tours: list[TourDoc], professions: int, tours: int
) -> tuple[list[ProfessionDoc], list[TourDoc]]:
    """Professions and tours made by recombining sentences of the real ones."""
    rng = random.Random(7)
    sentences = [s for doc in real for s in SENTENCE_RE.split(doc.text) if len(s) > 20]
    tour_sentences = [s for t in real_tours for s in SENTENCE_RE.split(t.text) if len(s) > 20]
    spheres = sorted({doc.sphere for doc in real})
    docs = []
    for i in range(1, professions + 1):
        base = rng.choice(real)
        docs.append(
            ProfessionDoc(
                id=i,
                slug=f"{base.slug}-{i}",
                title=f"{base.title} {i}",
                sphere=rng.choice(spheres),
                text=" ".join([base.title, *rng.sample(sentences, 14)]),
                riasec={a: round(rng.random(), 3) for a in RIASEC},
                subjects=tuple(rng.sample(SUBJECTS, rng.randint(2, 5))),
                demand=rng.choice(("high", "medium", "low")),
            )
        )
    tour_docs = [
        TourDoc(
            id=i,
            title=f"Экскурсия {i}",
            enterprise_slug=f"enterprise-{i % 1500}",
            enterprise_name=f"Предприятие {i % 1500}",
            text=" ".join(rng.sample(tour_sentences, 5)),
            profession_ids=tuple(rng.sample(range(1, professions + 1), rng.randint(2, 7))),
            min_age=rng.choice((None, 12, 14, 16)),
        )
        for i in range(1, tours + 1)
    ]
    return docs, tour_docs


def random_profiles(real: list[ProfessionDoc], count: int) -> list[StudentProfile]:
    """Profiles with some mix of interests (words from real texts), subjects and RIASEC."""
    rng = random.Random(11)
    words = [w for doc in real for w in doc.text.split() if len(w) > 4]
    profiles = []
    while len(profiles) < count:
        profile = StudentProfile(
            interests=" ".join(rng.sample(words, rng.randint(5, 30))) if rng.random() < 0.8 else "",
            subjects=tuple(rng.sample(SUBJECTS, rng.randint(1, 4))) if rng.random() < 0.7 else (),
            riasec={a: round(rng.random(), 2) for a in RIASEC} if rng.random() < 0.7 else None,
            age=rng.randint(12, 18),
        )
        if not profile.is_empty():
            profiles.append(profile)
    return profiles


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(times)
    return (
        ordered[len(ordered) // 2] * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
    )


def time_queries(model, profiles, tour_ids) -> dict[str, tuple[float, float]]:
    """p50/p95 of each call and of both together, per profile, as the site calls them (the
    tours told which professions are listed); then the professions again after one «не
    интересно» on the first of them and after saving the second, each the first time this
    process sees that profession (its near ones worked out) and again (kept): the cost of the
    profile update is the difference from the plain call."""
    allowed = {tour_id: f"session-{tour_id}" for tour_id in tour_ids[::2]}
    model.recommend_professions(profiles[0])  # warm the analyser and caches
    times: dict[str, list[float]] = {
        "recommend_professions": [],
        "recommend_tours": [],
        "both": [],
        "after «не интересно», first time": [],
        "after «не интересно», again": [],
        "after a save, first time": [],
        "update cost, first time (dismiss − plain)": [],
    }
    for profile in profiles:
        start = time.perf_counter()
        listed = model.recommend_professions(profile, limit=10)
        middle = time.perf_counter()
        model.recommend_tours(profile, allowed, limit=5, shown=[m.id for m in listed])
        end = time.perf_counter()
        plain = middle - start
        times["recommend_professions"].append(plain)
        times["recommend_tours"].append(end - middle)
        times["both"].append(end - start)
        if len(listed) < 2:
            continue
        model.__dict__.pop("_similarity_cache", None)  # as a process that never saw these
        dismissed = StudentActions.dismissing(listed[0].id)
        for key in ("after «не интересно», first time", "after «не интересно», again"):
            start = time.perf_counter()
            model.recommend_professions(profile, limit=10, actions=dismissed)
            times[key].append(time.perf_counter() - start)
        times["update cost, first time (dismiss − plain)"].append(
            times["after «не интересно», first time"][-1] - plain
        )
        start = time.perf_counter()
        model.recommend_professions(
            profile, limit=10, actions=StudentActions(toward={listed[1].id: 1.0})
        )
        times["after a save, first time"].append(time.perf_counter() - start)
    return {key: percentiles(values) for key, values in times.items() if values}


LOAD_SCRIPT = """
import gc, os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import matching
def rss():
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
gc.collect()
before, start = rss(), time.perf_counter()
model = matching.load_model(sys.argv[1])
seconds = time.perf_counter() - start
gc.collect()
print(f"{rss() - before:.0f} {seconds:.2f}")
"""


def load_in_fresh_process(path: Path) -> tuple[float, float]:
    """RSS growth (MB) and seconds of load_model in a new process, as a web worker pays them."""
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(path), root],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def time_related(model, count: int = 50) -> tuple[float, float]:
    """p50/p95 of related_professions for ``count`` professions."""
    times = []
    for profession_id in random.Random(3).sample(list(model.row_of), count):
        start = time.perf_counter()
        model.related_professions(profession_id)
        times.append(time.perf_counter() - start)
    return percentiles(times)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="auto", choices=("auto", "char", "lemma"))
    parser.add_argument("--professions", type=int, default=20_000)
    parser.add_argument("--tours", type=int, default=5_000)
    args = parser.parse_args()
    real, real_tours = load_catalogue_docs()
    profiles = random_profiles(real, PROFILES)

    vocabulary = Vocabulary.load()  # as the site builds it
    demo = build_model(real, real_tours, "bench", args.mode, vocabulary=vocabulary)
    rows = [
        (
            "demo",
            len(real),
            len(real_tours),
            time_queries(demo, profiles, [t.id for t in real_tours]),
        )
    ]
    del demo

    big, big_tours = synthetic_catalogue(real, real_tours, args.professions, args.tours)
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    model = build_model(big, big_tours, "bench", args.mode, vocabulary=vocabulary)
    build_seconds = time.perf_counter() - start
    gc.collect()
    growth = rss_mb() - before
    related = time_related(model)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "matching.pkl"
        model.save(path)
        file_mb = path.stat().st_size / 2**20
        loaded_mb, load_seconds = load_in_fresh_process(path)
    rows.append(
        (
            "synthetic",
            len(big),
            len(big_tours),
            time_queries(model, profiles, [t.id for t in big_tours]),
        )
    )

    print(f"text mode: {model.text_mode}; {PROFILES} random profiles; times in ms\n")
    print("| catalogue | professions | tours | call | p50 | p95 |")
    print("|---|---|---|---|---|---|")
    for name, n_prof, n_tours, figures in rows:
        for call, (p50, p95) in figures.items():
            print(f"| {name} | {n_prof} | {n_tours} | {call} | {p50:.2f} | {p95:.2f} |")
    print(f"\nbuild at {len(big)} professions / {len(big_tours)} tours: {build_seconds:.1f} s")
    print(f"resident memory growth of the building process: {growth:.0f} MB")
    print(
        f"a fresh process loading it: +{loaded_mb:.0f} MB resident, {load_seconds:.1f} s "
        f"(file {file_mb:.0f} MB)"
    )
    print(f"related_professions at {len(big)}: p50 {related[0]:.1f} ms, p95 {related[1]:.1f} ms")


if __name__ == "__main__":
    main()
