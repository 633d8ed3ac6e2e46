"""MOCO presences: the bare JSON array of GET /users/presences, paged by headers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, time
from typing import Any

from accounts.models import User
from imports.client import SourceClient
from imports.sources.base import Prepared, Source, SourceRecord, UserRef
from imports.sources.errors import BatchRejected, RecordRejected
from imports.sources.parsing import required, strict_parser, validated
from presences import rules
from presences.models import Presence
from presences.serializers import PresenceInputSerializer

PER_PAGE = 1000
_DATE = strict_parser(r"^\d{4}-\d{2}-\d{2}$", date.fromisoformat)
_TIME = strict_parser(r"^([01]\d|2[0-3]):[0-5]\d$", time.fromisoformat)


def parse_canonical(item: dict[str, Any]) -> dict[str, Any] | None:
    """Parse a presence in the canonical wire shape (what GET /users/presences returns).

    A strict subset of what the API's PresenceInputSerializer accepts, with the same values;
    None for anything else, which the serializer then decides (and words the error).
    """
    day, start, end = item.get("date"), item.get("from"), item.get("to")
    home = item.get("is_home_office", False)
    if type(day) is not str or (parsed_day := _DATE(day)) is None or type(home) is not bool:
        return None
    if type(start) is not str or (from_time := _TIME(start)) is None:
        return None
    to_time = None
    if end is not None and (type(end) is not str or (to_time := _TIME(end)) is None):
        return None
    return {"date": parsed_day, "from_time": from_time, "to_time": to_time, "is_home_office": home}


FIELDS = ("date", "from_time", "to_time", "is_home_office")


class MocoPresenceSource(Source):
    name = "moco"
    label = "MOCO presences"
    # One parser for all records: DRF deep-copies a serializer's fields per instance.
    parser = PresenceInputSerializer()
    model = Presence
    noun = "presence"
    fields = FIELDS

    def items(self, payload: Any) -> list[dict[str, Any]]:
        if not isinstance(payload, list):
            raise RecordRejected("not a MOCO presences page: expected a JSON array")
        return payload

    def source_record(self, item: dict[str, Any]) -> SourceRecord:
        source_id = str(required(item, "id"))
        user = required(item, "user")
        if not isinstance(user, dict) or user.get("id") in (None, ""):
            raise RecordRejected(f"presence {source_id}: user.id missing")
        ref = UserRef(
            external_id=str(user["id"]),
            first_name=user.get("firstname") or "",
            last_name=user.get("lastname") or "",
        )
        return SourceRecord(source_id=source_id, user=ref, data=item, parsed=parse_canonical(item))

    def api_pages(
        self, client: SourceClient, *, date_from: date | None, date_to: date | None
    ) -> Iterator[tuple[str, Any]]:
        # By id: records added at the source during the import land on later pages instead
        # of shifting the ones not yet read (the default order is by date).
        params: dict[str, Any] = {"per_page": PER_PAGE, "sort_by": "id asc"}
        if date_from or date_to:
            # MOCO takes `from` and `to` only together.
            params["from"] = str(date_from or date(1970, 1, 1))
            params["to"] = str(date_to or date(9999, 12, 31))
        page = 1
        while True:
            response = client.get("users/presences", page=page, **params)
            yield f"{client.base_url}/users/presences page {page}", response.json()
            if "next" not in response.links:
                return
            page += 1

    def prepare(self, record: SourceRecord, user: User) -> Prepared:
        values = record.parsed or validated(self.parser, record.data)
        from_time, to_time = values["from_time"], values.get("to_time")
        end_error = rules.end_error(from_time, to_time)
        if end_error is not None:
            raise RecordRejected(f"to: {end_error}")
        return Prepared(
            record=record,
            user=user,
            values={
                "date": values["date"],
                "from_time": from_time,
                "to_time": to_time,
                "is_home_office": bool(values.get("is_home_office", False)),
            },
        )

    def check_batch(self, creates: list[Prepared], updates: list[Prepared]) -> None:
        """MOCO's day rules (presences.rules, as the API applies them) over the batch and
        the database, per user and day: no overlap (so at most one open presence), one
        home-office flag."""
        incoming = [*creates, *updates]
        replaced = {int(p.object_id) for p in updates}
        days: dict[tuple[int, date], list[rules.DaySpan]] = defaultdict(list)
        day_span = rules.DaySpan
        for prepared in incoming:
            v = prepared.values
            days[(prepared.user.pk, v["date"])].append(
                day_span(
                    prepared.record.source_id, v["from_time"], v["to_time"], v["is_home_office"]
                )
            )
        existing = Presence.objects.filter(
            user_id__any={u for u, _ in days}, date__any={d for _, d in days}
        )
        if replaced:
            existing = existing.exclude(pk__any=replaced)
        fields = ("pk", "user_id", "date", "from_time", "to_time", "is_home_office")
        for pk, user_id, day, from_time, to_time, home in existing.values_list(*fields):
            if (user_id, day) in days:
                days[(user_id, day)].append(day_span(_Existing(pk), from_time, to_time, home))
        reasons: dict[str, str] = {}
        for (user_id, day), spans in days.items():
            for span, other in rules.clashes(spans):
                if isinstance(span.key, _Existing) and isinstance(other.key, _Existing):
                    continue  # not this batch's doing
                culprit, what = (other, span) if isinstance(span.key, _Existing) else (span, other)
                reasons.setdefault(
                    culprit.key, f"overlaps {_name(what)} of user {user_id} on {day}"
                )
            if rules.mixed_home_office(spans):
                # Rows already in the database set the day's flag; else the earliest record.
                ordered = sorted(spans, key=lambda s: rules.minutes(s.from_time))
                reference = next((s for s in ordered if isinstance(s.key, _Existing)), ordered[0])
                for span in spans:
                    if span.is_home_office == reference.is_home_office:
                        continue
                    if isinstance(span.key, _Existing):
                        continue  # two existing rows disagree: not this batch's doing
                    reasons.setdefault(
                        span.key,
                        f"is_home_office {str(span.is_home_office).lower()}, but "
                        f"{_name(reference)} of user {user_id} on {day} says "
                        f"{str(reference.is_home_office).lower()}; MOCO keeps one home-office "
                        "flag per day",
                    )
        if reasons:
            raise BatchRejected(reasons)


class _Existing(int):
    """The key of a presence already in the database (not a record of this batch)."""


def _name(span: rules.DaySpan) -> str:
    if isinstance(span.key, _Existing):
        return f"existing presence {int(span.key)}"
    return str(span.key)
