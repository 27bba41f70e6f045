"""Loading the validated catalogue and the demo accounts into the database, idempotently."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from extensions import db
from models import (
    ClassMembership,
    EducationPath,
    Enterprise,
    EnterpriseStaff,
    InterestProfile,
    Profession,
    School,
    SchoolClass,
    Sphere,
    TourProgramme,
    TourSession,
    User,
)
from services.accounts import hash_password
from services.catalogue import WEEKDAYS, Catalogue, load_catalogue
from services.demo_loop import ensure_demo_loop
from services.session_planning import holiday_name

DEMO_PASSWORD = "demo-password"
SESSION_WEEKS = 12
CLASS_LETTERS = ("А", "Б", "В")


def seed(data_dir: Path, today: date | None = None) -> dict[str, int]:
    """Validate ``data_dir`` and bring the database to the demo state; return counts.

    Running it twice on the same day leaves the same rows. Nothing is written when a file is
    bad: validation happens before the first insert and the whole load is one transaction.

    :raises CatalogueError: when a catalogue file has a bad row.
    """
    catalogue = load_catalogue(data_dir)
    today = today or date.today()
    try:
        professions = _upsert_professions(catalogue)
        enterprises = _upsert_enterprises(catalogue, professions)
        tours = _upsert_tours(catalogue, enterprises, professions)
        sessions = _ensure_sessions(catalogue, tours, today)
        _ensure_demo_accounts(catalogue, enterprises, today)
        ensure_demo_loop(data_dir, today)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return {
        "professions": len(professions),
        "enterprises": len(enterprises),
        "tours": len(tours),
        "new_sessions": sessions,
    }


def _by_slug(model) -> dict[str, object]:
    return {row.slug: row for row in db.session.scalars(select(model))}


def _upsert_professions(cat: Catalogue) -> dict[str, Profession]:
    spheres = _by_slug(Sphere)
    for position, item in enumerate(cat.spheres):
        sphere = spheres.get(item["slug"]) or Sphere(slug=item["slug"])
        sphere.title, sphere.position = item["title"], position
        spheres[item["slug"]] = sphere
        db.session.add(sphere)
    professions = _by_slug(Profession)
    for slug, item in cat.professions.items():
        prof = professions.get(slug) or Profession(slug=slug)
        prof.title = item["title"]
        prof.sphere = spheres[item["sphere"]]
        for key in (
            "summary",
            "description",
            "duties",
            "skills",
            "tools",
            "subjects",
            "conditions",
            "onet_codes",
            "demand",
            "demand_source",
            "demand_date",
            "open_vacancies",
        ):
            setattr(prof, key, item[key])
        prof.salary_min, prof.salary_max = item["salary"]["min"], item["salary"]["max"]
        prof.riasec = item["riasec"]
        prof.source = "O*NET 29.3 (CC BY 4.0), адаптировано; " + ", ".join(item["onet_codes"])
        wanted = [
            (p["level"], p["programme"], p["duration_months"], list(p.get("where") or []))
            for p in item["education"]
        ]
        have = [
            (p.level, p.programme, p.duration_months, p.institutions) for p in prof.education_paths
        ]
        if have != wanted:
            prof.education_paths = [
                EducationPath(level=lv, programme=pr, duration_months=mo, institutions=inst)
                for lv, pr, mo, inst in wanted
            ]
        professions[slug] = prof
        db.session.add(prof)
    return professions


def _upsert_enterprises(cat: Catalogue, professions: dict) -> dict[str, Enterprise]:
    enterprises = _by_slug(Enterprise)
    for slug, item in cat.enterprises.items():
        ent = enterprises.get(slug) or Enterprise(slug=slug)
        for key in ("name", "town", "district", "industry", "description", "visiting_rules"):
            setattr(ent, key, item[key].strip())
        ent.address = (item.get("address") or "").strip()
        ent.illustrative = bool(item.get("illustrative"))
        ent.source = (item.get("source") or "").strip()
        ent.moderation_state = "approved"
        ent.professions = [professions[p] for p in item["professions"]]
        enterprises[slug] = ent
        db.session.add(ent)
    for slug, item in cat.enterprises.items():
        parent = item.get("parent")
        enterprises[slug].parent = enterprises[parent] if parent else None
    return enterprises


def _upsert_tours(cat: Catalogue, enterprises: dict, professions: dict) -> dict[str, TourProgramme]:
    tours = _by_slug(TourProgramme)
    for slug, item in cat.tours.items():
        tour = tours.get(slug) or TourProgramme(slug=slug)
        tour.enterprise = enterprises[item["enterprise"]]
        for key in (
            "title",
            "description",
            "duration_minutes",
            "group_min",
            "group_max",
            "adults_per_students",
            "safety_rules",
            "what_to_bring",
        ):
            setattr(tour, key, item[key])
        tour.min_age, tour.min_grade = item.get("min_age"), item.get("min_grade")
        tour.max_age, tour.max_grade = item.get("max_age"), item.get("max_grade")
        tour.accessibility = (item.get("accessibility") or "").strip()
        tour.price_rub = item.get("price_rub") or 0
        tour.moderation_state, tour.active = "approved", True
        tour.professions = [professions[p] for p in item["professions"]]
        tours[slug] = tour
        db.session.add(tour)
    db.session.flush()
    return tours


def session_times(schedule: dict, today: date, weeks: int = SESSION_WEEKS) -> list[datetime]:
    """Start times of a schedule's sessions from tomorrow for ``weeks`` weeks (local time)."""
    days = {WEEKDAYS.index(d) for d in schedule["weekdays"]}
    starts = [time.fromisoformat(str(t)) for t in schedule["times"]]
    result = []
    for offset in range(1, weeks * 7 + 1):
        day = today + timedelta(days=offset)
        if day.weekday() in days:
            result.extend(datetime.combine(day, t) for t in starts)
    return result


def _ensure_sessions(cat: Catalogue, tours: dict, today: date) -> int:
    existing = {(s.tour_id, s.starts_at) for s in db.session.scalars(select(TourSession))}
    created = 0
    for slug, item in cat.tours.items():
        tour = tours[slug]
        for starts_at in session_times(item["schedule"], today):
            if (tour.id, starts_at) not in existing and holiday_name(starts_at.date()) is None:
                db.session.add(TourSession(tour=tour, starts_at=starts_at, capacity=tour.group_max))
                created += 1
    return created


def _ensure_demo_accounts(cat: Catalogue, enterprises: dict, today: date) -> None:
    """Create the demo accounts of DESIGN.md, leaving existing ones as they are."""
    users = {u.email: u for u in db.session.scalars(select(User))}
    # One hash for every demo account: they share a password, and argon2 is slow on purpose.
    password_hash = next(
        (u.password_hash for u in users.values() if u.email.endswith("demo.local")), None
    ) or hash_password(DEMO_PASSWORD)

    def account(email: str, role: str, name: str, **extra) -> User:
        if email not in users:
            users[email] = User(
                email=email, password_hash=password_hash, role=role, display_name=name, **extra
            )
            db.session.add(users[email])
        return users[email]

    account("admin@demo.local", "admin", "Региональный координатор (демо)")
    classes = _demo_classes(cat, account)
    # counsellor1's «8 Б» is the full demo class: twelve students, enough for its interest
    # picture (five at least); the other 28 students spread over the other classes.
    full, others = classes[1], [c for i, c in enumerate(classes) if i != 1]
    joined = {m.student_id for c in classes for m in c.members if m.student_id is not None}
    for n in range(1, 41):
        school_class = full if n <= 12 else others[(n - 13) % len(others)]
        birth_year = today.year - school_class.grade - 7
        student = account(
            f"student{n:02d}@demo.local",
            "student",
            f"Ученик {n:02d}",
            birth_year=birth_year,
            grade=school_class.grade,
        )
        _demo_consents(student)
        if student.id is None or student.id not in joined:
            school_class.members.append(ClassMembership(student=student))
        if student.id is None or not db.session.scalar(
            select(InterestProfile.id).where(InterestProfile.user_id == student.id).limit(1)
        ):
            db.session.add(_demo_profile(student, n))
    for slug, enterprise in enterprises.items():
        user = account(f"employer@{slug}.demo.local", "employer", f"Сотрудник: {enterprise.name}")
        if not any(s.user is user for s in enterprise.staff):
            enterprise.staff.append(
                EnterpriseStaff(user=user, position="Ответственный за экскурсии", state="approved")
            )
        if not any(s.is_owner for s in enterprise.staff):  # the demo employer owns its team
            next(s for s in enterprise.staff if s.user is user).is_owner = True


def _demo_consents(student: User) -> None:
    """Demo students have agreed to their account, the class picture and bookings (a parent
    for those under 14), once."""
    from services import consent

    db.session.flush()
    for purpose in ("account", "counsellor", "booking"):
        if consent.current(student, purpose) is None:
            by = "parent" if consent.parent_decides(student, purpose) else "student"
            consent.decide(student, purpose, True, by)


# Demo test results: a few kinds of interest, so that a class's picture has a shape.
DEMO_INTERESTS = (
    ("сварка, станки, ремонт техники", ("physics", "technology"), "RIC"),
    ("роботы, программирование, электроника", ("informatics", "math"), "IRC"),
    ("выпечка, кулинария, пищевое производство", ("chemistry", "biology"), "RSC"),
    ("дизайн, рисование, стекло и керамика", ("art", "technology"), "ARE"),
    ("склад, логистика, грузовики", ("math", "geography"), "CER"),
    ("лаборатория, химия, лекарства", ("chemistry", "biology"), "ICR"),
)


# The full demo class leans to hands-on work, so that some figures show and others (under
# five students) are held back.
DEMO_FULL_CLASS = (0, 1, 0, 2, 0, 1, 0, 0, 1, 2, 0, 1)


def _demo_profile(student: User, n: int) -> InterestProfile:
    """A test result for demo student ``n``: its three strongest areas high, the rest low."""
    kind = DEMO_FULL_CLASS[n - 1] if n <= len(DEMO_FULL_CLASS) else (n - 1) % len(DEMO_INTERESTS)
    interests, subjects, top = DEMO_INTERESTS[kind]
    levels = {a: 0.2 for a in "RIASEC"}
    for rank, area in enumerate(top):
        levels[area] = (0.9, 0.7, 0.55)[rank]
    return InterestProfile(
        user=student,
        riasec=levels,
        answers={"form": "short", "items": {}},
        subjects=list(subjects),
        interests=interests,
    )


def _demo_classes(cat: Catalogue, account) -> list[SchoolClass]:
    schools = {(s.name, s.town): s for s in db.session.scalars(select(School))}
    classes = {c.join_code: c for c in db.session.scalars(select(SchoolClass))}
    result = []
    for n in range(1, 6):
        counsellor = account(f"counsellor{n}@demo.local", "counsellor", f"Профконсультант {n}")
        item = cat.schools[(n - 1) % len(cat.schools)]
        school = schools.get((item["name"], item["town"]))
        if school is None:
            school = School(name=item["name"], town=item["town"], district=item["district"])
            schools[(school.name, school.town)] = school
            db.session.add(school)
        counsellor.school = counsellor.school or school
        for grade, letter in zip((7, 8, 9), CLASS_LETTERS, strict=True):
            code = f"DEMO{n}{grade}{'ABV'[CLASS_LETTERS.index(letter)]}"
            if code not in classes:
                classes[code] = SchoolClass(
                    school=school,
                    counsellor=counsellor,
                    grade=grade,
                    name=f"{grade} {letter}",
                    join_code=code,
                    expected_size=24,
                )
                db.session.add(classes[code])
            result.append(classes[code])
    db.session.flush()
    return result
