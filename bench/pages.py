"""Throughput of every public page type and API list against a bare "hello" endpoint.

    .venv/bin/python bench/pages.py [--seconds 10] [--only home,tours] [--encoding gzip]

One app under gunicorn (2 sync workers) on 127.0.0.1 with the demo catalogue; wrk (16
connections, 2 threads) loads hello first and then each page in the same run, so the ratios
survive a noisy machine. ``--encoding`` sends ``Accept-Encoding`` as a browser does (compression
costs the server CPU; browsers always ask for it). Prints req/s, p50/p95/p99 and the ratio to
hello; asserts nothing. Goals (issue 8): every page and API list ≥ 0.15 of hello, the explorer
fragment ≥ 0.40, p99 ≤ 50 ms at 16 connections.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import WRK_SCRIPT, build_database, free_port, load, serve, warm_up

EXPLORER_QUERY = "q=%D0%B8%D0%BD%D0%B6%D0%B5%D0%BD%D0%B5%D1%80"  # «инженер»


def page_paths(db_path: Path) -> list[tuple[str, str, bool]]:
    """(name, path, htmx) of each page type, with real slugs and ids from the database."""
    from sqlalchemy import select

    from app import create_app
    from extensions import db
    from models import Enterprise, Profession, TourProgramme

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "TESTING": True})
    with app.app_context():
        profession = db.session.scalar(
            select(Profession.slug).where(Profession.slug == "svarshchik")
        )
        tour = db.session.scalar(select(TourProgramme.id).order_by(TourProgramme.id))
        enterprise = db.session.scalar(
            select(Enterprise.slug).where(Enterprise.moderation_state == "approved")
        )
    return [
        ("home", "/", False),
        ("explorer page", f"/professions?{EXPLORER_QUERY}", False),
        ("explorer fragment", f"/professions?{EXPLORER_QUERY}", True),
        ("profession", f"/professions/{profession}", False),
        ("tours", "/tours", False),
        ("tour", f"/tours/{tour}", False),
        ("enterprises", "/enterprises", False),
        ("enterprise", f"/enterprises/{enterprise}", False),
        ("vacancies", "/vacancies", False),
        ("quiz intro", "/quiz", False),
        ("login", "/auth/login", False),
        ("about data", "/about/data", False),
        ("api professions", "/api/v1/professions", False),
        ("api profession", f"/api/v1/professions/{profession}", False),
    ]


def main() -> None:
    """Serve the demo catalogue, load hello and every page, print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--encoding", default="", help="Accept-Encoding to send, e.g. gzip, br")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    db_path = workdir / "demo.db"
    build_database(db_path, None)
    pages = page_paths(db_path)
    if args.only:
        wanted = set(args.only.split(","))
        pages = [p for p in pages if p[0] in wanted]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(db_path, port)
    try:
        for _, path, htmx in pages:  # every worker builds its index, model and caches first
            warm_up(base + path, script, seconds=3, htmx=htmx)
        hello = load(f"{base}/bench/hello", script, seconds=args.seconds)
        rows = [
            (
                name,
                load(
                    base + path,
                    script,
                    htmx=htmx,
                    seconds=args.seconds,
                    accept_encoding=args.encoding,
                ),
            )
            for name, path, htmx in pages
        ]
    finally:
        server.terminate()
        server.wait()
    print(f"Accept-Encoding: {args.encoding or '(none)'}; 16 connections, {args.seconds} s each")
    print(f"| {'page':<18} | req/s | p50 ms | p95 ms | p99 ms | errors | ratio |")
    print(f"| {'-' * 18} | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in [("hello", hello), *rows]:
        ratio = r.rps / hello.rps
        print(
            f"| {name:<18} | {r.rps:.0f} | {r.p50:.2f} | {r.p95:.2f} | {r.p99:.2f} "
            f"| {r.errors} | {ratio:.2f} |"
        )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
