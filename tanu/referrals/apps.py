from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "tanu.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from tanu.referrals import case_hooks, erasure

        erasure.register()  # retention and erasure clear the referrals' free text too
        case_hooks.register()  # the case's timeline and the services a consent may name
        audit_regions()


def audit_regions() -> None:
    """The audit entries about referrals carry the region of their case."""
    from tanu.audit.actions import register_region_path
    from tanu.audit.models import ObjectType
    from tanu.referrals.models import IdentificationDecision, Referral, ServiceRecord

    register_region_path(ObjectType.REFERRAL, Referral, "case__region_id")
    register_region_path(ObjectType.SERVICE_RECORD, ServiceRecord, "referral__case__region_id")
    register_region_path(
        ObjectType.IDENTIFICATION_DECISION, IdentificationDecision, "case__region_id"
    )
