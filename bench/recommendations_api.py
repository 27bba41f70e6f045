"""Latency of ``POST /api/v1/recommendations`` over HTTP, beside the bare "hello" endpoint.

    .venv/bin/python bench/recommendations_api.py [--sizes demo,20000]

gunicorn (2 sync workers) and wrk on 127.0.0.1, as in bench/explorer.py: one connection gives
the latency a single user sees; sixteen give the throughput (their latency is mostly queueing
behind two workers). The large catalogue is synthetic: 20,000 professions and 5,000 tours with
upcoming sessions. Prints p50/p95 and requests per second; asserts nothing.
Goal: API p95 ≤ 30 ms at the demo size.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import build_database, free_port, load, serve, start_run, warm_up

PROFILE = {
    "interests": "люблю собирать и чинить технику, интересно как работают кондиционеры",
    "subjects": ["physics", "technology"],
    "riasec": {"R": 0.9, "I": 0.6, "A": 0.2, "S": 0.3, "E": 0.3, "C": 0.4},
    "age": 15,
}


def main() -> None:
    """Measure at each size and print a table."""
    sizes, workdir, script = start_run("bench-api-")
    print(
        f"{'catalogue':>10} {'endpoint':>16} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
    )
    for size in sizes:
        db_path = workdir / f"{size}.db"
        grow = None if size == "demo" else int(size)
        count = build_database(db_path, grow, tours=None if grow is None else grow // 4)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = serve(db_path, port)
        try:
            warm_up(f"{base}/api/v1/recommendations", script, seconds=40, body=PROFILE)
            rows = [
                ("hello ×16", load(f"{base}/bench/hello", script)),
                (
                    "api ×1",
                    load(f"{base}/api/v1/recommendations", script, body=PROFILE, connections=1),
                ),
                ("api ×16", load(f"{base}/api/v1/recommendations", script, body=PROFILE)),
            ]
        finally:
            server.terminate()
            server.wait()
        for name, r in rows:
            print(f"{count:>10} {name:>16} {r[0]:>8.0f} {r[1]:>7.2f} {r[2]:>7.2f} {r[3]:>6}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
