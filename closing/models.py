"""Closed periods, the per-user chain heads, and retention tombstones.

A `Closure` is what an admin decided (dates, reason, who, whom); the users it covers are
resolved when it is made (a team's members, everyone) and kept as one `ClosedPeriod` per
user. The per-user rows are what every write asks ("is this date of this user closed?")
and what goes into each user's history chain, so a closure and its reopening are evidence
in the chain of every user they concern.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import user_foreign_key
from config.chain import GENESIS, ChainedHistory


class Closure(models.Model):
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"))
    reason = models.TextField(verbose_name=_("reason"))
    # How the users were chosen, as asked: "users", "team" (with its id) or "all".
    scope = models.CharField(max_length=16, default="users", verbose_name=_("scope"))
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    reopened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reopened at"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(blank=True, default="", verbose_name=_("reopen reason"))

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["-from_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__gte=F("from_date")), name="closing_closure_range_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=["users", "team", "all"]), name="closing_closure_scope"
            ),
        ]

    def __str__(self) -> str:
        state = " (reopened)" if self.reopened_at else ""
        return f"Closure {self.pk}: {self.from_date} to {self.to_date}{state}"

    @property
    def is_open(self) -> bool:
        """Reopened: the closure no longer refuses writes."""
        return self.reopened_at is not None


class ClosedPeriod(models.Model):
    """One user's part of a closure: the dates (copied, so each user's chain proves them)."""

    closure = models.ForeignKey(
        Closure, on_delete=models.PROTECT, related_name="periods", verbose_name=_("closure")
    )
    user = user_foreign_key("closed_periods")
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"))
    reopened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reopened at"))

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["from_date", "id"]
        indexes = [models.Index(fields=["user", "to_date"], name="closing_period_user_to")]
        constraints = [
            models.UniqueConstraint(fields=["closure", "user"], name="closing_period_once"),
            models.CheckConstraint(
                condition=Q(to_date__gte=F("from_date")), name="closing_period_range_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.from_date} to {self.to_date}"


class ChainHead(models.Model):
    """The end of one user's history chain: its last position and hash.

    A plain user id (no foreign key): the chain outlives the user it describes.
    """

    user_id = models.BigIntegerField(primary_key=True, verbose_name=_("user id"))
    seq = models.BigIntegerField(default=0, verbose_name=_("seq"))
    hash = models.CharField(max_length=64, default=GENESIS, verbose_name=_("hash"))

    def __str__(self) -> str:
        return f"chain of user {self.user_id} at {self.seq}"


class Tombstone(ChainedHistory):
    """A link in a user's chain saying which links were purged (retention), and their hashes.

    `removed` lists `[position, hash]` of every purged history row, so the chain still
    verifies across the gap: the next row's `chain_prev` is vouched for by this row, whose
    own hash covers the list.
    """

    user_id = models.BigIntegerField(verbose_name=_("user id"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    before = models.DateField(verbose_name=_("before"))
    removed = models.JSONField(default=list, verbose_name=_("removed"))
    summary = models.TextField(blank=True, default="", verbose_name=_("summary"))

    class Meta:
        ordering = ["user_id", "chain_seq"]
        indexes = [models.Index(fields=["user_id", "chain_seq"], name="closing_tomb_user_seq")]

    def __str__(self) -> str:
        return f"purge of user {self.user_id} before {self.before}"
