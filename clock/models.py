"""McTime clocks (the running stopwatch) and the time entries they become.

Invariants kept by the database (docs/decisions.md): one running clock per user, `to > from`, no two
VALID time entries of a user overlapping, no two breaks of one entry overlapping, and an
entry's `category` always matching its time type. "Breaks lie inside their entry" spans two
tables and is kept by the services (clock.services.entries).
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organization, user_foreign_key

# The choices are importable from here too, as everywhere in the project.
from clock.choices import CATEGORY_BY_TIME_TYPE as CATEGORY_BY_TIME_TYPE
from clock.choices import LOCKED_APPROVAL_STATUSES as LOCKED_APPROVAL_STATUSES
from clock.choices import (
    ApprovalStatus,
    Category,
    CreationType,
    TimeType,
    category_matches_time_type,
)
from config.chain import ChainedHistory
from config.db import PostgresExclusionConstraint, TsTzRange

# The fields a running clock and the time entry it becomes share, defined once.


def _time_type_field() -> models.CharField:
    return models.CharField(
        max_length=32, choices=TimeType.choices, default=TimeType.WORK, verbose_name=_("time type")
    )


def _organization_field() -> models.ForeignKey:
    return models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )


def _comment_field() -> models.TextField:
    return models.TextField(blank=True, verbose_name=_("comment"))


def _timestamp_fields() -> tuple[models.DateTimeField, models.DateTimeField]:
    return (
        models.DateTimeField(auto_now_add=True, verbose_name=_("created at")),
        models.DateTimeField(auto_now=True, verbose_name=_("updated at")),
    )


class Clock(models.Model):
    """A running clock: not a time entry until it is stopped."""

    user = user_foreign_key("+")
    started_at = models.DateTimeField(verbose_name=_("started at"))
    time_type = _time_type_field()
    organization = _organization_field()
    comment = _comment_field()
    created_at, updated_at = _timestamp_fields()
    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        verbose_name = _("running clock")
        verbose_name_plural = _("running clocks")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], name="clock_clock_one_per_user"),
            models.CheckConstraint(
                condition=Q(time_type__in=TimeType.values), name="clock_clock_time_type_valid"
            ),
        ]

    def __str__(self) -> str:
        since = self.user.local(self.started_at)
        return f"{self.user.full_name}: clock since {since:%d.%m.%Y %H:%M}"


class ClockBreak(models.Model):
    """A break of a running clock; `ended_at` is empty while the user is on it."""

    clock = models.ForeignKey(
        Clock, on_delete=models.CASCADE, related_name="breaks", verbose_name=_("clock")
    )
    started_at = models.DateTimeField(verbose_name=_("started at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock"],
                condition=Q(ended_at__isnull=True),
                name="clock_clockbreak_one_open_per_clock",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gt=F("started_at")),
                name="clock_clockbreak_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"break from {self.started_at:%H:%M}"


class TimeEntry(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id")
    )
    user = user_foreign_key("time_entries")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    time_type = _time_type_field()
    # Denormalized from time_type (save() derives it; a check constraint guards it) so that
    # reports and the admin can filter on it.
    category = models.CharField(
        max_length=16, choices=Category.choices, editable=False, verbose_name=_("category")
    )
    comment = _comment_field()
    organization = _organization_field()
    approval_status = models.CharField(
        max_length=16,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.NOT_APPROVED_YET,
        verbose_name=_("approval status"),
    )
    # None once the entry was edited (McTime's `"creationType": null`).
    creation_type = models.CharField(
        max_length=8,
        choices=CreationType.choices,
        null=True,
        blank=True,
        verbose_name=_("creation type"),
    )
    # An invalid clocking entry is a stopped clock that could not be saved (it overlapped an
    # approved entry); it is kept so the user can see and delete it, and is exempt from the
    # no-overlap rule.
    is_valid = models.BooleanField(_("valid"), default=True)
    created_at, updated_at = _timestamp_fields()
    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["user", "starts_at"], name="clock_entry_user_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="clock_timeentry_ends_after_start"
            ),
            models.CheckConstraint(
                condition=category_matches_time_type(),
                name="clock_timeentry_category_matches_type",
            ),
            models.CheckConstraint(
                condition=Q(approval_status__in=ApprovalStatus.values),
                name="clock_timeentry_approval_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(creation_type__isnull=True) | Q(creation_type__in=CreationType.values),
                name="clock_timeentry_creation_type_valid",
            ),
            PostgresExclusionConstraint(
                name="clock_timeentry_no_overlap",
                expressions=[
                    ("user", "="),
                    (TsTzRange("starts_at", "ends_at"), "&&"),
                ],
                condition=Q(is_valid=True),
            ),
        ]

    def __str__(self) -> str:
        starts, ends = self.user.local(self.starts_at), self.user.local(self.ends_at)
        return f"{self.user.full_name}: {self.time_type} {starts:%d.%m.%Y %H:%M}-{ends:%H:%M}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.category = CATEGORY_BY_TIME_TYPE[self.time_type]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "time_type" in update_fields:
            kwargs["update_fields"] = {*update_fields, "category"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # The back office's form error on a closed date (the services refuse it again).
        from closing.guards import ensure_instance_open

        ensure_instance_open(self)


class TimeEntryBreak(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id")
    )
    entry = models.ForeignKey(
        TimeEntry, on_delete=models.CASCADE, related_name="breaks", verbose_name=_("entry")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    # True for breaks a working-time model inserted (McTime's target times); API and clock
    # breaks are never automatic.
    automatic = models.BooleanField(default=False, verbose_name=_("automatic"))
    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="clock_timeentrybreak_ends_after_start",
            ),
            PostgresExclusionConstraint(
                name="clock_timeentrybreak_no_overlap",
                expressions=[
                    ("entry", "="),
                    (TsTzRange("starts_at", "ends_at"), "&&"),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"break {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    def clean(self) -> None:
        # The back office's form error on a closed date (the services refuse it again).
        from closing.guards import ensure_instance_open

        ensure_instance_open(self)
