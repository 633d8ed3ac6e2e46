from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkingtimesConfig(AppConfig):
    name = "workingtimes"
    verbose_name = _("ProSonata working times")
    default_auto_field = "django.db.models.BigAutoField"
