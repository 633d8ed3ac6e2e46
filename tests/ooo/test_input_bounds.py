"""Odd input that once reached the database as 500s: NUL in messages, huge ids, instants
outside the supported years."""

from http import HTTPStatus

import pytest

from ooo.models import OutOfOffice
from tests.factories import OutOfOfficeFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 5001  # int() refuses more than 4,300 digits


# As JSON escapes: a NUL, and a lone surrogate (valid JSON text, not a character).
@pytest.mark.parametrize("escaped", ["a\\u0000b", "\\ud800"])
def test_a_message_postgresql_cannot_hold_is_refused(huddle, member, escaped):
    body = '{"isActive": true, "message": "' + escaped + '"}'

    response = huddle(member).post("/presence/create", body, content_type="application/json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errorCode"] == "MessageInvalid"
    assert not OutOfOffice.objects.exists()


@pytest.mark.parametrize(
    "date", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "3000-01-01T00:00:00Z"]
)
def test_instants_outside_the_supported_years_are_date_invalid(huddle, member, date):
    response = huddle(member).post(
        "/presence/create", {"isActive": True, "startDate": date}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errorCode"] == "DateInvalid"
    assert not OutOfOffice.objects.exists()


def test_a_far_offset_is_stored_in_utc(huddle, member):
    response = huddle(member).post(
        "/presence/create",
        {"isActive": True, "startDate": "2026-05-04T09:00:00+20:00"},
        format="json",
    )

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["startDate"] == "2026-05-03T13:00:00+00:00"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/presence/{HUGE}"),
        ("get", f"/presence/{HUGE}/audits"),
        ("get", "/presence/{me}/" + HUGE),
        ("delete", "/presence/{me}/" + HUGE),
        ("get", f"/users/{HUGE}"),
        ("get", f"/teams/{HUGE}"),
        ("get", f"/workspaces/{HUGE}"),
    ],
)
def test_ids_too_long_for_any_row_are_answered_not_crashed(huddle, member, method, path):
    OutOfOfficeFactory(user=member)

    response = getattr(huddle(member), method)(path.format(me=member.pk))

    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND)
    assert response.json()["errorCode"].endswith(("NotFound", "NotProvided"))
    assert OutOfOffice.objects.count() == 1
