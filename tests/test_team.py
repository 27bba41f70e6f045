"""An enterprise's team: the owner invites a colleague by a mailed link that works once and for
a week, revokes it, removes members and hands ownership over; the colleague joins signed in
with the invited address or registers with it on the spot. Nobody else can do any of it, and
another enterprise's ids are not found. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import (
    AuditEntry,
    EnterpriseStaff,
    LoginSession,
    Notification,
    StaffInvite,
    User,
)
from models._common import utcnow
from services import moderation, team_invites
from services.team import TeamRefused
from tests.helpers import PASSWORD, AuthActions, Factory, make_app, outbox

NEW_PASSWORD = "синий трактор едет в поле"


@pytest.fixture
def make(any_db_app):
    return Factory()


def _owner_of(make, enterprise):
    owner = make.employer(enterprise)
    link = _link(owner)
    link.is_owner = True
    link.position = "Директор по персоналу"
    db.session.commit()
    return owner


def _link(user) -> EnterpriseStaff | None:
    return db.session.scalar(select(EnterpriseStaff).where(EnterpriseStaff.user_id == user.id))


def _client(app, user=None):
    client = app.test_client()
    if user is not None:
        AuthActions(client).login(user)
    return client


@pytest.fixture
def plant(any_db_app, make):
    """An enterprise with its owner (signed in) and one more member, and a session."""
    enterprise = make.enterprise(name="Завод «Пример»")
    owner = _owner_of(make, enterprise)
    member = make.employer(enterprise)
    session = make.session(tour=make.tour(enterprise=enterprise))
    return {
        "app": any_db_app,
        "enterprise": enterprise,
        "owner": owner,
        "member": member,
        "session": session,
        "client": _client(any_db_app, owner),
    }


def _invite(client, email="kollega@example.com", position="Мастер участка"):
    return client.post("/employer/team/invite", data={"email": email, "position": position})


def _link_in_mail(app, email="kollega@example.com") -> str:
    mails = [m for m in outbox(app) if m.to == email and "команду" in m.subject]
    return re.search(r"(/employer/invite/\S+)", mails[-1].body).group(1)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _state() -> dict:
    """What a refused request must leave as it was."""
    db.session.expire_all()
    return {
        "staff": sorted(
            db.session.execute(
                select(EnterpriseStaff.id, EnterpriseStaff.state, EnterpriseStaff.is_owner)
            ).all()
        ),
        "invites": sorted(
            db.session.execute(
                select(StaffInvite.id, StaffInvite.revoked_at, StaffInvite.accepted_at)
            ).all()
        ),
        "users": _count(User),
        "notifications": _count(Notification),
        "audit": _count(AuditEntry),
    }


# --- inviting and joining ----------------------------------------------------------------------


def test_the_invitation_mail_carries_a_link_that_joins_once(plant, make):
    app, client = plant["app"], plant["client"]
    colleague = make.user("employer", email="kollega@example.com", display_name="Пётр Иванов")
    response = _invite(client, email="  Kollega@Example.com ")
    assert response.status_code == 303 and response.location.endswith("/employer/team")
    mail = [m for m in outbox(app) if m.to == "kollega@example.com"][-1]
    assert "Завод «Пример»" in mail.body and plant["owner"].display_name in mail.body
    assert "7 дней" in mail.body and "Мастер участка" in mail.body
    link = _link_in_mail(app)
    token = link.rsplit("/", 1)[1]
    row = db.session.scalar(select(StaffInvite))
    # Only the token's digest is kept, and it opens for a week.
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in str(
        row.token_hash
    )
    assert timedelta(days=6, hours=23) < row.expires_at - utcnow() <= timedelta(days=7)

    theirs = _client(app, colleague)
    page = theirs.get(link)
    assert page.status_code == 200 and "Присоединиться" in page.get_data(as_text=True)
    joined = theirs.post(link)
    assert joined.status_code == 303 and joined.location.endswith("/employer/team")
    link_row = _link(colleague)
    assert link_row.state == "approved" and link_row.position == "Мастер участка"
    assert not link_row.is_owner
    assert theirs.get("/employer/team").status_code == 200
    # The owner hears of it; the audit log says who vouched.
    told = db.session.scalar(select(Notification).where(Notification.user_id == plant["owner"].id))
    assert told.kind == "team.joined" and "Пётр Иванов" in told.message
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "team.join"))
    assert entry.details["vouched_by"] == plant["owner"].id
    # Once only: a second click, or the link opened again, says it is used.
    again = theirs.post(link)
    assert again.status_code == 410 and "только один раз" in again.get_data(as_text=True)
    assert theirs.get(link).status_code == 410
    assert _count(EnterpriseStaff) == 3


def test_the_team_page_as_a_page_and_as_a_fragment(plant):
    client = plant["client"]
    _invite(client)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/employer/team", headers=headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
        assert plant["member"].display_name in page and plant["member"].email in page
        assert "владелец" in page and "kollega@example.com" in page
        assert ("<html" in page) is not bool(headers)


def test_a_member_sees_the_team_without_addresses_or_invitations(plant):
    _invite(plant["client"])
    member = _client(plant["app"], plant["member"])
    page = member.get("/employer/team").get_data(as_text=True)
    assert plant["owner"].display_name in page and "Директор по персоналу" in page
    assert plant["owner"].email not in page and "kollega@example.com" not in page
    assert "Отправить приглашение" not in page


@pytest.mark.parametrize("closing", ["expired", "revoked"])
def test_an_expired_or_revoked_invitation_says_so(plant, make, closing):
    app, client = plant["app"], plant["client"]
    _invite(client)
    link = _link_in_mail(app)
    row = db.session.scalar(select(StaffInvite))
    if closing == "expired":
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        text = "истёк"
    else:
        assert client.post(f"/employer/team/invites/{row.id}/revoke").status_code == 303
        text = "отозвано"
    colleague = make.user("employer", email="kollega@example.com")
    theirs = _client(app, colleague)
    for response in (theirs.get(link), theirs.post(link), app.test_client().get(link)):
        assert response.status_code == 410 and text in response.get_data(as_text=True)
    assert _link(colleague) is None
    assert "Открытых приглашений нет" in client.get("/employer/team").get_data(as_text=True)


def test_a_token_that_is_no_invitation_is_not_found(plant):
    client = plant["client"]
    for token in ("not-a-token", "x" * 300, "%00", "A" * 43):
        assert client.get(f"/employer/invite/{token}").status_code == 404


def test_a_new_invitation_to_the_same_address_replaces_the_open_one(plant, make):
    app, client = plant["app"], plant["client"]
    _invite(client, position="Мастер")
    first = _link_in_mail(app)
    _invite(client, position="Технолог")
    second = _link_in_mail(app)
    assert first != second
    page = client.get("/employer/team").get_data(as_text=True)
    invitations = page[page.index('id="invites-h"') : page.index("Пригласить сотрудника")]
    assert invitations.count("kollega@example.com") == 1 and "Технолог" in invitations
    theirs = _client(app, make.user("employer", email="kollega@example.com"))
    assert theirs.get(first).status_code == 410
    assert theirs.post(second).status_code == 303


def test_inviting_someone_already_on_the_team_says_so(plant):
    response = _invite(plant["client"], email=plant["member"].email.upper())
    assert response.status_code == 422
    assert "уже в команде" in response.get_data(as_text=True)
    assert _count(StaffInvite) == 0 and outbox(plant["app"]) == []


def test_at_most_twenty_open_invitations(plant):
    client = plant["client"]
    for n in range(team_invites.MAX_OPEN_INVITES):
        assert _invite(client, email=f"person{n}@example.com").status_code == 303
    refused = _invite(client, email="one-more@example.com")
    assert refused.status_code == 422 and "Открытых приглашений уже 20" in refused.get_data(
        as_text=True
    )
    # Replacing an open one is not a new one.
    assert _invite(client, email="person3@example.com").status_code == 303
    assert _count(StaffInvite) == 21


@pytest.mark.parametrize(
    "data",
    [
        {"email": "не почта", "position": "Мастер"},
        {"email": "a@example.com", "position": ""},
        {"email": "a@example.com", "position": "Мастер\u202e"},
        {"email": "a@example.com", "position": "М" * 10_000},
        {"email": "a" * 10_000 + "@example.com", "position": "Мастер"},
    ],
)
def test_a_bad_invitation_form_is_refused_next_to_the_field(plant, data):
    response = plant["client"].post("/employer/team/invite", data=data)
    assert response.status_code == 422 and "field-error" in response.get_data(as_text=True)
    assert _count(StaffInvite) == 0


def test_another_account_signed_in_is_told_so_and_changes_nothing(plant, make):
    app = plant["app"]
    _invite(plant["client"])
    link = _link_in_mail(app)
    stranger = _client(app, make.user("employer", email="someone-else@example.com"))
    student = _client(app, make.user("student", email="kollega@example.com"))
    page = stranger.get(link)
    assert page.status_code == 403
    assert "someone-else@example.com" in page.get_data(as_text=True)
    before = _state()
    assert stranger.post(link).status_code == 403
    assert _state() == before
    # An account with the invited address that is no employer's cannot take it either.
    assert "не как представитель" in student.get(link).get_data(as_text=True)
    assert student.post(link).status_code == 403
    assert _state() == before


def test_registering_through_the_invitation(plant):
    app = plant["app"]
    _invite(plant["client"])
    link = _link_in_mail(app)
    visitor = app.test_client()
    page = visitor.get(link).get_data(as_text=True)
    assert "kollega@example.com" in page and 'name="display_name"' in page
    assert "/auth/login?next=" in page  # or sign in, and come back here
    weak = visitor.post(
        link, data={"display_name": "Пётр", "password": "1234567890", "confirm": "1234567890"}
    )
    assert weak.status_code == 422 and "легко угадать" in weak.get_data(as_text=True)
    mismatch = visitor.post(
        link, data={"display_name": "Пётр", "password": NEW_PASSWORD, "confirm": "другое"}
    )
    assert mismatch.status_code == 422 and "не совпадают" in mismatch.get_data(as_text=True)
    hostile = visitor.post(
        link, data={"display_name": "Пётр\u202e", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert hostile.status_code == 422
    assert _count(User) == 2 + 0  # the owner and the member only
    done = visitor.post(
        link, data={"display_name": "Пётр", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert done.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "kollega@example.com"))
    assert user.role == "employer" and user.display_name == "Пётр"
    assert _link(user).state == "approved"
    assert db.session.scalar(select(StaffInvite.accepted_at)) is not None
    # Signed in already, with a session of its own.
    assert visitor.get("/employer/team").status_code == 200
    assert _count(LoginSession) >= 2
    assert app.test_client().get(link).status_code == 410


def test_an_address_with_an_account_signs_in_instead(plant, make):
    app = plant["app"]
    make.user("employer", email="kollega@example.com")
    _invite(plant["client"])
    link = _link_in_mail(app)
    visitor = app.test_client()
    page = visitor.get(link).get_data(as_text=True)
    assert 'name="display_name"' not in page and "уже есть учётная запись" in page
    before = _state()
    refused = visitor.post(
        link, data={"display_name": "Пётр", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert refused.status_code == 422 and _state() == before
    # Signing in brings them back to the invitation.
    signed_in = visitor.post(
        f"/auth/login?next={link}", data={"email": "kollega@example.com", "password": PASSWORD}
    )
    assert signed_in.location.endswith(link)
    assert visitor.post(link).status_code == 303


# --- who may change the team -------------------------------------------------------------------


def test_a_member_who_is_not_owner_can_change_nothing(plant):
    app, owner = plant["app"], plant["owner"]
    _invite(plant["client"])
    invite_id = db.session.scalar(select(StaffInvite.id))
    member = _client(app, plant["member"])
    before = _state()
    owner_link, member_link = _link(owner).id, _link(plant["member"]).id
    for path, data in (
        ("/employer/team/invite", {"email": "x@example.com", "position": "Мастер"}),
        (f"/employer/team/invites/{invite_id}/revoke", {}),
        (f"/employer/team/{owner_link}/remove", {}),
        (f"/employer/team/{member_link}/remove", {}),
        (f"/employer/team/{owner_link}/owner", {}),
        (f"/employer/team/{member_link}/owner", {}),
    ):
        assert member.post(path, data=data).status_code == 403, path
    assert _state() == before


def test_the_only_owner_cannot_leave_but_can_hand_over_first(plant):
    app, client, owner, member = plant["app"], plant["client"], plant["owner"], plant["member"]
    own = _link(owner).id
    refused = client.post(f"/employer/team/{own}/remove", follow_redirects=True)
    assert "единственный владелец" in refused.get_data(as_text=True)
    assert _link(owner) is not None
    assert client.post(f"/employer/team/{_link(member).id}/owner").status_code == 303
    db.session.expire_all()
    assert _link(member).is_owner and not _link(owner).is_owner
    assert (
        db.session.scalar(select(Notification.kind).where(Notification.user_id == member.id))
        == "team.owner"
    )
    # The former owner is a member now: no more invitations from them.
    assert _invite(client).status_code == 403
    new_owner = _client(app, member)
    assert new_owner.post(f"/employer/team/{own}/remove").status_code == 303
    assert _link(owner) is None


def test_a_removed_member_loses_the_enterprise(plant):
    app, member, session = plant["app"], plant["member"], plant["session"]
    theirs = _client(app, member)
    assert theirs.get(f"/employer/sessions/{session.id}").status_code == 200
    response = plant["client"].post(f"/employer/team/{_link(member).id}/remove")
    assert response.status_code == 303
    assert _link(member) is None
    for path in (f"/employer/sessions/{session.id}", "/employer/team", "/employer/programmes"):
        assert theirs.get(path).status_code == 404, path
    assert session.tour.title not in theirs.get("/employer/sessions").get_data(as_text=True)
    told = db.session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert told.kind == "team.removed" and "Завод «Пример»" in told.message


def test_another_enterprises_ids_are_not_found(plant, make):
    app = plant["app"]
    _invite(plant["client"])
    invite_id = db.session.scalar(select(StaffInvite.id))
    other = _client(app, _owner_of(make, make.enterprise()))
    before = _state()
    for path in (
        f"/employer/team/invites/{invite_id}/revoke",
        f"/employer/team/{_link(plant['member']).id}/remove",
        f"/employer/team/{_link(plant['owner']).id}/remove",
        f"/employer/team/{_link(plant['member']).id}/owner",
        "/employer/team/2147483647/remove",
    ):
        assert other.post(path).status_code == 404, path
    assert _state() == before
    assert plant["member"].email not in other.get("/employer/team").get_data(as_text=True)


def test_staff_awaiting_approval_have_no_team(any_db_app, make):
    waiting = make.employer(make.enterprise(), state="pending")
    client = _client(any_db_app, waiting)
    assert client.get("/employer/team").status_code == 404
    assert client.post("/employer/team/invite", data={"email": "a@example.com"}).status_code == 404


def test_the_invitation_form_needs_its_csrf_token():
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        try:
            make = Factory()
            owner = _owner_of(make, make.enterprise())
            client = app.test_client()
            login = client.get("/auth/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
            client.post(
                "/auth/login",
                data={"email": owner.email, "password": PASSWORD, "csrf_token": token},
            )
            data = {"email": "a@example.com", "position": "Мастер"}
            assert client.post("/employer/team/invite", data=data).status_code == 400
            assert _count(StaffInvite) == 0
            page = client.get("/employer/team").get_data(as_text=True)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            sent = client.post("/employer/team/invite", data=data | {"csrf_token": token})
            assert sent.status_code == 303 and _count(StaffInvite) == 1
        finally:
            db.session.remove()
            db.drop_all()


# --- the services ------------------------------------------------------------------------------


def test_accepting_twice_is_refused_by_the_service(plant, make):
    _invite(plant["client"])
    colleague = make.user("employer", email="kollega@example.com")
    row = db.session.scalar(select(StaffInvite))
    team_invites.accept(row.id, colleague)
    with pytest.raises(TeamRefused) as refusal:
        team_invites.accept(row.id, colleague)
    assert refusal.value.code == "accepted"
    assert _count(EnterpriseStaff) == 3


def test_the_first_approved_member_becomes_owner(any_db_app, make):
    enterprise = make.enterprise()
    admin = make.user("admin")
    first, second = (make.employer(enterprise, state="pending") for _ in range(2))
    moderation.decide_staff(_link(first), "approve", admin)
    moderation.decide_staff(_link(second), "approve", admin)
    assert _link(first).is_owner and not _link(second).is_owner


def test_staff_approved_before_owners_existed_get_the_oldest_as_owner(any_db_app, make):
    enterprise = make.enterprise()
    first, second = make.employer(enterprise), make.employer(enterprise)
    client = _client(any_db_app, second)
    page = client.get("/employer/team").get_data(as_text=True)
    assert "Отправить приглашение" not in page
    db.session.expire_all()
    assert _link(first).is_owner and not _link(second).is_owner
