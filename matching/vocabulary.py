"""Everyday and teen words in the catalogue's own terms: «паять» adds «пайка электронных плат».

Students write «прогать», «тачки», «майнкрафт»; the professions' texts say «программирование»,
«ремонт автомобилей», «проектирование зданий». The reviewed file
``data/matching/everyday_words.yaml`` maps such words (as written and as lemmas) to an activity
phrase made of the catalogue's words; the model appends the phrases of the words a student used
to what it matches, and reasons still quote the student's own word. Only entries that lifted
the evaluation stay (matching/eval/README.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from matching.text import WORD_RE, lemma, lemmas, normalise

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "matching" / "everyday_words.yaml"


@dataclass(frozen=True)
class Expansion:
    """A student's text with the activity phrases of their everyday words, and which of their
    words brought each added lemma (for the reasons)."""

    text: str
    added: dict[str, str] = field(default_factory=dict)  # added lemma -> the student's word
    words: tuple[str, ...] = ()  # the student's words that the vocabulary knew


@dataclass(frozen=True)
class Vocabulary:
    """Word (lower-case, «е» for «ё», as written or as its lemma) -> activity phrase."""

    phrases: Mapping[str, str]

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> Vocabulary:
        """Read the YAML list of {words, adds, shows}; a missing file is an empty vocabulary."""
        if not path.exists():
            return cls({})
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        return cls.from_entries(entries)

    @property
    def digest(self) -> str:
        """A short hash of the words and phrases: a model knows which vocabulary it holds."""
        items = "\n".join(f"{word}\t{phrase}" for word, phrase in sorted(self.phrases.items()))
        return hashlib.sha256(items.encode("utf-8")).hexdigest()[:12]

    @classmethod
    def from_entries(cls, entries: Sequence[Mapping]) -> Vocabulary:
        """Build from entries {"words": [...], "adds": "..."}."""
        phrases: dict[str, str] = {}
        for entry in entries:
            for word in entry["words"]:
                phrases[normalise(word)] = entry["adds"]
        return cls(phrases)

    def __len__(self) -> int:
        return len(self.phrases)

    def expand(self, text: str) -> Expansion:
        """``text`` plus the phrases of the words in it that the vocabulary knows."""
        if not self.phrases or not text.strip():
            return Expansion(text)
        added: dict[str, str] = {}
        known: list[str] = []
        phrases: list[str] = []
        for match in WORD_RE.finditer(normalise(text)):
            word = match.group()
            phrase = self.phrases.get(word) or self.phrases.get(lemma(word) or "")
            if phrase is None or word in known:
                continue
            known.append(word)
            if phrase not in phrases:
                phrases.append(phrase)
            for normal in lemmas(phrase):
                added.setdefault(normal, word)
        if not phrases:
            return Expansion(text)
        return Expansion(f"{text}\n{'. '.join(phrases)}", added, tuple(known))
