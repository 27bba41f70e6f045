"""An enterprise's profile and photos, and regional staff's review of changes (issue 12).

A profile not public yet changes at once; a live one keeps its public values until a moderator
approves the change, which the enterprise's staff hear about either way. Photos are checked
with Pillow and stored re-encoded without EXIF. SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import ExifTags, Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from extensions import db
from models import AuditEntry, Enterprise, EnterprisePhoto, Notification, Revision, TourProgramme
from services import revision_moderation, revisions
from tests.helpers import AuthActions, Factory, outbox

PLAIN_TEXT_ERROR = "Уберите невидимые и управляющие символы"


@pytest.fixture
def make(any_db_app):
    return Factory()


@dataclass
class Plant:
    """An enterprise, its signed-in staff member, and where its photos go."""

    app: Flask
    client: FlaskClient
    enterprise: Enterprise
    employer: object
    uploads: Path


def _plant(app: Flask, make: Factory, tmp_path: Path, state: str) -> Plant:
    app.config["UPLOAD_FOLDER"] = tmp_path
    enterprise = make.enterprise(
        name="Завод «Пример»",
        slug="primer",
        moderation_state=state,
        description="Делаем насосы.",
        address="ул. Заводская, 1",
        contact="Анна, +7 900 000-00-00",
        visiting_rules="Вход по списку группы.",
    )
    employer = make.employer(enterprise)
    client = app.test_client()
    AuthActions(client).login(employer)
    return Plant(app, client, enterprise, employer, tmp_path / "enterprises")


@pytest.fixture
def live(any_db_app, make, tmp_path) -> Plant:
    """A public enterprise and its staff member, signed in."""
    return _plant(any_db_app, make, tmp_path, "approved")


@pytest.fixture
def newcomer(any_db_app, make, tmp_path) -> Plant:
    """An enterprise regional staff have not approved yet, and its staff member."""
    return _plant(any_db_app, make, tmp_path, "pending")


def profile_form(**changes) -> dict:
    """A full profile form as the page sends it (text areas with browsers' CRLF)."""
    data = {
        "description": "Делаем насосы.",
        "town": "Владимир",
        "district": "Владимир",
        "address": "ул. Заводская, 1",
        "contact": "Анна, +7 900 000-00-00",
        "directions": "",
        "rules_age": "",
        "rules_clothing": "",
        "rules_documents": "",
        "rules_photography": "",
        "visiting_rules": "Вход по списку группы.",
    }
    return data | changes


def image_file(fmt: str = "JPEG", size=(40, 30), mode: str = "RGB", exif=None) -> io.BytesIO:
    """A small real image made with Pillow."""
    buffer = io.BytesIO()
    extra = {"exif": exif} if exif is not None else {}
    Image.new(mode, size, "steelblue").save(buffer, fmt, **extra)
    buffer.seek(0)
    return buffer


def upload(client: FlaskClient, file, name="photo.jpg", alt="Сборочный цех, линия упаковки"):
    """POST a photo through the profile's upload form (the body built in memory: Werkzeug's
    builder would spool a large one to a temporary file that nobody closes)."""
    values = {"alt": alt} if alt is not None else {}
    if file is not None:
        values["photo"] = FileStorage(file, filename=name, content_type="image/jpeg")
    boundary, body = encode_multipart(values)
    return client.post(
        "/employer/profile/photos",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _admin_client(app: Flask, make: Factory) -> tuple[FlaskClient, object]:
    admin = make.user("admin")
    client = app.test_client()
    AuthActions(client).login(admin)
    return client, admin


# --- the profile's text --------------------------------------------------------------------


def test_a_profile_not_public_yet_changes_at_once(newcomer):
    response = newcomer.client.post(
        "/employer/profile",
        data=profile_form(directions="Автобус 12 до остановки «Завод».\r\nВход с проходной."),
    )
    assert response.status_code == 303
    db.session.expire_all()
    enterprise = db.session.get(Enterprise, newcomer.enterprise.id)
    assert enterprise.directions == "Автобус 12 до остановки «Завод».\nВход с проходной."
    assert _count(Revision) == 0
    page = newcomer.client.get("/employer/profile").get_data(as_text=True)
    assert "изменения действуют сразу" in page
    assert "Автобус 12" in page


def test_a_live_profile_keeps_its_public_page_until_the_change_is_approved(live):
    response = live.client.post(
        "/employer/profile", data=profile_form(description="Насосы и турбины.")
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Enterprise, live.enterprise.id).description == "Делаем насосы."
    revision = db.session.scalars(select(Revision)).one()
    assert revision.fields == {"description": "Насосы и турбины."}  # untouched fields stay out
    page = live.client.get("/employer/profile").get_data(as_text=True)
    assert "Изменения отправлены координатору на проверку" in page
    public = live.client.get("/enterprises/primer").get_data(as_text=True)
    assert "Делаем насосы." in public and "Насосы и турбины." not in public
    waiting = page[page.index('id="waiting-h"') :]
    assert "Делаем насосы." in waiting and "Насосы и турбины." in waiting
    # The form goes on from the waiting text, not from the public one.
    assert re.search(r"<textarea[^>]*>\s*Насосы и турбины\.</textarea>", page)


def test_a_second_edit_replaces_the_waiting_one_and_editing_back_withdraws_it(live):
    live.client.post("/employer/profile", data=profile_form(description="Первый вариант."))
    live.client.post(
        "/employer/profile",
        data=profile_form(description="Второй вариант.", rules_clothing="Закрытая обувь."),
    )
    revision = db.session.scalars(select(Revision)).one()
    assert revision.state == "pending"
    assert revision.fields == {
        "description": "Второй вариант.",
        "rules_clothing": "Закрытая обувь.",
    }
    live.client.post("/employer/profile", data=profile_form())
    assert _count(Revision) == 0


def test_approving_a_change_puts_it_live_tells_the_staff_and_is_audited(live, make):
    colleague = make.employer(live.enterprise)
    waiting_staff = make.employer(live.enterprise, state="pending")
    live.client.post(
        "/employer/profile",
        data=profile_form(description="Насосы и турбины.", rules_age="С 12 лет."),
    )
    revision = db.session.scalars(select(Revision)).one()
    client, admin = _admin_client(live.app, make)

    queue = client.get("/admin/revisions").get_data(as_text=True)
    assert "Профиль предприятия «Завод «Пример»»" in queue
    assert "Делаем насосы." in queue and "Насосы и турбины." in queue and "С 12 лет." in queue
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "на проверке: 1" in dashboard

    response = client.post(f"/admin/revisions/{revision.id}", data={"decision": "approve"})
    assert response.status_code == 303
    db.session.expire_all()
    enterprise = db.session.get(Enterprise, live.enterprise.id)
    assert (enterprise.description, enterprise.rules_age) == ("Насосы и турбины.", "С 12 лет.")
    revision = db.session.get(Revision, revision.id)
    assert revision.state == "approved" and revision.decided_by_id == admin.id
    told = db.session.scalars(select(Notification).where(Notification.kind == "revision.approved"))
    assert {n.user_id for n in told} == {live.employer.id, colleague.id}  # not waiting_staff
    assert waiting_staff.id not in {n.user_id for n in told}
    assert any(m.subject == "Изменения опубликованы" for m in outbox(live.app))
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "enterprise.revision_approve")
    ).one()
    assert entry.actor_id == admin.id and entry.details["fields"] == ["description", "rules_age"]
    public = live.client.get("/enterprises/primer").get_data(as_text=True)
    assert "Насосы и турбины." in public and "С 12 лет." in public
    assert "на проверке: 0" in client.get("/admin/").get_data(as_text=True)


def test_rejecting_needs_a_reason_tells_the_staff_and_leaves_the_public_values(live, make):
    live.client.post("/employer/profile", data=profile_form(description="Лучший завод мира!!!"))
    revision = db.session.scalars(select(Revision)).one()
    client, admin = _admin_client(live.app, make)

    refused = client.post(f"/admin/revisions/{revision.id}", data={"decision": "reject"})
    assert refused.status_code == 422
    assert "Напишите причину" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Revision, revision.id).state == "pending"
    with pytest.raises(ValueError):
        revision_moderation.decide(revision, "reject", admin, reason="  ")
    assert client.post(f"/admin/revisions/{revision.id}", data={}).status_code == 400

    reason = "Опишите, что увидят школьники, без рекламы."
    response = client.post(
        f"/admin/revisions/{revision.id}", data={"decision": "reject", "reason": reason}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Enterprise, live.enterprise.id).description == "Делаем насосы."
    revision = db.session.get(Revision, revision.id)
    assert revision.state == "rejected" and revision.reason == reason
    note = db.session.scalars(select(Notification).where(Notification.user_id == live.employer.id))
    assert any(n.kind == "revision.rejected" and reason in n.message for n in note)
    page = live.client.get("/employer/profile").get_data(as_text=True)
    assert "Координатор вернул прошлые изменения" in page and reason in page
    # Deciding it again is refused politely: another moderator was first.
    again = client.post(f"/admin/revisions/{revision.id}", data={"decision": "approve"})
    assert again.status_code == 303
    db.session.expire_all()
    assert db.session.get(Enterprise, live.enterprise.id).description == "Делаем насосы."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "Насосы\u202eсосан", PLAIN_TEXT_ERROR),
        ("town", "Владимир\u200b", PLAIN_TEXT_ERROR),
        ("directions", "я" * 10_000, "2000"),
        ("town", "", ""),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_hostile_or_missing_text_is_refused_next_to_its_field(live, field, value, message, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    before = db.session.get(Enterprise, live.enterprise.id).description
    response = live.client.post(
        "/employer/profile", data=profile_form(**{field: value}), headers=headers
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'<small id="{field}-error" class="field-error">([^<]*)</small>', page)
    assert error is not None and message in error.group(1)
    assert f'aria-describedby="{field}-error"' in page
    assert ("<html" in page) is not htmx  # htmx gets the form alone, to swap in place
    assert "HX-Request" in response.headers["Vary"]
    assert _count(Revision) == 0
    db.session.expire_all()
    assert db.session.get(Enterprise, live.enterprise.id).description == before


@pytest.mark.parametrize("htmx", [False, True])
def test_the_profile_page_answers_plainly_and_to_htmx(live, htmx):
    response = live.client.get("/employer/profile", headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    page = response.get_data(as_text=True)
    assert 'id="profile-form"' in page and "Вход по списку группы." in page
    assert ("Фотографии: 0 из 8" in page) is not htmx
    assert response.headers["Cache-Control"] == "no-store"


def test_htmx_saves_with_a_client_redirect(live):
    response = live.client.post(
        "/employer/profile",
        data=profile_form(description="Насосы и турбины."),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/employer/profile"


def test_staff_not_approved_yet_see_a_notice_and_cannot_save(any_db_app, make):
    enterprise = make.enterprise(slug="other")
    employer = make.employer(enterprise, state="pending")
    client = any_db_app.test_client()
    AuthActions(client).login(employer)
    page = client.get("/employer/profile")
    assert page.status_code == 200 and "Профиль откроется" in page.get_data(as_text=True)
    assert client.post("/employer/profile", data=profile_form()).status_code == 404
    assert upload(client, image_file()).status_code == 404


def test_the_profile_round_trip_works_with_csrf_on(live):
    live.app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert live.client.post("/employer/profile", data=profile_form()).status_code == 400
        page = live.client.get("/employer/profile").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        saved = live.client.post(
            "/employer/profile", data=profile_form(csrf_token=token, rules_age="С 14 лет.")
        )
        assert saved.status_code == 303
        photo = upload(live.client, image_file(), alt="Проходная завода")
        assert photo.status_code == 400  # a photo form without its token
    finally:
        live.app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalars(select(Revision)).one().fields == {"rules_age": "С 14 лет."}


def test_the_public_page_shows_directions_rules_and_the_older_text(live):
    enterprise = db.session.get(Enterprise, live.enterprise.id)
    enterprise.directions = "Автобус 12."
    enterprise.rules_age = "С 12 лет."
    enterprise.rules_documents = "Список группы с печатью школы."
    db.session.commit()
    page = live.client.get("/enterprises/primer").get_data(as_text=True)
    assert "Как добраться" in page and "Автобус 12." in page
    rules = page[page.index("Правила посещения") :]
    assert "<dt>Возраст</dt>" in rules and "С 12 лет." in rules
    assert "<dt>Документы</dt>" in rules
    assert "<dt>Одежда и обувь</dt>" not in rules  # empty rules are not shown
    assert "Вход по списку группы." in rules


# --- photos --------------------------------------------------------------------------------


def test_a_jpeg_is_stored_upright_smaller_and_without_exif(live):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: show it rotated
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (55.0, 40.0, 0.0),
    }
    response = upload(live.client, image_file(size=(2000, 1000), exif=exif))
    assert response.status_code == 303 and response.location.endswith("/employer/profile#photos")
    photo = db.session.scalars(select(EnterprisePhoto)).one()
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", photo.filename)
    stored = live.uploads / photo.filename
    with Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (800, 1600)
        assert not image.getexif() and "exif" not in image.info
    assert b"TestCam" not in stored.read_bytes()
    assert (photo.width, photo.height, photo.alt) == (800, 1600, "Сборочный цех, линия упаковки")

    page = live.client.get("/enterprises/primer").get_data(as_text=True)
    img = re.search(r"<img [^>]*>", page[page.index("Фотографии") :]).group(0)
    assert f'src="/media/enterprises/{photo.filename}"' in img
    assert 'alt="Сборочный цех, линия упаковки"' in img and 'loading="lazy"' in img
    assert 'width="800"' in img and 'height="1600"' in img
    served = live.app.test_client().get(f"/media/enterprises/{photo.filename}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.data == stored.read_bytes()
    assert "public" in served.headers["Cache-Control"]
    assert "max-age=604800" in served.headers["Cache-Control"]


def test_a_png_with_transparency_becomes_a_jpeg(live):
    response = upload(live.client, image_file("PNG", mode="RGBA"), name="plan.png")
    assert response.status_code == 303
    photo = db.session.scalars(select(EnterprisePhoto)).one()
    with Image.open(live.uploads / photo.filename) as image:
        assert image.format == "JPEG" and image.size == (40, 30)


@pytest.mark.parametrize(
    ("file", "alt", "message"),
    [
        ("Это не картинка, а текст.".encode(), "Проходная", "Это не фотография"),
        (b"GIF89a" + b"x" * 100, "Проходная", "Это не фотография"),
        (None, "Проходная", "Выберите файл"),
        ("jpeg", None, "Опишите, что на фото"),
        ("jpeg", "Цех", "от 5 до 300"),
        ("jpeg", "Цех\u202e завода", PLAIN_TEXT_ERROR),
        (b"x" * (5 * 1024 * 1024 + 1), "Проходная", "Файл больше 5 МБ"),
    ],
)
def test_what_cannot_be_a_photo_is_refused_with_a_reason(live, file, alt, message):
    file = image_file() if file == "jpeg" else io.BytesIO(file) if file is not None else None
    response = upload(live.client, file, alt=alt)
    assert response.status_code == 422
    assert message.lower() in response.get_data(as_text=True).lower()
    assert _count(EnterprisePhoto) == 0
    assert not live.uploads.exists() or not any(live.uploads.iterdir())


def test_a_body_over_the_limit_gets_the_page_with_a_russian_message(live):
    response = upload(live.client, io.BytesIO(b"x" * (7 * 1024 * 1024)))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Файл больше 5 МБ" in page and 'id="photos"' in page
    assert _count(EnterprisePhoto) == 0


def test_the_ninth_photo_is_refused(live):
    for n in range(8):
        assert upload(live.client, image_file(), alt=f"Цех номер {n}").status_code == 303
    page = live.client.get("/employer/profile").get_data(as_text=True)
    assert "Фотографии: 8 из 8" in page and "Это предел" in page
    response = upload(live.client, image_file(), alt="Девятое фото")
    assert response.status_code == 422 and "это предел" in response.get_data(as_text=True)
    assert _count(EnterprisePhoto) == 8 and len(list(live.uploads.iterdir())) == 8


def test_deleting_a_photo_removes_its_file(live):
    upload(live.client, image_file())
    photo = db.session.scalars(select(EnterprisePhoto)).one()
    path = live.uploads / photo.filename
    assert path.exists()
    response = live.client.post(f"/employer/profile/photos/{photo.id}/delete")
    assert response.status_code == 303
    assert _count(EnterprisePhoto) == 0 and not path.exists()
    assert live.app.test_client().get(f"/media/enterprises/{photo.filename}").status_code == 404


def test_another_enterprises_photo_is_not_found_and_stays(live, make):
    upload(live.client, image_file())
    photo = db.session.scalars(select(EnterprisePhoto)).one()
    intruder = live.app.test_client()
    AuthActions(intruder).login(make.employer(make.enterprise()))
    assert intruder.post(f"/employer/profile/photos/{photo.id}/delete").status_code == 404
    assert intruder.post("/employer/profile/photos/999999/delete").status_code == 404
    assert _count(EnterprisePhoto) == 1 and (live.uploads / photo.filename).exists()


def test_photos_of_an_enterprise_not_public_yet_are_for_its_staff_only(newcomer, make):
    assert upload(newcomer.client, image_file()).status_code == 303
    photo = db.session.scalars(select(EnterprisePhoto)).one()
    url = f"/media/enterprises/{photo.filename}"
    own = newcomer.client.get(url)
    assert own.status_code == 200 and "public" not in own.headers["Cache-Control"]
    assert newcomer.app.test_client().get(url).status_code == 404
    admin_client, _ = _admin_client(newcomer.app, make)
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name", ["0" * 32 + ".jpg", "..%2Fsecret_key", "x.jpg", "0" * 32 + ".png", "A" * 32 + ".jpg"]
)
def test_only_stored_photo_names_are_served(live, name):
    assert live.app.test_client().get(f"/media/enterprises/{name}").status_code == 404


# --- tour programmes ------------------------------------------------------------------------


def test_new_programmes_of_public_enterprises_are_approved_or_sent_back(live, make):
    first = make.tour(enterprise=live.enterprise, title="Цех насосов", moderation_state="pending")
    second = make.tour(enterprise=live.enterprise, title="Склад", moderation_state="pending")
    hidden = make.tour(
        enterprise=make.enterprise(moderation_state="pending"),
        title="Чужая программа",
        moderation_state="pending",
    )
    client, _ = _admin_client(live.app, make)
    queue = client.get("/admin/revisions").get_data(as_text=True)
    assert "Цех насосов" in queue and "Склад" in queue and "Чужая программа" not in queue

    assert (
        client.post(f"/admin/programmes/{first.id}", data={"decision": "approve"}).status_code
        == 303
    )
    refused = client.post(f"/admin/programmes/{second.id}", data={"decision": "reject"})
    assert refused.status_code == 422 and "Напишите причину" in refused.get_data(as_text=True)
    reason = "Нет правил безопасности."
    client.post(f"/admin/programmes/{second.id}", data={"decision": "reject", "reason": reason})
    db.session.expire_all()
    states = {t.id: t.moderation_state for t in db.session.scalars(select(TourProgramme))}
    assert states == {first.id: "approved", second.id: "rejected", hidden.id: "pending"}
    notes = db.session.scalars(select(Notification).where(Notification.user_id == live.employer.id))
    kinds = {(n.kind, reason in n.message) for n in notes}
    assert kinds == {("programme.approved", False), ("programme.rejected", True)}
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"programme.approve", "programme.reject"} <= actions


def test_a_change_to_a_live_programme_is_reviewed_like_the_profile(live, make):
    tour = make.tour(enterprise=live.enterprise, title="Цех насосов", safety_rules=["Каска"])
    revision = revisions.propose(
        tour, {"title": "Цех насосов и турбин", "safety_rules": ["Каска", "Очки"]}, live.employer
    )
    db.session.commit()
    assert db.session.get(TourProgramme, tour.id).title == "Цех насосов"
    client, _ = _admin_client(live.app, make)
    queue = client.get("/admin/revisions").get_data(as_text=True)
    assert "Программа «Цех насосов» — Завод «Пример»" in queue
    assert "Цех насосов и турбин" in queue and "Каска\nОчки" in queue
    client.post(f"/admin/revisions/{revision.id}", data={"decision": "approve"})
    db.session.expire_all()
    tour = db.session.get(TourProgramme, tour.id)
    assert (tour.title, tour.safety_rules) == ("Цех насосов и турбин", ["Каска", "Очки"])
    assert db.session.scalars(
        select(Notification.kind).where(Notification.user_id == live.employer.id)
    ).all() == ["revision.approved"]


def test_a_sent_back_programme_returns_to_the_queue_when_edited(live, make):
    tour = make.tour(enterprise=live.enterprise, moderation_state="rejected")
    assert revisions.propose(tour, {"description": "Исправили."}, live.employer) is None
    db.session.commit()
    assert db.session.get(TourProgramme, tour.id).moderation_state == "pending"
    assert tour in revision_moderation.pending_programmes()


def test_a_revision_cannot_touch_what_staff_do_not_edit(live):
    enterprise = db.session.get(Enterprise, live.enterprise.id)
    with pytest.raises(ValueError):
        revisions.propose(enterprise, {"moderation_state": "approved"}, live.employer)
    with pytest.raises(ValueError):
        revisions.propose(enterprise, {"name": "Другой завод"}, live.employer)
