"""The timesheet's tables, built once from the ledger's day rows; the page, the CSV and the
XLSX all render the same `Table`, so an export is exactly what is on screen.

Nothing here computes work time: net work, breaks, first start / last end, absences, flags
and findings are the ledger's (`ledger.selectors`). This module only adds the target (the
contracted hours a week, spread over Monday-Friday) and the balance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledger.compliance.public_holidays import holiday_name
from ledger.compliance.ruleset import current_rule_set
from ledger.days import DayRow
from ledger.exports import safe_text

WORKDAYS = 5  # the weekly target is spread evenly over Monday-Friday


@dataclass
class Cell:
    text: str
    css: str = ""
    # Shown under the text (a flag's or finding's detail), exported on lines of their own.
    notes: list[tuple[str, str]] = field(default_factory=list)  # (css, text)
    # Text Timebridge formats itself (durations such as "+1:30"), never what a person typed:
    # exports write it as it is, with no formula escaping.
    own: bool = False

    @property
    def plain(self) -> str:
        return "\n".join([self.text, *(text for _, text in self.notes)]).strip()


@dataclass
class Line:
    kind: str  # day | week | total | user
    cells: list[Cell]
    css: str = ""


@dataclass
class Table:
    title: str
    headers: list[str]
    lines: list[Line]
    summary: list[tuple[str, str]] = field(default_factory=list)

    def plain_rows(self) -> list[list[str]]:
        """Headers, then every line as text: what the exports write. Names and details
        that could start like a formula ("=HYPERLINK(…)") get the ledger exports' escape."""
        return [
            self.headers,
            *(
                [cell.plain if cell.own else safe_text(cell.plain) for cell in line.cells]
                for line in self.lines
            ),
        ]


def duration(minutes: int, *, signed: bool = False) -> str:
    """'7:45' (hours:minutes, no rounding, so day values add up to the totals). A negative
    value carries the minus sign U+2212: a spreadsheet reads a cell starting with '-' as a
    formula, which the exports would have to escape, and they show exactly this text."""
    sign = "\u2212" if minutes < 0 else ("+" if signed and minutes > 0 else "")
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


def weekly_target_minutes(user) -> int:  # type: ignore[no-untyped-def]
    hours = user.weekly_target_hours
    if hours is None:
        hours = settings.TIMESHEET_WEEKLY_TARGET_HOURS
    return round(float(hours) * 60)


def _region(user) -> str:  # type: ignore[no-untyped-def]
    return user.holiday_region or current_rule_set().holiday_region


@dataclass(frozen=True)
class DayTarget:
    target: int  # minutes expected on this date
    credit: int  # minutes an absence counts as worked
    holiday: str | None


def day_target(row: DayRow) -> DayTarget:
    """Monday-Friday carry a fifth of the weekly target; a public holiday of the user's region
    carries none; an absence credits the day's target (a half day half of it, a timed McTime
    absence its length), never more than the target."""
    holiday = holiday_name(_region(row.user), row.date)
    if row.date.isoweekday() > WORKDAYS or holiday is not None:
        return DayTarget(0, 0, holiday)
    target = round(weekly_target_minutes(row.user) / WORKDAYS)
    credit = 0.0
    for absence in row.absences:
        if absence.span is not None:
            credit += (absence.span[1] - absence.span[0]).total_seconds() / 60
        else:
            credit += target / 2 if absence.half_day else target
    return DayTarget(target, min(target, round(credit)), holiday)


ABSENCE_KINDS = {
    "vacation": gettext_lazy("vacation"),
    "sick": gettext_lazy("sick"),
    "holiday": gettext_lazy("holiday"),
    "training": gettext_lazy("training"),
    "overtime_reduction": gettext_lazy("overtime reduction"),
    "other_leave": gettext_lazy("other leave"),
    "out_of_office": gettext_lazy("out of office"),
}
FLAG_LABELS = {
    "open_interval": gettext_lazy("Forgotten clock-out"),
    "sources_disagree": gettext_lazy("Sources disagree"),
    "total_mismatch": gettext_lazy("Total does not match the times"),
    "work_on_absence": gettext_lazy("Work on an absence"),
}


def _absence_text(row: DayRow, target: DayTarget) -> str:
    parts = [_("Public holiday: %(name)s") % {"name": target.holiday}] if target.holiday else []
    for absence in row.absences:
        kind = str(ABSENCE_KINDS.get(absence.kind, absence.kind))
        parts.append(_("%(kind)s (half day)") % {"kind": kind} if absence.half_day else kind)
    return ", ".join(parts)


def _clock(moment: datetime | None, day: date) -> str:
    if moment is None:
        return ""
    text = f"{moment:%H:%M}"
    return f"{text} (+{(moment.date() - day).days})" if moment.date() != day else text


def findings_cell(row: DayRow) -> Cell:
    """Flags and findings of the day, each with its detail; the cell's class is the worst."""
    notes = [("flag", f"{FLAG_LABELS.get(f.code, f.code)!s}: {f.detail}") for f in row.flags]
    notes += [(str(v.severity), f"{v.paragraph}: {v.detail}") for v in row.violations]
    css = {kind for kind, _text in notes}
    worst = next((c for c in ("violation", "flag", "notice") if c in css), "")
    return Cell("", worst, notes)


@dataclass
class Sums:
    work: int = 0
    breaks: int = 0
    target: int = 0
    credit: int = 0

    def add(self, row: DayRow, target: DayTarget) -> None:
        self.work += row.work_minutes
        self.breaks += row.break_minutes
        self.target += target.target
        self.credit += target.credit

    @property
    def balance(self) -> int:
        return self.work + self.credit - self.target

    def cells(self) -> list[Cell]:
        return [
            Cell(duration(self.work), own=True),
            Cell(duration(self.breaks), own=True),
            Cell(duration(self.target), own=True),
            Cell(duration(self.credit), own=True),
            Cell(
                duration(self.balance, signed=True),
                "negative" if self.balance < 0 else "",
                own=True,
            ),
        ]


def _weekday(day: date) -> str:
    return str(WEEKDAYS_ABBR[day.weekday()])


def month_table(*, user, rows: Sequence[DayRow], title: str) -> Table:  # type: ignore[no-untyped-def]
    """One line per date, a subtotal after each week (Monday-Sunday, cut at the month's
    edges) and the month's total."""
    headers = [
        _("Date"),
        _("Day"),
        _("Start"),
        _("End"),
        _("Work"),
        _("Breaks"),
        _("Target"),
        _("Credit"),
        _("Balance"),
        _("Absences"),
        _("Flags and findings"),
    ]
    lines: list[Line] = []
    month, week = Sums(), Sums()
    for index, row in enumerate(rows):
        target = day_target(row)
        month.add(row, target)
        week.add(row, target)
        day = Sums()
        day.add(row, target)
        totals = day.cells()
        found = findings_cell(row)
        absence = _absence_text(row, target)
        lines.append(
            Line(
                "day",
                [
                    Cell(f"{row.date:%d.%m.%Y}"),
                    Cell(_weekday(row.date)),
                    Cell(_clock(row.first_start, row.date)),
                    Cell(_clock(row.last_end, row.date)),
                    totals[0],
                    totals[1],
                    totals[2],
                    totals[3],
                    totals[4],
                    Cell(absence, "absence" if absence else ""),
                    found,
                ],
                " ".join(
                    filter(
                        None,
                        [
                            found.css and f"has-{found.css}",
                            "weekend" if row.date.isoweekday() > WORKDAYS else "",
                        ],
                    )
                ),
            )
        )
        last_of_week = row.date.isoweekday() == 7 or index == len(rows) - 1
        if last_of_week:
            label = _("Week %(week)s") % {"week": row.date.isocalendar().week}
            lines.append(
                Line("week", [Cell(label), *[Cell("")] * 3, *week.cells(), Cell(""), Cell("")])
            )
            week = Sums()
    lines.append(
        Line("total", [Cell(_("Month")), *[Cell("")] * 3, *month.cells(), Cell(""), Cell("")])
    )
    summary = [
        (_("Weekly target"), duration(weekly_target_minutes(user))),
        (_("Target"), duration(month.target)),
        (_("Worked"), duration(month.work)),
        (_("Credited for absences"), duration(month.credit)),
        (_("Balance"), duration(month.balance, signed=True)),
    ]
    return Table(title, headers, lines, summary)


def week_table(
    *, users: Iterable, rows: Sequence[DayRow], dates: Sequence[date], title: str
) -> Table:  # type: ignore[no-untyped-def]
    """One line per user: the work of each day (findings under it), the week's work,
    target, credit and balance; a total line for the team."""
    headers = [_("Person"), *(f"{_weekday(d)} {d:%d.%m.}" for d in dates)]
    headers += [_("Work"), _("Breaks"), _("Target"), _("Credit"), _("Balance")]
    by_key = {(row.user.pk, row.date): row for row in rows}
    lines: list[Line] = []
    team = Sums()
    for user in users:
        sums = Sums()
        cells = [Cell(str(user))]
        for day in dates:
            row = by_key[(user.pk, day)]
            target = day_target(row)
            sums.add(row, target)
            team.add(row, target)
            found = findings_cell(row)
            text = duration(row.work_minutes) if row.work_minutes else ""
            if row.absences or target.holiday:
                text = " ".join(filter(None, [text, f"({_absence_text(row, target)})"]))
            cells.append(Cell(text, found.css, found.notes))
        lines.append(Line("user", [*cells, *sums.cells()]))
    lines.append(Line("total", [Cell(_("Total")), *[Cell("")] * len(dates), *team.cells()]))
    return Table(title, headers, lines)
