"""Audit reasons become encrypted (like the person's fields): the column changes type, then the
reasons kept aside by 0004 are written back through the encrypted field, each bound to its row."""

from django.db import migrations

import tanu.lib.crypto


def encrypt_reasons(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    last = 0
    while True:
        rows = list(
            AuditEntry.objects.filter(pk__gt=last).exclude(reason_plain="").order_by("pk")[:500]
        )
        if not rows:
            return
        for entry in rows:
            entry.reason = entry.reason_plain
            entry.save(update_fields=["reason"])
        last = rows[-1].pk


def decrypt_reasons(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk")[:500])
        if not rows:
            break
        for entry in rows:
            if entry.reason:
                AuditEntry.objects.filter(pk=entry.pk).update(reason_plain=str(entry.reason))
        last = rows[-1].pk
    AuditEntry.objects.update(reason="")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_rehash_entries_over_reason_digest_and_region")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="reason",
            field=tanu.lib.crypto.EncryptedTextField(blank=True, default=""),
        ),
        migrations.RunPython(encrypt_reasons, decrypt_reasons, elidable=False),
    ]
