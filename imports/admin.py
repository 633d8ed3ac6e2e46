from django.contrib import admin

from imports.models import ExternalUser, ImportedRecord


@admin.register(ExternalUser)
class ExternalUserAdmin(admin.ModelAdmin):
    list_display = ("source", "external_id", "user", "created_at")
    list_filter = ("source",)
    search_fields = ("external_id", "user__username", "user__last_name", "user__email")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)


@admin.register(ImportedRecord)
class ImportedRecordAdmin(admin.ModelAdmin):
    list_display = ("source", "source_id", "object_id", "imported_at", "updated_at")
    list_filter = ("source",)
    search_fields = ("source_id", "object_id")
    readonly_fields = ("source", "source_id", "object_id", "checksum", "imported_at", "updated_at")
