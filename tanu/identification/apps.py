from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentificationConfig(AppConfig):
    name = "tanu.identification"
    label = "identification"
    verbose_name = _("Identification")

    def ready(self) -> None:
        from tanu.audit.actions import register_region_path
        from tanu.audit.models import ObjectType
        from tanu.identification.models import Screening

        register_region_path(ObjectType.SCREENING, Screening, "region_id")
