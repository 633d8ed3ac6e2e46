"""Back office: running clocks (cancel) and time entries (approve, mark exported, history)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from clock import services
from clock.models import ApprovalStatus, Clock, ClockBreak, TimeEntry, TimeEntryBreak
from config.admin import HistoryAdmin
from config.api.errors import ApiError


class ClockBreakInline(admin.TabularInline):
    model = ClockBreak
    extra = 0


@admin.register(Clock)
class ClockAdmin(HistoryAdmin):
    list_display = ["user", "started_at", "time_type", "organization", "on_break"]
    list_filter = ["time_type", "organization"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "comment"]
    inlines = [ClockBreakInline]
    actions = ["cancel_clocks"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clock]:
        return super().get_queryset(request).prefetch_related("breaks")

    @admin.display(boolean=True, description="on break")
    def on_break(self, clock: Clock) -> bool:
        return any(b.ended_at is None for b in clock.breaks.all())

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
    extra = 0
    fields = ["starts_at", "ends_at", "automatic"]


@admin.register(TimeEntry)
class TimeEntryAdmin(HistoryAdmin):
    list_display = [
        "user",
        "starts_at",
        "ends_at",
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
    readonly_fields = ["id", "category", "created_at", "updated_at"]
    inlines = [TimeEntryBreakInline]
    actions = ["approve", "mark_exported"]

    @admin.action(description="Approve the selected valid entries")
    def approve(self, request: HttpRequest, queryset: QuerySet[TimeEntry]) -> None:
        changed = services.set_approval_status(entries=queryset, status=ApprovalStatus.APPROVED)
        self.message_user(request, f"{changed} time entr(y/ies) approved.", messages.SUCCESS)

    @admin.action(description="Mark the selected approved entries as exported")
    def mark_exported(self, request: HttpRequest, queryset: QuerySet[TimeEntry]) -> None:
        changed = services.set_approval_status(entries=queryset, status=ApprovalStatus.EXPORTED)
        self.message_user(request, f"{changed} time entr(y/ies) marked exported.", messages.SUCCESS)
