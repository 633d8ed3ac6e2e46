from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OooConfig(AppConfig):
    name = "ooo"
    verbose_name = _("Huddle out of office")
    default_auto_field = "django.db.models.BigAutoField"
