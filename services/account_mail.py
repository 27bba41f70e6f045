"""E-mails about an account itself (a password reset link, a parent's consent link, "someone
registered with your address"): sent to an address, not kept as notifications in the site,
because their links are secrets and some go to people without an account (parents).

Queued as a job (Redis when configured); when the broker does not answer, sent at once, since
no sweep will find them later. The text is rendered when sent, in the recipient's language.
"""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_mailman import EmailMessage

log = logging.getLogger(__name__)

SUBJECTS = {
    "password_reset": _l("Новый пароль для Профмаршрута"),
}


def send(to: str, kind: str, locale: str | None = None, **params) -> None:
    """Send the ``kind`` message to ``to`` (in the background when a worker runs)."""
    if kind not in SUBJECTS:
        raise ValueError(f"unknown account mail: {kind}")
    from jobs import enqueue

    if not enqueue("send_account_mail", to, kind, locale, params):
        deliver(to, kind, locale, params)


def deliver(to: str, kind: str, locale: str | None, params: dict) -> None:
    """Render and send one message (the job)."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        site = current_app.config["SITE_URL"].rstrip("/")
        body = render_template(f"email/{kind}.txt", site=site, **params)
        subject = str(SUBJECTS[kind])
    EmailMessage(subject=subject, body=body, to=[to]).send()
