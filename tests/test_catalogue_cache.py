"""Pages keep their catalogue parts rendered per worker; a change made by any worker shows in
every other, and what changes all day (seats) is never kept."""

from __future__ import annotations

import shutil

from sqlalchemy import select

from extensions import db
from models import Profession, TourSession
from services.catalogue_version import CatalogueMemo
from tests.helpers import make_app


def _worker(path, **settings):
    """An app on the shared database file, as one gunicorn worker would be."""
    return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", **settings)


def test_a_change_made_by_one_worker_shows_in_another(seeded_db_file, tmp_path):
    shared = tmp_path / "shared.db"
    shutil.copy(seeded_db_file, shared)
    reader, writer = _worker(shared), _worker(shared)
    with reader.app_context():
        page = reader.test_client().get("/professions/svarshchik").get_data(as_text=True)
        assert "<h1>Сварщик</h1>" in page
        db.session.remove()
    with writer.app_context():
        welder = db.session.scalar(select(Profession).where(Profession.slug == "svarshchik"))
        welder.title = "Сварщик-аргонщик"
        db.session.commit()
        db.session.remove()
    with reader.app_context():
        page = reader.test_client().get("/professions/svarshchik").get_data(as_text=True)
        assert "<h1>Сварщик-аргонщик</h1>" in page
        listing = reader.test_client().get("/professions?q=сварка").get_data(as_text=True)
        assert "Сварщик-аргонщик" in listing
        db.session.remove()
        db.engine.dispose()
    with writer.app_context():
        db.engine.dispose()


def test_another_workers_change_waits_at_most_the_check_interval(seeded_db_file, tmp_path):
    shared = tmp_path / "shared.db"
    shutil.copy(seeded_db_file, shared)
    reader = _worker(shared, CATALOGUE_CHECK_SECONDS=3600.0)
    writer = _worker(shared)
    with reader.app_context():
        assert "<h1>Сварщик</h1>" in reader.test_client().get("/professions/svarshchik").text
        db.session.remove()
    with writer.app_context():
        welder = db.session.scalar(select(Profession).where(Profession.slug == "svarshchik"))
        welder.title = "Сварщик-аргонщик"
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    with reader.app_context():
        # Within the interval the worker has not asked yet: it still shows what it rendered.
        assert "<h1>Сварщик</h1>" in reader.test_client().get("/professions/svarshchik").text
        reader.config["CATALOGUE_CHECK_SECONDS"] = 0.0  # the interval has passed
        assert "Сварщик-аргонщик" in reader.test_client().get("/professions/svarshchik").text
        db.session.remove()
        db.engine.dispose()


def test_seats_are_never_kept(seeded_client, seeded_app):
    session = db.session.scalar(
        select(TourSession).where(TourSession.is_bookable).order_by(TourSession.starts_at)
    )
    page = seeded_client.get(f"/tours/{session.tour_id}").get_data(as_text=True)
    assert f"{session.seats_left} из {session.capacity}" in page
    session.seats_booked += 3
    db.session.commit()
    page = seeded_client.get(f"/tours/{session.tour_id}").get_data(as_text=True)
    assert f"{session.seats_left} из {session.capacity}" in page


def test_the_memo_keeps_the_most_recently_used_values(app):
    memo = CatalogueMemo(max_items=3)
    made = []

    def make(key):
        made.append(key)
        return key.upper()

    for key in ("a", "b", "c", "a", "d"):  # "a" is used again, so "b" is the oldest
        assert memo.get(key, lambda key=key: make(key)) == key.upper()
    assert made == ["a", "b", "c", "d"]
    memo.get("b", lambda: make("b"))
    assert made[-1] == "b"  # it had been dropped
    memo.get("a", lambda: make("a"))
    assert made.count("a") == 1  # still kept
