"""Back office for users, API keys, teams, workspaces and organizations."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accounts.models import ApiKey, Organization, Team, User, Workspace
from accounts.services import create_api_key, relabel_api_key, revoke_api_key
from config.admin import HistoryAdmin
from config.admin_errors import ServiceRefusalAdminMixin

ROLE_EXPLAINED = (
    "The role decides what this person's API keys may do in the four APIs (admin: every "
    "user's records; member: their own). Staff status and superuser decide what they may do "
    "here, in the back office."
)


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
            {
                "fields": (
                    "role",
                    "timezone",
                    "holiday_region",
                    "legal_hold",
                    "weekly_target_hours",
                    "uuid",
                    "created_at",
                    "updated_at",
                ),
                "description": ROLE_EXPLAINED,
            },
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            "Timebridge",
            {
                "fields": ("first_name", "last_name", "email", "role", "timezone"),
                "description": ROLE_EXPLAINED,
            },
        ),
    )


class ApiKeyAdminForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["user", "label", "expires_at"]

    def clean_expires_at(self):  # type: ignore[no-untyped-def]
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError("The expiry must lie in the future.")
        return expires_at


@admin.register(ApiKey)
class ApiKeyAdmin(ServiceRefusalAdminMixin, HistoryAdmin):
    """Keys are added (the raw key is shown once, on a page of its own), relabelled and
    revoked, each through accounts.services and each kept in the key's history.

    Revocation is final and is an action (or the button on the key's page), never a field.
    Keys are not deleted: a revoked key stays, as the record of which key did what.
    """

    change_form_template = "admin/accounts/apikey/change_form.html"
    form = ApiKeyAdminForm
    list_display = (
        "prefix",
        "label",
        "user",
        "key_status",
        "created_at",
        "last_used_at",
        "expires_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("prefix", "label", "user__username", "user__last_name")
    list_select_related = ("user",)
    readonly_fields = (
        "prefix",
        "key_status",
        "created_at",
        "last_used_at",
        "revoked_at",
        "expires_at",
    )
    autocomplete_fields = ("user",)
    actions = ("revoke",)
    history_list_display = ("label", "revoked_at")

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        if obj is None:
            return ["user", "label", "expires_at"]
        return [
            "user",
            "label",
            "key_status",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None):  # type: ignore[no-untyped-def]
        if obj is None:
            return ()
        fields = (*self.readonly_fields, "user")
        # A revoked key is closed: nothing about it changes any more.
        return (*fields, "label") if obj.revoked_at is not None else fields

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiKey, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        if change:
            saved = relabel_api_key(api_key=obj, label=obj.label)
        else:
            saved, raw_key = create_api_key(
                user=obj.user, label=obj.label, expires_at=obj.expires_at
            )
            # Kept on the instance for response_add's page only: never in the session or
            # the messages cookie (signed, not encrypted), never stored.
            obj._raw_key = raw_key  # type: ignore[attr-defined]
        for name in ("pk", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at"):
            setattr(obj, name, getattr(saved, name))

    def response_add(self, request: HttpRequest, obj: ApiKey, post_url_continue=None):  # type: ignore[no-untyped-def]
        raw_key = getattr(obj, "_raw_key", None)
        if raw_key is None:
            return super().response_add(request, obj, post_url_continue)
        response = TemplateResponse(
            request,
            "admin/accounts/apikey/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "api_key": obj,
                "raw_key": raw_key,
            },
        )
        # Neither the browser nor a proxy may keep the page that shows the raw key.
        add_never_cache_headers(response)
        return response

    def response_change(self, request: HttpRequest, obj: ApiKey):  # type: ignore[no-untyped-def]
        if "_revoke" in request.POST:
            revoke_api_key(api_key=obj)
            self.message_user(request, f"API key {obj.prefix}… revoked.", messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.display(description="status")
    def key_status(self, obj: ApiKey) -> str:
        return obj.status

    @admin.action(description="Revoke selected keys (final)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            revoke_api_key(api_key=api_key)
            revoked += 1
        self.message_user(request, f"Revoked {revoked} key(s).", messages.SUCCESS)


class MembersMixin:
    filter_horizontal = ("members",)
    search_fields = ("name", "members__username", "members__last_name")


@admin.register(Team)
class TeamAdmin(MembersMixin, admin.ModelAdmin):
    fields = ("name", "is_deleted", "members", "created_by")
    list_display = ("id", "name", "is_deleted", "created_at")
    list_filter = ("is_deleted",)


@admin.register(Workspace)
class WorkspaceAdmin(MembersMixin, admin.ModelAdmin):
    fields = ("name", "state", "members", "created_by")
    list_display = ("id", "name", "state", "created_at")
    list_filter = ("state",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "created_at")
    search_fields = ("name", "id")
