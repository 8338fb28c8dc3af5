from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_encrypt_audit_reasons")]

    operations = [migrations.RemoveField(model_name="auditentry", name="reason_plain")]
