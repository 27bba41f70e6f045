"""An enterprise's tour programmes: a new one waits for regional staff, an edit of a pending one
applies at once and of a live one waits as a revision (the public page keeps the approved
text), retiring stops showing it unless sessions still have bookings, and hostile input is a
422 with nothing written. Another enterprise's programme is not found. SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, Revision, TourProgramme
from models._common import local_now
from services import booking as booking_service
from tests.helpers import AuthActions, Factory

VALID = {
    "title": "Как делают котлы: от листа стали до испытаний",
    "description": "Группа проходит по цеху, видит раскрой, сварку и испытание котла водой.",
    "duration_minutes": "90",
    "min_age": "12",
    "max_age": "17",
    "min_grade": "7",
    "max_grade": "11",
    "group_min": "5",
    "group_max": "20",
    "adults_per_students": "10",
    "price_rub": "0",
    "safety_rules": "Закрытая обувь\n\n  Не отставать   от группы  \n",
    "what_to_bring": "Блокнот",
    "accessibility": "Много лестниц.",
    "meeting_point": "Проходная № 2",
    "booking_cutoff_hours": "24",
    "cancel_cutoff_hours": "2",
}


@pytest.fixture
def make(any_db_app):
    return Factory()


@pytest.fixture
def plant(any_db_app, make):
    """An enterprise, its employer signed in, two professions and one live programme."""
    enterprise = make.enterprise(name="Котельный завод")
    employer = make.employer(enterprise)
    welder = make.profession(title="Сварщик")
    fitter = make.profession(title="Слесарь-сборщик")
    live = make.tour(enterprise=enterprise, title="Старое название", professions=[welder])
    client = any_db_app.test_client()
    AuthActions(client).login(employer)
    return {
        "app": any_db_app,
        "client": client,
        "enterprise": enterprise,
        "employer": employer,
        "welder": welder,
        "fitter": fitter,
        "live": live,
    }


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _fresh(programme: TourProgramme) -> TourProgramme:
    db.session.expire_all()
    return db.session.get(TourProgramme, programme.id)


def _written() -> tuple:
    """Rows a refused request must not add, and the live programme's text."""
    db.session.expire_all()
    titles = sorted(db.session.scalars(select(TourProgramme.title)))
    return _count(TourProgramme), _count(Revision), _count(AuditEntry), titles


# --- creating ----------------------------------------------------------------------------------


def test_a_new_programme_waits_for_the_coordinator(plant):
    client = plant["client"]
    data = VALID | {"professions": [str(plant["welder"].id), str(plant["fitter"].id)]}
    response = client.post("/employer/programmes/new", data=data)
    assert response.status_code == 303 and response.location.endswith("/employer/programmes")
    programme = db.session.scalar(
        select(TourProgramme).where(TourProgramme.title == VALID["title"])
    )
    assert programme.moderation_state == "pending" and programme.active
    assert programme.enterprise_id == plant["enterprise"].id
    assert programme.slug == "kak-delayut-kotly-ot-lista-stali-do-ispytaniy"
    assert programme.safety_rules == ["Закрытая обувь", "Не отставать от группы"]
    assert programme.what_to_bring == ["Блокнот"] and programme.meeting_point == "Проходная № 2"
    assert (programme.min_grade, programme.max_grade, programme.booking_cutoff_hours) == (7, 11, 24)
    assert {p.title for p in programme.professions} == {"Сварщик", "Слесарь-сборщик"}
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_id == programme.id))
        == "programme.create"
    )
    listing = client.get("/employer/programmes").get_data(as_text=True)
    assert VALID["title"] in listing and "на проверке" in listing
    assert client.get(f"/tours/{programme.id}").status_code == 404  # not public yet
    # The same title again gets a slug of its own.
    client.post("/employer/programmes/new", data=VALID)
    slugs = db.session.scalars(
        select(TourProgramme.slug).where(TourProgramme.title == VALID["title"])
    ).all()
    assert len(set(slugs)) == 2


def test_the_pages_as_pages_and_as_fragments(plant):
    client, live = plant["client"], plant["live"]
    for path in (
        "/employer/programmes",
        "/employer/programmes/new",
        f"/employer/programmes/{live.id}/edit",
    ):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(path, headers=headers)
            page = response.get_data(as_text=True)
            assert response.status_code == 200 and "HX-Request" in response.headers["Vary"], path
            assert ("<html" in page) is not bool(headers), path
    form = client.get("/employer/programmes/new").get_data(as_text=True)
    assert "Сварщик" in form and 'data-choice-filter="#professions-box"' in form
    assert 'name="professions"' in form and "<details" in form
    listing = client.get("/employer/programmes").get_data(as_text=True)
    assert "Старое название" in listing and "опубликована" in listing


# --- editing -----------------------------------------------------------------------------------


def test_an_edit_of_a_pending_programme_applies_at_once(plant, make):
    client = plant["client"]
    pending = make.tour(enterprise=plant["enterprise"], moderation_state="pending")
    data = VALID | {"title": "Новое название", "professions": [str(plant["fitter"].id)]}
    response = client.post(f"/employer/programmes/{pending.id}/edit", data=data)
    assert response.status_code == 303
    pending = _fresh(pending)
    assert pending.title == "Новое название" and pending.duration_minutes == 90
    assert [p.title for p in pending.professions] == ["Слесарь-сборщик"]
    assert pending.moderation_state == "pending" and _count(Revision) == 0


def test_a_sent_back_programme_goes_back_to_the_queue_when_edited(plant, make):
    rejected = make.tour(enterprise=plant["enterprise"], moderation_state="rejected")
    listing = plant["client"].get("/employer/programmes").get_data(as_text=True)
    assert "отклонена" in listing
    plant["client"].post(f"/employer/programmes/{rejected.id}/edit", data=VALID)
    rejected = _fresh(rejected)
    assert rejected.title == VALID["title"] and rejected.moderation_state == "pending"


def test_an_edit_of_a_live_programme_waits_and_the_public_page_keeps_the_old_text(plant):
    client, live = plant["client"], plant["live"]
    data = VALID | {"title": "Новое название", "professions": [str(plant["fitter"].id)]}
    response = client.post(f"/employer/programmes/{live.id}/edit", data=data)
    assert response.status_code == 303
    revision = db.session.scalar(select(Revision))
    assert revision.target == "programme" and revision.target_id == live.id
    assert revision.fields["title"] == "Новое название"
    assert revision.fields["safety_rules"] == ["Закрытая обувь", "Не отставать от группы"]
    live = _fresh(live)
    assert live.title == "Старое название" and live.moderation_state == "approved"
    assert [p.title for p in live.professions] == ["Сварщик"]  # the coordinator's, once live
    public = client.get(f"/tours/{live.id}").get_data(as_text=True)
    assert "Старое название" in public and "Новое название" not in public
    listing = client.get("/employer/programmes").get_data(as_text=True)
    assert "изменения на проверке" in listing
    # A second edit starts from the waiting one, and replaces it.
    form = client.get(f"/employer/programmes/{live.id}/edit").get_data(as_text=True)
    assert 'value="Новое название"' in form and "после проверки" in form
    client.post(f"/employer/programmes/{live.id}/edit", data=data | {"title": "Третье название"})
    assert _count(Revision) == 1
    assert db.session.scalar(select(Revision)).fields["title"] == "Третье название"


# --- retiring ----------------------------------------------------------------------------------


def test_retire_and_restore(plant):
    client, live = plant["client"], plant["live"]
    assert client.get(f"/tours/{live.id}").status_code == 200
    assert client.post(f"/employer/programmes/{live.id}/retire").status_code == 303
    assert not _fresh(live).active
    assert client.get(f"/tours/{live.id}").status_code == 404
    assert "снята" in client.get("/employer/programmes").get_data(as_text=True)
    assert client.post(f"/employer/programmes/{live.id}/restore").status_code == 303
    assert _fresh(live).active
    assert client.get(f"/tours/{live.id}").status_code == 200


def test_a_programme_with_booked_sessions_is_not_retired(plant, make):
    client, live = plant["client"], plant["live"]
    session = make.session(tour=live)
    booking = booking_service.book_student(make.user("student"), session.id).booking
    refused = client.post(f"/employer/programmes/{live.id}/retire", follow_redirects=True)
    assert "Сначала отмените эти сеансы" in refused.get_data(as_text=True)
    assert _fresh(live).active
    # A cancelled booking, or one of a session that is over, no longer holds it.
    later = make.session(tour=live, starts_at=local_now() + timedelta(days=8))
    booking_service.book_student(make.user("student"), later.id)
    booking_service.cancel(booking, booking.booked_by)
    later.starts_at = later.booking_closes_at = local_now() - timedelta(hours=2)
    db.session.commit()
    assert client.post(f"/employer/programmes/{live.id}/retire").status_code == 303
    assert not _fresh(live).active


# --- bad input ---------------------------------------------------------------------------------

HOSTILE = [
    ("title", "Экскурсия\u202eпо цеху"),
    ("title", "Э" * 10_000),
    ("title", ""),
    ("description", "Описание " * 2000),
    ("description", "Коротко"),
    ("duration_minutes", "NaN"),
    ("duration_minutes", "-5"),
    ("duration_minutes", "10"),
    ("duration_minutes", "1e3"),
    ("duration_minutes", "90\u200b"),
    ("min_age", "5"),
    ("min_age", ""),
    ("max_age", "11"),
    ("max_grade", "12"),
    ("min_grade", "0"),
    ("group_max", "4"),
    ("group_min", "201"),
    ("adults_per_students", "0"),
    ("price_rub", "-1"),
    ("price_rub", "100001"),
    ("booking_cutoff_hours", "337"),
    ("cancel_cutoff_hours", "Infinity"),
    ("safety_rules", "\n".join(f"Правило {n}" for n in range(21))),
    ("what_to_bring", "В" * 201),
    ("accessibility", "\u202e"),
    ("meeting_point", "М" * 10_000),
    ("professions", "abc"),
    ("professions", "2147483647"),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE)
def test_hostile_input_is_refused_next_to_the_field_and_nothing_is_written(plant, name, value):
    client, live = plant["client"], plant["live"]
    before = _written()
    for path in ("/employer/programmes/new", f"/employer/programmes/{live.id}/edit"):
        response = client.post(path, data=VALID | {name: value})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, (path, name)
        assert 'class="field-error"' in page and "Проверьте поля" in page
        assert _written() == before, (path, name)


def test_a_missing_field_is_named_in_russian(plant):
    data = {k: v for k, v in VALID.items() if k != "group_max"}
    page = plant["client"].post("/employer/programmes/new", data=data).get_data(as_text=True)
    assert 'id="group_max-error"' in page and "Заполните это поле." in page


# --- whose programme ---------------------------------------------------------------------------


def test_another_enterprises_programme_is_not_found_and_not_changed(plant, make):
    stranger = make.employer(make.enterprise())
    client = plant["app"].test_client()
    AuthActions(client).login(stranger)
    live = plant["live"]
    before = _written()
    assert client.get(f"/employer/programmes/{live.id}/edit").status_code == 404
    for path, data in (
        (f"/employer/programmes/{live.id}/edit", VALID),
        (f"/employer/programmes/{live.id}/retire", {}),
        (f"/employer/programmes/{live.id}/restore", {}),
        ("/employer/programmes/2147483647/edit", VALID),
    ):
        assert client.post(path, data=data).status_code == 404, path
    assert _written() == before and _fresh(live).active
    assert "Старое название" not in client.get("/employer/programmes").get_data(as_text=True)


def test_staff_awaiting_approval_have_no_programmes(any_db_app, make):
    waiting = make.employer(make.enterprise(), state="pending")
    client = any_db_app.test_client()
    AuthActions(client).login(waiting)
    assert client.get("/employer/programmes").status_code == 404
    assert client.post("/employer/programmes/new", data=VALID).status_code == 404
    assert _count(TourProgramme) == 0
