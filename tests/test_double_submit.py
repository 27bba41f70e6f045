"""A double click, a retried request or the same form in two tabs: the second answer is the
first one's, never a 500 — tried with real parallel requests on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from extensions import db
from models import School, SchoolClass, ShortlistEntry, User
from tests.helpers import PASSWORD, Factory

ROUNDS = 20


def _post_at_once(*posts, headers=None):
    """Send POSTs ``(client, url, data)`` from parallel threads released together; return the
    responses in order."""
    return _at_once(
        *[lambda c=c, u=u, d=d: c.post(u, data=d, headers=headers or {}) for c, u, d in posts]
    )


HX = {"HX-Request": "true"}


def _at_once(*calls):
    """Run the calls in parallel threads released together; return their results in order."""
    # Requests made from the test itself share its session; end its transaction, or on SQLite
    # it would hold the write lock the parallel requests are waiting for.
    db.session.remove()
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(n, call):
        barrier.wait()
        results[n] = call()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _signed_in_pair(app, user):
    """Two clients holding the same signed-in browser session (a double click)."""
    first = app.test_client()
    first.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    second = app.test_client()
    second.set_cookie("session", first.get_cookie("session").value)
    return first, second


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_double_click_on_save_saves_once(shared_db_app):
    make = Factory()
    student = make.user("student")
    slugs = [make.profession().slug for _ in range(ROUNDS)]
    a, b = _signed_in_pair(shared_db_app, student)
    for slug in slugs:
        url, data = f"/professions/{slug}/save", {"want": "on"}
        first, second = _post_at_once((a, url, data), (b, url, data), headers=HX)
        assert first.status_code == second.status_code == 200
        assert "В избранном" in first.get_data(as_text=True)
        assert "В избранном" in second.get_data(as_text=True)
    assert _count(ShortlistEntry, ShortlistEntry.user_id == student.id) == ROUNDS


def test_the_same_registration_twice_at_once_creates_one_account(shared_db_app):
    for n in range(ROUNDS):
        data = {
            "email": f"twice{n}@example.com",
            "display_name": "Аня",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "birth_year": "2010",
            "grade": "9",
        }
        a, b = shared_db_app.test_client(), shared_db_app.test_client()
        url = "/auth/register/student"
        first, second = _post_at_once((a, url, data), (b, url, data))
        assert (first.status_code, second.status_code) == (200, 200)
        assert first.location == second.location
    assert _count(User) == ROUNDS


def test_two_counsellors_of_one_new_school_register_at_once(shared_db_app):
    for n in range(ROUNDS // 2):

        def register(who, n=n):
            data = {
                "email": f"{who}{n}@example.com",
                "display_name": who,
                "password": PASSWORD,
                "confirm": PASSWORD,
                "school_name": f"Школа № {n}",
                "town": "Ковров",
            }
            return shared_db_app.test_client().post("/auth/register/counsellor", data=data)

        first, second = _at_once(lambda: register("anna"), lambda: register("boris"))
        assert (first.status_code, second.status_code) == (200, 200)
    assert _count(School) == ROUNDS // 2


def test_double_click_on_create_class_creates_one_class(shared_db_app):
    counsellor = Factory().user("counsellor")
    counsellor.school = School(name="Школа 1", town="Владимир")
    db.session.commit()
    a, b = _signed_in_pair(shared_db_app, counsellor)
    for n in range(ROUNDS):
        name = f"{n} Б"
        # The second name differs only in spaces, which are not part of a class's name.
        url = "/counsellor/classes"
        first, second = _post_at_once(
            (a, url, {"name": name, "grade": "8"}), (b, url, {"name": f" {name}  ", "grade": "8"})
        )
        assert (first.status_code, second.status_code) == (303, 303)
        assert first.location == second.location
    assert _count(SchoolClass) == ROUNDS
    page = a.get(first.location).get_data(as_text=True)
    assert "Класс создан" in page


def test_a_class_name_taken_by_a_colleague_is_a_clear_refusal(shared_db_app):
    make = Factory()
    colleague = make.user("counsellor")
    school = School(name="Школа 2", town="Владимир")
    colleague.school = school
    make.school_class(counsellor=colleague, school=school, name="8 Б")
    me = make.user("counsellor", school=school)
    client = shared_db_app.test_client()
    client.post("/auth/login", data={"email": me.email, "password": PASSWORD})
    response = client.post("/counsellor/classes", data={"name": "8 Б ", "grade": "8"})
    assert response.status_code == 422
    assert "уже есть класс с таким названием" in response.get_data(as_text=True)
    assert _count(SchoolClass) == 1
