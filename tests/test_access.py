"""Access rules for every route: anonymous, wrong role, right role.

The table below must name every route the app has; a new route without an entry fails
``test_every_route_has_an_access_rule``.
"""

from __future__ import annotations

import pytest

ROLES = ("student", "counsellor", "employer", "admin")

# rule -> (method, role allowed or None for public, path with ids filled by the fixture)
ROUTES = {
    "/": ("GET", None, "/"),
    "/about/data": ("GET", None, "/about/data"),
    "/healthz": ("GET", None, "/healthz"),
    "/professions": ("GET", None, "/professions"),
    "/professions/<slug>": ("GET", None, "/professions/{profession}"),
    "/professions/compare": ("GET", None, "/professions/compare"),
    "/professions/saved": ("GET", "visitor-or-student", "/professions/saved"),
    "/professions/<slug>/save": ("POST", "visitor-or-student", "/professions/{profession}/save"),
    "/professions/<slug>/compare": ("POST", None, "/professions/{profession}/compare"),
    "/enterprises": ("GET", None, "/enterprises"),
    "/enterprises/<slug>": ("GET", None, "/enterprises/{enterprise}"),
    "/tours": ("GET", None, "/tours"),
    "/tours/<id:tour_id>": ("GET", None, "/tours/{tour}"),
    "/vacancies": ("GET", None, "/vacancies"),
    "/vacancies/<id:offer_id>": ("GET", None, "/vacancies/{offer}"),
    "/vacancies/<id:offer_id>/respond": ("POST", "student", "/vacancies/{offer}/respond"),
    "/me/responses": ("GET", "student", "/me/responses"),
    "/me/responses/<id:response_id>/withdraw": (
        "POST",
        "student",
        "/me/responses/{response}/withdraw",
    ),
    "/me/offers": ("POST", "student", "/me/offers"),
    "/quiz": ("GET", None, "/quiz"),
    "/quiz/start": ("POST", None, "/quiz/start"),
    "/quiz/step/<id:number>": ("GET", None, "/quiz/step/1"),
    "/recommendations": ("GET", None, "/recommendations"),
    "/recommendations/<any(dismiss, restore):action>": (
        "POST",
        None,
        "/recommendations/dismiss",
    ),
    "/auth/login": ("GET", None, "/auth/login"),
    "/auth/register": ("GET", None, "/auth/register"),
    "/auth/register/<role>": ("GET", None, "/auth/register/student"),
    "/auth/logout": ("POST", "any", "/auth/logout"),
    "/auth/account": ("GET", "any", "/auth/account"),
    "/auth/account/password": ("POST", "any", "/auth/account/password"),
    "/auth/account/sign-out-everywhere": ("POST", "any", "/auth/account/sign-out-everywhere"),
    "/auth/account/tokens": ("POST", "counsellor", "/auth/account/tokens"),
    "/auth/account/tokens/<id:token_id>/revoke": (
        "POST",
        "any",
        "/auth/account/tokens/999/revoke",
    ),
    "/auth/reset": ("GET", None, "/auth/reset"),
    "/auth/reset/<token>": ("GET", "link", "/auth/reset/not-a-token"),
    "/me/": ("GET", "student", "/me/"),
    "/me/classes/join": ("POST", "student", "/me/classes/join"),
    "/me/privacy": ("GET", "student", "/me/privacy"),
    "/me/privacy/<purpose>/<any(give, withdraw):action>": (
        "POST",
        "student",
        "/me/privacy/counsellor/withdraw",
    ),
    "/me/privacy/parent": ("POST", "student", "/me/privacy/parent"),
    "/me/privacy/export.json": ("GET", "student", "/me/privacy/export.json"),
    "/me/privacy/delete": ("POST", "student", "/me/privacy/delete"),
    "/consent/<token>": ("GET", "link", "/consent/not-a-token"),
    "/consent/<token>/renew": ("POST", "link", "/consent/not-a-token/renew"),
    "/consent/<token>/export.json": ("GET", "link", "/consent/not-a-token/export.json"),
    "/consent/<token>/delete": ("POST", "link", "/consent/not-a-token/delete"),
    "/about/privacy": ("GET", None, "/about/privacy"),
    "/about/recommendations": ("GET", None, "/about/recommendations"),
    "/counsellor/": ("GET", "counsellor", "/counsellor/"),
    "/counsellor/classes": ("POST", "counsellor", "/counsellor/classes"),
    "/counsellor/classes/<id:class_id>": ("GET", "counsellor", "/counsellor/classes/{class}"),
    "/counsellor/classes/<id:class_id>/tours": (
        "GET",
        "counsellor",
        "/counsellor/classes/{class}/tours",
    ),
    "/counsellor/classes/<id:class_id>/sessions/<id:session_id>/book": (
        "GET",
        "counsellor",
        "/counsellor/classes/{class}/sessions/{session}/book",
    ),
    "/counsellor/classes/<id:class_id>/trips.csv": (
        "GET",
        "counsellor",
        "/counsellor/classes/{class}/trips.csv",
    ),
    "/counsellor/classes/<id:class_id>/trips.ics": (
        "GET",
        "counsellor",
        "/counsellor/classes/{class}/trips.ics",
    ),
    "/counsellor/classes/<id:class_id>/hours": (
        "GET",
        "counsellor",
        "/counsellor/classes/{class}/hours",
    ),
    "/counsellor/classes/<id:class_id>/hours/level": (
        "POST",
        "counsellor",
        "/counsellor/classes/{class}/hours/level",
    ),
    "/counsellor/classes/<id:class_id>/hours.csv": (
        "GET",
        "counsellor",
        "/counsellor/classes/{class}/hours.csv",
    ),
    "/counsellor/classes/<id:class_id>/hours.xlsx": (
        "GET",
        "counsellor",
        "/counsellor/classes/{class}/hours.xlsx",
    ),
    "/counsellor/classes/<id:class_id>/hours/<id:student_id>": (
        "GET",
        "counsellor",
        "/counsellor/classes/{class}/hours/{student}",
    ),
    "/counsellor/classes/<id:class_id>/hours/entries/<id:entry_id>/delete": (
        "POST",
        "counsellor",
        "/counsellor/classes/{class}/hours/entries/{entry}/delete",
    ),
    "/counsellor/trips/<id:booking_id>": ("GET", "counsellor", "/counsellor/trips/{trip}"),
    "/counsellor/trips/<id:booking_id>/size": (
        "POST",
        "counsellor",
        "/counsellor/trips/{trip}/size",
    ),
    "/counsellor/trips/<id:booking_id>/facts": (
        "POST",
        "counsellor",
        "/counsellor/trips/{trip}/facts",
    ),
    "/counsellor/trips/<id:booking_id>/cancel": (
        "POST",
        "counsellor",
        "/counsellor/trips/{trip}/cancel",
    ),
    "/counsellor/trips/<id:booking_id>/accept": (
        "POST",
        "counsellor",
        "/counsellor/trips/{trip}/accept",
    ),
    "/counsellor/trips/<id:booking_id>/sheet": (
        "GET",
        "counsellor",
        "/counsellor/trips/{trip}/sheet",
    ),
    "/counsellor/trips/<id:booking_id>/consent": (
        "GET",
        "counsellor",
        "/counsellor/trips/{trip}/consent",
    ),
    "/counsellor/trips/<id:booking_id>/briefing": (
        "GET",
        "counsellor",
        "/counsellor/trips/{trip}/briefing",
    ),
    "/counsellor/trips/<id:booking_id>/order.docx": (
        "GET",
        "counsellor",
        "/counsellor/trips/{trip}/order.docx",
    ),
    "/counsellor/trips/<id:booking_id>/participants.docx": (
        "GET",
        "counsellor",
        "/counsellor/trips/{trip}/participants.docx",
    ),
    "/employer/": ("GET", "employer", "/employer/"),
    "/employer/profile": ("GET", "employer", "/employer/profile"),
    "/employer/profile/photos": ("POST", "employer", "/employer/profile/photos"),
    "/employer/profile/photos/<id:photo_id>/delete": (
        "POST",
        "employer",
        "/employer/profile/photos/{photo}/delete",
    ),
    "/media/enterprises/<filename>": ("GET", None, "/media/enterprises/{photo_file}"),
    "/employer/stats": ("GET", "employer", "/employer/stats"),
    "/employer/stats.csv": ("GET", "employer", "/employer/stats.csv"),
    "/employer/sessions": ("GET", "employer", "/employer/sessions"),
    "/employer/sessions/new": ("GET", "employer", "/employer/sessions/new"),
    "/employer/sessions/<id:session_id>/capacity": (
        "POST",
        "employer",
        "/employer/sessions/{session}/capacity",
    ),
    "/employer/sessions/<id:session_id>/<any(close, reopen):action>": (
        "POST",
        "employer",
        "/employer/sessions/{session}/close",
    ),
    "/employer/sessions/<id:session_id>/cancel": (
        "POST",
        "employer",
        "/employer/sessions/{session}/cancel",
    ),
    "/employer/offers": ("GET", "employer", "/employer/offers"),
    "/employer/offers/new": ("GET", "employer", "/employer/offers/new"),
    "/employer/offers/<id:offer_id>": ("GET", "employer", "/employer/offers/{offer}"),
    "/employer/offers/<id:offer_id>/edit": ("GET", "employer", "/employer/offers/{offer}/edit"),
    "/employer/offers/<id:offer_id>/<any(close, open):action>": (
        "POST",
        "employer",
        "/employer/offers/{offer}/close",
    ),
    "/employer/responses/<id:response_id>": (
        "POST",
        "employer",
        "/employer/responses/{response}",
    ),
    "/employer/sessions/<id:session_id>": ("GET", "employer", "/employer/sessions/{session}"),
    "/employer/sessions/<id:session_id>/bookings.csv": (
        "GET",
        "employer",
        "/employer/sessions/{session}/bookings.csv",
    ),
    "/employer/bookings/<id:booking_id>/attendance": (
        "POST",
        "employer",
        "/employer/bookings/{booking}/attendance",
    ),
    "/employer/team": ("GET", "employer", "/employer/team"),
    "/employer/team/invite": ("POST", "employer", "/employer/team/invite"),
    "/employer/team/invites/<id:invite_id>/revoke": (
        "POST",
        "employer",
        "/employer/team/invites/{invite}/revoke",
    ),
    "/employer/team/<id:link_id>/remove": ("POST", "employer", "/employer/team/{link_id}/remove"),
    "/employer/team/<id:link_id>/owner": ("POST", "employer", "/employer/team/{link_id}/owner"),
    "/employer/invite/<token>": ("GET", "link", "/employer/invite/not-a-token"),
    "/employer/programmes": ("GET", "employer", "/employer/programmes"),
    "/employer/programmes/new": ("GET", "employer", "/employer/programmes/new"),
    "/employer/programmes/<id:tour_id>/edit": (
        "GET",
        "employer",
        "/employer/programmes/{tour}/edit",
    ),
    "/employer/programmes/<id:tour_id>/retire": (
        "POST",
        "employer",
        "/employer/programmes/{tour}/retire",
    ),
    "/employer/programmes/<id:tour_id>/restore": (
        "POST",
        "employer",
        "/employer/programmes/{tour}/restore",
    ),
    "/admin/": ("GET", "admin", "/admin/"),
    "/admin/revisions": ("GET", "admin", "/admin/revisions"),
    "/admin/revisions/<id:revision_id>": ("POST", "admin", "/admin/revisions/{revision_id}"),
    "/admin/programmes/<id:tour_id>": ("POST", "admin", "/admin/programmes/{tour}"),
    "/admin/enterprises/<id:enterprise_id>": (
        "POST",
        "admin",
        "/admin/enterprises/{enterprise_id}",
    ),
    "/admin/staff/<id:link_id>": ("POST", "admin", "/admin/staff/{link_id}"),
    "/admin/counsellors/<id:user_id>": ("POST", "admin", "/admin/counsellors/{counsellor_id}"),
    "/api/v1/openapi.json": ("GET", None, "/api/v1/openapi.json"),
    "/api/v1/professions": ("GET", None, "/api/v1/professions"),
    "/api/v1/professions/<slug>": ("GET", None, "/api/v1/professions/{profession}"),
    "/api/v1/classes": ("GET", "token:counsellor", "/api/v1/classes"),
    "/api/v1/recommendations": ("POST", "api", "/api/v1/recommendations"),
    "/tours/<id:tour_id>/sessions": ("GET", None, "/tours/{tour}/sessions"),
    "/sessions/<id:session_id>/book": ("POST", "student", "/sessions/{session}/book"),
    "/me/visits": ("GET", "student", "/me/visits"),
    "/me/visits/<id:booking_id>/cancel": ("POST", "student", "/me/visits/{booking}/cancel"),
    "/me/visits/<id:booking_id>/accept": ("POST", "student", "/me/visits/{booking}/accept"),
    "/me/visits/<id:booking_id>.ics": ("GET", "student", "/me/visits/{booking}.ics"),
    "/me/visits/<id:booking_id>/feedback": ("GET", "student", "/me/visits/{booking}/feedback"),
    "/counsellor/trips/<id:booking_id>/feedback": (
        "GET",
        "counsellor",
        "/counsellor/trips/{trip}/feedback",
    ),
    "/employer/feedback": ("GET", "employer", "/employer/feedback"),
    "/employer/feedback/<id:feedback_id>/report": (
        "POST",
        "employer",
        "/employer/feedback/{feedback}/report",
    ),
    "/admin/feedback": ("GET", "admin", "/admin/feedback"),
    "/admin/offers": ("GET", "admin", "/admin/offers"),
    "/admin/offers/<id:offer_id>": ("POST", "admin", "/admin/offers/{offer}"),
    "/admin/feedback/<id:feedback_id>": ("POST", "admin", "/admin/feedback/{feedback}"),
    "/notifications": ("GET", "any", "/notifications"),
    "/api/v1/sessions": ("GET", None, "/api/v1/sessions"),
    "/api/v1/tours": ("GET", None, "/api/v1/tours"),
    "/api/v1/vacancies": ("GET", None, "/api/v1/vacancies"),
    "/api/v1/sessions/<id:session_id>": ("GET", None, "/api/v1/sessions/{session}"),
    "/api/v1/sessions/<id:session_id>/bookings": (
        "POST",
        "token:counsellor",
        "/api/v1/sessions/{session}/bookings",
    ),
    "/api/v1/bookings/<id:booking_id>": ("GET", "token:counsellor", "/api/v1/bookings/1"),
    "/api/v1/bookings/<id:booking_id>/accept": (
        "POST",
        "token:counsellor",
        "/api/v1/bookings/1/accept",
    ),
}


@pytest.mark.parametrize("rule", sorted(r for r, v in ROUTES.items() if v[1] == "token:counsellor"))
def test_counsellor_api_routes_need_a_counsellor_token(client, world, rule):
    from services.accounts import create_api_token

    users, ids = world
    method, _, path = ROUTES[rule]
    url = path.format(**ids)
    assert client.open(url, method=method).status_code == 401
    token = create_api_token(users["student"])
    wrong = client.open(url, method=method, headers={"Authorization": f"Bearer {token}"})
    assert wrong.status_code == 403 and wrong.json["error"]["code"] == "forbidden"


def test_every_route_has_an_access_rule(app):
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert rules == set(ROUTES), f"missing: {rules - set(ROUTES)}, stale: {set(ROUTES) - rules}"


def _call(client, method, path):
    return client.get(path) if method == "GET" else client.post(path, data={})


@pytest.mark.parametrize("rule", sorted(r for r, v in ROUTES.items() if v[1] is None))
def test_public_routes_answer_everyone(client, world, rule):
    method, _, path = ROUTES[rule]
    _, ids = world
    response = _call(client, method, path.format(**ids))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    if method == "GET":
        # A page may send a newcomer to its start (the quiz), but never to the login page.
        assert response.status_code == 200 or (
            response.status_code == 302 and "/auth/login" not in response.location
        )
    else:
        assert response.status_code in (303, 400, 422)


@pytest.mark.parametrize(
    "rule", sorted(r for r, v in ROUTES.items() if v[1] == "visitor-or-student")
)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_shortlist_is_for_visitors_and_students_only(client, auth, world, rule, role):
    users, ids = world
    method, _, path = ROUTES[rule]
    if role:
        auth.login(users[role])
    status = _call(client, method, path.format(**ids)).status_code
    if role in (None, "student"):
        assert status == 200 if method == "GET" else status == 303
    else:
        assert status == 403


@pytest.mark.parametrize(
    "rule", sorted(r for r, v in ROUTES.items() if v[1] in ROLES or v[1] == "any")
)
def test_anonymous_visitors_are_sent_to_login(client, world, rule):
    method, _, path = ROUTES[rule]
    _, ids = world
    response = _call(client, method, path.format(**ids))
    assert response.status_code == 302 and "/auth/login" in response.location
    htmx = client.open(path.format(**ids), method=method, headers={"HX-Request": "true"})
    # htmx follows HX-Redirect on a 200, as django-htmx's client redirect does.
    assert htmx.status_code == 200 and "/auth/login" in htmx.headers["HX-Redirect"]
    assert "HX-Request" in htmx.headers["Vary"]


@pytest.mark.parametrize(
    ("rule", "role"),
    [
        (r, role)
        for r, v in sorted(ROUTES.items())
        if v[1] in ROLES
        for role in ROLES
        if role != v[1]
    ],
)
def test_wrong_role_is_forbidden(client, auth, world, rule, role):
    users, ids = world
    method, _, path = ROUTES[rule]
    auth.login(users[role])
    response = _call(client, method, path.format(**ids))
    assert response.status_code == 403
    assert "нет доступа" in response.get_data(as_text=True)


@pytest.mark.parametrize("rule", sorted(r for r, v in ROUTES.items() if v[1] in ROLES))
def test_right_role_gets_through(client, auth, world, rule):
    users, ids = world
    method, role, path = ROUTES[rule]
    auth.login(users[role])
    response = _call(client, method, path.format(**ids))
    # GET pages render; POSTs with an empty form are handled (re-shown or refused as bad
    # input), never forbidden.
    assert response.status_code in ((200,) if method == "GET" else (200, 303, 400, 422))
    # Every signed-in answer, page or download, is kept by no browser or proxy, and no page
    # can be framed.
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    if response.mimetype == "text/html":
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    if response.status_code == 303:
        assert "/auth/login" not in response.location
    if response.mimetype.startswith("text/"):
        assert "нет доступа" not in response.get_data(as_text=True)


def test_counsellor_cannot_see_another_counsellors_class(client, auth, make):
    other_class = make.school_class()
    auth.login(make.user("counsellor"))
    assert client.get(f"/counsellor/classes/{other_class.id}").status_code == 404


def test_api_classes_needs_a_counsellor_token(client, world):
    from services.accounts import create_api_token

    users, _ = world
    assert client.get("/api/v1/classes").status_code == 401
    student_token = create_api_token(users["student"])
    response = client.get("/api/v1/classes", headers={"Authorization": f"Bearer {student_token}"})
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"
    token = create_api_token(users["counsellor"])
    response = client.get("/api/v1/classes", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json["total"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/tours/abc",
        "/tours/99999999999999999999",
        "/counsellor/classes/-1",
        "/professions/%00",
        "/enterprises/../../etc",
        "/professions/no-such",
    ],
)
def test_malformed_or_unknown_ids_are_404(client, path):
    assert client.get(path).status_code == 404
