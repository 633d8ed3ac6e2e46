"""List filters and sorting of `GET /users/presences` (MOCO's query parameters).

from, to        dates, inclusive, only together (one alone is refused)
user_id         one user's presences
is_home_office  true / false
ids             1,2,3
updated_after   ISO 8601 instant (a naive value is the company time zone)
sort_by         "field [asc|desc]", e.g. "date desc", "from asc"
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from config.api.fields import AsciiIntegerField, BoundedDateTimeField, DayField, is_ascii_number

# Wire name → model field. The default order (date, from, id) breaks ties after the key.
SORT_FIELDS = {
    "id": "id",
    "date": "date",
    "from": "from_time",
    "to": "to_time",
    "is_home_office": "is_home_office",
    "user_id": "user_id",
    "created_at": "created_at",
    "updated_at": "updated_at",
}
DEFAULT_ORDER = ["date", "from_time", "id"]


class PresenceListQuerySerializer(serializers.Serializer):
    user_id = AsciiIntegerField(required=False, min_value=1)
    is_home_office = serializers.BooleanField(required=False)
    ids = serializers.CharField(required=False)
    updated_after = BoundedDateTimeField(required=False)
    sort_by = serializers.CharField(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = DayField(source="from_date", required=False)
        fields["to"] = DayField(source="to_date", required=False)
        return fields

    def validate_ids(self, value: str) -> list[int]:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not parts or not all(is_ascii_number(part) and len(part) <= 18 for part in parts):
            raise serializers.ValidationError("Use comma-separated presence ids, e.g. 1,2,3.")
        return [int(part) for part in parts]

    def validate_sort_by(self, value: str) -> list[str]:
        words = value.split()
        if not 1 <= len(words) <= 2:
            raise serializers.ValidationError('Use "field asc" or "field desc".')
        name, direction = words[0], (words[1].lower() if len(words) == 2 else "asc")
        if name not in SORT_FIELDS:
            raise serializers.ValidationError(
                f"Unknown field {name!r}; sortable: {', '.join(SORT_FIELDS)}."
            )
        if direction not in ("asc", "desc"):
            raise serializers.ValidationError(f"Unknown direction {words[1]!r}; use asc or desc.")
        column = SORT_FIELDS[name]
        key = f"-{column}" if direction == "desc" else column
        return [key, *(field for field in DEFAULT_ORDER if field != column)]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_from, has_to = "from_date" in attrs, "to_date" in attrs
        if has_from != has_to:
            missing = "to" if has_from else "from"
            raise serializers.ValidationError(
                {missing: "from and to have to be provided together."}
            )
        if has_from and attrs["from_date"] > attrs["to_date"]:
            raise serializers.ValidationError({"to": "must not be before from."})
        return attrs


# The parameters PresenceListQuerySerializer reads (its wire field names).
QUERY_FIELDS = frozenset(PresenceListQuerySerializer().fields)


def list_conditions(params: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """MOCO's list parameters as `filter()` keyword arguments and an `order_by()` list; bad
    values are refused (422), never ignored.

    One `filter()` call with all conditions, not one per parameter: every call clones the
    query, and a list page pays for each clone.
    """
    # A plain dict, not the QueryDict: DRF reads a missing boolean in a QueryDict as false.
    # An empty value (`?user_id=`, `?is_home_office=`) is "no filter", as clients that
    # template every parameter send it.
    data = {name: value for name, value in params.items() if value != ""}
    if QUERY_FIELDS.isdisjoint(data):
        # Nothing to check (the serializer ignores other parameters): the plain list, as
        # most list requests are, without building a serializer.
        return {}, DEFAULT_ORDER
    query = PresenceListQuerySerializer(data=data)
    if not query.is_valid():
        raise serializers.ValidationError(query.errors)
    values = query.validated_data
    conditions: dict[str, Any] = {}
    if "from_date" in values:
        conditions["date__gte"] = values["from_date"]
        conditions["date__lte"] = values["to_date"]
    if "user_id" in values:
        conditions["user_id"] = values["user_id"]
    if "is_home_office" in values:
        conditions["is_home_office"] = values["is_home_office"]
    if "ids" in values:
        conditions["pk__in"] = values["ids"]
    if "updated_after" in values:
        conditions["updated_at__gt"] = values["updated_after"]
    return conditions, values.get("sort_by", DEFAULT_ORDER)


LIST_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Start date (with `to`)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="End date, inclusive (with `from`)."),
    OpenApiParameter("user_id", OpenApiTypes.INT),
    OpenApiParameter("is_home_office", OpenApiTypes.BOOL),
    OpenApiParameter("ids", OpenApiTypes.STR, description="Comma-separated ids, e.g. 1,2,3."),
    OpenApiParameter("updated_after", OpenApiTypes.DATETIME),
    OpenApiParameter("sort_by", OpenApiTypes.STR, description='"date desc", "from asc", …'),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("per_page", OpenApiTypes.INT, description="Default 100, at most 1000."),
]
