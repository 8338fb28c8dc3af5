"""The canary: the demo person Zhanar Kanaryeva (Жанар Канарьева), document N12345678, must never
appear in plaintext in the database file, a database dump, the logs or a backup, while the
authorised case worker sees her on screen. A record linkage run (which decrypts every person)
finds her second record held by another agency and leaves her nowhere on disk either: not in
the pairs it writes, not in any temporary file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
SECRETS = ["Канарьева", "Жанар", "Kanaryeva", "Zhanar", "N12345678"]

SCRIPT = r"""
import logging, sys
import django
django.setup()
logging.getLogger().setLevel(logging.DEBUG)
from django.test import Client
from tanu.accounts.models import User
from tanu.cases.demo import canary_case
from tanu.cases import actions as case_actions
from tanu.referrals import actions as referral_actions
from tanu.referrals.models import Service

case = canary_case()
screener = User.objects.get(username="screener.almaty")
shelter = Service.objects.filter(agency=User.objects.get(username="caseworker.almaty").agency).first()
consent = case_actions.do_record_consent(
    case, actor=screener, purpose="referral", given=True, basis="person", language="ru",
    interpreter_used=False, service=shelter, shared_fields=["name", "documents"],
)
referral = referral_actions.do_send_referral(
    case, actor=screener, service=shelter, purpose="shelter", urgency="urgent",
    shared_fields=["name", "documents"], consent=consent,
)
client = Client(HTTP_ACCEPT_LANGUAGE="en")
assert client.post("/accounts/login/", {"username": "caseworker.almaty", "password": "tanu-demo"}).status_code == 302
masked = client.get(f"/referrals/{referral.pk}/").content.decode()
assert "Канарьева" not in masked and "N12345678" not in masked, "masked until revealed"
client.post(f"/referrals/{referral.pk}/reveal/", {"reason": "placing her in the shelter"})
page = client.get(f"/referrals/{referral.pk}/").content.decode()
print("SHOWN" if ("Канарьева" in page and "N12345678" in page) else "HIDDEN", file=sys.stderr)
search = Client(HTTP_ACCEPT_LANGUAGE="en")
search.post("/accounts/login/", {"username": "screener.almaty", "password": "tanu-demo"})
result = search.post("/cases/search/", {"name": "Zhanar Kanaryeva"}).content.decode()
print("FOUND" if case.number in result else "NOTFOUND", file=sys.stderr)
"""

# Her second record, as the Aktau police wrote it from her identity card, among synthetic persons.
LINKAGE = r"""
import sys
import django
django.setup()
from tanu.accounts.models import Agency, User
from tanu.cases.actions import reindex_person
from tanu.cases.demo import canary_case
from tanu.cases.models import Case, Person
from tanu.ops.synthetic.duplicates import population

case = canary_case()
screener = User.objects.get(username="screener.almaty")
agencies = list(Agency.objects.order_by("pk"))
def add(values, agency):
    person = Person(**values)
    person.save()
    reindex_person(person)
    Case.objects.create(number=f"LNK-{person.pk}", person=person, agency=agency,
                        region=agency.region, created_by=screener)
    return person
for i, record in enumerate(population(300, seed=3)):
    add({"family_name": record.family_name, "given_name": record.given_name,
         "patronymic": record.patronymic, "date_of_birth": record.date_of_birth,
         "estimated_age": record.estimated_age, "sex": record.sex,
         "citizenship": record.citizenship, "documents": record.documents},
        agencies[i % len(agencies)])
again = add({"family_name": "KANAREVA", "given_name": "ZHANAR", "sex": "female",
             "citizenship": "KZ", "estimated_age": 27,
             "documents": [{"type": "id_card", "number": "n 1234 5678"}]},
            next(a for a in agencies if a.pk != case.agency_id))
print(f"PAIR {min(case.person_id, again.pk)},{max(case.person_id, again.pk)},", file=sys.stderr)
"""


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def scratch_database(tmp_path: Path):
    """A database of its own, of the same kind as the one the suite runs on."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        yield f"sqlite:///{tmp_path / 'canary.sqlite3'}", None
        return
    import psycopg

    db = settings.DATABASES["default"]
    name = f"tanu_canary_{uuid.uuid4().hex[:8]}"
    dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    try:
        yield url, name
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_canary_is_nowhere_in_plaintext_but_the_case_worker_sees_her(
    tmp_path: Path, scratch_database: tuple[str, str | None]
) -> None:
    url, pg_name = scratch_database
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TANU_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    scratch = tmp_path / "tmp"  # every temporary file of every step, linkage's included
    scratch.mkdir()
    env.update(
        {
            "TMPDIR": str(scratch),
            "DJANGO_SETTINGS_MODULE": "tanu.settings",
            "TANU_DEMO": "1",
            "TANU_DEBUG": "1",
            "TANU_DATABASE_URL": url,
            "TANU_DATA_DIR": str(tmp_path / "data"),
            "TANU_LOG_LEVEL": "DEBUG",
        }
    )
    logs = []
    for args in (
        ["-m", "tanu", "migrate", "-v0"],
        ["-m", "tanu", "demo", "load"],
        ["-c", SCRIPT],
        ["-c", LINKAGE],
        ["-m", "tanu", "persons", "duplicates", "--output", str(tmp_path / "pairs.csv")],
        ["-m", "tanu", "backup", str(tmp_path / "backup.tanu")],
    ):
        result = _run(args, env)
        assert result.returncode == 0, result.stderr[-3000:]
        logs.append(result.stdout + result.stderr)
    log_text = "\n".join(logs)
    assert "SHOWN" in log_text, "the authorised case worker must see the shared name and document"
    assert "FOUND" in log_text, "search by name must find the canary's case"
    pair = log_text.split("PAIR ", 1)[1].split()[0]
    pairs = (tmp_path / "pairs.csv").read_text(encoding="utf-8")
    assert f"\n{pair}" in pairs, "the linkage run finds her two records"

    stores: dict[str, bytes] = {"logs": log_text.encode()}
    stores["backup"] = (tmp_path / "backup.tanu").read_bytes()
    if pg_name is None:
        db_file = Path(url.removeprefix("sqlite:///"))
        stores["database file"] = b"".join(
            p.read_bytes() for p in db_file.parent.glob(db_file.name + "*")
        )
        dump = _run(
            [
                "-c",
                f"import sqlite3;print('\\n'.join(sqlite3.connect({str(db_file)!r}).iterdump()))",
            ],
            env,
        )
        stores["database dump"] = dump.stdout.encode()
    else:
        pg_dump = shutil.which("pg_dump")
        assert pg_dump, "pg_dump is needed to check a PostgreSQL dump"
        dump = subprocess.run(
            [pg_dump, "-h", "127.0.0.1", "-U", "postgres", pg_name],
            capture_output=True,
            timeout=300,
            check=True,
        )
        stores["database dump"] = dump.stdout
    stores["linkage pairs"] = pairs.encode()
    for folder in (tmp_path / "data", scratch):
        for stored in folder.rglob("*"):
            if stored.is_file():
                stores[f"file {stored.name}"] = stored.read_bytes()
    for where, content in stores.items():
        for secret in SECRETS:
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in content, f"{secret} found in {where}"
