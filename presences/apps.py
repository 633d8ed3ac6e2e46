from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresencesConfig(AppConfig):
    name = "presences"
    verbose_name = _("MOCO presences")
    default_auto_field = "django.db.models.BigAutoField"
