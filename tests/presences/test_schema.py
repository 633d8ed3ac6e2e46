"""The OpenAPI schema describes the MOCO presence endpoints."""

from drf_spectacular.generators import SchemaGenerator


def test_schema_describes_every_presence_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]

    assert set(paths["/api/v1/users/presences/"]) == {"get", "post"}
    assert set(paths["/api/v1/users/presences/{id}/"]) >= {"get", "put", "delete"}
    touch = paths["/api/v1/users/presences/touch/"]["post"]
    # Every status the touch can answer, errors included (in MOCO's error body).
    assert set(touch["responses"]) == {
        "200",
        "204",
        "401",
        "403",
        "404",
        "413",
        "415",
        "422",
        "423",
        "429",
    }
    listing = paths["/api/v1/users/presences/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "from",
        "to",
        "user_id",
        "is_home_office",
        "ids",
        "updated_after",
        "sort_by",
        "page",
        "per_page",
    }
    presence = schema["components"]["schemas"]["Presence"]["properties"]
    assert set(presence) == {
        "id",
        "date",
        "from",
        "to",
        "is_home_office",
        "user",
        "created_at",
        "updated_at",
    }
    update = schema["components"]["schemas"]["PatchedPresenceInputRequest"]
    assert "required" not in update  # PUT takes any subset of the fields
