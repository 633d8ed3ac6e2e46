"""The OpenAPI schema describes the ProSonata working-time endpoints."""

from drf_spectacular.generators import SchemaGenerator


def test_schema_describes_every_working_time_operation():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    paths = schema["paths"]
    assert set(paths["/api/v1/workingtimes/"]) >= {"get", "post"}
    assert set(paths["/api/v1/workingtimes/{id}/"]) >= {"get", "put", "delete"}
    listing = paths["/api/v1/workingtimes/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "userID",
        "username",
        "workingDate",
        "workingDate2",
        "dayType",
        "halfHoliday",
        "homeOffice",
        "orderBy",
        "page",
        "perPage",
    }
    created = paths["/api/v1/workingtimes/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"]["$ref"].endswith(
        "WorkingTimeCreatedEnvelope"
    )
    record = schema["components"]["schemas"]["WorkingTime"]["properties"]
    assert record["dailyTimeTotal"]["type"] == "number"
    assert (record["halfHoliday"]["minimum"], record["halfHoliday"]["maximum"]) == (0, 1)
    detail = paths["/api/v1/workingtimes/{id}/"]["put"]
    assert [p["name"] for p in detail["parameters"]] == ["id"]
