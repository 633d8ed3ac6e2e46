"""The OpenAPI schema describes the McTime clock endpoints."""

from drf_spectacular.generators import SchemaGenerator


def test_schema_describes_clock_and_times():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert set(paths["/api/v2/auth/clock/"]) >= {"get", "post"}
    assert set(paths["/api/v2/auth/times/"]) >= {"get", "post", "delete"}
    assert "delete" in paths["/api/v2/auth/times/{id}/"]
    parameters = {p["name"] for p in paths["/api/v2/auth/times/"]["get"]["parameters"]}
    assert {"from", "to", "userIds", "timeTypes", "approvalStatuses", "page"} <= parameters
