"""McTime clocks (the running stopwatch) and the time entries they become.

Invariants kept by the database (DESIGN §6): one running clock per user, `to > from`, no two
VALID time entries of a user overlapping, no two breaks of one entry overlapping, and an
entry's `category` always matching its time type. "Breaks lie inside their entry" spans two
tables and is kept by the services (clock.services.entries).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organization
from config.chain import ChainedHistory
from config.db import PostgresExclusionConstraint, TsTzRange


class TimeType(models.TextChoices):
    """McTime's 29 time types, in the order the spec lists them."""

    WORK = "work", _("Work")
    PARENTAL_LEAVE = "parental_leave", _("Parental Leave")
    WORKED_REST_PERIOD = "worked_rest_period", _("Worked Rest Period")
    CLOCKING = "clocking", _("Clocking")
    STATUTORY_LEAVE = "statutory_leave", _("Statutory Leave")
    PUBLIC_HOLIDAY_ABROAD = "public_holiday_abroad", _("Public Holiday Abroad")
    MEDICAL_LEAVE = "medical_leave", _("Medical Leave")
    BAD_WEATHER = "bad_weather", _("Bad Weather")
    COMPANY_VACATION = "company_vacation", _("Company Vacation")
    UNPAID_VACATION = "unpaid_vacation", _("Unpaid Vacation")
    CARE_LEAVE = "care_leave", _("Care Leave")
    OUT_OFFICE = "out_office", _("Out Office")
    WORK_ACCIDENT_SICKNESS = "work_accident_sickness", _("Work Accident Sickness")
    MILITARY_EXERCIZE = (
        "military_exercize",
        _("Military Exercize"),
    )  # sic: the spec's spelling is the wire value
    FLEXTIME = "flextime", _("Flextime")
    UNPAID_TIME_OFF = "unpaid_time_off", _("Unpaid Time Off")
    HOME_OFFICE = "home_office", _("Home Office")
    STUDY_LEAVE = "study_leave", _("Study Leave")
    PAID_TIME_OFF = "paid_time_off", _("Paid Time Off")
    OTHER_LEAVE = "other_leave", _("Other Leave")
    VACATION_ABROAD = "vacation_abroad", _("Vacation Abroad")
    TRAVEL = "travel", _("Travel")
    SICK = "sick", _("Sick")
    MILITARY_SERVICE = "military_service", _("Military Service")
    JUBILEE_DAY = "jubilee_day", _("Jubilee Day")
    VACATION = "vacation", _("Vacation")
    MOVE = "move", _("Move")
    SPECIAL_LEAVE = "special_leave", _("Special Leave")
    FREE_TIME = "free_time", _("Free Time")


class Category(models.TextChoices):
    PRODUCTIVE = "productive", _("Productive")
    UNPRODUCTIVE = "unproductive", _("Unproductive")
    VACATION = "vacation", _("Vacation")
    SICK = "sick", _("Sick")
    PAID_LEAVE = "paid_leave", _("Paid Leave")
    UNPAID_LEAVE = "unpaid_leave", _("Unpaid Leave")


# The spec names the categories but not the mapping; the reasons are in docs/mctime-clock.md.
TIME_TYPES_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    Category.PRODUCTIVE: (
        TimeType.WORK,
        TimeType.HOME_OFFICE,
        TimeType.TRAVEL,
        TimeType.CLOCKING,
        TimeType.WORKED_REST_PERIOD,
    ),
    Category.UNPRODUCTIVE: (
        TimeType.BAD_WEATHER,
        TimeType.OUT_OFFICE,
        TimeType.FREE_TIME,
        TimeType.FLEXTIME,
    ),
    Category.VACATION: (
        TimeType.VACATION,
        TimeType.COMPANY_VACATION,
        TimeType.VACATION_ABROAD,
        TimeType.STATUTORY_LEAVE,
    ),
    Category.SICK: (TimeType.SICK, TimeType.MEDICAL_LEAVE, TimeType.WORK_ACCIDENT_SICKNESS),
    Category.PAID_LEAVE: (
        TimeType.PUBLIC_HOLIDAY_ABROAD,
        TimeType.JUBILEE_DAY,
        TimeType.SPECIAL_LEAVE,
        TimeType.STUDY_LEAVE,
        TimeType.MILITARY_SERVICE,
        TimeType.MILITARY_EXERCIZE,
        TimeType.MOVE,
        TimeType.PAID_TIME_OFF,
        TimeType.OTHER_LEAVE,
    ),
    Category.UNPAID_LEAVE: (
        TimeType.UNPAID_VACATION,
        TimeType.UNPAID_TIME_OFF,
        TimeType.PARENTAL_LEAVE,
        TimeType.CARE_LEAVE,
    ),
}
CATEGORY_BY_TIME_TYPE: dict[str, str] = {
    str(time_type): str(category)
    for category, time_types in TIME_TYPES_BY_CATEGORY.items()
    for time_type in time_types
}


def _category_matches_time_type() -> Q:
    condition = Q()
    for category, time_types in TIME_TYPES_BY_CATEGORY.items():
        condition |= Q(category=category, time_type__in=[str(t) for t in time_types])
    return condition


class ApprovalStatus(models.TextChoices):
    DISAPPROVED = "disapproved", _("Disapproved")
    NOT_APPROVED_YET = "not_approved_yet", _("Not Approved Yet")
    UNDER_APPROVAL = "under_approval", _("Under Approval")
    APPROVED = "approved", _("Approved")
    EXPORTED = "exported", _("Exported")


# Entries in these states are never overwritten, trimmed, split, edited or deleted.
LOCKED_APPROVAL_STATUSES = frozenset(
    {ApprovalStatus.UNDER_APPROVAL, ApprovalStatus.APPROVED, ApprovalStatus.EXPORTED}
)


class CreationType(models.TextChoices):
    TIMES = "times", _("Times")  # saved from-to via POST /times
    CLOCK = "clock", _("Clock")  # a stopped clock
    WTM = "wtm", _("Wtm")  # generated by a working-time model (none yet in Timebridge)


class Clock(models.Model):
    """A running clock: not a time entry until it is stopped."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    started_at = models.DateTimeField(verbose_name=_("started at"))
    time_type = models.CharField(
        max_length=32, choices=TimeType.choices, default=TimeType.WORK, verbose_name=_("time type")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="time_entries",
        verbose_name=_("user"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    time_type = models.CharField(
        max_length=32, choices=TimeType.choices, default=TimeType.WORK, verbose_name=_("time type")
    )
    # Denormalized from time_type (save() derives it; a check constraint guards it) so that
    # reports and the admin can filter on it.
    category = models.CharField(
        max_length=16, choices=Category.choices, editable=False, verbose_name=_("category")
    )
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
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
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
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
                condition=_category_matches_time_type(),
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
