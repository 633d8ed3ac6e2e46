"""Who sees which days, the query's limits, paging and its query count, the problem format."""

from datetime import date, time, timedelta
from http import HTTPStatus

import pytest

from accounts.models import ApiKey
from tests.factories import PresenceFactory, TeamFactory, UserFactory
from tests.ledger.conftest import DAYS

RANGE = {"from": "2026-05-04", "to": "2026-05-10"}


def users_and_dates(response) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [(row["user"]["id"], row["date"]) for row in response.json()["results"]]


@pytest.fixture
def recorded(admin, member, other_member):  # type: ignore[no-untyped-def]
    for user in (admin, member, other_member):
        PresenceFactory(user=user, date=date(2026, 5, 4))
        PresenceFactory(user=user, date=date(2026, 5, 6))


def assert_problem(response, status: int, field: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:timebridge:problem:")
    assert body["title"]
    assert body["detail"]
    if field is not None:
        assert body["field"] == field
    return body


@pytest.mark.django_db
def test_member_sees_only_their_own_days(days, member, recorded):
    response = days(member, **RANGE)

    assert users_and_dates(response) == [(member.pk, "2026-05-04"), (member.pk, "2026-05-06")]


@pytest.mark.django_db
def test_member_asking_for_another_user_gets_404_without_leaking(days, member, other_member):
    assert_problem(days(member, user=other_member.pk, **RANGE), HTTPStatus.NOT_FOUND, "user")
    assert_problem(days(member, user=999999, **RANGE), HTTPStatus.NOT_FOUND, "user")
    assert days(member, user=member.pk, **RANGE).status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_admin_sees_everyone_ordered_by_user_then_date(days, admin, member, other_member, recorded):
    response = days(admin, **RANGE)

    expected = [
        (user.pk, day)
        for user in sorted((admin, member, other_member), key=lambda u: u.pk)
        for day in ("2026-05-04", "2026-05-06")
    ]
    assert users_and_dates(response) == expected


@pytest.mark.django_db
def test_admin_filters_by_user_and_team(days, admin, member, other_member, recorded):
    team = TeamFactory(members=[other_member])

    assert {u for u, _ in users_and_dates(days(admin, user=member.pk, **RANGE))} == {member.pk}
    assert {u for u, _ in users_and_dates(days(admin, team=team.pk, **RANGE))} == {other_member.pk}
    assert_problem(days(admin, user=999999, **RANGE), HTTPStatus.NOT_FOUND, "user")
    assert_problem(days(admin, team=999999, **RANGE), HTTPStatus.NOT_FOUND, "team")


@pytest.mark.django_db
def test_member_may_filter_by_own_team_only(days, member, other_member, recorded):
    mine = TeamFactory(members=[member, other_member])
    theirs = TeamFactory(members=[other_member])

    assert users_and_dates(days(member, team=mine.pk, **RANGE)) == [
        (member.pk, "2026-05-04"),
        (member.pk, "2026-05-06"),
    ]
    assert_problem(days(member, team=theirs.pk, **RANGE), HTTPStatus.NOT_FOUND, "team")


@pytest.mark.django_db
def test_impersonating_admin_sees_what_the_member_sees(days, api_client, admin, member, recorded):
    client = api_client(admin, "timebridge", HTTP_X_IMPERSONATE_USER_ID=str(member.pk))
    assert {u for u, _ in users_and_dates(client.get(DAYS, RANGE))} == {member.pk}


@pytest.mark.django_db
def test_member_may_not_impersonate(api_client, member, other_member):
    client = api_client(member, "timebridge", HTTP_X_IMPERSONATE_USER_ID=str(other_member.pk))
    assert_problem(client.get(DAYS, RANGE), HTTPStatus.FORBIDDEN)


@pytest.mark.django_db
@pytest.mark.parametrize("dialect", ["timebridge", "moco", "huddle", "mctime", "prosonata"])
def test_every_api_key_form_authenticates(api_client, member, dialect):
    assert api_client(member, dialect).get(DAYS, RANGE).status_code == HTTPStatus.OK


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_AUTHORIZATION": "Bearer nope"}, {"HTTP_AUTHORIZATION": "Basic x"}],
)
def test_missing_or_wrong_key_is_a_401_problem(api_client, headers):
    assert_problem(api_client(None, **headers).get(DAYS, RANGE), HTTPStatus.UNAUTHORIZED)


@pytest.mark.django_db
def test_revoked_key_is_a_401_problem(api_client, member):
    client = api_client(member, "timebridge")
    ApiKey.objects.filter(user=member).update(revoked_at="2026-01-01T00:00:00Z")
    assert_problem(client.get(DAYS, RANGE), HTTPStatus.UNAUTHORIZED)


@pytest.mark.django_db
def test_rate_limit_is_a_429_problem_with_retry_after(api_client, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "timebridge": "2/60"}
    client = api_client(member, "timebridge")
    assert client.get(DAYS, RANGE).status_code == HTTPStatus.OK
    assert client.get(DAYS, RANGE)["RateLimit-Remaining"] == "0"
    response = client.get(DAYS, RANGE)
    assert_problem(response, HTTPStatus.TOO_MANY_REQUESTS)
    assert int(response["Retry-After"]) >= 1


@pytest.mark.django_db
def test_json_whatever_accept_says_and_405_is_a_problem(api_client, member):
    client = api_client(member, "timebridge")
    response = client.get(DAYS, RANGE, HTTP_ACCEPT="text/html")
    assert (response.status_code, response["Content-Type"]) == (HTTPStatus.OK, "application/json")
    assert_problem(client.post(DAYS, {}), HTTPStatus.METHOD_NOT_ALLOWED)
    assert_problem(client.get("/api/timebridge/v1/nothing-here"), HTTPStatus.NOT_FOUND)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "2026-05-04"}, "from"),
        ({"from": "2026-05-04"}, "to"),
        ({"from": "2026-05-04", "to": "2026-05-03"}, "to"),
        ({"from": "2026-02-30", "to": "2026-03-01"}, "from"),
        ({"from": "4.5.2026", "to": "2026-05-05"}, "from"),
        ({"from": "2026-05-04", "to": "\uff12\uff10\uff12\uff16-05-05"}, "to"),
        ({"from": "2025-01-01", "to": "2026-01-03"}, "to"),  # 367 days apart
        ({"from": "0001-01-01", "to": "0001-01-02"}, "from"),
        ({"from": "9999-12-30", "to": "9999-12-31"}, "from"),
        ({"from": "2999-12-31", "to": "3000-01-01"}, "to"),
        ({**RANGE, "user": "me"}, "user"),
        ({**RANGE, "user": "-1"}, "user"),
        ({**RANGE, "team": "1e3"}, "team"),
        ({**RANGE, "include_empty": "yes"}, "include_empty"),
        ({**RANGE, "page": "0"}, "page"),
        ({**RANGE, "page_size": "1001"}, "page_size"),
        ({**RANGE, "page_size": "x"}, "page_size"),
        ({**RANGE, "user": "9" * 40}, "user"),
    ],
)
def test_bad_query_is_a_400_naming_the_field(days, admin, params, field):
    assert_problem(days(admin, **params), HTTPStatus.BAD_REQUEST, field)


@pytest.mark.django_db
@pytest.mark.parametrize(("last", "days_apart"), [("2026-01-02", 366), ("2025-01-01", 0)])
def test_range_of_up_to_366_days_apart_is_accepted(days, member, last, days_apart):
    response = days(member, **{"from": "2025-01-01", "to": last, "include_empty": "true"})
    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == days_apart + 1


@pytest.mark.django_db
def test_include_empty_gives_every_date_for_every_selected_user(days, admin, member):
    team = TeamFactory(members=[admin, member])
    PresenceFactory(user=member, date=date(2026, 5, 5))

    body = days(admin, team=team.pk, include_empty="true", **RANGE).json()

    assert body["count"] == 14
    users = sorted((admin.pk, member.pk))
    assert users_and_dates_from(body) == [
        (u, (date(2026, 5, 4) + timedelta(days=n)).isoformat()) for u in users for n in range(7)
    ]
    worked = [r for r in body["results"] if r["work_minutes"]]
    assert [(r["user"]["id"], r["date"]) for r in worked] == [(member.pk, "2026-05-05")]


def users_and_dates_from(body) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [(row["user"]["id"], row["date"]) for row in body["results"]]


@pytest.mark.django_db
@pytest.mark.parametrize("include_empty", ["false", "true"])
def test_paging_walks_every_row_once_with_links(days, api_client, admin, include_empty):
    users = UserFactory.create_batch(3)
    for user in users:
        for day in (4, 5, 7):
            PresenceFactory(user=user, date=date(2026, 5, day))
    client = api_client(admin, "timebridge")
    expected = days(admin, page_size=1000, include_empty=include_empty, **RANGE).json()

    seen, url, pages = [], None, 0
    first = client.get(DAYS, {**RANGE, "page_size": 4, "include_empty": include_empty})
    body = first.json()
    assert body["previous"] is None
    while True:
        pages += 1
        seen.extend(body["results"])
        if body["next"] is None:
            break
        url = body["next"]
        response = client.get(url)
        body = response.json()
        assert body["previous"] is not None
    assert seen == expected["results"]
    assert body["count"] == expected["count"] == len(seen)
    assert pages == -(-len(seen) // 4)


@pytest.mark.django_db
def test_page_past_the_end_is_empty(days, member, recorded):
    body = days(member, page=5, **RANGE).json()
    assert (body["count"], body["results"], body["next"]) == (2, [], None)


@pytest.mark.django_db
@pytest.mark.parametrize("include_empty", ["false", "true"])
def test_a_page_runs_the_same_queries_whatever_its_size(days, admin, include_empty):
    from tests.factories import (
        OutOfOfficeFactory,
        TimeEntryBreakFactory,
        TimeEntryFactory,
        WorkingTimeFactory,
    )
    from tests.ledger.test_days_rows import at

    users = UserFactory.create_batch(6)
    for user in users:
        for day in range(4, 9):
            d = date(2026, 5, day)
            PresenceFactory(user=user, date=d, from_time=time(8), to_time=time(12))
            entry = TimeEntryFactory(user=user, starts_at=at(9, day=d), ends_at=at(17, day=d))
            TimeEntryBreakFactory(entry=entry, starts_at=at(12, day=d), ends_at=at(13, day=d))
            WorkingTimeFactory(user=user, working_date=d)
        OutOfOfficeFactory(user=user, start_date=at(0, day=date(2026, 5, 9)))
    counts = []
    for size in (2, 10, 1000):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = days(admin, page_size=size, include_empty=include_empty, **RANGE)
        assert response.status_code == HTTPStatus.OK
        assert len(response.json()["results"]) == min(size, 49 if include_empty == "true" else 42)
        counts.append(len(captured))
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 20


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["user", "team"])
def test_huge_ids_are_not_found_never_a_500(days, admin, name):
    assert_problem(days(admin, **{name: "9" * 18}, **RANGE), HTTPStatus.NOT_FOUND, name)
