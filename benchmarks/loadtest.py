"""The load test: 50 simulated officials screening, searching and referring for five minutes,
against gunicorn and PostgreSQL on this machine.

    .venv/bin/pip install -e '.[bench]'            # locust
    .venv/bin/python benchmarks/loadtest.py          # 50 users, 5 minutes (about 8 minutes in all)
    .venv/bin/python benchmarks/loadtest.py --users 20 --time 1m --screenings 2000

It creates the scratch database ``tanu_bench_load`` (dropped again at the end unless ``--keep``),
migrates it, loads the demo accounts, synthesises ``--screenings`` screenings (tanu.ops.synthetic.synth),
makes the officials' accounts (``loadtest.screener.0-39`` in the police units of the six seminar
cities, ``loadtest.caseworker.0-9`` in their shelters; password ``tanu-demo``) and collects the
static files into a temporary folder. Then it starts gunicorn on 127.0.0.1:8765 configured as in
production (TANU_DEBUG=0, static files from the manifest, persistent database connections) but in
demo mode, which only ever listens on this machine, and runs

    locust -f loadtest/locustfile.py --headless -u 50 -r 10 -t 5m --host http://127.0.0.1:8765

It prints request counts, failures and the p50 / p95 / p99 response times (as the client sees
them, over loopback), overall and per kind of request, stops gunicorn and drops the database.
Locust runs on the same two cores as gunicorn and PostgreSQL: the figures include that. Not part
of ``make test``.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import admin_sql, recreate  # noqa: E402

DATABASE = "tanu_bench_load"
HOST, PORT = "127.0.0.1", 8765
BIN = Path(sys.executable).parent

MAKE_ACCOUNTS = """
from django.contrib.auth.hashers import make_password
from tanu.accounts.demo import CITIES, agency_for
from tanu.accounts.models import Role, User
password = make_password("tanu-demo")
cities = list(CITIES)
for n in range(40):
    User.objects.update_or_create(username=f"loadtest.screener.{n}", defaults={
        "role": Role.SCREENER, "agency": agency_for(cities[n % 6], "admin_police"),
        "password": password, "is_active": True})
for n in range(10):
    User.objects.update_or_create(username=f"loadtest.caseworker.{n}", defaults={
        "role": Role.CASE_WORKER, "agency": agency_for(cities[n % 6], "shelter"),
        "password": password, "is_active": True})
print("50 load-test accounts")
"""


def environment(data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tanu.settings",
            "TANU_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
            "TANU_DEMO": "1",
            "TANU_DEBUG": "0",
            "TANU_DATA_DIR": data_dir,
            "TANU_DB_CONN_MAX_AGE": "600",
            "TANU_LOG_LEVEL": "WARNING",
        }
    )
    return env


def tanu(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "tanu"), *args], env=env, check=True)


def wait_for_server(seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{PORT}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz")


def summary(stats_csv: Path) -> list[dict[str, str]]:
    with stats_csv.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def report(rows: list[dict[str, str]], users: int, duration: str) -> tuple[int, float]:
    print()
    print(f"{users} officials, {duration}; response times in ms (as locust saw them)")
    head = (
        f"{'type':<6} {'name':<40} {'requests':>9} {'failures':>9} {'p50':>6} {'p95':>6} {'p99':>6}"
    )
    print(head)
    print("-" * len(head))
    total_failures, p95 = 0, 0.0
    for row in rows:
        name = row["Name"]
        print(
            f"{row['Type']:<6} {name[:40]:<40} {row['Request Count']:>9} "
            f"{row['Failure Count']:>9} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
        if name == "Aggregated":
            total_failures = int(row["Failure Count"])
            p95 = float(row["95%"])
    return total_failures, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--time", default="5m", help="how long, e.g. 5m or 90s")
    parser.add_argument("--screenings", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept scratch database")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tanu-load-") as data_dir:
        env = environment(data_dir)
        exists = admin_sql(f"SELECT count(*) FROM pg_database WHERE datname = '{DATABASE}'")
        if not (args.reuse and exists == "1"):
            recreate(DATABASE)
            tanu(env, "migrate", "--no-input", "-v0")
            tanu(env, "demo", "load")
            tanu(env, "demo", "synth", "--screenings", str(args.screenings))
        else:
            tanu(env, "migrate", "--no-input", "-v0")
        tanu(env, "shell", "-c", MAKE_ACCOUNTS)
        tanu(env, "collectstatic", "--no-input", "-v0")
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "tanu.wsgi:application",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        failures, p95 = 1, 0.0
        try:
            wait_for_server()
            prefix = Path(data_dir) / "locust"
            print(
                f"\nlocust: {args.users} users, {args.spawn_rate}/s, {args.time}, "
                f"gunicorn with {args.workers} workers on {HOST}:{PORT}",
                flush=True,
            )
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "loadtest" / "locustfile.py"),
                    "--headless",
                    "-u",
                    str(args.users),
                    "-r",
                    str(args.spawn_rate),
                    "-t",
                    args.time,
                    "--host",
                    f"http://{HOST}:{PORT}",
                    "--only-summary",
                    "--csv",
                    str(prefix),
                    "--loglevel",
                    "WARNING",
                ],
                env=env,
                cwd=ROOT,
                check=False,
            )
            failures, p95 = report(summary(Path(f"{prefix}_stats.csv")), args.users, args.time)
            failures_csv = Path(f"{prefix}_failures.csv")
            if failures and failures_csv.exists():
                print("\nfailures:")
                print(failures_csv.read_text(encoding="utf-8"))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            if not args.keep:
                admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    verdict = "met" if failures == 0 and p95 < 300 else "NOT met"
    print(
        f"\ntarget (no failed request, p95 under 300 ms): {verdict} ({failures} failures, p95 {p95:.0f} ms)"
    )
    sys.exit(0 if verdict == "met" else 1)


if __name__ == "__main__":
    main()
