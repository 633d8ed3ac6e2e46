from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data set (`manage.py load_demo`): the one app that may use all the others."""

    name = "demo"
    verbose_name = _("Demo data")
    default_auto_field = "django.db.models.BigAutoField"
