"""Real McTime answers of every operation hold to the generated OpenAPI description.

The serializers that describe an answer also render it; this proves the two agree, so the
published description cannot drift from the wire.
"""

from http import HTTPStatus
from typing import Any
from uuid import uuid4

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Organization
from tests.clock.conftest import CLOCK_URL, TIMES_URL


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable: true` as JSON Schema says it (`null` also allowed)."""
    if isinstance(node, list):
        return [json_schema(value) for value in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") else converted


def check(openapi: dict[str, Any], path: str, method: str, response: Any) -> None:
    """`response` matches what `openapi` documents for `method path` and its status."""
    document = json_schema(openapi)
    documented = document["paths"][path][method]["responses"][str(response.status_code)]
    schema = {
        **documented["content"]["application/json"]["schema"],
        "components": document["components"],
    }
    jsonschema.validate(response.json(), schema)


def instant(day: int, time: str) -> str:
    return f"2026-03-{day:02d}T{time}:00+01:00"


def test_every_mctime_operation_answers_as_documented(openapi, mctime, admin):  # type: ignore[no-untyped-def]
    organization = Organization.objects.create(name="Project ABC")
    client = mctime(admin)
    clock, times = "/api/v2/auth/clock/", "/api/v2/auth/times/"

    def act(action: str, **fields: Any) -> tuple[str, str, Any]:
        return clock, "post", client.post(CLOCK_URL, {"action": action, **fields}, format="json")

    def save(*items: dict[str, Any]) -> tuple[str, str, Any]:
        return times, "post", client.post(TIMES_URL, {"times": list(items)}, format="json")

    start = {"dateTime": instant(2, "08:00"), "organizationId": str(organization.pk)}
    answers = [
        act("start", comment="c", **start),
        act("break", dateTime=instant(2, "10:00")),
        (clock, "get", client.get(CLOCK_URL, {"userIds": f"{admin.uuid},{uuid4()}"})),
        act("update", comment="d"),
        act("stop", dateTime=instant(2, "12:00")),
        act("start", **start),
        act("cancel"),
        save(
            {
                "from": instant(3, "08:00"),
                "to": instant(3, "12:00"),
                "breaks": [{"from": instant(3, "10:00"), "to": instant(3, "10:15")}],
                "organization": {"name": "Project ABC"},
            },
            {"from": instant(4, "08:00"), "to": instant(4, "12:00")},
        ),
        save({"from": instant(3, "11:00"), "to": instant(3, "13:00")}),
    ]
    window = {"from": instant(1, "00:00"), "to": instant(8, "00:00")}
    answers.append((times, "get", client.get(TIMES_URL, window)))
    first, second = (item["id"] for item in answers[7][2].json()["items"][0]["data"])
    answers.append((times, "delete", client.delete(f"{TIMES_URL}?id={first}")))
    answers.append(("/api/v2/auth/times/{id}/", "delete", client.delete(f"{TIMES_URL}/{second}")))
    statuses = [response.status_code for _, _, response in answers]
    assert HTTPStatus.CREATED in statuses
    assert all(status in (HTTPStatus.OK, HTTPStatus.CREATED) for status in statuses), statuses
    for path, method, response in answers:
        check(openapi, path, method, response)
