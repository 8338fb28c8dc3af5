"""Probabilistic record linkage of persons: Splink (Fellegi–Sunter) on DuckDB, in memory.

A **full run** decrypts every person in batches, builds feature rows in memory
(:mod:`tanu.linkage.features`), loads them into an in-memory DuckDB that may not spill to disk,
and estimates the model from the data: the share of matching pairs from strict deterministic
rules, the u probabilities from random pairs, the m probabilities by expectation maximisation
over two blockings (same date of birth; same family and given name). It then scores the pairs
the blocking rules generate and keeps those above the threshold as :class:`MatchPair` rows.
The estimated model (field names, levels and probabilities: no value of any person) is stored
in :attr:`LinkageRun.model`.

An **incremental run** compares one new or edited person with the persons that share a
document number or at least two name keys with it (looked up through the blind indexes, so
nothing is decrypted but these candidates), using the model of the last full run.

Pairs people decided (merged, or not the same person) are never reopened or changed.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from tanu.audit.actions import record_read
from tanu.audit.models import ObjectType
from tanu.cases.models import Case, Person, PersonIndex
from tanu.lib.crypto import EncryptedTextField
from tanu.linkage.features import PersonValues, feature_row
from tanu.linkage.models import LinkageRun, MatchPair

log = logging.getLogger(__name__)

__all__ = [
    "FIELDS",
    "ScoredPair",
    "default_threshold",
    "model_settings",
    "run_full",
    "run_incremental",
    "score_rows",
]

#: The comparisons of the model and the person field each stands for (``agreements`` names).
FIELDS = {
    "family": "family_name",
    "given": "given_name",
    "father": "patronymic",
    "dob": "date_of_birth",
    "sex": "sex",
    "citizenship": "citizenship",
    "region": "region",
    "documents": "documents",
}
BATCH = 2000  # persons decrypted per query
MAX_CANDIDATES = 1000  # persons an incremental run compares with, most shared name keys first
DEFAULT_THRESHOLD = 0.9
SEED = 17

#: ``(stage, done, total)``: called as a long run advances (the command prints it).
Progress = Callable[[str, int, int], None]


def default_threshold() -> float:
    """The lowest match probability kept as a likely pair (``TANU_LINKAGE_THRESHOLD``)."""
    return float(getattr(settings, "TANU_LINKAGE_THRESHOLD", DEFAULT_THRESHOLD))


class LinkageError(Exception):
    """The data did not allow a model to be estimated."""


@dataclass(frozen=True)
class ScoredPair:
    """Two persons (a < b) the model scored above a threshold, and which fields agreed."""

    person_a: int
    person_b: int
    match_probability: float
    agreements: tuple[str, ...]


@dataclass
class RunResult:
    run: LinkageRun
    pairs: list[ScoredPair] = field(default_factory=list)


# --- the model ------------------------------------------------------------------------------


def _dob_comparison() -> Any:
    from splink import comparison_library as cl

    year_l, year_r = '"birth_year_l"', '"birth_year_r"'
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="date of birth, or the birth year from the estimated age",
        comparison_levels=[
            {
                "sql_condition": f"{year_l} IS NULL OR {year_r} IS NULL",
                "label_for_charts": "no date of birth or age",
                "is_null_level": True,
            },
            {"sql_condition": '"dob_l" = "dob_r"', "label_for_charts": "exact"},
            {
                "sql_condition": f'{year_l} = {year_r} AND "birth_month_l" = "birth_day_r" '
                'AND "birth_day_l" = "birth_month_r"',
                "label_for_charts": "day and month swapped",
            },
            {
                "sql_condition": 'abs(date_diff(\'day\', "dob_l"::DATE, "dob_r"::DATE)) <= 3',
                "label_for_charts": "within three days",
            },
            {
                # An age estimated on one side: its birth year is only roughly known. Two full
                # dates that differ otherwise are different (the level below).
                "sql_condition": f'("dob_l" IS NULL OR "dob_r" IS NULL) '
                f"AND abs({year_l} - {year_r}) <= 1",
                "label_for_charts": "estimated age, birth year within one year",
            },
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ],
    )


def model_settings() -> Any:
    """The model's comparisons and blocking rules (the parameters are estimated per run)."""
    from splink import SettingsCreator, block_on
    from splink import comparison_library as cl
    from splink.blocking_rule_library import CustomRule

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("family", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("given", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("father", [0.9]),
            _dob_comparison(),
            cl.ExactMatch("sex"),
            cl.ExactMatch("citizenship"),
            cl.ExactMatch("region"),
            cl.ArrayIntersectAtSizes("documents", [1]),
        ],
        blocking_rules_to_generate_predictions=[
            # the same names and birth year, or years one apart (two offset 4-year windows)
            block_on("family", "given", "floor(birth_year / 4)"),
            block_on("family", "given", "floor((birth_year + 2) / 4)"),
            block_on("family", "given", "father"),
            # no date of birth nor age on either side: the names alone
            CustomRule(
                'l."family" = r."family" AND l."given" = r."given" '
                'AND l."birth_year" IS NULL AND r."birth_year" IS NULL'
            ),
            # a typo in one name: the other name and the date of birth, or its year and month
            block_on("given", "dob"),
            block_on("family", "dob"),
            block_on("family", "birth_year", "birth_month"),
            block_on("given", "birth_year", "birth_month"),
            # a typo in one name and the date swapped or only estimated: the other name, the
            # first letters of the misspelt one and the birth year (or one year apart)
            block_on("given", "substr(family, 1, 2)", "floor(birth_year / 4)"),
            block_on("given", "substr(family, 1, 2)", "floor((birth_year + 2) / 4)"),
            block_on("family", "substr(given, 1, 2)", "floor(birth_year / 4)"),
            block_on("family", "substr(given, 1, 2)", "floor((birth_year + 2) / 4)"),
            block_on("documents", arrays_to_explode=["documents"]),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=True,
        em_convergence=0.001,
        max_iterations=10,
    )


_SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("family", pa.string()),
        ("given", pa.string()),
        ("patronymic", pa.string()),
        ("father", pa.string()),
        ("names", pa.list_(pa.string())),
        ("dob", pa.string()),
        ("birth_year", pa.int32()),
        ("birth_month", pa.int32()),
        ("birth_day", pa.int32()),
        ("sex", pa.string()),
        ("citizenship", pa.string()),
        ("region", pa.string()),
        ("documents", pa.list_(pa.string())),
    ]
)


class MemoryOnlyDuckDB:
    """An in-memory DuckDB that cannot write personal values to disk.

    Spilling is forbidden (``max_temp_directory_size`` 0): a run that does not fit in memory
    fails instead of writing temporary files. The temporary directory it is given is private,
    and is checked to be empty and removed when the connection closes.
    """

    def __init__(self) -> None:
        self._scratch = tempfile.mkdtemp(prefix="tanu-linkage-")
        self.connection = duckdb.connect(":memory:")
        self.connection.execute(f"SET temp_directory = '{self._scratch}'")
        self.connection.execute("SET max_temp_directory_size = '0B'")
        self.connection.execute("SET preserve_insertion_order = false")

    def load(self, rows: Iterable[dict[str, Any]], name: str = "persons") -> str:
        table = pa.Table.from_pylist(list(rows), schema=_SCHEMA)
        self.connection.register("_incoming", table)
        self.connection.execute(f"CREATE TABLE {name} AS SELECT * FROM _incoming")  # noqa: S608
        self.connection.unregister("_incoming")
        return name

    def close(self) -> None:
        self.connection.close()
        leftovers = [
            os.path.join(d, f) for d, _subdirs, files in os.walk(self._scratch) for f in files
        ]
        for path in leftovers:  # pragma: no cover - spilling is disabled
            os.remove(path)
        for d, _subdirs, _files in sorted(os.walk(self._scratch), reverse=True):
            os.rmdir(d)
        if leftovers:  # pragma: no cover
            raise RuntimeError("DuckDB wrote temporary files during a linkage run.")

    def __enter__(self) -> MemoryOnlyDuckDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _linker(db: MemoryOnlyDuckDB, table: str, model: Any) -> Any:
    from splink import DuckDBAPI, Linker

    api = DuckDBAPI(db.connection)
    return Linker(api.register(table), model, log_level=None)


def train(linker: Any, persons: int) -> None:
    """Estimate the model's parameters from the data (nothing is hand-set)."""
    from splink import block_on

    # The share of matching pairs, from pairs that surely match: about seven in ten of a
    # person's pairs of records agree exactly on names and date of birth or share a document.
    linker.training.estimate_probability_two_random_records_match(
        [block_on("family", "given", "dob"), block_on("documents")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(5e6, max(1e5, persons * (persons - 1) / 2)), seed=SEED
    )
    em_pairs = 2e6 if persons > 50_000 else None
    # Pairs sharing a document are nearly all the same person: their names and dates of
    # birth teach how one person's records differ. Pairs born the same day teach the rest.
    # On little data a session may be unusable; then blockings that teach the same follow.
    first = any(
        _expectation_maximisation(linker, blocking, em_pairs)
        for blocking in (
            block_on("documents"),
            block_on("family", "given"),
            block_on("family", "substr(given, 1, 2)"),
        )
    )
    second = any(
        _expectation_maximisation(linker, blocking, em_pairs)
        for blocking in (
            block_on("dob"),
            block_on("birth_year", "birth_month"),
            block_on("birth_year", "sex"),
        )
    )
    if not (first and second):
        raise LinkageError("The model could not be estimated from these persons.")


@contextmanager
def _quiet_splink() -> Iterator[None]:
    """Splink's progress messages only at warning level (they carry no personal value)."""
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    splink_log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        splink_log.setLevel(level)


def _expectation_maximisation(linker: Any, blocking: Any, max_pairs: float | None) -> bool:
    """One session of expectation maximisation; False when Splink found it unusable (an m
    probability underflowed to 0: a level seen only in pairs the model is sure differ)."""
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            blocking, max_pairs=max_pairs
        )
    except ValueError:
        log.warning("linkage: a session of expectation maximisation was not usable")
        return False
    return True


def _agreements(row: dict[str, Any]) -> tuple[str, ...]:
    # A comparison's level: -1 when a value is missing, 0 when the values differ, above 0 when
    # they agree exactly or closely (a typo, day and month swapped, a year apart).
    return tuple(name for column, name in FIELDS.items() if (row.get(f"gamma_{column}") or 0) > 0)


def _scored(rows: Iterable[dict[str, Any]]) -> Iterator[ScoredPair]:
    for row in rows:
        a, b = int(row["unique_id_l"]), int(row["unique_id_r"])
        if a == b:
            continue
        yield ScoredPair(
            person_a=min(a, b),
            person_b=max(a, b),
            match_probability=float(row["match_probability"]),
            agreements=_agreements(row),
        )


def _fetch(db: MemoryOnlyDuckDB, splink_df: Any) -> list[dict[str, Any]]:
    table = splink_df.physical_name
    present = set(db.connection.table(table).columns)
    # A comparison the model could not train at all is left out of the scores by Splink.
    levels = "".join(f', "gamma_{c}"' for c in FIELDS if f"gamma_{c}" in present)
    sql = f"SELECT unique_id_l, unique_id_r, match_probability{levels} FROM {table}"  # noqa: S608 - Splink's own table
    cursor = db.connection.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def score_rows(
    rows: list[dict[str, Any]],
    *,
    threshold: float,
    model: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> tuple[list[ScoredPair], dict[str, Any]]:
    """Link feature rows: estimate a model (or use ``model``), return the pairs above
    ``threshold`` and the model. Everything stays in memory."""
    with _quiet_splink(), MemoryOnlyDuckDB() as db:
        table = db.load(rows)
        linker = _linker(db, table, model or model_settings())
        if model is None:
            if progress:
                progress("estimating the model", 0, 1)
            train(linker, len(rows))
        if progress:
            progress("comparing", 0, 1)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        pairs = list(_scored(_fetch(db, predictions)))
        trained = linker.misc.save_model_to_json()
    return pairs, trained


# --- persons in, pairs out ------------------------------------------------------------------

_ENCRYPTED = ("family_name", "given_name", "patronymic", "other_names", "date_of_birth")


@dataclass(frozen=True)
class Holder:
    agency_id: int
    region_id: int


def _open(model_field: str, value: Any, pk: int) -> Any:
    field_ = Person._meta.get_field(model_field)
    assert isinstance(field_, EncryptedTextField)
    if value is None or value == "":
        return field_.get_default()
    return field_.open(value, row=pk)


def _values(queryset: Any, progress: Progress | None, total: int) -> Iterator[PersonValues]:
    columns: tuple[str, ...] = ("pk", *_ENCRYPTED, "documents", "estimated_age", "created_at")
    columns += ("sex", "citizenship", "case__region_id")
    for done, row in enumerate(queryset.values_list(*columns).iterator(chunk_size=BATCH), 1):
        pk = row[0]
        opened = {name: _open(name, row[i + 1], pk) for i, name in enumerate(_ENCRYPTED)}
        documents = _open("documents", row[6], pk)
        yield PersonValues(
            person_id=pk,
            family_name=str(opened["family_name"] or ""),
            given_name=str(opened["given_name"] or ""),
            patronymic=str(opened["patronymic"] or ""),
            other_names=str(opened["other_names"] or ""),
            date_of_birth=str(opened["date_of_birth"] or ""),
            estimated_age=row[7],
            reference_year=row[8].year,
            sex=row[9],
            citizenship=row[10] or "",
            region=str(row[11]),
            documents=documents if isinstance(documents, list) else [],
        )
        if progress and (done % 10_000 == 0 or done == total):
            progress("reading persons", done, total)


def linkable_persons() -> Any:
    """Persons linkage compares: those with a case that were not anonymised."""
    return Person.objects.filter(anonymised_at__isnull=True, case__isnull=False).order_by("pk")


def feature_rows(queryset: Any, progress: Progress | None = None) -> list[dict[str, Any]]:
    total = queryset.count() if progress else 0
    return [feature_row(values) for values in _values(queryset, progress, total)]


def holders(person_ids: Iterable[int]) -> dict[int, Holder]:
    ids = list(person_ids)
    holders: dict[int, Holder] = {}
    for start in range(0, len(ids), 5000):
        for person_id, agency_id, region_id in Case.objects.filter(
            person_id__in=ids[start : start + 5000]
        ).values_list("person_id", "agency_id", "region_id"):
            holders[person_id] = Holder(agency_id, region_id)
    return holders


def save_pairs(pairs: list[ScoredPair], run: LinkageRun, *, replace_open: bool) -> dict[str, int]:
    """Keep the pairs as MatchPair rows: new ones open, open ones updated, decided ones left as
    people decided them. With ``replace_open`` (a full run), open pairs not found again are
    removed: the persons changed, or the model no longer finds them likely."""
    now = timezone.now()
    found = {(p.person_a, p.person_b): p for p in pairs}
    held = holders({i for key in found for i in key})
    counts = {"created": 0, "updated": 0, "kept_decided": 0, "removed": 0}
    with transaction.atomic():
        existing: dict[tuple[int, int], MatchPair] = {}
        if replace_open:
            candidates = MatchPair.objects.all()
        else:
            ids = {i for key in found for i in key}
            candidates = MatchPair.objects.filter(person_a__in=ids, person_b__in=ids)
        for pair in candidates.only("id", "person_a", "person_b", "status").iterator(5000):
            existing[(pair.person_a_id, pair.person_b_id)] = pair
        creating: list[MatchPair] = []
        updating: list[MatchPair] = []
        for key, scored in found.items():
            if key[0] not in held or key[1] not in held:
                continue
            known = existing.get(key)
            if known is None:
                a, b = held[key[0]], held[key[1]]
                creating.append(
                    MatchPair(
                        person_a_id=key[0],
                        person_b_id=key[1],
                        agency_a_id=a.agency_id,
                        agency_b_id=b.agency_id,
                        region_a_id=a.region_id,
                        region_b_id=b.region_id,
                        match_probability=scored.match_probability,
                        agreements=list(scored.agreements),
                        run=run,
                        found_at=now,
                        updated_at=now,
                    )
                )
            elif known.status != MatchPair.Status.OPEN:
                counts["kept_decided"] += 1
            else:
                known.match_probability = scored.match_probability
                known.agreements = list(scored.agreements)
                known.run = run
                known.updated_at = now
                updating.append(known)
        MatchPair.objects.bulk_create(creating, batch_size=2000)
        MatchPair.objects.bulk_update(
            updating, ["match_probability", "agreements", "run", "updated_at"], batch_size=2000
        )
        counts["created"], counts["updated"] = len(creating), len(updating)
        if replace_open:
            stale = [
                p.pk
                for key, p in existing.items()
                if key not in found and p.status == MatchPair.Status.OPEN
            ]
            for start in range(0, len(stale), 5000):
                MatchPair.objects.filter(pk__in=stale[start : start + 5000]).delete()
            counts["removed"] = len(stale)
    return counts


def run_full(
    *,
    keep_above: float | None = None,
    report_above: float | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Link every person with every other. Pairs above ``keep_above`` (the default threshold)
    are kept as MatchPair rows; the result lists those above ``report_above`` (default: the
    same), which may be lower for a listing."""
    keep = default_threshold() if keep_above is None else keep_above
    report = keep if report_above is None else report_above
    run = LinkageRun.objects.create(kind=LinkageRun.Kind.FULL, threshold=keep)
    rows = feature_rows(linkable_persons(), progress)
    persons = len(rows)
    pairs: list[ScoredPair] = []
    model: dict[str, Any] = {}
    if len(rows) >= 2:
        pairs, model = score_rows(rows, threshold=min(keep, report), progress=progress)
    del rows
    if progress:
        progress("saving pairs", 0, 1)
    save_pairs([p for p in pairs if p.match_probability >= keep], run, replace_open=True)
    run.persons = persons
    run.pairs = sum(1 for p in pairs if p.match_probability >= keep)
    run.model = model
    run.finished_at = timezone.now()
    run.save(update_fields=["persons", "pairs", "model", "finished_at"])
    _audit_run(run)
    return RunResult(run=run, pairs=[p for p in pairs if p.match_probability >= report])


#: Who the audit trail names for a linkage run (the task or the command, never an official).
AUDIT_ACTOR = "linkage"


def _audit_run(run: LinkageRun) -> None:
    """A linkage run decrypts the persons it compares: one audit entry (a read) per run; the run
    (its id in the entry) holds how many persons it compared and how many pairs it kept."""
    record_read(
        ObjectType.LINKAGE_RUN,
        run.pk,
        actor=None,
        actor_username=AUDIT_ACTOR,
        fields=[field for field in FIELDS.values() if field != "region"],
    )


def last_model() -> dict[str, Any] | None:
    """The model estimated by the last finished full run, if any."""
    run = (
        LinkageRun.objects.filter(kind=LinkageRun.Kind.FULL, finished_at__isnull=False)
        .exclude(model={})
        .order_by("-finished_at", "-pk")
        .only("model")
        .first()
    )
    return run.model if run is not None else None


def candidates(person_id: int) -> list[int]:
    """Persons sharing a document number or at least two name keys with this one, through the
    blind indexes (most shared keys first, at most :data:`MAX_CANDIDATES`)."""
    own = PersonIndex.objects.filter(person_id=person_id).values_list("kind", "digest")
    names = [d for kind, d in own if kind == PersonIndex.Kind.NAME]
    documents = [d for kind, d in own if kind == PersonIndex.Kind.DOCUMENT]
    found: list[int] = []
    if documents:
        found.extend(
            PersonIndex.objects.filter(kind=PersonIndex.Kind.DOCUMENT, digest__in=documents)
            .exclude(person_id=person_id)
            .values_list("person_id", flat=True)
            .distinct()
        )
    if len(names) >= 2:
        found.extend(
            PersonIndex.objects.filter(kind=PersonIndex.Kind.NAME, digest__in=names)
            .exclude(person_id=person_id)
            .values("person_id")
            .annotate(shared=Count("digest", distinct=True))
            .filter(shared__gte=2)
            .order_by("-shared", "-person_id")
            .values_list("person_id", flat=True)[:MAX_CANDIDATES]
        )
    return list(dict.fromkeys(found))[:MAX_CANDIDATES]


def run_incremental(person_id: int, *, threshold: float | None = None) -> RunResult | None:
    """Compare one person with the persons that may be the same, with the last full run's
    model. None when no full run estimated a model yet, or the person is not linkable."""
    model = last_model()
    if model is None:
        return None
    own = feature_rows(linkable_persons().filter(pk=person_id))
    if not own:
        return None
    keep = default_threshold() if threshold is None else threshold
    others = feature_rows(linkable_persons().filter(pk__in=candidates(person_id)))
    run = LinkageRun(kind=LinkageRun.Kind.INCREMENTAL, threshold=keep, persons=1 + len(others))
    pairs: list[ScoredPair] = []
    if others:
        with _quiet_splink(), MemoryOnlyDuckDB() as db:
            table = db.load(own + others)
            linker = _linker(db, table, model)
            scored = linker.inference.score_pairs(own, others)
            pairs = [p for p in _scored(_fetch(db, scored)) if p.match_probability >= keep]
    run.pairs = len(pairs)
    run.finished_at = timezone.now()
    run.save()
    save_pairs(pairs, run, replace_open=False)
    _audit_run(run)
    return RunResult(run=run, pairs=pairs)
