"""``flask --app app seed``: loads the demo data once, twice gives the same state."""

from __future__ import annotations

import shutil
from datetime import date

from sqlalchemy import func, select

from extensions import db
from models import (
    Enterprise,
    EnterpriseStaff,
    Profession,
    SchoolClass,
    TourProgramme,
    TourSession,
    User,
)
from services.seed import seed, session_times
from services.session_planning import holiday_name
from tests.helpers import DATA_DIR, SEED_DAY

TABLES = (User, Profession, Enterprise, EnterpriseStaff, TourProgramme, TourSession, SchoolClass)


def _counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def test_seed_twice_gives_the_same_state(seeded_app):
    before = _counts()
    seed(DATA_DIR, today=SEED_DAY)  # the day the shared database was seeded for
    assert _counts() == before


def test_demo_accounts_of_the_design(seeded_app):
    emails = set(db.session.scalars(select(User.email)))
    assert "admin@demo.local" in emails
    assert {f"counsellor{n}@demo.local" for n in range(1, 6)} <= emails
    assert {f"student{n:02d}@demo.local" for n in range(1, 41)} <= emails
    for slug in db.session.scalars(select(Enterprise.slug)):
        assert f"employer@{slug}.demo.local" in emails
    for n in range(1, 6):
        counsellor = db.session.scalar(
            select(User).where(User.email == f"counsellor{n}@demo.local")
        )
        assert len(counsellor.taught_classes) >= 3


def test_demo_accounts_sign_in_with_the_demo_password(seeded_client):
    response = seeded_client.post(
        "/auth/login", data={"email": "counsellor1@demo.local", "password": "demo-password"}
    )
    assert response.status_code == 303
    page = seeded_client.get("/counsellor/").get_data(as_text=True)
    assert "7 А" in page and "DEMO17A" in page


def test_sessions_cover_twelve_weeks_of_working_days(seeded_app):
    today = date.today()
    starts = [
        s
        for s in db.session.scalars(select(TourSession.starts_at))
        if s.date() > today  # the demo's past visits are the loop's (below)
    ]
    assert (max(starts).date() - today).days <= 84
    assert all(s.weekday() < 5 and holiday_name(s.date()) is None for s in starts)
    assert all(9 <= s.hour <= 16 for s in starts)


def test_the_demo_shows_the_whole_loop(seeded_app):
    """Past visits marked, feedback, live offers at the three Kirzhach plants sent to the
    visitors who asked for them, and a student's answer."""
    from models import Booking, Feedback, Vacancy, VacancyDelivery, VacancyResponse

    states = [
        b.state
        for b in db.session.scalars(select(Booking))
        if b.session.starts_at.date() < date.today()
    ]
    assert states.count("attended") == 3 and states.count("no_show") == 1
    assert db.session.scalar(select(func.count(Feedback.id))) == 3
    listed = db.session.scalars(select(Vacancy).where(Vacancy.is_listed)).all()
    assert {v.enterprise.slug for v in listed} == {
        "rusklimat-iksel",
        "iztt-kirzhach",
        "mobilnye-doma",
    }
    assert "internship" in {v.kind for v in listed}
    sent = db.session.scalars(select(VacancyDelivery)).all()
    assert {d.student_id for d in sent} == {
        u.id
        for u in db.session.scalars(select(User))
        if u.email in {f"student0{n}@demo.local" for n in range(1, 7)}
    }
    answer = db.session.scalars(select(VacancyResponse)).one()
    assert answer.state == "invited" and answer.student.email == "student01@demo.local"


def test_session_times_follow_the_schedule():
    monday = date(2026, 11, 30)
    times = session_times({"weekdays": ["tue", "thu"], "times": ["10:00", "14:30"]}, monday, 1)
    assert [t.isoformat(" ", "minutes") for t in times] == [
        "2026-12-01 10:00",
        "2026-12-01 14:30",
        "2026-12-03 10:00",
        "2026-12-03 14:30",
    ]


def test_seed_command_reports_and_is_idempotent(runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "professions: " in first.output
    second = runner.invoke(args=["seed"])
    assert "new_sessions: 0" in second.output
    skipped = runner.invoke(args=["seed", "--if-empty"])
    assert "nothing to do" in skipped.output


def test_a_bad_file_stops_the_command_with_file_row_reason_and_writes_nothing(runner, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    tours = data / "tours.yaml"
    tours.write_text(
        tours.read_text(encoding="utf-8").replace("group_max:", "group_max: x #", 1),
        encoding="utf-8",
    )
    result = runner.invoke(args=["seed", "--data-dir", str(data)])
    assert result.exit_code != 0
    assert "tours.yaml: row 1 (line" in result.output and "group_max" in result.output
    assert _counts()["Profession"] == 0


def test_tokens_create_prints_a_token_that_works(runner, client):
    runner.invoke(args=["seed"])
    result = runner.invoke(args=["tokens", "create", "counsellor2@demo.local"])
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("pm_")
    response = client.get("/api/v1/classes", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json["total"] == 3
    unknown = runner.invoke(args=["tokens", "create", "nobody@example.com"])
    assert unknown.exit_code != 0 and "no account" in unknown.output
