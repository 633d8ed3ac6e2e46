from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackOfficeConfig(AppConfig):
    """Templates, dashboard and landing page of the back office."""

    name = "backoffice"
    verbose_name = _("Back office")
    default = True


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by Timebridge's site (a dashboard as its index page)."""

    default = False
    default_site = "backoffice.sites.BackOfficeSite"
