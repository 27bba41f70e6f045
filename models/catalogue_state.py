"""A one-row counter that changes whenever the catalogue does.

Workers keep derived, read-only structures (the search index, the matching model) and compare
this version with theirs, so several processes and hosts stay consistent without messaging.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models._common import utcnow


class CatalogueState(db.Model):
    """The catalogue's version, bumped on every change to professions, enterprises or tours."""

    __tablename__ = "catalogue_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    version: Mapped[int] = mapped_column(default=0)
    # Random per database, so that caches keyed by a URL (tests reuse "sqlite://") never mistake
    # one database's version 3 for another's.
    token: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
