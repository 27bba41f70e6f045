"""E-mails about an account itself (a password reset link, a parent's consent link, "someone
registered with your address"): sent to an address, not kept as notifications in the site,
because their links are secrets and some go to people without an account (parents).

Like notifications, a message belongs to the transaction that asked for it: it is queued
after that transaction commits (and dropped if it rolls back), so no link is ever mailed for a
request that was not stored. Queued as a job (Redis when configured); when the broker does not
answer, sent at once, since no sweep will find them later. The text is rendered when sent, in
the recipient's language.
"""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_mailman import EmailMessage
from sqlalchemy import event
from sqlalchemy.orm import Session

from extensions import db

log = logging.getLogger(__name__)

SUBJECTS = {
    "password_reset": _l("Новый пароль для Профмаршрута"),
    "parent_consent": _l("Профмаршрут: нужно ваше согласие"),
    "welcome": _l("Учётная запись на Профмаршруте создана"),
    "registration_exists": _l("Попытка регистрации с вашей почтой"),
    "staff_invite": _l("Приглашение в команду предприятия на Профмаршруте"),
}


PENDING = "account_mail_to_send"


def send(to: str, kind: str, locale: str | None = None, **params) -> None:
    """Send the ``kind`` message to ``to`` once this transaction commits."""
    if kind not in SUBJECTS:
        raise ValueError(f"unknown account mail: {kind}")
    db.session.info.setdefault(PENDING, []).append((to, kind, locale, params))


def _after_commit(session: Session) -> None:
    from jobs import enqueue

    for to, kind, locale, params in session.info.pop(PENDING, []):
        if not enqueue("send_account_mail", to, kind, locale, params):
            deliver(to, kind, locale, params)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


def listen_for_account_mail() -> None:
    """Send account mails after the commit of the transaction that asked for them."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def deliver(to: str, kind: str, locale: str | None, params: dict) -> None:
    """Render and send one message (the job)."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        site = current_app.config["SITE_URL"].rstrip("/")
        body = render_template(f"email/{kind}.txt", site=site, **params)
        subject = str(SUBJECTS[kind])
    EmailMessage(subject=subject, body=body, to=[to]).send()
