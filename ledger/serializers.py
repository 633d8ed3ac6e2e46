"""The day row on the wire, and the export columns: one place each, so later fields
(compliance findings) are added in one spot.

Rows are rendered by plain functions, not DRF serializers: an export renders tens of
thousands of them. The DRF serializers below only describe the shape for the OpenAPI schema.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rest_framework import serializers

from ledger.compliance.serializers import FindingSerializer, findings_cell
from ledger.days import DayRow


def _instant(value: datetime | None, row: DayRow) -> str | None:
    return value.astimezone(row.zone).isoformat() if value is not None else None


def day_json(row: DayRow) -> dict[str, Any]:
    user = row.user
    return {
        "user": {"id": user.pk, "username": user.username, "name": user.full_name},  # type: ignore[attr-defined]
        "date": row.date.isoformat(),
        "timezone": row.timezone,
        "work_minutes": row.work_minutes,
        "break_minutes": row.break_minutes,
        "first_start": _instant(row.first_start, row),
        "last_end": _instant(row.last_end, row),
        "open": row.open,
        "intervals": [
            {
                "start": _instant(span.start, row),
                "end": _instant(span.end, row),
                "kind": span.kind,
                "source": span.source,
                "ref": span.ref,
            }
            for span in row.spans
        ],
        "absences": [
            {"kind": a.kind, "source": a.source, "ref": a.ref, "half_day": a.half_day}
            for a in row.absences
        ],
        "sources": dict(row.sources),
        "flags": [{"code": flag.code, "detail": flag.detail} for flag in row.flags],
        "violations": [finding.as_dict() for finding in row.violations],
    }


@functools.lru_cache(maxsize=4096)  # a Decimal is immutable; the same minutes recur per row
def work_hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _absences_cell(row: DayRow) -> str:
    return "; ".join(
        f"{a.kind} ({a.source}{', half day' if a.half_day else ''})" for a in row.absences
    )


# (header, value) per export column, in order; values are str, int or Decimal.
EXPORT_COLUMNS: list[tuple[str, Callable[[DayRow], Any]]] = [
    ("user_id", lambda row: row.user.pk),  # type: ignore[attr-defined]
    ("username", lambda row: row.user.username),  # type: ignore[attr-defined]
    ("name", lambda row: row.user.full_name),  # type: ignore[attr-defined]
    ("date", lambda row: row.date.isoformat()),
    ("work_minutes", lambda row: row.work_minutes),
    ("work_hours", lambda row: work_hours(row.work_minutes)),
    ("break_minutes", lambda row: row.break_minutes),
    ("first_start", lambda row: _instant(row.first_start, row) or ""),
    ("last_end", lambda row: _instant(row.last_end, row) or ""),
    ("absences", _absences_cell),
    ("flags", lambda row: "; ".join(flag.code for flag in row.flags)),
    ("violations", lambda row: findings_cell(row.violations)),
]


# --- OpenAPI description only -----------------------------------------------------------


class DayUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()


class IntervalSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["work", "break"])
    source = serializers.ChoiceField(choices=["moco", "mctime", "prosonata"])
    ref = serializers.CharField(help_text="`source:table:id`, e.g. `moco:presence:12`.")


class AbsenceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="vacation, sick, holiday, training, …")
    source = serializers.ChoiceField(choices=["huddle", "mctime", "prosonata"])
    ref = serializers.CharField()
    half_day = serializers.BooleanField()


class FlagSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["sources_disagree", "work_on_absence", "total_mismatch", "open_interval"]
    )
    detail = serializers.CharField()


class DaySerializer(serializers.Serializer):
    user = DayUserSerializer()
    date = serializers.DateField()
    timezone = serializers.CharField()
    work_minutes = serializers.IntegerField()
    break_minutes = serializers.IntegerField()
    first_start = serializers.DateTimeField(allow_null=True)
    last_end = serializers.DateTimeField(allow_null=True)
    open = serializers.BooleanField()
    intervals = IntervalSerializer(many=True)
    absences = AbsenceSerializer(many=True)
    sources = serializers.DictField(child=serializers.IntegerField())
    flags = FlagSerializer(many=True)
    violations = FindingSerializer(many=True)


class DayPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DaySerializer(many=True)


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    field = serializers.CharField(required=False)
    instance = serializers.CharField(required=False)
