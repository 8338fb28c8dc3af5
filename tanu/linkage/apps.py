from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    """The same person across records and agencies: likely duplicates, merges, hit / no-hit."""

    name = "tanu.linkage"
    label = "linkage"
    verbose_name = _("Record linkage")
