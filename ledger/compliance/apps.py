from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """ArbZG findings over the ledger; an app of its own only for its admin page."""

    name = "ledger.compliance"
    label = "compliance"
    verbose_name = "Compliance (ArbZG)"
    default_auto_field = "django.db.models.BigAutoField"
