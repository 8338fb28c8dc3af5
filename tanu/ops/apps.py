from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The top floor: backup and restore, key rotation, demo and synthetic data.

    It owns no models; it may import every app below it, and nothing imports it.
    """

    name = "tanu.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from tanu.ops.checks import keys_are_set_on_their_own

        register(keys_are_set_on_their_own, Tags.security, deploy=True)
