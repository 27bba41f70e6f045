"""One vocabulary for "visible" and "bookable": the same answer in Python and in SQL, and the
pages count and list only what it admits."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from models import Enterprise, TourProgramme, TourSession, Vacancy
from models._common import local_now
from tests.helpers import Factory


def _world():
    """Enterprises, tours, sessions and vacancies in every state that matters."""
    make = Factory()
    public = make.enterprise()
    pending = make.enterprise(moderation_state="pending")
    tours = {
        "listed": make.tour(enterprise=public),
        "pending": make.tour(enterprise=public, moderation_state="pending"),
        "retired": make.tour(enterprise=public, active=False),
        "hidden enterprise": make.tour(enterprise=pending),
    }
    soon = local_now() + timedelta(days=3)
    listed = tours["listed"]
    sessions = {
        "open": make.session(tour=listed, starts_at=soon),
        "full": make.session(tour=listed, starts_at=soon + timedelta(hours=1), seats_booked=20),
        "past": make.session(tour=listed, starts_at=local_now() - timedelta(hours=1)),
        "cancelled": make.session(
            tour=listed, starts_at=soon + timedelta(hours=2), state="cancelled"
        ),
    }
    today = date.today()
    common = {"kind": "internship", "description": "…", "moderation_state": "approved"}
    vacancies = {
        "listed": Vacancy(enterprise=public, title="a", **common),
        "closed": Vacancy(enterprise=public, title="b", is_open=False, **common),
        "expired": Vacancy(
            enterprise=public, title="c", closes_on=today - timedelta(days=1), **common
        ),
        "hidden enterprise": Vacancy(enterprise=pending, title="d", **common),
    }
    db.session.add_all(vacancies.values())
    db.session.commit()
    return tours, sessions, vacancies


def test_python_and_sql_agree_on_every_rule(any_db_app):
    tours, sessions, vacancies = _world()
    in_sql = set(db.session.scalars(select(TourProgramme.id).where(TourProgramme.is_listed)))
    assert in_sql == {t.id for t in tours.values() if t.is_listed} == {tours["listed"].id}
    bookable = set(db.session.scalars(select(TourSession.id).where(TourSession.is_bookable)))
    assert bookable == {s.id for s in sessions.values() if s.is_bookable}
    assert bookable == {sessions["open"].id}
    upcoming = set(db.session.scalars(select(TourSession.id).where(TourSession.is_upcoming)))
    assert upcoming == {sessions["open"].id, sessions["full"].id}
    seats = dict(db.session.execute(select(TourSession.id, TourSession.seats_left)).all())
    assert seats == {s.id: s.seats_left for s in sessions.values()}
    assert seats[sessions["full"].id] == 0
    listed = set(db.session.scalars(select(Vacancy.id).where(Vacancy.is_listed)))
    assert listed == {v.id for v in vacancies.values() if v.is_listed} == {vacancies["listed"].id}
    public = set(db.session.scalars(select(Enterprise.id).where(Enterprise.is_public)))
    assert public == {tours["listed"].enterprise_id}


def test_home_counts_only_what_visitors_can_open(any_db_app):
    _world()
    page = any_db_app.test_client().get("/").get_data(as_text=True)
    assert "1 предприятий, 1 экскурсионных программ" in page


def test_lists_show_only_listed_rows(any_db_app):
    tours, _, vacancies = _world()
    client = any_db_app.test_client()
    page = client.get("/tours").get_data(as_text=True)
    assert tours["listed"].title in page
    assert all(t.title not in page for k, t in tours.items() if k != "listed")
    for key, tour in tours.items():
        assert client.get(f"/tours/{tour.id}").status_code == (200 if key == "listed" else 404)
    offers = client.get("/vacancies").get_data(as_text=True)
    assert f'<a href="/vacancies/{vacancies["listed"].id}">a</a></h2>' in offers
    assert all(f">{v.title}</a></h2>" not in offers for k, v in vacancies.items() if k != "listed")
    for key, offer in vacancies.items():
        assert client.get(f"/vacancies/{offer.id}").status_code == (200 if key == "listed" else 404)


def test_tour_page_lists_upcoming_dates_and_the_home_page_bookable_ones(any_db_app):
    tours, _, _ = _world()
    client = any_db_app.test_client()
    tour_page = client.get(f"/tours/{tours['listed'].id}").get_data(as_text=True)
    assert tour_page.count("<time datetime=") == 2  # open and full; not past, not cancelled
    home = client.get("/").get_data(as_text=True)
    assert home.count("<time datetime=") == 1  # only the one with seats
