"""One tour session, the classes and students who want it, and the app under gunicorn: what the
booking races (tests) and the booking benchmark both run against."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bench.harness import free_port, serve

CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')


class BookingWorld:
    """A database with one bookable session, classes with their counsellors' API tokens and
    students who can sign in, served by gunicorn with ``workers`` workers."""

    def __init__(
        self,
        url: str,
        files: Path,
        capacity: int,
        classes: int,
        students: int,
        password: str,
        workers: int = 4,
        redis_url: str | None = None,
    ):
        self.url = url
        self.session_id, self.classes, self.students = _populate(
            url, capacity, classes, students, password
        )
        self.password = password
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = serve(
            None, self.port, workers=workers, database_url=url, files=files, redis_url=redis_url
        )

    def stop(self) -> None:
        """Stop the server."""
        self.server.terminate()
        self.server.wait()

    def student_client(self, email: str) -> tuple[httpx.Client, str]:
        """A browser-like client signed in as the student, and its CSRF token."""
        client = httpx.Client(base_url=self.base, timeout=60)
        token = CSRF_RE.search(client.get("/auth/login").text).group(1)
        login = {"email": email, "password": self.password, "csrf_token": token}
        client.post("/auth/login", data=login)
        return client, CSRF_RE.search(client.get("/me/").text).group(1)

    def counts(self) -> dict:
        """What the database holds for the session: seats counted, seats held, by state."""
        from models import Booking, TourSession

        engine = create_engine(self.url)
        with Session(engine) as s:
            session = s.get(TourSession, self.session_id)
            mine = Booking.session_id == self.session_id
            held = s.scalar(
                select(func.coalesce(func.sum(Booking.students + Booking.adults), 0)).where(
                    mine, Booking.holds_seats
                )
            )
            states = s.execute(
                select(Booking.state, func.count(Booking.id)).where(mine).group_by(Booking.state)
            ).all()
            waiting = s.scalars(
                select(Booking.students + Booking.adults).where(mine, Booking.is_waiting)
            ).all()
            result = {
                "capacity": session.capacity,
                "booked": session.seats_booked,
                "held": held,
                "states": dict(states),
                "waiting_sizes": list(waiting),
            }
        engine.dispose()
        return result


def _populate(url: str, capacity: int, classes: int, students: int, password: str):
    """Create the schema and the world; return (session id, [(token, class id)], [emails])."""
    from app import create_app
    from extensions import db
    from models import (
        Consent,
        Enterprise,
        School,
        SchoolClass,
        TourProgramme,
        TourSession,
        User,
    )
    from models._common import local_now
    from services.accounts import create_api_token, hash_password

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "world"})
    with app.app_context():
        db.create_all()
        tag = uuid.uuid4().hex[:8]
        enterprise = Enterprise(
            slug=f"plant-{tag}",
            name=f"Завод {tag}",
            town="Киржач",
            district="Киржачский район",
            industry="machine-building",
            moderation_state="approved",
        )
        programme = TourProgramme(
            slug=f"tour-{tag}",
            enterprise=enterprise,
            title="Цех сборки",
            description="…",
            duration_minutes=90,
            group_min=1,
            group_max=60,
            adults_per_students=10,
            moderation_state="approved",
        )
        session = TourSession(
            tour=programme, capacity=capacity, starts_at=local_now() + timedelta(days=5)
        )
        db.session.add(session)
        hashed = hash_password(password)
        tokens = []
        for n in range(classes):
            counsellor = User(
                email=f"c{n}-{tag}@example.com",
                password_hash=hashed,
                role="counsellor",
                display_name=f"Профконсультант {n}",
                school=School(name=f"Школа {n} {tag}", town="Владимир"),
            )
            school_class = SchoolClass(
                school=counsellor.school,
                counsellor=counsellor,
                name=f"{n} А",
                grade=9,
                join_code=f"W{n:03d}{tag[:5]}".upper(),
            )
            db.session.add(school_class)
            db.session.commit()
            tokens.append((create_api_token(counsellor), school_class.id))
        emails = [f"s{n}-{tag}@example.com" for n in range(students)]
        people = [
            User(
                email=e,
                password_hash=hashed,
                role="student",
                display_name="Ученик",
                birth_year=local_now().year - 15,
                grade=9,
            )
            for e in emails
        ]
        db.session.add_all(people)
        db.session.flush()
        # Fifteen-year-olds who agreed to their account and to booking visits.
        db.session.add_all(
            Consent(
                user_id=p.id, purpose=purpose, granted=True, version="2026-12", given_by="student"
            )
            for p in people
            for purpose in ("account", "booking")
        )
        db.session.commit()
        session_id = session.id
        db.session.remove()
        db.engine.dispose()
    return session_id, tokens, emails
