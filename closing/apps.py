from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosingConfig(AppConfig):
    name = "closing"
    verbose_name = _("Closed periods and evidence")
    default_auto_field = "django.db.models.BigAutoField"
