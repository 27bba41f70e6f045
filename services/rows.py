"""Writing a row that a unique constraint may already hold, safely under concurrency.

Two requests racing to create the same thing (a double click, a retried request) both see it
missing and both insert; the database's unique constraint lets one win. The loser must not fail
with a 500 nor lose the caller's transaction, so the insert runs in a savepoint.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from extensions import db


def add_once(row: object) -> bool:
    """Insert ``row`` unless a unique constraint says an equal row exists; True if inserted.

    The caller's transaction goes on either way; on a clash ``row`` is not in the session.
    Build ``row`` from foreign-key ids, not related objects: a losing row must not linger in
    a relationship collection, where the next flush would trip over it.
    """
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    return True
