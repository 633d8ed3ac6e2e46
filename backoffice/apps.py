from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackOfficeConfig(AppConfig):
    """Templates, dashboard and landing page of the back office."""

    name = "backoffice"
    verbose_name = _("Back office")
    default = True

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from backoffice.history import stamp_reason

        pre_create_historical_record.connect(stamp_reason, dispatch_uid="backoffice-reason")


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by Timebridge's site (a dashboard as its index page)."""

    default = False
    default_site = "backoffice.sites.BackOfficeSite"
