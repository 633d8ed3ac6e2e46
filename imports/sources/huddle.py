"""Huddle OOO presences: `presenceEntities` of Huddle's presence queries.

Huddle has no "all presences" endpoint: a live import asks for the presences of a team
(`--team`), a workspace (`--workspace`) or a list of users (`--users`), and follows the
`next` links. Each entity identifies itself and its user only through its links
(`/presence/{userId}/{presenceId}`, `/users/{userId}`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from config.api.errors import ApiError
from imports.bulk import bulk_insert
from imports.client import SourceClient
from imports.sources.base import (
    Prepared,
    RecordRejected,
    Source,
    SourceRecord,
    UserRef,
)
from ooo.models import OutOfOffice
from ooo.serializers import parse_presence

_PRESENCE_HREF = re.compile(r"/presence/(?P<user>\d+)/(?P<presence>\d+)/?$")
_USER_HREF = re.compile(r"/users/(?P<user>\d+)/?$")
FIELDS = ("is_active", "start_date", "end_date", "message")


def _href(entity: dict[str, Any], rel: str) -> str | None:
    links = entity.get("links")
    if not isinstance(links, list):
        return None
    return next(
        (
            link.get("href")
            for link in links
            if isinstance(link, dict)
            and link.get("rel") == rel
            and isinstance(link.get("href"), str)
        ),
        None,
    )


class HuddlePresenceSource(Source):
    name = "huddle"
    label = "Huddle OOO presences"
    model = OutOfOffice

    def __init__(self) -> None:
        # Set by the command from --team / --workspace / --users (live imports only).
        self.team: int | None = None
        self.workspace: int | None = None
        self.users: list[int] = []
        self._user_details: dict[str, UserRef] = {}

    # --- reading ---------------------------------------------------------------------------
    def items(self, payload: Any) -> list[dict[str, Any]]:
        if not isinstance(payload, dict) or not isinstance(payload.get("presenceEntities"), list):
            raise RecordRejected('not a Huddle presence page: expected {"presenceEntities": […]}')
        return payload["presenceEntities"]

    def source_record(self, item: dict[str, Any]) -> SourceRecord:
        href = _href(item, "presence") or ""
        match = _PRESENCE_HREF.search(href)
        if match is None:
            raise RecordRejected('links: no rel "presence" href of the form /presence/{u}/{p}')
        user_href = _href(item, "user") or ""
        user_match = _USER_HREF.search(user_href)
        user_id = user_match["user"] if user_match else match["user"]
        return SourceRecord(
            source_id=match["presence"],
            user=UserRef(external_id=user_id),
            data={**item, "_user_href": user_href},
        )

    def api_pages(
        self, client: SourceClient, *, date_from: date | None, date_to: date | None
    ) -> Iterator[tuple[str, Any]]:
        body: dict[str, Any] = {}
        if date_from:
            body["startDate"] = f"{date_from.isoformat()}T00:00:00+00:00"
        if date_to:
            body["endDate"] = f"{date_to.isoformat()}T23:59:59+00:00"
        base = client.base_url
        if self.team is not None:
            path = f"presence/teams/{self.team}"
            body["links"] = [{"rel": "team", "href": f"{base}/teams/{self.team}"}]
        elif self.workspace is not None:
            path = f"presence/workspace/{self.workspace}"
            body["links"] = [{"rel": "workspace", "href": f"{base}/workspaces/{self.workspace}"}]
        elif self.users:
            path = "presence"
            body["links"] = [{"rel": "user", "href": f"{base}/users/{u}"} for u in self.users]
        else:
            raise CommandError(
                "Huddle has no list of all presences: give --team ID, --workspace ID or "
                "--users ID,ID,…"
            )
        payload = client.post(path, json=body).json()
        number = 1
        while True:
            yield f"{client.url(path)} page {number}", payload
            next_href = _href(payload, "next")
            if not next_href or not payload.get("presenceEntities"):
                return
            # Huddle's paging links are followed with GET.
            payload = client.get(next_href).json()
            number += 1

    def fetch_user_details(self, client: SourceClient | None, ref: UserRef) -> UserRef:
        """Names and email from the user's own resource (`GET /users/{id}`), once per user."""
        if client is None:
            return ref
        if ref.external_id not in self._user_details:
            body = client.get(f"users/{ref.external_id}").json()
            self._user_details[ref.external_id] = UserRef(
                external_id=ref.external_id,
                first_name=body.get("firstName") or "",
                last_name=body.get("lastName") or "",
                email=body.get("email") or "",
            )
        return self._user_details[ref.external_id]

    # --- writing ---------------------------------------------------------------------------
    def prepare(self, record: SourceRecord, user: User) -> Prepared:
        try:
            # The API's own parsing: isActive boolean, dates with offsets, message ≤ 280.
            parsed = parse_presence(record.data, date_code="DateInvalid")
        except ApiError as exc:
            raise RecordRejected(f"{exc.code}: {exc.message}") from None
        if parsed.start_date and parsed.end_date and parsed.end_date < parsed.start_date:
            raise RecordRejected("DateRangeInvalid: endDate must not be before startDate.")
        values = {
            "is_active": parsed.is_active,
            "start_date": parsed.start_date,
            "end_date": parsed.end_date,
            "message": parsed.message,
        }
        return Prepared(record=record, user=user, values=values)

    def write(self, *, creates: list[Prepared], updates: list[Prepared]) -> dict[str, str]:
        # OOO settings of a user may overlap freely (Huddle keeps every one), so there is no
        # cross-record invariant to check here beyond each record's own.
        pks = bulk_insert(OutOfOffice, [{"user_id": p.user.pk, **p.values} for p in creates])
        ids = {p.record.source_id: str(pk) for p, pk in zip(creates, pks, strict=True)}
        if updates:
            rows = OutOfOffice.objects.in_bulk([int(p.object_id) for p in updates])
            for prepared in updates:
                row = rows[int(prepared.object_id)]
                row.user = prepared.user
                for field, value in prepared.values.items():
                    setattr(row, field, value)
                ids[prepared.record.source_id] = str(row.pk)
            bulk_update_with_history(
                list(rows.values()), OutOfOffice, [*FIELDS, "user", "updated_at"], batch_size=1000
            )
        return ids
