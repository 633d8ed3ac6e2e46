"""The shared user model and what hangs off it: API keys, teams, workspaces, organizations."""

import datetime
import functools
import uuid
import zoneinfo

import holidays
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.chain import ChainedHistory


@functools.cache
def known_timezones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk (~25 ms); it does not change
    # while the process runs.
    return frozenset(zoneinfo.available_timezones())


def zone_of(timezone: str) -> zoneinfo.ZoneInfo:
    """The zone of a user whose `timezone` is this (empty: the site's); for code that reads
    the column without a `User` instance."""
    return zoneinfo.ZoneInfo(timezone or settings.TIME_ZONE)


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(f"{value!r} is not a known IANA time zone name.")


def validate_holiday_region(value: str) -> None:
    """A region of the `holidays` package: a country code, optionally `-` and a subdivision."""
    country, _, subdivision = value.partition("-")
    try:
        holidays.country_holidays(country.upper(), subdiv=subdivision or None, years=2000)
    except NotImplementedError as exc:
        raise ValidationError(f"{value!r} is not a known holiday region (e.g. DE-BE).") from exc


def default_timezone() -> str:
    return settings.TIME_ZONE


def user_foreign_key(related_name: str, *, db_index: bool = True) -> models.ForeignKey:
    """The user a record belongs to: deleted with the user, reached from it as `related_name`
    ("+" for none). `db_index=False` where a composite index starting with the user serves."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        db_index=db_index,
        verbose_name=_("user"),
    )


class User(AbstractUser):
    """One user for all four APIs.

    The integer `id` is the user id of MOCO, ProSonata and Huddle; `uuid` is McTime's `userId`.
    `role` decides API visibility (docs/decisions.md); `is_staff` only opens the Django admin.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("uuid"))
    role = models.CharField(
        max_length=16, choices=Role.choices, default=Role.MEMBER, verbose_name=_("role")
    )
    timezone = models.CharField(
        max_length=64,
        default=default_timezone,
        validators=[validate_timezone],
        verbose_name=_("timezone"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # Public holidays for the ArbZG §9 check; empty means COMPLIANCE_HOLIDAY_REGION.
    holiday_region = models.CharField(
        max_length=32,
        null=True,
        blank=True,
        validators=[validate_holiday_region],
        help_text="Public-holiday region such as DE-BY; empty: the company's region.",
        verbose_name=_("holiday region"),
    )
    # The timesheet's target (spread over Monday-Friday); empty means the company's
    # TIMESHEET_WEEKLY_TARGET_HOURS. 60 h is the most §3 ArbZG allows in any week.
    weekly_target_hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text="Contracted hours a week for the timesheet; empty: the company's default.",
        verbose_name=_("weekly target hours"),
    )

    # Retention (purge_records) skips a user under a legal hold (litigation, audit).
    legal_hold = models.BooleanField(
        default=False,
        help_text="Keep all of this user's records and history, whatever their age.",
        verbose_name=_("legal hold"),
    )

    # Chained evidence of every change to the user. The password hash is no evidence (and
    # must not be copied around); last_login changes at every sign-in.
    history = HistoricalRecords(bases=[ChainedHistory], excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "member"]), name="accounts_user_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_target_hours__isnull=True)
                | models.Q(weekly_target_hours__gte=0, weekly_target_hours__lte=60),
                name="accounts_user_weekly_target_range",
            ),
        ]

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_of(self.timezone)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username

    def local(self, instant: "datetime.datetime") -> "datetime.datetime":
        """An instant in this user's time zone (titles and lists show local time)."""
        return instant.astimezone(self.zone)

    def __str__(self) -> str:
        # The back office's pickers and lists: the name people know, the username to tell
        # two Anna Schmidts apart.
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.username})" if name else self.username


class ApiKey(models.Model):
    """An API key. Only a SHA-256 digest of the key is stored; the raw key is shown once.

    Keys are 256-bit random strings, so a fast digest is enough (no password stretching
    needed); `prefix` is the public, unique first part used to find the row.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("user")
    )
    label = models.CharField(max_length=100, blank=True, verbose_name=_("label"))
    prefix = models.CharField(max_length=16, unique=True, editable=False, verbose_name=_("prefix"))
    key_hash = models.CharField(max_length=64, editable=False, verbose_name=_("key hash"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("last used at")
    )
    # Final once set: only accounts.services.revoke_api_key writes it; no form edits it.
    revoked_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("revoked at")
    )
    # Optional, set when the key is made: a key for a contractor or a trial integration
    # stops working by itself.
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text="Optional: the key stops working then."
    )
    # Who created, relabelled or revoked a key, and when. Not the digest (no use to anyone
    # reading history), not last_used_at (written with .update(), at most once a minute).
    # Chained per user (config.chain) like every history.
    history = HistoricalRecords(
        excluded_fields=["key_hash", "last_used_at"], bases=[ChainedHistory]
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.label or 'no label'})"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "Expired"
        return "Active"

    @property
    def is_active(self) -> bool:
        return self.status == "Active"


class MemberGroup(models.Model):
    """Huddle's teams and workspaces: named groups of users whose members see each other."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Team(MemberGroup):
    members = models.ManyToManyField(
        User, related_name="teams", blank=True, verbose_name=_("members")
    )
    is_deleted = models.BooleanField(default=False, verbose_name=_("is deleted"))

    class Meta(MemberGroup.Meta):
        verbose_name = _("team")
        verbose_name_plural = _("teams")


class Workspace(MemberGroup):
    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")
        LOCKED = "locked", _("Locked")
        DELETED = "deleted", _("Deleted")

    state = models.CharField(
        max_length=16, choices=State.choices, default=State.ACTIVE, verbose_name=_("state")
    )
    members = models.ManyToManyField(
        User, related_name="workspaces", blank=True, verbose_name=_("members")
    )

    class Meta(MemberGroup.Meta):
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["active", "archived", "locked", "deleted"]),
                name="accounts_workspace_state_valid",
            ),
        ]


class Organization(models.Model):
    """McTime's organization (a project or cost centre a clock is booked to)."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id")
    )
    name = models.CharField(max_length=200, db_index=True, verbose_name=_("name"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        # McTime picks "a random one" among organizations sharing a name; we pick the oldest.
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name
