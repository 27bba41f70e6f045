"""The app as the benchmarks serve it: production-like, plus a bare "hello" endpoint.

The hello endpoint goes through the same extensions and hooks as every page, so the ratio of a
page's throughput to hello's measures the page's own work.
"""

import os
from pathlib import Path

from app import create_app
from config import ProductionConfig


class BenchConfig(ProductionConfig):
    """Production settings over plain HTTP on 127.0.0.1, against the benchmark's database."""

    SQLALCHEMY_DATABASE_URI = f"sqlite:///{os.environ['BENCH_DATABASE']}"
    MATCHING_ARTIFACT = Path(os.environ["BENCH_DATABASE"]).with_suffix(".model")
    FORCE_HTTPS = False
    SESSION_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    PROXY_COUNT = 0


app = create_app(BenchConfig)


@app.get("/bench/hello")
def hello() -> str:
    """The cheapest possible answer."""
    return "hello"
