"""Background work, on Huey: Redis as the broker when ``REDIS_URL`` is set, else at once in-process.

Huey rather than RQ, Dramatiq or Celery: it has periodic tasks built in (RQ and Dramatiq need a
second scheduler package, Celery a beat process and much more to run), an "immediate" mode that
runs the very same tasks synchronously (so ``make run`` and the tests need no broker), and Redis
storage that several web hosts and one ``flask --app app worker`` share.

The jobs are services' plain functions, named here; each runs in an application context of its
own, after the transaction that asked for it has committed. Without Redis, ``flask --app app
worker`` still runs the periodic jobs (expired offers, reminders, the e-mail sweep); the web
process never runs a scheduler thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import import_module

import click
from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, crontab

log = logging.getLogger(__name__)

# name -> "module:function" of the service that does the work (imported when the app starts).
JOBS = {
    "deliver_notifications": "services.notifications:deliver_pending",
    "expire_offers": "services.booking:expire_offers",
    "send_reminders": "services.booking_notes:send_reminders",
    "send_account_mail": "services.account_mail:deliver",
    "deliver_offers": "services.offers:deliver_offers",
}
# Periodic jobs and when they run (UTC). Each is safe to run late, twice, or in two workers.
PERIODIC = {
    "expire_offers": crontab(minute="*/5"),
    "send_reminders": crontab(minute="7"),
    "deliver_notifications": crontab(minute="*/10"),
    "deliver_offers": crontab(minute="23"),
}


class Jobs:
    """The app's Huey instance and its tasks by name."""

    def __init__(self, huey: Huey, tasks: dict[str, Callable]):
        self.huey = huey
        self.tasks = tasks


def _resolve(path: str) -> Callable:
    module, name = path.split(":")
    return getattr(import_module(module), name)


def _in_app_context(app: Flask, function: Callable) -> Callable:
    def run(*args, **kwargs):
        with app.app_context():
            return function(*args, **kwargs)

    run.__name__ = function.__name__
    return run


def init_jobs(app: Flask) -> None:
    """Make the app's Huey (Redis, or in-process and immediate) and register every job."""
    url = app.config.get("JOBS_REDIS_URL")
    name = app.config.get("JOBS_QUEUE", "profmarshrut")
    if url:
        huey: Huey = RedisHuey(name, url=url, utc=True)
    else:
        huey = MemoryHuey(name, immediate=True, utc=True)
    tasks = {}
    for name, path in JOBS.items():
        run = _in_app_context(app, _resolve(path))
        tasks[name] = huey.task(name=name)(run)
        if name in PERIODIC:
            huey.periodic_task(PERIODIC[name], name=f"{name}_periodic")(run)
    app.extensions["jobs"] = Jobs(huey, tasks)
    app.cli.add_command(worker)


def enqueue(name: str, *args) -> bool:
    """Run the job ``name`` in the background (at once, in this process, without Redis);
    whether it was queued (or run).

    A broker that does not answer must not fail the request whose work is already committed:
    the periodic sweep will do the job instead (or the caller runs it itself).
    """
    try:
        current_app.extensions["jobs"].tasks[name](*args)
    except Exception:
        log.exception("could not start job %s", name)
        return False
    return True


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads that run jobs.")
def worker(workers: int) -> None:
    """Run background jobs: the queued ones (with Redis) and the periodic ones."""
    jobs = current_app.extensions["jobs"]
    jobs.huey.immediate = False
    consumer = jobs.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    if isinstance(jobs.huey, RedisHuey):
        click.echo("worker: queued and periodic jobs, on Redis")
    else:
        click.echo("worker: periodic jobs (no Redis: the web runs the others at once)")
    consumer.run()
