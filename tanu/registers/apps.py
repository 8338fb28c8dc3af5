from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """Legacy registers (Excel, CSV) imported into persons and cases of one agency."""

    name = "tanu.registers"
    label = "registers"
    verbose_name = _("Register imports")
