"""Background jobs on Huey: queued in the real Redis and run by a worker, or at once in-process
without it; a broker that is down never fails the request that asked for a job."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest

from extensions import db
from jobs import enqueue
from services import booking
from tests.helpers import ROOT, Factory, make_app, outbox, redis_url


@pytest.fixture
def redis_app(tmp_path):
    application = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'jobs.db'}",
        JOBS_REDIS_URL=redis_url(),
        JOBS_QUEUE=f"test-{uuid.uuid4().hex}",
    )
    with application.app_context():
        db.create_all()
        yield application
        application.extensions["jobs"].huey.flush()
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _book_someone():
    make = Factory()
    session = make.session(tour=make.tour(min_age=None))
    return booking.book_student(make.user("student"), session.id).booking


@pytest.mark.redis
def test_with_redis_the_e_mail_waits_in_the_queue_for_a_worker(redis_app):
    huey = redis_app.extensions["jobs"].huey
    _book_someone()
    assert outbox(redis_app) == []  # queued, not sent by the request
    assert huey.pending_count() == 1
    task = huey.dequeue()
    assert task.name == "deliver_notifications"
    huey.execute(task)
    assert [m.subject for m in outbox(redis_app)] == ["Запись на экскурсию подтверждена"]


@pytest.mark.redis
@pytest.mark.slow
def test_flask_worker_runs_the_queued_jobs(redis_app, tmp_path):
    env = os.environ | {
        "DATABASE_URL": redis_app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_app.config["JOBS_REDIS_URL"],
        "JOBS_QUEUE": redis_app.config["JOBS_QUEUE"],
        "MAIL_OUTBOX_DIR": str(redis_app.config["MAIL_OUTBOX_DIR"]),
        "SECRET_KEY": "worker-test-" + "x" * 32,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _book_someone()
        for _ in range(100):  # the worker polls the queue about once a second
            if outbox(redis_app):
                break
            time.sleep(0.2)
        assert [m.subject for m in outbox(redis_app)] == ["Запись на экскурсию подтверждена"]
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0]
    assert "queued and periodic jobs, on Redis" in output


def test_without_redis_jobs_run_at_once(app):
    _book_someone()
    assert [m.subject for m in outbox(app)] == ["Запись на экскурсию подтверждена"]


def test_a_broker_that_is_down_does_not_fail_the_request(tmp_path, caplog):
    application = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'down.db'}",
        JOBS_REDIS_URL="redis://127.0.0.1:9/0",  # nobody listens there
    )
    with application.app_context():
        db.create_all()
        made = _book_someone()
        assert made.state == "confirmed"  # committed; the sweep will send the e-mail
        assert "could not start job deliver_notifications" in caplog.text
        db.session.remove()
        db.engine.dispose()


def test_an_unknown_job_is_logged_not_raised(app, caplog):
    enqueue("no_such_job")
    assert "could not start job no_such_job" in caplog.text
