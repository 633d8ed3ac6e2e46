"""The back office's ledger exports: the same query, permissions and files as the API's
`days.csv` / `days.xlsx` (one selector, one exporter)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse

from config.admin import ReadOnlyAdminMixin
from config.api.errors import ApiError
from ledger import exports
from ledger.models import LedgerDay
from ledger.params import parse_days_query
from ledger.selectors import iter_days


class DaysExportForm(forms.Form):
    """Shown for entry only; the values are checked by `parse_days_query`, as in the API."""

    date_from = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.IntegerField(required=False, min_value=1, label="User id")
    team = forms.IntegerField(required=False, min_value=1, label="Team id")
    include_empty = forms.BooleanField(required=False, label="Every date, also without records")

    FIELD_BY_PARAM = {"from": "date_from", "to": "date_to"}


@admin.register(LedgerDay)
class LedgerDayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """One page: a date range and filters, two buttons (CSV, XLSX)."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Everyone who may enter the back office; which rows they get is the ledger's own
        # rule (members: only themselves), applied by parse_days_query.
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponseBase:
        form = DaysExportForm(request.GET or None)
        chosen = request.GET.get("format")
        if form.is_bound and form.is_valid() and chosen in ("csv", "xlsx"):
            params = {
                "from": request.GET["date_from"],
                "to": request.GET["date_to"],
                "user": request.GET.get("user", ""),
                "team": request.GET.get("team", ""),
                "include_empty": "true" if form.cleaned_data["include_empty"] else "false",
            }
            try:
                query = parse_days_query(params, viewer=request.user)  # type: ignore[arg-type]
            except ApiError as error:
                name = DaysExportForm.FIELD_BY_PARAM.get(error.field or "", error.field)
                form.add_error(name if name in form.fields else None, error.message)
            else:
                rows = iter_days(
                    users=query.users,
                    first=query.first,
                    last=query.last,
                    include_empty=query.include_empty,
                )
                build = exports.csv_response if chosen == "csv" else exports.xlsx_response
                return build(rows, first=query.first, last=query.last)
        context = {
            **self.admin_site.each_context(request),
            "title": "Working-time ledger: export days",
            "opts": self.model._meta,
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/ledger/days_export.html", context)
