"""MOCO user presences ("Arbeitszeiten"): a user's local wall-clock intervals of a day.

`date`, `from_time` and `to_time` are what the user's wall clock showed (docs/decisions.md), not
instants; `to_time` empty means the presence is still open (clocked in, not yet out).

The invariants of the issue live in the database as well as in the services:
- `to_time` > `from_time` when set, both whole minutes;
- at most one open presence per user and date (partial unique index);
- no two presences of a user overlap on a date, intervals half-open, an open presence
  running to the end of its day (PostgreSQL exclusion constraint; SQLite relies on the
  services' check under its IMMEDIATE write transaction).
"""

from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import DateTimeField, F, Func, Q
from django.db.models.functions import Coalesce, TruncMinute
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import user_foreign_key
from config.chain import ChainedHistory
from config.db import PostgresExclusionConstraint, TsRange


class WallClockAt(Func):
    """PostgreSQL `date + time`: the wall-clock timestamp (without zone) of a time on a date."""

    arg_joiner = " + "
    template = "(%(expressions)s)"
    output_field = DateTimeField()


class EndOfDay(Func):
    """PostgreSQL `(date + 1)::timestamp`: midnight after `date`, where an open presence ends."""

    template = "((%(expressions)s + 1)::timestamp)"
    output_field = DateTimeField()


class Presence(models.Model):
    # No index of its own: presences_user_date_from starts with the user, and serves every
    # lookup by user (and the cascade) at one index less to maintain per write.
    user = user_foreign_key("presences", db_index=False)
    date = models.DateField(verbose_name=_("date"))
    from_time = models.TimeField(_("from"))
    to_time = models.TimeField(_("to"), null=True, blank=True)
    # MOCO: a property of the whole day; the services keep it equal on all of a day's presences.
    is_home_office = models.BooleanField(_("home office"), default=False)
    # MOCO discards a presence "started and stopped by touch within the same minute": only
    # a presence that a touch opened may be discarded by the next touch, never one entered
    # with POST, PUT or the admin.
    opened_by_touch = models.BooleanField(
        default=False, editable=False, verbose_name=_("opened by touch")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    # History is read per presence (its `id`), never per user: no index on its user column.
    history = HistoricalRecords(no_db_index=["user"], bases=[ChainedHistory])

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        ordering = ["date", "from_time", "id"]
        indexes = [
            models.Index(fields=["user", "date", "from_time"], name="presences_user_date_from"),
            models.Index(fields=["updated_at"], name="presences_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_time__isnull=True) | Q(to_time__gt=F("from_time")),
                name="presences_presence_to_after_from",
            ),
            models.CheckConstraint(
                # date_trunc also catches fractions of a second (`__second` would not).
                condition=Q(from_time=TruncMinute("from_time"))
                & (Q(to_time__isnull=True) | Q(to_time=TruncMinute("to_time"))),
                name="presences_presence_whole_minutes",
            ),
            models.UniqueConstraint(
                fields=["user", "date"],
                condition=Q(to_time__isnull=True),
                name="presences_presence_one_open_per_day",
            ),
            PostgresExclusionConstraint(
                name="presences_presence_no_overlap",
                expressions=[
                    ("user", RangeOperators.EQUAL),
                    ("date", RangeOperators.EQUAL),
                    (
                        # Half-open [from, to): 08:00-12:00 and 12:00-13:00 do not overlap.
                        TsRange(
                            WallClockAt("date", "from_time"),
                            Coalesce(WallClockAt("date", "to_time"), EndOfDay("date")),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self) -> str:
        until = self.to_time.strftime("%H:%M") if self.to_time else "open"
        return f"{self.user.full_name}: {self.date:%d.%m.%Y} {self.from_time:%H:%M}-{until}"

    @property
    def is_open(self) -> bool:
        return self.to_time is None

    def clean(self) -> None:
        # The back office's form error on a closed date (the services refuse it again).
        from closing.guards import ensure_instance_open

        ensure_instance_open(self)
