"""Back-office forms of time entries and their breaks: field errors by the services' rules.

The forms check without the user's lock, for an error at the field now; the services check
again under the lock when the admin saves.
"""

from __future__ import annotations

from typing import Any

from django import forms

from clock import services
from clock.models import LOCKED_APPROVAL_STATUSES, TimeEntry, TimeEntryBreak
from clock.services.entries import validate_span
from clock.services.overlaps import local_iso, overlapping_entries
from config.api.errors import InvalidInput


def is_locked(entry: TimeEntry | None) -> bool:
    return entry is not None and entry.approval_status in LOCKED_APPROVAL_STATUSES


def _without_prefix(message: str) -> str:
    """ "breaks.1.to: a break must…" → "A break must…" (service messages name wire paths)."""
    text = message.split(": ", 1)[-1]
    return text[:1].upper() + text[1:]


class TimeEntryAdminForm(forms.ModelForm):
    class Meta:
        model = TimeEntry
        fields = ["user", "starts_at", "ends_at", "time_type", "comment", "organization"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        adding = self.instance._state.adding
        if not adding and is_locked(self.instance):
            raise forms.ValidationError(
                f"This entry is {self.instance.get_approval_status_display().lower()} and "
                "can no longer be changed."
            )
        user = cleaned.get("user") or (None if adding else self.instance.user)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if self.errors or user is None or starts_at is None or ends_at is None:
            return cleaned
        try:
            validate_span(starts_at=starts_at, ends_at=ends_at, breaks=())
        except InvalidInput:
            self.add_error("ends_at", "The end must be after the start.")
            return cleaned
        # Without the lock, for a field error now; the service re-checks under the lock.
        exclude = () if adding else (self.instance.pk,)
        clash = overlapping_entries(
            user=user, starts_at=starts_at, ends_at=ends_at, exclude_ids=exclude
        )
        if clash:
            other = clash[0]
            self.add_error(
                "starts_at",
                f"Overlaps time entry {other.pk} of {user} ({local_iso(other.starts_at, user)} "
                f"to {local_iso(other.ends_at, user)}). Change or delete that entry first.",
            )
        return cleaned


class TimeEntryBreakForm(forms.ModelForm):
    class Meta:
        model = TimeEntryBreak
        fields = ["starts_at", "ends_at", "automatic"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is not None and ends_at is not None and ends_at <= starts_at:
            # As validate_span words it; an error on the field also keeps Django from
            # reporting the database constraint behind the same rule by its name.
            self.add_error("ends_at", "A break must end after it starts.")
        return cleaned


class TimeEntryBreakFormSet(forms.BaseInlineFormSet):
    """Checks the breaks with the service's rule against the entry's times as edited."""

    def clean(self) -> None:
        super().clean()
        self.spans: list[services.Span] = []
        if any(self.errors):
            return
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or data.get("starts_at") is None or data.get("ends_at") is None:
                continue
            span = services.Span(data["starts_at"], data["ends_at"], bool(data.get("automatic")))
            kept.append((form, span))
        kept.sort(key=lambda pair: pair[1].starts_at)
        self.spans = [span for _, span in kept]
        entry = self.instance
        if entry.starts_at is None or entry.ends_at is None or entry.ends_at <= entry.starts_at:
            return  # the entry's own form reports its times
        try:
            validate_span(starts_at=entry.starts_at, ends_at=entry.ends_at, breaks=self.spans)
        except InvalidInput as exc:
            # field "breaks.<i>": i-th break by start, as sorted here.
            index = int((exc.field or "breaks.0").split(".")[1])
            form = kept[min(index, len(kept) - 1)][0]
            form.add_error(None, _without_prefix(exc.message))
            raise forms.ValidationError("Check the breaks marked below.") from None
