"""API keys in every header form (docs/decisions.md), refusals in each dialect, impersonation."""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiKey
from accounts.services import create_api_key, revoke_api_key
from tests.factories import TeamFactory, UserFactory

# The foundation endpoint each dialect's clients call, for a key of `member`: `{id}` is the
# member's own id. Each answers with something that proves who was authenticated.
PATHS = {
    "moco": "/api/v1/users",
    "huddle": "/users/{id}",
    "mctime": "/api/v2/auth/users",
}


def authenticated_as(dialect: str, response, user) -> bool:  # type: ignore[no-untyped-def]
    """Whether the response is the one `user` (a member with no team) gets."""
    body = response.json()
    if dialect == "moco":
        return [u["id"] for u in body] == [user.pk]
    if dialect == "huddle":
        return body["id"] == user.pk
    return [u["id"] for u in body["items"][0]["data"]] == [str(user.uuid)]


@pytest.mark.parametrize(
    ("dialect", "headers", "query"),
    [
        ("moco", lambda key: {"HTTP_AUTHORIZATION": f"Token token={key}"}, ""),
        ("moco", lambda key: {"HTTP_AUTHORIZATION": f'Token token="{key}"'}, ""),
        ("moco", lambda key: {"HTTP_AUTHORIZATION": f"Bearer {key}"}, ""),
        ("huddle", lambda key: {"HTTP_AUTHORIZATION": f"Bearer {key}"}, ""),
        ("huddle", lambda key: {"HTTP_AUTHORIZATION": f"bearer {key}"}, ""),
        ("huddle", lambda key: {"HTTP_AUTHORIZATION": f"OAuth2 {key}"}, ""),
        ("mctime", lambda key: {"HTTP_API_KEY": key}, ""),
        # ProSonata has no endpoint in the foundation (its users list would collide with
        # MOCO's); authentication is shared by all dialects, so its two forms are proven on
        # MOCO's /api/v1/users (and its error envelope on a probe view, test_dialects.py).
        ("moco", lambda key: {"HTTP_X_API_KEY": key}, ""),
        ("moco", lambda key: {"HTTP_X_API_KEY": key, "HTTP_X_APP_ID": "my-app"}, ""),
        ("moco", lambda key: {}, "?apiKey={key}"),
        ("moco", lambda key: {}, "?apiKey={key}&appID=my-app"),
    ],
)
def test_every_header_form_is_accepted_on_an_endpoint_of_its_dialect(
    api_client, member, dialect, headers, query
):
    UserFactory()  # someone the member may not see
    _, key = create_api_key(user=member)
    path = PATHS[dialect].format(id=member.pk) + query.format(key=key)

    response = api_client(None, dialect, **headers(key)).get(path)

    assert response.status_code == HTTPStatus.OK
    assert authenticated_as(dialect, response, member)


def refusal(dialect: str, message: str) -> dict:
    if dialect == "moco":
        return {"message": message}
    if dialect == "huddle":
        return {"statusCode": 401, "errorCode": "AccessTokenInvalid", "errorMessages": [message]}
    return {"items": [{"message": message, "data": None}], "valid": False}


def send_key(dialect: str, key: str) -> dict[str, str]:
    return {
        "moco": {"HTTP_AUTHORIZATION": f"Token token={key}"},
        "huddle": {"HTTP_AUTHORIZATION": f"Bearer {key}"},
        "mctime": {"HTTP_API_KEY": key},
    }[dialect]


def revoked_key(user) -> str:  # type: ignore[no-untyped-def]
    api_key, key = create_api_key(user=user)
    revoke_api_key(api_key=api_key)
    return key


def key_of_inactive_user(user) -> str:  # type: ignore[no-untyped-def]
    _, key = create_api_key(user=user)
    user.is_active = False
    user.save()
    return key


def right_prefix_wrong_secret(user) -> str:  # type: ignore[no-untyped-def]
    _, key = create_api_key(user=user)
    return key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")


INVALID = "Invalid, revoked or unknown API key."

# case -> (headers for the dialect given the member, message)
CASES = {
    "missing": (lambda d, u: {}, "Authentication credentials were not provided."),
    "unknown key": (lambda d, u: send_key(d, "0123456789ab.unknown"), INVALID),
    "no separator": (lambda d, u: send_key(d, "garbage"), INVALID),
    "right prefix, wrong secret": (lambda d, u: send_key(d, right_prefix_wrong_secret(u)), INVALID),
    "revoked": (lambda d, u: send_key(d, revoked_key(u)), INVALID),
    "inactive user": (lambda d, u: send_key(d, key_of_inactive_user(u)), INVALID),
    "NUL byte": (lambda d, u: send_key(d, "0123\x00.x"), INVALID),
    "unsupported scheme": (
        lambda d, u: {"HTTP_AUTHORIZATION": "Basic Ym9iOnNlY3JldA=="},
        "Unsupported Authorization header.",
    ),
}


@pytest.mark.parametrize("dialect", list(PATHS))
@pytest.mark.parametrize("case", list(CASES))
def test_bad_credentials_are_401_in_the_dialects_format(api_client, member, dialect, case):
    make_headers, message = CASES[case]
    client = api_client(None, dialect, **make_headers(dialect, member))

    response = client.get(PATHS[dialect].format(id=member.pk))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == "application/json"
    assert response.json() == refusal(dialect, message)
    assert response["WWW-Authenticate"] == 'Bearer realm="timebridge"'


@pytest.mark.parametrize("query", ["?apiKey=wrong.key", "?apiKey=%00.x", "?apiKey=0123%00.x"])
def test_a_bad_api_key_query_parameter_is_401_not_500(api_client, query):
    response = api_client(None, "moco").get(f"/api/v1/users{query}")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"message": INVALID}


def test_a_key_works_again_in_no_form_once_revoked(api_client, member):
    api_key, key = create_api_key(user=member)
    client = api_client(None, "huddle", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(f"/users/{member.pk}").status_code == HTTPStatus.OK

    revoke_api_key(api_key=api_key)

    assert client.get(f"/users/{member.pk}").status_code == HTTPStatus.UNAUTHORIZED


def test_the_database_never_holds_a_raw_key(api_client, member):
    api_key, key = create_api_key(user=member, label="laptop")
    # Use it, so that every write authentication makes has happened too.
    api_client(None, "mctime", HTTP_API_KEY=key).get("/api/v2/auth/users")
    api_client(None, "moco").get(f"/api/v1/users?apiKey={key}")

    columns = [field.column for field in ApiKey._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {ApiKey._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()

    assert len(rows) == 1
    assert not [value for value in rows[0] if value is not None and key in str(value)]
    secret = key.partition(".")[2]
    assert not [value for value in rows[0] if value is not None and secret in str(value)]
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def api_key_writes(queries: CaptureQueriesContext) -> list[str]:
    table = ApiKey._meta.db_table
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]


@pytest.mark.parametrize(
    ("seconds_later", "written_again"),
    [(0, False), (1, False), (59, False), (60, True), (61, True), (86400, True)],
)
def test_last_used_at_is_written_at_most_once_a_minute(
    api_client, member, time_machine, seconds_later, written_again
):
    start = datetime(2025, 3, 10, 9, 0, 0, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    api_key, key = create_api_key(user=member)
    client = api_client(None, "moco", HTTP_AUTHORIZATION=f"Token token={key}")

    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/users").status_code == HTTPStatus.OK
    time_machine.move_to(start + timedelta(seconds=seconds_later), tick=False)
    with CaptureQueriesContext(connection) as second:
        assert client.get("/api/v1/users").status_code == HTTPStatus.OK

    assert len(api_key_writes(first)) == 1
    assert len(api_key_writes(second)) == (1 if written_again else 0)
    api_key.refresh_from_db()
    expected = start + timedelta(seconds=seconds_later) if written_again else start
    assert api_key.last_used_at == expected


# --- MOCO impersonation --------------------------------------------------------------------


@pytest.fixture
def team_of_member(member):  # type: ignore[no-untyped-def]
    """The member with one team mate."""
    mate = UserFactory(username="mate")
    TeamFactory(members=[member, mate])
    return mate


@pytest.mark.parametrize(
    ("path", "as_admin", "as_member"),
    [
        ("/api/v1/users", ["admin", "member", "other", "mate"], ["member", "mate"]),
        ("/api/v1/users/{member}", ["member"], ["member"]),
        ("/api/v1/users/{mate}", ["mate"], ["mate"]),
        ("/api/v1/users/{other}", ["other"], None),  # the member may not see charlie: 404
        ("/api/v1/users/{admin}", ["admin"], None),
    ],
)
def test_an_admin_impersonating_a_member_sees_what_the_member_sees(
    api_client, admin, member, other_member, team_of_member, path, as_admin, as_member
):
    people = {"admin": admin, "member": member, "other": other_member, "mate": team_of_member}
    url = path.format(**{name: user.pk for name, user in people.items()})

    def ids(response):  # type: ignore[no-untyped-def]
        body = response.json()
        return [u["id"] for u in body] if isinstance(body, list) else [body["id"]]

    plain = api_client(admin, "moco").get(url)
    impersonating = api_client(admin, "moco", HTTP_X_IMPERSONATE_USER_ID=str(member.pk)).get(url)

    assert plain.status_code == HTTPStatus.OK
    assert sorted(ids(plain)) == sorted(people[name].pk for name in as_admin)
    if as_member is None:
        assert impersonating.status_code == HTTPStatus.NOT_FOUND
    else:
        assert impersonating.status_code == HTTPStatus.OK
        assert sorted(ids(impersonating)) == sorted(people[name].pk for name in as_member)


@pytest.mark.parametrize(
    ("header", "status", "message"),
    [
        ("999999", 404, "User 999999 not found (X-IMPERSONATE-USER-ID)."),
        (
            "99999999999999999999",
            404,
            "User 99999999999999999999 not found (X-IMPERSONATE-USER-ID).",
        ),
        ("abc", 404, "User 'abc' not found (X-IMPERSONATE-USER-ID)."),
        ("-1", 404, "User '-1' not found (X-IMPERSONATE-USER-ID)."),
        ("1.0", 404, "User '1.0' not found (X-IMPERSONATE-USER-ID)."),
        # str.isdigit() accepts both; int() refuses "²" and reads a fullwidth one as 1.
        ("²", 404, "User '²' not found (X-IMPERSONATE-USER-ID)."),
        ("\uff11", 404, "User '\uff11' not found (X-IMPERSONATE-USER-ID)."),
    ],
)
def test_impersonating_an_unknown_user_is_404_in_moco_format(
    api_client, admin, header, status, message
):
    response = api_client(admin, "moco", HTTP_X_IMPERSONATE_USER_ID=header).get("/api/v1/users")

    assert response.status_code == status
    assert response.json() == {"message": message}


def test_impersonating_an_inactive_user_is_404(api_client, admin, member):
    member.is_active = False
    member.save()

    response = api_client(admin, "moco", HTTP_X_IMPERSONATE_USER_ID=str(member.pk)).get(
        "/api/v1/users"
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"message": f"User {member.pk} not found (X-IMPERSONATE-USER-ID)."}


@pytest.mark.parametrize("target", ["self", "other", "unknown"])
def test_a_member_may_not_impersonate_anyone(api_client, member, other_member, target):
    header = {"self": member.pk, "other": other_member.pk, "unknown": 999999}[target]

    response = api_client(member, "moco", HTTP_X_IMPERSONATE_USER_ID=str(header)).get(
        "/api/v1/users"
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {"message": "Only administrators may use X-IMPERSONATE-USER-ID."}


def test_an_empty_impersonation_header_is_ignored(api_client, admin, member):
    response = api_client(admin, "moco", HTTP_X_IMPERSONATE_USER_ID="  ").get("/api/v1/users")

    assert response.status_code == HTTPStatus.OK
    assert [u["id"] for u in response.json()] == [admin.pk, member.pk]


def test_impersonation_is_moco_only(api_client, admin, other_member):
    # X-IMPERSONATE-USER-ID is MOCO's header; other dialects ignore it, so the admin acts as
    # themself (and sees charlie, whom an impersonated member could not see).
    client = api_client(admin, "huddle", HTTP_X_IMPERSONATE_USER_ID="999999")

    response = client.get(f"/users/{other_member.pk}")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["id"] == other_member.pk
