"""The filters of the tours list that a counsellor planning a trip needs: dates, place, the
class's grade or age, a profession, free or paid, and seats for a group of N.

A filtered list depends on seats and time, so it is queried live; the unfiltered list stays
in the catalogue cache (``rendering.catalogue_fragment``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, distinct, func, or_, select

from extensions import db
from models import Enterprise, Profession, TourProgramme, TourSession
from models.enterprise import tour_professions
from services.catalogue_version import CatalogueMemo
from services.paging import Page, paginate
from services.visits import listed_tours

MAX_GROUP = 200
MAX_DAYS_AHEAD = 366
PRICES = ("free", "paid")
_choices = CatalogueMemo(max_items=100)


@dataclass(frozen=True)
class TourFilters:
    """What the visitor asked for; empty fields filter nothing. Bad values are dropped (and
    named in ``dropped``), never a 500."""

    date_from: date | None = None
    date_to: date | None = None
    town: str = ""
    district: str = ""
    grade: int | None = None
    age: int | None = None
    profession: str = ""
    price: str = ""
    seats: int | None = None
    dropped: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """Whether anything filters the list."""
        return any(v not in (None, "", ()) for k, v in asdict(self).items() if k != "dropped")

    @property
    def by_sessions(self) -> bool:
        """Whether the list depends on sessions (dates or seats)."""
        return bool(self.date_from or self.date_to or self.seats)

    def query_args(self) -> dict[str, str]:
        """The filters as URL arguments (for the pager and the pushed URL)."""
        return {
            k: (v.isoformat() if isinstance(v, date) else str(v))
            for k, v in asdict(self).items()
            if k != "dropped" and v not in (None, "")
        }


def _whole(args: Mapping[str, str], name: str, low: int, high: int, dropped: list) -> int | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    dropped.append(name)
    return None


def _day(args: Mapping[str, str], name: str, today: date, dropped: list) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        dropped.append(name)
        return None
    if not today - timedelta(days=1) <= value <= today + timedelta(days=MAX_DAYS_AHEAD):
        dropped.append(name)
        return None
    return value


def _text(args: Mapping[str, str], name: str, known: set[str], dropped: list) -> str:
    text = (args.get(name) or "").strip()
    if text and text not in known:
        dropped.append(name)
        return ""
    return text


def parse_filters(args: Mapping[str, str], today: date) -> TourFilters:
    """The filters from the query string; values outside what the site knows are dropped."""
    dropped: list[str] = []
    choices = filter_choices()
    date_from = _day(args, "date_from", today, dropped)
    date_to = _day(args, "date_to", today, dropped)
    if date_from and date_to and date_to < date_from:
        date_from, date_to = date_to, date_from
    return TourFilters(
        date_from=date_from,
        date_to=date_to,
        town=_text(args, "town", set(choices["towns"]), dropped),
        district=_text(args, "district", set(choices["districts"]), dropped),
        grade=_whole(args, "grade", 1, 11, dropped),
        age=_whole(args, "age", 6, 25, dropped),
        profession=_text(args, "profession", {slug for slug, _ in choices["professions"]}, dropped),
        price=_text(args, "price", set(PRICES), dropped),
        seats=_whole(args, "seats", 1, MAX_GROUP, dropped),
        dropped=tuple(dropped),
    )


def filter_choices() -> dict:
    """Towns, districts and professions that listed tours have (kept per catalogue version)."""

    def find() -> dict:
        places = db.session.execute(
            select(distinct(Enterprise.town), Enterprise.district)
            .join(TourProgramme, TourProgramme.enterprise_id == Enterprise.id)
            .where(TourProgramme.is_listed)
        ).all()
        professions = db.session.execute(
            select(distinct(Profession.slug), Profession.title)
            .join(tour_professions, tour_professions.c.profession_id == Profession.id)
            .join(TourProgramme, TourProgramme.id == tour_professions.c.tour_id)
            .where(TourProgramme.is_listed)
            .order_by(Profession.title)
        ).all()
        return {
            "towns": sorted({town for town, _ in places}),
            "districts": sorted({district for _, district in places if district}),
            "professions": [tuple(p) for p in professions],
        }

    return _choices.get(("choices",), find)


def _ages(query: Select, youngest: int, oldest: int) -> Select:
    """Programmes open to someone aged ``youngest``…``oldest`` (refused only when certainly
    outside, as the booking rules do)."""
    return query.where(
        or_(TourProgramme.min_age.is_(None), TourProgramme.min_age <= oldest),
        or_(TourProgramme.max_age.is_(None), TourProgramme.max_age >= youngest),
    )


def _sessions_match(filters: TourFilters):
    """The condition on a session: upcoming, takes bookings, in the dates, with the seats."""
    conditions = [TourSession.tour_id == TourProgramme.id, TourSession.takes_bookings]
    if filters.date_from:
        conditions.append(TourSession.starts_at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min)
        conditions.append(TourSession.starts_at < end)
    if filters.seats:
        conditions.append(TourSession.seats_left >= filters.seats)
    return conditions


def filtered_tours_page(filters: TourFilters, page: int, per_page: int) -> Page:
    """One page of listed tours that pass the filters, by town and title."""
    query = listed_tours()
    if filters.town:
        query = query.where(Enterprise.town == filters.town)
    if filters.district:
        query = query.where(Enterprise.district == filters.district)
    if filters.grade is not None:
        g = filters.grade
        query = query.where(
            or_(TourProgramme.min_grade.is_(None), TourProgramme.min_grade <= g),
            or_(TourProgramme.max_grade.is_(None), TourProgramme.max_grade >= g),
        )
        query = _ages(query, g + 6, g + 7)
    if filters.age is not None:
        query = _ages(query, filters.age, filters.age)
    if filters.profession:
        query = query.where(
            TourProgramme.id.in_(
                select(tour_professions.c.tour_id)
                .join(Profession, Profession.id == tour_professions.c.profession_id)
                .where(Profession.slug == filters.profession)
            )
        )
    if filters.price == "free":
        query = query.where(TourProgramme.price_rub == 0)
    elif filters.price == "paid":
        query = query.where(TourProgramme.price_rub > 0)
    if filters.seats:
        query = query.where(TourProgramme.group_max >= filters.seats)
    if filters.by_sessions:
        query = query.where(select(TourSession.id).where(*_sessions_match(filters)).exists())
    return paginate(query.order_by(Enterprise.town, TourProgramme.title), page, per_page)


def first_matching_sessions(filters: TourFilters, tour_ids: list[int]) -> dict[int, datetime]:
    """Tour id -> the start of its first session that passes the date and seat filters."""
    if not tour_ids or not filters.by_sessions:
        return {}
    rows = db.session.execute(
        select(TourSession.tour_id, func.min(TourSession.starts_at))
        .join(TourProgramme, TourProgramme.id == TourSession.tour_id)
        .where(TourSession.tour_id.in_(tour_ids), *_sessions_match(filters))
        .group_by(TourSession.tour_id)
    )
    return {tour_id: starts_at for tour_id, starts_at in rows}
