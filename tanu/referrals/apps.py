from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "tanu.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from tanu.referrals import erasure

        erasure.register()  # retention and erasure clear the referrals' free text too
