from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """Timebridge's own layer over the four source apps (reads them; they never import it)."""

    name = "ledger"
    default_auto_field = "django.db.models.BigAutoField"
