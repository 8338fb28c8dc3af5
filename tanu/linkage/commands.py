"""`tanu persons duplicates [--threshold P] [--format csv|json] [--output FILE]`.

Runs the full linkage (every person against every other, the model estimated afresh), keeps the
likely pairs for review at the default threshold, and writes one row per likely pair at the
threshold asked for: ids, agencies, the external ids of the register import, the probability
and the fields that agreed. No name or other personal value is written. Progress goes to the
terminal's error stream.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError, OutputWrapper

from tanu.linkage import engine
from tanu.linkage.models import MatchPair
from tanu.registers.queries import external_ids

COLUMNS = (
    "person_a",
    "person_b",
    "agency_a",
    "agency_b",
    "external_id_a",
    "external_id_b",
    "match_probability",
    "agreements",
)


def pair_rows(pairs: list[engine.ScoredPair]) -> list[dict[str, Any]]:
    """The output rows of these pairs, without those people decided are not the same person."""
    persons = {i for p in pairs for i in (p.person_a, p.person_b)}
    different = set(
        MatchPair.objects.filter(status=MatchPair.Status.DIFFERENT).values_list(
            "person_a_id", "person_b_id"
        )
    )
    holders = engine.holders(persons)
    external = external_ids(persons)
    rows = []
    for pair in sorted(pairs, key=lambda p: (-p.match_probability, p.person_a, p.person_b)):
        if (pair.person_a, pair.person_b) in different:
            continue
        if pair.person_a not in holders or pair.person_b not in holders:
            continue
        rows.append(
            {
                "person_a": pair.person_a,
                "person_b": pair.person_b,
                "agency_a": holders[pair.person_a].agency_id,
                "agency_b": holders[pair.person_b].agency_id,
                "external_id_a": external.get(pair.person_a, ""),
                "external_id_b": external.get(pair.person_b, ""),
                "match_probability": round(pair.match_probability, 6),
                "agreements": list(pair.agreements),
            }
        )
    return rows


def write_rows(rows: list[dict[str, Any]], fmt: str, out: IO[str]) -> None:
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "agreements": " ".join(row["agreements"])})


def run_duplicates(
    options: dict[str, Any], *, stdout: OutputWrapper, stderr: OutputWrapper
) -> None:
    threshold = options.get("threshold")
    if threshold is not None and not 0 < threshold < 1:
        raise CommandError("The threshold is a probability between 0 and 1, e.g. 0.9.")
    output = options.get("output") or "-"
    if output != "-" and not Path(output).parent.is_dir():
        raise CommandError(f"There is no folder for {output}.")
    started = time.monotonic()
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if total > 1 and done < total and now - last[0] < 1:
            return
        last[0] = now
        shown = f" {done:,} of {total:,}" if total > 1 else ""
        stderr.write(f"[{now - started:6.1f} s] {stage}{shown}")

    try:
        result = engine.run_full(report_above=threshold, progress=progress)
    except engine.LinkageError as exc:
        raise CommandError(str(exc)) from exc
    rows = pair_rows(result.pairs)
    text = io.StringIO()
    write_rows(rows, options.get("format", "csv"), text)
    if output == "-":
        stdout.write(text.getvalue(), ending="")
    else:
        Path(output).write_text(text.getvalue(), encoding="utf-8")
    shown = result.run.threshold if threshold is None else threshold
    stderr.write(
        f"{result.run.persons:,} persons compared in {time.monotonic() - started:.1f} s: "
        f"{len(rows):,} likely pairs at {shown:g}; {result.run.pairs:,} kept for review "
        f"at {result.run.threshold:g} (run {result.run.pk})."
    )
    if output != "-":
        stderr.write(f"Written to {output}.")
