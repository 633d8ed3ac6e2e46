"""Presence list pages render rows exactly as OooPresenceSerializer renders the settings.

A page of `presenceEntities` is read as tuples and rendered by `render_presence_rows`
(ooo.serializers.output); single settings keep the serializer. Both are run over the same
rows from the database, as data and as the JSON bytes the dialect sends, for settings with
and without dates, sub-second and far-off instants, non-ASCII and JSON-hostile messages,
several users, and requests on other hosts; rows as the user list reads them (literal SQL)
and as the range queries do (the ORM), both with the instants formatted by PostgreSQL.
"""

from datetime import UTC, datetime, timedelta, timezone
from http import HTTPStatus

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts.models import User
from ooo.models import OutOfOffice
from ooo.selectors import out_of_office_rows_in_range, out_of_office_rows_of_user
from ooo.serializers import OooPresenceSerializer, render_presence_rows
from tests.factories import OutOfOfficeFactory, UserFactory
from tests.rendering import assert_renders_alike


@pytest.fixture
def settings_rows(db):  # type: ignore[no-untyped-def]
    ada = UserFactory(username="ada", timezone="Asia/Kathmandu")
    zoe = UserFactory(username="zoë", timezone="America/St_Johns")
    OutOfOfficeFactory(user=ada)
    OutOfOfficeFactory(
        user=ada,
        is_active=False,
        start_date=datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC),
        end_date=datetime(2026, 3, 29, 1, 0, 0, 1, tzinfo=UTC),
        message='Urlaub 😀 \u2028\u2029 "quoted" \\ </script>',
    )
    OutOfOfficeFactory(
        user=zoe,
        start_date=datetime(2026, 10, 25, 2, 30, tzinfo=timezone(timedelta(hours=2))),
        end_date=None,
        message="",
    )
    OutOfOfficeFactory(
        user=zoe,
        start_date=None,
        end_date=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
        message="x" * 280,
    )
    OutOfOfficeFactory(
        user=zoe, start_date=datetime(1, 1, 2, tzinfo=UTC), end_date=datetime(1, 1, 3, tzinfo=UTC)
    )


def request_on(host: str) -> Request:
    return Request(APIRequestFactory().get("/presence/1", HTTP_HOST=host))


def presence_rows(source: str) -> list[tuple]:
    """Every setting, newest first, as the user list (literal SQL) or the range queries
    (the ORM) read them."""
    if source == "range":
        return list(out_of_office_rows_in_range(start=None, end=None))
    rows = []
    for user in User.objects.filter(out_of_office__isnull=False).distinct():
        rows += out_of_office_rows_of_user(user=user).window(0, 100)[1]
    order = list(OutOfOffice.objects.newest_first().values_list("id", flat=True))
    return sorted(rows, key=lambda row: order.index(row[0]))


# A port made of the digits the renderer reverses hrefs with: the id goes into the path.
@pytest.mark.parametrize("host", ["testserver", "127.0.0.1:8080808080808080"])
@pytest.mark.parametrize("source", ["user", "range"])
def test_rows_render_as_the_serializer_renders(settings_rows, host, source, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    request = request_on(host)
    settings_list = list(OutOfOffice.objects.newest_first())
    rows = presence_rows(source)
    assert len(rows) == 5

    fast = render_presence_rows(request, rows)
    drf = OooPresenceSerializer(settings_list, many=True, context={"request": request}).data

    assert_renders_alike(fast, drf)


def test_a_list_page_answers_what_the_serializer_renders(huddle, admin, settings_rows) -> None:  # type: ignore[no-untyped-def]
    zoe = OutOfOffice.objects.filter(user__username="zoë").first().user
    response = huddle(admin).get(f"/presence/{zoe.pk}?pageSize=2&page=2")

    assert response.status_code == HTTPStatus.OK
    page = list(OutOfOffice.objects.filter(user=zoe).newest_first()[2:4])
    expected = OooPresenceSerializer(
        page, many=True, context={"request": response.wsgi_request}
    ).data
    body = {"links": response.json()["links"], "presenceEntities": expected}
    assert response.content == JSONRenderer().render(body)


@pytest.mark.parametrize("count", [1, 7])
def test_a_list_page_runs_a_constant_number_of_queries(
    huddle, admin, member, count, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        OutOfOfficeFactory(user=member)
    own, other = huddle(member), huddle(admin)
    own.get(f"/presence/{member.pk}")  # warm-up: the key's last-used time
    other.get(f"/presence/{member.pk}")

    with django_assert_num_queries(3):  # key, count, page: the caller is the key's user
        response = own.get(f"/presence/{member.pk}?pageSize=5")
    assert len(response.json()["presenceEntities"]) == min(count, 5)
    with django_assert_num_queries(4):  # key, user, count, page
        response = other.get(f"/presence/{member.pk}?pageSize=5")
    assert len(response.json()["presenceEntities"]) == min(count, 5)
