from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the OpenAPI description of API-key authentication.
        from config.api import schema  # noqa: F401

        # Connects the signals that make a key or user change forget remembered API keys.
        from config.api import keycache  # noqa: F401
