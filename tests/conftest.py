"""Shared fixtures: an app with a fresh database per test, clients, logins and factories."""

from __future__ import annotations

import shutil
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text

from extensions import db
from tests.helpers import (
    DATA_DIR,
    REPORTS,
    SEED_DAY,
    AuthActions,
    Factory,
    make_app,
    postgres_url,
)


@pytest.fixture
def app():
    """An app with an empty in-memory SQLite database holding the current schema."""
    application = make_app()
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.drop_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def pg_schema_url():
    """A PostgreSQL URL whose connections use a fresh, empty schema dropped afterwards."""
    url = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db_app(request):
    """The app on SQLite, then on PostgreSQL (skipped locally when no server answers)."""
    if request.param == "sqlite":
        application = make_app()
    else:
        application = make_app(SQLALCHEMY_DATABASE_URI=request.getfixturevalue("pg_schema_url"))
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def shared_db_app(request, tmp_path):
    """The app on a database that parallel requests really share: a SQLite file (not memory),
    then PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    application = make_app(SQLALCHEMY_DATABASE_URI=url)
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(scope="session")
def seeded_db_file(tmp_path_factory):
    """A SQLite file holding the full demo catalogue, seeded once per test run."""
    from services.seed import seed

    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    application = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with application.app_context():
        db.create_all()
        seed(DATA_DIR, today=SEED_DAY)
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture
def seeded_app(seeded_db_file, tmp_path):
    """An app on a private copy of the seeded demo database."""
    copy = tmp_path / "app.db"
    shutil.copy(seeded_db_file, copy)
    application = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{copy}")
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def seeded_client(seeded_app):
    return seeded_app.test_client()


@pytest.fixture
def make(app):
    """Factories bound to the test's database."""
    return Factory()


@pytest.fixture
def auth(client):
    return AuthActions(client)


def pytest_sessionfinish(session):
    """Under pytest-xdist, hand this worker's reports to the controller, which prints them."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["reports"] = list(REPORTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    REPORTS.extend(tuple(item) for item in getattr(node, "workeroutput", {}).get("reports", []))


def pytest_terminal_summary(terminalreporter):
    for title, report in REPORTS:
        terminalreporter.write_sep("-", title)
        terminalreporter.write_line(report)


@pytest.fixture
def world(make):
    """One of everything the access tests' paths need (``tests/test_access.py``), owned by one
    user of each role."""
    from extensions import db
    from models import CareerActivity, ClassMembership, EnterpriseStaff, Feedback
    from services.booking import book_class

    counsellor = make.user("counsellor")
    enterprise = make.enterprise()
    employer = make.employer(enterprise)
    link = db.session.scalars(
        select(EnterpriseStaff).where(EnterpriseStaff.user_id == employer.id)
    ).one()
    link.is_owner = True  # the first approved member owns the team (services.moderation)
    users = {
        "student": make.user("student"),
        "counsellor": counsellor,
        "employer": employer,
        "admin": make.user("admin"),
    }
    tour = make.tour(enterprise=enterprise, min_age=None)
    session = make.session(tour=tour)
    from services.booking import book_student

    visit = book_student(users["student"], session.id).booking
    school_class = make.school_class(counsellor)
    db.session.add(ClassMembership(school_class=school_class, student=users["student"]))
    entry = CareerActivity(
        student=users["student"],
        held_on=date.today(),
        hours=Decimal(2),
        direction="horizons",
        title="Урок «Россия — мои горизонты»",
    )
    db.session.add(entry)
    db.session.commit()
    trip_session = make.session(tour=make.tour(enterprise=enterprise, min_age=None))
    trip = book_class(counsellor, school_class, trip_session.id, 5, 1).booking
    # Feedback on the trip, for the routes that take a feedback id (its state does not matter).
    feedback = Feedback(booking_id=trip.id, author_id=counsellor.id, rating=4, comment="Хорошо")
    db.session.add(feedback)
    db.session.commit()
    # An approved offer of the enterprise, and the student's response to it.
    from models import Vacancy, VacancyResponse

    offer = Vacancy(
        enterprise=enterprise,
        kind="internship",
        title="Стажировка",
        description="Две недели в цехе.",
        town=enterprise.town,
        min_age=14,
        moderation_state="approved",
    )
    db.session.add(offer)
    db.session.flush()
    answer = VacancyResponse(vacancy_id=offer.id, student_id=users["student"].id, message="Да")
    db.session.add(answer)
    db.session.commit()
    ids = {
        "offer": offer.id,
        "response": answer.id,
        "profession": make.profession().slug,
        "enterprise": enterprise.slug,
        "enterprise_id": enterprise.id,
        "tour": tour.id,
        "session": session.id,
        "booking": visit.id,
        "class": school_class.id,
        "student": users["student"].id,
        "entry": entry.id,
        "trip": trip.id,
        "link_id": link.id,
        "counsellor_id": counsellor.id,
        **_world_profile(enterprise, employer),
        "feedback": feedback.id,
        "invite": _world_invite(enterprise, employer),
    }
    return users, ids


def _world_invite(enterprise, owner) -> int:
    """An open invitation to the world's enterprise (the team routes that take its id)."""
    from datetime import timedelta

    from extensions import db
    from models import StaffInvite
    from models._common import utcnow

    invite = StaffInvite(
        enterprise=enterprise,
        email="colleague@example.com",
        token_hash="0" * 64,
        invited_by=owner,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(invite)
    db.session.commit()
    return invite.id


def _world_profile(enterprise, employer) -> dict:
    """A photo of the world's enterprise and a change of its profile waiting for review."""
    import io

    from PIL import Image

    from extensions import db
    from services import enterprise_photos, revisions

    image = io.BytesIO()
    Image.new("RGB", (8, 6), "steelblue").save(image, "JPEG")
    image.seek(0)
    photo = enterprise_photos.add_photo(enterprise, image, "Проходная завода", employer)
    revision = revisions.propose(enterprise, {"description": "Новое описание."}, employer)
    db.session.commit()
    return {"photo": photo.id, "photo_file": photo.filename, "revision_id": revision.id}
