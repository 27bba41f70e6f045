"""Recording actions in the audit log."""

from __future__ import annotations

from typing import Any

from extensions import db
from models import AuditEntry, User


def record(action: str, obj: Any = None, actor: User | None = None, **details: Any) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None and getattr(actor, "id", None) else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        details=details,
    )
    db.session.add(entry)
    return entry
