from django.db import migrations

from tanu.accounts.regions import load_regions as load


def load_regions(apps, schema_editor):
    load(apps.get_model("accounts", "Region"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_users_regions_agencies")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
