"""What the OpenAPI schema at /api/schema/ promises about authentication, envelopes, errors
and descriptions (the fuzz tests then hold the server to it)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest

from config.api.handlers import dialect_for_path

SCHEMES = {"tokenAuth", "bearerAuth", "apiKeyHeader", "xApiKeyHeader", "apiKeyQuery"}
# Timebridge's own API documents one form (Bearer); every other key form works there too.
TIMEBRIDGE_SCHEMES = {"timebridgeBearerAuth"}
# Where X-IMPERSONATE-USER-ID works: MOCO's header, which Timebridge's own API accepts too.
IMPERSONATING = {"moco", "timebridge"}
ERROR_KEYS = {
    "moco": {"message"},
    "huddle": {"statusCode", "errorCode", "errorMessages"},
    "mctime": {"items", "valid"},
    "prosonata": {"meta", "data"},
    "timebridge": {"type", "title", "status", "detail"},
}
ERROR_MEDIA_TYPES = {"timebridge": "application/problem+json"}


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == HTTPStatus.OK
    return response.json()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if not path.startswith("/api/schema")
    ]


def test_any_one_key_form_authenticates(schema):
    assert set(schema["components"]["securitySchemes"]) == SCHEMES | TIMEBRIDGE_SCHEMES
    for path, method, operation in operations(schema):
        own = dialect_for_path(path).name == "timebridge"
        # One requirement per scheme: any ONE of them suffices (OpenAPI "OR").
        names = TIMEBRIDGE_SCHEMES if own else SCHEMES
        expected = sorted(({name: []} for name in names), key=str)
        assert sorted(operation["security"], key=str) == expected, (path, method)


def test_impersonation_header_is_declared_exactly_where_it_works(schema):
    for path, method, operation in operations(schema):
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        works = dialect_for_path(path).name in IMPERSONATING
        assert ("X-IMPERSONATE-USER-ID" in headers) == works, (path, method)


def test_mctime_successes_are_described_inside_the_envelope(schema):
    seen = 0
    for path, method, operation in operations(schema):
        if dialect_for_path(path).name != "mctime":
            continue
        for code, response in operation["responses"].items():
            if not code.startswith("2") or "content" not in response:
                continue
            body = resolve(schema, response["content"]["application/json"]["schema"])
            assert body["required"] == ["items", "valid"], (path, method, code)
            item = resolve(schema, body["properties"]["items"]["items"])
            if operation["operationId"] == "mctime_clock_list":
                # GET /clock: the envelope's items are the clocks themselves (and refused
                # users), as the wire sends them - not wrapped in {message, data}.
                kinds = [resolve(schema, one) for one in item["oneOf"]]
                assert [set(k["properties"]) >= {"userId"} for k in kinds] == [True, True]
                assert all("data" not in k["properties"] for k in kinds)
            else:
                assert set(item["properties"]) == {"message", "data"}, (path, method, code)
            seen += 1
    assert seen >= 7


def resolve(schema: dict, node: dict) -> dict:
    """`node`, or the component its `$ref` names."""
    ref = node.get("$ref")
    if ref is None:
        return node
    name = ref.removeprefix("#/components/schemas/")
    return schema["components"]["schemas"][name]


@pytest.mark.parametrize(
    ("method", "statuses"),
    [
        ("get", {401, 403, 404, 429}),
        ("post", {401, 403, 404, 413, 415, 429}),
        ("put", {401, 403, 404, 413, 415, 429}),
        ("delete", {401, 403, 404, 429}),
    ],
)
def test_every_error_status_is_documented_with_the_dialect_body(schema, method, statuses):
    for path, op_method, operation in operations(schema):
        if op_method != method:
            continue
        dialect = dialect_for_path(path).name
        bad_input = 422 if dialect == "moco" else 400
        for status in statuses | {bad_input}:
            response = operation["responses"].get(str(status))
            assert response is not None, (path, method, status)
            media_type = ERROR_MEDIA_TYPES.get(dialect, "application/json")
            body = response["content"][media_type]["schema"]
            assert set(body["properties"]) == ERROR_KEYS[dialect], (path, method, status)
        assert "500" not in operation["responses"]


def test_no_internal_docstring_becomes_a_description(schema):
    for path, method, operation in operations(schema):
        description = operation.get("description", "")
        assert "Mixin" not in description, (path, method)
        assert "DRF" not in description, (path, method)
