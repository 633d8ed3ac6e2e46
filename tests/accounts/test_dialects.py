"""The four wire dialects: error bodies and statuses, success envelopes, paging, Content-Type.

The foundation's own endpoints only reach some cases (they are all GET; there is no ProSonata
endpoint and no Huddle list yet), so this module also mounts small probe views — real DRF
views built on the real dialect mixins, not mocks — that raise each kind of error a service
or DRF can raise, read a request body, answer 204, and page a list. The app test suites
cover their own endpoints' paging; this proves the shared plumbing once for every dialect.
"""

import re
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from accounts.models import User
from config import urls as project_urls
from config.api.dialects import EnvelopeResponse, HuddleView, McTimeView, MocoView, ProSonataView
from config.api.errors import Conflict, Forbidden, InvalidInput, Locked, NotFound
from config.routing import api_path
from tests.factories import OrganizationFactory, TeamFactory, UserFactory

# Each probe kind -> the exception its view raises.
RAISERS = {
    "invalid": lambda: InvalidInput(
        "date: must be a date.", field="date", code="DateInvalid", data={"id": 7}
    ),
    "conflict": lambda: Conflict("Overlaps presence 5.", code="PresenceOverlap"),
    "forbidden": lambda: Forbidden("Not your team.", code="TeamMembershipRequired"),
    "not_found": lambda: NotFound("Presence 5 not found.", code="PresenceNotFound"),
    "locked": lambda: Locked("Touch conflicts with a closed presence."),
    "drf_validation": lambda: serializers.ValidationError({"from": ["This field is required."]}),
    "django_validation": lambda: DjangoValidationError({"to": ["Must be after from."]}),
    "http404": lambda: Http404("gone"),
    "integrity": lambda: IntegrityError("duplicate key value violates unique constraint"),
    "bug": lambda: RuntimeError("boom"),
}


class ProbeBase(APIView):
    """GET raises RAISERS[kind]; POST echoes the parsed body; DELETE answers 204."""

    def get(self, request: Request, kind: str) -> Response:
        if kind == "ok":
            return Response({"hello": request.user.username})
        if kind == "created":
            return EnvelopeResponse(
                {"id": 5}, status=HTTPStatus.CREATED, meta={"insertID": 5}, message="Trimmed"
            )
        raise RAISERS[kind]()

    def post(self, request: Request, kind: str) -> Response:
        return Response({"echo": request.data})

    def delete(self, request: Request, kind: str) -> Response:
        return Response(status=HTTPStatus.NO_CONTENT)


class MocoProbe(MocoView, ProbeBase):
    pass


class HuddleProbe(HuddleView, ProbeBase):
    pass


class McTimeProbe(McTimeView, ProbeBase):
    pass


class ProSonataProbe(ProSonataView, ProbeBase):
    pass


def users_page(view: APIView, request: Request):  # type: ignore[no-untyped-def]
    page = view.pagination.paginate(User.objects.order_by("id"), request)  # type: ignore[attr-defined]
    return page, [user.pk for user in page.items]


class HuddleListProbe(HuddleView, APIView):
    def get(self, request: Request) -> Response:
        page, ids = users_page(self, request)
        return Response({"links": self.pagination.links(page, request), "ids": ids})


class ProSonataListProbe(ProSonataView, APIView):
    def get(self, request: Request) -> Response:
        return self.page_response(
            request, User.objects.order_by("id"), lambda users: [u.pk for u in users]
        )


def crash_outside_any_api_view(request):  # type: ignore[no-untyped-def]
    """A plain Django view: its exception never meets a dialect's exception handler."""
    raise RuntimeError("boom")


PROBES = {
    "moco": MocoProbe,
    "huddle": HuddleProbe,
    "mctime": McTimeProbe,
    "prosonata": ProSonataProbe,
}

# Used as the URLconf of the probe tests (here and in test_rate_limit.py): the project's
# routes plus the probes, so that `reverse()` of the real routes still works.
urlpatterns = [
    *(
        api_path(rf"_probe/{name}/(?P<kind>\w+)", view.as_view(), name=f"probe-{name}")
        for name, view in PROBES.items()
    ),
    api_path(r"_probe/huddle-list", HuddleListProbe.as_view(), name="probe-huddle-list"),
    api_path(r"_probe/prosonata-list", ProSonataListProbe.as_view(), name="probe-prosonata-list"),
    api_path(r"_probe/crash", crash_outside_any_api_view),
    api_path(r"api/v1/_probe/crash", crash_outside_any_api_view),
    api_path(r"api/v2/auth/_probe/crash", crash_outside_any_api_view),
    *project_urls.urlpatterns,
]
# To be set in config/urls.py as well (see the report): JSON instead of Django's HTML pages.
handler404 = "config.api.handlers.not_found"
handler500 = "config.api.handlers.server_error"
PROBE_URLCONF = __name__
probe_urls = pytest.mark.urls(PROBE_URLCONF)


def error_body(dialect: str, status: int, message: str, code: str, data=None):  # type: ignore[no-untyped-def]
    """The whole error body `dialect` answers with."""
    if dialect == "moco":
        return {"message": message}
    if dialect == "huddle":
        return {"statusCode": status, "errorCode": code, "errorMessages": [message]}
    if dialect == "mctime":
        return {"items": [{"message": message, "data": data}], "valid": False}
    return {"meta": {"status": status, "message": message}, "data": []}


# kind -> (neutral status, Huddle errorCode, message, McTime data)
NEUTRAL = {
    "invalid": (400, "DateInvalid", "date: must be a date.", {"id": 7}),
    "conflict": (400, "PresenceOverlap", "Overlaps presence 5.", None),
    "forbidden": (403, "TeamMembershipRequired", "Not your team.", None),
    "not_found": (404, "PresenceNotFound", "Presence 5 not found.", None),
    "locked": (423, "Locked", "Touch conflicts with a closed presence.", None),
    "drf_validation": (400, "ValidationFailed", "from: This field is required.", None),
    "django_validation": (400, "ValidationFailed", "to: Must be after from.", None),
    "http404": (404, "NotFound", "Not found.", None),
    "integrity": (
        409,
        "Conflict",
        "The request conflicts with existing data; nothing was changed.",
        None,
    ),
    "bug": (500, "InternalServerError", "Internal server error.", None),
}
# MOCO answers every validation failure and conflict with 422.
MOCO_STATUS = {400: 422, 409: 422}


@probe_urls
@pytest.mark.parametrize("dialect", list(PROBES))
@pytest.mark.parametrize("kind", list(NEUTRAL))
def test_every_error_is_rendered_in_the_dialects_own_format(api_client, member, dialect, kind):
    status, code, message, data = NEUTRAL[kind]
    if dialect == "moco":
        status = MOCO_STATUS.get(status, status)

    response = api_client(member, dialect).get(f"/_probe/{dialect}/{kind}")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    expected_status_in_body = NEUTRAL[kind][0]  # Huddle/ProSonata bodies repeat the status
    assert response.json() == error_body(dialect, expected_status_in_body, message, code, data)


@probe_urls
@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("moco", {"hello": "bob"}),
        ("huddle", {"hello": "bob"}),
        ("mctime", {"items": [{"message": "Success", "data": {"hello": "bob"}}], "valid": True}),
        (
            "prosonata",
            {
                "meta": {
                    "status": 200,
                    "requestUserID": None,  # filled in below: the member's id
                    "requestUsername": "bob",
                    "usergroupName": "Mitarbeiter",
                    "apiLimitRemaining": 499,
                    "apiLimitReset": 900,
                },
                "data": {"hello": "bob"},
            },
        ),
    ],
)
def test_success_bodies_are_wrapped_in_the_dialects_envelope(
    api_client, member, dialect, expected, time_machine
):
    # At the start of a rate-limit window, so apiLimitReset is the whole window.
    time_machine.move_to("2025-03-10T09:00:00+00:00", tick=False)
    if dialect == "prosonata":
        expected = {**expected, "meta": {**expected["meta"], "requestUserID": member.pk}}

    response = api_client(member, dialect).get(f"/_probe/{dialect}/ok")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == expected


@probe_urls
@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("moco", {"id": 5}),
        ("huddle", {"id": 5}),
        # McTime's item message says what happened to the entry (201: overwritten/trimmed).
        ("mctime", {"items": [{"message": "Trimmed", "data": {"id": 5}}], "valid": True}),
        # ProSonata's POST reports the new record's id in meta.insertID.
        (
            "prosonata",
            {
                "meta": {
                    "status": 201,
                    "insertID": 5,
                    "requestUserID": None,  # the member's id, filled in below
                    "requestUsername": "bob",
                    "usergroupName": "Mitarbeiter",
                    "apiLimitRemaining": 499,
                    "apiLimitReset": 900,
                },
                "data": {"id": 5},
            },
        ),
    ],
)
def test_envelope_response_extras_reach_the_envelope(
    api_client, member, dialect, expected, time_machine
):
    time_machine.move_to("2025-03-10T09:00:00+00:00", tick=False)
    if dialect == "prosonata":
        expected = {**expected, "meta": {**expected["meta"], "requestUserID": member.pk}}

    response = api_client(member, dialect).get(f"/_probe/{dialect}/created")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json() == expected


@probe_urls
def test_prosonata_names_an_admin_administrator(api_client, admin):
    response = api_client(admin, "prosonata").get("/_probe/prosonata/ok")

    meta = response.json()["meta"]
    assert (meta["requestUserID"], meta["usergroupName"]) == (admin.pk, "Administrator")


# ProSonata has no endpoint in the foundation (its users list would collide with MOCO's
# /api/v1/users); its 401 envelope is proven on the probe, in both of its key forms.
@probe_urls
@pytest.mark.parametrize(
    ("query", "headers", "message"),
    [
        ("?apiKey=wrong.key", {}, "Invalid, revoked or unknown API key."),
        ("", {"HTTP_X_API_KEY": "wrong.key"}, "Invalid, revoked or unknown API key."),
        ("", {}, "Authentication credentials were not provided."),
    ],
)
def test_prosonata_401_uses_its_error_envelope(api_client, query, headers, message):
    response = api_client(None, "prosonata", **headers).get(f"/_probe/prosonata/ok{query}")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"meta": {"status": 401, "message": message}, "data": []}


@probe_urls
@pytest.mark.parametrize(
    ("dialect", "status", "code"),
    [
        ("moco", 422, None),
        ("huddle", 400, "BadRequest"),
        ("mctime", 400, None),
        ("prosonata", 400, None),
    ],
)
def test_malformed_json_is_answered_in_dialect_and_never_500(
    api_client, member, dialect, status, code
):
    response = api_client(member, dialect).post(
        f"/_probe/{dialect}/ok", data='{"from": ', content_type="application/json"
    )

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    message = error_message(dialect, body)
    assert message.startswith("Malformed request body: JSON parse error")
    assert body == error_body(dialect, 400, message, code)


@probe_urls
@pytest.mark.parametrize(
    ("dialect", "code"),
    [("moco", None), ("huddle", "UnsupportedMediaType"), ("mctime", None), ("prosonata", None)],
)
def test_a_body_of_an_unsupported_media_type_is_415_in_dialect(api_client, member, dialect, code):
    response = api_client(member, dialect).post(
        f"/_probe/{dialect}/ok", data="from=9", content_type="text/csv"
    )

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert response.json() == error_body(
        dialect, 415, 'Unsupported media type "text/csv" in request.', code
    )


@probe_urls
@pytest.mark.parametrize("dialect", list(PROBES))
def test_a_valid_json_body_reaches_the_view(api_client, member, dialect):
    response = api_client(member, dialect).post(
        f"/_probe/{dialect}/ok", data={"from": "09:00"}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert unwrap(dialect, response.json()) == {"echo": {"from": "09:00"}}


@probe_urls
@pytest.mark.parametrize("dialect", list(PROBES))
def test_a_204_still_carries_a_content_type(api_client, member, dialect):
    response = api_client(member, dialect).delete(f"/_probe/{dialect}/ok")

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.content == b""
    assert response["Content-Type"] == "application/json"


def unwrap(dialect: str, body: dict) -> object:
    """The payload inside a success body's envelope."""
    if dialect == "mctime":
        assert body["valid"] is True
        return body["items"][0]["data"]
    if dialect == "prosonata":
        return body["data"]
    return body


def error_message(dialect: str, body: dict) -> str:
    if dialect == "moco":
        return body["message"]
    if dialect == "huddle":
        return body["errorMessages"][0]
    if dialect == "mctime":
        return body["items"][0]["message"]
    return body["meta"]["message"]


# Foundation endpoints of each dialect, for what they can show on their own.
ENDPOINTS = {
    "moco": "/api/v1/users",
    "huddle": "/users/{id}",
    "mctime": "/api/v2/auth/users",
}


@pytest.mark.parametrize(
    ("dialect", "code"), [("moco", None), ("huddle", "MethodNotAllowed"), ("mctime", None)]
)
def test_a_non_json_post_to_a_read_only_endpoint_is_405_in_dialect(
    api_client, member, dialect, code
):
    path = ENDPOINTS[dialect].format(id=member.pk)

    response = api_client(member, dialect).post(path, data="<xml/>", content_type="text/xml")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Content-Type"] == "application/json"
    assert response.json() == error_body(dialect, 405, 'Method "POST" not allowed.', code)


@pytest.mark.parametrize(
    ("dialect", "status", "code", "message"),
    [
        ("moco", 403, None, "Only administrators may use X-IMPERSONATE-USER-ID."),
        ("huddle", 403, "TeamMembershipRequired", "You are not a member of this team."),
    ],
)
def test_foundation_403s_are_in_dialect(api_client, member, dialect, status, code, message):
    if dialect == "moco":  # a member may not impersonate
        client = api_client(member, dialect, HTTP_X_IMPERSONATE_USER_ID=str(member.pk))
        path = "/api/v1/users"
    else:  # a member of another team
        client = api_client(member, dialect)
        path = f"/teams/{TeamFactory(members=[]).pk}"

    response = client.get(path)

    assert response.status_code == status
    assert response.json() == error_body(dialect, status, message, code)


# --- MOCO paging -------------------------------------------------------------------------

LINK = re.compile(r'<(?P<url>[^<>]*)>; rel="(?P<rel>[a-z]+)"')


def parse_link_header(header: str) -> dict[str, str]:
    """rel -> URL; the header must consist of nothing but well-formed entries."""
    entries = LINK.findall(header)
    assert ", ".join(f'<{url}>; rel="{rel}"' for url, rel in entries) == header
    return {rel: url for url, rel in entries}


def page_of(url: str) -> int:
    return int(parse_qs(urlsplit(url).query).get("page", ["1"])[0])


@pytest.fixture
def five_users(admin):  # type: ignore[no-untyped-def]
    """The admin plus four members: five users, ids ascending."""
    return [admin, *UserFactory.create_batch(4)]


@pytest.mark.parametrize(
    ("query", "x_page", "x_per_page", "indexes", "rels"),
    [
        # Rails api-pagination: first/prev only after page 1, next/last only before the last.
        ("", 1, 100, [0, 1, 2, 3, 4], {}),
        ("?per_page=2", 1, 2, [0, 1], {"next": 2, "last": 3}),
        ("?per_page=2&page=2", 2, 2, [2, 3], {"next": 3, "prev": 1, "first": 1, "last": 3}),
        ("?per_page=2&page=3", 3, 2, [4], {"prev": 2, "first": 1}),
        # Past the end: an empty page whose prev leads back to the last page.
        ("?per_page=2&page=4", 4, 2, [], {"prev": 3, "first": 1}),
        ("?per_page=2&page=99", 99, 2, [], {"prev": 3, "first": 1}),
        ("?per_page=5", 1, 5, [0, 1, 2, 3, 4], {}),
        ("?per_page=4&page=2", 2, 4, [4], {"prev": 1, "first": 1}),
        ("?per_page=1000", 1, 1000, [0, 1, 2, 3, 4], {}),
        ("?page=&per_page=", 1, 100, [0, 1, 2, 3, 4], {}),
    ],
)
def test_moco_paging_headers_and_link(
    api_client, admin, five_users, query, x_page, x_per_page, indexes, rels
):
    client = api_client(admin, "moco")

    response = client.get(f"/api/v1/users{query}")

    assert response.status_code == HTTPStatus.OK
    assert [user["id"] for user in response.json()] == [five_users[i].pk for i in indexes]
    assert (response["X-Page"], response["X-Per-Page"], response["X-Total"]) == (
        str(x_page),
        str(x_per_page),
        "5",
    )
    links = parse_link_header(response.get("Link", ""))
    assert {rel: page_of(url) for rel, url in links.items()} == rels
    for url in links.values():
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", "/api/v1/users")
        # Each link keeps the page size, so following it yields the page it names.
        followed = client.get(url)
        assert followed["X-Page"] == str(page_of(url))
        assert followed["X-Per-Page"] == str(x_per_page)


def test_moco_link_urls_contain_no_raw_commas(api_client, admin, five_users):
    client = api_client(admin, "moco")

    response = client.get("/api/v1/users?per_page=2&page=2&ids=1,2,3&sort_by=id,asc")

    links = parse_link_header(response["Link"])
    assert set(links) == {"first", "prev", "next", "last"}
    for url in links.values():
        assert "," not in url
        assert parse_qs(urlsplit(url).query)["ids"] == ["1,2,3"]
    # A client that splits the header on commas still gets exactly four entries.
    assert len(response["Link"].split(",")) == 4


def test_moco_empty_page_still_links_back(api_client, member):
    # Every caller sees at least themself, so the users list is never empty; an empty page
    # is a page past the end of a one-item list (a page count of 1, as for an empty list).
    response = api_client(member, "moco").get("/api/v1/users?page=2")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == []
    assert (response["X-Page"], response["X-Total"]) == ("2", "1")
    links = parse_link_header(response["Link"])
    assert {rel: page_of(url) for rel, url in links.items()} == {"prev": 1, "first": 1}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("per_page=0", "per_page must be between 1 and 1000."),
        ("per_page=1001", "per_page must be between 1 and 1000."),
        ("per_page=-5", "per_page must be between 1 and 1000."),
        ("per_page=ten", "per_page must be a whole number."),
        ("per_page=2.5", "per_page must be a whole number."),
        ("page=0", "page must be between 1 and 1000000000."),
        ("page=x", "page must be a whole number."),
        ("page=99999999999999999999", "page must be between 1 and 1000000000."),
    ],
)
def test_moco_invalid_paging_is_422(api_client, admin, query, message):
    response = api_client(admin, "moco").get(f"/api/v1/users?{query}")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json() == {"message": message}


def test_moco_list_runs_the_same_number_of_queries_for_any_page_size(api_client, admin):
    UserFactory.create_batch(6)
    counts = []
    for per_page in (2, 7):
        client = api_client(admin, "moco")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/users?per_page={per_page}")
        assert len(response.json()) == per_page
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Huddle, McTime and ProSonata paging ---------------------------------------------------


@probe_urls
@pytest.mark.parametrize(
    ("query", "indexes", "rels"),
    [
        ("", [0, 1, 2, 3, 4], {"first": 1}),
        ("?pageSize=2", [0, 1], {"first": 1, "next": 2}),
        ("?pageSize=2&page=2", [2, 3], {"first": 1, "previous": 1, "next": 3}),
        ("?pageSize=2&page=3", [4], {"first": 1, "previous": 2}),
        ("?pageSize=2&page=7", [], {"first": 1, "previous": 3}),
        ("?pageSize=500", [0, 1, 2, 3, 4], {"first": 1}),
    ],
)
def test_huddle_paging_links(api_client, admin, five_users, query, indexes, rels):
    # The ooo app tests paging on its own lists; this proves HuddlePagination itself.
    client = api_client(admin, "huddle")

    response = client.get(f"/_probe/huddle-list{query}")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["ids"] == [five_users[i].pk for i in indexes]
    assert [link["rel"] for link in body["links"]] == list(rels)
    assert {link["rel"]: page_of(link["href"]) for link in body["links"]} == rels
    for link in body["links"]:
        assert link["href"].startswith("http://testserver/_probe/huddle-list?")
        assert client.get(link["href"]).status_code == HTTPStatus.OK


@probe_urls
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("pageSize=0", "pageSize must be between 1 and 500."),
        ("pageSize=501", "pageSize must be between 1 and 500."),
        ("page=zero", "page must be a whole number."),
    ],
)
def test_huddle_invalid_paging_is_400(api_client, admin, query, message):
    response = api_client(admin, "huddle").get(f"/_probe/huddle-list?{query}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error_body("huddle", 400, message, "ValidationFailed")


@probe_urls
@pytest.mark.parametrize(
    ("query", "indexes", "page", "per_page"),
    [
        ("", [0, 1, 2, 3, 4], 1, 100),
        ("?perPage=2", [0, 1], 1, 2),
        ("?perPage=2&page=3", [4], 3, 2),
        ("?perPage=2&page=4", [], 4, 2),
        ("?perPage=1000", [0, 1, 2, 3, 4], 1, 1000),
    ],
)
def test_prosonata_paging_meta(api_client, admin, five_users, query, indexes, page, per_page):
    # The workingtimes app tests its own list; this proves ProSonataPagination itself.
    response = api_client(admin, "prosonata").get(f"/_probe/prosonata-list{query}")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["data"] == [five_users[i].pk for i in indexes]
    assert (body["meta"]["page"], body["meta"]["perPage"], body["meta"]["totalCount"]) == (
        page,
        per_page,
        5,
    )


@probe_urls
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("perPage=1001", "perPage must be between 1 and 1000."),
        ("perPage=0", "perPage must be between 1 and 1000."),
        ("page=-1", "page must be between 1 and 1000000000."),
    ],
)
def test_prosonata_invalid_paging_is_400(api_client, admin, query, message):
    response = api_client(admin, "prosonata").get(f"/_probe/prosonata-list?{query}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"meta": {"status": 400, "message": message}, "data": []}


@pytest.mark.parametrize(
    ("page", "count"), [("", 20), ("?page=1", 20), ("?page=2", 1), ("?page=3", 0)]
)
def test_mctime_pages_hold_twenty_items(api_client, member, page, count):
    organizations = sorted(OrganizationFactory.create_batch(21), key=lambda o: o.name)
    start = 20 if page == "?page=2" else 0

    response = api_client(member, "mctime").get(f"/api/v2/auth/organizations{page}")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "items": [
            {
                "message": "Success",
                "data": [
                    {"id": str(o.id), "name": o.name} for o in organizations[start : start + count]
                ],
            }
        ],
        "valid": True,
    }


@pytest.mark.parametrize(
    ("page", "message"),
    [("0", "page must be between 1 and 1000000000."), ("one", "page must be a whole number.")],
)
def test_mctime_invalid_page_is_400_envelope(api_client, member, page, message):
    response = api_client(member, "mctime").get(f"/api/v2/auth/organizations?page={page}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"items": [{"message": message, "data": None}], "valid": False}


# --- Requests that never reach an API view ------------------------------------------------


@probe_urls
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/nope", {"message": "No such endpoint: /api/v1/nope"}),
        (
            "/api/v1/workingtimes/1/2/3",
            {
                "meta": {"status": 404, "message": "No such endpoint: /api/v1/workingtimes/1/2/3"},
                "data": [],
            },
        ),
        (
            "/api/v2/auth/nope",
            {
                "items": [{"message": "No such endpoint: /api/v2/auth/nope", "data": None}],
                "valid": False,
            },
        ),
        ("/nope", error_body("huddle", 404, "No such endpoint: /nope", "NotFound")),
        ("/users/abc", error_body("huddle", 404, "No such endpoint: /users/abc", "NotFound")),
    ],
)
def test_an_unknown_path_is_404_in_the_dialect_of_its_base_url(api_client, member, path, body):
    response = api_client(member, "moco").get(path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
    assert response.json() == body


@probe_urls
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/_probe/crash", {"message": "Internal server error."}),
        (
            "/api/v2/auth/_probe/crash",
            {"items": [{"message": "Internal server error.", "data": None}], "valid": False},
        ),
        (
            "/_probe/crash",
            error_body("huddle", 500, "Internal server error.", "InternalServerError"),
        ),
    ],
)
def test_an_error_outside_any_api_view_is_a_json_500(path, body):
    client = APIClient(raise_request_exception=False)

    response = client.get(path)

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"] == "application/json"
    assert response.json() == body


@pytest.mark.parametrize("page", ["٣", "1_0", " 2", "2.0", "1e3", "+1", "--1"])
def test_paging_numbers_are_plain_ascii_digits(api_client, admin, page):
    response = api_client(admin, "moco").get("/api/v1/users", {"page": page})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json() == {"message": "page must be a whole number."}
