"""Back office for working times: by user and date, breaks in the form, full history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from backoffice.record_admin import BY_USER, USER_SEARCH, UserRecordAdmin
from config.api.field_errors import rename
from workingtimes import services
from workingtimes.models import BREAK_SLOTS, DayType, WorkingTime, break_fields


class WorkingTimeAdminForm(forms.ModelForm):
    """Runs the API's checks, so the admin cannot store what the API would refuse.

    The total may be left empty on a work day: it is then computed from the times.
    """

    class Meta:
        model = WorkingTime
        fields = (
            "user",
            "working_date",
            "day_type",
            "half_holiday",
            "home_office",
            "daily_time_start",
            "daily_time_end",
            "daily_time_total",
            *(field for slot in BREAK_SLOTS for field in break_fields(slot)),
            "comments",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "daily_time_total" in self.fields:
            self.fields["daily_time_total"].required = False
            self.fields[
                "daily_time_total"
            ].help_text = "Hours, e.g. 7.75. Leave empty on a work day to have it computed."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # On a change the user is read-only (a record does not move between users).
        user = cleaned.get("user") or (self.instance.user if self.instance.pk else None)
        needed = ("working_date", "daily_time_start", "daily_time_end", "day_type")
        if user is None or any(cleaned.get(name) is None for name in needed) or self.errors:
            return cleaned  # field errors are shown already
        values = {name: cleaned.get(name) for name in services.EDITABLE_FIELDS}
        values["working_date"] = cleaned["working_date"]
        recompute = values["daily_time_total"] is None
        if recompute and values["day_type"] != DayType.WORK:
            self.add_error("daily_time_total", "Required for days that are not work days.")
            return cleaned
        if recompute:
            values["daily_time_total"] = 0  # replaced by the computed total
        try:
            values = services.check_working_time(values, zone=user.zone, recompute_total=recompute)
        except services.WorkingTimeInvalid as exc:
            # Each reason next to its field, other fields it mentions by their labels.
            labels = {name: str(field.label) for name, field in self.fields.items()}
            for name, reason in exc.errors:
                self.add_error(name if name in self.fields else None, rename(reason, labels))
            return cleaned
        cleaned["daily_time_total"] = values["daily_time_total"]
        return cleaned


_BREAKS = tuple(field for slot in BREAK_SLOTS for field in break_fields(slot))


@admin.register(WorkingTime)
class WorkingTimeAdmin(UserRecordAdmin):
    form = WorkingTimeAdminForm
    list_display = (
        "working_date",
        "user",
        "day_type",
        "daily_time_start",
        "daily_time_end",
        "daily_time_total",
        "home_office",
        "half_holiday",
        "created_via_api",
    )
    list_display_links = ("working_date", "user")
    list_filter = (
        BY_USER,
        "day_type",
        "home_office",
        "half_holiday",
        "created_via_api",
    )
    date_hierarchy = "working_date"
    search_fields = (*USER_SEARCH, "comments")
    ordering = ("-working_date", "user__username")
    readonly_fields = (
        "edited_by",
        "created_at",
        "created_via_api",
        "updated_at",
        "total_mismatch",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: WorkingTime | None = None) -> Any:
        # A record does not move between users (as in the API: userID cannot be changed).
        return (*self.readonly_fields, "user") if obj is not None else self.readonly_fields

    fieldsets = (
        (None, {"fields": ("user", "working_date", "day_type", "half_holiday", "home_office")}),
        ("Times", {"fields": ("daily_time_start", "daily_time_end", "daily_time_total")}),
        ("Breaks", {"fields": tuple(zip(_BREAKS[::2], _BREAKS[1::2], strict=True))}),
        (None, {"fields": ("comments",)}),
        (
            "Record",
            {
                "fields": (
                    "edited_by",
                    "created_at",
                    "created_via_api",
                    "updated_at",
                    "total_mismatch",
                )
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: WorkingTime, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        services.save_working_time(working_time=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: WorkingTime) -> None:
        services.delete_working_time(working_time=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WorkingTime]) -> None:
        # Through the service, one record at a time: each delete takes its user's lock, as
        # DELETE /workingtimes/{id} does, so a concurrent POST for that day cannot
        # interleave. All or nothing, as one bulk action.
        with transaction.atomic():
            for working_time in queryset.order_by("user_id", "pk"):
                services.delete_working_time(working_time=working_time, actor=request.user)
