"""ProSonata working times: one record per user and day, with up to four breaks.

All dates and times are the wall-clock date and times of the record's user (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import user_foreign_key
from config.chain import ChainedHistory

BREAK_SLOTS = (1, 2, 3, 4)


class DayType(models.IntegerChoices):
    """ProSonata's `dayType` (Tagestyp); the labels are the spec's."""

    WORK = 0, "Arbeit"
    VACATION = 1, "Urlaub"
    SICKNESS = 2, "Krankheit"
    PUBLIC_HOLIDAY = 3, "Feiertag"
    TRAINING = 4, "Schule/Fortbildung"
    OVERTIME_REDUCTION = 5, "Überstundenabbau"
    OTHER_LEAVE = 6, "Elternzeit / Mutterschutz / Pflegezeit / Sonstige"


def break_fields(slot: int) -> tuple[str, str]:
    return _BREAK_FIELDS.get(slot) or (f"break{slot}_start", f"break{slot}_end")


# Named once: every check of a working time asks for them a dozen times.
_BREAK_FIELDS = {slot: (f"break{slot}_start", f"break{slot}_end") for slot in BREAK_SLOTS}


def _break_valid(slot: int) -> Q:
    """A break has both ends or none; start before end; inside the working day."""
    start, end = break_fields(slot)
    absent = Q(**{f"{start}__isnull": True, f"{end}__isnull": True})
    present = Q(
        **{
            f"{start}__isnull": False,
            f"{end}__isnull": False,
            f"{start}__lt": F(end),
            f"{start}__gte": F("daily_time_start"),
            f"{end}__lte": F("daily_time_end"),
        }
    )
    return absent | present


def _breaks_disjoint() -> Q:
    """No two breaks overlap (touching is fine: 12:00-12:30 and 12:30-12:45)."""
    condition = Q()
    for i in BREAK_SLOTS:
        for j in BREAK_SLOTS:
            if j <= i:
                continue
            start_i, end_i = break_fields(i)
            start_j, end_j = break_fields(j)
            condition &= (
                Q(**{f"{start_i}__isnull": True})
                | Q(**{f"{start_j}__isnull": True})
                | Q(**{f"{end_i}__lte": F(start_j)})
                | Q(**{f"{end_j}__lte": F(start_i)})
            )
    return condition


class WorkingTime(models.Model):
    # No index of its own: the one-per-day unique index starts with the user, and serves
    # every lookup by user (and the cascade) at one index less to maintain per write.
    user = user_foreign_key("working_times", db_index=False)
    working_date = models.DateField(verbose_name=_("working date"))
    daily_time_start = models.TimeField(verbose_name=_("daily time start"))
    daily_time_end = models.TimeField(verbose_name=_("daily time end"))
    day_type = models.PositiveSmallIntegerField(
        choices=DayType.choices, default=DayType.WORK, verbose_name=_("day type")
    )
    half_holiday = models.BooleanField(default=False, verbose_name=_("half holiday"))
    home_office = models.BooleanField(default=False, verbose_name=_("home office"))
    break1_start = models.TimeField(null=True, blank=True, verbose_name=_("break1 start"))
    break1_end = models.TimeField(null=True, blank=True, verbose_name=_("break1 end"))
    break2_start = models.TimeField(null=True, blank=True, verbose_name=_("break2 start"))
    break2_end = models.TimeField(null=True, blank=True, verbose_name=_("break2 end"))
    break3_start = models.TimeField(null=True, blank=True, verbose_name=_("break3 start"))
    break3_end = models.TimeField(null=True, blank=True, verbose_name=_("break3 end"))
    break4_start = models.TimeField(null=True, blank=True, verbose_name=_("break4 start"))
    break4_end = models.TimeField(null=True, blank=True, verbose_name=_("break4 end"))
    # Hours, two decimals (ProSonata's "Gesamtzeit des Tages (in h)").
    daily_time_total = models.DecimalField(
        max_digits=5, decimal_places=2, verbose_name=_("daily time total")
    )
    comments = models.CharField(max_length=100, blank=True, verbose_name=_("comments"))
    # Who last changed the record when that was not its owner (ProSonata `editedByUserID`).
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    # Null only for imported records whose source had no creation date (the spec shows null).
    created_at = models.DateTimeField(
        default=timezone.now, null=True, blank=True, verbose_name=_("created at")
    )
    created_via_api = models.BooleanField(default=False, verbose_name=_("created via api"))
    # PROSONATA_TOTAL_CHECK=warn: a work day's dailyTimeTotal that differs from its times is
    # kept as the client sent it (ProSonata does not check it) and the difference is noted
    # here for the back office; empty when the total agrees.
    total_mismatch = models.CharField(
        max_length=300, blank=True, default="", editable=False, verbose_name=_("total mismatch")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    # History is read per record (its `id`), never per user: no indexes on its user columns.
    history = HistoricalRecords(no_db_index=["user", "edited_by"], bases=[ChainedHistory])

    class Meta:
        verbose_name = _("working time")
        verbose_name_plural = _("working times")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "working_date"], name="workingtimes_workingtime_one_per_day"
            ),
            models.CheckConstraint(
                # ProSonata clients send days that are not work days as 00:00:00-00:00:00.
                condition=Q(daily_time_start__lt=F("daily_time_end"))
                | Q(
                    day_type__gt=0,
                    daily_time_start=dt.time(0),
                    daily_time_end=dt.time(0),
                ),
                name="workingtimes_workingtime_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(day_type__gte=0, day_type__lte=6),
                name="workingtimes_workingtime_day_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(daily_time_total__gte=0, daily_time_total__lte=24),
                name="workingtimes_workingtime_total_range",
            ),
            *(
                models.CheckConstraint(
                    condition=_break_valid(slot),
                    name=f"workingtimes_workingtime_break{slot}_valid",
                )
                for slot in BREAK_SLOTS
            ),
            models.CheckConstraint(
                condition=_breaks_disjoint(), name="workingtimes_workingtime_breaks_disjoint"
            ),
        ]
        indexes = [models.Index(fields=["working_date"], name="workingtimes_date_idx")]

    def __str__(self) -> str:
        return f"{self.user.full_name}: {self.working_date:%d.%m.%Y} {self.get_day_type_display()}"

    def clean(self) -> None:
        # The back office's form error on a closed date (the services refuse it again).
        from closing.guards import ensure_instance_open

        ensure_instance_open(self)

    def breaks(self) -> list[tuple]:
        """The breaks that are set, as (slot, start, end)."""
        result = []
        for slot in BREAK_SLOTS:
            start_field, end_field = break_fields(slot)
            start, end = getattr(self, start_field), getattr(self, end_field)
            if start is not None or end is not None:
                result.append((slot, start, end))
        return result
