"""McTime time entries: the `timeEntries` of GET /times, in McTime's envelope.

GET /times needs `from` and `to` at most 366 days apart, so a live import walks the range
in windows of 366 days and pages each with `page` until a page comes back empty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.management.base import CommandError
from simple_history.utils import bulk_update_with_history

from accounts.models import Organization, User
from clock.models import (
    CATEGORY_BY_TIME_TYPE,
    ApprovalStatus,
    CreationType,
    TimeEntry,
    TimeEntryBreak,
    TimeType,
)
from clock.serializers import COMMENT_MAX_LENGTH
from clock.services.entries import Span, validate_span
from config.api.errors import ApiError
from imports.bulk import bulk_insert
from imports.client import SourceClient
from imports.sources.base import (
    BatchRejected,
    Prepared,
    RecordRejected,
    Source,
    SourceRecord,
    UserRef,
    required,
)

WINDOW = timedelta(days=366)  # GET /times: `from` and `to` at most 366 days apart
FIELDS = (
    "starts_at", "ends_at", "time_type", "category", "comment", "organization_id",
    "approval_status", "creation_type", "is_valid",
)  # fmt: skip
TIME_TYPES = frozenset(TimeType.values)
APPROVAL_STATUSES = frozenset(ApprovalStatus.values)
CREATION_TYPES = frozenset(CreationType.values)


def parse_instant(value: Any, field: str) -> datetime:
    """ISO 8601 with an offset, as the API requires; normalised to UTC."""
    if not isinstance(value, str):
        raise RecordRejected(f"{field}: missing or not a string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordRejected(f"{field}: {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise RecordRejected(f"{field}: {value!r} has no time zone offset")
    return parsed.astimezone(UTC)


class McTimeEntrySource(Source):
    name = "mctime"
    label = "McTime time entries"
    model = TimeEntry

    def __init__(self) -> None:
        self._users: dict[str, UserRef] | None = None
        self._organizations: dict[str, Organization] = {}

    # --- reading ---------------------------------------------------------------------------
    def items(self, payload: Any) -> list[dict[str, Any]]:
        try:
            groups = payload["items"][0]["data"]["timeEntries"]
        except (KeyError, IndexError, TypeError):
            raise RecordRejected(
                'not a McTime /times page: expected {"items": [{"data": {"timeEntries": …}}]}'
            ) from None
        if not isinstance(groups, list):
            raise RecordRejected("timeEntries: not a list")
        entries = []
        for group in groups:
            for entry in (group or {}).get("times") or []:
                # An entry names its user; the group's userId stands in where it does not.
                entries.append({"userId": group.get("userId"), **entry})
        return entries

    def source_record(self, item: dict[str, Any]) -> SourceRecord:
        return SourceRecord(
            source_id=str(required(item, "id")),
            user=UserRef(external_id=str(required(item, "userId"))),
            data=item,
        )

    def api_pages(
        self, client: SourceClient, *, date_from: date | None, date_to: date | None
    ) -> Iterator[tuple[str, Any]]:
        if date_from is None or date_to is None:
            raise CommandError("McTime's GET /times needs a range: give --from and --to.")
        start = datetime.combine(date_from, datetime.min.time(), tzinfo=UTC)
        end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        while start < end:
            window_end = min(start + WINDOW, end)
            page = 1
            while True:
                payload = client.get(
                    "times", **{"from": start.isoformat(), "to": window_end.isoformat()}, page=page
                ).json()
                yield f"{client.url('times')} {start:%Y-%m-%d}… page {page}", payload
                if not self.items(payload):
                    break
                page += 1
            start = window_end

    def fetch_user_details(self, client: SourceClient | None, ref: UserRef) -> UserRef:
        """Names, email and username from McTime's GET /users (read once, all pages)."""
        if client is None:
            return ref
        if self._users is None:
            self._users = {}
            page = 1
            while True:
                users = client.get("users", page=page).json()["items"][0]["data"] or []
                for user in users:
                    self._users[str(user.get("id"))] = UserRef(
                        external_id=str(user.get("id")),
                        username=user.get("username") or "",
                        first_name=user.get("firstName") or "",
                        last_name=user.get("lastName") or "",
                        email=user.get("email") or "",
                    )
                if not users:
                    break
                page += 1
        return self._users.get(ref.external_id, ref)

    def batch_rolled_back(self) -> None:
        # Organizations created for a batch that was rolled back are gone again.
        self._organizations.clear()

    # --- writing ---------------------------------------------------------------------------
    def prepare(self, record: SourceRecord, user: User) -> Prepared:
        data = record.data
        starts_at = parse_instant(data.get("from"), "from")
        ends_at = parse_instant(data.get("to"), "to")
        breaks = []
        for index, brk in enumerate(data.get("breaks") or []):
            if not isinstance(brk, dict):
                raise RecordRejected(f"breaks.{index}: not an object")
            breaks.append(
                Span(
                    parse_instant(brk.get("from"), f"breaks.{index}.from"),
                    parse_instant(brk.get("to"), f"breaks.{index}.to"),
                    bool(brk.get("automatic", False)),
                )
            )
        try:
            validate_span(starts_at=starts_at, ends_at=ends_at, breaks=breaks)
        except ApiError as exc:
            raise RecordRejected(exc.message) from None
        time_type = data.get("type") or data.get("timeType") or TimeType.WORK
        if time_type not in TIME_TYPES:
            raise RecordRejected(f"type: unknown time type {time_type!r}")
        approval = data.get("approvalStatus") or ApprovalStatus.NOT_APPROVED_YET
        if approval not in APPROVAL_STATUSES:
            raise RecordRejected(f"approvalStatus: unknown value {approval!r}")
        creation = data.get("creationType")
        if creation is not None and creation not in CREATION_TYPES:
            raise RecordRejected(f"creationType: unknown value {creation!r}")
        comment = data.get("comment") or ""
        if not isinstance(comment, str) or len(comment) > COMMENT_MAX_LENGTH:
            raise RecordRejected(
                f"comment: not a string of at most {COMMENT_MAX_LENGTH} characters"
            )
        valid = data.get("valid", True)
        if not isinstance(valid, bool):
            raise RecordRejected("valid: must be true or false")
        values = {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "time_type": time_type,
            "category": CATEGORY_BY_TIME_TYPE[time_type],
            "comment": comment,
            "organization_id": self._organization_id(data.get("organizationName")),
            "approval_status": approval,
            "creation_type": creation,
            "is_valid": valid,
        }
        extra = {"breaks": [(b.starts_at, b.ends_at, b.automatic) for b in breaks]}
        return Prepared(record=record, user=user, values=values, extra=extra)

    def _organization_id(self, name: Any) -> Any:
        """Entries keep their organization: found by name (the oldest of that name, as the
        API picks), created when Timebridge does not know it yet."""
        if not name:
            return None
        if not isinstance(name, str):
            raise RecordRejected("organizationName: not a string")
        if name not in self._organizations:
            organization = Organization.objects.filter(name=name).order_by("created_at", "id")
            self._organizations[name] = organization.first() or Organization.objects.create(
                name=name
            )
        return self._organizations[name].pk

    def write(self, *, creates: list[Prepared], updates: list[Prepared]) -> dict[str, str]:
        self._check_no_overlap(creates, updates)
        # New rows get new ids: the source's id is kept in the import ledger. (Reusing it
        # would collide when source and target are one database, as in a test round trip.)
        pks = bulk_insert(TimeEntry, [{"user_id": p.user.pk, **p.values} for p in creates])
        ids = {p.record.source_id: str(pk) for p, pk in zip(creates, pks, strict=True)}
        if updates:
            rows = {
                str(pk): row
                for pk, row in TimeEntry.objects.in_bulk([p.object_id for p in updates]).items()
            }
            for prepared in updates:
                row = rows[prepared.object_id]
                row.user = prepared.user
                for field, value in prepared.values.items():
                    setattr(row, field, value)
                ids[prepared.record.source_id] = str(row.pk)
            bulk_update_with_history(
                list(rows.values()), TimeEntry, [*FIELDS, "user", "updated_at"], batch_size=1000
            )
            # An updated entry's breaks are replaced as a whole.
            TimeEntryBreak.objects.filter(entry_id__any=list(rows)).delete()
        breaks = [
            {"entry_id": ids[p.record.source_id], "starts_at": s, "ends_at": e, "automatic": a}
            for p in [*creates, *updates]
            for s, e, a in p.extra["breaks"]
        ]
        bulk_insert(TimeEntryBreak, breaks)
        return ids

    @staticmethod
    def _check_no_overlap(creates: list[Prepared], updates: list[Prepared]) -> None:
        """Valid entries of one user never overlap: within the batch and with existing ones.
        An import reports such a conflict; it never trims or removes entries as a stop does."""
        incoming = [p for p in [*creates, *updates] if p.values["is_valid"]]
        if not incoming:
            return
        spans: dict[int, list[tuple[datetime, datetime, str]]] = defaultdict(list)
        for prepared in incoming:
            spans[prepared.user.pk].append(
                (
                    prepared.values["starts_at"],
                    prepared.values["ends_at"],
                    prepared.record.source_id,
                )
            )
        existing = (
            TimeEntry.objects.filter(
                user_id__any=list(spans),
                is_valid=True,
                starts_at__lt=max(p.values["ends_at"] for p in incoming),
                ends_at__gt=min(p.values["starts_at"] for p in incoming),
            )
            .exclude(pk__any=[p.object_id for p in updates])
            .values_list("pk", "user_id", "starts_at", "ends_at")
        )
        for pk, user_id, starts_at, ends_at in existing:
            spans[user_id].append((starts_at, ends_at, f"#{pk}"))
        reasons: dict[str, str] = {}
        for user_id, user_spans in spans.items():
            user_spans.sort()
            reach, reach_id = None, ""
            for start, end, span_id in user_spans:
                if reach is not None and start < reach:
                    culprit, other = (
                        (span_id, reach_id) if not span_id.startswith("#") else (reach_id, span_id)
                    )
                    what = f"existing time entry {other[1:]}" if other.startswith("#") else other
                    reasons.setdefault(culprit, f"overlaps {what} of user {user_id}")
                if reach is None or end > reach:
                    reach, reach_id = end, span_id
        if reasons:
            raise BatchRejected(reasons)
