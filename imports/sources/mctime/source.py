"""The McTime time-entry source: what the runner calls, put together from reading, parsing
and writing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date
from typing import Any

from django.core.management.base import CommandError

from accounts.models import User
from clock.models import CATEGORY_BY_TIME_TYPE, ApprovalStatus, CreationType, TimeEntry
from clock.services.entries import Span, validate_span
from config.api.errors import InvalidInput
from imports.client import SourceClient
from imports.sources.base import Prepared, Source, SourceRecord, UserRef
from imports.sources.errors import RecordRejected
from imports.sources.mctime.parsing import (
    break_id_of,
    breaks_of,
    choice_of,
    parse_canonical,
    parse_with_serializer,
    uuid_of,
)
from imports.sources.mctime.reading import (
    GROUP_USER,
    fetch_users,
    month_windows,
    page_entries,
    window_pages,
)
from imports.sources.mctime.writing import PreparedEntry, write_entries
from imports.sources.parsing import required

ORGANIZATION_NAME_MAX_LENGTH = 200
# Enum `.values` are rebuilt on every access; read once.
_APPROVAL_STATUSES = tuple(ApprovalStatus.values)
_CREATION_TYPES = (*CreationType.values, None)


class McTimeEntrySource(Source):
    name = "mctime"
    label = "McTime time entries"
    model = TimeEntry

    def __init__(self) -> None:
        self.live = False
        self._users: dict[str, UserRef] | None = None

    # --- reading ---------------------------------------------------------------------------
    def items(self, payload: Any) -> list[dict[str, Any]]:
        return page_entries(payload)

    def source_record(self, item: dict[str, Any]) -> SourceRecord:
        source_id = uuid_of(required(item, "id"), "id")
        external_id = uuid_of(required(item, "userId"), "userId")
        if GROUP_USER in item:
            raise RecordRejected(
                f"time entry {source_id}: userId {external_id} differs from its group's "
                f"userId {item[GROUP_USER]}"
            )
        # An entry names its user by uuid only. Live, names and email come from GET /users
        # (fetch_user_details, asked only for users the mapping does not know); a file has
        # nothing more, so an unmatched user can only be created under a placeholder name.
        ref = UserRef(external_id=external_id)
        return SourceRecord(
            source_id=source_id, user=ref if self.live else ref.named_by_id(self.name), data=item
        )

    def api_pages(
        self, client: SourceClient, *, date_from: date | None, date_to: date | None
    ) -> Iterator[tuple[str, Any]]:
        self.live = True
        if date_from is None or date_to is None:
            # GET /times requires both bounds; there is no "everything" to default to.
            raise CommandError(
                "McTime's GET /times needs a date range: give --from and --to (any length; "
                "the import walks it month by month)."
            )
        for first, last in month_windows(date_from, date_to):
            yield from window_pages(client, first, last)

    def fetch_user_details(self, client: SourceClient | None, ref: UserRef) -> UserRef:
        """Names and email from GET /users (paged through once per run, then cached)."""
        if client is None:
            return ref.named_by_id(self.name)
        if self._users is None:
            self._users = fetch_users(client)
        return self._users.get(ref.external_id) or ref.named_by_id(self.name)

    # --- writing ---------------------------------------------------------------------------
    def prepare(self, record: SourceRecord, user: User) -> Prepared:
        item = record.data
        parsed = parse_canonical(item) or parse_with_serializer(item)
        spans = []
        for (start, end), raw in zip(parsed["breaks"], breaks_of(item), strict=True):
            automatic = raw.get("automatic", False)
            if type(automatic) is not bool:
                raise RecordRejected(f"breaks.automatic: {automatic!r} is not true or false")
            brk = Span(start.astimezone(UTC), end.astimezone(UTC), automatic)
            spans.append((brk, break_id_of(raw.get("id"))))
        spans.sort(key=lambda pair: pair[0].starts_at)
        # Stored and compared in UTC: the same instant rendered with another offset (the
        # user's zone changed at the source) is no change.
        starts_at, ends_at = parsed["from"].astimezone(UTC), parsed["to"].astimezone(UTC)
        try:
            validate_span(starts_at=starts_at, ends_at=ends_at, breaks=[s for s, _ in spans])
        except InvalidInput as exc:
            raise RecordRejected(exc.message) from None
        valid = item.get("valid", True)
        if type(valid) is not bool:
            raise RecordRejected(f"valid: {valid!r} is not true or false")
        organization = item.get("organizationName") or None
        if organization is not None and (
            type(organization) is not str or len(organization) > ORGANIZATION_NAME_MAX_LENGTH
        ):
            raise RecordRejected(
                f"organizationName: not a name of at most {ORGANIZATION_NAME_MAX_LENGTH} characters"
            )
        time_type = parsed["timeType"]
        values = {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "time_type": time_type,
            # Derived from the type, as the API derives it; the source's category is ignored.
            "category": CATEGORY_BY_TIME_TYPE[time_type],
            "comment": parsed["comment"],
            "approval_status": choice_of(
                item, "approvalStatus", _APPROVAL_STATUSES, ApprovalStatus.NOT_APPROVED_YET
            ),
            # Absent (the spec's entry has no such field) reads as null: not known.
            "creation_type": choice_of(item, "creationType", _CREATION_TYPES, None),
            "is_valid": valid,
        }
        return PreparedEntry(
            record=record,
            user=user,
            values=values,
            extra={
                "organization": organization,
                "breaks": tuple((s.starts_at, s.ends_at, s.automatic) for s, _ in spans),
            },
            break_ids=tuple(break_id for _, break_id in spans),
        )

    def write(self, *, creates: list[Prepared], updates: list[Prepared]) -> dict[str, str]:
        return write_entries(creates, updates)
