"""The timesheet: a person's month and a team's week from the ledger, with target and balance."""

import csv
import datetime as dt
import io
from decimal import Decimal
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import (
    AdminFactory,
    PresenceFactory,
    TeamFactory,
    TimeEntryFactory,
    UserFactory,
    WorkingTimeFactory,
)

MONTH = reverse("admin:backoffice_timesheet")
WEEK = reverse("admin:backoffice_timesheet_week")
BERLIN = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC)


class TableParser(HTMLParser):
    """The timesheet table's cells as text: each text fragment of a cell on a line of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag == "table" and ("id", "timesheet") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("\n".join(self.cell))
            self.cell = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.cell is not None and data.strip():
            self.cell.append(data.strip())


def html_table(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    parser = TableParser()
    parser.feed(response.content.decode())
    return parser.rows


def day_line(rows: list[list[str]], day: str) -> dict[str, str]:
    return dict(zip(rows[0], next(r for r in rows if r[0] == day), strict=True))


@pytest.fixture
def staff(db, client):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def anna(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="anna", first_name="Anna", last_name="Schmidt")


def mixed_day(user) -> None:  # type: ignore[no-untyped-def]
    """Monday 02.03.2026: MOCO 08:00-12:00, ProSonata 08:00-16:30 with a break 12:00-12:30,
    McTime 16:00-18:00 (Berlin): 9 h 30 min net, a 30-minute break (§4 wants 45)."""
    PresenceFactory(user=user, date=dt.date(2026, 3, 2), from_time=dt.time(8), to_time=dt.time(12))
    WorkingTimeFactory(user=user, working_date=dt.date(2026, 3, 2))
    TimeEntryFactory(
        user=user,
        starts_at=dt.datetime(2026, 3, 2, 16, tzinfo=BERLIN),
        ends_at=dt.datetime(2026, 3, 2, 18, tzinfo=BERLIN),
    )


@time_machine.travel(NOW, tick=False)
def test_a_day_from_mixed_sources_with_its_findings(staff, anna):  # type: ignore[no-untyped-def]
    mixed_day(anna)

    response = staff.get(MONTH, {"user": anna.pk, "month": "2026-03"})

    assert response.status_code == HTTPStatus.OK
    line = day_line(html_table(response), "02.03.2026")
    assert (line["Start"], line["End"], line["Work"], line["Breaks"]) == (
        "08:00",
        "18:00",
        "9:30",
        "0:30",
    )
    assert (line["Target"], line["Credit"], line["Balance"]) == ("8:00", "0:00", "+1:30")
    findings = line["Flags and findings"].split("\n")
    assert any(f.startswith("Sources disagree: ") for f in findings)
    assert "§4 ArbZG: 9 h 30 min worked, 30 min of qualifying breaks; 45 min required" in findings
    assert any(f.startswith("§16(2) ArbZG: ") for f in findings)
    # Highlighted: the day's line and the cell carry the worst severity as a class.
    html = response.content.decode()
    assert 'class="day has-violation"' in html
    assert '<td class="violation notes">' in html
    assert '<span class="note violation">§4 ArbZG: 9 h 30 min' in html


@time_machine.travel(NOW, tick=False)
def test_week_subtotals_and_month_totals(staff, anna):  # type: ignore[no-untyped-def]
    # Week 10 (02.-08.03.): 8 h and 6 h; week 11: 4 h on Monday 09.03.
    WorkingTimeFactory(user=anna, working_date=dt.date(2026, 3, 2))
    PresenceFactory(user=anna, date=dt.date(2026, 3, 3), from_time=dt.time(9), to_time=dt.time(15))
    PresenceFactory(user=anna, date=dt.date(2026, 3, 9), from_time=dt.time(8), to_time=dt.time(12))

    rows = html_table(staff.get(MONTH, {"user": anna.pk, "month": "2026-03"}))

    head = rows[0]
    week = dict(zip(head, next(r for r in rows if r[0] == "Week 10"), strict=True))
    # 01.03. is a Sunday, so week 9 is one day long; week 10 has five working days.
    assert (week["Work"], week["Breaks"], week["Target"], week["Balance"]) == (
        "14:00",
        "0:30",
        "40:00",
        "\u221226:00",
    )
    month = dict(zip(head, rows[-1], strict=True))
    # March 2026 has 22 working days and no public holiday in Berlin: 176 h.
    assert (month["Day"], month["Work"], month["Target"], month["Balance"]) == (
        "",
        "18:00",
        "176:00",
        "\u2212158:00",
    )
    assert [r[0] for r in rows].count("Week 9") == 1
    assert [r[0] for r in rows][-2] == "Week 14"  # Monday 30.03.-Tuesday 31.03.


@pytest.mark.parametrize(
    ("weekly", "day_target", "month_target", "balance"),
    [
        (None, "8:00", "160:00", "\u2212140:00"),  # 8 h worked + 8 + 4 credited - 160
        (Decimal("30"), "6:00", "120:00", "\u2212103:00"),  # 8 + 6 + 3 - 120
    ],
)
@time_machine.travel(NOW, tick=False)
def test_target_and_balance_with_a_holiday_and_absences(  # type: ignore[no-untyped-def]
    staff, anna, weekly, day_target, month_target, balance
):
    anna.weekly_target_hours = weekly
    anna.save()
    # April 2026: 22 working days, Good Friday (03.04.) and Easter Monday (06.04.) off.
    WorkingTimeFactory(user=anna, working_date=dt.date(2026, 4, 1))  # 8 h worked
    WorkingTimeFactory(user=anna, working_date=dt.date(2026, 4, 7), day_type=1)  # vacation
    WorkingTimeFactory(user=anna, working_date=dt.date(2026, 4, 8), day_type=1, half_holiday=True)

    response = staff.get(MONTH, {"user": anna.pk, "month": "2026-04"})
    rows = html_table(response)

    holiday = day_line(rows, "03.04.2026")
    assert (holiday["Target"], holiday["Absences"]) == ("0:00", "Public holiday: Good Friday")
    vacation = day_line(rows, "07.04.2026")
    assert (vacation["Target"], vacation["Credit"], vacation["Balance"]) == (
        day_target,
        day_target,
        "0:00",
    )
    assert vacation["Absences"] == "vacation"
    half = day_line(rows, "08.04.2026")
    assert half["Absences"] == "vacation (half day)"
    assert half["Credit"] == {"8:00": "4:00", "6:00": "3:00"}[day_target]
    summary = dict(response.context["table"].summary)
    assert (summary["Target"], summary["Worked"], summary["Balance"]) == (
        month_target,
        "8:00",
        balance,
    )


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (dt.date(2026, 3, 29), "2:00"),  # spring forward: 01:00-04:00 lasts two hours
        (dt.date(2026, 10, 25), "4:00"),  # fall back: 01:00-04:00 lasts four hours
    ],
)
@time_machine.travel(NOW, tick=False)
def test_dst_days_count_real_elapsed_time(staff, anna, day, hours):  # type: ignore[no-untyped-def]
    PresenceFactory(user=anna, date=day, from_time=dt.time(1), to_time=dt.time(4))

    rows = html_table(staff.get(MONTH, {"user": anna.pk, "month": f"{day:%Y-%m}"}))

    line = day_line(rows, f"{day:%d.%m.%Y}")
    assert (line["Start"], line["End"], line["Work"]) == ("01:00", "04:00", hours)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@time_machine.travel(NOW, tick=False)
def test_exports_parsed_back_equal_the_page(staff, anna, extension):  # type: ignore[no-untyped-def]
    mixed_day(anna)
    params = {"user": anna.pk, "month": "2026-03"}
    shown = html_table(staff.get(MONTH, params))

    response = staff.get(MONTH, {**params, "format": extension})

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"] == (
        f'attachment; filename="timesheet-anna-2026-03.{extension}"'
    )
    if extension == "csv":
        parsed = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        parsed = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert parsed == shown
    assert len(parsed) == 1 + 31 + 6 + 1  # headers, days, weeks 9-14, month


@time_machine.travel(NOW, tick=False)
def test_team_week(staff, anna):  # type: ignore[no-untyped-def]
    ben = UserFactory(username="ben", first_name="Ben", last_name="Weber")
    outsider = UserFactory(username="otto", first_name="Otto", last_name="Außen")
    team = TeamFactory(name="Payroll", members=[anna, ben])
    mixed_day(anna)
    PresenceFactory(user=ben, date=dt.date(2026, 3, 3), from_time=dt.time(8), to_time=dt.time(12))
    PresenceFactory(user=outsider, date=dt.date(2026, 3, 3))

    response = staff.get(WEEK, {"team": team.pk, "week": "2026-W10"})

    assert response.status_code == HTTPStatus.OK
    rows = html_table(response)
    assert rows[0][:3] == ["Person", "Mon 02.03.", "Tue 03.03."]
    assert [r[0] for r in rows[1:]] == ["Anna Schmidt (anna)", "Ben Weber (ben)", "Total"]
    annas = dict(zip(rows[0], rows[1], strict=True))
    assert annas["Mon 02.03."].startswith("9:30\nSources disagree: ")
    assert (annas["Work"], annas["Target"], annas["Balance"]) == ("9:30", "40:00", "\u221230:30")
    total = dict(zip(rows[0], rows[3], strict=True))
    assert (total["Tue 03.03."], total["Work"], total["Target"]) == ("", "13:30", "80:00")
    assert response.context["title"] == "Timesheet of Payroll, week 10/2026"


@pytest.mark.parametrize("view", [MONTH, WEEK])
@time_machine.travel(NOW, tick=False)
def test_queries_do_not_grow_with_people_or_days(  # type: ignore[no-untyped-def]
    staff, view, django_assert_max_num_queries
):
    team = TeamFactory(name="Everyone")
    for n in range(8):
        person = UserFactory(username=f"p{n}")
        team.members.add(person)
        for day in range(1, 29):
            PresenceFactory(user=person, date=dt.date(2026, 2, day))
            WorkingTimeFactory(user=person, working_date=dt.date(2026, 2, day))
    params = {"month": "2026-02", "user": person.pk} if view == MONTH else {"week": "2026-W08"}

    # Session, user, messages, the people or teams picker and the ledger's fixed reads.
    with django_assert_max_num_queries(13):
        response = staff.get(view, params)

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["table"].lines) > 1


def test_a_staff_member_sees_only_their_own_timesheet(client, anna):  # type: ignore[no-untyped-def]
    clerk = UserFactory(username="clerk", first_name="Clara", last_name="Clerk", is_staff=True)
    PresenceFactory(user=anna, date=dt.date(2026, 3, 2))
    PresenceFactory(user=clerk, date=dt.date(2026, 3, 2))
    client.force_login(clerk)

    own = client.get(MONTH, {"month": "2026-03"})
    other = client.get(MONTH, {"month": "2026-03", "user": anna.pk})
    week = client.get(WEEK, {"week": "2026-W10"})

    assert own.context["title"] == "Timesheet of Clara Clerk, 03/2026"
    picker = own.context["person_picker"].fields["user"]
    assert [str(p) for p in picker.queryset] == ["Clara Clerk (clerk)"]
    assert other.context["table"] is None
    assert [str(m) for m in get_messages(other.wsgi_request)] == [f"User {anna.pk} not found."]
    assert "Anna" not in other.content.decode()
    assert [r[0] for r in html_table(week)[1:]] == ["Clara Clerk (clerk)", "Total"]
    csv_other = client.get(MONTH, {"month": "2026-03", "user": anna.pk, "format": "csv"})
    assert csv_other["Content-Type"].startswith("text/html")


def test_people_without_staff_status_are_sent_to_the_login(client, anna):  # type: ignore[no-untyped-def]
    client.force_login(anna)

    response = client.get(MONTH)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("view", "params"),
    [
        (MONTH, {"month": "2026-13"}),
        (MONTH, {"month": "x" * 500}),
        (MONTH, {"user": "abc"}),
        (MONTH, {"user": "999999999"}),
        (WEEK, {"week": "2026-W54"}),
        (WEEK, {"team": "-1"}),
        (WEEK, {"team": "424242"}),
    ],
)
def test_bad_parameters_are_messages_not_errors(staff, view, params):  # type: ignore[no-untyped-def]
    response = staff.get(view, params)

    assert response.status_code == HTTPStatus.OK
    assert list(get_messages(response.wsgi_request))


def test_the_dashboard_links_the_timesheet(staff):  # type: ignore[no-untyped-def]
    html = staff.get(reverse("admin:index")).content.decode()

    assert f'href="{MONTH}"' in html
    assert f'href="{WEEK}"' in html


@override_settings(LANGUAGE_CODE="de")
@time_machine.travel(NOW, tick=False)
def test_the_timesheet_in_german(staff, anna):  # type: ignore[no-untyped-def]
    WorkingTimeFactory(user=anna, working_date=dt.date(2026, 4, 7), day_type=1, half_holiday=True)

    response = staff.get(MONTH, {"user": anna.pk, "month": "2026-04"})

    rows = html_table(response)
    assert rows[0][:6] == ["Datum", "Tag", "Beginn", "Ende", "Arbeit", "Pausen"]
    assert day_line(rows, "07.04.2026")["Abwesenheiten"] == "Urlaub (halber Tag)"
    assert response.context["title"] == "Stundenzettel von Anna Schmidt, 04/2026"
    assert rows[-1][0] == "Monat"


def test_an_admins_person_picker_is_the_searchable_autocomplete(client, db):  # type: ignore[no-untyped-def]
    root = AdminFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    html = client.get(MONTH, {"month": "2026-03"}).content.decode()
    assert 'class="admin-autocomplete' in html
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    found = client.get(
        "/admin/autocomplete/",
        {"term": "roo", "app_label": "presences", "model_name": "presence", "field_name": "user"},
    ).json()
    assert [r["text"] for r in found["results"]] == [str(root)]
