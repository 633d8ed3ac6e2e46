"""The back office's timesheet: a person's month and a team's week, from the ledger.

Who sees what is the ledger's own rule (`parse_days_query`, which applies
`visible_user_ids` and `teams_visible_to`): admin-role users see everyone, any other staff
member only their own timesheet. Each page reads the ledger once (`days_count_and_page`),
so it runs a fixed number of queries whatever the number of people and days.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import teams_visible_to
from backoffice.timesheet_export import export_response
from backoffice.timesheet_table import Table, month_table, week_table
from config.api.errors import ApiError
from ledger.models import LedgerDay
from ledger.params import EARLIEST, LATEST, parse_days_query
from ledger.selectors import days_count_and_page
from presences.models import Presence

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")


def _check_permission(site: admin.AdminSite, request: HttpRequest) -> None:
    # The ledger's admin decides who may read day rows at all (active staff).
    if not site.get_model_admin(LedgerDay).has_view_permission(request):
        raise PermissionDenied


def _today(request: HttpRequest) -> date:
    return timezone.now().astimezone(request.user.zone).date()  # type: ignore[union-attr]


def parse_month(request: HttpRequest) -> date:
    """`?month=YYYY-MM` (what `<input type=month>` sends); by default the current month."""
    raw = request.GET.get("month", "")
    match = _MONTH.fullmatch(raw)
    if match and 1 <= int(match[2]) <= 12 and EARLIEST.year <= int(match[1]) <= LATEST.year:
        return date(int(match[1]), int(match[2]), 1)
    if raw:
        messages.error(request, _("%(value)s is not a month (YYYY-MM).") % {"value": raw[:20]})
    return _today(request).replace(day=1)


def parse_week(request: HttpRequest) -> date:
    """`?week=YYYY-Www` (what `<input type=week>` sends); the Monday of that ISO week."""
    raw = request.GET.get("week", "")
    match = _WEEK.fullmatch(raw)
    if match and EARLIEST.year < int(match[1]) < LATEST.year:
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    if raw:
        messages.error(request, _("%(value)s is not a week (YYYY-Www).") % {"value": raw[:20]})
    today = _today(request)
    return today - timedelta(days=today.weekday())


def _rows(request: HttpRequest, params: dict[str, str]):  # type: ignore[no-untyped-def]
    """Users and day rows by the ledger's rule, or None after telling the person why not."""
    params = {"include_empty": "true", **params}
    try:
        query = parse_days_query(params, viewer=request.user)  # type: ignore[arg-type]
    except ApiError as error:
        messages.error(request, error.message)
        return None
    users = list(query.users.order_by("pk"))
    days = (query.last - query.first).days + 1
    _total, rows = days_count_and_page(
        users=query.users,
        first=query.first,
        last=query.last,
        include_empty=True,
        offset=0,
        limit=max(1, len(users) * days),
    )
    return users, rows


def _render(
    site: admin.AdminSite,
    request: HttpRequest,
    table: Table | None,
    context: dict[str, Any],
    filename: str,
) -> HttpResponseBase:
    chosen = request.GET.get("format")
    if table is not None and chosen in ("csv", "xlsx"):
        return export_response(table, extension=chosen, filename=filename)
    query = request.GET.copy()
    exports = {}
    for extension in ("csv", "xlsx"):
        query["format"] = extension
        exports[extension] = query.urlencode()
    return TemplateResponse(
        request,
        "backoffice/timesheet.html",
        {
            **site.each_context(request),
            "title": table.title if table else _("Timesheet"),
            "table": table,
            "exports": exports,
            **context,
        },
    )


def _person_picker(site: admin.AdminSite, viewer: User, subject: User | None) -> forms.Form:
    """Admins choose among everyone with the admin's searchable picker (hundreds of users);
    anyone else sees only themselves."""
    people = User.objects.all() if viewer.is_admin else User.objects.filter(pk=viewer.pk)
    # The picker searches users through a user field the admin already offers search for.
    widget = AutocompleteSelect(Presence._meta.get_field("user"), site)
    field = forms.ModelChoiceField(queryset=people, label=_("Person"), widget=widget)
    form = forms.Form(initial={"user": subject.pk if subject else viewer.pk})
    form.fields["user"] = field
    return form


def month_view(site: admin.AdminSite, request: HttpRequest) -> HttpResponseBase:
    _check_permission(site, request)
    viewer: User = request.user  # type: ignore[assignment]
    first = parse_month(request)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    raw_user = request.GET.get("user") or str(viewer.pk)
    found = _rows(request, {"from": first.isoformat(), "to": last.isoformat(), "user": raw_user})
    table = None
    subject = None
    if found is not None and found[0]:
        subject = found[0][0]
        title = _("Timesheet of %(name)s, %(month)s") % {
            "name": subject.full_name,
            "month": f"{first:%m/%Y}",
        }
        table = month_table(user=subject, rows=found[1], title=title)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    context = {
        "person_picker": _person_picker(site, viewer, subject),
        "mode": "month",
        "subject": subject,
        "month": f"{first:%Y-%m}",
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}",
    }
    who = subject.username if subject else "none"
    return _render(site, request, table, context, f"timesheet-{who}-{first:%Y-%m}")


def week_view(site: admin.AdminSite, request: HttpRequest) -> HttpResponseBase:
    _check_permission(site, request)
    viewer: User = request.user  # type: ignore[assignment]
    monday = parse_week(request)
    dates = [monday + timedelta(days=n) for n in range(7)]
    params = {"from": dates[0].isoformat(), "to": dates[-1].isoformat()}
    team_id = request.GET.get("team", "")
    if team_id:
        params["team"] = team_id
    found = _rows(request, params)
    teams = list(teams_visible_to(viewer).order_by("name", "pk"))
    team = next((t for t in teams if str(t.pk) == team_id), None)
    table = None
    if found is not None:
        iso = monday.isocalendar()
        title = _("Timesheet of %(who)s, week %(week)s/%(year)s") % {
            "who": team.name if team else _("everyone"),
            "week": iso.week,
            "year": iso.year,
        }
        table = week_table(users=found[0], rows=found[1], dates=dates, title=title)
    iso = monday.isocalendar()
    context = {
        "mode": "week",
        "week": f"{iso.year:04d}-W{iso.week:02d}",
        "previous": "{:04d}-W{:02d}".format(*(monday - timedelta(days=7)).isocalendar()[:2]),
        "following": "{:04d}-W{:02d}".format(*(monday + timedelta(days=7)).isocalendar()[:2]),
        "teams": teams,
        "team": team,
    }
    name = f"timesheet-team-{team.pk if team else 'all'}-{iso.year:04d}-W{iso.week:02d}"
    return _render(site, request, table, context, name)
