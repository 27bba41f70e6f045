"""A period of whole months for a statistics page, read from the ``from`` and ``to`` query
arguments (``YYYY-MM``). A value that cannot be read is dropped and named in ``notes``, never a
500; months are the region's local calendar months, as session times are stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask_babel import lazy_gettext as _l

from models._common import REGION_TZ

# The months a period shows unless told: the current one and the eleven before it.
DEFAULT_MONTHS = 12
# The longest period one page shows (a longer one is cut to its last months).
MAX_MONTHS = 36
# The site holds no visits before this year; a year past the next one is a typing error.
MIN_YEAR = 2000
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

NOTES = {
    "from_unreadable": _l(
        "Начало периода не распознано (нужен месяц в виде ГГГГ-ММ, например 2025-09) и не учтено."
    ),
    "to_unreadable": _l(
        "Конец периода не распознан (нужен месяц в виде ГГГГ-ММ, например 2026-05) и не учтён."
    ),
    "swapped": _l("Начало периода было позже конца — месяцы поменяны местами."),
    "shortened": _l("Период длиннее %(n)s месяцев сокращён до последних %(n)s.", n=MAX_MONTHS),
}


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month``'s (before, when negative)."""
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return date(year, index + 1, 1)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def to_utc(local: datetime) -> datetime:
    """A naive local time of the region as the naive UTC moment stored in ``created_at``."""
    return local.replace(tzinfo=REGION_TZ).astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Period:
    """Whole months from ``first`` to ``last`` (each the first day of its month), inclusive."""

    first: date
    last: date
    notes: tuple[str, ...] = ()

    @property
    def months(self) -> list[date]:
        """Every month of the period, in order."""
        return [
            add_months(self.first, n) for n in range(_months_between(self.first, self.last) + 1)
        ]

    @property
    def starts(self) -> datetime:
        """The period's first moment, in local time (compare with session times)."""
        return datetime.combine(self.first, time.min)

    @property
    def ends(self) -> datetime:
        """The first moment after the period, in local time."""
        return datetime.combine(add_months(self.last, 1), time.min)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """(first moment, first moment after) in UTC, to compare with stored timestamps."""
        return to_utc(self.starts), to_utc(self.ends)

    def query_args(self) -> dict[str, str]:
        """The period as URL arguments (for the CSV link and the pushed URL)."""
        return {"from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}"}

    @property
    def messages(self) -> list[str]:
        """What was dropped or changed in the asked period, in the current language."""
        return [str(NOTES[code]) for code in self.notes]


def _month(args: Mapping[str, str], name: str, today: date, notes: list[str]) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    found = _MONTH.fullmatch(text) if len(text) == 7 else None
    if found:
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12 and MIN_YEAR <= year <= today.year + 1:
            return date(year, month, 1)
    notes.append(f"{name}_unreadable")
    return None


def parse_period(args: Mapping[str, str], today: date) -> Period:
    """The period from ``from``/``to``: by default the ``DEFAULT_MONTHS`` months ending with
    the current one; a missing or unreadable end is the current month (or the start, when
    that is later), a missing or unreadable start ``DEFAULT_MONTHS`` months before the end;
    a start after the end is swapped, and a period over ``MAX_MONTHS`` keeps its last ones."""
    notes: list[str] = []
    current = today.replace(day=1)
    first = _month(args, "from", today, notes)
    last = _month(args, "to", today, notes)
    if last is None:
        last = max(current, first) if first else current
    if first is None:
        first = add_months(last, 1 - DEFAULT_MONTHS)
    if first > last:
        first, last = last, first
        notes.append("swapped")
    if _months_between(first, last) >= MAX_MONTHS:
        first = add_months(last, 1 - MAX_MONTHS)
        notes.append("shortened")
    return Period(first, last, tuple(notes))
