"""Alembic migrations bring an empty database to head, and match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from extensions import db
from tests.helpers import make_app


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    return request.getfixturevalue("pg_schema_url")


def test_upgrade_from_empty_to_head_matches_the_models(empty_db_url):
    application = make_app(SQLALCHEMY_DATABASE_URI=empty_db_url)
    with application.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "professions", "tour_sessions", "bookings", "audit_log"} <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
