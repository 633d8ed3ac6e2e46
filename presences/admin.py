"""Back office for presences: list, filters, history, and editing through the services.

The form runs the services' rules in `clean()` (field errors instead of a 500) and the
admin saves and deletes through the services, so the back office cannot break an invariant
the API keeps (overlaps, a second open presence, `to` after `from`, the home-office day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from backoffice.actions import close_open_presences
from backoffice.display import elapsed_minutes, hours_minutes
from backoffice.record_admin import BY_USER, USER_SEARCH, UserRecordAdmin
from config.api.field_errors import FieldErrors
from presences import services
from presences.models import Presence


class OpenPresenceFilter(admin.SimpleListFilter):
    """Open presences, and forgotten clock-outs: open presences of a past day."""

    title = "open / forgotten"
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("open", "Open (no end yet)"),
            ("forgotten", "Forgotten clock-out (open on a past day)"),
            ("closed", "Closed"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        # "Past" by the company time zone's today; users elsewhere differ by a few hours
        # at most, which only matters around midnight.
        if self.value() == "open":
            return queryset.filter(to_time__isnull=True)
        if self.value() == "forgotten":
            return queryset.filter(to_time__isnull=True, date__lt=timezone.localdate())
        if self.value() == "closed":
            return queryset.filter(to_time__isnull=False)
        return queryset


class PresenceAdminForm(forms.ModelForm):
    class Meta:
        model = Presence
        fields = ["user", "date", "from_time", "to_time", "is_home_office"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date, from_time = cleaned.get("date"), cleaned.get("from_time")
        # On a change the user is read-only (a presence does not move between users).
        user = cleaned.get("user") or (self.instance.user if self.instance.pk else None)
        if self.errors or user is None or date is None or from_time is None:
            return cleaned
        try:
            services.check_presence_rules(
                user_id=user.pk,
                date=date,
                from_time=from_time,
                to_time=cleaned.get("to_time"),
                exclude_pk=self.instance.pk,
            )
        except FieldErrors as exc:
            for name, reason in exc.errors:
                self.add_error(name if name in self.fields else None, reason)
        return cleaned

    def validate_constraints(self) -> None:
        # clean() above already checked the same rules with clearer messages; the database
        # constraints stay the final guard when the service saves.
        return


@admin.register(Presence)
class PresenceAdmin(UserRecordAdmin):
    form = PresenceAdminForm
    list_display = (
        "id",
        "user",
        "date",
        "from_time",
        "to_time",
        "duration",
        "is_home_office",
        "updated_at",
    )
    list_filter = (BY_USER, "is_home_office", OpenPresenceFilter)
    date_hierarchy = "date"
    search_fields = USER_SEARCH
    readonly_fields = ("created_at", "updated_at")
    ordering = ("-date", "from_time", "id")
    history_list_display = ("date", "from_time", "to_time", "is_home_office")
    actions = [close_open_presences]

    @admin.display(description="duration (h:mm)")
    def duration(self, presence: Presence) -> str:
        if presence.to_time is None:
            return "open"
        # Real elapsed time in the user's zone: a presence across a clock change counts
        # the hour that was skipped or repeated.
        zone = presence.user.zone
        start = dt.datetime.combine(presence.date, presence.from_time, tzinfo=zone)
        end = dt.datetime.combine(presence.date, presence.to_time, tzinfo=zone)
        return hours_minutes(elapsed_minutes(start.astimezone(dt.UTC), end.astimezone(dt.UTC)))

    def get_readonly_fields(self, request: HttpRequest, obj: Presence | None = None) -> Any:
        return (*self.readonly_fields, "user") if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Presence, form: Any, change: bool) -> None:
        fields = {
            "date": obj.date,
            "from_time": obj.from_time,
            "to_time": obj.to_time,
            "is_home_office": obj.is_home_office,
        }
        if change:
            saved = services.update_presence(presence=obj, actor=request.user, **fields)
        else:
            saved = services.create_presence(user=obj.user, actor=request.user, **fields)
        obj.pk, obj.created_at, obj.updated_at = saved.pk, saved.created_at, saved.updated_at

    def delete_model(self, request: HttpRequest, obj: Presence) -> None:
        services.delete_presence(presence=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():  # all or nothing, as one bulk action
            for presence in queryset:
                services.delete_presence(presence=presence, actor=request.user)
