"""Back office for out-of-office settings, with each one's change history.

Saves and deletes go through ooo.services, as the API's do; the form checks the same rules
first (ooo.services.check_out_of_office) so that a problem shows next to its field.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from backoffice.record_admin import BY_USER, USER_SEARCH, UserRecordAdmin
from config.api.errors import ApiError
from ooo import services
from ooo.models import OutOfOffice


class WhenFilter(admin.SimpleListFilter):
    """Current (now within the range, open ends included), upcoming or past."""

    title = "when"
    parameter_name = "when"

    def lookups(self, request: HttpRequest, model_admin):  # type: ignore[no-untyped-def]
        return [("current", "Current"), ("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        # Each choice is the name of an OutOfOfficeQuerySet method.
        if self.value() in ("current", "upcoming", "past"):
            return getattr(queryset, self.value())(timezone.now())  # type: ignore[arg-type]
        return queryset


class OutOfOfficeAdminForm(forms.ModelForm):
    class Meta:
        model = OutOfOffice
        fields = ["user", "is_active", "start_date", "end_date", "message"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.check_out_of_office(
                start=cleaned.get("start_date"),
                end=cleaned.get("end_date"),
                message=cleaned.get("message") or "",
            )
        except ApiError as exc:
            # On the field, which also keeps Django from naming the database constraint.
            self.add_error(exc.field, exc.message)
        return cleaned


@admin.register(OutOfOffice)
class OutOfOfficeAdmin(UserRecordAdmin):
    form = OutOfOfficeAdminForm
    list_display = ("id", "user", "is_active", "start_date", "end_date", "message", "updated_at")
    list_filter = (BY_USER, "is_active", WhenFilter)
    search_fields = (*USER_SEARCH, "message")
    readonly_fields = ("created_at", "updated_at")
    # Browsed by when the absence happens, not when it was entered.
    date_hierarchy = "start_date"
    ordering = ("-start_date", "-id")
    history_list_display = ("is_active", "start_date", "end_date", "message")

    def get_readonly_fields(self, request: HttpRequest, obj: OutOfOffice | None = None) -> Any:
        # A setting does not move between users (as in the API).
        return (*self.readonly_fields, "user") if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: OutOfOffice, form: Any, change: bool) -> None:
        fields = {
            "is_active": obj.is_active,
            "start_date": obj.start_date,
            "end_date": obj.end_date,
            "message": obj.message,
        }
        if change:
            saved = services.update_out_of_office(user=obj.user, out_of_office_id=obj.pk, **fields)
        else:
            saved = services.create_out_of_office(user=obj.user, **fields)
        obj.pk, obj.created_at, obj.updated_at = saved.pk, saved.created_at, saved.updated_at

    def delete_model(self, request: HttpRequest, obj: OutOfOffice) -> None:
        services.delete_out_of_office(user=obj.user, out_of_office_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for setting in queryset.select_related("user"):
                services.delete_out_of_office(user=setting.user, out_of_office_id=setting.pk)
