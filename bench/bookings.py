"""200 booking attempts for one session at once, through gunicorn (4 workers), on PostgreSQL
and on SQLite.

    .venv/bin/python bench/bookings.py [--attempts 200] [--databases sqlite,postgresql]

Half are classes booking through the API (2–8 students and an adult, half of them asking for the
waiting list), half students booking through the site (signed in, with CSRF, as htmx sends it).
All are released together from as many threads (``--concurrency N``: N clients at a time);
the script prints the time until the last answer, p50/p95/max latency, the answers by status,
errors (5xx or refused without a reason) and whether the session holds more seats than it has
or than its bookings. Asserts nothing.
Goals (issue 9): zero errors and zero overbooking; p95 ≤ 300 ms on PostgreSQL, ≤ 1 s on SQLite.
PostgreSQL is `TEST_DATABASE_URL` or 127.0.0.1:5432/test, in a schema of its own.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import create_engine, text

from bench.booking_world import BookingWorld

PASSWORD = "bench-password-1"
PG = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _timed(call):
    start = time.perf_counter()
    kind, status, told_why = call()
    return kind, status, told_why, (time.perf_counter() - start) * 1000


def _class_attempt(world, token, class_id, students, waitlist):
    def call():
        with httpx.Client(base_url=world.base, timeout=60) as client:
            r = client.post(
                f"/api/v1/sessions/{world.session_id}/bookings",
                json={
                    "class_id": class_id,
                    "students": students,
                    "adults": 1,
                    "waitlist": waitlist,
                },
                headers={"Authorization": f"Bearer {token}"},
            )
        told = r.status_code in (200, 201, 202) or bool(r.json().get("error", {}).get("message"))
        return "class", r.status_code, told

    return call


def _student_attempt(world, client, csrf, waitlist):
    def call():
        r = client.post(
            f"/sessions/{world.session_id}/book",
            data={"csrf_token": csrf} | ({"waitlist": "y"} if waitlist else {}),
            headers={"HX-Request": "true", "HX-Target": f"book-{world.session_id}"},
        )
        return "student", r.status_code, r.status_code == 200 or "Свободных мест" in r.text

    return call


def run(url: str, attempts: int, redis_url: str | None, concurrency: int) -> dict:
    """One run against the database at ``url``; return the figures."""
    rng = random.Random(3)
    files = Path(tempfile.mkdtemp(prefix="bench-bookings-"))
    half = attempts // 2
    world = BookingWorld(url, files, 40, half, attempts - half, PASSWORD, redis_url=redis_url)
    try:
        students = [world.student_client(e) for e in world.students]
        calls = [
            _class_attempt(world, t, c, rng.randint(2, 8), rng.random() < 0.5)
            for t, c in world.classes
        ] + [_student_attempt(world, c, t, rng.random() < 0.5) for c, t in students]
        rng.shuffle(calls)
        threads = min(concurrency, len(calls))
        start_all = threading.Barrier(threads)

        def released(call):
            if threads == len(calls):
                start_all.wait()
            return _timed(call)

        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(released, calls))
        total = time.perf_counter() - began
        for client, _ in students:
            client.close()
        counts = world.counts()
    finally:
        world.stop()
    times = sorted(r[3] for r in results)
    return {
        "attempts": len(results),
        "total_s": total,
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        "statuses": Counter(r[1] for r in results),
        "errors": sum(1 for r in results if r[1] >= 500 or not r[2]),
        "overbooked": counts["booked"] > counts["capacity"] or counts["booked"] != counts["held"],
        "counts": counts,
    }


def main() -> None:
    """Run on each database and print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument(
        "--concurrency", type=int, default=0, help="clients at a time (default: all at once)"
    )
    parser.add_argument(
        "--jobs",
        default="redis",
        choices=("redis", "inline"),
        help="queue e-mails in Redis (production; sent later by a worker) or send them inline",
    )
    args = parser.parse_args()
    redis_url = (
        os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0") if args.jobs == "redis" else None
    )
    together = args.concurrency or args.attempts
    print(f"jobs: {args.jobs}; 4 gunicorn workers; {args.attempts} attempts, {together} at a time")
    print(
        "| database | attempts | all answered in s | p50 ms | p95 ms | max ms | errors "
        "| overbooked | answers |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for name in args.databases.split(","):
        if name == "sqlite":
            url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-bookings-')}/bookings.db"
            schema = None
        else:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(PG)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = f"{PG}{'&' if '?' in PG else '?'}options=-csearch_path%3D{schema}"
        try:
            r = run(url, args.attempts, redis_url, args.concurrency or args.attempts)
        finally:
            if schema:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
        answers = ", ".join(f"{k}×{v}" for k, v in sorted(r["statuses"].items()))
        print(
            f"| {name} | {r['attempts']} | {r['total_s']:.2f} | {r['p50']:.0f} | {r['p95']:.0f} "
            f"| {r['max']:.0f} | {r['errors']} | {'yes' if r['overbooked'] else 'no'} | {answers} |"
        )
        c = r["counts"]
        states = dict(c["states"])
        print(f"|  | held {c['held']} of {c['capacity']}; bookings {states} | | | | | | | |")


if __name__ == "__main__":
    main()
