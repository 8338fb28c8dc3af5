from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tanu.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from tanu.audit.actions import register_region_path
        from tanu.audit.models import ObjectType
        from tanu.cases.models import Case, Consent, DataRequest, Document, Note

        # The audit entries about a case's records carry the case's region.
        register_region_path(ObjectType.CASE, Case, "region_id")
        register_region_path(ObjectType.PERSON, Case, "region_id", id_field="person_id")
        for object_type, model in (
            (ObjectType.CONSENT, Consent),
            (ObjectType.NOTE, Note),
            (ObjectType.DOCUMENT, Document),
            (ObjectType.DATA_REQUEST, DataRequest),
        ):
            register_region_path(object_type, model, "case__region_id")
