"""History people can read, and why each change was made.

- Every record admin asks for a "reason for change" on add and change; it is stored as the
  history row's `history_change_reason` (before the row is hashed into its user's chain,
  so it is part of the evidence).
- The history page names columns by their field labels and shows choice labels
  ("Under approval", not `under_approval`), in the "Changes" column as well.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column
_reason: ContextVar[str] = ContextVar("change_reason", default="")


@contextlib.contextmanager
def reason_for_change(reason: str) -> Iterator[None]:
    token = _reason.set(reason[:REASON_MAX_LENGTH])
    try:
        yield
    finally:
        _reason.reset(token)


def stamp_reason(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """pre_create_historical_record: every history row a back-office save writes carries
    the reason the person gave (rows written by the services on its behalf included)."""
    reason = _reason.get()
    if reason and not getattr(history_instance, "history_change_reason", None):
        history_instance.history_change_reason = reason


class ReasonField(forms.CharField):
    def __init__(self) -> None:
        super().__init__(
            label=_("Reason for change"),
            required=False,
            max_length=REASON_MAX_LENGTH,
            help_text=_("Kept in the record's history, e.g. “forgot to clock out”."),
        )


_FORMS_WITH_REASON: dict[type, type] = {}


def _with_reason(form: type[forms.BaseForm]) -> type[forms.BaseForm]:
    if form not in _FORMS_WITH_REASON:
        _FORMS_WITH_REASON[form] = type(form.__name__, (form,), {"change_reason": ReasonField()})
    return _FORMS_WITH_REASON[form]


class LabelledChanges(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        field = self.model._meta.get_field(change.field)
        if getattr(field, "choices", None):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class ReadableHistoryAdminMixin:
    """For record admins (before the history admin in the bases)."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        kwargs.setdefault("form", _with_reason(self.form))  # type: ignore[attr-defined]
        return super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None):  # type: ignore[no-untyped-def]
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        named = {f for _, options in fieldsets for f in options.get("fields", ())}
        if "change_reason" not in named:
            fieldsets.append((None, {"fields": ["change_reason"]}))
        return fieldsets

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        reason = request.POST.get("change_reason", "").strip() if request.method == "POST" else ""
        with reason_for_change(reason):
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record: Any):  # type: ignore[no-untyped-def]
        return LabelledChanges(self.model, historical_record)  # type: ignore[attr-defined]

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None):  # type: ignore[no-untyped-def]
        opts = self.model._meta  # type: ignore[attr-defined]
        labels = {}
        for name in self.history_list_display:  # type: ignore[attr-defined]
            try:
                labels[name] = str(opts.get_field(name).verbose_name).capitalize()
            except FieldDoesNotExist:  # an admin method, not a field: its own name
                labels[name] = name.replace("_", " ").capitalize()
        context = {"history_list_labels": labels, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)  # type: ignore[misc]
