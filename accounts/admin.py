"""Back office for users, API keys, teams, workspaces and organizations."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import ApiKey, Organization, Team, User, Workspace
from accounts.services import create_api_key, revoke_api_key


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "id",
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "timezone",
        "is_active",
    )
    list_filter = ("role", "is_active", "is_staff", "timezone", "legal_hold")
    search_fields = ("username", "first_name", "last_name", "email", "uuid")
    readonly_fields = ("uuid", "created_at", "updated_at")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            "Timebridge",
            {"fields": ("role", "timezone", "legal_hold", "uuid", "created_at", "updated_at")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Timebridge", {"fields": ("first_name", "last_name", "email", "role", "timezone")}),
    )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "label", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("prefix", "label", "user__username", "user__last_name")
    list_select_related = ("user",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    autocomplete_fields = ("user",)
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        if obj is None:
            return ["user", "label"]
        return ["user", "label", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None):  # type: ignore[no-untyped-def]
        return (*self.readonly_fields, "user") if obj else ()

    def save_model(self, request: HttpRequest, obj: ApiKey, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        if change:
            super().save_model(request, obj, form, change)
            return
        api_key, raw_key = create_api_key(user=obj.user, label=obj.label)
        obj.pk = api_key.pk
        obj.prefix = api_key.prefix
        obj.key_hash = api_key.key_hash
        # The only time the raw key is ever shown: only its hash is stored.
        messages.warning(
            request,
            f"New API key for {api_key.user.username}: {raw_key} — copy it now, "
            "it will not be shown again.",
        )

    @admin.action(description="Revoke selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            revoke_api_key(api_key=api_key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).")


class MembersMixin:
    filter_horizontal = ("members",)
    search_fields = ("name", "members__username", "members__last_name")


@admin.register(Team)
class TeamAdmin(MembersMixin, admin.ModelAdmin):
    list_display = ("id", "name", "is_deleted", "created_at")
    list_filter = ("is_deleted",)


@admin.register(Workspace)
class WorkspaceAdmin(MembersMixin, admin.ModelAdmin):
    list_display = ("id", "name", "state", "created_at")
    list_filter = ("state",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "created_at")
    search_fields = ("name", "id")
