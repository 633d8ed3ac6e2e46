"""The back office offers the same exports as the API, with the same visibility."""

import csv
import io
from datetime import date, time
from http import HTTPStatus

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import PresenceFactory, UserFactory

URL = reverse("admin:ledger_ledgerday_changelist")
QUERY = {"date_from": "2026-05-01", "date_to": "2026-05-31"}


@pytest.fixture
def records(member, other_member):  # type: ignore[no-untyped-def]
    PresenceFactory(user=member, date=date(2026, 5, 4), from_time=time(8), to_time=time(12))
    PresenceFactory(user=other_member, date=date(2026, 5, 5))


def lines(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.django_db
def test_admin_page_shows_the_export_form(client, admin):
    admin.is_staff = True
    admin.save()
    client.force_login(admin)

    response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    assert b"Export CSV" in response.content
    assert b"Export XLSX" in response.content


@pytest.mark.django_db
def test_admin_csv_equals_the_api_csv(client, api_client, admin, member, other_member, records):
    admin.is_staff = True
    admin.save()
    client.force_login(admin)

    response = client.get(URL, {**QUERY, "format": "csv"})
    api = api_client(admin, "timebridge").get(
        "/api/timebridge/v1/days.csv", {"from": "2026-05-01", "to": "2026-05-31"}
    )

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment;")
    exported = lines(response)
    assert exported == lines(api)
    assert [line[0] for line in exported[1:]] == [str(member.pk), str(other_member.pk)]


@pytest.mark.django_db
def test_admin_xlsx_export(client, admin, records):
    admin.is_staff = True
    admin.save()
    client.force_login(admin)

    response = client.get(URL, {**QUERY, "format": "xlsx", "include_empty": "on"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 1 + 31 * 3  # header + every date of three users


@pytest.mark.django_db
def test_staff_member_exports_only_their_own_days(client, member, records):
    member.is_staff = True
    member.save()
    client.force_login(member)

    response = client.get(URL, {**QUERY, "format": "csv"})

    assert [line[0] for line in lines(response)[1:]] == [str(member.pk)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2025-01-01", "date_to": "2026-05-01"}, b"at most 366 days"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, b"to must not be before from"),
        ({**QUERY, "user": "999999"}, b"User 999999 not found"),
    ],
)
def test_admin_export_refusals_are_form_errors(client, admin, query, message):
    admin.is_staff = True
    admin.save()
    client.force_login(admin)

    response = client.get(URL, {**query, "format": "csv"})

    assert response.status_code == HTTPStatus.OK
    assert message in response.content


@pytest.mark.django_db
def test_non_staff_cannot_open_the_admin_export(client):
    client.force_login(UserFactory())
    assert client.get(URL, {**QUERY, "format": "csv"}).status_code == HTTPStatus.FOUND
