"""Huddle OOO presences: `presenceEntities` of Huddle's presence queries.

Huddle has no "all presences" endpoint: a live import asks for the presences of a team
(`--team`), a workspace (`--workspace`) or a list of users (`--users`), and follows the
`next` links. Each entity identifies itself and its user only through its links
(`/presence/{userId}/{presenceId}`, `/users/{userId}`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError

from accounts.models import User
from config.api.dialects.huddle_codes import huddle_code
from config.api.errors import ApiError
from config.api.ids import parse_id
from imports.client import SourceClient, json_body
from imports.sources.base import Prepared, Source, SourceRecord, UserRef
from imports.sources.errors import RecordRejected
from ooo.models import OutOfOffice
from ooo.serializers import parse_out_of_office
from ooo.services import check_out_of_office

_PRESENCE_PATH = re.compile(r"/presence/(?P<user>[^/]+)/(?P<presence>[^/]+)/?$")
_USER_PATH = re.compile(r"/users/(?P<user>[^/]+)/?$")
FIELDS = ("is_active", "start_date", "end_date", "message")
# Users named in one `POST /presence`: its `next` links repeat them in the query string
# (`user=<id>&…`), which must stay below common request-line limits (gunicorn: 4094 bytes).
USERS_PER_QUERY = 100


def _href(links: Any, rel: str) -> str | None:
    """The href of the first link of relation `rel` in a Huddle `links` list."""
    if not isinstance(links, list):
        return None
    return next(
        (
            link["href"]
            for link in links
            if isinstance(link, dict)
            and link.get("rel") == rel
            and isinstance(link.get("href"), str)
        ),
        None,
    )


def _path_ids(href: str | None, pattern: re.Pattern[str]) -> dict[str, int | None] | None:
    """The ids in an href's path (absolute or relative, any host), or None if it does not
    have that form; an id that cannot name a row (not digits, > 19 digits, 0) is None."""
    if not href:
        return None
    match = pattern.search(urlsplit(href.strip()).path)
    if match is None:
        return None
    return {name: parse_id(value) for name, value in match.groupdict().items()}


def same_origin_url(base_url: str, href: str) -> str:
    """Where to follow a paging link: the href itself when it points at the configured
    server, else its path and query on the configured server.

    The API key must never go to another host, and a server behind a proxy may write links
    with its internal host name.
    """
    base, link = urlsplit(base_url), urlsplit(href)
    if not link.netloc:
        return urljoin(f"{base_url}/", href)
    if (link.scheme, link.netloc) == (base.scheme, base.netloc):
        return href
    query = f"?{link.query}" if link.query else ""
    return f"{base.scheme}://{base.netloc}{link.path}{query}"


class HuddlePresenceSource(Source):
    name = "huddle"
    label = "Huddle OOO presences"
    model = OutOfOffice
    noun = "OOO presence"
    fields = FIELDS
    # OOO settings of a user may overlap freely (Huddle: creating one never invalidates the
    # others), so there is no invariant across records to check (no check_batch). The rows
    # to update are locked: a DELETE through the API after the runner's ledger check would
    # otherwise make the update silently touch nothing.
    # Asked for with `pageSize` (Timebridge's maximum); a server that ignores it pages as it
    # likes, and the import follows its `next` links either way.
    page_size = 500

    def __init__(self) -> None:
        # Set by the command from --team / --workspace / --users (live imports only).
        self.team: int | None = None
        self.workspace: int | None = None
        self.users: list[int] = []
        self.live = False
        self._user_details: dict[str, UserRef] = {}

    # --- reading ---------------------------------------------------------------------------
    def items(self, payload: Any) -> list[dict[str, Any]]:
        if not isinstance(payload, dict) or not isinstance(payload.get("presenceEntities"), list):
            raise RecordRejected('not a Huddle presence page: expected {"presenceEntities": […]}')
        return payload["presenceEntities"]

    def source_record(self, item: dict[str, Any]) -> SourceRecord:
        if not isinstance(item, dict):
            raise RecordRejected("not a presence entity (a JSON object)")
        links = item.get("links")
        ids = _path_ids(_href(links, "presence"), _PRESENCE_PATH)
        if ids is None or ids["presence"] is None or ids["user"] is None:
            raise RecordRejected(
                'links: no rel "presence" href of the form /presence/{userId}/{presenceId}'
            )
        user_href = _href(links, "user")
        if user_href is not None:
            named = _path_ids(user_href, _USER_PATH)
            if named is None or named["user"] is None:
                raise RecordRejected(f'links: rel "user" href {user_href!r} is not /users/{{id}}')
            if named["user"] != ids["user"]:
                raise RecordRejected(
                    f"links: the user link names user {named['user']}, the presence link "
                    f"user {ids['user']}"
                )
        # An entity names its user by id only. Live, names and email come from GET /users/{id}
        # (fetch_user_details, asked only for users the mapping does not know); a file has
        # nothing more, so an unmatched user can only be created under a placeholder name.
        ref = UserRef(external_id=str(ids["user"]))
        return SourceRecord(
            source_id=str(ids["presence"]),
            user=ref if self.live else ref.named_by_id(self.name),
            data=item,
        )

    def api_pages(
        self, client: SourceClient, *, date_from: date | None, date_to: date | None
    ) -> Iterator[tuple[str, Any]]:
        self.live = True
        for path, body in self._queries(client, date_from=date_from, date_to=date_to):
            # All pages of a query are read before any is written: Huddle pages by offset,
            # newest first, so a presence created or deleted between two requests (at the
            # source, or — the source being this very server — by the import) would shift
            # the pages and skip or repeat presences.
            yield from self._pages(client, path, body)

    def _queries(
        self, client: SourceClient, *, date_from: date | None, date_to: date | None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(path, body) of the range queries that together cover the chosen scope."""
        dates: dict[str, Any] = {}
        # --from / --to are days of the company's calendar; Huddle's bounds are instants and
        # inclusive (a presence touching a bound is returned).
        zone = ZoneInfo(settings.TIME_ZONE)
        if date_from:
            dates["startDate"] = datetime.combine(date_from, time(), zone).isoformat()
        if date_to:
            end = datetime.combine(date_to + timedelta(days=1), time(), zone) - timedelta(seconds=1)
            dates["endDate"] = end.isoformat()
        base = client.base_url
        if sum(bool(scope) for scope in (self.team, self.workspace, self.users)) > 1:
            raise CommandError("Give only one of --team, --workspace and --users.")
        if self.team is not None:
            link = {"rel": "team", "href": f"{base}/teams/{self.team}"}
            yield f"presence/teams/{self.team}", {**dates, "links": [link]}
        elif self.workspace is not None:
            link = {"rel": "workspace", "href": f"{base}/workspaces/{self.workspace}"}
            yield f"presence/workspace/{self.workspace}", {**dates, "links": [link]}
        elif self.users:
            users = list(dict.fromkeys(self.users))
            for start in range(0, len(users), USERS_PER_QUERY):
                chunk = users[start : start + USERS_PER_QUERY]
                links = [{"rel": "user", "href": f"{base}/users/{u}"} for u in chunk]
                yield "presence", {**dates, "links": links}
        else:
            raise CommandError(
                "Huddle has no list of all presences: give --team ID, --workspace ID or "
                "--users ID,ID,…"
            )

    def _pages(
        self, client: SourceClient, path: str, body: dict[str, Any]
    ) -> list[tuple[str, Any]]:
        users = len(body["links"])
        what = path if path != "presence" else f"presence ({users} user{'s' * (users > 1)})"
        payload = json_body(client.post(path, json=body, pageSize=self.page_size))
        pages = [(f"{client.url(what)} page 1", payload)]
        followed: set[str] = set()
        while True:
            if not isinstance(payload, dict) or not payload.get("presenceEntities"):
                return pages  # an empty page ends the list; a wrong one the runner reports
            next_href = _href(payload.get("links"), "next")
            if not next_href:
                return pages
            url = same_origin_url(client.base_url, next_href)
            if url in followed:
                raise CommandError(f"{url}: the `next` links of {what} go round in a circle.")
            followed.add(url)
            # Huddle's paging links are followed with GET (the spec's link tables).
            payload = json_body(client.get(url))
            pages.append((f"{client.url(what)} page {len(pages) + 1}", payload))

    def fetch_user_details(self, client: SourceClient | None, ref: UserRef) -> UserRef:
        """Names and email from the user's own resource (`GET /users/{id}`), once per user.

        A user the key may not see (404) keeps the placeholder: reported as unmatched, or
        created as `huddle-<id>` with --create-users, rather than stopping the import.
        """
        if client is None:
            return ref.named_by_id(self.name)
        if ref.external_id not in self._user_details:
            try:
                body = json_body(client.get(f"users/{ref.external_id}"))
            except CommandError as exc:
                # SourceClient words a refusal as "… answered <status>: …"; anything else
                # (no connection, not JSON) is no reason to create a nameless user.
                if not re.search(r" answered 40[34]: ", str(exc)):
                    raise
                body = None
            details = ref.named_by_id(self.name)
            if isinstance(body, dict):
                found = UserRef(
                    external_id=ref.external_id,
                    username=_text(body.get("username")),
                    first_name=_text(body.get("firstName")),
                    last_name=_text(body.get("lastName")),
                    email=_text(body.get("email")),
                )
                if found.username or found.email or found.first_name or found.last_name:
                    details = found
            self._user_details[ref.external_id] = details
        return self._user_details[ref.external_id]

    # --- writing ---------------------------------------------------------------------------
    def prepare(self, record: SourceRecord, user: User) -> Prepared:
        try:
            # The API's own parsing (POST /presence/create): isActive a JSON boolean, dates
            # ISO 8601 with offset (stored in UTC, whole seconds, years 1900-2999), message
            # a string of at most 280 characters without NUL.
            parsed = parse_out_of_office(record.data)
        except ApiError as exc:
            raise RecordRejected(f"{exc.code}: {exc.message}") from None
        try:
            # The rules create_out_of_office applies (and the constraint
            # ooo_outofoffice_range_valid).
            check_out_of_office(
                start=parsed.start_date, end=parsed.end_date, message=parsed.message
            )
        except ApiError as exc:
            raise RecordRejected(f"{huddle_code(exc.field, exc.code)}: {exc.message}") from None
        values = {
            "is_active": parsed.is_active,
            "start_date": parsed.start_date,
            "end_date": parsed.end_date,
            "message": parsed.message,
        }
        return Prepared(record=record, user=user, values=values)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
