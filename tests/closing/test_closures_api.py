"""/api/timebridge/v1/closures: close, list, read, reopen; admins write, members read own."""

import datetime as dt
from http import HTTPStatus

import pytest

from closing.models import ClosedPeriod, Closure
from presences.services import create_presence
from tests.closing.conftest import CLOSURES_URL
from tests.factories import PresenceFactory, TeamFactory, UserFactory

BODY = {"from": "2026-03-01", "to": "2026-03-31", "reason": "March payroll"}


@pytest.fixture
def tb(api_client):  # type: ignore[no-untyped-def]
    return lambda user: api_client(user, "timebridge")


def test_admin_closes_a_period_for_users_and_gets_201_with_the_closure(
    tb, admin, member, other_member
):
    response = tb(admin).post(
        CLOSURES_URL, {**BODY, "users": [member.pk, other_member.pk]}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    closure = Closure.objects.get()
    body = response.json()
    assert body == {
        "id": closure.pk,
        "from": "2026-03-01",
        "to": "2026-03-31",
        "status": "closed",
        "reason": "March payroll",
        "scope": "users",
        "team": None,
        "users": sorted([member.pk, other_member.pk]),
        "created_by": admin.pk,
        "created_at": body["created_at"],
        "reopened_at": None,
        "reopened_by": None,
        "reopen_reason": "",
    }
    assert ClosedPeriod.objects.filter(closure=closure).count() == 2


def test_team_and_all_resolve_their_users_when_closing(tb, admin, member, other_member):
    team = TeamFactory(members=[member])
    by_team = tb(admin).post(CLOSURES_URL, {**BODY, "team": team.pk}, format="json").json()
    everyone = tb(admin).post(CLOSURES_URL, {**BODY, "all": True}, format="json").json()
    assert (by_team["scope"], by_team["team"], by_team["users"]) == ("team", team.pk, [member.pk])
    assert everyone["users"] == sorted([admin.pk, member.pk, other_member.pk])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "users": [1]} | {"reason": ""}, "reason"),
        ({k: v for k, v in BODY.items() if k != "reason"} | {"all": True}, "reason"),
        ({**BODY}, "users"),
        ({**BODY, "users": [1], "all": True}, "users"),
        ({**BODY, "users": []}, "users"),
        ({**BODY, "users": [999999]}, "users"),
        ({**BODY, "users": ["x"]}, "users.0"),
        ({**BODY, "team": 999999}, "team"),
        ({**BODY, "from": "2026-13-01", "all": True}, "from"),
        ({**BODY, "to": "2026-02-01", "all": True}, "to"),
    ],
)
def test_bad_closure_is_a_400_problem_naming_the_field(tb, admin, body, field):
    response = tb(admin).post(CLOSURES_URL, body, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["field"] == field
    assert not Closure.objects.exists()


def test_member_may_not_close_or_reopen(tb, admin, member, close):
    response = tb(member).post(CLOSURES_URL, {**BODY, "users": [member.pk]}, format="json")
    assert response.status_code == HTTPStatus.FORBIDDEN
    closure = close(member)
    response = tb(member).delete(f"{CLOSURES_URL}/{closure.pk}", {"reason": "x"}, format="json")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Closure.objects.get().reopened_at is None


def test_members_see_only_closures_covering_them(tb, member, other_member, close):
    mine = close(member)
    theirs = close(other_member)
    listed = tb(member).get(CLOSURES_URL).json()
    assert [c["id"] for c in listed["results"]] == [mine.pk]
    assert tb(member).get(f"{CLOSURES_URL}/{theirs.pk}").status_code == HTTPStatus.NOT_FOUND
    assert tb(member).get(f"{CLOSURES_URL}?user={other_member.pk}").status_code == 404


def test_a_member_sees_only_themselves_among_the_users_a_closure_covers(
    tb, admin, member, other_member, close
):
    shared = close(member, other_member)
    listed = tb(member).get(CLOSURES_URL).json()["results"]
    one = tb(member).get(f"{CLOSURES_URL}/{shared.pk}").json()
    assert [c["users"] for c in listed] == [[member.pk]]
    assert one["users"] == [member.pk]
    assert tb(admin).get(f"{CLOSURES_URL}/{shared.pk}").json()["users"] == sorted(
        [member.pk, other_member.pk]
    )


@pytest.mark.parametrize("value", ["2026-W10-1", "20260301T0", "0999-01-01", "2026-3-1", "²"])
def test_closure_date_filters_take_only_plain_dates(tb, admin, value):
    response = tb(admin).get(CLOSURES_URL, {"from": value})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"].startswith("application/problem+json")


def test_list_filters_by_user_and_dates_and_pages(tb, admin, member, other_member, close):
    march = close(member)
    april = close(member, other_member, first=dt.date(2026, 4, 1), last=dt.date(2026, 4, 30))
    client = tb(admin)

    def ids(query: str) -> list[int]:
        return [c["id"] for c in client.get(f"{CLOSURES_URL}{query}").json()["results"]]

    assert ids("") == [april.pk, march.pk]
    assert ids(f"?user={other_member.pk}") == [april.pk]
    assert ids("?from=2026-04-15") == [april.pk]
    assert ids("?to=2026-03-31") == [march.pk]
    page = client.get(f"{CLOSURES_URL}?page_size=1").json()
    assert (page["count"], len(page["results"])) == (2, 1)
    assert page["next"].endswith("page=2&page_size=1") or "page=2" in page["next"]


@pytest.mark.parametrize(
    "query",
    [
        "?from=2026-3-1",
        "?to=2026-02-30",
        "?user=abc",
        "?user=0",
        "?user=99999999999999999999999",
        "?user=%D9%A3",
        "?page=0",
    ],
)
def test_bad_list_query_is_a_400_problem(tb, admin, query):
    response = tb(admin).get(f"{CLOSURES_URL}{query}")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "application/problem+json"


def test_list_runs_a_constant_number_of_queries(
    tb, admin, member, close, django_assert_max_num_queries
):
    for day in range(1, 6):
        close(member, UserFactory(), first=dt.date(2026, 5, day), last=dt.date(2026, 5, day))
    client = tb(admin)
    client.get(CLOSURES_URL)  # warm up (API key lookup)
    with django_assert_max_num_queries(8):
        response = client.get(CLOSURES_URL)
    assert len(response.json()["results"]) == 5


@pytest.mark.parametrize("form", ["body", "query"])
def test_delete_with_a_reason_reopens_and_keeps_the_closure(tb, admin, member, close, form):
    closure = close(member)
    PresenceFactory(user=member, date=dt.date(2026, 3, 5))
    url = f"{CLOSURES_URL}/{closure.pk}"
    if form == "body":
        response = tb(admin).delete(url, {"reason": "correction"}, format="json")
    else:
        response = tb(admin).delete(f"{url}?reason=correction")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert (body["status"], body["reopen_reason"], body["reopened_by"]) == (
        "reopened",
        "correction",
        admin.pk,
    )
    # The reopened period accepts writes again.
    create_presence(user=member, date=dt.date(2026, 3, 5), from_time=dt.time(13))
    # Closure and reopening both stay in the user's history chain.
    history = ClosedPeriod.history.filter(user_id=member.pk).order_by("history_id")
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[1].history_change_reason == "Reopened: correction"


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [({}, HTTPStatus.BAD_REQUEST), ({"reason": "  "}, HTTPStatus.BAD_REQUEST)],
)
def test_reopen_needs_a_reason(tb, admin, member, close, kwargs, status):
    closure = close(member)
    response = tb(admin).delete(f"{CLOSURES_URL}/{closure.pk}", kwargs, format="json")
    assert response.status_code == status
    assert response.json()["field"] == "reason"
    assert Closure.objects.get().reopened_at is None


def test_reopening_twice_or_an_unknown_closure_is_refused(tb, admin, member, close):
    closure = close(member)
    url = f"{CLOSURES_URL}/{closure.pk}"
    assert tb(admin).delete(url, {"reason": "a"}, format="json").status_code == 200
    assert tb(admin).delete(url, {"reason": "b"}, format="json").status_code == 400
    missing = tb(admin).delete(f"{CLOSURES_URL}/999999", {"reason": "b"}, format="json")
    assert missing.status_code == HTTPStatus.NOT_FOUND


def test_unauthenticated_is_401_problem(api_client):
    response = api_client(None, "timebridge").get(CLOSURES_URL)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {**BODY, "users": [2**70]},
        {**BODY, "team": 2**70},
        {**BODY, "all": True, "reason": "nul\u0000byte"},
        {**BODY, "all": True, "from": 20260301},
        {**BODY, "all": "maybe"},
    ],
)
def test_malformed_closure_bodies_are_400_never_5xx(tb, admin, body):
    response = tb(admin).post(CLOSURES_URL, body, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Closure.objects.exists()


def test_reopen_reason_with_a_nul_byte_is_400(tb, admin, member, close):
    closure = close(member)
    response = tb(admin).delete(f"{CLOSURES_URL}/{closure.pk}?reason=a%00b")
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_paging_links_never_repeat_an_api_key(admin, member, other_member, close, client):
    from tests.factories import raw_api_key

    close(member)
    close(other_member)
    key = raw_api_key(admin)
    body = client.get(CLOSURES_URL, {"page_size": 1, "apiKey": key}).json()
    assert body["next"] is not None
    assert "apiKey" not in body["next"]
    assert key not in str(body)
