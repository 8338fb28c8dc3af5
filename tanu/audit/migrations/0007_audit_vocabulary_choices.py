"""The audit trail's object types become one vocabulary (tanu.audit.models.ObjectType). Choices
only: no stored value changes, so the hash chain is untouched (no SQL on any database)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_drop_plain_audit_reasons")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="object_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("person", "person"),
                    ("person_search", "person search"),
                    ("case", "case"),
                    ("consent", "consent"),
                    ("note", "case note"),
                    ("document", "document"),
                    ("data_request", "request to correct or erase data"),
                    ("anonymous_notification", "anonymous notification"),
                    ("reflection_reminder", "reflection period reminder"),
                    ("screening", "screening"),
                    ("referral", "referral"),
                    ("service_record", "service given"),
                    ("identification_decision", "identification decision"),
                    ("service_directory", "service directory"),
                    ("facility", "facility"),
                    ("visit", "monitoring visit"),
                    ("follow_up_action", "follow-up action"),
                    ("seminar", "seminar"),
                    ("seminar_session", "seminar session"),
                    ("seminar_participants", "seminar participants"),
                    ("training_participant", "seminar participant"),
                    ("training_question", "test question"),
                    ("training_test", "test"),
                    ("training_test_results", "test results"),
                    ("training_attempt", "test attempt"),
                    ("training_results", "training results"),
                    ("training_exercise", "training exercise"),
                    ("training_survey", "seminar survey"),
                    ("training_certificate", "training certificate"),
                    ("statistics", "statistics"),
                    ("export", "export"),
                    ("user", "user"),
                    ("username", "username"),
                    ("otp", "one-time code"),
                    ("lockout", "sign-in lockout"),
                    ("api_token", "API token"),
                    ("role_change_request", "role change request"),
                    ("audit_trail", "audit trail"),
                    ("alert", "alert"),
                    ("backup", "backup"),
                    ("synth", "synthetic data"),
                ],
                max_length=60,
            ),
        ),
    ]
