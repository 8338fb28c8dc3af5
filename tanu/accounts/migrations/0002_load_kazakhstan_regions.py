from django.db import migrations

from tanu.accounts.regions import REGIONS


def load_regions(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    for row in REGIONS:
        Region.objects.update_or_create(code=row["code"], defaults=dict(row))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_users_regions_agencies")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
