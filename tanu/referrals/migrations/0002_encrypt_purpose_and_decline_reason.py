"""A referral's purpose and reason for declining can hold personal data: they are encrypted like
the person's fields. The data step reads the plaintext straight from the table and writes each
value back through the model field, which encrypts it (bound to its row); the reverse step reads
the values through the field and writes the plaintext back."""

from django.db import migrations

import tanu.lib.crypto

FIELDS = ("purpose", "decline_reason")


def encrypt_existing(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    table = schema_editor.quote_name(Referral._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, purpose, decline_reason FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    for pk, purpose, decline_reason in rows:
        referral = Referral(pk=pk)
        referral.purpose = purpose or ""
        referral.decline_reason = decline_reason or ""
        referral.save(update_fields=list(FIELDS))


def decrypt_existing(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    table = schema_editor.quote_name(Referral._meta.db_table)
    plain = [(r.pk, r.purpose, r.decline_reason) for r in Referral.objects.only("pk", *FIELDS)]
    with schema_editor.connection.cursor() as cursor:
        for pk, purpose, decline_reason in plain:
            cursor.execute(
                f"UPDATE {table} SET purpose = %s, decline_reason = %s WHERE id = %s",  # noqa: S608
                [str(purpose)[:300], str(decline_reason)[:500], pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_service_directory_referrals_decisions_inbox"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="decline_reason",
            field=tanu.lib.crypto.EncryptedTextField(
                blank=True, default="", verbose_name="reason for declining"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="purpose",
            field=tanu.lib.crypto.EncryptedTextField(verbose_name="purpose"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
