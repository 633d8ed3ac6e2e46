"""days.csv and days.xlsx: the same rows as the JSON, parsed back and compared."""

import csv
import io
from datetime import date, time
from decimal import Decimal
from http import HTTPStatus

import pytest
from openpyxl import load_workbook

from tests.factories import (
    OutOfOfficeFactory,
    PresenceFactory,
    TimeEntryFactory,
    UserFactory,
    WorkingTimeFactory,
)
from tests.ledger.conftest import DAYS
from tests.ledger.test_days_rows import at

RANGE = {"from": "2026-03-01", "to": "2026-03-07"}
HEADER = [
    "user_id",
    "username",
    "name",
    "date",
    "work_minutes",
    "work_hours",
    "break_minutes",
    "first_start",
    "last_end",
    "absences",
    "flags",
    "violations",
]


@pytest.fixture
def month(admin, member, other_member):  # type: ignore[no-untyped-def]
    PresenceFactory(user=member, date=date(2026, 3, 2), from_time=time(8), to_time=time(12))
    TimeEntryFactory(user=member, starts_at=at(13), ends_at=at(17, 20))
    WorkingTimeFactory(user=member, working_date=date(2026, 3, 3), day_type=1)
    OutOfOfficeFactory(user=other_member, start_date=at(0), end_date=at(23))
    PresenceFactory(user=other_member, date=date(2026, 3, 2), from_time=time(9), to_time=time(10))
    return [admin, member, other_member]


def expected_lines(json_rows) -> list[list[str]]:  # type: ignore[no-untyped-def]
    lines = []
    for row in json_rows:
        absences = "; ".join(
            f"{a['kind']} ({a['source']}{', half day' if a['half_day'] else ''})"
            for a in row["absences"]
        )
        lines.append(
            [
                str(row["user"]["id"]),
                row["user"]["username"],
                row["user"]["name"],
                row["date"],
                str(row["work_minutes"]),
                f"{Decimal(row['work_minutes']) / 60:.2f}",
                str(row["break_minutes"]),
                row["first_start"] or "",
                row["last_end"] or "",
                absences,
                "; ".join(f["code"] for f in row["flags"]),
                "; ".join(
                    f"{v['rule']} ({v['severity']}): {v['detail']}" for v in row["violations"]
                ),
            ]
        )
    return lines


def json_rows(days, user, **params):  # type: ignore[no-untyped-def]
    return days(user, page_size=1000, **RANGE, **params).json()["results"]


@pytest.mark.django_db
@pytest.mark.parametrize("include_empty", ["false", "true"])
def test_csv_has_one_line_per_row_of_the_json(days, api_client, admin, month, include_empty):
    response = api_client(admin, "timebridge").get(
        f"{DAYS}.csv", {**RANGE, "include_empty": include_empty}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="timebridge-days-2026-03-01-2026-03-07.csv"'
    )
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0] == HEADER
    assert lines[1:] == expected_lines(json_rows(days, admin, include_empty=include_empty))
    assert len(lines) > 3


@pytest.mark.django_db
def test_xlsx_has_the_same_cells(days, api_client, admin, month):
    response = api_client(admin, "timebridge").get(f"{DAYS}.xlsx", RANGE)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="timebridge-days-2026-03-01-2026-03-07.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == HEADER
    expected = [
        [int(line[0]), *line[1:4], int(line[4]), float(line[5]), int(line[6]), *line[7:]]
        for line in expected_lines(json_rows(days, admin))
    ]
    assert cells[1:] == expected


@pytest.mark.django_db
def test_formulas_in_names_are_exported_as_text(api_client, admin):
    user = UserFactory(username="=cmd", first_name="=HYPERLINK(1)", last_name="")
    PresenceFactory(user=user, date=date(2026, 3, 2))

    response = api_client(admin, "timebridge").get(f"{DAYS}.csv", {**RANGE, "user": user.pk})

    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[1][1:3] == ["'=cmd", "'=HYPERLINK(1)"]


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exports_follow_the_same_permissions_and_validation(
    api_client, member, other_member, month, extension
):
    client = api_client(member, "timebridge")
    url = f"{DAYS}.{extension}"

    own = client.get(url, RANGE)
    assert own.status_code == HTTPStatus.OK
    assert client.get(url, {**RANGE, "user": other_member.pk}).status_code == 404
    bad = client.get(url, {"from": "2026-03-01"})
    assert (bad.status_code, bad["Content-Type"]) == (400, "application/problem+json")
    unauthenticated = api_client(None).get(url, RANGE)
    assert unauthenticated.status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.django_db
def test_member_csv_holds_only_their_rows(api_client, member, month):
    response = api_client(member, "timebridge").get(f"{DAYS}.csv", RANGE)

    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {line[0] for line in lines[1:]} == {str(member.pk)}
    assert [line[3] for line in lines[1:]] == ["2026-03-02", "2026-03-03"]
