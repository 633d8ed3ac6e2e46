"""Huddle's "Presence": a user's out-of-office setting (any number of them per user)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import user_foreign_key
from config.chain import ChainedHistory

MESSAGE_MAX_LENGTH = 280
END_BEFORE_START_MESSAGE = "The end must not be before the start."


def ends_before_start(start: datetime | None, end: datetime | None) -> bool:
    """The one range rule (also the ooo_outofoffice_range_valid constraint): an open end
    never ends too early."""
    return start is not None and end is not None and end < start


class OutOfOfficeQuerySet(models.QuerySet):
    def overlapping(self, start, end):  # type: ignore[no-untyped-def]
        """Presences overlapping [start, end], edges included; None is an open bound.

        A presence without a start began "forever ago", one without an end never ends.
        """
        qs = self
        if end is not None:
            qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=end))
        if start is not None:
            qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return qs

    def current(self, at):  # type: ignore[no-untyped-def]
        return self.overlapping(at, at)

    def upcoming(self, at):  # type: ignore[no-untyped-def]
        return self.filter(start_date__gt=at)

    def past(self, at):  # type: ignore[no-untyped-def]
        return self.filter(end_date__lt=at)

    def newest_first(self):  # type: ignore[no-untyped-def]
        return self.order_by("-created_at", "-id")


class OutOfOffice(models.Model):
    """One OOO setting. Creating a new one never invalidates the earlier ones (spec)."""

    user = user_foreign_key("out_of_office")
    is_active = models.BooleanField(verbose_name=_("is active"))
    start_date = models.DateTimeField(null=True, blank=True, verbose_name=_("start date"))
    end_date = models.DateTimeField(null=True, blank=True, verbose_name=_("end date"))
    message = models.CharField(
        max_length=MESSAGE_MAX_LENGTH, blank=True, default="", verbose_name=_("message")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # Feeds GET /presence/{userId}/audits and the admin's change history.
    history = HistoricalRecords(bases=[ChainedHistory])

    objects = OutOfOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("out-of-office presence")
        verbose_name_plural = _("out-of-office presences")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "start_date"], name="ooo_outofoffice_user_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="ooo_outofoffice_range_valid",
            ),
        ]

    def __str__(self) -> str:
        def day(instant) -> str:  # type: ignore[no-untyped-def]
            return f"{self.user.local(instant):%d.%m.%Y}" if instant else "…"

        return f"{self.user.full_name}: out of office {day(self.start_date)}-{day(self.end_date)}"

    def clean(self) -> None:
        # The admin's form error; services check the same before saving.
        if ends_before_start(self.start_date, self.end_date):
            raise ValidationError({"end_date": END_BEFORE_START_MESSAGE})
        # The back office's form error on a closed date (the services refuse it again).
        from closing.guards import ensure_instance_open

        ensure_instance_open(self)
