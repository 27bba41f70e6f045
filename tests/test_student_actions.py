"""What a student does teaches their recommendations, and the page says what it took in:
saved professions, visits and their rating, «не интересно» with an optional why (kept on the
account, carried over from the visitor's session), all through the site as a student uses it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from matching import StudentProfile
from models import Booking, DismissedProfession, Feedback, Profession, TourSession
from models._common import local_now
from services import privacy
from services.recommendations import recommend
from tests.helpers import AuthActions, Factory
from tests.test_quiz import _recommended, _take, realistic


def _page(client, url="/recommendations") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _reasons(page: str, slug: str) -> str:
    """The «Почему: …» line of one recommended profession."""
    item = page.split(f'<a href="/professions/{slug}">', 1)[1].split("</li>", 1)[0]
    found = re.search(r'<p class="reasons">(.*?)</p>', item, re.S)
    return found.group(1) if found else ""


def _id(slug: str) -> int:
    return db.session.scalar(select(Profession.id).where(Profession.slug == slug))


@pytest.fixture
def student(seeded_app):
    return Factory().user("student")


@pytest.fixture
def signed_in(seeded_client, student):
    AuthActions(seeded_client).login(student)
    return seeded_client


def _visit(student, rating: int | None, showing: list[str]) -> tuple[TourSession, list[str]]:
    """A past visit of the student alone to a demo tour that shows one of ``showing``, rated
    or not; the session and the slugs of the professions the tour shows."""
    session = next(
        s
        for s in db.session.scalars(select(TourSession).order_by(TourSession.id))
        if s.tour.is_listed and {p.slug for p in s.tour.professions} & set(showing)
    )
    past = TourSession(tour=session.tour, starts_at=local_now() - timedelta(days=3), capacity=10)
    db.session.add(past)
    db.session.flush()
    booking = Booking(
        session_id=past.id,
        booked_by_id=student.id,
        kind="individual",
        students=1,
        state="attended",
    )
    db.session.add(booking)
    db.session.flush()
    if rating is not None:
        db.session.add(Feedback(booking_id=booking.id, author_id=student.id, rating=rating))
    db.session.commit()
    return past, [p.slug for p in session.tour.professions]


def _ranking(seeded_app, interests: str) -> list[str]:
    """The first 30 professions the site gives this test's answers, with no actions."""
    with seeded_app.test_request_context():
        profile = StudentProfile(interests=interests, subjects=("physics", "technology"))
        found = recommend(profile, limit=30, tour_limit=0)
    return [p["slug"] for p in found["professions"]]


def test_a_saved_profession_rises_with_a_reason_that_says_so(seeded_client, seeded_app):
    """A visitor saves a profession the list had at 15th (found in the explorer, say): it
    comes into the first ten with «вы сохранили эту профессию», and the page says what it
    took in."""
    _take(seeded_client, realistic, {"interests": "люблю чинить технику"})
    before = _recommended(_page(seeded_client))
    chosen = next(s for s in _ranking(seeded_app, "люблю чинить технику")[14:] if s not in before)
    title = db.session.scalar(select(Profession.title).where(Profession.slug == chosen))
    response = seeded_client.post(f"/professions/{chosen}/save", data={"want": "on"})
    assert response.status_code in (200, 303)
    page = _page(seeded_client)
    after = _recommended(page)
    assert chosen in after, (chosen, after)
    assert "вы сохранили эту профессию" in _reasons(page, chosen)
    assert "Что мы учли" in page and f"Вы сохранили профессию «{title}»" in page


def test_what_the_student_wrote_still_leads_after_a_save(seeded_client):
    _take(seeded_client, realistic, {"interests": "сварка"})
    seeded_client.post("/professions/povar/save", data={"want": "on"})
    assert _recommended(_page(seeded_client))[0] == "svarshchik"


def test_without_actions_the_page_claims_nothing(seeded_client):
    _take(seeded_client, realistic, {"interests": "сварка"})
    page = _page(seeded_client)
    assert "Что мы учли" not in page and "сохранили" not in page


def test_a_visit_rated_well_lifts_what_it_showed_and_is_not_offered_again(signed_in, student):
    _take(signed_in, realistic, {"interests": "хз"})
    plain = _recommended(_page(signed_in))
    past, shown = _visit(student, rating=5, showing=plain[3:])
    page = _page(signed_in)
    tour = past.tour
    assert f"Вы были на экскурсии «{tour.title}»" in page and "ваша оценка: 5 из 5" in page
    after = _recommended(page)
    lifted = [s for s in shown if s in after]
    assert lifted, (shown, after)
    assert any(f"экскурсии «{tour.title}», где вы были" in _reasons(page, s) for s in lifted), [
        _reasons(page, s) for s in lifted
    ]
    assert all(after.index(s) <= (plain.index(s) if s in plain else 99) for s in lifted)
    assert f'/tours/{tour.id}"' not in page.split('id="tours-h"', 1)[1]


def test_a_visit_rated_poorly_lowers_what_it_showed(signed_in, student):
    _take(signed_in, realistic, {"interests": "хз"})
    plain = _recommended(_page(signed_in))
    _, shown = _visit(student, rating=1, showing=plain)
    after = _recommended(_page(signed_in))
    were = [s for s in shown if s in plain]
    assert were, "the fixture's tour should show a profession this profile gets"
    for slug in were:
        assert slug not in after or after.index(slug) > plain.index(slug)


def test_not_interested_with_why_is_kept_on_the_account(signed_in, student, seeded_app):
    """Set aside, asked why once, told what the answer changes; another device sees it gone;
    a made-up reason is refused and changes nothing; «Показать снова» brings it back."""
    _take(signed_in, realistic, {"interests": "люблю чинить технику и паять"})
    gone = _recommended(_page(signed_in))[0]
    response = signed_in.post("/recommendations/dismiss", data={"slug": gone})
    page = _page(signed_in, response.location)
    assert "Почему" in page and "Можно не отвечать" in page and 'value="study"' in page
    rows = db.session.scalars(select(DismissedProfession)).all()
    assert [(r.user_id, r.profession_id, r.reason) for r in rows] == [(student.id, _id(gone), None)]
    response = signed_in.post("/recommendations/dismiss", data={"slug": gone, "why": "study"})
    assert response.status_code == 303 and "set_aside" not in response.location
    page = _page(signed_in)
    assert "похожие профессии оставили на местах" in page
    assert "не хочу этому учиться" in page and gone not in _recommended(page)
    db.session.expire_all()
    assert db.session.scalar(select(DismissedProfession.reason)) == "study"
    bad = signed_in.post("/recommendations/dismiss", data={"slug": gone, "why": "drop table"})
    assert bad.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(DismissedProfession.reason)) == "study"

    other = seeded_app.test_client()  # the same student on a phone
    AuthActions(other).login(student)
    assert gone not in _recommended(_page(other))

    signed_in.post("/recommendations/restore", data={"slug": gone})
    db.session.expire_all()
    assert db.session.scalars(select(DismissedProfession)).all() == []
    assert gone in _recommended(_page(other))


def test_why_work_lowers_those_like_it_and_why_study_does_not(seeded_client):
    _take(seeded_client, realistic, {"interests": "сварка"})
    before = _recommended(_page(seeded_client))
    gone = before[0]
    seeded_client.post("/recommendations/dismiss", data={"slug": gone, "why": "study"})
    kept = _recommended(_page(seeded_client))
    assert kept == [s for s in before if s != gone] + kept[len(before) - 1 :]
    seeded_client.post("/recommendations/dismiss", data={"slug": gone, "why": "work"})
    lowered = _recommended(_page(seeded_client))
    assert gone not in lowered and lowered != kept


def test_a_visitors_set_aside_professions_follow_them_into_the_account(seeded_client, student):
    _take(seeded_client, realistic, {"interests": "сварка"})
    gone = _recommended(_page(seeded_client))[0]
    seeded_client.post("/recommendations/dismiss", data={"slug": gone, "why": "place"})
    AuthActions(seeded_client).login(student)
    row = db.session.scalars(select(DismissedProfession)).one()
    assert (row.user_id, row.profession_id, row.reason) == (student.id, _id(gone), "place")
    assert gone not in _recommended(_page(seeded_client))


def test_set_aside_professions_are_in_the_export_and_go_with_the_account(signed_in, student):
    _take(signed_in, realistic, {"interests": "сварка"})
    gone = _recommended(_page(signed_in))[0]
    signed_in.post("/recommendations/dismiss", data={"slug": gone, "why": "work"})
    exported = privacy.export(student)["set_aside_professions"]
    title = db.session.get(Profession, _id(gone)).title
    assert [(e["profession"], e["why"]) for e in exported] == [(title, "work")]
    privacy.delete_student(student, by="student")
    db.session.commit()
    assert db.session.scalars(select(DismissedProfession)).all() == []


def test_reasons_from_actions_in_english(seeded_client):
    _take(seeded_client, realistic, {"interests": "сварщиком хочу"})
    seeded_client.post("/professions/povar/save", data={"want": "on"})
    page = _page(seeded_client, "/recommendations?lang=en")
    assert "you named this profession yourself" in _reasons(page, "svarshchik")
    assert "you saved this profession" in _reasons(page, "povar")
    assert "What we took into account" in page and "You saved the profession «Повар»" in page
