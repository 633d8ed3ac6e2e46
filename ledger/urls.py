"""Timebridge's own API, mounted at /api/timebridge/v1/ (config/urls.py)."""

from config.routing import api_path
from ledger.compliance.views import ViolationsExportView, ViolationsView
from ledger.views import DaysExportView, DaysView

urlpatterns = [
    api_path(r"days", DaysView.as_view(), name="timebridge-days"),
    api_path(r"days\.csv", DaysExportView.as_view(extension="csv"), name="timebridge-days-csv"),
    api_path(r"days\.xlsx", DaysExportView.as_view(extension="xlsx"), name="timebridge-days-xlsx"),
    api_path(r"violations", ViolationsView.as_view(), name="timebridge-violations"),
    api_path(r"violations\.csv", ViolationsExportView.as_view(), name="timebridge-violations-csv"),
]
