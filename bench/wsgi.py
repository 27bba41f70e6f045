"""The app as the benchmarks and the race tests serve it under gunicorn: production settings
over plain HTTP on 127.0.0.1, plus a bare "hello" endpoint.

The database is ``BENCH_DATABASE_URL`` (any URL), else the SQLite file ``BENCH_DATABASE``.
The hello endpoint goes through the same extensions and hooks as every page, so the ratio of a
page's throughput to hello's measures the page's own work.
"""

import os
from pathlib import Path

from app import create_app
from config import ProductionConfig

_URL = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{os.environ['BENCH_DATABASE']}"
_FILES = Path(
    os.environ.get("BENCH_FILES") or Path(os.environ.get("BENCH_DATABASE", "/tmp")).parent
)


class BenchConfig(ProductionConfig):
    """Production settings over plain HTTP on 127.0.0.1, against the benchmark's database."""

    SQLALCHEMY_DATABASE_URI = _URL
    MATCHING_ARTIFACT = _FILES / "bench.model"
    MAIL_BACKEND = "services.outbox"
    MAIL_OUTBOX_DIR = _FILES / "outbox"
    # Jobs queue in Redis when the run names one (as in production), else run at once.
    JOBS_REDIS_URL = os.environ.get("BENCH_REDIS_URL") or None
    JOBS_QUEUE = os.environ.get("BENCH_JOBS_QUEUE", "bench")
    FORCE_HTTPS = False
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    PROXY_COUNT = 0


app = create_app(BenchConfig)


@app.get("/bench/hello")
def hello() -> str:
    """The cheapest possible answer."""
    return "hello"
