"""What probing the running site found about sessions and accounts, each as a test that failed
before the fix: sessions that outlived sign-out, a remember cookie that never changed, limits
that locked a school out, trusted proxy headers, weak passwords, caching of personal pages —
and the password reset that was missing."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import func, select

from extensions import db
from models import InterestProfile, LoginSession, User
from tests.helpers import PASSWORD, AuthActions, Factory, make_app, outbox


@pytest.fixture
def make(app):
    return Factory()


def _cookie(client, name: str) -> str | None:
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def _new_client(app, **cookies):
    client = app.test_client()
    for name, value in cookies.items():
        if value is not None:
            client.set_cookie(name, value)
    return client


def _signed_in(client) -> bool:
    return client.get("/me/").status_code == 200


# --- sessions -----------------------------------------------------------------------------------


def test_after_sign_out_the_old_session_cookie_opens_nothing(app, make):
    student = make.user("student")
    client = app.test_client()
    AuthActions(client).login(student)
    copied = _cookie(client, "session")
    assert _signed_in(client)
    AuthActions(client).logout()
    assert not _signed_in(client)
    # Someone who copied the cookie before sign-out (a shared computer) gets nothing.
    assert not _signed_in(_new_client(app, session=copied))


def test_the_remember_cookie_is_new_at_every_sign_in_lax_and_ends_with_sign_out(app, make):
    student = make.user("student")
    first, second = app.test_client(), app.test_client()
    headers = []
    for client in (first, second):
        response = client.post(
            "/auth/login", data={"email": student.email, "password": PASSWORD, "remember": "y"}
        )
        headers.append(next(h for h in response.headers.getlist("Set-Cookie") if "remember" in h))
    values = [SimpleCookie(h)["remember_token"] for h in headers]
    assert values[0].value != values[1].value
    for morsel in values:
        assert morsel["samesite"] == "Lax" and morsel["httponly"]
    assert "Max-Age=2592000" in headers[0] or "Expires" in headers[0]
    # The remember cookie alone signs in (a browser restarted) ...
    remembered = values[0].value
    assert _signed_in(_new_client(app, remember_token=remembered))
    # ... until that session is signed out.
    AuthActions(first).logout()
    assert not _signed_in(_new_client(app, remember_token=remembered))
    assert _signed_in(second)


def test_signing_out_everywhere_ends_every_browser(app, make):
    student = make.user("student")
    phone, school_pc = app.test_client(), app.test_client()
    for client in (phone, school_pc):
        AuthActions(client).login(student)
    page = phone.get("/auth/account").get_data(as_text=True)
    assert "на 2 устройствах" in page
    response = phone.post("/auth/account/sign-out-everywhere")
    assert response.status_code == 303
    assert not _signed_in(phone) and not _signed_in(school_pc)


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, make):
    student = make.user("student")
    here, elsewhere = app.test_client(), app.test_client()
    for client in (here, elsewhere):
        AuthActions(client).login(student)
    wrong = here.post(
        "/auth/account/password",
        data={
            "current": "not-my-password",
            "password": "мой кот любит молоко",
            "confirm": "мой кот любит молоко",
        },
    )
    assert wrong.status_code == 422 and "Нынешний пароль указан неверно" in wrong.get_data(
        as_text=True
    )
    assert _signed_in(elsewhere)
    done = here.post(
        "/auth/account/password",
        data={
            "current": PASSWORD,
            "password": "мой кот любит молоко",
            "confirm": "мой кот любит молоко",
        },
    )
    assert done.status_code == 303
    assert _signed_in(here) and not _signed_in(elsewhere)
    assert AuthActions(app.test_client()).login(student, "мой кот любит молоко").status_code == 303
    assert AuthActions(app.test_client()).login(student, PASSWORD).status_code == 422


def test_an_ended_or_forged_session_key_signs_nobody_in(app, make):
    student = make.user("student")
    client = app.test_client()
    AuthActions(client).login(student)
    row = db.session.scalars(select(LoginSession)).one()
    assert row.user_id == student.id and row.secret_hash and row.ended_at is None
    # The cookie holds the row's id and a secret, never the bare user id.
    with client.session_transaction() as session:
        key = session["_user_id"]
        assert key.startswith(f"{row.id}.") and len(key) > 20
        session["_user_id"] = f"{row.id}.forged-secret"
    assert not _signed_in(client)
    with client.session_transaction() as session:
        session["_user_id"] = str(student.id)  # what the cookie held before
    assert not _signed_in(client)
    with client.session_transaction() as session:
        session["_user_id"] = "99999999999999999999.x"
    assert not _signed_in(client)


def test_the_csrf_token_changes_at_sign_in():
    application = make_app(WTF_CSRF_ENABLED=True)
    with application.app_context():
        db.create_all()
        student = Factory().user("student")
        client = application.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        before = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        with client.session_transaction() as session:
            raw_before = session["csrf_token"]
        client.post(
            "/auth/login", data={"email": student.email, "password": PASSWORD, "csrf_token": before}
        )
        page = client.get("/me/").get_data(as_text=True)
        with client.session_transaction() as session:
            assert session["csrf_token"] != raw_before
        assert '"X-CSRFToken"' in page
        db.session.remove()
        db.drop_all()


def test_signing_out_leaves_nothing_of_the_test_for_the_next_student(app, make):
    """The shared school computer: one student half-finishes the test and signs out; the next
    signs in and finishes their own — their saved profile holds only their answers."""
    first, second = make.user("student"), make.user("student")
    client = app.test_client()
    AuthActions(client).login(first)
    client.post("/quiz/start", data={"length": "short"})
    page = client.get("/quiz/step/1").get_data(as_text=True)
    names = sorted(set(re.findall(r'name="(a_[^"]+)"', page)))
    assert names
    client.post("/quiz/step/1", data={name: "4" for name in names} | {"go": "next"})
    with client.session_transaction() as session:
        sealed = session.get("quiz")
    # Kept in the browser, but sealed: the cookie shows no answers.
    assert sealed and names[0][2:] not in sealed and '"answers"' not in sealed
    AuthActions(client).logout()
    with client.session_transaction() as session:
        assert "quiz" not in session and "quiz_result" not in session
    AuthActions(client).login(second)
    assert client.get("/quiz/step/1").status_code in (302, 303)  # nothing to resume
    assert db.session.scalar(select(func.count()).select_from(InterestProfile)) == 0


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,path",
    [
        ("student", "/me/"),
        ("student", "/professions"),
        ("student", "/auth/account"),
        ("counsellor", "/counsellor/"),
        ("employer", "/employer/"),
        ("admin", "/admin/"),
    ],
)
def test_signed_in_pages_are_never_stored(app, make, role, path):
    client = app.test_client()
    user = make.employer(make.enterprise()) if role == "employer" else make.user(role)
    AuthActions(client).login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_and_static_files_keep_their_caching(app, make):
    client = app.test_client()
    assert "no-store" not in client.get("/professions").headers.get("Cache-Control", "")
    AuthActions(client).login(make.user("student"))
    page = client.get("/me/").get_data(as_text=True)
    css = re.search(r'href="(/static/[^"]+\.css\?v=[^"]+)"', page).group(1)
    assert "immutable" in client.get(css).headers["Cache-Control"]


def test_framing_is_refused_by_both_headers(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_production_refuses_a_short_secret_key(monkeypatch):
    from app import create_app
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "short-key")
    with pytest.raises(RuntimeError, match="too short"):
        create_app(ProductionConfig)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    create_app(ProductionConfig)


def test_production_trusts_no_proxy_headers_unless_told(monkeypatch, tmp_path):
    from app import create_app
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/p.db")
    monkeypatch.setattr(ProductionConfig, "FORCE_HTTPS", False)
    application = create_app(ProductionConfig)
    seen = {}

    @application.get("/_probe")
    def probe():
        from flask import request, url_for

        seen["addr"], seen["url"] = request.remote_addr, url_for("main.home", _external=True)
        return "ok"

    client = application.test_client()
    client.get(
        "/_probe",
        headers={"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Host": "evil.example"},
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert seen["addr"] == "10.0.0.7" and "evil.example" not in seen["url"]


# --- rate limits -----------------------------------------------------------------------------


@pytest.fixture
def limited():
    application = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
    )
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.drop_all()


def _login(app, email, password, address="10.1.1.1"):
    client = app.test_client()
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_a_whole_school_signs_in_from_one_address(limited):
    make = Factory()
    students = [make.user("student") for _ in range(40)]
    codes = [_login(limited, s.email, PASSWORD) for s in students]
    assert codes == [303] * 40
    # One mistyped password each does not lock the school out either.
    codes = [_login(limited, s.email, "typo-password") for s in students[:30]]
    assert 429 not in codes


def test_failed_sign_ins_are_limited_per_account_from_any_address(limited):
    make = Factory()
    victim = make.user("student")
    codes = [_login(limited, victim.email, f"guess-{n}", f"10.2.0.{n}") for n in range(11)]
    assert codes[:10] == [422] * 10 and codes[10] == 429
    # Another account from the same addresses is not affected.
    other = make.user("student")
    assert _login(limited, other.email, PASSWORD, "10.2.0.3") == 303


def test_failed_sign_ins_across_many_accounts_are_limited_per_address(limited):
    codes = [
        _login(limited, f"nobody{n}@example.com", "wrong-password", "10.3.3.3") for n in range(61)
    ]
    assert codes[:60] == [422] * 60 and codes[60] == 429
    assert _login(limited, "someone@example.com", "wrong-password", "10.3.3.4") == 422


# --- passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password,why",
    [
        ("1234567890", "легко угадать"),
        ("qwertyuiop", "легко угадать"),
        ("ЙЦУКЕНГШЩЗ", "легко угадать"),
        ("пароль12345", "легко угадать"),
        ("0987654321", "легко угадать"),
        ("anya.petrova2011", "имени или почты"),
        ("Аня2011аня!", "имени или почты"),
        ("short", "не короче 10"),
    ],
)
def test_weak_passwords_are_refused_at_registration(client, password, why):
    data = {
        "email": "anya.petrova@example.com",
        "display_name": "Аня",
        "password": password,
        "confirm": password,
        "birth_year": 2010,
        "grade": 9,
    }
    response = client.post("/auth/register/student", data=data)
    assert response.status_code == 422
    assert why in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_long_passphrase_is_welcome(client):
    phrase = "мой кот любит молоко и сырники по субботам " * 3
    data = {
        "email": "pass@example.com",
        "display_name": "Аня",
        "password": phrase,
        "confirm": phrase,
        "birth_year": 2010,
        "grade": 9,
    }
    assert client.post("/auth/register/student", data=data).status_code == 200
    assert AuthActions(client).login("pass@example.com", phrase).status_code == 303


# --- password reset ----------------------------------------------------------------------------


def _reset_link(app) -> str:
    mail = [m for m in outbox(app) if "пароль" in m.subject.lower()][-1]
    return re.search(r"(/auth/reset/\S+)", mail.body).group(1)


def test_a_reset_link_works_once_and_ends_every_session(app, make):
    student = make.user("student")
    elsewhere = app.test_client()
    AuthActions(elsewhere).login(student)
    client = app.test_client()
    for email in (student.email, "nobody@example.com"):
        page = client.post("/auth/reset", data={"email": email})
        assert page.status_code == 200 and "Если на адрес" in page.get_data(as_text=True)
    mails = outbox(app)
    assert [m.to for m in mails] == [student.email]  # nobody@ got nothing, and was told the same
    link = _reset_link(app)
    assert client.get(link).status_code == 200
    weak = client.post(link, data={"password": "1234567890", "confirm": "1234567890"})
    assert weak.status_code == 422
    done = client.post(
        link, data={"password": "новая длинная фраза", "confirm": "новая длинная фраза"}
    )
    assert done.status_code == 303 and _signed_in(client)
    assert not _signed_in(elsewhere)
    again = app.test_client().get(link)
    assert again.status_code == 410 and "больше не действует" in again.get_data(as_text=True)


def test_a_reset_link_expires_after_an_hour(app, make, monkeypatch):
    import itsdangerous.timed

    student = make.user("student")
    client = app.test_client()
    client.post("/auth/reset", data={"email": student.email})
    link = _reset_link(app)
    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + 3601)
    assert client.get(link).status_code == 410


def test_reset_requests_are_rate_limited_per_address_and_per_account(limited):
    student = Factory().user("student")
    client = limited.test_client()
    codes = [
        client.post(
            "/auth/reset",
            data={"email": student.email},
            environ_base={"REMOTE_ADDR": f"10.9.0.{n}"},
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert len(outbox(limited)) == 3


# --- counsellors are approved before they see children -----------------------------------------


def test_a_new_counsellor_sees_no_class_until_regional_staff_approve(app, make):
    from services.accounts import create_api_token

    client = app.test_client()
    response = client.post(
        "/auth/register/counsellor",
        data={
            "email": "teacher@example.com",
            "display_name": "Ольга Петровна",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "school_name": "Школа № 5",
            "town": "Киржач",
        },
    )
    assert response.status_code == 200
    AuthActions(client).login("teacher@example.com")
    counsellor = db.session.scalar(select(User).where(User.email == "teacher@example.com"))
    assert counsellor.moderation_state == "pending"
    page = client.get("/counsellor/").get_data(as_text=True)
    assert "на проверке" in page and 'name="name"' not in page
    taken = client.post("/counsellor/classes", data={"name": "8 Б", "grade": 8})
    assert taken.status_code == 403 and not counsellor.taught_classes
    others = make.school_class()  # someone else's class: still not found, never shown
    assert client.get(f"/counsellor/classes/{others.id}").status_code == 403
    token = create_api_token(counsellor)
    api = app.test_client().get("/api/v1/classes", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 403 and api.json["error"]["code"] == "account_pending"

    admin = app.test_client()
    AuthActions(admin).login(make.user("admin"))
    queue = admin.get("/admin/").get_data(as_text=True)
    assert "Ольга Петровна" in queue and "Школа № 5" in queue
    assert (
        admin.post(f"/admin/counsellors/{counsellor.id}", data={"decision": "approve"}).status_code
        == 303
    )
    assert client.post("/counsellor/classes", data={"name": "8 Б", "grade": 8}).status_code == 303
    assert (
        app.test_client()
        .get("/api/v1/classes", headers={"Authorization": f"Bearer {token}"})
        .status_code
        == 200
    )


# --- API tokens ------------------------------------------------------------------------------


def test_api_tokens_are_listed_revocable_expiring_and_note_their_use(app, make, monkeypatch):
    from models import ApiToken
    from services import accounts

    counsellor = make.user("counsellor")
    client = app.test_client()
    AuthActions(client).login(counsellor)
    page = client.post("/auth/account/tokens").get_data(as_text=True)
    token = re.search(r"<code>(pm_[^<]+)</code>", page).group(1)
    row = db.session.scalars(select(ApiToken)).one()
    assert row.token_hash != token and token.startswith(row.prefix)
    assert 364 <= (row.expires_at - row.created_at).days <= 365
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/classes", headers=headers).status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).last_used_at is not None
    listing = client.get("/auth/account").get_data(as_text=True)
    assert row.prefix in listing and "использован" in listing and token not in listing

    # Expired: refused, and listed as such.
    db.session.get(ApiToken, row.id).expires_at = accounts.utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert api.get("/api/v1/classes", headers=headers).status_code == 401
    assert "истёк" in client.get("/auth/account").get_data(as_text=True)

    # Revoked: refused at once; someone else's token cannot be revoked by its id.
    client.post("/auth/account/tokens")
    fresh = db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
    other = app.test_client()
    AuthActions(other).login(make.user("counsellor"))
    assert other.post(f"/auth/account/tokens/{fresh.id}/revoke").status_code == 404
    assert client.post(f"/auth/account/tokens/{fresh.id}/revoke").status_code == 303
    db.session.expire_all()
    assert db.session.get(ApiToken, fresh.id).revoked


def test_only_counsellors_hold_api_tokens(app, make):
    client = app.test_client()
    AuthActions(client).login(make.user("student"))
    assert client.post("/auth/account/tokens").status_code == 403
    assert "Токены API" not in client.get("/auth/account").get_data(as_text=True)
