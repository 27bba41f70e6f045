"""Shared pieces of the HTTP benchmarks: a seeded (optionally grown) database, gunicorn, wrk.

Both endpoints of a comparison are served by the same app and loaded by the same wrk settings in
the same run, so ratios survive a noisy machine. Nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import random
import re
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONNECTIONS, THREADS, SECONDS = 16, 2, 10
WRK_SCRIPT = """
wrk.headers["HX-Request"] = os.getenv("HX") == "1" and "true" or nil
local encoding = os.getenv("ACCEPT_ENCODING")
if encoding and encoding ~= "" then wrk.headers["Accept-Encoding"] = encoding end
local body = os.getenv("BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d %.2f\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.timeout, summary.requests,
    latency:percentile(99) / 1000))
end
"""


def build_database(path: Path, size: int | None, tours: int | None = None) -> int:
    """Create and seed a SQLite database; grow it to ``size`` professions and ``tours`` tours."""
    from sqlalchemy import func, select

    from app import create_app
    from extensions import db
    from models import Profession
    from services.seed import seed

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True})
    with app.app_context():
        db.create_all()
        seed(ROOT / "data", today=date.today())
        if size:
            _grow(size)
        if tours:
            _grow_tours(tours)
        count = db.session.scalar(select(func.count(Profession.id)))
        db.session.remove()
        db.engine.dispose()  # the last connection out checkpoints the write-ahead log
        return count


def _grow(size: int) -> None:
    from sqlalchemy import select

    from extensions import db
    from models import EducationPath, Profession

    rng = random.Random(7)
    real = db.session.scalars(select(Profession)).all()
    words = sorted({w for p in real for w in re.findall(r"[а-яё]{5,}", p.description.lower())})
    for n in range(len(real), size):
        base = rng.choice(real)
        title = f"{base.title} {rng.choice(words)} {n}"
        clone = Profession(
            slug=f"synthetic-{n}",
            title=title,
            sphere_id=base.sphere_id,
            summary=base.summary,
            description=" ".join(rng.sample(words, 40)) + " " + rng.choice(real).description,
            duties=base.duties,
            skills=rng.choice(real).skills,
            tools=base.tools,
            subjects=base.subjects,
            conditions=base.conditions,
            salary_min=base.salary_min,
            salary_max=base.salary_max,
            demand=rng.choice(["high", "medium", "low"]),
            demand_source="synthetic",
            riasec_r=base.riasec_r,
            riasec_i=base.riasec_i,
            riasec_a=base.riasec_a,
            riasec_s=base.riasec_s,
            riasec_e=base.riasec_e,
            riasec_c=base.riasec_c,
            onet_codes=base.onet_codes,
        )
        clone.education_paths = [
            EducationPath(level=e.level, programme=e.programme, duration_months=e.duration_months)
            for e in base.education_paths
        ]
        db.session.add(clone)
        if n % 2000 == 0:
            db.session.flush()
    db.session.commit()


def _grow_tours(count: int) -> None:
    """Clone tours (each with two upcoming sessions) until there are ``count``, showing random
    professions, so that the tour side of the model works at scale."""
    from sqlalchemy import select

    from extensions import db
    from models import Profession, TourProgramme, TourSession

    rng = random.Random(11)
    real = db.session.scalars(select(TourProgramme)).all()
    profession_ids = list(db.session.scalars(select(Profession.id)))
    start = datetime.combine(date.today() + timedelta(days=3), datetime.min.time())
    for n in range(len(real), count):
        base = rng.choice(real)
        tour = TourProgramme(
            slug=f"synthetic-tour-{n}",
            enterprise_id=base.enterprise_id,
            title=f"{base.title} ({n})",
            description=base.description,
            duration_minutes=base.duration_minutes,
            min_age=base.min_age,
            min_grade=base.min_grade,
            group_min=base.group_min,
            group_max=base.group_max,
            adults_per_students=base.adults_per_students,
            safety_rules=base.safety_rules,
            moderation_state="approved",
        )
        tour.professions = db.session.scalars(
            select(Profession).where(Profession.id.in_(rng.sample(profession_ids, 4)))
        ).all()
        tour.sessions = [
            TourSession(starts_at=start + timedelta(days=d, hours=10), capacity=base.group_max)
            for d in (rng.randrange(40), 40 + rng.randrange(40))
        ]
        db.session.add(tour)
        if n % 1000 == 0:
            db.session.flush()
    db.session.commit()


def serve(
    db_path: Path | None,
    port: int,
    workers: int = 2,
    database_url: str | None = None,
    files: Path | None = None,
    redis_url: str | None = None,
) -> subprocess.Popen:
    """Start gunicorn with ``workers`` sync workers on the benchmark app (a SQLite file, or
    ``database_url``; ``files`` for the model and the outbox) and wait until it answers."""
    env = os.environ | {"SECRET_KEY": "bench-secret-" + "x" * 32}
    if db_path is not None:
        env["BENCH_DATABASE"] = str(db_path)
    if database_url:
        env["BENCH_DATABASE_URL"] = database_url
    if files is not None:
        env["BENCH_FILES"] = str(files)
    if redis_url:
        env["BENCH_REDIS_URL"] = redis_url
        env["BENCH_JOBS_QUEUE"] = f"bench-{port}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",  # not the production gunicorn.conf.py: no access log, no warm-up hook
            "bench/gunicorn_bench.py",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "bench.wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("gunicorn exited before it answered") from None
            time.sleep(0.2)
    return proc


def warm_up(url: str, script: Path, seconds: int = 20, **kwargs) -> None:
    """Load ``url`` with several connections until every worker has built what it builds on
    first use (search index, matching model) — a cold worker would otherwise stall the run."""
    load(url, script, connections=4, seconds=seconds, **kwargs)


class Load(NamedTuple):
    """What wrk measured: requests per second, latency percentiles in ms, errors, requests."""

    rps: float
    p50: float
    p95: float
    errors: int
    requests: int
    p99: float


def load(
    url: str,
    script: Path,
    htmx: bool = False,
    body: dict | None = None,
    connections: int = CONNECTIONS,
    seconds: int = SECONDS,
    accept_encoding: str = "",
) -> Load:
    """Run wrk against ``url`` (``accept_encoding`` as a browser would send it, or none)."""
    env = os.environ | {
        "HX": "1" if htmx else "0",
        "BODY": json.dumps(body) if body else "",
        "ACCEPT_ENCODING": accept_encoding,
    }
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(THREADS, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    rps, p50, p95, errors, requests, p99 = line.split()[1:]
    return Load(float(rps), float(p50), float(p95), int(errors), int(requests), float(p99))


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_run(prefix: str) -> tuple[list[str], Path, Path]:
    """Parse ``--sizes``, check for wrk, make a work folder with the wrk script.

    Returns (sizes, work folder, wrk script).
    """
    import argparse
    import shutil
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="demo,20000")
    sizes = parser.parse_args().sizes.split(",")
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    return sizes, workdir, script
