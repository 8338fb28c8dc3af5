"""Benchmark the statistics dashboard on many screenings.

    TANU_DEMO=1 .venv/bin/python benchmarks/bench_dashboard.py --n 100000
    TANU_DEMO=1 TANU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tanu_bench \
        .venv/bin/python benchmarks/bench_dashboard.py --n 1000000 --create-database

Fills the configured database (migrated first) with fictional finalised screenings until it
holds N of them (a re-run reuses what is there; PostgreSQL gets them by COPY), plus a few cases,
referrals, services and anonymous notifications (tanu.ops.synthetic.dashboard). It refuses unless
TANU_DEMO=1 or --i-know-this-is-a-scratch-database: it writes straight into the tables.

Then it builds the statistics cube, as the nightly `tanu stats refresh` would, and, signed in
as an analyst (all regions) through django.test.Client, it times the dashboard's main view
(/reports/) over --requests requests after one warm-up, as served (its figures stored for a few
minutes) and with its figures computed for every request (TANU_STATS_MAX_AGE=0), and prints the
p50 and p95 server time and the number of SQL queries per request; also the page with filters,
for a coordinator, with the sex filter (which reads the screenings, not the cube), the
indicators panel (loaded by the page after it is shown) and the API overview. The last line is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def create_postgres_database(url: str) -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    dsn = (
        f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} "
        "dbname=postgres"
    )
    if db.get("PASSWORD"):
        dsn += f" password={db['PASSWORD']}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
            print(f"created database {db['NAME']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="screenings in the database")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--i-know-this-is-a-scratch-database", action="store_true")
    parser.add_argument(
        "--create-database", action="store_true", help="PostgreSQL: create the database if missing"
    )
    args = parser.parse_args()
    if os.environ.get("TANU_DEMO") != "1" and not args.i_know_this_is_a_scratch_database:
        sys.exit(
            "refusing: this writes fictional rows straight into the database. Run it with "
            "TANU_DEMO=1 or --i-know-this-is-a-scratch-database, on a scratch database."
        )
    os.environ.setdefault("TANU_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    engine = settings.DATABASES["default"]["ENGINE"]
    if args.create_database and "postgresql" in engine:
        create_postgres_database(settings.DATABASES["default"]["NAME"])
    call_command("migrate", verbosity=0)

    from tanu.accounts.models import Agency, Region, Role, User
    from tanu.identification.models import Screening
    from tanu.ops.synthetic import dashboard as synthetic

    have = Screening.objects.filter(status="final").count()
    if have < args.n:
        missing = args.n - have
        print(f"filling {missing} screenings ({have} there) into {connection.vendor} ...")
        start = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done % 100_000 == 0 or done == total:
                print(f"  {done} of {total} ({time.perf_counter() - start:.0f} s)", flush=True)

        synthetic.fill(missing, seed=args.seed + have, progress=progress)
        print(f"filled in {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")
    screenings = Screening.objects.filter(status="final").count()
    # As the nightly `tanu stats refresh` would: build the statistics cube.
    from tanu.reports import cube

    state = cube.rebuild()
    print(
        f"statistics cube: {state.screenings} screenings in {state.rows} rows, "
        f"built in {state.duration_ms} ms"
    )

    ministry = Agency.objects.filter(kind=Agency.Kind.MINISTRY).first() or Agency.objects.create(
        kind=Agency.Kind.MINISTRY,
        region=Region.objects.get(code="KZ-71"),
        name_en="Benchmark ministry",
        name_ru="Министерство (бенчмарк)",
        name_kk="Министрлік (бенчмарк)",
    )
    analyst, _c = User.objects.get_or_create(
        username="bench.analyst", defaults={"role": Role.ANALYST, "agency": ministry}
    )
    almaty = Region.objects.get(code="KZ-75")
    coordinator_agency = Agency.objects.filter(region=almaty).first()
    coordinator, _c = User.objects.get_or_create(
        username="bench.coordinator",
        defaults={"role": Role.COORDINATOR, "agency": coordinator_agency},
    )

    def client_for(user: User) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    def measure(client: Client, url: str, repeat: int, **extra: str) -> dict[str, float]:
        response = client.get(url, **extra)  # warm-up
        assert response.status_code == 200, (url, response.status_code)
        times = []
        queries = 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, **extra)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured.captured_queries)
        return {
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(percentile(times, 0.95) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
            "queries": queries,
        }

    from django.test import override_settings

    analyst_client = client_for(analyst)
    with override_settings(TANU_STATS_MAX_AGE=0):
        afresh = measure(analyst_client, "/reports/", max(5, args.requests // 4))
    results = {
        "dashboard (analyst, all regions)": measure(analyst_client, "/reports/", args.requests),
        "dashboard (analyst, figures computed afresh)": afresh,
        "dashboard (analyst, year 2025, form labour)": measure(
            analyst_client, "/reports/?year=2025&form=labour", max(5, args.requests // 4)
        ),
        "dashboard (coordinator, own region)": measure(
            client_for(coordinator), "/reports/", max(5, args.requests // 4)
        ),
        "dashboard (analyst, sex filter: no cube)": measure(
            analyst_client, "/reports/?sex=female", max(3, args.requests // 4)
        ),
        "indicators panel (htmx, after the page)": measure(
            analyst_client,
            "/reports/panel/indicators/",
            max(3, args.requests // 4),
            HTTP_HX_REQUEST="true",
        ),
        "API /api/v1/stats/": measure(analyst_client, "/api/v1/stats/", max(5, args.requests // 4)),
    }
    print(
        f"\n{screenings} finalised screenings on {connection.vendor} "
        f"({platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs)"
    )
    print(f"{'view':46} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'queries':>8}")
    for name, r in results.items():
        print(f"{name:46} {r['p50_ms']:>9} {r['p95_ms']:>9} {r['max_ms']:>9} {r['queries']:>8}")
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "screenings": screenings,
                "cube_rows": state.rows,
                "cube_build_ms": state.duration_ms,
                "requests": args.requests,
                **results,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
