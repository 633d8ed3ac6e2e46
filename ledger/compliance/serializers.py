"""Findings on the wire and in export cells; DRF serializers only describe the schema."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from rest_framework import serializers

from ledger.compliance.types import Finding, Rule, Severity


def findings_cell(findings: Iterable[Finding]) -> str:
    """One export cell: `ARBZG_4_BREAK (violation): 6 h 30 min worked, …; …`."""
    return "; ".join(f"{f.rule} ({f.severity}): {f.detail}" for f in findings)


def violation_json(row: Any) -> dict[str, Any]:
    user = row.user
    return {
        "user": {"id": user.pk, "username": user.username, "name": user.full_name},
        "date": row.date.isoformat(),
        "timezone": row.timezone,
        **row.finding.as_dict(),
    }


# (header, value) per column of violations.csv, in order.
VIOLATION_COLUMNS: list[tuple[str, Callable[[Any], Any]]] = [
    ("user_id", lambda row: row.user.pk),
    ("username", lambda row: row.user.username),
    ("name", lambda row: row.user.full_name),
    ("date", lambda row: row.date.isoformat()),
    ("rule", lambda row: str(row.finding.rule)),
    ("paragraph", lambda row: row.finding.paragraph),
    ("severity", lambda row: str(row.finding.severity)),
    ("detail", lambda row: row.finding.detail),
    ("measured", lambda row: json.dumps(row.finding.measured, sort_keys=True)),
    ("rule_set", lambda row: row.finding.rule_set),
]


# --- OpenAPI description only -----------------------------------------------------------


class FindingSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=[str(rule) for rule in Rule])
    paragraph = serializers.CharField(help_text="e.g. `§4 ArbZG`.")
    severity = serializers.ChoiceField(choices=[str(s) for s in Severity])
    detail = serializers.CharField(help_text="A sentence naming what was measured.")
    measured = serializers.DictField(
        help_text="The figures behind the finding, in minutes (e.g. `work_minutes`)."
    )
    rule_set = serializers.CharField(
        help_text="Version of the rules and thresholds the finding was computed with."
    )


class ViolationUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()


class ViolationSerializer(FindingSerializer):
    user = ViolationUserSerializer()
    date = serializers.DateField()
    timezone = serializers.CharField()


class ViolationPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ViolationSerializer(many=True)
