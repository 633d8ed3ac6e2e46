"""Back office: running clocks (cancel) and time entries (edit, approve, mark exported).

Every write goes through clock.services, as the API's do: the forms check the services'
rules for field errors, the saves and deletes call the services under the user's lock.
Entries under approval, approved or exported are read-only here as in the API. Unlike
POST /times, saving in the back office never trims or deletes other entries: an overlap
is refused, naming the entry in the way.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from backoffice.actions import approve_weeks, disapprove_weeks, stop_clocks_at
from backoffice.display import elapsed_minutes, hours_minutes
from backoffice.history import ReadableHistoryAdminMixin
from clock import services
from clock.forms import TimeEntryAdminForm, TimeEntryBreakForm, TimeEntryBreakFormSet, is_locked
from clock.models import (
    ApprovalStatus,
    Clock,
    ClockBreak,
    TimeEntry,
    TimeEntryBreak,
)
from clock.serializers import MAX_BREAKS_PER_ENTRY
from closing.guards import ClosedDatesDeleteGuard
from config.admin import HistoryAdmin, ReadOnlyAdminMixin
from config.admin_errors import ServiceRefusalAdminMixin
from config.api.errors import ApiError
from config.api.ids import UNSET


class ClockBreakInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ClockBreak
    extra = 0


@admin.register(Clock)
class ClockAdmin(ServiceRefusalAdminMixin, HistoryAdmin):
    """Clocks are started and stopped by their users (terminals, apps); the back office
    sees them and cancels them (delete = cancel: no time entry is made)."""

    list_display = ["user", "started_at", "time_type", "organization", "on_break"]
    list_filter = ["time_type", "organization"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "comment"]
    inlines = [ClockBreakInline]
    actions = ["cancel_clocks", stop_clocks_at]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clock]:
        return super().get_queryset(request).prefetch_related("breaks")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Clock | None = None) -> bool:
        return False

    @admin.display(boolean=True, description="on break")
    def on_break(self, clock: Clock) -> bool:
        return any(b.ended_at is None for b in clock.breaks.all())

    def delete_model(self, request: HttpRequest, obj: Clock) -> None:
        services.cancel_clock(user=obj.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Clock]) -> None:
        with transaction.atomic():
            for clock in queryset.select_related("user"):
                services.cancel_clock(user=clock.user)

    @admin.action(description="Cancel the selected clocks (no time entry is made)")
    def cancel_clocks(self, request: HttpRequest, queryset: QuerySet[Clock]) -> None:
        cancelled = 0
        for clock in queryset.select_related("user"):
            try:
                services.cancel_clock(user=clock.user)
            except ApiError:
                continue  # stopped or cancelled meanwhile
            cancelled += 1
        self.message_user(request, f"{cancelled} clock(s) cancelled.", messages.SUCCESS)


class TimeEntryBreakInline(admin.TabularInline):
    model = TimeEntryBreak
    form = TimeEntryBreakForm
    formset = TimeEntryBreakFormSet
    extra = 0
    max_num = MAX_BREAKS_PER_ENTRY  # as the API (POST /times)
    fields = ["starts_at", "ends_at", "automatic"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_locked(obj) and super().has_delete_permission(request, obj)


@admin.register(TimeEntry)
class TimeEntryAdmin(
    ReadableHistoryAdminMixin, ClosedDatesDeleteGuard, ServiceRefusalAdminMixin, HistoryAdmin
):
    form = TimeEntryAdminForm
    list_display = [
        "user",
        "starts_at",
        "ends_at",
        "net_duration",
        "time_type",
        "category",
        "organization",
        "approval_status",
        "creation_type",
        "is_valid",
    ]
    list_filter = [
        "user",
        "time_type",
        "category",
        "approval_status",
        "is_valid",
        "creation_type",
        "organization",
    ]
    list_select_related = ["user", "organization"]
    search_fields = ["id", "user__username", "user__first_name", "user__last_name", "comment"]
    date_hierarchy = "starts_at"
    # Approval moves only by the actions below; creation type and validity follow from how
    # the entry was made (the service sets them).
    readonly_fields = [
        "id",
        "category",
        "approval_status",
        "creation_type",
        "is_valid",
        "created_at",
        "updated_at",
    ]
    inlines = [TimeEntryBreakInline]
    actions = ["approve", approve_weeks, disapprove_weeks, "mark_exported"]
    history_list_display = ["starts_at", "ends_at", "time_type", "approval_status", "is_valid"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TimeEntry]:
        return super().get_queryset(request).prefetch_related("breaks")

    @admin.display(description="net (h:mm)")
    def net_duration(self, entry: TimeEntry) -> str:
        """Time between start and end, less the entry's breaks."""
        breaks = sum(elapsed_minutes(b.starts_at, b.ends_at) for b in entry.breaks.all())
        return hours_minutes(elapsed_minutes(entry.starts_at, entry.ends_at) - breaks)

    def get_readonly_fields(self, request: HttpRequest, obj: TimeEntry | None = None) -> Any:
        # An entry does not move between users (as in the API).
        return [*self.readonly_fields, "user"] if obj is not None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: TimeEntry | None = None) -> bool:
        return not is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: TimeEntry | None = None) -> bool:
        return not is_locked(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: TimeEntry, form: Any, change: bool) -> None:
        """Saved in save_related, with the breaks, in one service call."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        entry = form.instance
        breaks = next((fs for fs in formsets if fs.model is TimeEntryBreak), None)
        result = services.save_time_entries(
            user=entry.user,
            times=[
                services.TimeInput(
                    starts_at=entry.starts_at,
                    ends_at=entry.ends_at,
                    id=entry.pk if change else None,
                    breaks=breaks.spans if breaks is not None else UNSET,
                    time_type=entry.time_type,
                    comment=entry.comment,
                    organization=entry.organization,
                )
            ],
            overwrite=False,
        )
        saved = result.entries[0]
        entry.pk, entry.created_at, entry.updated_at = saved.pk, saved.created_at, saved.updated_at
        for formset in formsets:
            # What the admin's change message reads after a formset.save() (not called:
            # the service wrote the breaks).
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request: HttpRequest, obj: TimeEntry) -> None:
        services.delete_time_entry(entry=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TimeEntry]) -> None:
        # All or nothing: one entry that may not be deleted keeps every other one too.
        with transaction.atomic():
            for entry in queryset:
                services.delete_time_entry(entry=entry)

    @admin.action(description="Approve the selected valid entries")
    def approve(self, request: HttpRequest, queryset: QuerySet[TimeEntry]) -> None:
        changed = services.set_approval_status(entries=queryset, status=ApprovalStatus.APPROVED)
        self.message_user(request, f"{changed} time entr(y/ies) approved.", messages.SUCCESS)

    @admin.action(description="Mark the selected approved entries as exported")
    def mark_exported(self, request: HttpRequest, queryset: QuerySet[TimeEntry]) -> None:
        changed = services.set_approval_status(entries=queryset, status=ApprovalStatus.EXPORTED)
        self.message_user(request, f"{changed} time entr(y/ies) marked exported.", messages.SUCCESS)
