"""Throughput of the explorer's htmx results fragment against a bare "hello" endpoint.

    .venv/bin/python bench/explorer.py [--sizes demo,20000]

Both endpoints are served by the same app under gunicorn (2 sync workers) on 127.0.0.1 and
loaded by wrk (16 connections, 2 threads) in the same run, so the ratio survives a noisy machine.
The 20,000-profession catalogue is synthetic: real professions recombined with new titles.
Prints requests per second, p50/p95 latency and the ratio; asserts nothing.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import build_database, free_port, load, serve, start_run, warm_up

QUERY = "/professions?q=%D0%B8%D0%BD%D0%B6%D0%B5%D0%BD%D0%B5%D1%80"  # «инженер»


def main() -> None:
    """Measure at each size and print a table."""
    sizes, workdir, script = start_run("bench-explorer-")
    print(
        f"{'catalogue':>10} {'endpoint':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
    )
    for size in sizes:
        db_path = workdir / f"{size}.db"
        count = build_database(db_path, None if size == "demo" else int(size))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = serve(db_path, port)
        try:
            warm_up(base + QUERY, script, htmx=True)
            hello = load(f"{base}/bench/hello", script)
            fragment = load(base + QUERY, script, htmx=True)
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
