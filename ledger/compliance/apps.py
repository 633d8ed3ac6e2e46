from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """ArbZG findings over the ledger; an app of its own only for its admin page."""

    name = "ledger.compliance"
    label = "compliance"
    verbose_name = _("Compliance (ArbZG)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A misconfigured rule set (unknown rule, bad threshold, unknown holiday region)
        # stops the start rather than judging working time with wrong numbers.
        from ledger.compliance.ruleset import current_rule_set

        current_rule_set()
