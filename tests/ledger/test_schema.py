"""The OpenAPI schema describes Timebridge's own endpoints."""

import warnings

from drf_spectacular.generators import SchemaGenerator


def test_schema_describes_the_days_endpoints():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]

    listing = paths["/api/timebridge/v1/days/"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "from",
        "to",
        "user",
        "team",
        "include_empty",
        "page",
        "page_size",
        # Administrators act as another user with MOCO's header here too.
        "X-IMPERSONATE-USER-ID",
    }
    assert set(listing["responses"]) == {"200", "400", "401", "403", "404", "429"}
    assert listing["security"] == [{"timebridgeBearerAuth": []}]
    scheme = schema["components"]["securitySchemes"]["timebridgeBearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for extension in ("csv", "xlsx"):
        export = paths[f"/api/timebridge/v1/days.{extension}/"]["get"]
        assert "page" not in {p["name"] for p in export["parameters"]}
    day = schema["components"]["schemas"]["Day"]["properties"]
    assert set(day) == {
        "user",
        "date",
        "timezone",
        "work_minutes",
        "break_minutes",
        "first_start",
        "last_end",
        "open",
        "intervals",
        "absences",
        "sources",
        "flags",
        "violations",
    }
    assert set(schema["components"]["schemas"]["Problem"]["properties"]) >= {
        "type",
        "title",
        "status",
        "detail",
    }
