"""McTime time entries: the `{"items": [{"data": {"timeEntries": …}}], "valid": true}` pages
of GET /times, grouped per user, each entry with its breaks."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.exceptions import ValidationError
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
from clock.serializers import COMMENT_MAX_LENGTH, MAX_BREAKS_PER_ENTRY, TimeInputSerializer
from clock.services.entries import Span, local_iso, validate_span
from config.api.errors import InvalidInput
from config.api.fields import MAX_YEAR, MIN_YEAR
from imports.bulk import bulk_insert
from imports.client import SourceClient
from imports.sources.base import (
    BatchRejected,
    Prepared,
    RecordRejected,
    Source,
    SourceRecord,
    UserRef,
    lock_rows_to_update,
    required,
    serializer_errors,
)

ORGANIZATION_NAME_MAX_LENGTH = 200
FIELDS = (
    "starts_at",
    "ends_at",
    "time_type",
    "category",
    "comment",
    "approval_status",
    "creation_type",
    "is_valid",
)
# Set by items() on an entry whose own userId contradicts its group's.
_GROUP_USER = "__groupUserId"
# ASCII digits; offsets within ±14:00 as the API's McTimeInstantField (else the serializer
# decides and words the error).
_INSTANT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)$"
)
_TIME_TYPES = frozenset(TimeType.values)
# Enum `.values` are rebuilt on every access; read once.
_APPROVAL_STATUSES = tuple(ApprovalStatus.values)
_CREATION_TYPES = (*CreationType.values, None)


def _instant(value: Any) -> datetime | None:
    """As OffsetDateTimeField reads it: UTC, whole seconds, years 1900-2999; else None."""
    if type(value) is not str or not _INSTANT.match(value):
        return None
    try:
        instant = datetime.fromisoformat(value).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if not MIN_YEAR <= instant.year <= MAX_YEAR:
        return None
    return instant.replace(microsecond=0)


def parse_canonical(item: dict[str, Any]) -> dict[str, Any] | None:
    """Parse a time entry in the canonical wire shape (what GET /times returns) quickly.

    A strict subset of what the API's TimeInputSerializer accepts (POST /times' element),
    with the same values; None for anything else, which the serializer then decides (and
    words the error).
    """
    starts_at, ends_at = _instant(item.get("from")), _instant(item.get("to"))
    if starts_at is None or ends_at is None:
        return None
    time_type = item.get("type", TimeType.WORK)
    comment = _comment(item)
    if time_type not in _TIME_TYPES or type(comment) is not str:
        return None
    if len(comment) > COMMENT_MAX_LENGTH:
        return None
    raw_breaks = _breaks(item)
    if type(raw_breaks) is not list or len(raw_breaks) > MAX_BREAKS_PER_ENTRY:
        return None
    breaks = []
    for raw in raw_breaks:
        if type(raw) is not dict:
            return None
        start, end = _instant(raw.get("from")), _instant(raw.get("to"))
        if start is None or end is None:
            return None
        breaks.append((start, end))
    return {
        "from": starts_at,
        "to": ends_at,
        "breaks": breaks,
        "timeType": str(time_type),
        "comment": comment,
    }


def parse_with_serializer(item: dict[str, Any]) -> dict[str, Any]:
    """The API's own parsing (POST /times' element), its errors named as the list shape
    names the fields (`type`, not `timeType`)."""
    data: dict[str, Any] = {k: item[k] for k in ("from", "to") if k in item}
    raw_breaks = _breaks(item)
    data["breaks"] = (
        [
            {k: b[k] for k in ("from", "to") if k in b} if isinstance(b, dict) else b
            for b in raw_breaks
        ]
        if isinstance(raw_breaks, list)
        else raw_breaks
    )
    data["timeType"] = item.get("type", TimeType.WORK)
    data["comment"] = _comment(item)
    try:
        parsed = TimeInputSerializer().run_validation(data)
    except ValidationError as exc:
        detail = exc.detail
        if isinstance(detail, dict) and "timeType" in detail:
            detail = {("type" if k == "timeType" else k): v for k, v in detail.items()}
        raise RecordRejected(serializer_errors(detail)) from None
    return {
        "from": parsed["from"],
        "to": parsed["to"],
        "breaks": [(b["from"], b["to"]) for b in parsed.get("breaks", [])],
        "timeType": str(parsed["timeType"]),
        "comment": parsed["comment"],
    }


# The list shape is an export, not a request: a null comment or breaks list (which a
# McTime export may carry) reads as empty, where POST /times would refuse null.
def _comment(item: dict[str, Any]) -> Any:
    comment = item.get("comment")
    return "" if comment is None else comment


def _breaks(item: dict[str, Any]) -> Any:
    breaks = item.get("breaks")
    return [] if breaks is None else breaks


def _uuid(value: Any, key: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise RecordRejected(f"{key}: not a uuid ({value!r})") from None


def _choice(item: dict[str, Any], key: str, choices: tuple[Any, ...], default: Any) -> Any:
    value = item.get(key, default)
    if value not in choices:
        allowed = ", ".join("null" if c is None else str(c) for c in choices)
        raise RecordRejected(f"{key}: {value!r} is not one of {allowed}")
    return value


@dataclass
class PreparedEntry(Prepared):
    # The source's break ids, in the order of extra["breaks"]. Not part of the checksum:
    # they are not content, and McTime makes new ones whenever breaks are re-sent.
    break_ids: tuple[str | None, ...] = ()


class McTimeEntrySource(Source):
    name = "mctime"
    label = "McTime time entries"
    model = TimeEntry

    def __init__(self) -> None:
        self.live = False
        self._users: dict[str, UserRef] | None = None

    # --- reading ---------------------------------------------------------------------------
    def items(self, payload: Any) -> list[dict[str, Any]]:
        shape = (
            'not a McTime GET /times page: expected {"items": [{"message": …, "data": '
            '{"timeEntries": [{"userId": …, "times": […]}]}}], "valid": true}'
        )
        if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
            raise RecordRejected(shape)
        if payload.get("valid") is False:
            messages = "; ".join(
                str(i.get("message")) for i in payload["items"] if isinstance(i, dict)
            )
            raise RecordRejected(f"the page is a McTime error answer: {messages}")
        entries: list[dict[str, Any]] = []
        for envelope in payload["items"]:
            data = envelope.get("data") if isinstance(envelope, dict) else None
            groups = data.get("timeEntries") if isinstance(data, dict) else None
            if not isinstance(groups, list):
                raise RecordRejected(shape)
            for group in groups:
                times = group.get("times") if isinstance(group, dict) else None
                if not isinstance(times, list):
                    raise RecordRejected(f"{shape} (a group without `times`)")
                group_user = group.get("userId")
                for entry in times:
                    if isinstance(entry, dict) and group_user not in (None, ""):
                        own = entry.get("userId")
                        if own in (None, ""):
                            entry = {**entry, "userId": group_user}
                        elif str(own).lower() != str(group_user).lower():
                            entry = {**entry, _GROUP_USER: group_user}
                    entries.append(entry)
        return entries

    def source_record(self, item: dict[str, Any]) -> SourceRecord:
        source_id = _uuid(required(item, "id"), "id")
        external_id = _uuid(required(item, "userId"), "userId")
        if _GROUP_USER in item:
            raise RecordRejected(
                f"time entry {source_id}: userId {external_id} differs from its group's "
                f"userId {item[_GROUP_USER]}"
            )
        # An entry names its user by uuid only. Live, names and email come from GET /users
        # (fetch_user_details, asked only for users the mapping does not know); a file has
        # nothing more, so an unmatched user can only be created under a placeholder name.
        ref = UserRef(external_id=external_id)
        return SourceRecord(
            source_id=source_id, user=ref if self.live else _placeholder(ref), data=item
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
        zone = ZoneInfo(settings.TIME_ZONE)
        for first, last in month_windows(date_from, date_to):
            lo = datetime.combine(first, time(), zone).isoformat()
            hi = datetime.combine(last + timedelta(days=1), time(), zone).isoformat()
            # All pages of a window are read before any is written: page numbers shift when
            # the list changes in between (users still booking at the source, or the source
            # being this very database), which would skip or repeat entries.
            pages: list[tuple[str, Any]] = []
            seen: set[str] = set()
            page = 1
            while True:
                payload = client.get("times", page=page, **{"from": lo, "to": hi}).json()
                ids = _entry_ids(payload)
                if ids is not None and not ids:
                    break  # McTime: an empty page ends the list
                pages.append((f"{client.base_url}/times {first}..{last} page {page}", payload))
                if ids is None:
                    break  # not a list page: the runner reports it; nothing to page on
                if ids <= seen:
                    raise CommandError(
                        f"{client.base_url}/times page {page} repeats earlier entries; "
                        "does the server ignore `page`?"
                    )
                seen |= ids
                page += 1
            yield from pages

    def fetch_user_details(self, client: SourceClient | None, ref: UserRef) -> UserRef:
        """Names and email from GET /users (paged through once per run, then cached)."""
        if client is None:
            return _placeholder(ref)
        if self._users is None:
            self._users = _fetch_users(client)
        return self._users.get(ref.external_id) or _placeholder(ref)

    # --- writing ---------------------------------------------------------------------------
    def prepare(self, record: SourceRecord, user: User) -> Prepared:
        item = record.data
        parsed = parse_canonical(item) or parse_with_serializer(item)
        spans = []
        for (start, end), raw in zip(parsed["breaks"], _breaks(item), strict=True):
            automatic = raw.get("automatic", False)
            if type(automatic) is not bool:
                raise RecordRejected(f"breaks.automatic: {automatic!r} is not true or false")
            brk = Span(start.astimezone(UTC), end.astimezone(UTC), automatic)
            spans.append((brk, _break_id(raw.get("id"))))
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
            "approval_status": _choice(
                item, "approvalStatus", _APPROVAL_STATUSES, ApprovalStatus.NOT_APPROVED_YET
            ),
            # Absent (the spec's entry has no such field) reads as null: not known.
            "creation_type": _choice(item, "creationType", _CREATION_TYPES, None),
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
        incoming = [*creates, *updates]
        # A concurrent API write for one of these users could fill a span this check saw
        # free: lock the users first (in id order, so that two imports cannot deadlock).
        list(
            User.objects.select_for_update()
            .filter(pk__any=sorted({p.user.pk for p in incoming}))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Then the rows this batch replaces (a DELETE /times/{id} may have removed one).
        entries = lock_rows_to_update(TimeEntry, updates, "time entry") if updates else {}
        self._check_no_overlap(creates, updates)
        organizations = _organizations({p.extra["organization"] for p in incoming})
        now = timezone.now()

        # A new entry keeps its McTime id when no row has it yet, so that clients holding
        # entry ids (DELETE /times/{id}, edits by id) still find it; otherwise (the source is
        # this very database, as in the round-trip test) it gets a new one.
        taken = set(
            TimeEntry.objects.filter(pk__any=[p.record.source_id for p in creates]).values_list(
                "pk", flat=True
            )
        )
        rows = []
        for prepared in creates:
            pk = uuid.UUID(prepared.record.source_id)
            rows.append(
                {
                    "id": uuid.uuid4() if pk in taken else pk,
                    "user_id": prepared.user.pk,
                    **prepared.values,
                    "organization_id": organizations.get(prepared.extra["organization"]),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        pks = bulk_insert(TimeEntry, rows)
        ids = {p.record.source_id: str(pk) for p, pk in zip(creates, pks, strict=True)}
        new_breaks: list[tuple[Prepared, Any]] = list(zip(creates, pks, strict=True))

        if updates:
            stored_breaks: dict[Any, list[tuple[datetime, datetime, bool]]] = defaultdict(list)
            for entry_id, *span in TimeEntryBreak.objects.filter(
                entry_id__any=list(entries)
            ).values_list("entry_id", "starts_at", "ends_at", "automatic"):
                stored_breaks[entry_id].append(tuple(span))  # type: ignore[arg-type]
            replaced = []
            for prepared in updates:
                entry = entries[uuid.UUID(prepared.object_id)]
                entry.user = prepared.user
                for field, value in prepared.values.items():
                    setattr(entry, field, value)
                entry.organization_id = organizations.get(prepared.extra["organization"])
                entry.updated_at = now
                ids[prepared.record.source_id] = str(entry.pk)
                if sorted(stored_breaks[entry.pk]) != list(prepared.extra["breaks"]):
                    replaced.append(entry.pk)
                    new_breaks.append((prepared, entry.pk))
            bulk_update_with_history(
                list(entries.values()),
                TimeEntry,
                [*FIELDS, "user", "organization", "updated_at"],
                batch_size=1000,
                default_change_reason="Imported",
            )
            # Through the ORM's delete so that each removed break gets its history row.
            TimeEntryBreak.objects.filter(entry_id__any=replaced).delete()

        _insert_breaks(new_breaks)
        return ids

    @staticmethod
    def _check_no_overlap(creates: list[Prepared], updates: list[Prepared]) -> None:
        """Valid entries of one user never overlap (spans half-open): within the batch and
        against the valid entries stored, read in one query. Invalid entries are exempt, as
        in the database constraint. A conflict is reported — never trimmed or merged the way
        POST /times or a stopped clock would."""
        valid = [p for p in [*creates, *updates] if p.values["is_valid"]]
        if not valid:
            return
        users = {p.user.pk: p.user for p in valid}
        spans: dict[int, list[tuple[datetime, datetime, str]]] = defaultdict(list)
        for prepared in valid:
            v = prepared.values
            spans[prepared.user.pk].append(
                (v["starts_at"], v["ends_at"], prepared.record.source_id)
            )
        existing = (
            TimeEntry.objects.filter(
                user_id__any=list(users),
                is_valid=True,
                starts_at__lt=max(p.values["ends_at"] for p in valid),
                ends_at__gt=min(p.values["starts_at"] for p in valid),
            )
            # Updated entries leave their stored spans.
            .exclude(pk__any=[p.object_id for p in updates])
            .values_list("pk", "user_id", "starts_at", "ends_at")
        )
        for pk, user_id, start, end in existing:
            spans[user_id].append((start, end, f"#{pk}"))
        reasons: dict[str, str] = {}
        for user_id, user_spans in spans.items():
            user = users[user_id]
            user_spans.sort()
            # Sweep by start: a span starting before the furthest end so far overlaps it.
            reach: tuple[datetime, datetime, str] | None = None
            for span in user_spans:
                if reach is not None and span[0] < reach[1]:
                    culprit, other = (reach, span) if span[2].startswith("#") else (span, reach)
                    if other[2].startswith("#"):
                        what = (
                            f"existing time entry {other[2][1:]} of user {user.username} "
                            f"({local_iso(other[0], user)} to {local_iso(other[1], user)}); "
                            "not merged or trimmed: delete or correct one of them first"
                        )
                    else:
                        what = f"time entry {other[2]} of this batch (user {user.username})"
                    if not culprit[2].startswith("#"):  # two stored entries: not ours to judge
                        reasons.setdefault(culprit[2], f"overlaps {what}")
                if reach is None or span[1] > reach[1]:
                    reach = span
        if reasons:
            raise BatchRejected(reasons)


def month_windows(first: date, last: date) -> Iterator[tuple[date, date]]:
    """[first, last] cut at month ends (inclusive pairs). GET /times allows 366 days a
    request; a month bounds what is held in memory before it is written."""
    while first <= last:
        next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        yield first, min(next_month - timedelta(days=1), last)
        first = next_month


def _placeholder(ref: UserRef) -> UserRef:
    """All a file tells about a user: `--create-users` names such a user `mctime-<uuid>`."""
    return UserRef(external_id=ref.external_id, username=f"mctime-{ref.external_id}")


def _break_id(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None  # not an id that can be kept; the break gets a new one


def _insert_breaks(entries: list[tuple[Prepared, Any]]) -> None:
    """The breaks of new entries, and of updated entries whose breaks changed; a break keeps
    its McTime id when that is free, as entries do."""
    wanted = [b for p, _ in entries for b in p.break_ids if b]  # type: ignore[attr-defined]
    taken = set(TimeEntryBreak.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    rows = []
    for prepared, entry_id in entries:
        for (start, end, automatic), break_id in zip(
            prepared.extra["breaks"],
            prepared.break_ids,  # type: ignore[attr-defined]
            strict=True,
        ):
            pk = uuid.UUID(break_id) if break_id else None
            if pk is None or pk in taken:
                pk = uuid.uuid4()
            taken.add(pk)
            rows.append(
                {
                    "id": pk,
                    "entry_id": entry_id,
                    "starts_at": start,
                    "ends_at": end,
                    "automatic": automatic,
                }
            )
    bulk_insert(TimeEntryBreak, rows)


def _entry_ids(payload: Any) -> set[str] | None:
    """The entry ids of a GET /times page; None if it is not such a page."""
    try:
        return {
            str(entry.get("id"))
            for item in payload["items"]
            for group in item["data"]["timeEntries"]
            for entry in group["times"]
        }
    except (KeyError, TypeError, AttributeError):
        return None


def _fetch_users(client: SourceClient) -> dict[str, UserRef]:
    """Every user GET /users lists (page from 1 until an empty page), by uuid."""
    users: dict[str, UserRef] = {}
    page = 1
    while True:
        payload = client.get("users", page=page).json()
        try:
            listed = [user for item in payload["items"] for user in item["data"]]
        except (KeyError, TypeError):
            raise CommandError(
                f"{client.base_url}/users page {page}: not a McTime user list"
            ) from None
        if not listed:
            return users
        for user in listed:
            try:
                external_id = str(uuid.UUID(str(user.get("id"))))
            except (ValueError, AttributeError):
                continue
            users[external_id] = UserRef(
                external_id=external_id,
                username=user.get("username") or "",
                first_name=user.get("firstName") or "",
                last_name=user.get("lastName") or "",
                email=user.get("email") or "",
            )
        page += 1


def _organizations(names: set[str | None]) -> dict[str | None, Any]:
    """Organization ids by name, picked as the API picks them (the oldest of a shared name).
    A name no organization has yet is created (in the batch's transaction), so that no
    entry loses its organization."""
    wanted = sorted(name for name in names if name)
    found: dict[str | None, Any] = {}
    if not wanted:
        return found
    for pk, name in (
        Organization.objects.filter(name__any=wanted)
        .order_by("-created_at", "-id")
        .values_list("pk", "name")
    ):
        found[name] = pk  # the oldest comes last and wins
    missing = [Organization(name=name) for name in wanted if name not in found]
    Organization.objects.bulk_create(missing)
    found.update({o.name: o.pk for o in missing})
    return found
