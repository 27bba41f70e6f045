"""Profession search with Russian morphology, filters, sorting and paging.

The index is this project's own small inverted index over Snowball stems rather than a search
engine: the catalogue is small, SQLite and PostgreSQL must both work, and the explorer must answer
in a few milliseconds. Each worker builds it from the database once and rebuilds it when the
catalogue version changes (see ``services.catalogue_version``), so workers never disagree for long.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Profession
from models.profession import DEMAND_LEVELS, EDUCATION_LEVELS, RIASEC, SUBJECTS
from services.catalogue_version import catalogue_version

MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 8
SORTS = ("relevance", "demand", "salary", "title")
# Field weights: a hit in the title says far more than one deep in the description.
FIELD_WEIGHTS = {
    "title": 8.0,
    "summary": 3.0,
    "skills": 1.5,
    "duties": 1.5,
    "tools": 1.0,
    "description": 1.0,
}
STOP_WORDS = frozenset(
    "и в во на с со по для о об от до из к ко у за а но или что как это я мне меня мой моя "
    "люблю нравится хочу очень работа работать профессия".split()
)
_WORD_RE = re.compile(r"[0-9a-zа-я]+")
_stemmer = snowballstemmer.stemmer("russian")
_stem_lock = threading.Lock()


def normalise(text: str) -> str:
    """Lower-case and fold ё to е, so that neither case nor ё matters."""
    return text.lower().replace("ё", "е")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of one normalised word (cached: the vocabulary is small)."""
    with _stem_lock:  # the Snowball stemmer object is not thread-safe
        return _stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    """Stems of the words of ``text``, stop-words removed."""
    return [stem(w) for w in _WORD_RE.findall(normalise(text)) if w not in STOP_WORDS]


@dataclass(frozen=True)
class Entry:
    """What a result line shows, kept in memory so that a search needs no ORM objects."""

    id: int
    slug: str
    title: str
    summary: str
    sphere: str
    demand: str
    salary_min: int
    salary_max: int
    education: tuple[str, ...]
    riasec_top: tuple[str, ...]
    subjects: frozenset[str]


@dataclass
class Filters:
    """Validated filters; values the index does not know are collected in ``ignored``."""

    sphere: str = ""
    education: str = ""
    demand: str = ""
    riasec: str = ""
    subjects: tuple[str, ...] = ()
    ignored: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SearchResult:
    """One page of results and what the page needs to say about them."""

    entries: list[Entry]
    total: int
    page: int
    pages: int
    per_page: int
    partial: bool = False  # no profession matched every word: showing those matching some
    clamped: bool = False  # the asked page was past the end

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


class ProfessionIndex:
    """An in-memory inverted index of professions: stem -> {profession id: weight}."""

    def __init__(self, professions: list[Profession], spheres: set[str]):
        self.entries: dict[int, Entry] = {}
        self.spheres = spheres
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for p in professions:
            self.entries[p.id] = _entry(p)
            for field_name, weight in FIELD_WEIGHTS.items():
                value = getattr(p, field_name)
                text = " ".join(value) if isinstance(value, list) else value
                for s in tokens(text):
                    if postings[s].get(p.id, 0) < weight:
                        postings[s][p.id] = weight
        self.postings = dict(postings)
        self.vocabulary = sorted(self.postings)
        self.by_title = sorted(self.entries.values(), key=lambda e: e.title)

    def _matching_stems(self, s: str) -> list[str]:
        """Vocabulary stems a query stem matches: a shared root of at least four letters.

        «сварка» (stem «сварк») and «сварщика» (stem «сварщик») share the root «свар», so the
        root is the stem less its last letter, but never shorter than four letters. Shorter query
        stems («дет») must match a stem exactly, or they would find «деталь» for «дети».
        """
        if len(s) < 4:
            return [s] if s in self.postings else []
        root = s[: max(4, len(s) - 1)]
        start = bisect.bisect_left(self.vocabulary, root)
        end = bisect.bisect_left(self.vocabulary, root + "\uffff")
        return self.vocabulary[start:end]

    def score(self, query: str) -> tuple[dict[int, float], bool]:
        """Scores of professions matching the query; ``partial`` when not all words matched."""
        words = tokens(query[:MAX_QUERY_CHARS])[:MAX_QUERY_TOKENS]
        if not words:
            return {}, False
        per_word: list[dict[int, float]] = []
        for s in words:
            hits: dict[int, float] = {}
            for vocab in self._matching_stems(s):
                exact = 1.0 if vocab == s else 0.8
                for pid, weight in self.postings[vocab].items():
                    hits[pid] = max(hits.get(pid, 0.0), weight * exact)
            per_word.append(hits)
        common = set.intersection(*(set(h) for h in per_word))
        partial = not common
        ids = set().union(*(set(h) for h in per_word)) if partial else common
        return {pid: sum(h.get(pid, 0.0) for h in per_word) for pid in ids}, partial

    def parse_filters(self, args) -> Filters:
        """Read filters from request arguments, setting aside values that are not known."""
        f = Filters()
        for name, allowed in (("sphere", self.spheres), ("education", EDUCATION_LEVELS),
                              ("demand", DEMAND_LEVELS), ("riasec", RIASEC)):  # fmt: skip
            value = args.get(name, "").strip()
            if value and value in allowed:
                setattr(f, name, value)
            elif value:
                f.ignored.append((name, value[:40]))
        subjects = []
        for value in args.getlist("subject"):
            if value in SUBJECTS:
                subjects.append(value)
            elif value:
                f.ignored.append(("subject", value[:40]))
        f.subjects = tuple(dict.fromkeys(subjects))
        return f

    def _passes(self, e: Entry, f: Filters) -> bool:
        return (
            (not f.sphere or e.sphere == f.sphere)
            and (not f.education or f.education in e.education)
            and (not f.demand or e.demand == f.demand)
            and (not f.riasec or f.riasec in e.riasec_top)
            and all(s in e.subjects for s in f.subjects)
        )

    def search(
        self, query: str, filters: Filters, sort: str, page: int, per_page: int
    ) -> SearchResult:
        """Matching professions, filtered and sorted, one page of them."""
        if query.strip():
            scores, partial = self.score(query)
            candidates = [self.entries[pid] for pid in scores]
        else:
            scores, partial, candidates = {}, False, self.by_title
        found = [e for e in candidates if self._passes(e, filters)]
        found.sort(key=_sort_key(sort if sort in SORTS else "relevance", scores))
        pages = max(1, -(-len(found) // per_page))
        clamped = page > pages
        page = min(max(page, 1), pages)
        start = (page - 1) * per_page
        return SearchResult(found[start : start + per_page], len(found), page, pages, per_page,
                            partial=partial and bool(found), clamped=clamped)  # fmt: skip


def _sort_key(sort: str, scores: dict[int, float]):
    demand_rank = {"high": 0, "medium": 1, "low": 2}
    if sort == "demand":
        return lambda e: (demand_rank[e.demand], -scores.get(e.id, 0), e.title)
    if sort == "salary":
        return lambda e: (-e.salary_max, -e.salary_min, e.title)
    if sort == "title" or not scores:
        return lambda e: e.title
    return lambda e: (-scores.get(e.id, 0), demand_rank[e.demand], e.title)


def _entry(p: Profession) -> Entry:
    riasec = p.riasec
    top = tuple(sorted(riasec, key=riasec.get, reverse=True)[:2])
    return Entry(
        id=p.id, slug=p.slug, title=p.title, summary=p.summary, sphere=p.sphere.slug,
        demand=p.demand, salary_min=p.salary_min, salary_max=p.salary_max,
        education=tuple(p.education_levels), riasec_top=top, subjects=frozenset(p.subjects),
    )  # fmt: skip


_cache: dict[str, tuple[str, ProfessionIndex]] = {}
_cache_lock = threading.Lock()


def build_index() -> ProfessionIndex:
    """Build the index from the database."""
    from models import Sphere

    professions = db.session.scalars(
        select(Profession).options(
            selectinload(Profession.education_paths), selectinload(Profession.sphere)
        )
    ).all()
    spheres = set(db.session.scalars(select(Sphere.slug)))
    return ProfessionIndex(list(professions), spheres)


def current_index() -> ProfessionIndex:
    """This worker's index, rebuilt when the catalogue version moved on."""
    key = str(db.engine.url)
    version = catalogue_version()
    cached = _cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _cache_lock:
        cached = _cache.get(key)
        if cached is None or cached[0] != version:
            cached = (version, build_index())
            _cache[key] = cached
    return cached[1]
