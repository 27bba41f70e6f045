"""The authorization matrix over every route of the URL map and every method it accepts
(``tests/test_access.py`` holds the table of who may use each route, and fails on a route
missing from it):

- as a second user of the role that owns the ids in the path — a student opening another
  student's visit, a counsellor another counsellor's class, trip, student or entry: refused
  with 404 (we do not even say the thing exists);
- as anonymous visitors: sent to sign in;
- as each other role: 403;

and in every case nothing in the database changes (row counts of every table, and the state of
the rows people act on). A route with an id in its path that is missing from ``OWNED`` fails,
so a new route cannot skip the question "whose is this id?"."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from extensions import db
from tests.test_access import ROUTES

# Routes whose path ids belong to one user: the role that owns them. Ids of public things
# (professions, tours, sessions, enterprises) and regional staff's queues are not owned.
OWNED = {
    "/me/visits/<id:booking_id>/cancel": "student",
    "/me/visits/<id:booking_id>/accept": "student",
    "/me/visits/<id:booking_id>.ics": "student",
    "/counsellor/classes/<id:class_id>": "counsellor",
    "/counsellor/classes/<id:class_id>/tours": "counsellor",
    "/counsellor/classes/<id:class_id>/sessions/<id:session_id>/book": "counsellor",
    "/counsellor/classes/<id:class_id>/trips.csv": "counsellor",
    "/counsellor/classes/<id:class_id>/trips.ics": "counsellor",
    "/counsellor/classes/<id:class_id>/hours": "counsellor",
    "/counsellor/classes/<id:class_id>/hours/level": "counsellor",
    "/counsellor/classes/<id:class_id>/hours.csv": "counsellor",
    "/counsellor/classes/<id:class_id>/hours.xlsx": "counsellor",
    "/counsellor/classes/<id:class_id>/hours/<id:student_id>": "counsellor",
    "/counsellor/classes/<id:class_id>/hours/entries/<id:entry_id>/delete": "counsellor",
    "/counsellor/trips/<id:booking_id>": "counsellor",
    "/counsellor/trips/<id:booking_id>/size": "counsellor",
    "/counsellor/trips/<id:booking_id>/facts": "counsellor",
    "/counsellor/trips/<id:booking_id>/cancel": "counsellor",
    "/counsellor/trips/<id:booking_id>/accept": "counsellor",
    "/counsellor/trips/<id:booking_id>/sheet": "counsellor",
    "/counsellor/trips/<id:booking_id>/consent": "counsellor",
    "/counsellor/trips/<id:booking_id>/briefing": "counsellor",
    "/counsellor/trips/<id:booking_id>/order.docx": "counsellor",
    "/counsellor/trips/<id:booking_id>/participants.docx": "counsellor",
    # An enterprise's sessions and bookings: its own staff's.
    "/employer/sessions/<id:session_id>": "employer",
    "/employer/sessions/<id:session_id>/bookings.csv": "employer",
    "/employer/bookings/<id:booking_id>/attendance": "employer",
    "/employer/profile/photos/<id:photo_id>/delete": "employer",
    "/employer/sessions/<id:session_id>/capacity": "employer",
    "/employer/sessions/<id:session_id>/<any(close, reopen):action>": "employer",
    "/employer/sessions/<id:session_id>/cancel": "employer",
    # Offers are public once listed, but editing one and its responses are its enterprise's.
    "/employer/offers/<id:offer_id>": "employer",
    "/employer/offers/<id:offer_id>/edit": "employer",
    "/employer/offers/<id:offer_id>/<any(close, open):action>": "employer",
    "/employer/responses/<id:response_id>": "employer",
    "/me/responses/<id:response_id>/withdraw": "student",
    # Feedback: the visitor's own booking; a report, the enterprise's own feedback.
    "/me/visits/<id:booking_id>/feedback": "student",
    "/counsellor/trips/<id:booking_id>/feedback": "counsellor",
    "/employer/feedback/<id:feedback_id>/report": "employer",
    # An enterprise's team and programmes: its own staff's (link and tour ids are public
    # elsewhere, but here they are the enterprise's).
    "/employer/team/invites/<id:invite_id>/revoke": "employer",
    "/employer/team/<id:link_id>/remove": "employer",
    "/employer/team/<id:link_id>/owner": "employer",
    "/employer/programmes/<id:tour_id>/edit": "employer",
    "/employer/programmes/<id:tour_id>/retire": "employer",
    "/employer/programmes/<id:tour_id>/restore": "employer",
}
# Ids in a path that name nobody's property (a session is public, except under /employer/).
PUBLIC_IDS = {"tour_id", "session_id", "number", "enterprise_id", "link_id", "user_id", "offer_id"}
PUBLIC_IDS |= {"revision_id"}  # regional staff's queue of changes, no one user's
# Forms that would do something with an empty body: what a real attacker would send.
FORMS = {
    "/me/visits/<id:booking_id>/cancel": {},
    "/counsellor/classes/<id:class_id>/sessions/<id:session_id>/book": {
        "students": "5",
        "adults": "1",
        "transport": "walk",
    },
    "/counsellor/classes/<id:class_id>/hours/level": {"level": "advanced"},
    "/counsellor/trips/<id:booking_id>/size": {"students": "2", "adults": "1"},
    "/counsellor/trips/<id:booking_id>/facts": {"transport": "bus", "escorts": "Чужой"},
    "/employer/bookings/<id:booking_id>/attendance": {"came": "no"},
    "/employer/sessions/<id:session_id>/capacity": {"capacity": "40"},
    "/employer/sessions/<id:session_id>/cancel": {"reason": "Чужая отмена"},
    "/employer/responses/<id:response_id>": {"decision": "declined"},
    "/me/visits/<id:booking_id>/feedback": {"rating": "5", "liked": "Чужой отзыв"},
    "/counsellor/trips/<id:booking_id>/feedback": {"rating": "5", "liked": "Чужой отзыв"},
    "/employer/feedback/<id:feedback_id>/report": {"reason": "Чужая жалоба"},
    "/admin/feedback/<id:feedback_id>": {"decision": "hide"},
    "/employer/programmes/<id:tour_id>/edit": {
        "title": "Чужая программа",
        "description": "Описание, которое пишет не то предприятие.",
        "duration_minutes": "60",
        "min_age": "12",
        "group_min": "5",
        "group_max": "20",
        "adults_per_students": "10",
        "price_rub": "0",
        "booking_cutoff_hours": "0",
        "cancel_cutoff_hours": "2",
    },
}


def _methods(app, rule_text):
    rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_text)
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_with_an_owned_id_says_whose_it_is(app):
    for rule in app.url_map.iter_rules():
        owned_ids = set(rule.arguments) - PUBLIC_IDS - {"slug", "role", "token", "filename"}
        owned_ids -= {"purpose", "action", "token_id"}  # the signed-in user's own, by design
        # Regional staff's queues reach every id by design (their role is the whole check).
        if owned_ids and not rule.rule.startswith(("/api/", "/admin/")):
            assert rule.rule in OWNED, f"{rule.rule}: whose are {sorted(owned_ids)}?"


def _snapshot() -> dict:
    """Row counts of every table, and the state of the rows users act on."""
    counts = {}
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        counts[table.name] = db.session.scalar(select(func.count()).select_from(table))
    from models import Booking, CareerActivity, Feedback, ProfminimumLevel

    counts["bookings*"] = sorted(
        db.session.execute(
            select(Booking.id, Booking.state, Booking.students, Booking.adults, Booking.transport)
        ).all()
    )
    counts["activities*"] = sorted(db.session.execute(select(CareerActivity.id)).all())
    counts["feedback*"] = sorted(
        db.session.execute(
            select(Feedback.id, Feedback.reported_at, Feedback.report_reason, Feedback.hidden)
        ).all()
    )
    from models import TourSession, Vacancy, VacancyResponse

    counts["sessions*"] = sorted(
        db.session.execute(
            select(
                TourSession.id,
                TourSession.capacity,
                TourSession.state,
                TourSession.booking_closes_at,
            )
        ).all()
    )
    counts["offers*"] = sorted(
        db.session.execute(select(Vacancy.id, Vacancy.is_open, Vacancy.moderation_state)).all()
    )
    counts["responses*"] = sorted(
        db.session.execute(select(VacancyResponse.id, VacancyResponse.state)).all()
    )
    counts["levels*"] = sorted(
        db.session.execute(select(ProfminimumLevel.school_id, ProfminimumLevel.level)).all()
    )
    return counts


@pytest.fixture
def two_worlds(world, make):
    """The owner's world (``test_access.world``) and a second student and counsellor."""
    users, ids = world
    intruders = {
        "student": make.user("student"),
        "counsellor": make.user("counsellor"),
        "employer": make.employer(make.enterprise()),  # staff of another enterprise
    }
    return users, ids, intruders


@pytest.mark.parametrize("rule", sorted(OWNED))
def test_a_second_user_of_the_role_cannot_reach_or_change_the_firsts(
    app, client, auth, two_worlds, rule
):
    users, ids, intruders = two_worlds
    role = OWNED[rule]
    _, _, path = ROUTES[rule]
    url = path.format(**ids)
    auth.login(intruders[role])
    for method in _methods(app, rule):
        before = _snapshot()
        data = FORMS.get(rule, {}) if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 404, (method, url, response.status_code)
        db.session.expire_all()
        assert _snapshot() == before, (method, url)
    # The owner is let through the same door (so the 404 above is about ownership).
    auth.logout()
    auth.login(users[role])
    response = client.get(url) if "GET" in _methods(app, rule) else None
    if response is not None:
        assert response.status_code == 200, url


@pytest.mark.parametrize("rule", sorted(ROUTES))
def test_every_method_of_every_route_is_refused_to_anonymous_visitors_where_it_is_not_public(
    app, client, world, rule
):
    _, access, path = ROUTES[rule]
    if access in (None, "visitor-or-student", "link", "api") or access.startswith("token:"):
        return
    _, ids = world
    url = path.format(**ids)
    for method in _methods(app, rule):
        before = _snapshot()
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/auth/login" in response.location, (method, url)
        db.session.expire_all()
        assert _snapshot() == before, (method, url)


ROLES = ("student", "counsellor", "employer", "admin")


@pytest.mark.parametrize("rule", sorted(r for r, v in ROUTES.items() if v[1] in ROLES))
def test_every_method_of_a_roles_route_is_forbidden_to_the_other_roles(
    app, client, auth, world, rule
):
    users, ids = world
    _, role, path = ROUTES[rule]
    url = path.format(**ids)
    for other in ROLES:
        if other == role:
            continue
        auth.login(users[other])
        for method in _methods(app, rule):
            before = _snapshot()
            response = client.open(url, method=method, data=FORMS.get(rule))
            assert response.status_code == 403, (other, method, url, response.status_code)
            db.session.expire_all()
            assert _snapshot() == before, (other, method, url)
        auth.logout()
