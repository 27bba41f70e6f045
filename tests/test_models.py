"""Every model's database constraints reject a violating row, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import (
    ApiToken,
    Booking,
    ClassMembership,
    EducationPath,
    Enterprise,
    EnterpriseStaff,
    Feedback,
    Profession,
    SchoolClass,
    ShortlistEntry,
    Sphere,
    TourProgramme,
    TourSession,
    User,
    Vacancy,
    VacancyResponse,
)
from tests.helpers import Factory


@pytest.fixture
def f(any_db_app):
    return Factory()


def _violates(statement) -> None:
    with pytest.raises(IntegrityError):
        db.session.execute(statement)
        db.session.flush()
    db.session.rollback()


def _user_row(**extra):
    return {
        "email": "x@example.com",
        "password_hash": "h",
        "role": "student",
        "display_name": "X",
        "consent_state": "not_required",
        "active": True,
        "created_at": datetime(2026, 1, 1),
    } | extra


def test_users(f):
    f.user(email="taken@example.com")
    _violates(insert(User).values(_user_row(email="taken@example.com")))
    _violates(insert(User).values(_user_row(role="superuser")))
    _violates(insert(User).values(_user_row(consent_state="maybe")))
    _violates(insert(User).values(_user_row(grade=42)))
    _violates(insert(User).values(_user_row(birth_year=3000)))


def test_api_tokens_unique_and_owned(f):
    user = f.user()
    row = {
        "token_hash": "a" * 64,
        "prefix": "pm_",
        "revoked": False,
        "created_at": datetime(2026, 1, 1),
    }
    db.session.execute(insert(ApiToken).values(row | {"user_id": user.id}))
    db.session.commit()
    _violates(insert(ApiToken).values(row | {"user_id": user.id}))
    _violates(insert(ApiToken).values(row | {"token_hash": "b" * 64, "user_id": 999999}))


def test_spheres_and_professions(f):
    sphere = f.sphere(slug="s")
    _violates(insert(Sphere).values(slug="s", title="Другая", position=0))
    profession = f.profession(slug="p", title="Токарь", sphere=sphere)
    for bad in (
        {"slug": "p"},
        {"title": "Токарь"},
        {"demand": "huge"},
        {"salary_min": 50000, "salary_max": 10000},
        {"riasec_r": 1.5},
        {"riasec_c": -0.1},
        {"open_vacancies": -1},
        {"sphere_id": 999999},
    ):
        row = {c.key: getattr(profession, c.key) for c in Profession.__table__.columns}
        row |= {"id": None, "slug": "q", "title": "Фрезеровщик"} | bad
        row.pop("id")
        _violates(insert(Profession).values(row))


def test_education_paths(f):
    profession = f.profession()
    _violates(
        insert(EducationPath).values(
            profession_id=profession.id,
            level="school",
            programme="x",
            duration_months=10,
            institutions=[],
        )
    )
    _violates(
        insert(EducationPath).values(
            profession_id=profession.id,
            level="college",
            programme="x",
            duration_months=0,
            institutions=[],
        )
    )


def test_enterprises_and_staff(f):
    enterprise = f.enterprise(slug="e", name="Завод")
    row = {
        "name": "Другой",
        "town": "Т",
        "district": "Д",
        "industry": "food",
        "moderation_state": "approved",
        "illustrative": False,
        "address": "",
        "description": "",
        "visiting_rules": "",
        "source": "",
        "created_at": datetime(2026, 1, 1),
    }
    _violates(insert(Enterprise).values(row | {"slug": "e"}))
    _violates(insert(Enterprise).values(row | {"slug": "x", "industry": "spaceships"}))
    _violates(insert(Enterprise).values(row | {"slug": "y", "moderation_state": "maybe"}))
    user = f.user("employer")
    staff = {
        "enterprise_id": enterprise.id,
        "user_id": user.id,
        "position": "",
        "created_at": datetime(2026, 1, 1),
    }
    db.session.execute(insert(EnterpriseStaff).values(staff | {"state": "approved"}))
    db.session.commit()
    _violates(insert(EnterpriseStaff).values(staff | {"state": "approved"}))
    _violates(insert(EnterpriseStaff).values(staff | {"user_id": f.user().id, "state": "boss"}))


@pytest.mark.parametrize(
    "bad",
    [
        {"duration_minutes": 0},
        {"group_min": 0},
        {"group_min": 30, "group_max": 10},
        {"adults_per_students": 0},
        {"price_rub": -1},
        {"min_age": 3},
        {"min_age": 14, "max_age": 12},
        {"moderation_state": "hidden"},
        {"enterprise_id": 999999},
    ],
)
def test_tour_programmes(f, bad):
    tour = f.tour(slug="t")
    row = {c.key: getattr(tour, c.key) for c in TourProgramme.__table__.columns if c.key != "id"}
    _violates(insert(TourProgramme).values(row | {"slug": "other"} | bad))


def test_tour_sessions_keep_seats_within_capacity(f):
    session = f.session(capacity=20)
    for seats in (-1, 21):
        _violates(
            update(TourSession).where(TourSession.id == session.id).values(seats_booked=seats)
        )
    _violates(
        insert(TourSession).values(
            tour_id=session.tour_id,
            starts_at=session.starts_at,
            capacity=20,
            seats_booked=0,
            state="scheduled",
            created_at=datetime(2026, 1, 1),
        )
    )
    _violates(update(TourSession).where(TourSession.id == session.id).values(capacity=0))


def test_classes_and_memberships(f):
    school_class = f.school_class(join_code="SAMECODE")
    student = f.user()
    row = {
        "school_id": school_class.school_id,
        "counsellor_id": school_class.counsellor_id,
        "grade": 8,
        "created_at": datetime(2026, 1, 1),
    }
    _violates(insert(SchoolClass).values(row | {"name": "other", "join_code": "SAMECODE"}))
    _violates(insert(SchoolClass).values(row | {"name": school_class.name, "join_code": "NEW1"}))
    _violates(insert(SchoolClass).values(row | {"name": "x", "join_code": "NEW2", "grade": 0}))
    member = {
        "class_id": school_class.id,
        "student_id": student.id,
        "created_at": datetime(2026, 1, 1),
    }
    db.session.execute(insert(ClassMembership).values(member))
    db.session.commit()
    _violates(insert(ClassMembership).values(member))


def test_bookings(f):
    session = f.session()
    school_class = f.school_class()
    base = {
        "session_id": session.id,
        "booked_by_id": school_class.counsellor_id,
        "students": 10,
        "adults": 1,
        "state": "confirmed",
        "created_at": datetime(2026, 1, 1),
        "updated_at": datetime(2026, 1, 1),
    }
    db.session.execute(
        insert(Booking).values(base | {"kind": "class", "class_id": school_class.id})
    )
    db.session.commit()
    # One booking per class per session.
    _violates(insert(Booking).values(base | {"kind": "class", "class_id": school_class.id}))
    _violates(insert(Booking).values(base | {"kind": "class", "class_id": None}))
    _violates(insert(Booking).values(base | {"kind": "individual", "class_id": school_class.id}))
    _violates(insert(Booking).values(base | {"kind": "group"}))
    _violates(insert(Booking).values(base | {"kind": "individual", "students": 0}))
    _violates(insert(Booking).values(base | {"kind": "individual", "adults": -1}))
    _violates(insert(Booking).values(base | {"kind": "individual", "state": "maybe"}))


def test_vacancies_responses_feedback_shortlist(f):
    enterprise = f.enterprise()
    row = {
        "enterprise_id": enterprise.id,
        "title": "Стажёр",
        "description": "…",
        "moderation_state": "approved",
        "is_open": True,
        "created_at": datetime(2026, 1, 1),
    }
    _violates(insert(Vacancy).values(row | {"kind": "gig"}))
    _violates(insert(Vacancy).values(row | {"kind": "job", "min_age": 10}))
    _violates(insert(Vacancy).values(row | {"kind": "job", "salary_min": 9, "salary_max": 1}))
    vacancy_id = db.session.execute(
        insert(Vacancy).values(row | {"kind": "job"})
    ).inserted_primary_key[0]
    db.session.commit()
    student = f.user()
    resp = {
        "vacancy_id": vacancy_id,
        "student_id": student.id,
        "message": "",
        "created_at": datetime(2026, 1, 1),
    }
    db.session.execute(insert(VacancyResponse).values(resp | {"state": "sent"}))
    db.session.commit()
    _violates(insert(VacancyResponse).values(resp | {"state": "sent"}))
    profession = f.profession()
    entry = {
        "user_id": student.id,
        "profession_id": profession.id,
        "created_at": datetime(2026, 1, 1),
    }
    db.session.execute(insert(ShortlistEntry).values(entry))
    db.session.commit()
    _violates(insert(ShortlistEntry).values(entry))
    session = f.session()
    booking_id = db.session.execute(
        insert(Booking).values(
            session_id=session.id,
            booked_by_id=student.id,
            kind="individual",
            students=1,
            adults=0,
            state="attended",
            created_at=datetime(2026, 1, 1),
            updated_at=datetime(2026, 1, 1),
        )
    ).inserted_primary_key[0]
    db.session.commit()
    fb = {
        "booking_id": booking_id,
        "author_id": student.id,
        "comment": "",
        "created_at": datetime(2026, 1, 1),
    }
    _violates(insert(Feedback).values(fb | {"rating": 6}))
    db.session.execute(insert(Feedback).values(fb | {"rating": 5}))
    db.session.commit()
    _violates(insert(Feedback).values(fb | {"rating": 4}))


def test_deleting_a_user_cascades_to_their_tokens(f):
    from services.accounts import create_api_token

    user = f.user()
    create_api_token(user)
    db.session.delete(user)
    db.session.commit()
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0
