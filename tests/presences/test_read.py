"""GET /users/presences and /users/presences/{id}: visibility, filters, sorting, paging."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
import time_machine

from tests.factories import PresenceFactory, raw_api_key
from tests.presences.conftest import LIST_URL, detail_url

DAY = dt.date(2026, 5, 4)


def ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [item["id"] for item in response.json()]


@pytest.fixture
def presences(admin, member, other_member):  # type: ignore[no-untyped-def]
    """One presence of each persona."""
    return {
        "admin": PresenceFactory(user=admin),
        "member": PresenceFactory(user=member),
        "other_member": PresenceFactory(user=other_member),
    }


@pytest.mark.parametrize(
    ("caller", "owner", "status"),
    [
        ("admin", "admin", HTTPStatus.OK),
        ("admin", "member", HTTPStatus.OK),
        ("member", "member", HTTPStatus.OK),
        ("member", "other_member", HTTPStatus.NOT_FOUND),
        ("member", "admin", HTTPStatus.NOT_FOUND),
        ("other_member", "member", HTTPStatus.NOT_FOUND),
    ],
)
def test_get_one_presence_by_role(request, moco, presences, caller, owner, status):
    presence = presences[owner]

    response = moco(request.getfixturevalue(caller)).get(detail_url(presence.pk))

    assert response.status_code == status
    if status == HTTPStatus.OK:
        assert response.json()["id"] == presence.pk
    else:
        assert response.json() == {"message": f"Presence {presence.pk} not found."}


def test_get_unknown_presence_is_404(moco, admin):
    response = moco(admin).get(detail_url(987654))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"message": "Presence 987654 not found."}


@time_machine.travel(dt.datetime(2026, 5, 4, 16, 0, tzinfo=dt.UTC), tick=False)
def test_get_one_renders_the_moco_shape(moco, member):
    presence = PresenceFactory(user=member, to_time=None, is_home_office=True)

    response = moco(member).get(detail_url(presence.pk))

    assert response.json() == {
        "id": presence.pk,
        "date": "2026-05-04",
        "from": "08:00",
        "to": None,
        "is_home_office": True,
        "user": {"id": member.pk, "firstname": "Bob", "lastname": "Member"},
        "created_at": "2026-05-04T16:00:00Z",
        "updated_at": "2026-05-04T16:00:00Z",
    }


@pytest.mark.parametrize(
    ("caller", "visible"),
    [
        ("admin", ["admin", "member", "other_member"]),
        ("member", ["member"]),
        ("other_member", ["other_member"]),
    ],
)
def test_list_shows_own_presences_to_members_and_all_to_admins(
    request, moco, presences, caller, visible
):
    response = moco(request.getfixturevalue(caller)).get(LIST_URL)

    assert response.status_code == HTTPStatus.OK
    assert ids(response) == sorted(presences[name].pk for name in visible)


def test_list_of_impersonated_member_shows_only_that_members_presences(
    moco, admin, member, presences
):
    client = moco(admin, HTTP_X_IMPERSONATE_USER_ID=str(member.pk))

    assert ids(client.get(LIST_URL)) == [presences["member"].pk]


def test_list_default_order_is_date_from_id(moco, member):
    late = PresenceFactory(user=member, date=DAY, from_time=dt.time(13), to_time=dt.time(14))
    early = PresenceFactory(user=member, date=DAY, from_time=dt.time(8), to_time=dt.time(9))
    before = PresenceFactory(user=member, date=DAY - dt.timedelta(days=1))

    assert ids(moco(member).get(LIST_URL)) == [before.pk, early.pk, late.pk]


def test_list_filters_by_inclusive_date_range(moco, member):
    days = [PresenceFactory(user=member, date=DAY + dt.timedelta(days=n)) for n in range(5)]

    response = moco(member).get(LIST_URL, {"from": "2026-05-05", "to": "2026-05-07"})

    assert ids(response) == [p.pk for p in days[1:4]]


def test_list_filters_by_user_home_office_and_ids(moco, admin, member, other_member):
    home = PresenceFactory(user=member, is_home_office=True)
    office = PresenceFactory(user=member, date=DAY + dt.timedelta(days=1))
    other = PresenceFactory(user=other_member, is_home_office=True)
    client = moco(admin)

    assert ids(client.get(LIST_URL, {"user_id": member.pk})) == [home.pk, office.pk]
    assert ids(client.get(LIST_URL, {"is_home_office": "true"})) == [home.pk, other.pk]
    assert ids(client.get(LIST_URL, {"is_home_office": "false"})) == [office.pk]
    assert ids(client.get(LIST_URL, {"ids": f"{office.pk},{other.pk}"})) == [other.pk, office.pk]
    assert ids(client.get(LIST_URL, {"user_id": member.pk, "is_home_office": "true"})) == [home.pk]


def test_member_filtering_by_another_user_gets_an_empty_list(moco, member, other_member):
    PresenceFactory(user=other_member)

    response = moco(member).get(LIST_URL, {"user_id": other_member.pk})

    assert response.status_code == HTTPStatus.OK
    assert response.json() == []


def test_list_filters_by_updated_after(moco, member):
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC), tick=False):
        PresenceFactory(user=member, date=DAY)
    with time_machine.travel(dt.datetime(2026, 5, 3, 12, tzinfo=dt.UTC), tick=False):
        recent = PresenceFactory(user=member, date=DAY + dt.timedelta(days=1))

    response = moco(member).get(LIST_URL, {"updated_after": "2026-05-02T00:00:00Z"})

    assert ids(response) == [recent.pk]


@pytest.mark.parametrize(
    ("sort_by", "expected"),
    [
        ("date desc", ["d2_a", "d1_a", "d1_b"]),
        ("date", ["d1_a", "d1_b", "d2_a"]),
        ("from asc", ["d2_a", "d1_a", "d1_b"]),
        ("from desc", ["d1_b", "d1_a", "d2_a"]),
        ("id DESC", ["d2_a", "d1_a", "d1_b"]),
    ],
)
def test_list_sort_by(moco, member, sort_by, expected):
    made = {
        "d1_b": PresenceFactory(user=member, date=DAY, from_time=dt.time(13), to_time=None),
        "d1_a": PresenceFactory(user=member, date=DAY, from_time=dt.time(9), to_time=dt.time(10)),
        "d2_a": PresenceFactory(
            user=member, date=DAY + dt.timedelta(days=1), from_time=dt.time(7), to_time=None
        ),
    }

    response = moco(member).get(LIST_URL, {"sort_by": sort_by})

    assert ids(response) == [made[name].pk for name in expected]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-05-01"}, "to"),
        ({"to": "2026-05-31"}, "from"),
        ({"from": "2026-05-31", "to": "2026-05-01"}, "to"),
        ({"from": "2018-02-30", "to": "2018-03-01"}, "from"),
        ({"user_id": "bob"}, "user_id"),
        ({"is_home_office": "perhaps"}, "is_home_office"),
        ({"ids": "1,two"}, "ids"),
        ({"updated_after": "yesterday"}, "updated_after"),
        ({"sort_by": "colour asc"}, "sort_by"),
        ({"sort_by": "date sideways"}, "sort_by"),
        ({"sort_by": "date asc please"}, "sort_by"),
        ({"page": "0"}, "page"),
        ({"per_page": "1001"}, "per_page"),
    ],
)
def test_bad_list_parameters_are_422_naming_the_parameter(moco, member, params, field):
    response = moco(member).get(LIST_URL, params)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["message"].startswith(f"{field}")


def parse_link(header: str) -> dict[str, str]:
    """rel → URL, parsed the way moco-wrapper does (split on commas)."""
    links = {}
    for part in header.split(","):
        url, rel = part.split("; rel=")
        links[rel.strip().strip('"')] = url.strip()[1:-1]
    return links


def test_paging_through_more_than_one_page_with_headers(moco, member):
    made = [PresenceFactory(user=member, date=DAY + dt.timedelta(days=n)) for n in range(5)]
    client = moco(member)
    base = "http://testserver/api/v1/users/presences"

    first = client.get(LIST_URL, {"per_page": 2, "from": "2026-05-01", "to": "2026-05-31"})
    assert ids(first) == [p.pk for p in made[:2]]
    assert (first["X-Page"], first["X-Per-Page"], first["X-Total"]) == ("1", "2", "5")

    def url(page: int | None = None) -> str:
        paging = f"page={page}&" if page else ""
        return f"{base}?from=2026-05-01&{paging}per_page=2&to=2026-05-31"

    # Rails api-pagination: no "first"/"prev" on the first page.
    assert parse_link(first["Link"]) == {"next": url(2), "last": url(3)}

    second = client.get(parse_link(first["Link"])["next"])
    assert ids(second) == [p.pk for p in made[2:4]]
    assert second["X-Page"] == "2"
    assert set(parse_link(second["Link"])) == {"next", "prev", "first", "last"}

    last = client.get(parse_link(second["Link"])["next"])
    assert ids(last) == [made[4].pk]
    assert (last["X-Page"], last["X-Per-Page"], last["X-Total"]) == ("3", "2", "5")
    # No "next" (moco-py stops) and no "last" (moco-wrapper's is_last) on the last page.
    assert parse_link(last["Link"]) == {"prev": url(2), "first": url()}


def test_page_past_the_end_is_empty(moco, member):
    PresenceFactory(user=member)

    response = moco(member).get(LIST_URL, {"page": 5})

    assert response.status_code == HTTPStatus.OK
    assert response.json() == []
    assert response["X-Total"] == "1"


def test_link_urls_contain_no_commas(moco, member):
    made = [PresenceFactory(user=member, date=DAY + dt.timedelta(days=n)) for n in range(3)]

    response = moco(member).get(LIST_URL, {"ids": ",".join(str(p.pk) for p in made), "per_page": 1})

    assert set(parse_link(response["Link"])) == {"next", "last"}
    assert not re.search(r"<[^>]*,[^>]*>", response["Link"])


@pytest.mark.parametrize(("presence_count", "per_page"), [(2, 1), (30, 25)])
def test_list_runs_a_constant_number_of_queries(
    admin, moco, django_assert_num_queries, presence_count, per_page
):
    for n in range(presence_count):
        PresenceFactory(date=DAY + dt.timedelta(days=n))  # each of a new user
    client = moco(admin)
    client.get(LIST_URL)  # first use of the key writes last_used_at; measure afterwards

    # api key (+ user), COUNT, page with users joined — whatever the page size.
    with django_assert_num_queries(3):
        response = client.get(LIST_URL, {"per_page": per_page})

    assert len(response.json()) == per_page


def test_list_key_header_forms(member, client):
    PresenceFactory(user=member)
    key = raw_api_key(member)

    for header in (f"Token token={key}", f'Token token="{key}"', f"Bearer {key}"):
        response = client.get(LIST_URL, HTTP_AUTHORIZATION=header)
        assert response.status_code == HTTPStatus.OK, header
