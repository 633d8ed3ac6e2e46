"""Back office for OOO presences, with each one's change history (SimpleHistoryAdmin)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from config.admin import HistoryAdmin
from ooo.models import OutOfOffice


class WhenFilter(admin.SimpleListFilter):
    """Current (now within the range, open ends included), upcoming or past."""

    title = "when"
    parameter_name = "when"

    def lookups(self, request: HttpRequest, model_admin):  # type: ignore[no-untyped-def]
        return [("current", "Current"), ("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        now = timezone.now()
        if self.value() == "current":
            return queryset.current(now)  # type: ignore[attr-defined]
        if self.value() == "upcoming":
            return queryset.filter(start_date__gt=now)
        if self.value() == "past":
            return queryset.filter(end_date__lt=now)
        return queryset


@admin.register(OutOfOffice)
class OutOfOfficeAdmin(HistoryAdmin):
    list_display = ("id", "user", "is_active", "start_date", "end_date", "message", "updated_at")
    list_filter = (("user", admin.RelatedOnlyFieldListFilter), "is_active", WhenFilter)
    search_fields = ("user__username", "user__first_name", "user__last_name", "message")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "created_at"
    history_list_display = ("is_active", "start_date", "end_date", "message")
