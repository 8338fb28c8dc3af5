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
