"""A 12-year-old registers on a phone, cannot book yet; the parent opens the link from the
e-mail (the outbox) on their own phone and agrees; the child can then book."""

from __future__ import annotations

import re
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import or_, select

from extensions import db
from models import TourProgramme, TourSession

pytestmark = pytest.mark.browser
PHRASE = "зелёный трактор едет домой"


def _phone(browser, live_server):
    return browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="ru-RU",
    )


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _tour_for_a_12_year_old(app) -> int:
    """A listed tour a 6th-grader of 12 may book, with a session that has seats."""
    with app.app_context():
        return db.session.scalar(
            select(TourProgramme.id)
            .join(TourSession, TourSession.tour_id == TourProgramme.id)
            .where(
                TourProgramme.is_listed,
                TourSession.is_bookable,
                or_(TourProgramme.min_age.is_(None), TourProgramme.min_age <= 12),
                or_(TourProgramme.min_grade.is_(None), TourProgramme.min_grade <= 6),
                or_(TourProgramme.max_grade.is_(None), TourProgramme.max_grade >= 6),
            )
            .order_by(TourProgramme.id)
            .limit(1)
        )


def _link_to(app, address: str) -> str:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    for path in sorted(folder.glob("*.eml"), reverse=True):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["To"] == address:
            return re.search(r"(/consent/\S+)", message.get_content()).group(1)
    raise AssertionError(f"no e-mail to {address}")


def test_a_12_year_old_books_after_the_parent_agrees(browser, live_server, live_application):
    tour_id = _tour_for_a_12_year_old(live_application)
    assert tour_id, "the demo catalogue has a tour for 12-year-olds"
    child = _phone(browser, live_server).new_page()
    child.goto("/auth/register/student")
    child.get_by_label("Электронная почта", exact=True).fill("timur12@example.com")
    child.get_by_label("Имя или ник").fill("Тимур")
    child.get_by_label("Год рождения").fill(str(date.today().year - 12))
    child.get_by_label("Класс или курс").fill("6")
    child.get_by_label("Почта родителя").fill("mama.timura@example.com")
    child.get_by_label("Пароль: не короче").fill(PHRASE)
    child.get_by_label("Пароль ещё раз").fill(PHRASE)
    _fits(child)
    child.get_by_role("button", name="Создать учётную запись").click()
    child.get_by_role("heading", name="Проверьте почту").wait_for()
    _fits(child)
    child.get_by_role("button", name="Войти").click()  # the address comes filled in
    assert child.get_by_label("Электронная почта").input_value() == "timur12@example.com"
    child.get_by_label("Пароль").fill(PHRASE)
    child.get_by_role("button", name="Войти").click()
    child.get_by_text("Пока нет согласия").wait_for()
    _fits(child)

    child.goto(f"/tours/{tour_id}")
    sessions = child.locator("#sessions")
    sessions.get_by_role("button", name="Записаться").first.click()
    refusal = sessions.locator(".error-message").first
    refusal.wait_for()
    assert "родитель" in refusal.inner_text()
    _fits(child)

    parent = _phone(browser, live_server).new_page()
    parent.goto(_link_to(live_application, "mama.timura@example.com"))
    parent.get_by_role("heading", name="Согласие родителя").wait_for()
    assert "Тимур" in parent.inner_text("main")
    _fits(parent)
    for group in parent.locator("fieldset.consent-item").all():
        group.get_by_label("Согласен(на)", exact=True).check()
    parent.get_by_role("button", name="Сохранить решение").click()
    parent.get_by_role("heading", name="Решение сохранено").wait_for()
    assert parent.inner_text("main").count("согласие дано") == 3
    _fits(parent)

    child.goto(f"/tours/{tour_id}")
    sessions = child.locator("#sessions")
    sessions.get_by_role("button", name="Записаться").first.click()
    sessions.locator("[role=status]").first.wait_for()
    assert "Вы записаны" in sessions.inner_text()
    child.goto("/me/privacy")
    assert child.inner_text("main").count("Согласие дано") >= 3
    _fits(child)
