"""Offers students may see: vacancies, internships, practice places and target training."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache

from sqlalchemy import Select, bindparam, case, distinct, exists, select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Enterprise, Profession, User, Vacancy, VacancyDelivery
from models.vacancy import VACANCY_KINDS, vacancy_professions
from services.paging import Page, paginate


@dataclass(frozen=True)
class OfferFilters:
    """What the visitor asked for; empty fields filter nothing. Bad values are dropped (and
    named in ``dropped``), never a 500."""

    kind: str = ""
    age: int | None = None
    town: str = ""
    profession: str = ""
    dropped: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """Whether anything filters the list."""
        return bool(self.kind or self.age is not None or self.town or self.profession)

    def query_args(self) -> dict[str, str]:
        """The filters as URL arguments (for the pager)."""
        return {
            k: str(v) for k, v in asdict(self).items() if k != "dropped" and v not in (None, "")
        }


def parse_filters(args: Mapping[str, str]) -> OfferFilters:
    """Filters from the address bar, dropping what cannot be read."""
    dropped = []
    kind = args.get("kind", "")
    if kind and kind not in VACANCY_KINDS:
        dropped.append("kind")
        kind = ""
    age_text, age = args.get("age", ""), None
    if age_text:
        if age_text.isascii() and age_text.isdigit() and 10 <= int(age_text[:3]) <= 99:
            age = int(age_text)
        else:
            dropped.append("age")
    texts = {}
    for name in ("town", "profession"):
        value = " ".join(args.get(name, "").split())
        if len(value) > 100:  # longer than any town or slug: not one of ours
            dropped.append(name)
            value = ""
        texts[name] = value
    return OfferFilters(kind, age, texts["town"], texts["profession"], tuple(dropped))


def listed_vacancies_page(
    page: int,
    per_page: int,
    filters: OfferFilters | None = None,
    student: User | None = None,
    student_age: int | None = None,
) -> Page:
    """One page of listed offers: for a signed-in student only those their age allows, the
    ones sent to them after their visits first; then newest first."""
    filters = filters or OfferFilters()
    query = select(Vacancy).where(Vacancy.is_listed).options(selectinload(Vacancy.enterprise))
    if filters.kind:
        query = query.where(Vacancy.kind == filters.kind)
    if filters.age is not None:
        query = query.where(Vacancy.youngest <= filters.age)
    if filters.town:
        query = query.where(Vacancy.town == filters.town)
    if filters.profession:
        query = query.where(
            exists()
            .where(vacancy_professions.c.vacancy_id == Vacancy.id)
            .where(vacancy_professions.c.profession_id == Profession.id)
            .where(Profession.slug == filters.profession)
        )
    order = [Vacancy.created_at.desc(), Vacancy.id.desc()]
    if student is not None:
        # A student of unknown age sees what adults may take.
        query = query.where(Vacancy.youngest <= (student_age if student_age is not None else 18))
        sent = exists().where(
            VacancyDelivery.vacancy_id == Vacancy.id, VacancyDelivery.student_id == student.id
        )
        order.insert(0, case((sent, 0), else_=1))
    return paginate(query.order_by(*order), page, per_page)


def filter_choices() -> dict[str, list]:
    """Towns and professions that listed offers have, for the filter form."""
    towns = db.session.scalars(
        select(distinct(Vacancy.town))
        .where(Vacancy.is_listed, Vacancy.town != "")
        .order_by(Vacancy.town)
    ).all()
    professions = db.session.execute(
        select(Profession.slug, Profession.title)
        .join(vacancy_professions, vacancy_professions.c.profession_id == Profession.id)
        .join(Vacancy, Vacancy.id == vacancy_professions.c.vacancy_id)
        .where(Vacancy.is_listed)
        .distinct()
        .order_by(Profession.title)
    ).all()
    return {"towns": list(towns), "professions": [tuple(p) for p in professions]}


def listed_offer(offer_id: int) -> Vacancy | None:
    """A listed offer by id (anything else reads as not found)."""
    return db.session.scalar(select(Vacancy).where(Vacancy.id == offer_id, Vacancy.is_listed))


@dataclass(frozen=True)
class OfferLine:
    """A listed offer as a profession's page lists it."""

    id: int
    kind: str
    title: str
    enterprise_name: str


@cache
def _offers_for_profession() -> Select:
    # Built once; the profession and today's date are bound when it runs.
    return (
        select(Vacancy.id, Vacancy.kind, Vacancy.title, Enterprise.name)
        .join(Vacancy.enterprise)
        .join(vacancy_professions, vacancy_professions.c.vacancy_id == Vacancy.id)
        .where(vacancy_professions.c.profession_id == bindparam("profession_id"), Vacancy.is_listed)
        .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
    )


def listed_vacancies_for(profession_id: int) -> list[OfferLine]:
    """Listed offers for one profession, newest first."""
    rows = db.session.execute(_offers_for_profession(), {"profession_id": profession_id})
    return [OfferLine(*row) for row in rows.tuples()]
