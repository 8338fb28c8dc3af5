from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """Legacy registers (Excel, CSV) imported into persons and cases of one agency."""

    name = "tanu.registers"
    label = "registers"
    verbose_name = _("Register imports")

    def ready(self) -> None:
        from tanu.cases.actions import ANONYMISE_HOOKS
        from tanu.registers import hooks

        if hooks.clear_external_ids not in ANONYMISE_HOOKS:
            ANONYMISE_HOOKS.append(hooks.clear_external_ids)
