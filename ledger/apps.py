from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """Timebridge's own layer over the four source apps (reads them; they never import it)."""

    name = "ledger"
    verbose_name = _("Working-time ledger")
    default_auto_field = "django.db.models.BigAutoField"
