from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and API keys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # schema: registers the OpenAPI description of API-key authentication; keycache:
        # connects the signals that make a key or user change forget remembered API keys.
        from config.api import keycache, schema  # noqa: F401
