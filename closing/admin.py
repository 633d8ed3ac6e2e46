"""Back office: close periods, reopen them (with a reason), see who and what they cover.

Closures are never deleted (reopening keeps them on record), and every write goes through
closing.services, as the API's do.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from accounts.models import Team, User
from closing import services
from closing.models import ClosedPeriod, Closure
from config.admin import HistoryAdmin, ReadOnlyAdminMixin
from config.api.errors import ApiError


class ClosureAddForm(forms.ModelForm):
    users = forms.ModelMultipleChoiceField(queryset=User.objects.all(), required=False)
    team_choice = forms.ModelChoiceField(
        queryset=Team.objects.filter(is_deleted=False), required=False, label="Team"
    )
    all_users = forms.BooleanField(required=False, label="All users")

    class Meta:
        model = Closure
        fields = ["from_date", "to_date", "reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = [bool(cleaned.get("users")), cleaned.get("team_choice") is not None]
        chosen.append(bool(cleaned.get("all_users")))
        if sum(chosen) != 1:
            raise forms.ValidationError("Choose exactly one of: users, a team, or all users.")
        return cleaned


class ClosureReopenForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["reopen_reason"]

    def clean_reopen_reason(self) -> str:
        reason = (self.cleaned_data.get("reopen_reason") or "").strip()
        if self.instance.reopened_at is None and not reason:
            raise forms.ValidationError("Give the reason for reopening.")
        return reason


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("id", "from_date", "to_date", "scope", "reason", "created_by", "reopened_at")
    list_filter = ("scope", ("reopened_at", admin.EmptyFieldListFilter))
    search_fields = ("reason", "reopen_reason", "periods__user__username")
    date_hierarchy = "from_date"
    list_select_related = ("created_by",)

    def get_form(self, request: HttpRequest, obj: Closure | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        kwargs["form"] = ClosureReopenForm if obj else ClosureAddForm
        kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Closure | None = None) -> list[str]:
        if obj is None:
            return ["from_date", "to_date", "users", "team_choice", "all_users", "reason"]
        return [
            "from_date",
            "to_date",
            "scope",
            "team",
            "covered_users",
            "reason",
            "created_by",
            "created_at",
            "reopened_at",
            "reopened_by",
            "reopen_reason",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Closure | None = None) -> Any:
        if obj is None:
            return ()
        fixed = ["from_date", "to_date", "scope", "team", "covered_users", "reason"]
        fixed += ["created_by", "created_at"]
        fixed += ["reopened_at", "reopened_by"]
        return [*fixed, "reopen_reason"] if obj.reopened_at else fixed

    @admin.display(description="users")
    def covered_users(self, obj: Closure) -> str:
        periods = obj.periods.select_related("user").order_by("user__username")
        return ", ".join(p.user.username for p in periods)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # reopen instead: the closure stays on record

    def save_model(self, request: HttpRequest, obj: Closure, form: Any, change: bool) -> None:
        try:
            if not change:
                data = form.cleaned_data
                saved = services.create_closure(
                    actor=request.user,
                    from_date=data["from_date"],
                    to_date=data["to_date"],
                    reason=data["reason"],
                    user_ids=[u.pk for u in data["users"]] if data.get("users") else None,
                    team=data.get("team_choice"),
                    all_users=bool(data.get("all_users")),
                )
                obj.pk = saved.pk
            elif obj.reopened_at is None and form.cleaned_data.get("reopen_reason"):
                services.reopen_closure(
                    closure_id=obj.pk, actor=request.user, reason=form.cleaned_data["reopen_reason"]
                )
        except ApiError as exc:
            messages.error(request, exc.message)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return  # the periods are made by the service


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Per-user view of closures (read-only): what each user's history chain records."""

    list_display = ("user", "from_date", "to_date", "closure", "reopened_at")
    list_filter = (("reopened_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "user__last_name")
    list_select_related = ("user", "closure")
