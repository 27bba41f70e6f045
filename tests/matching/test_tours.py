"""Tours: only allowed ones, open to the student's age, at most two per enterprise."""

from __future__ import annotations

from matching import StudentProfile

WELDER = StudentProfile(interests="хочу варить металл сваркой", subjects=("technology",))


def test_every_tour_when_allowed_is_none(six_model):
    tours = six_model.recommend_tours(WELDER, None, limit=10)
    assert tours and all(t.next_session is None for t in tours)
    assert tours[0].enterprise_slug == "zavod"


def test_only_allowed_tours_with_their_session(six_model):
    allowed = {12: "2026-11-03 10:00", 14: ("session", 7)}
    tours = six_model.recommend_tours(WELDER, allowed, limit=10)
    assert {t.id for t in tours} <= set(allowed)
    assert all(t.next_session == allowed[t.id] for t in tours)
    assert six_model.recommend_tours(WELDER, {}, limit=10) == []


def test_age_filter(six_model):
    young = StudentProfile(interests=WELDER.interests, age=12)
    assert 11 not in {t.id for t in six_model.recommend_tours(young, None, limit=10)}
    older = StudentProfile(interests=WELDER.interests, age=14)
    assert 11 in {t.id for t in six_model.recommend_tours(older, None, limit=10)}
    unknown_age = {t.id for t in six_model.recommend_tours(WELDER, None, limit=10)}
    assert 11 in unknown_age  # no age given: no age filter


def test_an_enterprise_appears_at_most_twice(six_model):
    profile = StudentProfile(interests="сварка металла и код программ")
    enterprises = [t.enterprise_slug for t in six_model.recommend_tours(profile, None, limit=5)]
    assert enterprises.count("zavod") == 2  # three of its tours fit
    assert "it-park" in enterprises


def test_tours_with_nothing_in_common_are_left_out(six_model):
    tours = six_model.recommend_tours(StudentProfile(subjects=("technology",)), None, limit=5)
    assert {t.enterprise_slug for t in tours} == {"zavod"}


def test_tours_sorted_by_score(six_model, demo_model):
    for model in (six_model, demo_model):
        tours = model.recommend_tours(WELDER, None, limit=5)
        scores = [t.score for t in tours]
        assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)


def test_demo_tours_limit_and_age(demo_model, demo_docs):
    _, tour_docs = demo_docs
    min_age = {t.id: t.min_age or 0 for t in tour_docs}
    profile = StudentProfile(interests="станки и металл", age=12)
    tours = demo_model.recommend_tours(profile, None, limit=5)
    assert len(tours) == 5 and all(min_age[t.id] <= 12 for t in tours)
