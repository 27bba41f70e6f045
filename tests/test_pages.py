"""Public pages on the demo catalogue: plain and htmx, with user text escaped."""

from __future__ import annotations

from sqlalchemy import func, select

from extensions import db
from models import Enterprise, Profession, TourProgramme


def test_home_shows_in_demand_professions_and_next_tours(seeded_client):
    page = seeded_client.get("/").get_data(as_text=True)
    assert "Кого не хватает в регионе" in page
    assert "высокий спрос" in page
    assert "Ближайшие экскурсии" in page and "/tours/" in page


def test_profession_page_shows_the_work_study_demand_and_tours(seeded_client):
    page = seeded_client.get("/professions/svarshchik").get_data(as_text=True)
    assert "<h1>Сварщик</h1>" in page
    for heading in ("Обязанности", "Где учиться", "Спрос в регионе", "Где работают"):
        assert heading in page
    assert "51-4121.00" in page  # the O*NET code its interest profile comes from


def test_professions_list_as_page_and_as_fragment(seeded_client):
    page = seeded_client.get("/professions?q=сварщ")
    fragment = seeded_client.get("/professions?q=сварщ", headers={"HX-Request": "true"})
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]
    assert "<html" in page.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "Сварщик" in body
    # A history restore or boosted request gets the full page.
    restore = seeded_client.get(
        "/professions?q=сварщ",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.get_data(as_text=True)


def test_search_text_is_escaped(seeded_client):
    body = seeded_client.get("/professions?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_enterprise_and_tour_pages(seeded_client, seeded_app):
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.slug == "rusklimat-iksel"))
    page = seeded_client.get("/enterprises/rusklimat-iksel").get_data(as_text=True)
    assert enterprise.name in page and "Правила посещения" in page
    tour = db.session.scalar(select(TourProgramme).limit(1))
    page = seeded_client.get(f"/tours/{tour.id}").get_data(as_text=True)
    assert tour.title in page and "Правила безопасности" in page and "Свободных мест" in page


def test_enterprises_filter_by_town_as_fragment(seeded_client):
    response = seeded_client.get("/enterprises?town=Киржач", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "Русклимат" in body and "<html" not in body


def test_pending_enterprises_are_not_public(seeded_client, seeded_app):
    enterprise = db.session.scalar(select(Enterprise).limit(1))
    enterprise.moderation_state = "pending"
    db.session.commit()
    assert seeded_client.get(f"/enterprises/{enterprise.slug}").status_code == 404


def test_about_data_carries_the_onet_attribution(client):
    page = client.get("/about/data").get_data(as_text=True)
    assert "O*NET 29.3 Database" in page and "CC BY 4.0" in page and "USDOL/ETA" in page
    assert "демонстрационн" in page


def test_every_page_has_skip_link_live_region_and_csrf_header(client):
    page = client.get("/").get_data(as_text=True)
    assert 'class="skip-link" href="#main"' in page
    assert 'aria-live="polite"' in page
    assert '"X-CSRFToken"' in page


def test_signed_in_pages_offer_a_logout_form_with_csrf(client, auth, make):
    auth.login(make.user())
    page = client.get("/professions").get_data(as_text=True)
    assert 'action="/auth/logout"' in page and 'name="csrf_token"' in page


def test_profession_count_is_shown(seeded_client, seeded_app):
    total = db.session.scalar(select(func.count(Profession.id)))
    assert f"{total} профессий" in seeded_client.get("/").get_data(as_text=True)
