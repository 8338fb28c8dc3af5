import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_reference_counters"),
        ("audit", "0002_alerts_for_unusual_access"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="region",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.region",
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="reason_digest",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        # Holds the plain reasons while the reason column becomes encrypted (0005, 0006).
        migrations.AddField(
            model_name="auditentry",
            name="reason_plain",
            field=models.CharField(blank=True, default="", max_length=500),
        ),
    ]
