"""Notifications to users and the audit log of who changed what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models._common import Timestamped


class Notification(Timestamped, db.Model):
    """A message to one user: shown in the site, and sent by e-mail when ``email_pending``.

    The text is made from ``kind`` and ``params`` in the reader's language when shown or sent
    (``services.notifications``); ``message`` keeps it in Russian as it was when written.
    Rows are written in the same transaction as the change they report, so a message is never
    lost when the job that e-mails them is late (the transactional outbox pattern).
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(300))
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    email_pending: Mapped[bool] = mapped_column(default=False, index=True)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEntry(Timestamped, db.Model):
    """An action worth answering for later: moderation, bookings, imports, account changes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
