"""Telling people what happened: a notification in the site, and an e-mail in their language.

``notify`` adds a ``Notification`` row to the caller's transaction, so the message exists if and
only if the change it reports was committed. After the commit a job (``jobs.py``) e-mails the
pending rows; a periodic sweep sends any that a lost job left behind. The text is made from
the kind and its parameters when it is read, in the reader's language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_mailman import EmailMessage
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from extensions import db
from models import Notification, User
from models._common import utcnow

log = logging.getLogger(__name__)
SESSION_FLAG = "notifications_to_send"
BATCH = 200


@dataclass(frozen=True)
class Kind:
    """How one kind of notification reads: a subject line and a body (``%(name)s`` params)."""

    subject: object
    body: object


# Parameters: tour (title), when (ISO start), enterprise, address, expires (ISO), reason,
# class_name, seats. Dates are formatted for the reader when the text is made.
KINDS = {
    "booking.confirmed": Kind(
        _l("Запись на экскурсию подтверждена"),
        _l(
            "Вы записаны на экскурсию «%(tour)s» (%(enterprise)s), %(when)s. "
            "Место сбора: %(address)s."
        ),
    ),
    "booking.class_confirmed": Kind(
        _l("Класс записан на экскурсию"),
        _l(
            "Класс %(class_name)s записан на экскурсию «%(tour)s» (%(enterprise)s), %(when)s: "
            "мест — %(seats)s. Место сбора: %(address)s."
        ),
    ),
    "booking.waitlisted": Kind(
        _l("Вы в листе ожидания"),
        _l(
            "Мест на экскурсию «%(tour)s», %(when)s, сейчас нет. Вы в листе ожидания: "
            "если места освободятся, мы предложим их вам."
        ),
    ),
    "booking.offered": Kind(
        _l("Освободились места — подтвердите запись"),
        _l(
            "На экскурсию «%(tour)s», %(when)s, освободились места, и они придержаны для вас "
            "до %(expires)s. Подтвердите запись в «Моих экскурсиях», иначе места уйдут "
            "следующему в очереди."
        ),
    ),
    "booking.offer_expired": Kind(
        _l("Предложение места истекло"),
        _l(
            "Вы не подтвердили запись на экскурсию «%(tour)s», %(when)s, до %(expires)s, "
            "и места переданы следующему в очереди."
        ),
    ),
    "booking.cancelled": Kind(
        _l("Запись отменена"),
        _l("Запись на экскурсию «%(tour)s», %(when)s, отменена."),
    ),
    "booking.session_cancelled": Kind(
        _l("Экскурсия отменена"),
        _l(
            "Предприятие отменило экскурсию «%(tour)s», %(when)s. Причина: %(reason)s. "
            "Выберите другую дату на странице экскурсии."
        ),
    ),
    "booking.waitlist_closed": Kind(
        _l("Места не освободились"),
        _l(
            "На экскурсию «%(tour)s», %(when)s, места так и не освободились. "
            "Выберите другую дату на странице экскурсии."
        ),
    ),
    "booking.resized": Kind(
        _l("Число мест в записи изменено"),
        _l("В записи на экскурсию «%(tour)s», %(when)s, теперь мест: %(seats)s."),
    ),
    "booking.reminder": Kind(
        _l("Завтра экскурсия"),
        _l(
            "Напоминаем: экскурсия «%(tour)s» (%(enterprise)s), %(when)s. "
            "Место сбора: %(address)s. Возьмите с собой то, что требуют правила посещения."
        ),
    ),
    "employer.class_booked": Kind(
        _l("Новая запись класса"),
        _l("Класс %(class_name)s записан на экскурсию «%(tour)s», %(when)s: мест — %(seats)s."),
    ),
    "employer.class_cancelled": Kind(
        _l("Класс отменил запись"),
        _l("Класс %(class_name)s отменил запись на экскурсию «%(tour)s», %(when)s."),
    ),
    # Offers after a visit (services.offers, services.responses). Params: title, enterprise,
    # reason.
    "offer.approved": Kind(
        _l("Предложение опубликовано"),
        _l(
            "Предложение «%(title)s» прошло проверку и опубликовано. Его получат ученики, "
            "побывавшие на ваших экскурсиях и согласившиеся получать предложения."
        ),
    ),
    "offer.rejected": Kind(
        _l("Предложение возвращено на доработку"),
        _l("Предложение «%(title)s» не опубликовано. Причина: %(reason)s"),
    ),
    "offer.new": Kind(
        _l("Предложение после экскурсии"),
        _l(
            "%(enterprise)s, где вы были на экскурсии, предлагает: «%(title)s». "
            "Откликнуться можно на странице предложения."
        ),
    ),
    "offer.response": Kind(
        _l("Новый отклик"),
        _l("На предложение «%(title)s» пришёл отклик."),
    ),
    "response.invited": Kind(
        _l("Вас приглашают"),
        _l(
            "%(enterprise)s приглашает вас по предложению «%(title)s». "
            "Ответ предприятия — в разделе «Мои отклики»."
        ),
    ),
    "response.declined": Kind(
        _l("Ответ на отклик"),
        _l(
            "%(enterprise)s ответило на ваш отклик на «%(title)s»: сейчас не получится. "
            "Посмотрите другие предложения."
        ),
    ),
    "team.joined": Kind(
        _l("В команде новый сотрудник"),
        _l("%(name)s принял приглашение и теперь в команде предприятия «%(enterprise)s»."),
    ),
    "team.removed": Kind(
        _l("Вас убрали из команды предприятия"),
        _l(
            "Владелец убрал вас из команды предприятия «%(enterprise)s»: его экскурсии и записи "
            "вам больше не видны. Если это ошибка, напишите владельцу."
        ),
    ),
    "team.owner": Kind(
        _l("Вы теперь владелец страницы предприятия"),
        _l(
            "%(name)s передал вам права владельца предприятия «%(enterprise)s»: теперь вы "
            "приглашаете и убираете сотрудников."
        ),
    ),
    # Moderation of profiles and programmes (services.revision_moderation). Params: what (the
    # enterprise's name or the programme's title), reason.
    "revision.approved": Kind(
        _l("Изменения опубликованы"),
        _l("Изменения в «%(what)s» прошли проверку и уже видны на сайте."),
    ),
    "revision.rejected": Kind(
        _l("Изменения возвращены"),
        _l(
            "Изменения в «%(what)s» не опубликованы. Причина: %(reason)s. На сайте остаются "
            "прежние данные; исправьте и отправьте снова."
        ),
    ),
    "programme.approved": Kind(
        _l("Программа экскурсии опубликована"),
        _l("Программа «%(what)s» прошла проверку и опубликована на сайте."),
    ),
    "programme.rejected": Kind(
        _l("Программа экскурсии возвращена"),
        _l(
            "Программа «%(what)s» не опубликована. Причина: %(reason)s. Исправьте её и "
            "сохраните — она снова придёт на проверку."
        ),
    ),
}
DATE_PARAMS = ("when", "expires")


def _format(params: dict) -> dict:
    """Parameters as the reader sees them (dates in their language)."""
    from rendering import format_session

    shown = dict(params)
    for name in DATE_PARAMS:
        if isinstance(shown.get(name), str):
            shown[name] = format_session(datetime.fromisoformat(shown[name]))
    return shown


def text_of(notification: Notification) -> tuple[str, str]:
    """The subject and body of a notification in the current language."""
    kind = KINDS.get(notification.kind)
    if kind is None:  # an older kind written as plain text
        return notification.message[:80], notification.message
    params = _format(notification.params or {})
    return str(kind.subject), str(kind.body) % params


def notify(user: User, kind: str, link: str | None = None, email: bool = True, **params) -> None:
    """Tell ``user`` that ``kind`` happened (in this transaction; e-mailed after the commit)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    notification = Notification(
        user_id=user.id, kind=kind, params=params, link=link, email_pending=email, message=""
    )
    with force_locale("ru"):
        notification.message = text_of(notification)[1]
    db.session.add(notification)
    if email:
        db.session.info[SESSION_FLAG] = True


def unread_count(user: User) -> int:
    """How many notifications the user has not seen."""
    query = select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return db.session.scalar(query) or 0


def latest(user: User, limit: int = 50) -> list[Notification]:
    """The user's newest notifications."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(user: User) -> None:
    """Mark all of the user's notifications as seen."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()


def deliver_pending() -> int:
    """E-mail every notification still waiting to be sent; return how many were sent.

    Safe to run in several workers at once: each row is claimed by an UPDATE that only one of
    them can win, before its message is built.
    """
    sent = 0
    ids = db.session.scalars(
        select(Notification.id)
        .where(Notification.email_pending)
        .order_by(Notification.id)
        .limit(BATCH)
    ).all()
    db.session.commit()
    for notification_id in ids:
        claimed = db.session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.email_pending)
            .values(email_pending=False, emailed_at=utcnow())
        ).rowcount
        db.session.commit()
        if not claimed:
            continue
        notification = db.session.get(Notification, notification_id)
        user = db.session.get(User, notification.user_id)
        try:
            _send(notification, user)
        except Exception:  # SMTP down, say: put it back for the next sweep
            log.exception("could not e-mail notification %s", notification_id)
            notification.email_pending, notification.emailed_at = True, None
            db.session.commit()
            continue
        sent += 1
    return sent


def _send(notification: Notification, user: User) -> None:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, body = text_of(notification)
        link = current_app.config["SITE_URL"].rstrip("/") + (notification.link or "/")
        text = render_template("email/notification.txt", user=user, body=body, link=link)
    EmailMessage(subject=subject, body=text, to=[user.email]).send()


def _after_commit(session: Session) -> None:
    if session.info.pop(SESSION_FLAG, False):
        from jobs import enqueue

        enqueue("deliver_notifications")


def listen_for_notifications() -> None:
    """After a commit that wrote notifications to e-mail, start the job that sends them."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
