from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # schema: registers the OpenAPI description of API-key authentication; keycache:
        # connects the signals that make a key or user change forget remembered API keys.
        from config.api import keycache, schema  # noqa: F401
