"""Bulk actions of the back office, each through the same services as the APIs.

- close forgotten clock-outs: open MOCO presences get an end time, running McTime clocks
  are stopped at a chosen time of the day they started;
- approve or disapprove whole weeks of McTime entries: the selection stands for every
  entry of the same user in the same (local, ISO) week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clock import services as clock_services
from clock.models import ApprovalStatus, Clock, TimeEntry
from clock.serializers import invalid_clocking_message
from config.admin_errors import admin_wording
from config.api.errors import ApiError
from presences import services as presence_services
from presences.models import Presence


class EndTimeForm(forms.Form):
    end_time = forms.TimeField(
        label=_("End time"),
        help_text=_("Local time, on the day each record started (e.g. 17:00)."),
    )


def _ask_end_time(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    apply: Callable[[Any, dt.time], None],
) -> HttpResponse | None:
    """Ask for the end time on an intermediate page; then apply it to each record.

    Records are closed one by one, each in its service's own transaction: one that cannot
    be closed (its start is after the end time, say) is reported and leaves the others.
    """
    form = EndTimeForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        end = form.cleaned_data["end_time"]
        closed, refused = 0, []
        for record in queryset:
            try:
                apply(record, end)
                closed += 1
            except ApiError as exc:
                refused.append(f"{record}: {admin_wording(exc, type(record))}")
        if closed:
            modeladmin.message_user(
                request, ngettext("Closed %d record.", "Closed %d records.", closed) % closed
            )
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Close forgotten clock-outs"),
        "form": form,
        "records": list(queryset),
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "backoffice/action_end_time.html", context)


@admin.action(description=_("Close forgotten clock-outs (set an end time)"))
def close_open_presences(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Presence]
) -> HttpResponse | None:
    def close(presence: Presence, end: dt.time) -> None:
        presence_services.update_presence(presence=presence, to_time=end, actor=request.user)

    return _ask_end_time(
        modeladmin,
        request,
        queryset.filter(to_time__isnull=True).select_related("user"),
        action="close_open_presences",
        apply=close,
    )


@admin.action(description=_("Stop selected clocks at an end time"))
def stop_clocks_at(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Clock]
) -> HttpResponse | None:
    def stop(clock: Clock, end: dt.time) -> None:
        zone = clock.user.zone
        day = clock.started_at.astimezone(zone).date()
        at = dt.datetime.combine(day, end, tzinfo=zone)
        result = clock_services.stop_clock(user=clock.user, at=at)
        if not result.valid:
            # An approved entry or a closed date in the way made it an invalid entry:
            # reported like any refusal.
            raise ApiError(invalid_clocking_message(result))

    return _ask_end_time(
        modeladmin,
        request,
        queryset.select_related("user"),
        action="stop_clocks_at",
        apply=stop,
    )


def whole_weeks(queryset: QuerySet[TimeEntry]) -> QuerySet[TimeEntry]:
    """Every entry of the selected entries' users in the selected entries' local weeks."""
    weeks: set[tuple[int, dt.date]] = set()
    for entry in queryset.select_related("user"):
        local = entry.starts_at.astimezone(entry.user.zone).date()
        weeks.add((entry.user_id, local - dt.timedelta(days=local.weekday())))
    condition = Q(pk__in=[])
    for user_id, monday in weeks:
        # A day's margin either side; the exact local week is checked below.
        condition |= Q(
            user_id=user_id,
            starts_at__date__gte=monday - dt.timedelta(days=1),
            starts_at__date__lte=monday + dt.timedelta(days=8),
        )
    candidates = TimeEntry.objects.filter(condition).select_related("user")
    ids = [
        e.pk
        for e in candidates
        if (e.user_id, _monday(e.starts_at.astimezone(e.user.zone).date())) in weeks
    ]
    return TimeEntry.objects.filter(pk__in=ids)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _set_weeks(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, status: str
) -> None:
    entries = whole_weeks(queryset)
    total = entries.count()
    changed = clock_services.set_approval_status(entries=entries, status=status)
    modeladmin.message_user(
        request,
        _("%(changed)d of %(total)d entries in the selected weeks are now %(status)s.")
        % {"changed": changed, "total": total, "status": ApprovalStatus(status).label},
    )


@admin.action(description=_("Approve the whole week of the selected entries"))
def approve_weeks(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[TimeEntry]
) -> None:
    _set_weeks(modeladmin, request, queryset, ApprovalStatus.APPROVED)


@admin.action(description=_("Disapprove the whole week of the selected entries"))
def disapprove_weeks(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[TimeEntry]
) -> None:
    _set_weeks(modeladmin, request, queryset, ApprovalStatus.DISAPPROVED)
