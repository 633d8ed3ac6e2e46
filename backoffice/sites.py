"""The back office's admin site: Django's admin with a dashboard and its own pages."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from backoffice import import_views, timesheet
from backoffice.dashboard import dashboard_panels


class BackOfficeSite(admin.AdminSite):
    site_header = _("Timebridge back office")
    site_title = _("Timebridge")
    index_title = _("Today at a glance")
    # "View site" leads to the landing page, which links the admin, the API docs and health.
    site_url = "/"

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        context = {"dashboard": dashboard_panels(), **(extra_context or {})}
        return super().index(request, extra_context=context)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_view(lambda request: import_views.upload_view(self, request)),
                name="backoffice_import",
            ),
            path(
                "import/<int:pk>/",
                self.admin_view(lambda request, pk: import_views.preview_view(self, request, pk)),
                name="backoffice_import_preview",
            ),
            path(
                "timesheet/",
                self.admin_view(lambda request: timesheet.month_view(self, request)),
                name="backoffice_timesheet",
            ),
            path(
                "timesheet/week/",
                self.admin_view(lambda request: timesheet.week_view(self, request)),
                name="backoffice_timesheet_week",
            ),
        ]
        return own + super().get_urls()
