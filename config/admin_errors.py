"""The back office writes through the services; this turns a refusal into a message.

Forms check the services' rules in `clean()` first, so that a person gets field errors
next to what to fix. Between that check and the save (under the user's lock) another
request can still change the data — an approval, an API write, a bulk action touching an
entry that is locked. The service then refuses (an ApiError), or in the last resort the
database does (IntegrityError); either way the transaction is rolled back and the person
sees why, instead of a server error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from config.api.errors import ApiError
from config.api.field_errors import FieldErrors, word


def admin_wording(exc: ApiError, model: type[Model]) -> str:
    """A service's refusal in back-office words: model fields by their labels."""
    if isinstance(exc, FieldErrors):
        labels = {
            field.name: str(field.verbose_name)
            for field in model._meta.get_fields()
            if hasattr(field, "verbose_name")
        }
        return word(exc.errors, labels)
    return exc.message


def refusal_message(exc: Exception) -> str:
    if isinstance(exc, ApiError):
        # Services word errors for API clients ("times.0: …"); the prefix means nothing here.
        message = exc.message
        head, sep, rest = message.partition(": ")
        if sep and " " not in head:
            message = rest
        return f"Not saved: {message[:1].upper()}{message[1:]}"
    return (
        "Not saved: another change to the same records was made at the same time. "
        "Reload the page, check the data and try again."
    )


class ServiceRefusalAdminMixin:
    """For ModelAdmins whose saves, deletes and actions call services (before
    SimpleHistoryAdmin in the bases)."""

    refusals = (ApiError, IntegrityError)

    def _refused(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        messages.error(request, refusal_message(exc))
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]
        except self.refusals as exc:
            return self._refused(request, exc)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().delete_view(request, *args, **kwargs)  # type: ignore[misc]
        except self.refusals as exc:
            return self._refused(request, exc)

    # django-simple-history's "Revert" writes an old version back with a plain save(),
    # around the services (it would resurrect a cancelled clock, un-revoke an API key, move
    # an approved entry). Old versions stay viewable; changes are made by editing.
    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied("Old versions cannot be restored here; edit the record.")
        return super().history_form_view(  # type: ignore[misc]
            request, object_id, version_id, extra_context
        )

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Actions, bulk delete included, run inside the changelist view.
        try:
            return super().changelist_view(request, *args, **kwargs)  # type: ignore[misc]
        except self.refusals as exc:
            return self._refused(request, exc)
