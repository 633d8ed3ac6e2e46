"""Wire shapes of /api/timebridge/v1/closures (snake_case, ISO 8601, like the ledger API)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.models import Team
from closing.models import Closure
from closing.services import REASON_MAX_LENGTH


class ClosureSerializer(serializers.Serializer):
    """A closure as read. `users` are the users it covers (resolved when it was made)."""

    id = serializers.IntegerField()
    from_date = serializers.DateField()
    to_date = serializers.DateField()
    status = serializers.SerializerMethodField()
    reason = serializers.CharField()
    scope = serializers.CharField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    users = serializers.SerializerMethodField()
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True)
    created_at = serializers.DateTimeField()
    reopened_at = serializers.DateTimeField(allow_null=True)
    reopened_by = serializers.IntegerField(source="reopened_by_id", allow_null=True)
    reopen_reason = serializers.CharField()

    def get_status(self, closure: Closure) -> str:
        return "reopened" if closure.reopened_at else "closed"

    def get_users(self, closure: Closure) -> list[int]:
        # From the prefetched periods: no query per closure. A member sees only themselves
        # among the users a closure covers (the Timebridge API's visibility rule).
        users = sorted(period.user_id for period in closure.periods.all())
        viewer = self.context.get("viewer")
        if viewer is not None and not viewer.is_admin:
            users = [user_id for user_id in users if user_id == viewer.pk]
        return users

    def to_representation(self, instance: Closure) -> dict[str, Any]:
        data = super().to_representation(instance)
        # `from` / `to` as in the request (Python keywords cannot be field names).
        data = {"from": data.pop("from_date"), "to": data.pop("to_date"), **data}
        return {"id": data.pop("id"), **data}


class ClosureCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, trim_whitespace=True)
    users = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_empty=False,
        max_length=10000,
    )
    team = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    all = serializers.BooleanField(required=False)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("users", "team") if name in attrs]
        if attrs.get("all"):
            given.append("all")
        if len(given) != 1:
            raise serializers.ValidationError(
                {"users": "Give exactly one of users, team or all (true)."}
            )
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": "Must not be before from."})
        if "team" in attrs:
            team = Team.objects.filter(pk=attrs["team"], is_deleted=False).first()
            if team is None:
                raise serializers.ValidationError({"team": f"Team {attrs['team']} not found."})
            attrs["team"] = team
        return attrs


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, trim_whitespace=True)


class ClosurePageSerializer(serializers.Serializer):
    """A page of closures, as every Timebridge list: DRF's page-number shape."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ClosureSerializer(many=True)
