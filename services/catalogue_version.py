"""The catalogue version: bumped automatically when catalogue rows change, read cheaply."""

from __future__ import annotations

import uuid

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from extensions import db
from models import (
    CatalogueState,
    EducationPath,
    Enterprise,
    Profession,
    Sphere,
    TourProgramme,
)
from models._common import utcnow

# Rows whose change makes derived structures (search index, matching model) stale. Sessions and
# bookings are not here: seats change all day and are always read live.
CATALOGUE_MODELS = (Profession, EducationPath, Sphere, Enterprise, TourProgramme)


def _touches_catalogue(session: Session) -> bool:
    changed = (*session.new, *session.dirty, *session.deleted)
    return any(
        isinstance(obj, CATALOGUE_MODELS)
        and (obj in session.new or obj in session.deleted or session.is_modified(obj))
        for obj in changed
    )


def _bump_before_flush(session: Session, flush_context, instances) -> None:
    if not _touches_catalogue(session):
        return
    connection = session.connection()
    bumped = connection.execute(
        update(CatalogueState)
        .where(CatalogueState.id == 1)
        .values(version=CatalogueState.version + 1, changed_at=utcnow())
    )
    if bumped.rowcount == 0:
        connection.execute(
            insert(CatalogueState).values(
                id=1, version=1, changed_at=utcnow(), token=uuid.uuid4().hex
            )
        )


def catalogue_version() -> str:
    """The current catalogue version, unique across databases ("empty" before any load)."""
    row = db.session.execute(
        select(CatalogueState.token, CatalogueState.version).where(CatalogueState.id == 1)
    ).first()
    return f"{row.token}:{row.version}" if row else "empty"


def listen_for_catalogue_changes() -> None:
    """Register the before-flush hook once per process."""
    if not event.contains(Session, "before_flush", _bump_before_flush):
        event.listen(Session, "before_flush", _bump_before_flush)
