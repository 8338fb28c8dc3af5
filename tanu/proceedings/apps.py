from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceedingsConfig(AppConfig):
    name = "tanu.proceedings"
    label = "proceedings"
    verbose_name = _("Criminal proceedings")

    def ready(self) -> None:
        from tanu.audit.actions import register_region_path
        from tanu.audit.models import ObjectType
        from tanu.cases.actions import ANONYMISE_HOOKS
        from tanu.cases.extensions import RETENTION_HOLDS
        from tanu.proceedings import hooks
        from tanu.proceedings.models import Hearing, Proceeding

        register_region_path(ObjectType.PROCEEDING, Proceeding, "case__region_id")
        register_region_path(ObjectType.HEARING, Hearing, "proceeding__case__region_id")

        from tanu.cases import extensions
        from tanu.proceedings.case_links import proceedings_link

        if proceedings_link not in extensions.CASE_LINKS:
            extensions.CASE_LINKS.append(proceedings_link)
        if hooks.cases_with_running_proceedings not in RETENTION_HOLDS:
            RETENTION_HOLDS.append(hooks.cases_with_running_proceedings)
        if hooks.clear_hearing_notes not in ANONYMISE_HOOKS:
            ANONYMISE_HOOKS.append(hooks.clear_hearing_notes)
