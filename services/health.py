"""Whether the services the site leans on answer: the database, and Redis when configured."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from extensions import db

log = logging.getLogger(__name__)


def database_answers() -> bool:
    """Whether a trivial query succeeds."""
    try:
        db.session.execute(select(1))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def redis_answers(url: str) -> bool:
    """Whether Redis at ``url`` answers a PING within half a second."""
    import redis

    try:
        return bool(
            redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
        )
    except redis.RedisError as error:
        log.warning("Redis at %s does not answer: %s", url, error)
        return False
