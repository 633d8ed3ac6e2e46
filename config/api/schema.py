"""OpenAPI descriptions of the API-key authentication (drf-spectacular extensions).

Loaded by AccountsConfig.ready(); without them every API view warns "could not resolve
authenticator" when the schema is generated.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.authentication.ApiKeyAuthentication"
    name = ["tokenAuth", "bearerAuth", "apiKeyHeader", "xApiKeyHeader", "apiKeyQuery"]
    priority = 1

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "MOCO: `Token token=KEY`",
            },
            {
                "type": "http",
                "scheme": "bearer",
                "description": "MOCO, Huddle: `Bearer KEY` (older Huddle clients: `OAuth2 KEY`)",
            },
            {"type": "apiKey", "in": "header", "name": "API_KEY", "description": "McTime"},
            {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "ProSonata"},
            {"type": "apiKey", "in": "query", "name": "apiKey", "description": "ProSonata"},
        ]


class ImpersonatingApiKeyAuthenticationScheme(ApiKeyAuthenticationScheme):
    """MOCO endpoints take every key form too (docs/decisions.md: any key, any form, every API);
    X-IMPERSONATE-USER-ID is a header parameter of each MOCO operation."""

    target_class = "config.api.authentication.ImpersonatingApiKeyAuthentication"
    # The same key forms, so the same security schemes: they are registered once, by
    # ApiKeyAuthentication (drf-spectacular keeps one authenticator class per scheme name).
    name: list[str] = []

    def get_security_requirement(self, auto_schema):  # type: ignore[no-untyped-def]
        return {name: [] for name in ApiKeyAuthenticationScheme.name}

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return []


class TimebridgeApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Timebridge's own API: documented as Bearer; every other key form works as well."""

    target_class = "config.api.dialects.timebridge.TimebridgeApiKeyAuthentication"
    name = "timebridgeBearerAuth"
    priority = 1

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer KEY` (any other accepted key form works "
            "too); admins may add `X-IMPERSONATE-USER-ID: <id>`.",
        }
