from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceedingsConfig(AppConfig):
    name = "tanu.proceedings"
    label = "proceedings"
    verbose_name = _("Criminal proceedings")

    def ready(self) -> None:
        from tanu.audit.actions import register_region_path
        from tanu.audit.models import ObjectType
        from tanu.proceedings.models import Hearing, Proceeding

        register_region_path(ObjectType.PROCEEDING, Proceeding, "case__region_id")
        register_region_path(ObjectType.HEARING, Hearing, "proceeding__case__region_id")
