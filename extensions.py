"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# A naming convention keeps constraint names stable across SQLite and PostgreSQL migrations.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
htmx = Htmx()
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()
compress = Compress()
mail = Mail()


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    """Set each new SQLite connection up as the app needs it.

    - foreign keys are off unless each connection turns them on;
    - the sqlite3 module's own transaction handling (an implicit BEGIN only before DML) breaks
      SAVEPOINT and cannot say BEGIN IMMEDIATE, so it is switched off and ``_sqlite_begin``
      starts every transaction instead (the recipe of SQLAlchemy's SQLite dialect docs);
    - a file database uses write-ahead logging, so that readers never block the writer.
    """
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL, much faster
    cursor.close()


# Execution option a caller sets on a session's connection to start its transaction with
# BEGIN IMMEDIATE on SQLite outside a write request (a CLI command or a background job).
SQLITE_IMMEDIATE = "sqlite_begin_immediate"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


READS_ONLY = "_reads_only"


def reads_only(view):
    """Mark a POST view that never writes (a query too big for a URL): its transaction begins
    as a reader, so it neither waits for nor blocks the writers (the recommendations API, whose
    first request after a catalogue change rebuilds the model for seconds)."""
    from functools import wraps

    from flask import g

    @wraps(view)
    def wrapper(*args, **kwargs):
        setattr(g, READS_ONLY, True)
        return view(*args, **kwargs)

    return wrapper


def _writes(connection) -> bool:
    """Whether this transaction is expected to write: asked to, or serving a write request."""
    from flask import g, has_request_context, request

    if connection.get_execution_options().get(SQLITE_IMMEDIATE):
        return True
    if not has_request_context() or getattr(g, READS_ONLY, False):
        return False
    return request.method in WRITE_METHODS


def _sqlite_begin(connection) -> None:
    """Start a SQLite transaction: BEGIN IMMEDIATE when it will write, else BEGIN.

    A deferred transaction that reads and then writes cannot upgrade to a writer once another
    transaction has written since its snapshot: SQLite refuses at once ("database is locked")
    instead of waiting. Taking the write lock at BEGIN makes writers queue (up to the busy
    timeout) and then read what the one before them wrote; readers are never blocked (WAL).
    """
    if connection.dialect.name != "sqlite":
        return
    # An in-memory database is one connection shared by every user (a static pool); a second
    # user then joins the transaction already open, as sqlite3 itself would have done.
    if connection.connection.dbapi_connection.in_transaction:
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes(connection) else "BEGIN")


def begin_writing() -> None:
    """Begin this session's transaction as a writer (``BEGIN IMMEDIATE`` on SQLite), unless a
    transaction is open already (a web request that writes began as a writer)."""
    if not db.session().in_transaction():
        db.session.connection(execution_options={SQLITE_IMMEDIATE: True})


def configure_sqlite() -> None:
    """Register the SQLite connection set-up and transaction start (idempotent)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _sqlite_connect):
        event.listen(Engine, "connect", _sqlite_connect)
    if not event.contains(Engine, "begin", _sqlite_begin):
        event.listen(Engine, "begin", _sqlite_begin)
