from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The top floor: backup and restore, key rotation, demo and synthetic data.

    It owns no models; it may import every app below it, and nothing imports it.
    """

    name = "tanu.ops"
    label = "ops"
    verbose_name = "Operations"
