"""A consent to share names what it covers: a service or an agency, and the fields the person
agreed to share. A consent that referrals already rely on is taken to cover their service and
the fields they share, so that those referrals keep what they were sent with; other consents
cover the minimum fields and no service until a new consent is recorded."""

import django.db.models.deletion
from django.db import migrations, models

import tanu.cases.models

ORDER = (
    "case_number",
    "sex",
    "age_band",
    "citizenship",
    "languages",
    "form",
    "outcome",
    "name",
    "date_of_birth",
    "documents",
    "contacts",
    "address",
)


def cover_what_referrals_used(apps, schema_editor):
    Consent = apps.get_model("cases", "Consent")
    Referral = apps.get_model("referrals", "Referral")
    used: dict[int, tuple[int, set[str]]] = {}
    for consent_id, service_id, shared in Referral.objects.filter(
        consent__isnull=False
    ).values_list("consent_id", "service_id", "shared_fields"):
        service, fields = used.get(consent_id, (service_id, set()))
        used[consent_id] = (service, fields | set(shared or []))
    for consent_id, (service_id, fields) in used.items():
        Consent.objects.filter(pk=consent_id).update(
            service_id=service_id,
            shared_fields=[name for name in ORDER if name in fields | {"case_number"}],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_case_lists_newest_first_and_person_search_indexes"),
        ("referrals", "0001_service_directory_referrals_decisions_inbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agency",
                verbose_name="agency covered",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="service",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="referrals.service",
                verbose_name="service covered",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="shared_fields",
            field=models.JSONField(
                blank=True,
                default=tanu.cases.models.minimum_fields,
                verbose_name="information the person agreed to share",
            ),
        ),
        migrations.RunPython(cover_what_referrals_used, migrations.RunPython.noop),
    ]
