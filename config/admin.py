"""Back-office pieces shared by the apps' admins."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

_MAX_BIGINT = 2**63 - 1


def _check_key(field: models.Field, raw: str) -> None:
    """404 for an id that cannot name a row of `field` (not a UUID, not a number, or a
    number past the bigint range): looking it up would raise instead of finding nothing."""
    try:
        value = field.to_python(unquote(raw))
    except (ValidationError, ValueError, TypeError, OverflowError):
        raise Http404("No such object.") from None
    if isinstance(value, int) and not -_MAX_BIGINT <= value <= _MAX_BIGINT:
        raise Http404("No such object.")


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages answer a malformed id with 404, not 500."""

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        _check_key(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        _check_key(self.model._meta.pk, object_id)
        _check_key(self.model.history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin:
    """For an admin or inline that only shows rows: nobody adds, changes or deletes them here
    (they are written elsewhere, by a service or another page)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
