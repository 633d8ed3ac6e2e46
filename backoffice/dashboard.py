"""What the back office sees first: who is in, what was forgotten, what waits for someone.

Reads only (the four apps' models); each panel is a handful of rows plus a link to the full
list in the admin, so the page costs a fixed number of queries however many records exist.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clock.models import ApprovalStatus, Clock, TimeEntry
from ledger.compliance.models import UserFindings
from ledger.compliance.selectors import FindingFilter, violations_list
from ledger.compliance.types import Severity
from ooo.models import OutOfOffice
from presences.models import Presence

PANEL_ROWS = 10
# This week's ArbZG findings read 24 weeks of look-back for everyone (the §3 average), too
# costly for every visit of the first page: kept this long, per week and day.
FINDINGS_CACHE_SECONDS = 300


@dataclass
class Row:
    who: str
    what: str
    url: str


@dataclass
class Panel:
    title: str
    count: int
    list_url: str
    rows: list[Row] = field(default_factory=list)
    empty: str = ""


def _full_name(user) -> str:  # type: ignore[no-untyped-def]
    return user.get_full_name() or user.username


def _local(instant: datetime) -> str:
    return timezone.localtime(instant).strftime("%d.%m. %H:%M")


def _change_url(obj) -> str:  # type: ignore[no-untyped-def]
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _list_url(model, query: str = "") -> str:  # type: ignore[no-untyped-def]
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


def _panel(title, queryset, *, list_url: str, describe, empty) -> Panel:  # type: ignore[no-untyped-def]
    rows = [
        Row(who=_full_name(obj.user), what=describe(obj), url=_change_url(obj))
        for obj in queryset[:PANEL_ROWS]
    ]
    return Panel(title=title, count=queryset.count(), list_url=list_url, rows=rows, empty=empty)


def _week_violations(today: date) -> list[tuple[int, str, date, str, str]]:
    """(user id, name, date, rule, detail) of this week's violations, cached briefly."""
    monday = today - timedelta(days=today.weekday())
    key = f"backoffice:week-violations:{monday.isoformat()}:{today.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        found = violations_list(
            users=User.objects.filter(is_active=True),
            first=monday,
            last=today,
            keep=FindingFilter(severity=Severity.VIOLATION),
        )
        rows = [
            (r.user.pk, _full_name(r.user), r.date, str(r.finding.rule), r.finding.detail)
            for r in found
        ]
        cache.set(key, rows, FINDINGS_CACHE_SECONDS)
    return rows


def _findings_panel(today: date) -> Panel:
    rows = _week_violations(today)
    change = "admin:compliance_userfindings_change"
    return Panel(
        title=_("ArbZG violations this week"),
        count=len(rows),
        list_url=_list_url(UserFindings),
        rows=[
            Row(
                who=name,
                what=f"{day:%d.%m.} {rule}: {detail}",
                url=f"{reverse(change, args=[user_id])}?month={day:%Y-%m}",
            )
            for user_id, name, day, rule, detail in rows[:PANEL_ROWS]
        ],
        empty=_("No violation of the Working Hours Act this week."),
    )


def dashboard_panels() -> list[Panel]:
    today = timezone.localdate()
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    now = timezone.now()
    open_presences = Presence.objects.select_related("user").filter(to_time__isnull=True)
    return [
        _panel(
            _("In right now: open MOCO presences"),
            open_presences.filter(date=today).order_by("from_time", "id"),
            list_url=_list_url(Presence, "open=open"),
            describe=lambda p: _("since %(time)s") % {"time": p.from_time.strftime("%H:%M")},
            empty=_("Nobody has an open presence today."),
        ),
        _panel(
            _("In right now: running McTime clocks"),
            Clock.objects.select_related("user").order_by("started_at", "id"),
            list_url=_list_url(Clock),
            describe=lambda c: (
                _("%(type)s since %(time)s")
                % {"type": c.get_time_type_display(), "time": _local(c.started_at)}
            ),
            empty=_("No clock is running."),
        ),
        _panel(
            _("Forgotten clock-outs"),
            open_presences.filter(date__lt=today).order_by("date", "from_time", "id"),
            list_url=_list_url(Presence, "open=forgotten"),
            describe=lambda p: (
                _("open since %(date)s %(time)s")
                % {"date": p.date.strftime("%d.%m.%Y"), "time": p.from_time.strftime("%H:%M")}
            ),
            empty=_("No presence from an earlier day is still open."),
        ),
        _panel(
            _("Clocks running since before today"),
            Clock.objects.select_related("user")
            .filter(started_at__lt=start_of_today)
            .order_by("started_at", "id"),
            list_url=_list_url(Clock),
            describe=lambda c: _("since %(time)s") % {"time": _local(c.started_at)},
            empty=_("No clock was left running overnight."),
        ),
        _panel(
            _("Time entries waiting for approval"),
            TimeEntry.objects.select_related("user")
            .filter(approval_status=ApprovalStatus.UNDER_APPROVAL, is_valid=True)
            .order_by("starts_at", "id"),
            list_url=_list_url(
                TimeEntry, f"approval_status__exact={ApprovalStatus.UNDER_APPROVAL}"
            ),
            describe=lambda e: f"{_local(e.starts_at)} to {_local(e.ends_at)}",
            empty=_("Nothing waits for approval."),
        ),
        _panel(
            _("Out of office today"),
            OutOfOffice.objects.select_related("user")
            .filter(is_active=True)
            .current(now)
            .order_by("start_date", "id"),
            list_url=_list_url(OutOfOffice, "when=current&is_active__exact=1"),
            describe=lambda o: o.message or _("(no message)"),
            empty=_("Nobody is out of office today."),
        ),
        _findings_panel(today),
    ]
