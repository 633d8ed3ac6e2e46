"""Back office: ArbZG findings per user and month, read-only, with a CSV of the month."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from accounts.models import User
from ledger.compliance.models import UserFindings
from ledger.compliance.ruleset import current_rule_set
from ledger.compliance.selectors import FindingFilter, iter_violations, violations_list
from ledger.compliance.serializers import VIOLATION_COLUMNS
from ledger.exports import csv_table

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def _month(request: HttpRequest, user: User) -> tuple[date, date]:
    """`?month=YYYY-MM`, by default the current month in the user's zone."""
    raw = request.GET.get("month", "")
    match = _MONTH.fullmatch(raw)
    if match and 1 <= int(match[2]) <= 12 and 1900 <= int(match[1]) <= 2999:
        year, month = int(match[1]), int(match[2])
    else:
        if raw:
            messages.error(request, f"{raw[:20]!r} is not a month (YYYY-MM); showing this month.")
        today = timezone.now().astimezone(user.zone).date()
        year, month = today.year, today.month
    first = date(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def _shift(first: date, months: int) -> str:
    index = first.year * 12 + first.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@admin.register(UserFindings)
class UserFindingsAdmin(admin.ModelAdmin):
    """One line per user; a user's page lists the month's findings, day by day."""

    list_display = ("id", "username", "first_name", "last_name", "timezone", "holiday_region")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):  # type: ignore[no-untyped-def]
        if not self.has_view_permission(request):
            return super().change_view(request, object_id, form_url, extra_context)
        raw = str(object_id)
        # ASCII digits only: '²'.isdigit() is true, but no id can be read from it.
        ok = raw.isascii() and raw.isdigit() and len(raw) <= 18
        user = get_object_or_404(User, pk=int(raw)) if ok else None
        if user is None:
            return super().change_view(request, object_id, form_url, extra_context)
        first, last = _month(request, user)
        users = User.objects.filter(pk=user.pk)
        if request.GET.get("format") == "csv":
            return self._csv(users, first, last)
        rows = violations_list(users=users, first=first, last=last, keep=FindingFilter())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"ArbZG findings of {user.full_name}, {first:%B %Y}",
            "subject": user,
            "rows": rows,
            "counts": sorted(Counter(str(row.finding.rule) for row in rows).items()),
            "month": f"{first:%Y-%m}",
            "previous_month": _shift(first, -1),
            "next_month": _shift(first, 1),
            "rule_set": current_rule_set().version,
        }
        return TemplateResponse(request, "admin/compliance/findings.html", context)

    @staticmethod
    def _csv(users, first: date, last: date) -> HttpResponse:  # type: ignore[no-untyped-def]
        rows = iter_violations(users=users, first=first, last=last, keep=FindingFilter())
        response = StreamingHttpResponse(
            csv_table(rows, VIOLATION_COLUMNS), content_type="text/csv; charset=utf-8"
        )
        name = f"timebridge-violations-{first.isoformat()}-{last.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
