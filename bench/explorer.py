"""Throughput of the explorer's htmx results fragment against a bare "hello" endpoint.

    make bench            # or: .venv/bin/python bench/explorer.py [--sizes demo,20000]

Both endpoints are served by the same app under gunicorn (2 sync workers) on 127.0.0.1 and
loaded by wrk (16 connections, 2 threads) in the same run, so the ratio survives a noisy machine.
The 20,000-profession catalogue is synthetic: real professions recombined with new titles.
Prints requests per second, p50/p95 latency and the ratio; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONNECTIONS, THREADS, SECONDS = 16, 2, 10
QUERY = "/professions?q=%D0%B8%D0%BD%D0%B6%D0%B5%D0%BD%D0%B5%D1%80"  # «инженер»
WRK_SCRIPT = """
wrk.headers["HX-Request"] = os.getenv("HX") == "1" and "true" or nil
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.timeout, summary.requests))
end
"""


def build_database(path: Path, size: int | None) -> int:
    """Create and seed a SQLite database; grow it to ``size`` professions if given."""
    from app import create_app
    from extensions import db
    from services.seed import seed

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True})
    with app.app_context():
        db.create_all()
        seed(ROOT / "data", today=date.today())
        if size:
            _grow(size)
        from models import Profession

        return db.session.query(Profession).count()


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db_path: Path, port: int) -> subprocess.Popen:
    """Start gunicorn with two sync workers on the benchmark app; wait until it answers."""
    env = os.environ | {"BENCH_DATABASE": str(db_path), "SECRET_KEY": "bench-secret"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.2)
    warm = ["curl", "-s", "-o", "/dev/null", "-H", "HX-Request: true"]
    for _ in range(4):  # each worker builds its search index on first use
        subprocess.run([*warm, f"http://127.0.0.1:{port}{QUERY}"], check=False)
    return proc


def load(url: str, htmx: bool, script: Path) -> tuple[float, float, float, int, int]:
    """Run wrk against ``url``; return (rps, p50 ms, p95 ms, errors, requests)."""
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        env=os.environ | {"HX": "1" if htmx else "0"},
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    rps, p50, p95, errors, requests = line.split()[1:]
    return float(rps), float(p50), float(p95), int(errors), int(requests)


def main() -> None:
    """Measure at each size and print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="demo,20000")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix="bench-explorer-"))
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    print(
        f"{'catalogue':>10} {'endpoint':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
    )
    for size in args.sizes.split(","):
        db_path = workdir / f"{size}.db"
        count = build_database(db_path, None if size == "demo" else int(size))
        port = _free_port()
        server = serve(db_path, port)
        try:
            hello = load(f"http://127.0.0.1:{port}/bench/hello", False, script)
            fragment = load(f"http://127.0.0.1:{port}{QUERY}", True, script)
        finally:
            server.terminate()
            server.wait()
        for name, r in (("hello", hello), ("fragment", fragment)):
            print(f"{count:>10} {name:>9} {r[0]:>8.0f} {r[1]:>7.2f} {r[2]:>7.2f} {r[3]:>6}")
        ratio = fragment[0] / hello[0]
        print(f"{count:>10} {'ratio':>9} {ratio:>8.2f}  (goal ≥ 0.30; p95 goal < 50 ms)")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
