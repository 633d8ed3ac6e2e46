"""Range queries: the settings of named users, a team's or a workspace's members that
overlap [startDate, endDate].

They answer POST with a JSON body, as in the spec, and also GET with the same parameters in
the query string: `self` and the paging links point to that GET form, so every href the API
returns can be followed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.db.models import Model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors as accounts
from config.api.dialects import huddle_codes as codes
from config.api.errors import InvalidInput
from config.api.ids import parse_id
from config.links import absolute, huddle_team_href, huddle_workspace_href
from ooo import selectors
from ooo.serializers import (
    OooPresenceListSerializer,
    OooRangeBodySerializer,
    RangeQuery,
    ids_from_links,
    parse_range_body,
    parse_range_query,
)
from ooo.views.common import PAGING, OutOfOfficeView, operation

RANGE = [
    *PAGING,
    OpenApiParameter(
        "startDate", OpenApiTypes.DATETIME, description="GET form; POST sends it in the body."
    ),
    OpenApiParameter(
        "endDate", OpenApiTypes.DATETIME, description="GET form; POST sends it in the body."
    ),
]


class RangeView(OutOfOfficeView):
    """A range query answered by POST (the spec) and GET (the target of its links)."""

    url_name: ClassVar[str]

    def range_page(
        self,
        request: Request,
        query: RangeQuery,
        *,
        url_kwargs: dict[str, Any],
        extra_params: list[tuple[str, Any]] = (),  # type: ignore[assignment]
        self_href: str | None = None,
        **filters: Any,
    ) -> Response:
        """One page of the settings matching `filters` in the query's range, with `self` and
        paging links in the GET form."""
        params = [*query.query_params(), *extra_params]
        for name in ("page", "pageSize"):
            if name in request.query_params:
                params.append((name, request.query_params[name]))
        url = f"{absolute(request, self.url_name, **url_kwargs)}?{urlencode(params)}"
        rows = selectors.out_of_office_rows_in_range(start=query.start, end=query.end, **filters)
        return self.settings_page(request, rows, url=url, self_href=self_href)


@extend_schema_view(
    post=operation(
        "huddle_presence_by_users",
        "Retrieve Presence by Users",
        200,
        OooPresenceListSerializer,
        request=OooRangeBodySerializer,
        parameters=PAGING,
    ),
    get=operation(
        "huddle_presence_by_users_get",
        "Retrieve Presence by Users (GET form, the target of self/paging links)",
        200,
        OooPresenceListSerializer,
        parameters=[
            *RANGE,
            OpenApiParameter("user", OpenApiTypes.INT, many=True, description="User ids."),
        ],
    ),
)
class OutOfOfficeByUsersView(RangeView):
    """OOO presences of the named users overlapping [startDate, endDate]."""

    url_name = "huddle-presence-users"

    def _respond(self, request: Request, query: RangeQuery, raw_ids: list[int | None]) -> Response:
        if not raw_ids or None in raw_ids:
            raise InvalidInput(
                "Name at least one user, each by a link {rel: user, href: <user URI>}.",
                code=codes.USER_NOT_PROVIDED,
                field="links",
            )
        user_ids = accounts.visible_user_ids(viewer=request.user, user_ids=raw_ids)  # type: ignore[arg-type]
        return self.range_page(
            request,
            query,
            url_kwargs={},
            extra_params=[("user", user_id) for user_id in user_ids],
            user_id__in=user_ids,
        )

    def post(self, request: Request) -> Response:
        query = parse_range_body(request.data)
        raw_ids = ids_from_links(query.links, rel="user", url_name="huddle-user")
        return self._respond(request, query, raw_ids)

    def get(self, request: Request) -> Response:
        query = parse_range_query(request)
        raw_ids = [parse_id(value) for value in request.query_params.getlist("user")]
        return self._respond(request, query, raw_ids)


def _group_schema(noun: str, kind: str) -> Callable[[type], type]:
    """POST and GET of a group's range query, described once for teams and workspaces."""
    return extend_schema_view(
        post=operation(
            f"huddle_presence_by_{kind}",
            f"Retrieve Presence by {noun}",
            200,
            OooPresenceListSerializer,
            request=OooRangeBodySerializer,
            parameters=PAGING,
        ),
        get=operation(
            f"huddle_presence_by_{kind}_get",
            f"Retrieve Presence by {noun} (GET form, the target of paging links)",
            200,
            OooPresenceListSerializer,
            parameters=RANGE,
        ),
    )


class GroupRangeView(RangeView):
    """Settings of a team's or workspace's members overlapping [startDate, endDate].

    The body's link to the group is optional (the path names it), but must agree.
    """

    rel: ClassVar[str]  # the group's link relation, path keyword and member filter
    not_provided: ClassVar[str]  # the spec's code for a body link naming another group
    find_group: ClassVar[Callable[..., Model]]
    group_href: ClassVar[Callable[[Request, int], str]]

    def _respond(self, request: Request, query: RangeQuery, group_id: str) -> Response:
        group = type(self).find_group(viewer=request.user, **{f"{self.rel}_id": parse_id(group_id)})
        for named in ids_from_links(query.links, rel=self.rel, url_name=f"huddle-{self.rel}"):
            if named != group.pk:
                raise InvalidInput(
                    f"The {self.rel} link does not name the {self.rel} {group.pk} of the path.",
                    code=self.not_provided,
                    field="links",
                )
        return self.range_page(
            request,
            query,
            url_kwargs={f"{self.rel}_id": group.pk},
            # spec: `self` is the group's URI
            self_href=type(self).group_href(request, group.pk),
            **{f"user__{self.rel}s": group},
        )

    def post(self, request: Request, **kwargs: str) -> Response:
        return self._respond(request, parse_range_body(request.data), kwargs[f"{self.rel}_id"])

    def get(self, request: Request, **kwargs: str) -> Response:
        return self._respond(request, parse_range_query(request), kwargs[f"{self.rel}_id"])


@_group_schema("Team", "team")
class OutOfOfficeByTeamView(GroupRangeView):
    """OOO presences of a team's members overlapping [startDate, endDate]."""

    url_name, rel, not_provided = "huddle-presence-team", "team", codes.TEAM_NOT_PROVIDED
    find_group, group_href = staticmethod(accounts.queryable_team), staticmethod(huddle_team_href)


@_group_schema("Workspace", "workspace")
class OutOfOfficeByWorkspaceView(GroupRangeView):
    """OOO presences of a workspace's members overlapping [startDate, endDate]."""

    url_name, rel = "huddle-presence-workspace", "workspace"
    not_provided = codes.WORKSPACE_NOT_PROVIDED
    find_group = staticmethod(accounts.queryable_workspace)
    group_href = staticmethod(huddle_workspace_href)
