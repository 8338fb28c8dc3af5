"""Drafts assessed before "enough asked" existed may say "no indication" although little was
asked: assess them again on today's rule (finalised screenings keep the result they were
finalised with)."""

from typing import Any

from django.db import migrations

BATCH = 500


def reassess_drafts(apps: Any, schema_editor: Any) -> None:
    from tanu.identification import engine

    screening_model = apps.get_model("identification", "Screening")
    checklists: dict[int, Any] = {}
    drafts = (
        screening_model.objects.filter(status="draft")
        .only("pk", "answers", "age_group", "form", "result")
        .prefetch_related("checklist_versions")
    )
    for screening in drafts.iterator(chunk_size=BATCH):
        if "enough_asked" in (screening.result or {}):
            continue
        lists = {}
        for row in screening.checklist_versions.all():
            if row.pk not in checklists:
                checklists[row.pk] = engine.Checklist.from_dict(row.data)
            lists[row.checklist_id] = checklists[row.pk]
        if not lists:
            continue
        known = frozenset().union(*(c.codes for c in lists.values()))
        kinds: dict[str, list[str]] = {"observed": [], "not_observed": [], "declined": []}
        for code, answer in (screening.answers or {}).items():
            if code in known and answer in kinds:
                kinds[answer].append(code)
        try:
            result = engine.assess_person(
                lists, age_group=screening.age_group, form=screening.form, **kinds
            )
        except engine.AssessmentError:
            continue  # left as it was; the next answer recorded assesses it again
        screening_model.objects.filter(pk=screening.pk).update(
            result=result.to_dict(),
            outcome=result.outcome,
            threshold_met=result.assessment.threshold_met,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("identification", "0005_screening_stop_reason_and_encrypted_notes"),
    ]

    operations = [
        migrations.RunPython(reassess_drafts, migrations.RunPython.noop, elidable=True),
    ]
