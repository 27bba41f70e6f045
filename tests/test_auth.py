"""Registration and sign-in for each role; CSRF; bad input leaves nothing behind."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Enterprise, EnterpriseStaff, School, User
from tests.helpers import PASSWORD, make_app, outbox

YEAR = date.today().year


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _account(**extra):
    return {
        "email": "New.Person@Example.com",
        "display_name": "Аня",
        "password": PASSWORD,
        "confirm": PASSWORD,
    } | extra


def _register(client, role, data):
    """Register, then sign in with the same address and password (as the answer says)."""
    response = client.post(f"/auth/register/{role}", data=data)
    assert response.status_code == 200 and "Проверьте почту" in response.get_data(as_text=True)
    return client.post("/auth/login", data={"email": data["email"], "password": data["password"]})


def test_student_registers_with_minimal_data_and_lands_on_their_page(client, app):
    response = _register(client, "student", _account(birth_year=YEAR - 15, grade=9))
    assert response.status_code == 303 and response.location.endswith("/me/")
    (welcome,) = outbox(app)
    assert welcome.to == "new.person@example.com" and "создана" in welcome.subject
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.grade) == ("new.person@example.com", "student", 9)
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert user.consent_state == "not_required"
    assert "Аня" in client.get("/me/").get_data(as_text=True)


def test_young_student_needs_parental_consent(client):
    refused = client.post("/auth/register/student", data=_account(birth_year=YEAR - 12, grade=6))
    assert refused.status_code == 422 and "укажите почту родителя" in refused.get_data(as_text=True)
    _register(
        client, "student", _account(birth_year=YEAR - 12, grade=6, parent_email="mama@example.com")
    )
    assert db.session.scalar(select(User)).consent_state == "pending"
    assert "Пока нет согласия" in client.get("/me/").get_data(as_text=True)


def test_counsellor_registers_with_a_school(client):
    response = _register(client, "counsellor", _account(school_name="Школа № 5", town="Ковров"))
    assert response.status_code == 303 and response.location.endswith("/counsellor/")
    user = db.session.scalar(select(User))
    assert user.role == "counsellor" and user.school.name == "Школа № 5"


def test_employer_registers_a_new_enterprise_that_waits_for_moderation(client):
    data = _account(
        position="Инженер",
        enterprise="",
        new_name="Завод «Пример»",
        new_town="Муром",
        new_district="округ Муром",
        new_industry="food",
    )
    response = _register(client, "employer", data)
    assert response.status_code == 303
    enterprise = db.session.scalar(select(Enterprise))
    assert enterprise.moderation_state == "pending" and enterprise.slug == "zavod-primer"
    link = db.session.scalar(select(EnterpriseStaff))
    assert link.state == "pending" and link.user.role == "employer"
    assert "на проверке" in client.get("/employer/").get_data(as_text=True)
    # Not on the public list until approved.
    assert "Пример" not in client.get("/enterprises").get_data(as_text=True)


def test_employer_can_pick_a_listed_enterprise(client, make):
    enterprise = make.enterprise(name="Стеклозавод")
    data = _account(position="Мастер", enterprise=enterprise.slug)
    assert client.post("/auth/register/employer", data=data).status_code == 200
    assert db.session.scalar(select(EnterpriseStaff)).enterprise_id == enterprise.id


def test_employer_without_any_enterprise_sees_field_messages(client):
    page = client.post("/auth/register/employer", data=_account(position="Мастер"))
    assert page.status_code == 422
    assert "Выберите предприятие из списка или заполните это поле." in page.get_data(as_text=True)
    assert _count(User) == 0 and _count(Enterprise) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_account(birth_year=YEAR - 40), "Сайт для учащихся 12–18 лет"),
        (_account(birth_year=YEAR - 15, confirm="other-password"), "Пароли не совпадают."),
        (_account(birth_year=YEAR - 15, password="short", confirm="short"), "не короче 10"),
        (_account(birth_year=YEAR - 15, email="not-an-email"), "Неверный адрес электронной почты."),
        (_account(birth_year="abc"), "Год рождения"),
        (_account(birth_year=YEAR - 15, grade=40), "Значение должно быть между 1 и 15."),
    ],
)
def test_bad_registration_shows_the_form_with_a_message_and_writes_nothing(client, data, message):
    response = client.post("/auth/register/student", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert _count(User) == 0


def test_registering_a_taken_email_answers_as_any_registration_and_tells_the_owner(
    client, make, app
):
    from services.accounts import hash_password

    make.user(email="taken@example.com", password_hash=hash_password("someone-elses-secret"))
    taken = client.post(
        "/auth/register/student", data=_account(email="TAKEN@example.com", birth_year=YEAR - 15)
    )
    free = app.test_client().post(
        "/auth/register/student", data=_account(email="free@example.com", birth_year=YEAR - 15)
    )
    # The same answer either way: nobody learns from it who has an account here.
    assert taken.status_code == free.status_code == 200

    def _page(r):
        return (
            r.get_data(as_text=True)
            .replace("taken@example.com", "X")
            .replace("free@example.com", "X")
        )

    assert (
        _page(taken).split("<main")[1].split("</main>")[0]
        == _page(free).split("<main")[1].split("</main>")[0]
    )
    assert _count(User) == 2
    mails = {m.to: m for m in outbox(app)}
    assert "уже есть учётная запись" in mails["taken@example.com"].body
    assert "создана" in mails["free@example.com"].subject
    # The person who tried cannot sign in to the account that was already there.
    assert (
        client.post(
            "/auth/login", data={"email": "taken@example.com", "password": PASSWORD}
        ).status_code
        == 422
    )


def test_the_same_registration_sent_twice_gets_the_same_answer(client, app):
    data = _account(birth_year=YEAR - 15, grade=9)
    first = client.post("/auth/register/student", data=data)
    second = app.test_client().post("/auth/register/student", data=data)  # another tab
    assert first.status_code == second.status_code == 200
    main = [r.get_data(as_text=True).split("<main")[1].split("</main>")[0] for r in (first, second)]
    assert main[0] == main[1]
    assert _count(User) == 1
    assert len(outbox(app)) == 1  # one welcome, not an "already registered" to oneself


def test_unknown_role_registration_is_404(client):
    assert client.get("/auth/register/admin").status_code == 404


@pytest.mark.parametrize("role", ["student", "counsellor", "employer", "admin"])
def test_each_role_signs_in_and_reaches_its_home(client, auth, make, role):
    user = make.employer() if role == "employer" else make.user(role)
    response = auth.login(user)
    assert response.status_code == 303
    home = {
        "student": "/me/",
        "counsellor": "/counsellor/",
        "employer": "/employer/",
        "admin": "/admin/",
    }[role]
    assert response.location.endswith(home)
    assert client.get(home).status_code == 200


def test_wrong_password_is_refused_with_a_message(client, auth, make):
    user = make.user()
    page = auth.login(user, "wrong-password").get_data(as_text=True)
    assert "Неверная почта или пароль." in page
    assert client.get("/me/").status_code == 302


def test_login_follows_a_local_next_but_not_an_external_one(client, make):
    user = make.user("counsellor")
    data = {"email": user.email, "password": PASSWORD}
    local = client.post("/auth/login?next=/counsellor/", data=data)
    assert local.location.endswith("/counsellor/")
    client.post("/auth/logout")
    external = client.post("/auth/login?next=//evil.example/", data=data)
    assert "evil" not in external.location


def test_logout_is_a_post_and_signs_out(client, auth, make):
    auth.login(make.user())
    assert client.get("/auth/logout").status_code == 405
    assert auth.logout().status_code == 303
    assert client.get("/me/").status_code == 302


def test_deactivated_account_cannot_sign_in(client, auth, make):
    user = make.user(active=False)
    assert "Неверная почта или пароль." in auth.login(user).get_data(as_text=True)


def test_csrf_is_enforced_end_to_end():
    application = make_app(WTF_CSRF_ENABLED=True)
    with application.app_context():
        db.create_all()
        client = application.test_client()
        data = _account(birth_year=YEAR - 15, grade=9)
        refused = client.post("/auth/register/student", data=data)
        assert refused.status_code == 400
        assert "Форма устарела" in refused.get_data(as_text=True)
        assert _count(User) == 0

        page = client.get("/auth/register/student").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        accepted = client.post("/auth/register/student", data=data | {"csrf_token": token})
        assert accepted.status_code == 200 and _count(User) == 1
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        signed_in = client.post(
            "/auth/login",
            data={"email": data["email"], "password": data["password"], "csrf_token": token},
        )
        assert signed_in.status_code == 303

        # htmx requests carry the token in the X-CSRFToken header from <body hx-headers>.
        page = client.get("/me/").get_data(as_text=True)
        header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
        no_header = client.post(
            "/me/classes/join", data={"code": "ABCDEFGH"}, headers={"HX-Request": "true"}
        )
        assert no_header.status_code == 400
        assert 'role="alert"' in no_header.get_data(as_text=True)  # a fragment, not a page
        with_header = client.post(
            "/me/classes/join",
            data={"code": "ABCDEFGH"},
            headers={"HX-Request": "true", "X-CSRFToken": header_token},
        )
        assert with_header.status_code == 422  # past CSRF; the code itself is unknown
        db.session.remove()
        db.drop_all()


def test_school_is_reused_for_a_second_counsellor(client):
    for n in (1, 2):
        client.post(
            "/auth/register/counsellor",
            data=_account(email=f"c{n}@example.com", school_name="Лицей 1", town="Владимир"),
        )
        client.post("/auth/logout")
    assert _count(School) == 1


def test_outside_the_test_suite_passwords_get_rfc_9106_argon2id_and_cheap_hashes_are_upgraded():
    """The suite hashes cheaply (TestingConfig); every other mode must not, and a hash made with
    weaker parameters is replaced at the next sign-in."""
    from config import Config
    from services.accounts import authenticate, hash_password

    strong = make_app(PASSWORD_HASH_PROFILE=Config.PASSWORD_HASH_PROFILE)
    with strong.app_context():
        db.create_all()
        assert hash_password(PASSWORD).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        user = User(email="old@example.com", role="counsellor", display_name="Old")
        with make_app().app_context():  # the suite's cheap parameters
            user.password_hash = hash_password(PASSWORD)
        assert "m=8,t=1" in user.password_hash
        db.session.add(user)
        db.session.commit()
        assert authenticate("old@example.com", PASSWORD) == user
        assert "m=65536,t=3" in db.session.get(User, user.id).password_hash
        db.session.remove()
        db.drop_all()
