from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tanu.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from tanu.audit.checks import audit_key_is_set

        register(audit_key_is_set, Tags.security, deploy=True)
