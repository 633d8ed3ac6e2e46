"""ProSonata working times: `{"meta": {...}, "data": [...]}` pages of GET /workingtimes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from accounts.models import User
from config.api.field_errors import word
from config.db import storable
from imports.client import SourceClient
from imports.sources.base import Prepared, Source, SourceRecord, UserRef
from imports.sources.errors import BatchRejected, RecordRejected
from imports.sources.parsing import required, strict_parser, validated
from workingtimes.models import BREAK_SLOTS, WorkingTime
from workingtimes.serializers import WIRE_NAMES, WorkingTimeWriteSerializer
from workingtimes.services import (
    DEFAULTS,
    EDITABLE_FIELDS,
    HUNDREDTH,
    WorkingTimeInvalid,
    check_working_time,
)

PER_PAGE = 1000  # ProSonata's maximum
FIELDS = ("working_date", *EDITABLE_FIELDS)

_DATE = strict_parser(r"^\d{4}-\d{2}-\d{2}$", date.fromisoformat)
_TIME = strict_parser(r"^\d{2}:\d{2}:\d{2}$", time.fromisoformat)
_BREAK_KEY = re.compile(r"^break(\d+)(Start|End)$", re.IGNORECASE)
_TIMES = {
    "dailyTimeStart": "daily_time_start",
    "dailyTimeEnd": "daily_time_end",
    **{f"break{n}{p}": f"break{n}_{p.lower()}" for n in BREAK_SLOTS for p in ("Start", "End")},
}
_REQUIRED_TIMES = ("dailyTimeStart", "dailyTimeEnd")
_FLAGS = {"halfHoliday": "half_holiday", "homeOffice": "home_office"}


def parse_canonical(item: dict[str, Any]) -> dict[str, Any] | None:
    """Parse a record in the canonical wire shape (what GET /workingtimes returns) quickly.

    Accepts a strict subset of what the API's WorkingTimeWriteSerializer accepts and gives
    the same values; for anything else it returns None and the serializer decides (and
    words the error). DRF's per-field machinery costs ~55 µs a record; this ~8 µs.
    """
    try:
        working_date = item["workingDate"]
        if type(working_date) is not str or (day := _DATE(working_date)) is None:
            return None
        values: dict[str, Any] = {"working_date": day}
        for key, field in _TIMES.items():
            raw = item.get(key)
            if raw is None:
                if key in _REQUIRED_TIMES:
                    return None
                continue
            if type(raw) is not str or (value := _TIME(raw)) is None:
                return None
            values[field] = value
        day_type = item.get("dayType")
        if day_type is not None:
            if type(day_type) is not int or not 0 <= day_type <= 6:
                return None
            values["day_type"] = day_type
        for key, field in _FLAGS.items():
            flag = item.get(key)
            if flag is not None:
                if type(flag) not in (int, bool) or flag not in (0, 1):
                    return None
                values[field] = bool(flag)
        total = item["dailyTimeTotal"]
        if type(total) not in (int, float) or not abs(total) < 1000:
            return None
        values["daily_time_total"] = Decimal(str(total)).quantize(HUNDREDTH, ROUND_HALF_UP)
        comments = item.get("comments")
        if comments is not None:
            if type(comments) is not str or len(comments) > 100 or not storable(comments):
                return None
            values["comments"] = comments
        for key in item.keys() - _TIMES.keys():  # break5Start & co. are the serializer's
            match = _BREAK_KEY.match(key)
            if match and int(match.group(1)) not in BREAK_SLOTS:
                return None
    except (KeyError, ValueError, ArithmeticError):
        return None
    return values


class ProSonataWorkingTimeSource(Source):
    name = "prosonata"
    label = "ProSonata working times"
    # One parser for all records: DRF deep-copies a serializer's fields per instance.
    parser = WorkingTimeWriteSerializer()
    model = WorkingTime
    noun = "working time"
    fields = FIELDS
    inserted_with = {"created_via_api": False}
    # Imports check totals strictly: a mismatch noted by an earlier API write is gone with
    # the corrected record.
    updated_with = {"total_mismatch": ""}

    def items(self, payload: Any) -> list[dict[str, Any]]:
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
            raise RecordRejected('not a ProSonata list page: expected {"meta": …, "data": […]}')
        return payload["data"]

    def source_record(self, item: dict[str, Any]) -> SourceRecord:
        source_id = str(required(item, "workingTimeID"))
        user = UserRef(
            external_id=str(required(item, "userID")),
            username=item.get("username") or "",
            first_name=item.get("userFirstName") or "",
            last_name=item.get("userLastName") or "",
        )
        return SourceRecord(source_id=source_id, user=user, data=item, parsed=parse_canonical(item))

    def api_pages(
        self, client: SourceClient, *, date_from: date | None, date_to: date | None
    ) -> Iterator[tuple[str, Any]]:
        params: dict[str, Any] = {"perPage": PER_PAGE, "orderBy": "workingTimeID ASC"}
        # ProSonata: a leading > or < turns the date filters into inclusive bounds.
        if date_from and date_to:
            params.update(workingDate=f">{date_from}", workingDate2=f"<{date_to}")
        elif date_from:
            params["workingDate"] = f">{date_from}"
        elif date_to:
            params["workingDate"] = f"<{date_to}"
        page = 1
        while True:
            payload = client.get("workingtimes", page=page, **params).json()
            yield f"{client.base_url}/workingtimes page {page}", payload
            meta, data = payload.get("meta", {}), payload.get("data") or []
            if not data or page * PER_PAGE >= int(meta.get("totalCount", 0)):
                return
            page += 1

    def prepare(self, record: SourceRecord, user: User) -> Prepared:
        # The API's own parsing and checks (formats, breaks, the work-day total).
        parsed = record.parsed or validated(self.parser, {**record.data, "userID": user.pk})
        values = {**DEFAULTS, **parsed}
        values.pop("user_id", None)
        try:
            values = check_working_time(values, zone=user.zone)
        except WorkingTimeInvalid as exc:
            raise RecordRejected(word(exc.errors, WIRE_NAMES)) from None
        return Prepared(record=record, user=user, values={f: values[f] for f in FIELDS})

    def check_batch(self, creates: list[Prepared], updates: list[Prepared]) -> None:
        """One record per user and day: against the batch itself and the database."""
        reasons: dict[str, str] = {}
        claimed: dict[tuple[int, date], str] = {}
        for prepared in [*creates, *updates]:
            key = (prepared.user.pk, prepared.values["working_date"])
            if key in claimed:
                reasons[prepared.record.source_id] = (
                    f"same user and day ({key[1]}) as record {claimed[key]} of this batch"
                )
            claimed[key] = prepared.record.source_id
        own = {int(p.object_id) for p in updates}
        existing = WorkingTime.objects.filter(
            user_id__any={u for u, _ in claimed}, working_date__any={d for _, d in claimed}
        ).values_list("pk", "user_id", "working_date")
        for pk, user_id, day in existing:
            source_id = claimed.get((user_id, day))
            if source_id and pk not in own:
                reasons.setdefault(
                    source_id,
                    f"user {user_id} already has working time {pk} on {day} that was not "
                    "imported from this source; delete or map it first",
                )
        if reasons:
            raise BatchRejected(reasons)
