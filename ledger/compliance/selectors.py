"""Reads of findings as a list of their own (`/violations`, `violations.csv`, the admin)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from config.api.errors import InvalidInput
from ledger.compliance.findings import findings_by_day
from ledger.compliance.types import Finding, Rule, Severity

# Users per batch when findings are streamed (CSV): bounds memory, fixed queries per batch.
STREAM_BATCH_USERS = 200


@dataclass(frozen=True)
class ViolationRow:
    user: User
    date: date
    timezone: str
    finding: Finding


@dataclass(frozen=True)
class FindingFilter:
    rule: Rule | None = None
    severity: Severity | None = None

    def keeps(self, finding: Finding) -> bool:
        return (self.rule is None or finding.rule == self.rule) and (
            self.severity is None or finding.severity == self.severity
        )


def parse_finding_filter(params: Mapping[str, str]) -> FindingFilter:
    """`rule` and `severity` query parameters; an unknown value is a 400 naming the field."""
    values = {}
    for name, kind in (("rule", Rule), ("severity", Severity)):
        raw = params.get(name) or None
        if raw is not None and raw not in {str(member) for member in kind}:
            choices = ", ".join(str(member) for member in kind)
            raise InvalidInput(f"{name} must be one of {choices}; got {raw!r:.60}.", field=name)
        values[name] = kind(raw) if raw is not None else None
    return FindingFilter(**values)


def _rows(
    users: list[User], first: date, last: date, keep: FindingFilter, now: datetime
) -> list[ViolationRow]:
    found = findings_by_day(users=users, first=first, last=last, now=now)
    by_id = {user.pk: user for user in users}
    rows = []
    for user_id, day in sorted(found):
        user = by_id[user_id]
        rows.extend(
            ViolationRow(user, day, user.zone.key, finding)
            for finding in found[(user_id, day)]
            if keep.keeps(finding)
        )
    return rows


def violations_list(
    *,
    users: QuerySet[User],
    first: date,
    last: date,
    keep: FindingFilter,
    now: datetime | None = None,
) -> list[ViolationRow]:
    """Every finding of the selected users in [first, last], by user id, date, rule.

    One computation for all selected users: a fixed number of queries whatever the range.
    """
    return _rows(list(users.order_by("pk")), first, last, keep, now or timezone.now())


def iter_violations(
    *,
    users: QuerySet[User],
    first: date,
    last: date,
    keep: FindingFilter,
    now: datetime | None = None,
) -> Iterator[ViolationRow]:
    """The same rows in batches of users, for streaming exports."""
    now = now or timezone.now()
    selected = list(users.order_by("pk"))
    for index in range(0, len(selected), STREAM_BATCH_USERS):
        yield from _rows(selected[index : index + STREAM_BATCH_USERS], first, last, keep, now)
