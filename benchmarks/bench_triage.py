"""How often the quick triage would miss a person whom the full ILO rule calls a presumed victim.

Measured on synthetic screenings made by the same generator as `tanu demo synth` (plausible answer
patterns for presumed, possible and no-indication profiles, over every age group and form). A
triage "miss" is a screening whose full assessment is `presumed_victim` although none of the
triage questions covers any of its observed indicators (so every triage answer would be "no").

Next to it, the *sparse* measure, per checklist: presumed victims who disclose just enough to meet
the rule (the fewest indicators, chosen at random among the patterns that make each needed
dimension positive; tanu.identification.triage.sparse_presumed_victims). The triage must miss
under 2% of them in every list.

    TANU_DEBUG=1 .venv/bin/python benchmarks/bench_triage.py [--n 20000] [--seed 7] [--sparse 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanu.settings")
os.environ.setdefault("TANU_DEBUG", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--sparse", type=int, default=20000, help="sparse presumed victims per checklist"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tanu.identification.checklist_files import load_triage
    from tanu.identification.triage import sparse_miss_rate
    from tanu.ops.synthetic import generator, screenings

    triage = load_triage()
    covered: set[str] = {
        c for q in triage["questions"] for codes in q["covers"].values() for c in codes
    }
    sets = screenings.checklist_sets()
    rng = random.Random(args.seed)
    profiles = [("presumed", 0.4), ("possible", 0.3), ("none", 0.3)]
    groups = list(sets)
    outcomes: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for _ in range(args.n):
        age_group, form = rng.choice(groups)
        profile = generator.weighted(rng, profiles)
        answers = screenings.answers_for(sets[(age_group, form)], profile, rng, (20, 67))
        result = screenings.assess(sets[(age_group, form)], age_group, form, answers)
        observed = {code for code, answer in answers.items() if answer == "observed"}
        outcomes[result.outcome] += 1
        if not observed & covered:
            missed[result.outcome] += 1
    rows = {
        outcome: {
            "screenings": outcomes[outcome],
            "triage_all_no": missed[outcome],
            "miss_rate": round(missed[outcome] / outcomes[outcome], 4)
            if outcomes[outcome]
            else None,
        }
        for outcome in ("presumed_victim", "possible_victim", "no_indication", "incomplete")
    }
    print(
        f"{'outcome of the full rule':<26}{'screenings':>12}{'triage all no':>15}{'miss rate':>11}"
    )
    for outcome, row in rows.items():
        rate = "—" if row["miss_rate"] is None else f"{row['miss_rate']:.2%}"
        print(f"{outcome:<26}{row['screenings']:>12}{row['triage_all_no']:>15}{rate:>11}")
    checklists = {c.id: c for cs in sets.values() for c in cs.by_id.values()}
    sparse = {}
    for checklist_id in sorted(checklists):
        misses, n = sparse_miss_rate(
            triage, checklists[checklist_id], n=args.sparse, seed=args.seed
        )
        sparse[checklist_id] = {
            "sparse_presumed_victims": n,
            "triage_all_no": misses,
            "miss_rate": round(misses / n, 4),
        }
    print()
    print(f"questions: {len(triage['questions'])}")
    print(
        f"{'sparse presumed victims':<26}{'screenings':>12}{'triage all no':>15}{'miss rate':>11}"
    )
    for checklist_id, row in sparse.items():
        print(
            f"{checklist_id:<26}{row['sparse_presumed_victims']:>12}"
            f"{row['triage_all_no']:>15}{row['miss_rate']:>11.2%}"
        )
    print(
        json.dumps(
            {
                "n": args.n,
                "seed": args.seed,
                "questions": len(triage["questions"]),
                "results": rows,
                "sparse": sparse,
            }
        )
    )


if __name__ == "__main__":
    main()
