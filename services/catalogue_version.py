"""The catalogue version: bumped automatically when catalogue rows change, read cheaply."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import current_app
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


class VersionedCache:
    """A per-process value derived from the catalogue, rebuilt when the catalogue changes.

    The version is read from the database at most once every ``check_seconds`` (from the app's
    ``CATALOGUE_CHECK_SECONDS``), so a busy worker does not pay a query per request; a change made
    by another worker shows here within that delay. ``max_age`` rebuilds the value even without a
    change, for values that depend on time (upcoming sessions): it names a setting in seconds.
    """

    def __init__(self, build, max_age_setting: str | None = None):
        self._build = build
        self._max_age_setting = max_age_setting
        self._entries: dict[str, tuple[str, float, float, object]] = {}
        self._lock = threading.Lock()

    def get(self):
        """The value for the current database, rebuilt if stale."""
        key = str(db.engine.url) + f"#{id(db.engine)}"
        now = time.monotonic()
        config = current_app.config
        check = config.get("CATALOGUE_CHECK_SECONDS", 0)
        max_age = config.get(self._max_age_setting) if self._max_age_setting else None
        entry = self._entries.get(key)
        if entry is not None:
            version, checked_at, built_at, value = entry
            fresh = max_age is None or now - built_at < max_age
            if fresh and now - checked_at < check:
                return value
            if fresh and catalogue_version() == version:
                self._entries[key] = (version, now, built_at, value)
                return value
        with self._lock:
            version = catalogue_version()
            value = self._build()
            self._entries[key] = (version, now, now, value)
        return value


@dataclass(frozen=True)
class Brief:
    """What a page needs to know of a catalogue row before its cached parts: id, slug, title."""

    id: int
    slug: str
    title: str


class CatalogueMemo:
    """Values that depend only on the catalogue (rendered fragments, say), kept per worker.

    The whole memo is dropped when the catalogue version moves on (checked as ``VersionedCache``
    does, so another worker's change shows within ``CATALOGUE_CHECK_SECONDS``), and it keeps at
    most ``max_items`` values, the least recently used going first.
    """

    def __init__(self, max_items: int = 5000):
        self._store = VersionedCache(OrderedDict)
        self._max_items = max_items
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept under ``key``, made (and kept) if there is none yet."""
        store = self._store.get()
        with self._lock:
            if key in store:
                store.move_to_end(key)
                return store[key]
        value = make()
        with self._lock:
            store[key] = value
            while len(store) > self._max_items:
                store.popitem(last=False)
        return value
