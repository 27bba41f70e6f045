"""The counsellor's planner: the class's interest picture (aggregate only, nothing behind fewer
than five students), tours ranked by how many students they fit, and the two trips that
together fit the most — on fixtures where the right answer is known by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from extensions import db
from models import ClassMembership, InterestProfile
from models._common import local_now
from services import class_planner
from services.class_planner import ClassTours, TourFit, rank_tours, two_trips
from services.visits import SessionLine
from tests.helpers import AuthActions, Factory

WELDER = {"R": 0.9, "I": 0.4, "A": 0.2, "S": 0.2, "E": 0.2, "C": 0.3}
BAKER = {"R": 0.6, "I": 0.2, "A": 0.7, "S": 0.5, "E": 0.2, "C": 0.2}


@pytest.fixture
def make(app):
    return Factory()


def _join(make, school_class, n, riasec=None, interests="", shares=True):
    """``n`` students in the class, each with a test result (when ``riasec`` or text given)."""
    students = []
    for _ in range(n):
        consents = ("account", "counsellor", "booking") if shares else ("account", "booking")
        student = make.user("student", consents=consents)
        db.session.add(ClassMembership(school_class=school_class, student=student))
        if riasec is not None or interests:
            db.session.add(InterestProfile(user=student, riasec=riasec or {}, interests=interests))
        students.append(student)
    db.session.commit()
    return students


# --- the picture -------------------------------------------------------------------------------


def test_four_answers_show_no_figure(make, client):
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor, expected_size=24)
    _join(make, school_class, 4, WELDER, "сварка и металл")
    picture = class_planner.class_picture(school_class)
    assert (picture.joined, picture.expected, picture.tested, picture.shared) == (4, 24, 4, 4)
    assert picture.riasec_means is None and picture.strongest is None and not picture.professions
    AuthActions(client).login(counsellor)
    page = client.get(f"/counsellor/classes/{school_class.id}").get_data(as_text=True)
    assert "Слишком мало ответов" in page
    assert "Вступили: 4" in page and "ожидается в классе: 24" in page and "прошли тест: 4" in page
    assert 'data-chart="radar"' not in page


def test_five_answers_show_the_means_and_hold_back_small_counts(make, client):
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor)
    _join(make, school_class, 5, WELDER)
    _join(make, school_class, 2, BAKER)
    picture = class_planner.class_picture(school_class)
    # Means by hand: R (5·0.9 + 2·0.6)/7 = 0.814…; A (5·0.2 + 2·0.7)/7 = 0.343…
    assert picture.riasec_means["R"] == 81 and picture.riasec_means["A"] == 34
    # R is the strongest area of the five welders; A of the two bakers: fewer than five.
    assert picture.strongest["R"] == 5 and picture.strongest["A"] is None
    AuthActions(client).login(counsellor)
    page = client.get(f"/counsellor/classes/{school_class.id}").get_data(as_text=True)
    assert "81%" in page and "меньше 5" in page and 'data-chart="radar"' in page


def test_students_without_consent_to_share_do_not_count(make):
    school_class = make.school_class()
    _join(make, school_class, 4, WELDER)
    _join(make, school_class, 3, WELDER, shares=False)
    picture = class_planner.class_picture(school_class)
    assert picture.tested == 7 and picture.shared == 4
    assert picture.riasec_means is None  # the three without consent are not in any figure


def test_a_students_own_words_never_reach_the_class_page(make, client):
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor)
    _join(make, school_class, 5, WELDER, "сварка")
    _join(make, school_class, 1, BAKER, "мечтаю печь торты как бабушка")
    AuthActions(client).login(counsellor)
    for path in ("", "/tours"):
        page = client.get(f"/counsellor/classes/{school_class.id}{path}").get_data(as_text=True)
        assert "бабушка" not in page and "торты" not in page


def test_the_dashboard_counts_joined_and_expected_apart(make, client):
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor, expected_size=24)
    _join(make, school_class, 3)
    AuthActions(client).login(counsellor)
    page = client.get("/counsellor/").get_data(as_text=True)
    row = page[page.index(school_class.name) :]
    row = row[: row.index("</tr>")]
    assert "<td>3</td><td>24</td>" in row


# --- the ranking and the pair, by hand -----------------------------------------------------------


def test_tours_rank_by_how_many_students_they_fit():
    # Tour 1 is the best of students 0–2, tour 2 of 3–4; tour 3 is everyone's second, a fit
    # for 3–4 (within 60 % of their best) but not for 0–2. Tours 2 and 3 both fit two; tour 3's
    # mean score is higher (0.42 against 0.38), so it comes second.
    per_student = [
        {1: 0.9, 2: 0.1, 3: 0.3},
        {1: 0.8, 2: 0.2, 3: 0.3},
        {1: 0.9, 3: 0.4},
        {2: 0.9, 3: 0.6},
        {2: 0.7, 3: 0.5},
    ]
    ranked = rank_tours(per_student)
    assert [t for t, _ in ranked] == [1, 3, 2]
    fits = dict(ranked)
    assert fits[1] == {0, 1, 2} and fits[2] == {3, 4} and fits[3] == {3, 4}


def test_a_tie_in_fits_goes_to_the_higher_mean_score():
    per_student = [{1: 0.9, 2: 0.8}, {1: 0.5, 2: 0.9}]
    assert [t for t, _ in rank_tours(per_student)] == [2, 1]  # both fit both; 2 scores more


def _line(session_id, tour_id, day):
    starts = datetime.combine(local_now().date() + timedelta(days=day), datetime.min.time())
    starts = starts.replace(hour=10)
    return SessionLine(session_id, tour_id, "t", "e", "town", starts, 30, 30, True, True)


def _fit(tour_id, fits, *days):
    sessions = [_line(tour_id * 100 + d, tour_id, d) for d in days]
    return TourFit(tour_id, f"T{tour_id}", "E", "town", frozenset(fits), 2, sessions, [], [])


def test_two_trips_cover_the_most_students_on_different_days():
    # A fits 0–5, B fits 0–3 (more than C, but all inside A), C fits 6–9: A + C covers all ten.
    a = _fit(1, range(0, 6), 3)
    b = _fit(2, range(0, 4), 4)
    c = _fit(3, range(6, 10), 5)
    pair = two_trips(ClassTours(False, 10, 10, [a, b, c]))
    assert (pair.first.tour_id, pair.second.tour_id) == (1, 3)
    assert pair.covered == 10 and pair.only_second == 4
    assert pair.first_session.starts_at.date() != pair.second_session.starts_at.date()


def test_two_trips_never_pair_sessions_on_the_same_day():
    a = _fit(1, range(0, 6), 3)
    c = _fit(3, range(6, 10), 3)  # only on A's day
    b = _fit(2, range(0, 3), 4)
    pair = two_trips(ClassTours(False, 10, 10, [a, b, c]))
    assert {pair.first.tour_id, pair.second.tour_id} != {1, 3}
    c_later = _fit(3, range(6, 10), 3, 6)  # C also has a later date: now A + C works
    pair = two_trips(ClassTours(False, 10, 10, [a, b, c_later]))
    assert (pair.first.tour_id, pair.second.tour_id, pair.covered) == (1, 3, 10)
    assert pair.second_session.starts_at.date() - pair.first_session.starts_at.date() == (
        timedelta(days=3)
    )


def test_no_pair_without_profiles_to_go_by():
    a, b = _fit(1, (), 3), _fit(2, (), 4)
    assert two_trips(ClassTours(True, 10, 0, [a, b])) is None


# --- the model on a small catalogue ------------------------------------------------------------


@pytest.fixture
def welders_and_bakers(make):
    """A class of six would-be welders and five would-be bakers; a welding plant, a bakery and
    an accounts office among the tours, each with sessions on different days."""
    weld = make.profession(
        title="Сварщик",
        summary="Сварка металлоконструкций сварочным аппаратом.",
        description="Сварщик соединяет металл сваркой: сварка швов, металлоконструкции.",
    )
    bake = make.profession(
        title="Пекарь",
        summary="Выпечка хлеба и булок.",
        description="Пекарь замешивает тесто и печёт хлеб: выпечка, тесто, хлебозавод.",
        riasec_r=0.6,
        riasec_a=0.6,
        riasec_s=0.4,
    )
    count = make.profession(
        title="Бухгалтер",
        summary="Учёт денег и отчёты.",
        description="Бухгалтер ведёт учёт, налоги, отчётность и платежи.",
        riasec_r=0.1,
        riasec_c=0.9,
        subjects=["math"],
    )
    tours = {}
    for key, profession, day in (("weld", weld, 3), ("bake", bake, 4), ("count", count, 5)):
        tour = make.tour(professions=[profession], group_max=30, min_age=None)
        make.session(tour=tour, starts_at=local_now() + timedelta(days=day), capacity=30)
        tours[key] = tour
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor)
    _join(make, school_class, 6, WELDER, "сварка, металл, сварочный аппарат")
    _join(make, school_class, 5, BAKER, "выпечка, печь хлеб, тесто")
    return counsellor, school_class, tours


def test_the_class_gets_the_welding_plant_first_and_the_bakery_as_the_second_trip(
    welders_and_bakers, client
):
    counsellor, school_class, tours = welders_and_bakers
    found = class_planner.tours_for_class(school_class)
    assert not found.fallback and found.students == 11
    by_id = {t.tour_id: t for t in found.tours}
    assert found.tours[0].tour_id == tours["weld"].id
    assert by_id[tours["weld"].id].fit_count == 6
    assert by_id[tours["bake"].id].fit_count == 5
    assert tours["count"].id not in by_id or by_id[tours["count"].id].fit_count == 0
    pair = two_trips(found)
    assert (pair.first.tour_id, pair.second.tour_id) == (tours["weld"].id, tours["bake"].id)
    assert pair.covered == 11 and pair.only_second == 5
    AuthActions(client).login(counsellor)
    page = client.get(f"/counsellor/classes/{school_class.id}/tours").get_data(as_text=True)
    assert "Две поездки на весь класс" in page and "у 11 из 11 учеников" in page
    assert page.index(tours["weld"].title) < page.index(tours["bake"].title)


def test_tours_without_seats_for_the_whole_group_are_left_out(welders_and_bakers):
    _, school_class, tours = welders_and_bakers
    session = tours["weld"].sessions[0]
    session.capacity = 12  # 11 students + 2 adults need 13
    db.session.commit()
    found = class_planner.tours_for_class(school_class)
    assert tours["weld"].id not in {t.tour_id for t in found.tours}
    smaller = class_planner.tours_for_class(school_class, students=9)  # 9 + 1 adult fit
    assert smaller.tours[0].tour_id == tours["weld"].id


def test_tours_the_grade_rule_refuses_are_left_out(welders_and_bakers):
    _, school_class, tours = welders_and_bakers
    tours["weld"].min_grade = 10
    db.session.commit()
    found = class_planner.tours_for_class(school_class)
    assert tours["weld"].id not in {t.tour_id for t in found.tours}


def test_with_fewer_than_five_tests_the_class_falls_back_to_in_demand_professions(make, client):
    welding = make.profession(
        title="Сварщик", summary="Сварка.", description="Сварщик, сварка металла.", demand="high"
    )
    quiet = make.profession(
        title="Флорист", summary="Цветы.", description="Букеты и цветы.", demand="low"
    )
    hot = make.tour(professions=[welding], min_age=None)
    cold = make.tour(professions=[quiet], min_age=None)
    for tour in (hot, cold):
        make.session(tour=tour)
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor, expected_size=12)
    _join(make, school_class, 2, WELDER, "цветы и букеты")
    found = class_planner.tours_for_class(school_class)
    assert found.fallback and found.tours[0].tour_id == hot.id
    assert two_trips(found) is None
    AuthActions(client).login(counsellor)
    page = client.get(f"/counsellor/classes/{school_class.id}/tours").get_data(as_text=True)
    assert "Тест прошли меньше 5 учеников" in page and "Подходит ученикам" not in page
