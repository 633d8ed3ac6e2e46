"""The admin shows ArbZG findings per user and month (read-only, with a CSV)."""

import csv
import io
from datetime import date, time
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PresenceFactory, UserFactory


@pytest.fixture
def staff_client(db, client):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def page(member) -> str:  # type: ignore[no-untyped-def]
    return reverse("admin:compliance_userfindings_change", args=[member.pk])


def test_findings_page_lists_the_months_findings(staff_client, member):
    PresenceFactory(user=member, date=date(2026, 3, 1), from_time=time(6), to_time=time(17))
    PresenceFactory(user=member, date=date(2026, 4, 1), from_time=time(6), to_time=time(17))

    response = staff_client.get(page(member), {"month": "2026-03"})

    assert response.status_code == HTTPStatus.OK
    rules = [row.finding.rule for row in response.context["rows"]]
    assert rules == [
        "ARBZG_3_DAILY_MAX",
        "ARBZG_4_BREAK",
        "ARBZG_4_STRETCH",
        "ARBZG_9_SUNDAY",
        "ARBZG_16_OVER_8H",
    ]
    assert {row.date for row in response.context["rows"]} == {date(2026, 3, 1)}
    body = response.content.decode()
    assert "11 h worked; at most 10 h allowed" in body
    assert "?month=2026-02" in body
    assert "?month=2026-04" in body


def test_findings_page_csv_and_default_month(staff_client, member):
    PresenceFactory(user=member, date=date(2026, 3, 2), from_time=time(6), to_time=time(17))
    with time_machine.travel("2026-03-20T12:00:00+01:00", tick=False):
        default = staff_client.get(page(member))
        bad = staff_client.get(page(member), {"month": "2026-13"})
        exported = staff_client.get(page(member), {"month": "2026-03", "format": "csv"})
    assert default.context["month"] == bad.context["month"] == "2026-03"
    assert "is not a month" in bad.content.decode()
    lines = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [line["rule"] for line in lines] == [
        "ARBZG_3_DAILY_MAX",
        "ARBZG_4_BREAK",
        "ARBZG_4_STRETCH",
        "ARBZG_16_OVER_8H",
    ]


def test_findings_admin_is_read_only(staff_client, member):
    listing = staff_client.get(reverse("admin:compliance_userfindings_changelist"))
    assert listing.status_code == HTTPStatus.OK
    assert member.username in listing.content.decode()
    assert staff_client.get(reverse("admin:compliance_userfindings_add")).status_code == 403
    assert staff_client.post(page(member), {"username": "x"}).status_code == HTTPStatus.OK
    member.refresh_from_db()
    assert member.username == "bob"


def test_findings_page_needs_staff(client, member):
    client.force_login(member)
    response = client.get(page(member))
    assert response.status_code == HTTPStatus.FOUND  # to the admin login
