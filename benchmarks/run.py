"""The benchmark suite (`make bench`): what tanu costs at ten thousand and a million screenings.

    make bench                                   # sizes 10000 and 1000000 (long: see README)
    make bench BENCH_SIZES=10000                 # one size
    .venv/bin/python benchmarks/run.py --sizes 10000,1000000 --reuse   # keep synthesised data

For each size it creates a scratch PostgreSQL database ``tanu_bench_<size>`` (``tanu_bench_10k``,
``tanu_bench_1m``; dropped and created again unless ``--reuse`` finds it filled), migrates it,
loads the demo accounts (demo mode) and synthesises the screenings with ``tanu.ops.synthetic.synth``
(timed: the synthetic data rate). Then, in a process configured like production (TANU_DEBUG=0,
static files collected, persistent database connections), it signs in as the demo officials
and requests each main page and API list through ``django.test.Client``: a few warm-up
requests, one request counting SQL queries, then ``--requests`` timed ones (server time: the
whole Django request, without a network); pages about one record rotate over different
records. It also times ``tanu export anonymised`` and measures assessment throughput (the
engine and ``tanu assess``, from ``bench_assess.py``) and, with ``--compare-methods N``, the
synthetic data rate by COPY against ``bulk_create``.

It prints a Markdown table and writes ``benchmarks/results.json`` and ``benchmarks/results.md``.
Targets (the issue's): every main page's p95 under 150 ms at a million screenings, and within
1.5 times its p95 at ten thousand. Never part of ``make test``; ``tests/test_bench_smoke.py``
runs this machinery at a tiny size so that it cannot rot.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
RESULTS_JSON = HERE / "results.json"
RESULTS_MD = HERE / "results.md"
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
TARGET_P95_MS = 150.0
TARGET_RATIO = 1.5
CHILD_MARK = "BENCH-RESULT "

# --- measuring pages (also used by tests/test_bench_smoke.py) ----------------------------------


@dataclass
class Page:
    """One page to measure: who asks, for what. ``paths`` gives the request for the i-th
    repetition (pages about one record rotate over several records)."""

    name: str
    username: str
    paths: Callable[[int], str]
    method: str = "get"
    data: Callable[[int], dict[str, str]] | None = None
    main: bool = False  # one of the main pages (its p95 is a target)
    api: bool = False
    prepare: Callable[[Any], None] | None = None  # adjusts the client (e.g. its session)
    settings: dict[str, Any] | None = None  # settings while this page is measured


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def measure(page: Page, client: Any, requests: int, warmup: int = 3) -> dict[str, Any]:
    """Warm up, count the queries of one request, then time ``requests`` requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def call(i: int) -> Any:
        path = page.paths(i)
        if page.method == "post":
            return client.post(path, page.data(i) if page.data else {})
        return client.get(path)

    for i in range(warmup):
        call(i)
    with CaptureQueriesContext(connection) as captured:
        response = call(0)
    queries = len(captured)  # now: the next request empties the connection's query log
    status = response.status_code
    if status != 200:
        raise RuntimeError(f"{page.name}: {page.paths(0)} answered {status}")
    size = len(response.content)
    times = []
    for i in range(requests):
        start = time.perf_counter()
        response = call(i)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{page.name}: {page.paths(i)} answered {response.status_code}")
    return {
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "queries": queries,
        "requests": requests,
        "bytes": size,
        "main": page.main,
        "api": page.api,
        "user": page.username,
        "path": page.paths(0),
    }


def pages(rotate: int = 30, seed: int = 7) -> tuple[list[Page], list[str]]:
    """The pages to measure on the current database, and notes on those left out."""
    from django.urls import Resolver404, resolve

    from tanu.accounts.models import User
    from tanu.cases import access as case_access
    from tanu.cases.models import Case
    from tanu.identification.models import Screening

    rng = random.Random(seed)
    screener = User.objects.get(username="screener.almaty")
    notes: list[str] = []

    def sample(ids: list[int]) -> list[int]:
        rng.shuffle(ids)
        return ids[:rotate] or [0]

    # Records of the screener's agency, spread over the years (ids of the newest 20,000).
    screening_ids = sample(
        list(
            Screening.objects.filter(agency_id=screener.agency_id)
            .order_by("-pk")
            .values_list("pk", flat=True)[:20000]
        )
    )
    case_ids = sample(
        list(
            Case.objects.filter(agency_id=screener.agency_id)
            .order_by("-pk")
            .values_list("pk", flat=True)[:20000]
        )
    )
    names = []
    for case in case_access.visible_cases(screener).filter(pk__in=case_ids[:10]):
        if case.person.family_name:
            names.append(case.person.family_name)
    names = names or ["Ахметова"]

    def reveal(client: Any) -> None:
        session = client.session
        until = time.time() + 15 * 60
        session["tanu_revealed"] = {str(pk): until for pk in case_ids}
        session.save()

    result = [
        Page("screening form", "screener.almaty", lambda i: "/screenings/new/", main=True),
        Page("screening list", "screener.almaty", lambda i: "/screenings/"),
        Page(
            "screening page",
            "screener.almaty",
            lambda i: f"/screenings/{screening_ids[i % len(screening_ids)]}/",
        ),
        Page("case list", "coordinator.almaty", lambda i: "/cases/", main=True),
        Page(
            "case page",
            "screener.almaty",
            lambda i: f"/cases/{case_ids[i % len(case_ids)]}/",
            main=True,
        ),
        Page(
            "case page, personal data shown",
            "screener.almaty",
            lambda i: f"/cases/{case_ids[i % len(case_ids)]}/",
            prepare=reveal,
        ),
        Page(
            "person search",
            "screener.almaty",
            lambda i: "/cases/search/",
            method="post",
            data=lambda i: {"name": names[i % len(names)], "document": ""},
        ),
        Page("referral inbox", "caseworker.almaty", lambda i: "/referrals/", main=True),
    ]
    try:
        resolve("/reports/")
    except Resolver404:
        notes.append("dashboard: left out, the reports app has no dashboard at /reports/")
    else:
        # As served: the figures stored for a few minutes (refreshed by cron and in the
        # background). Then every request computing them (no stored figures at all).
        result.append(Page("dashboard", "analyst", lambda i: "/reports/", main=True))
        result.append(
            Page(
                "dashboard computed afresh",
                "analyst",
                lambda i: "/reports/",
                settings={"TANU_STATS_MAX_AGE": 0},
            )
        )
    result += [
        Page("API screenings", "screener.almaty", lambda i: "/api/v1/screenings/", api=True),
        Page("API cases", "coordinator.almaty", lambda i: "/api/v1/cases/", api=True),
        Page("API referrals", "caseworker.almaty", lambda i: "/api/v1/referrals/", api=True),
        Page("API agencies", "coordinator.almaty", lambda i: "/api/v1/agencies/", api=True),
        Page("API services", "caseworker.almaty", lambda i: "/api/v1/services/", api=True),
        Page("API checklists", "screener.almaty", lambda i: "/api/v1/checklists/", api=True),
        Page("API facilities", "monitor.almaty", lambda i: "/api/v1/facilities/", api=True),
        Page("API visits", "monitor.almaty", lambda i: "/api/v1/visits/", api=True),
        Page("API seminars", "trainer.almaty", lambda i: "/api/v1/seminars/", api=True),
        Page("API questions", "trainer.almaty", lambda i: "/api/v1/questions/", api=True),
        # The other lists that page through rows.
        Page("service directory", "caseworker.almaty", lambda i: "/services/"),
        Page("visit list", "monitor.almaty", lambda i: "/monitoring/visits/"),
        Page("follow-up list", "monitor.almaty", lambda i: "/monitoring/actions/"),
        Page("facility list", "monitor.almaty", lambda i: "/monitoring/facilities/"),
    ]
    return result, notes


def wait_for_peers(step: int) -> None:
    """With ``--together``: start page ``step`` only when every size's process reached it, so
    that the sizes are measured side by side, under the same load."""
    folder = os.environ.get("TANU_BENCH_BARRIER")
    if not folder:
        return
    peers = int(os.environ.get("TANU_BENCH_PEERS", "1"))
    Path(folder, f"{step}.{os.getpid()}").touch()
    deadline = time.monotonic() + 900
    while len(list(Path(folder).glob(f"{step}.*"))) < peers and time.monotonic() < deadline:
        time.sleep(0.05)


def measure_all(requests: int, only: set[str] | None = None) -> tuple[dict[str, Any], list[str]]:
    from django.test import Client, override_settings

    from tanu.accounts.models import User

    found, notes = pages()
    results: dict[str, Any] = {}
    for step, page in enumerate(found):
        if only and page.name not in only:
            continue
        wait_for_peers(step)
        client = Client(HTTP_ACCEPT_LANGUAGE="ru")
        client.force_login(User.objects.get(username=page.username))
        if page.prepare:
            page.prepare(client)
        try:
            with override_settings(**(page.settings or {})):
                results[page.name] = measure(page, client, requests)
        except Exception as exc:  # a page that fails is reported, the others still measured
            results[page.name] = {"error": f"{exc.__class__.__name__}: {exc}", "main": page.main}
        shown = results[page.name]
        if "error" in shown:
            print(f"  {page.name:<32} ERROR {shown['error']}", flush=True)
        else:
            print(
                f"  {page.name:<32} p50 {shown['p50_ms']:>7.1f} ms  p95 {shown['p95_ms']:>7.1f} ms"
                f"  {shown['queries']:>3} queries",
                flush=True,
            )
    return results, notes


# --- the child process: one database, one size ------------------------------------------------


def child(args: argparse.Namespace) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command, get_commands

    from tanu.identification.models import Screening
    from tanu.ops.synthetic.synth import synthesise

    out: dict[str, Any] = {"size": args.size, "database": args.database}
    call_command("migrate", verbosity=0)
    have = Screening.objects.count()
    if args.reuse and have >= args.size:
        print(f"reusing {args.database}: {have:,} screenings", flush=True)
        out["synth"] = None
    else:
        if have:
            raise SystemExit(f"{args.database} holds {have} screenings: drop it or use --reuse")
        call_command("demo", "load", stdout=io.StringIO())
        report = synthesise(args.size, seed=args.seed, method=args.method)
        out["synth"] = report.as_dict()
    out["screenings"] = Screening.objects.count()
    print(f"measuring pages at {out['screenings']:,} screenings ...", flush=True)
    only = {name.strip() for name in args.pages.split(",") if name.strip()} or None
    out["pages"], out["notes"] = measure_all(args.requests, only)
    if args.export and "export" in get_commands():
        with tempfile.TemporaryDirectory(prefix="tanu-bench-export-") as folder:
            target = Path(folder) / "anonymised.csv"
            start = time.perf_counter()
            try:
                call_command("export", "anonymised", "--output", str(target), stdout=io.StringIO())
                seconds = time.perf_counter() - start
                out["export"] = {
                    "seconds": round(seconds, 2),
                    "bytes": target.stat().st_size,
                    "rows": max(0, sum(1 for _ in target.open(encoding="utf-8")) - 1),
                }
                print(f"  anonymised export: {seconds:.1f} s", flush=True)
            except Exception as exc:
                out["export"] = {"error": f"{exc.__class__.__name__}: {exc}"}
    elif args.export:
        out["export"] = {"error": "no `tanu export anonymised` command yet"}
    print(CHILD_MARK + json.dumps(out), flush=True)


# --- the parent: databases, processes, results -----------------------------------------------


def label(size: int) -> str:
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def admin_sql(sql: str) -> str:
    """Run a statement on the server's maintenance database: CREATE/DROP DATABASE of our own
    scratch databases, and reading pg_database. Returns the first value of a SELECT."""
    import psycopg

    dsn = f"host={PG['host']} port={PG['port']} user={PG['user']} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        cursor = conn.execute(sql)  # type: ignore[arg-type]
        if cursor.description is None:
            return ""
        row = cursor.fetchone()
        return "" if row is None else str(row[0])


def database_exists(name: str) -> bool:
    return admin_sql(f"SELECT count(*) FROM pg_database WHERE datname = '{name}'") == "1"


def recreate(name: str) -> None:
    assert name.startswith("tanu_bench_"), name
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{name}"')


def environment(database: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tanu.settings",
            "TANU_DATABASE_URL": (
                f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}"
                if database
                else env.get("TANU_DATABASE_URL", "")
            ),
            "TANU_DEMO": "1",
            "TANU_DEBUG": "0",
            "TANU_DATA_DIR": data_dir,
            "TANU_DB_CONN_MAX_AGE": "600",
            "TANU_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def collect_static(data_dir: str) -> None:
    tanu = Path(sys.executable).with_name("tanu")
    command = [str(tanu)] if tanu.exists() else [sys.executable, "-m", "tanu"]
    subprocess.run(
        [*command, "collectstatic", "--no-input", "-v0"],
        env=environment("tanu_bench_unused", data_dir),
        check=True,
    )


def run_size(size: int, args: argparse.Namespace, data_dir: str) -> dict[str, Any]:
    database = f"tanu_bench_{label(size)}"
    reuse = args.reuse and database_exists(database)
    if not reuse:
        print(f"\n== {size:,} screenings: creating {database}", flush=True)
        recreate(database)
    else:
        print(f"\n== {size:,} screenings: reusing {database}", flush=True)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--size",
        str(size),
        "--database",
        database,
        "--requests",
        str(args.requests),
        "--seed",
        str(args.seed),
        "--method",
        args.method,
    ]
    if reuse:
        command.append("--reuse")
    if args.pages:
        command += ["--pages", args.pages]
    if not args.no_export:
        command.append("--export")
    process = subprocess.Popen(
        command, env=environment(database, data_dir), stdout=subprocess.PIPE, text=True
    )
    result: dict[str, Any] | None = None
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(CHILD_MARK):
            result = json.loads(line[len(CHILD_MARK) :])
        else:
            print(f"[{label(size)}] {line}" if args.together else line, end="", flush=True)
    if process.wait() != 0 or result is None:
        raise SystemExit(f"the benchmark at {size:,} screenings failed")
    if args.drop:
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return result


def compare_methods(n: int, data_dir: str, args: argparse.Namespace) -> dict[str, Any]:
    """The synthetic data rate by COPY and by bulk_create, each into a fresh database."""
    figures: dict[str, Any] = {"screenings": n}
    for method in ("copy", "bulk"):
        database = f"tanu_bench_{method}"
        recreate(database)
        code = (
            "import django, json; django.setup();"
            "from django.core.management import call_command;"
            "call_command('migrate', verbosity=0);"
            "import os; call_command('demo', 'load', stdout=open(os.devnull, 'w'));"
            "from tanu.ops.synthetic.synth import synthesise;"
            f"r = synthesise({n}, seed={args.seed}, method='{method}', out=lambda s: None);"
            f"print({CHILD_MARK!r} + json.dumps(r.as_dict()))"
        )
        completed = subprocess.run(
            [sys.executable, "-c", code],
            env=environment(database, data_dir),
            capture_output=True,
            text=True,
            check=False,
        )
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        lines = [x for x in completed.stdout.splitlines() if x.startswith(CHILD_MARK)]
        if completed.returncode != 0 or not lines:
            figures[method] = {"error": completed.stderr[-500:]}
            continue
        report = json.loads(lines[-1][len(CHILD_MARK) :])
        figures[method] = {
            k: report[k]
            for k in (
                "seconds",
                "write_seconds",
                "workers",
                "screenings_per_second",
                "rows_per_second",
                "rows_total",
            )
        }
        print(
            f"  synth by {method}: {report['screenings_per_second']:,} screenings/s, "
            f"{report['rows_per_second']:,} rows/s (writing {report['write_seconds']} s)",
            flush=True,
        )
    return figures


def assess_throughput(n: int) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    import bench_assess

    from tanu.identification.checklist_files import load_all
    from tanu.identification.engine import assess

    checklist = load_all()["ilo-adult-labour"]
    screenings = bench_assess.generate(list(checklist.indicators), n, 2024)
    start = time.perf_counter()
    for observed, not_observed, declined in screenings:
        assess(checklist, observed, not_observed, declined)
    engine_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="tanu-bench-") as folder:
        path = Path(folder) / "screenings.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for number, (observed, not_observed, declined) in enumerate(screenings):
                record = {
                    "id": number,
                    "checklist": "ilo-adult-labour",
                    "observed": observed,
                    "not_observed": not_observed,
                    "declined": declined,
                }
                handle.write(json.dumps(record, separators=(",", ":")) + "\n")
        cli_seconds = bench_assess.run_cli(path)
    figures = {
        "n": n,
        "engine_per_second": round(n / engine_seconds),
        "cli_per_second": round(n / cli_seconds),
        "cli_seconds": round(cli_seconds, 2),
    }
    print(
        f"  assessment: engine {figures['engine_per_second']:,}/s, "
        f"`tanu assess` end to end {figures['cli_per_second']:,}/s",
        flush=True,
    )
    return figures


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    postgres = ""
    with contextlib.suppress(Exception):
        postgres = admin_sql("SELECT version()").split(" on ")[0]
    load = ""
    with contextlib.suppress(OSError):
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": postgres,
        "load_average_at_end": load,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def verdicts(sizes: dict[str, Any]) -> dict[str, Any]:
    """Per main page and API list: p95 at the largest size under the target, and p50 and p95
    within the ratio of the smallest size."""
    keys = sorted(sizes, key=int)
    if not keys:
        return {}
    small, large = sizes[keys[0]]["pages"], sizes[keys[-1]]["pages"]
    result = {}
    for name, figures in large.items():
        if "error" in figures or not (figures.get("main") or figures.get("api")):
            continue
        p95 = figures["p95_ms"]
        base = small.get(name, {}).get("p95_ms")
        ratio = round(p95 / base, 2) if base else None
        base50 = small.get(name, {}).get("p50_ms")
        ratio50 = round(figures["p50_ms"] / base50, 2) if base50 else None
        result[name] = {
            "p95_ms": p95,
            "ratio": ratio,
            "p50_ratio": ratio50,
            "under_target": p95 < TARGET_P95_MS,
            "flat": len(keys) < 2 or all(r is None or r <= TARGET_RATIO for r in (ratio, ratio50)),
        }
    return result


def shown_ratio(ratio: float | None) -> str:
    """A ratio to the smallest size; in bold above the target."""
    if ratio is None:
        return "–"
    return f"**{ratio}**" if ratio > TARGET_RATIO else f"{ratio}"


def markdown(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    keys = sorted(sizes, key=int)
    lines = [
        "# tanu benchmark",
        "",
        f"Machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
        f"{results['machine']['memory']} RAM; Python {results['machine']['python']}, "
        f"{results['machine']['postgresql']}; {results['machine']['date']}.",
        "",
        "Server time per request through django.test.Client (TANU_DEBUG=0, persistent "
        "database connections); p50 / p95 in milliseconds; queries per request.",
        "",
    ]
    head = "| page | " + " | ".join(f"{int(k):,}: p50 / p95 ms, queries" for k in keys)
    if len(keys) > 1:
        head += f" | p50 ratio | p95 ratio (above {TARGET_RATIO} in bold) | target met |"
    else:
        head += " |"
    lines += [head, "|" + "---|" * (head.count("|") - 1)]
    names: list[str] = []
    for key in keys:
        for name in sizes[key]["pages"]:
            if name not in names:
                names.append(name)
    checks = verdicts(sizes)
    for name in names:
        cells = []
        for key in keys:
            f = sizes[key]["pages"].get(name, {})
            if not f:
                cells.append("–")
            elif "error" in f:
                cells.append("error")
            else:
                cells.append(f"{f['p50_ms']:.1f} / {f['p95_ms']:.1f}, {f['queries']}")
        main = any(sizes[k]["pages"].get(name, {}).get("main") for k in keys)
        row = f"| {name}{' (main)' if main else ''} | " + " | ".join(cells)
        if len(keys) > 1:
            check = checks.get(name)
            ratio = check["ratio"] if check else None
            first = sizes[keys[0]]["pages"].get(name, {}).get("p95_ms")
            last = sizes[keys[-1]]["pages"].get(name, {}).get("p95_ms")
            if ratio is None and first and last:
                ratio = round(last / first, 2)
            first50 = sizes[keys[0]]["pages"].get(name, {}).get("p50_ms")
            last50 = sizes[keys[-1]]["pages"].get(name, {}).get("p50_ms")
            ratio50 = round(last50 / first50, 2) if first50 and last50 else None
            met = ("yes" if check["under_target"] and check["flat"] else "**no**") if check else ""
            row += f" | {shown_ratio(ratio50)} | {shown_ratio(ratio)} | {met} |"
        else:
            row += " |"
        lines.append(row)
    lines.append("")
    for key in keys:
        size = sizes[key]
        synth = size.get("synth")
        if synth:
            lines.append(
                f"- Synthetic data, {int(key):,} screenings: {synth['seconds']:,} s, "
                f"{synth['screenings_per_second']:,} screenings/s, {synth['rows_total']:,} rows "
                f"({synth['rows_per_second']:,} rows/s) by {synth['method']}"
                + (f" with {synth['workers']} generating processes" if synth.get("workers") else "")
                + (
                    " (measured by an earlier run, which made the database)"
                    if synth.get("earlier")
                    else ""
                )
                + "."
            )
        export = size.get("export")
        if export and "seconds" in export:
            lines.append(
                f"- Anonymised export at {int(key):,} screenings: {export['seconds']} s "
                f"({export['rows']:,} rows)."
            )
        elif export:
            lines.append(f"- Anonymised export at {int(key):,}: {export.get('error')}.")
        for note in size.get("notes", []):
            lines.append(f"- {note}.")
    methods = results.get("synth_methods")
    if methods:
        for method in ("copy", "bulk"):
            m = methods.get(method, {})
            if "screenings_per_second" in m:
                lines.append(
                    f"- Synthesis by {method} ({methods['screenings']:,} screenings, fresh "
                    f"database): {m['screenings_per_second']:,} screenings/s, "
                    f"{m['rows_per_second']:,} rows/s, writing {m['write_seconds']} s of "
                    f"{m['seconds']} s."
                )
    assess = results.get("assess")
    if assess:
        lines.append(
            f"- Assessment throughput ({assess['n']:,} random screenings, one core): engine "
            f"{assess['engine_per_second']:,}/s; `tanu assess` end to end "
            f"{assess['cli_per_second']:,}/s."
        )
    lines.append("")
    return "\n".join(lines)


def parent(args: argparse.Namespace) -> None:
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    previous: dict[str, Any] = {}
    if RESULTS_JSON.exists():
        try:
            previous = json.loads(RESULTS_JSON.read_text())
        except ValueError:
            previous = {}
    results: dict[str, Any] = {"sizes": {}, "targets": {"p95_ms": TARGET_P95_MS}}
    with tempfile.TemporaryDirectory(prefix="tanu-bench-data-") as data_dir:
        print("collecting static files ...", flush=True)
        collect_static(data_dir)
        if not args.no_assess:
            results["assess"] = assess_throughput(args.assess_n)
        together: dict[int, dict[str, Any]] = {}
        if args.together:  # every size under the same load of the machine, page by page
            os.environ["TANU_BENCH_BARRIER"] = tempfile.mkdtemp(prefix="tanu-bench-steps-")
            os.environ["TANU_BENCH_PEERS"] = str(len(sizes))
            with ThreadPoolExecutor(len(sizes)) as pool:
                measured = pool.map(lambda n: run_size(n, args, data_dir), sizes)
                together = dict(zip(sizes, measured, strict=True))
            shutil.rmtree(os.environ.pop("TANU_BENCH_BARRIER"), ignore_errors=True)
        for size in sizes:
            result = together[size] if args.together else run_size(size, args, data_dir)
            if result.get("synth") is None:  # reused: keep the rate measured when it was made
                old = previous.get("sizes", {}).get(str(size), {}).get("synth")
                result["synth"] = {**old, "earlier": True} if old else None
            results["sizes"][str(size)] = result
        if args.compare_methods:
            print(
                f"\n== synthesis by COPY and by bulk_create, {args.compare_methods:,}", flush=True
            )
            results["synth_methods"] = compare_methods(args.compare_methods, data_dir, args)
    results["machine"] = machine()
    results["verdicts"] = verdicts(results["sizes"])
    text = markdown(results)
    if not args.no_write:
        RESULTS_JSON.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        RESULTS_MD.write_text(text)
    print()
    print(text)
    print(json.dumps(results["verdicts"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000", help="screenings, comma-separated")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--pages", default="", help="measure only these pages (comma-separated)")
    parser.add_argument("--reuse", action="store_true", help="keep a filled scratch database")
    parser.add_argument("--drop", action="store_true", help="drop each scratch database after")
    parser.add_argument(
        "--together",
        action="store_true",
        help="measure the sizes at the same time, so that both see the same load (ratios)",
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--method", default="auto", choices=["auto", "copy", "bulk"])
    parser.add_argument(
        "--compare-methods",
        type=int,
        default=20000,
        metavar="N",
        help="synthesise N screenings by COPY and by bulk_create (0: skip)",
    )
    parser.add_argument("--assess-n", type=int, default=100_000)
    parser.add_argument("--no-assess", action="store_true")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only, keep the files")
    # internal: one size in a process configured for its database
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--database", default="", help=argparse.SUPPRESS)
    parser.add_argument("--export", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
